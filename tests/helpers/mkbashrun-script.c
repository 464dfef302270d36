// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbashrun-script.c - the bash script of a runfile in the layout of
 * `cargo ktstr export` (ktstr 0.6.0): the exact lines that define what it
 * runs (frozen block, launch line, test argv, quoting), and checks,
 * extraction, attach wait and cleanup that behave as 0.6.0's, written
 * here in words of our own.  See mkbashrun.c.
 */
#include "mkbashrun.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * The quoting of 0.6.0's shell_quote: '' for the empty string; bare when
 * every character is an ASCII letter, digit or one of ._-+=/: (and none
 * is a quote); else in single quotes, each ' closed, escaped and reopened.
 */
static void shell_quote(struct buf *b, const char *s)
{
	static const char safe[] = "._-+=/:";
	bool bare = *s != '\0';

	for (const unsigned char *p = (const unsigned char *)s; *p && bare; p++)
		bare = (*p < 0x80 && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
				      (*p >= 'A' && *p <= 'Z'))) || (*p && strchr(safe, *p));
	if (!*s) {
		buf_str(b, "''");
		return;
	}
	if (bare) {
		buf_str(b, s);
		return;
	}
	buf_str(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_str(b, "'\\''");
		else
			buf_add(b, p, 1);
	}
	buf_str(b, "'");
}


static void sched_launch(struct buf *s, const struct fixture *f, const char *inline_base)
{
	struct buf args = { 0 };

	/* config additions first: the config file, then the inline template */
	if (f->config_file)
		buf_fmt(&args, "--config \"$DIR/include/%s\"", base_of(f->config_file));
	if (f->config_content) {
		const char *t = f->config_template;
		const char *hit;

		if (args.len)
			buf_str(&args, " ");
		while ((hit = strstr(t, "{file}"))) {
			buf_add(&args, t, (size_t)(hit - t));
			buf_fmt(&args, "\"$DIR/include/%s\"", inline_base);
			t = hit + 6;
		}
		buf_str(&args, t);
	}
	/* then the base args, each quoted, one space apart */
	{
		const char *base[2 * MAXLIST + 2];
		int n = 0;

		if (f->cgroup_parent) {
			base[n++] = "--cell-parent-cgroup";
			base[n++] = f->cgroup_parent;
		}
		for (int i = 0; i < f->nsched_args; i++)
			base[n++] = f->sched_args[i];
		for (int i = 0; i < f->nextra_args; i++)
			base[n++] = f->extra_args[i];
		for (int i = 0; i < n; i++) {
			if (args.len)
				buf_str(&args, " ");
			shell_quote(&args, base[i]);
		}
	}
	buf_str(s, "\necho \"ktstr runfile: starting scheduler $KTSTR_SCHED_NAME\"\n");
	buf_fmt(s, "\"$DIR/scheduler\" %s &\n", args.p ? args.p : "");
	buf_str(s,
		"SCHED_PID=$!\n"
		"\n"
		"# attached: state reads enabled, or root/ops names a scheduler; 100 x 0.1 s\n"
		"ATTACHED=\"\"\n"
		"for _ in $(seq 1 100); do\n"
		"    if ! kill -0 \"$SCHED_PID\" 2>/dev/null; then\n"
		"        echo \"error: scheduler $KTSTR_SCHED_NAME exited before it attached\" >&2\n"
		"        wait \"$SCHED_PID\" || true\n"
		"        exit 1\n"
		"    fi\n"
		"    if [ -r /sys/kernel/sched_ext/state ] &&\n"
		"       [ \"$(cat /sys/kernel/sched_ext/state 2>/dev/null || true)\" = enabled ]; then\n"
		"        ATTACHED=1\n"
		"        break\n"
		"    fi\n"
		"    if [ -f /sys/kernel/sched_ext/root/ops ] &&\n"
		"       [ -n \"$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null || true)\" ]; then\n"
		"        ATTACHED=1\n"
		"        break\n"
		"    fi\n"
		"    sleep 0.1\n"
		"done\n"
		"if [ -z \"$ATTACHED\" ]; then\n"
		"    echo \"error: scheduler $KTSTR_SCHED_NAME is running but did not attach in 10 s\" >&2\n"
		"    exit 1\n"
		"fi\n");
	free(args.p);
}

static void var(struct buf *s, const char *name, const char *value)
{
	buf_fmt(s, "%s=", name);
	shell_quote(s, value);
	buf_str(s, "\n");
}

