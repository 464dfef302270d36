/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * child.h - the stub's child processes (scheduler, test), after git's
 * run-command API: one struct per child, started with an absolute argv[0]
 * (no PATH lookup, no shell), in its own process group, killed by the
 * kernel if the stub dies (PR_SET_PDEATHSIG).
 */
#ifndef KTSTR_CHILD_H
#define KTSTR_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct child {
	const char *name;       /* "scheduler" or "test", for messages */
	char **argv;            /* NULL-terminated; argv[0] absolute */
	pid_t pid;              /* > 0 once started */
	bool reaped;
	int status;             /* wait status, valid once reaped */
};

/**
 * child_start() - start @c->argv (clone with CLONE_VM | CLONE_VFORK, then exec).
 * @c: the child; pid is set on success
 * @run_mask: the signal mask the child runs with (the stub's own mask
 *   blocks the signals it handles through a signalfd)
 *
 * The child gets stdin from /dev/null, keeps stdout/stderr, gets SIGKILL
 * when the stub dies, and leads a new process group so that signals can be
 * sent to everything it started.  An exec failure is reported here, not as
 * an exit status.  Return: 0 or a negative errno with a message.
 */
int child_start(struct child *c, const sigset_t *run_mask);

/** child_reap() - collect @c if it has exited; true when reaped. */
bool child_reap(struct child *c);

/** child_signal_group() - send @sig to the child's process group. */
void child_signal_group(const struct child *c, int sig);

/** child_running() - started and not yet reaped. */
static inline bool child_running(const struct child *c)
{
	return c->pid > 0 && !c->reaped;
}

/** child_describe_status() - "exited with status 3" / "was killed by SIGTERM". */
const char *child_describe_status(int status, char *buf, size_t size);

/** child_exit_code() - the shell convention: status, or 128+N for signal N. */
int child_exit_code(int status);

#endif
