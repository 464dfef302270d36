// SPDX-License-Identifier: GPL-2.0-only
/* checks.c - host prerequisites, each as rows of a report. */
#include "checks.h"
#include "error.h"
#include "macros.h"
#include "mountinfo.h"
#include "pathnames.h"
#include "sched_ext.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static struct check_row *add_row(struct check_report *rep, const char *check, bool ok,
				 const char *need, const char *host_fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct check_row *add_row(struct check_report *rep, const char *check, bool ok,
				 const char *need, const char *host_fmt, ...)
{
	static struct check_row overflow;
	struct check_row *row = rep->n < CHECK_ROWS_MAX ? &rep->row[rep->n++] : &overflow;
	va_list ap;

	memset(row, 0, sizeof(*row));
	row->check = check;
	row->ok = ok;
	snprintf(row->need, sizeof(row->need), "%s", need);
	va_start(ap, host_fmt);
	vsnprintf(row->host, sizeof(row->host), host_fmt, ap);
	va_end(ap);
	return row;
}

#define row_error(row, ...) snprintf((row)->error, sizeof((row)->error), __VA_ARGS__)
#define row_hint(row, ...) snprintf((row)->hint, sizeof((row)->hint), __VA_ARGS__)

bool checks_capability(struct check_report *rep)
{
	cap_flag_value_t v = CAP_CLEAR;
	struct check_row *row;
	cap_t caps = cap_get_proc();
	bool ok;

	if (caps) {
		if (cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v) < 0)
			v = CAP_CLEAR;
		cap_free(caps);
	}
	ok = v == CAP_SET;
	row = add_row(rep, "capabilities", ok, "CAP_SYS_ADMIN", "%s (uid %u)",
		      ok ? "CAP_SYS_ADMIN effective" : "no CAP_SYS_ADMIN", (unsigned)geteuid());
	if (!ok) {
		row_error(row, "CAP_SYS_ADMIN is not in the effective capability set (uid %u): "
			  "attaching a sched_ext scheduler and managing cgroups need it",
			  (unsigned)geteuid());
		row_hint(row, "run it as root (sudo) with the full capability set");
	}
	return ok;
}

bool checks_sched_ext(struct check_report *rep)
{
	struct sched_ext_status st;
	struct check_row *row;
	bool ok;

	ok = sched_ext_read(&st) == 0 && st.present;
	row = add_row(rep, "sched_ext", ok, PATH_SCHED_EXT, "%s",
		      ok ? (st.has_state ? "present" : "present (no state file)") : "missing");
	if (!ok) {
		row_error(row, "the kernel lacks sched_ext support (no %s)", PATH_SCHED_EXT);
		row_hint(row, "boot a kernel built with CONFIG_SCHED_CLASS_EXT=y (Linux 6.12 or later)");
	}
	return ok;
}

bool checks_cgroup2(struct check_report *rep)
{
	struct mount_entry m;
	struct check_row *row;
	int r = mountinfo_find(PATH_PROC_SELF_MOUNTINFO, PATH_CGROUP_ROOT, &m);
	bool ok = r == 0 && strcmp(m.fstype, "cgroup2") == 0;

	row = add_row(rep, "cgroup v2", ok, "cgroup2 at " PATH_CGROUP_ROOT, "%s",
		      r == 0 ? m.fstype : r == -ENOENT ? "not mounted" : "unreadable");
	if (ok)
		return true;
	if (r == -ENOENT)
		row_error(row, "nothing is mounted at %s: cgroup v2 must be mounted there",
			  PATH_CGROUP_ROOT);
	else if (r < 0)
		row_error(row, "%s", error_message());
	else
		row_error(row, "%s is a %s mount, not cgroup2 (a cgroup v1 or hybrid layout)",
			  PATH_CGROUP_ROOT, m.fstype);
	row_hint(row, "mount cgroup v2 there (mount -t cgroup2 none %s) or boot with "
		 "systemd.unified_cgroup_hierarchy=1", PATH_CGROUP_ROOT);
	return false;
}

bool checks_no_other_scheduler(struct check_report *rep)
{
	struct sched_ext_status st;
	struct check_row *row;
	bool ok;

	if (sched_ext_read(&st) < 0 || !st.present) {
		/* --preflight shows every row: this one has nothing to check */
		row = add_row(rep, "no other scheduler", true, "none attached", "n/a (no sched_ext)");
		row->na = true;
		return true;
	}
	ok = !sched_ext_busy(&st);
	row = add_row(rep, "no other scheduler", ok, "none attached", "%s%s%s%s",
		      st.has_state ? "state=" : "", st.has_state ? st.state : "",
		      st.has_state ? " " : "", st.ops[0] ? st.ops : "no ops");
	if (!ok) {
		row_error(row, "another sched_ext scheduler '%s' is already attached (state=%s)",
			  st.ops[0] ? st.ops : "unknown", st.has_state ? st.state : "n/a");
		row_hint(row, "detach it first (stop the process that loaded it), then run again");
	}
	return ok;
}

