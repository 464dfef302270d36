// SPDX-License-Identifier: GPL-2.0-only
/* child.c - start, reap and signal the stub's children. */
#include "child.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs in the child; only async-signal-safe calls until exec. */
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

int child_start(struct child *c, const sigset_t *run_mask)
{
	int pipefd[2], err = 0;
	pid_t parent = getpid(), pid;
	ssize_t n;

	c->pid = 0;
	c->reaped = false;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_set_errno(-errno, "cannot start the %s: pipe", c->name);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return error_set_errno(-err, "cannot start the %s: fork", c->name);
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_exec(c, run_mask, parent, pipefd[1]);
	}
	close(pipefd[1]);
	/* Also set the group from here: whichever runs first, signals sent
	 * to -pid right after we return reach the child. */
	setpgid(pid, pid);
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
