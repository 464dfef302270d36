// SPDX-License-Identifier: GPL-2.0-only
/* child.c - start, reap and signal the stub's children. */
#include "child.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs in the child, in the parent's memory (see child_start()): only
 * system calls until exec, nothing that allocates or takes a lock. */
static void __attribute__((noreturn)) child_exec(const struct child *c, const sigset_t *run_mask,
						 pid_t parent, int errfd)
{
	int err, fd;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		goto fail;   /* the stub is already gone */
	if (setpgid(0, 0) < 0)
		goto fail;
	fd = open(PATH_DEV_NULL, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		goto fail;
	sigprocmask(SIG_SETMASK, run_mask, NULL);
	execve(c->argv[0], c->argv, environ);
fail:
	err = errno;
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

struct child_args {
	const struct child *c;
	const sigset_t *run_mask;
	pid_t parent;
	int errfd;
};

static int child_main(void *arg)
{
	const struct child_args *a = arg;

	child_exec(a->c, a->run_mask, a->parent, a->errfd);
}

int child_start(struct child *c, const sigset_t *run_mask)
{
	/* the child's stack until it execs; children start one at a time,
	 * from the main thread */
	static uint8_t stack[64 * 1024] __attribute__((aligned(16)));
	struct child_args args = { .c = c, .run_mask = run_mask, .parent = getpid() };
	int pipefd[2], err = 0;
	pid_t pid;
	ssize_t n;

	c->pid = 0;
	c->reaped = false;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_set_errno(-errno, "cannot start the %s: pipe", c->name);
	args.errfd = pipefd[1];
	/*
	 * As posix_spawn does: the child shares our memory until it execs
	 * and we sleep until then (CLONE_VFORK), so no page table is copied.
	 * A fork() of the stub after extraction costs ~0.2 ms more, on the
	 * way to the test and to the scheduler (bench/).  The child only
	 * makes system calls before execve (child_exec()); by the time we
	 * run again it has set its process group, so signals sent to -pid
	 * right after we return reach it.
	 */
	pid = clone(child_main, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
	if (pid < 0) {
		err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return error_set_errno(-err, "cannot start the %s: clone", c->name);
	}
	close(pipefd[1]);
	c->pid = pid;
	do
		n = read(pipefd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == sizeof(err)) {
		int st;

		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		c->pid = 0;
		return error_set(-err, "cannot execute the %s %s: %s", c->name, c->argv[0],
				 strerror(err));
	}
	return 0;
}

bool child_reap(struct child *c)
{
	int st;
	pid_t r;

	if (c->pid <= 0 || c->reaped)
		return c->reaped;
	do
		r = waitpid(c->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == c->pid) {
		c->reaped = true;
		c->status = st;
	}
	return c->reaped;
}

void child_signal_group(const struct child *c, int sig)
{
	if (c->pid <= 0)
		return;
	/* the group outlives its leader: signal it even after the reap */
	if (kill(-c->pid, sig) < 0 && !c->reaped)
		kill(c->pid, sig);
}

const char *child_describe_status(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by SIG%s", sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(buf, size, "ended with wait status %#x", status);
	return buf;
}

int child_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}