bool checks_topology(struct check_report *rep, const struct spec *s, struct topology *topo)
{
	struct topology_need dims[TOPOLOGY_DIMENSIONS];
	struct check_row *row;
	bool ok = true;

	if (topology_read(PATH_SYS_DEVICES_SYSTEM, topo) < 0) {
		row = add_row(rep, "topology", false, "readable", "unreadable");
		row_error(row, "%s", error_message());
		return false;
	}
	topology_compare(topo, s, dims);
	for (int i = 0; i < TOPOLOGY_DIMENSIONS; i++) {
		char need[32];
		bool dim_ok = dims[i].host >= dims[i].need;

		snprintf(need, sizeof(need), ">= %u", dims[i].need);
		row = add_row(rep, dims[i].what, dim_ok, need, "%u", dims[i].host);
		if (!dim_ok)
			row_error(row, "host has %u %s, test needs %u", dims[i].host, dims[i].what,
				  dims[i].need);
		ok &= dim_ok;
	}
	return ok;
}

/*
 * Two rows: the extraction directory's parent (exists, a directory, on a
 * writable mount without noexec, writable and searchable by us), then the
 * free space for the extracted payload, shown whenever it can be measured.
 */
bool checks_tmpdir(struct check_report *rep, const char *tmpdir, uint64_t need_bytes)
{
	const char *need_dir = "writable dir, exec mount";
	unsigned long long need_mib = (need_bytes + (1 << 20) - 1) >> 20;
	struct statvfs vfs;
	struct check_row *row;
	struct stat st;
	const char *why = NULL;
	char need[48];
	bool have_vfs = false, ok;
	uint64_t avail;

	if (stat(tmpdir, &st) < 0)
		why = strerror(errno);
	else if (!S_ISDIR(st.st_mode))
		why = strerror(ENOTDIR);
	else if (statvfs(tmpdir, &vfs) < 0)
		why = strerror(errno);
	else if ((have_vfs = true, vfs.f_flag & ST_RDONLY))
		why = "read-only mount";
	else if (vfs.f_flag & ST_NOEXEC)
		why = "noexec mount";
	else if (faccessat(AT_FDCWD, tmpdir, W_OK | X_OK, AT_EACCESS) < 0)
		why = errno == EACCES ? "not writable by this user" : strerror(errno);

	row = add_row(rep, "temp dir", !why, need_dir, "%s: %s", tmpdir,
		      why ? why : "writable, exec");
	if (why && (!strcmp(why, "noexec mount") || !strcmp(why, "read-only mount"))) {
		row_error(row, "%s is on a %s filesystem: the extracted binaries could not run",
			  tmpdir, why[0] == 'n' ? "noexec" : "read-only");
		row_hint(row, "point TMPDIR at a directory on a filesystem mounted with exec, e.g. "
			 "TMPDIR=/var/tmp %s", program_invocation_short_name);
	} else if (why) {
		row_error(row, "cannot use %s as the extraction directory's parent: %s", tmpdir, why);
		row_hint(row, "set TMPDIR to an existing directory this user can write to");
	}
	ok = !why;

	snprintf(need, sizeof(need), ">= %llu MiB", need_mib);
	if (!have_vfs) {
		row = add_row(rep, "free space", true, need, "n/a (no usable temp dir)");
		row->na = true;
		return ok;
	}
	avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	row = add_row(rep, "free space", avail >= need_bytes, need, "%llu MiB in %s",
		      (unsigned long long)(avail >> 20), tmpdir);
	if (avail < need_bytes) {
		row_error(row, "%s has %llu MiB free, the payload needs %llu MiB", tmpdir,
			  (unsigned long long)(avail >> 20), need_mib);
		row_hint(row, "free some space or point TMPDIR at a larger filesystem");
		return false;
	}
	return ok;
}

void checks_print_errors(const struct check_report *rep, const char *prog)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_row *row = &rep->row[i];

		if (row->ok)
			continue;
		fprintf(stderr, "%s: error: %s\n", prog, row->error);
		if (row->hint[0])
			fprintf(stderr, "%s: hint: %s\n", prog, row->hint);
	}
}

static int widest(int w, const char *cell)
{
	int n = (int)strlen(cell);

	return n > w ? n : w;
}

void checks_print_table(const struct check_report *rep)
{
	int wc = (int)strlen("CHECK"), wh = (int)strlen("HOST"), wn = (int)strlen("NEEDED");

	/* columns as wide as their widest cell, so the OK column lines up */
	for (size_t i = 0; i < rep->n; i++) {
		wc = widest(wc, rep->row[i].check);
		wh = widest(wh, rep->row[i].host);
		wn = widest(wn, rep->row[i].need);
	}
	printf("%-*s  %-*s  %-*s  %s\n", wc, "CHECK", wh, "HOST", wn, "NEEDED", "OK");
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_row *row = &rep->row[i];

		printf("%-*s  %-*s  %-*s  %s\n", wc, row->check, wh, row->host, wn, row->need,
		       row->na ? "n/a" : row->ok ? "yes" : "NO");
	}
}
