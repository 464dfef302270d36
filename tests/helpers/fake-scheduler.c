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
 *   ignore_term=1       keep running after SIGTERM (the stub must SIGKILL);
 *                       writes sched.term when the SIGTERM arrives
 *   cell_cgroup=NAME    once attached, create the cgroup NAME (may hold '/')
 *                       under /sys/fs/cgroup<P>, P from --cell-parent-cgroup P
 *                       in its argv, as a cell scheduler does
 *   cell_task=1         and leave a task in it (its own session: only a
 *                       cgroup kill reaches it)
 *   record_files=1      copy every file its argv names inside the extraction
 *                       directory (also inside a larger word, e.g.
 *                       --cfg=DIR/include/x) to sched.file.<argv index>
 * Files written: sched.argv, sched.pid, sched.stamp (CLOCK_MONOTONIC ns of
 * the write that made it attached), sched.exit ("term" on a clean stop by
 * SIGTERM/SIGINT, attached or not yet).
 */
#include "helper.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>

static volatile sig_atomic_t stop;
static char term_path[512];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_term_ignored(int sig)
{
	int fd = open(term_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	(void)sig;
	if (fd >= 0)
		close(fd);
}

/* A clean stop: say so in sched.exit. */
static int stopped(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sched.exit", dir);
	write_str(path, "term");
	return 0;
}

/* record_files: argv elements that name a file in our own directory */
static void record_files(const char *dir, int argc, char **argv)
{
	char own[512], path[600], buf[65536];
	const char *slash = strrchr(argv[0], '/');

	if (!slash || (size_t)(slash - argv[0]) >= sizeof(own) - 1)
		return;
	snprintf(own, sizeof(own), "%.*s/", (int)(slash - argv[0]), argv[0]);
	for (int i = 1; i < argc; i++) {
		const char *p = strstr(argv[i], own);
		int in, out;
		ssize_t n;

		if (!p || (in = open(p, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/sched.file.%d", dir, i);
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				break;
		close(in);
		if (out >= 0)
			close(out);
	}
}

/* cell_cgroup: mkdir -p /sys/fs/cgroup<parent>/<name>; maybe a task in it */
static void make_cell(const struct conf *c, int argc, char **argv)
{
	const char *name = conf_str(c, "cell_cgroup", NULL), *parent = NULL;
	char path[1024], procs[1100];

	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--cell-parent-cgroup"))
			parent = argv[i + 1];
	if (!name || !parent)
		return;
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/%s", parent, name);
	for (char *p = path + strlen("/sys/fs/cgroup/"); *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fprintf(stderr, "fake-scheduler: mkdir %s: %s\n", path, strerror(errno));
	if (!conf_long(c, "cell_task", 0) || fork() != 0)
		return;
	setsid();
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	if (write_str(procs, "0") < 0)
		_exit(1);
	for (;;)
		pause();
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

	snprintf(term_path, sizeof(term_path), "%s/sched.term", dir);
	signal(SIGTERM, conf_long(&c, "ignore_term", 0) ? on_term_ignored : on_signal);
	if (conf_long(&c, "record_files", 0))
		record_files(dir, argc, argv);
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
		return stopped(dir);
	}

	msleep(conf_long(&c, "attach_delay_ms", 50));
	if (stop)
		return stopped(dir);
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
	make_cell(&c, argc, argv);

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
	return stopped(dir);
}
