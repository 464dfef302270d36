// SPDX-License-Identifier: GPL-2.0-only
/*
 * fake-scheduler.c - stands in for a sched_ext scheduler in the hermetic
 * tests: it flips the synthetic /sys/kernel/sched_ext files the way the
 * kernel does when a real scheduler attaches and detaches.
 *
 * Its behaviour comes from HELPER_DIR/sched.conf (key=value), never from
 * its argv: the argv is what the tests check, byte for byte, so it is only
 * recorded (HELPER_DIR/sched.argv, NUL-separated).
 *   mode=attach|exit-early|never-attach|crash   (default attach)
 *   attach_delay_ms=N   before root/ops is set and state reads "enabling"
 *   enabling_ms=N       then "enabling" lasts this long (as on real kernels)
 *   exit_code=N         for exit-early and crash
 *   crash_after_ms=N    crash: exit this long after attaching
 *   ops=NAME            what root/ops shows (default fake)
 *   ignore_term=1       keep running after SIGTERM (the stub must SIGKILL)
 * Files written: sched.argv, sched.pid, sched.stamp (CLOCK_MONOTONIC ns of
 * the write that made it attached), sched.exit ("term" on a clean stop).
 */
#include "helper.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !stop)
		;
}

int main(int argc, char **argv)
{
	const char *dir = HELPER_DIR_DEFAULT;
	char path[512], buf[64], state[512], ops[512];
	struct conf c;
	struct stat st;
	const char *mode;
	bool has_state;
	long long stamp;

	snprintf(path, sizeof(path), "%s/sched.conf", dir);
	conf_load(&c, path);
	snprintf(path, sizeof(path), "%s/sched.argv", dir);
	write_argv(path, argc, argv);
	snprintf(path, sizeof(path), "%s/sched.pid", dir);
	snprintf(buf, sizeof(buf), "%ld", (long)getpid());
	write_str(path, buf);

	signal(SIGTERM, conf_long(&c, "ignore_term", 0) ? SIG_IGN : on_signal);
	signal(SIGINT, on_signal);
	mode = conf_str(&c, "mode", "attach");
	if (!strcmp(mode, "exit-early")) {
		msleep(conf_long(&c, "attach_delay_ms", 20));
		fprintf(stderr, "fake-scheduler: failing on purpose before attaching\n");
		return (int)conf_long(&c, "exit_code", 3);
	}
	snprintf(state, sizeof(state), "%s/state", SCHED_EXT_DIR);
	snprintf(ops, sizeof(ops), "%s/root/ops", SCHED_EXT_DIR);
	has_state = stat(state, &st) == 0;
	if (!strcmp(mode, "never-attach")) {
		while (!stop)
			pause();
		return 0;
	}

	msleep(conf_long(&c, "attach_delay_ms", 50));
	if (stop)
		return 0;
	write_str(ops, conf_str(&c, "ops", "fake"));
	stamp = now_ns();
	if (has_state) {
		write_str(state, "enabling");
		msleep(conf_long(&c, "enabling_ms", 20));
		write_str(state, "enabled");
		stamp = now_ns();
	}
	snprintf(path, sizeof(path), "%s/sched.stamp", dir);
	snprintf(buf, sizeof(buf), "%lld", stamp);
	write_str(path, buf);

	if (!strcmp(mode, "crash")) {
		msleep(conf_long(&c, "crash_after_ms", 100));
		if (has_state)
			write_str(state, "disabled");
		write_str(ops, "");
		return (int)conf_long(&c, "exit_code", 3);
	}
	while (!stop)
		pause();
	if (has_state)
		write_str(state, "disabled");
	write_str(ops, "");
	snprintf(path, sizeof(path), "%s/sched.exit", dir);
	write_str(path, "term");
	return 0;
}
