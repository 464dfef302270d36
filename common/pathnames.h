/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pathnames.h - every system path ktstr-pack reads or writes, in one place
 * (as util-linux's pathnames.h).  The stub takes no environment variable
 * or hidden option that moves any of these; tests use mount namespaces.
 * The one exception is TMPDIR, which chooses where the payload is
 * extracted (as mktemp(1) does) and is checked before use.
 */
#ifndef KTSTR_PATHNAMES_H
#define KTSTR_PATHNAMES_H

/* The runfile reads itself through this link. */
#define PATH_PROC_SELF_EXE "/proc/self/exe"
#define PATH_PROC_SELF_MOUNTINFO "/proc/self/mountinfo"
/* ktstr-pack --from-run: how much memory the archive's members may take */
#define PATH_PROC_MEMINFO "/proc/meminfo"
#define PATH_PROC_SELF_STATM "/proc/self/statm"
#define PATH_PROC_SELF_CGROUP "/proc/self/cgroup"
#define PATH_PROC "/proc"

/* sched_ext */
#define PATH_SCHED_EXT "/sys/kernel/sched_ext"
#define PATH_SCHED_EXT_STATE PATH_SCHED_EXT "/state"
#define PATH_SCHED_EXT_ROOT_OPS PATH_SCHED_EXT "/root/ops"

/* cgroup v2: the test's tree, and the root a spec's cgroup parent is under */
#define PATH_CGROUP_ROOT "/sys/fs/cgroup"
#define PATH_KTSTR_CGROUP PATH_CGROUP_ROOT "/ktstr"

/* CPU and NUMA topology (holds cpu/ and node/) */
#define PATH_SYS_DEVICES_SYSTEM "/sys/devices/system"

#define PATH_DEV_NULL "/dev/null"

/* Default parent of the extraction directory when TMPDIR is unset. */
#define PATH_DEFAULT_TMPDIR "/tmp"
/* Extraction directories are named <tmpdir>/ktstr-run-<pid>-XXXXXX. */
#define TMPDIR_PREFIX "ktstr-run-"
/* ...and <tmpdir>/ktstr-keep-<pid>-XXXXXX with --keep, a name the next
 * run's removal of stale directories leaves alone. */
#define TMPDIR_KEEP_PREFIX "ktstr-keep-"

/* Held (fcntl write lock) for a whole run: one runfile at a time per host;
 * a run creates it in PATH_RUN_DIR, which --preflight checks is writable. */
#define PATH_RUN_DIR "/run"
#define PATH_RUN_LOCK PATH_RUN_DIR "/ktstr-runfile.lock"

#endif