void fixture_script(struct buf *s, const struct fixture *f, const char *inline_base)
{
	buf_str(s,
		"#!/bin/bash\n"
		"# A runfile in the layout of `cargo ktstr export` (ktstr 0.6.0); test fixture.\n"
		"set -euo pipefail\n"
		"\n"
		"# what the test needs, frozen\n");
	var(s, "KTSTR_TEST_NAME", f->name);
	var(s, "KTSTR_SCHED_NAME", f->sched_name);
	var(s, "KTSTR_GIT_HASH", f->git_hash);
	buf_fmt(s, "NEED_LLCS=%lu\nNEED_CORES_PER_LLC=%lu\nNEED_THREADS_PER_CORE=%lu\n"
		"NEED_NUMA_NODES=%lu\nTEST_DURATION_SECS=%lu\nTEST_WATCHDOG_SECS=%lu\n",
		f->llcs, f->cores, f->threads, f->numa, f->duration, f->watchdog);
	buf_str(s,
		"\n"
		"QUIET=0\n"
		"DURATION_OVERRIDE=\"\"\n"
		"WATCHDOG_OVERRIDE=\"\"\n"
		"while [ $# -gt 0 ]; do\n"
		"    case \"$1\" in\n"
		"        --quiet) QUIET=1; shift ;;\n"
		"        --duration) DURATION_OVERRIDE=\"$2\"; shift 2 ;;\n"
		"        --watchdog-timeout) WATCHDOG_OVERRIDE=\"$2\"; shift 2 ;;\n"
		"        --cpus|--topology|--affinity)\n"
		"            echo \"error: $1 is frozen in this runfile\" >&2\n"
		"            exit 1 ;;\n"
		"        -h|--help)\n"
		"            echo \"usage: $0 [--quiet] [--duration SECS] [--watchdog-timeout SECS]\"\n"
		"            exit 0 ;;\n"
		"        *) echo \"error: unknown argument '$1'\" >&2; exit 1 ;;\n"
		"    esac\n"
		"done\n"
		"\n"
		"if [ \"$QUIET\" != 1 ]; then\n"
		"    echo \"ktstr runfile: test=$KTSTR_TEST_NAME scheduler=$KTSTR_SCHED_NAME git=$KTSTR_GIT_HASH\"\n"
		"fi\n"
		"\n"
		"if [ \"$(id -u)\" != 0 ]; then\n"
		"    echo \"error: run this as root (sched_ext and cgroups need CAP_SYS_ADMIN)\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if [ ! -d /sys/kernel/sched_ext ]; then\n"
		"    echo \"error: this kernel has no sched_ext (/sys/kernel/sched_ext)\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if [ ! -d /sys/fs/cgroup ]; then\n"
		"    echo \"error: no /sys/fs/cgroup\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if ! grep -q '^cgroup2 /sys/fs/cgroup ' /proc/mounts; then\n"
		"    echo \"error: /sys/fs/cgroup is not a cgroup2 mount\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if [ -r /sys/kernel/sched_ext/state ]; then\n"
		"    if [ \"$(cat /sys/kernel/sched_ext/state 2>/dev/null || true)\" = enabled ]; then\n"
		"        echo \"error: another sched_ext scheduler is attached\" >&2\n"
		"        exit 1\n"
		"    fi\n"
		"elif [ -f /sys/kernel/sched_ext/root/ops ]; then\n"
		"    if [ -n \"$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null || true)\" ]; then\n"
		"        echo \"error: another sched_ext scheduler is attached\" >&2\n"
		"        exit 1\n"
		"    fi\n"
		"fi\n"
		"\n"
		"# LLCs: distinct sharing lists of the highest cache index of cpu0\n"
		"TOP_INDEX=$(ls -d /sys/devices/system/cpu/cpu0/cache/index* 2>/dev/null | sort -V | tail -n1 || true)\n"
		"HOST_LLCS=0\n"
		"if [ -n \"$TOP_INDEX\" ]; then\n"
		"    HOST_LLCS=$(ls -d /sys/devices/system/cpu/cpu*/cache/\"$(basename \"$TOP_INDEX\")\" 2>/dev/null |\n"
		"        xargs -I{} cat {}/shared_cpu_list 2>/dev/null | sort -u | wc -l)\n"
		"fi\n"
		"HOST_NUMA=$(ls -d /sys/devices/system/node/node* 2>/dev/null | wc -l || echo 0)\n"
		"if [ \"$HOST_NUMA\" -lt 1 ]; then HOST_NUMA=1; fi\n"
		"# cores and threads: core_id values among the cpus of cpu0's LLC\n"
		"CPU0_LLC=\"\"\n"
		"if [ -n \"$TOP_INDEX\" ]; then\n"
		"    CPU0_LLC=$(cat \"$TOP_INDEX/shared_cpu_list\" 2>/dev/null || echo \"\")\n"
		"fi\n"
		"HOST_CORES_PER_LLC=0\n"
		"HOST_THREADS_PER_CORE=0\n"
		"if [ -n \"$CPU0_LLC\" ]; then\n"
		"    CPU_IDS=$(echo \"$CPU0_LLC\" | tr ',' '\\n' | while read -r part; do\n"
		"        if [ -z \"$part\" ]; then continue; fi\n"
		"        case \"$part\" in\n"
		"            *-*) seq \"$(echo \"$part\" | cut -d- -f1)\" \"$(echo \"$part\" | cut -d- -f2)\" ;;\n"
		"            *) echo \"$part\" ;;\n"
		"        esac\n"
		"    done)\n"
		"    HOST_CORES_PER_LLC=$(for id in $CPU_IDS; do\n"
		"        cat \"/sys/devices/system/cpu/cpu$id/topology/core_id\" 2>/dev/null || echo\n"
		"    done | sort -u | wc -l)\n"
		"    CPU0_CORE=$(cat /sys/devices/system/cpu/cpu0/topology/core_id 2>/dev/null || echo)\n"
		"    if [ -n \"$CPU0_CORE\" ]; then\n"
		"        HOST_THREADS_PER_CORE=$(for id in $CPU_IDS; do\n"
		"            core=$(cat \"/sys/devices/system/cpu/cpu$id/topology/core_id\" 2>/dev/null || echo)\n"
		"            if [ \"$core\" = \"$CPU0_CORE\" ]; then echo \"$id\"; fi\n"
		"        done | wc -l)\n"
		"    fi\n"
		"fi\n"
		"if [ \"$HOST_LLCS\" -lt \"$NEED_LLCS\" ]; then\n"
		"    echo \"error: host has $HOST_LLCS LLCs, test needs $NEED_LLCS\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if [ \"$HOST_NUMA\" -lt \"$NEED_NUMA_NODES\" ]; then\n"
		"    echo \"error: host has $HOST_NUMA NUMA nodes, test needs $NEED_NUMA_NODES\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if [ \"$HOST_CORES_PER_LLC\" -gt 0 ] && [ \"$HOST_CORES_PER_LLC\" -lt \"$NEED_CORES_PER_LLC\" ]; then\n"
		"    echo \"error: host has $HOST_CORES_PER_LLC cores per LLC, test needs $NEED_CORES_PER_LLC\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"if [ \"$HOST_THREADS_PER_CORE\" -gt 0 ] && [ \"$HOST_THREADS_PER_CORE\" -lt \"$NEED_THREADS_PER_CORE\" ]; then\n"
		"    echo \"error: host has $HOST_THREADS_PER_CORE threads per core, test needs $NEED_THREADS_PER_CORE\" >&2\n"
		"    exit 1\n"
		"fi\n"
		"\n"
		"DIR=$(mktemp -d -t ktstr-export-XXXXXX)\n"
		"chmod 700 \"$DIR\"\n"
		"# the test's cgroups live here; everything below it goes at exit\n"
		"KTSTR_CGROUP_PARENT=\"/sys/fs/cgroup/ktstr\"\n"
		"SCHED_PID=\"\"\n"
		"cleanup() {\n"
		"    if [ -n \"$SCHED_PID\" ]; then\n"
		"        kill \"$SCHED_PID\" 2>/dev/null || true\n"
		"        wait \"$SCHED_PID\" 2>/dev/null || true\n"
		"    fi\n"
		"    rm -rf \"$DIR\"\n"
		"    if [ -d \"$KTSTR_CGROUP_PARENT\" ]; then\n"
		"        find \"$KTSTR_CGROUP_PARENT\" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null || true\n"
		"        rmdir \"$KTSTR_CGROUP_PARENT\" 2>/dev/null || true\n"
		"    fi\n"
		"}\n"
		"trap cleanup EXIT\n"
		"\n"
		"# the archive: every line after the first __ARCHIVE__ line\n"
		"sed '1,/^__ARCHIVE__$/d' \"$0\" | base64 -d | tar -xzf - -C \"$DIR\"\n"
		"if [ ! -x \"$DIR/ktstr\" ]; then\n"
		"    echo \"error: the archive holds no executable ktstr\" >&2\n"
		"    exit 1\n"
		"fi\n");
	if (f->scheduler)
		sched_launch(s, f, inline_base);
	buf_str(s,
		"\n"
		"# the test runs as a child (not exec), so that the EXIT trap still cleans up\n"
		"RUN_ARGS=(\"run\" \"--ktstr-test-fn\" \"$KTSTR_TEST_NAME\")\n"
		"if [ -n \"$DURATION_OVERRIDE\" ]; then\n"
		"    RUN_ARGS+=(\"--duration\" \"$DURATION_OVERRIDE\")\n"
		"fi\n"
		"if [ -n \"$WATCHDOG_OVERRIDE\" ]; then\n"
		"    RUN_ARGS+=(\"--watchdog-timeout\" \"$WATCHDOG_OVERRIDE\")\n"
		"fi\n"
		"set +e\n"
		"\"$DIR/ktstr\" \"${RUN_ARGS[@]}\"\n"
		"EXIT_CODE=$?\n"
		"set -e\n"
		"exit $EXIT_CODE\n");
}

