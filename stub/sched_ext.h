/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_ext.h - the kernel's sched_ext state, as sysfs shows it.
 *
 * Kernels since 6.12 have /sys/kernel/sched_ext/state; it reads "enabled"
 * only once a scheduler is fully attached.  root/ops names the attached
 * scheduler, but a real kernel already shows it while state is still
 * "enabling", so root/ops alone proves attachment only on kernels that have
 * no state file.
 */
#ifndef KTSTR_SCHED_EXT_H
#define KTSTR_SCHED_EXT_H

#include <stdbool.h>
#include <stdint.h>

#include "child.h"
#include "supervise.h"

struct sched_ext_status {
	bool present;        /* /sys/kernel/sched_ext exists */
	bool has_state;      /* the state file exists */
	char state[32];      /* "disabled", "enabling", "enabled", ... ("" without) */
	char ops[128];       /* root/ops, "" when none */
};

/** sched_ext_read() - read presence, state and root/ops. */
int sched_ext_read(struct sched_ext_status *st);

/** sched_ext_busy() - a scheduler is attached or attaching. */
bool sched_ext_busy(const struct sched_ext_status *st);

/*
 * Attach detection: state = "enabled" where the kernel has a state file; a
 * non-empty root/ops only where it has none.  The attribute is kept open and
 * re-read, so a check costs one pread.
 */
struct attach_watch {
	int fd;
	bool by_state;
	int64_t deadline_ms;
	unsigned timeout_ms;
};

/*
 * How often the attach is checked.  Each check is one pread of the open
 * attribute and a waitpid(), a few microseconds: at 250 us the test starts
 * on average 125 us after the kernel reports the scheduler attached, where
 * 1 ms cost 500 us (bench/: attach detection p95 <= 2 ms, with the test's
 * own exec and libc start-up in it).
 */
#define ATTACH_POLL_US 250

void attach_watch_start(struct attach_watch *w, unsigned timeout_ms);
void attach_watch_release(struct attach_watch *w);

/**
 * attach_watch_check() - one look at the kernel and at the scheduler.
 * Return: 1 when attached, 0 not yet; -ECHILD when the scheduler exited
 * first, -ETIMEDOUT when the time is up, with a message saying which.
 */
int attach_watch_check(struct attach_watch *w, struct child *sched);

/**
 * sched_ext_wait_detached() - after the scheduler exited, wait until the
 * kernel no longer reports it attached.  Return: 0 or -ETIMEDOUT.
 */
int sched_ext_wait_detached(unsigned timeout_ms);

#endif
