// SPDX-License-Identifier: GPL-2.0-only
/* supervise.c - signals through a signalfd; waits with timeouts. */
#include "supervise.h"
#include "error.h"
#include "macros.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

int64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t monotonic_ms(void)
{
	return monotonic_ns() / 1000000;
}

int supervisor_init(struct supervisor *sv)
{
	static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t mask;

	memset(sv, 0, sizeof(*sv));
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++) {
		struct sigaction sa;

		/*
		 * A signal ignored by whoever started us (nohup's SIGHUP, a
		 * script's background job's SIGINT) stays ignored, for us and,
		 * through exec, for the children, as a shell does with such a
		 * signal: blocking it for the signalfd would catch it again.
		 */
		if (sigaction(stop_signals[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			continue;
		sigaddset(&mask, stop_signals[i]);
	}
	if (sigprocmask(SIG_BLOCK, &mask, &sv->run_mask) < 0)
		return error_set_errno(-errno, "cannot block signals");
	/* children start with the default mask, not ours */
	sigdelset(&sv->run_mask, SIGCHLD);
	sigdelset(&sv->run_mask, SIGINT);
	sigdelset(&sv->run_mask, SIGTERM);
	sigdelset(&sv->run_mask, SIGHUP);
	sv->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sv->sigfd < 0)
		return error_set_errno(-errno, "cannot create a signalfd");
	return 0;
}

void supervisor_release(struct supervisor *sv)
{
	if (sv->sigfd >= 0)
		close(sv->sigfd);
	sv->sigfd = -1;
}

void supervisor_watch(struct supervisor *sv, struct child *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(sv->children); i++)
		if (!sv->children[i] || sv->children[i] == c) {
			sv->children[i] = c;
			return;
		}
}

static void reap_all(struct supervisor *sv)
{
	for (size_t i = 0; i < ARRAY_SIZE(sv->children); i++)
		if (sv->children[i])
			child_reap(sv->children[i]);
}

void supervisor_poll(struct supervisor *sv, int fd, int timeout_ms)
{
	supervisor_poll_us(sv, fd, (int64_t)timeout_ms * 1000);
}

void supervisor_poll_us(struct supervisor *sv, int fd, int64_t timeout_us)
{
	struct pollfd pfd[2] = { { .fd = sv->sigfd, .events = POLLIN },
				 { .fd = fd, .events = POLLIN } };
	struct timespec ts = { .tv_sec = timeout_us / 1000000,
			       .tv_nsec = (long)(timeout_us % 1000000) * 1000 };
	struct signalfd_siginfo si;

	if (timeout_us > 0 && ppoll(pfd, fd >= 0 ? 2 : 1, &ts, NULL) <= 0) {
		reap_all(sv);   /* a SIGCHLD may have been merged with an earlier one */
		return;
	}
	while (read(sv->sigfd, &si, sizeof(si)) == sizeof(si)) {
		int sig = (int)si.ssi_signo;

		if (sig != SIGCHLD && !sv->stop_signal)
			sv->stop_signal = sig;
	}
	reap_all(sv);
}

bool supervisor_wait_child(struct supervisor *sv, struct child *c, int timeout_ms)
{
	int64_t deadline = monotonic_ms() + timeout_ms;

	while (!child_reap(c)) {
		int64_t left = deadline - monotonic_ms();

		if (left <= 0)
			return false;
		supervisor_poll(sv, -1, left > 100 ? 100 : (int)left);
	}
	return true;
}

void supervisor_stop_child(struct supervisor *sv, struct child *c, int sig, int grace_ms)
{
	if (!child_running(c))
		return;
	child_signal_group(c, sig);
	if (supervisor_wait_child(sv, c, grace_ms))
		return;
	child_signal_group(c, SIGKILL);
	supervisor_wait_child(sv, c, 10000);
}
