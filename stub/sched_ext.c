// SPDX-License-Identifier: GPL-2.0-only
/* sched_ext.c - read sched_ext's sysfs state; wait for attach and detach. */
#include "sched_ext.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"
#include "sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DETACH_POLL_MS 5

int sched_ext_read(struct sched_ext_status *st)
{
	struct stat sb;
	int r;

	memset(st, 0, sizeof(*st));
	if (stat(PATH_SCHED_EXT, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return 0;
	st->present = true;
	r = sysfs_read(AT_FDCWD, PATH_SCHED_EXT_STATE, st->state, sizeof(st->state));
	if (r >= 0)
		st->has_state = true;
	else if (r != -ENOENT)
		return r;
	r = sysfs_read(AT_FDCWD, PATH_SCHED_EXT_ROOT_OPS, st->ops, sizeof(st->ops));
	if (r < 0 && r != -ENOENT)
		return r;
	error_clear();
	return 0;
}

bool sched_ext_busy(const struct sched_ext_status *st)
{
	if (st->has_state)
		return strcmp(st->state, "disabled") != 0;
	return st->ops[0] != '\0';
}

/* Re-read an open attribute from offset 0; "" on any error. */
static void reread(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	if (n < 0)
		n = 0;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

static void attach_watch_open(struct attach_watch *w)
{
	w->fd = open(PATH_SCHED_EXT_STATE, O_RDONLY | O_CLOEXEC);
	w->by_state = w->fd >= 0;
	if (w->fd < 0)
		w->fd = open(PATH_SCHED_EXT_ROOT_OPS, O_RDONLY | O_CLOEXEC);
}

void attach_watch_start(struct attach_watch *w, unsigned timeout_ms)
{
	w->timeout_ms = timeout_ms;
	w->deadline_ms = monotonic_ms() + timeout_ms;
	attach_watch_open(w);
}

void attach_watch_release(struct attach_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

int attach_watch_check(struct attach_watch *w, struct child *sched)
{
	char buf[128];

	/* on kernels without a state file, root/ops appears on registration */
	if (w->fd < 0)
		attach_watch_open(w);
	if (w->fd >= 0) {
		reread(w->fd, buf, sizeof(buf));
		if (w->by_state ? strcmp(buf, "enabled") == 0 : buf[0] != '\0')
			return 1;
	}
	if (child_reap(sched)) {
		char how[64];

		return error_set(-ECHILD, "the scheduler exited before attaching (it %s)",
				 child_describe_status(sched->status, how, sizeof(how)));
	}
	if (monotonic_ms() >= w->deadline_ms) {
		struct sched_ext_status st;

		sched_ext_read(&st);
		error_set(-ETIMEDOUT, "the scheduler did not attach within %u s (state=%s, ops=%s; "
			  "it is still running)", w->timeout_ms / 1000,
			  st.has_state ? st.state : "n/a", st.ops[0] ? st.ops : "none");
		error_hint("check the kernel log (dmesg) for BPF verifier or load errors, or allow "
			   "more time with --attach-timeout SECS");
		return -ETIMEDOUT;
	}
	return 0;
}

int sched_ext_wait_detached(unsigned timeout_ms)
{
	int64_t deadline = monotonic_ms() + timeout_ms;
	struct sched_ext_status st;

	for (;;) {
		if (sched_ext_read(&st) < 0 || !sched_ext_busy(&st))
			return 0;
		if (monotonic_ms() >= deadline)
			return error_set(-ETIMEDOUT, "sched_ext still reports state=%s ops=%s %u ms "
					 "after the scheduler exited", st.has_state ? st.state : "n/a",
					 st.ops[0] ? st.ops : "none", timeout_ms);
		usleep(DETACH_POLL_MS * 1000);
	}
}
