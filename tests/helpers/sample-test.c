// SPDX-License-Identifier: GPL-2.0-only
/*
 * sample-test.c - a small scheduler test that follows the ktstr runner
 * contract: `ktstr run --ktstr-test-fn NAME [--duration S]
 * [--watchdog-timeout S]`.  It is what the hermetic and real-kernel tests
 * pack as the runner.
 *
 * It creates two cgroups under /sys/fs/cgroup/ktstr, runs busy workers in
 * them for the duration, checks that every worker got CPU time and that
 * sched_ext stayed attached (with the expected ops) the whole time when a
 * scheduler is expected, or was never attached under EEVDF, removes its
 * cgroups and exits 0 (1 when a check failed, 2 on bad usage).
 *
 * Knobs come from include/sample-test.conf next to the binary (packed with
 * the runfile, so the behaviour is frozen with it):
 *   expect_sched=NAME|none   root/ops while the test runs (default none)
 *   workers=N                busy workers (default 4)
 *   duration_ms=N            when no --duration is given (default 300)
 *   record_dir=DIR           where to write records (default /run/ktstr-test)
 *   exit_code=N              exit with N instead of the verdict
 *   kill_self=N              end by raising signal N
 *   hang=1                   ignore SIGTERM and never finish
 *   exit_on_term=N           on SIGTERM, exit with N (a test that handles it)
 *   leave_task=1             leave a busy task in ktstr/leak, keep the cgroups
 * Records in record_dir: test.argv (NUL-separated), test.stamp
 * (CLOCK_MONOTONIC ns at start), test.result (key=value lines).
 */
#include "helper.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define CGROOT "/sys/fs/cgroup/ktstr"
#define MAX_WORKERS 256

static char record_dir[256];
static int term_exit_code;

static void on_term(int sig)
{
	(void)sig;
	_exit(term_exit_code);
}

static void record(const char *name, const char *text)
{
	char path[512];
	struct stat st;

	if (stat(record_dir, &st) < 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", record_dir, name);
	write_str(path, text);
}

static void __attribute__((noreturn)) usage_error(const char *why)
{
	fprintf(stderr, "sample-test: %s\n", why);
	record("test.result", "usage_error=1\n");
	exit(2);
}

static bool parse_secs(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return *s && !*end && *out > 0;
}

/* Busy worker: joins @cg, spins until killed. */
static pid_t start_worker(const char *cg)
{
	pid_t pid = fork();
	char path[256];

	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	if (write_str(path, "0") < 0)
		_exit(10);
	for (volatile unsigned long x = 0;; x++)
		;
}

/*
 * CPU time a worker got, in ns: schedstat's run time counts every
 * nanosecond on a CPU, where stat's utime/stime count 10 ms ticks (a worker
 * of a loaded host can run for a few ms yet show 0 ticks).  -1: unknown.
 */
static long long cpu_ns(pid_t pid)
{
	char path[64], buf[1024], *p;
	long utime = 0, stime = 0;
	long long run_ns;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", (long)pid);
	if (read_str(path, buf, sizeof(buf)) == 0 && sscanf(buf, "%lld", &run_ns) == 1)
		return run_ns;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (read_str(path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return -1;
	/* fields after "pid (comm)": state ppid ... utime(14) stime(15) */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &utime,
		   &stime) != 2)
		return -1;
	return (utime + stime) * (1000000000LL / sysconf(_SC_CLK_TCK));
}

static void sched_ext_now(char *state, size_t ssize, char *ops, size_t osize, bool *has_state)
{
	*has_state = read_str(SCHED_EXT_DIR "/state", state, ssize) == 0;
	if (!*has_state)
		state[0] = '\0';
	if (read_str(SCHED_EXT_DIR "/root/ops", ops, osize) < 0)
		ops[0] = '\0';
}

/* Is sched_ext as @expect says: enabled with ops @expect, or off ("none")? */
static bool sample_ok(const char *expect, const char *state, const char *ops, bool has_state)
{
	if (strcmp(expect, "none"))
		return !(has_state && strcmp(state, "enabled")) && !strcmp(ops, expect);
	return !(has_state && strcmp(state, "disabled")) && !ops[0];
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], conf_path[PATH_MAX + 64], buf[4096], state[64], ops[128];
	char first_state[64];
	const char *expect, *test_fn = NULL;
	long duration_ms, secs, nworkers;
	pid_t workers[MAX_WORKERS];
	bool sched_ok = true, workers_ok = true, has_state;
	long samples = 0, bad_samples = 0;
	struct conf c;
	long long t0 = now_ns(), end;
	ssize_t n;
	int len;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	if (strrchr(self, '/'))
		*strrchr(self, '/') = '\0';
	snprintf(conf_path, sizeof(conf_path), "%s/include/sample-test.conf", self);
	conf_load(&c, conf_path);
	snprintf(record_dir, sizeof(record_dir), "%s", conf_str(&c, "record_dir", HELPER_DIR_DEFAULT));
	snprintf(buf, sizeof(buf), "%lld", t0);
	record("test.stamp", buf);
	{
		char path[512];
		struct stat st;

		snprintf(path, sizeof(path), "%s/test.argv", record_dir);
		if (stat(record_dir, &st) == 0)
			write_argv(path, argc, argv);
	}

	/* the contract: run --ktstr-test-fn NAME [--duration S] [--watchdog-timeout S] */
	duration_ms = conf_long(&c, "duration_ms", 300);
	if (argc < 4 || strcmp(argv[1], "run") || strcmp(argv[2], "--ktstr-test-fn"))
		usage_error("usage: run --ktstr-test-fn NAME [--duration S] [--watchdog-timeout S]");
	test_fn = argv[3];
	for (int i = 4; i < argc; i += 2) {
		if (i + 1 >= argc || !parse_secs(argv[i + 1], &secs))
			usage_error("option without a positive number of seconds");
		if (!strcmp(argv[i], "--duration"))
			duration_ms = secs * 1000;
		else if (strcmp(argv[i], "--watchdog-timeout"))
			usage_error("unknown option");
	}
	if (conf_str(&c, "exit_on_term", NULL)) {
		term_exit_code = (int)conf_long(&c, "exit_on_term", 0);
		signal(SIGTERM, on_term);
	}
	if (conf_long(&c, "hang", 0)) {
		signal(SIGTERM, SIG_IGN);
		for (;;)
			pause();
	}

	expect = conf_str(&c, "expect_sched", "none");
	/* First sample at once: on a real kernel root/ops is already set while
	 * state is still "enabling" (10-50 ms under qemu); the loop below only
	 * starts after the cgroups and workers, too late to see that window. */
	sched_ext_now(state, sizeof(state), ops, sizeof(ops), &has_state);
	snprintf(first_state, sizeof(first_state), "%s", has_state ? state : "n/a");
	samples++;
	bad_samples += !sample_ok(expect, state, ops, has_state);
	nworkers = conf_long(&c, "workers", 4);
	if (nworkers < 1 || nworkers > MAX_WORKERS)
		nworkers = 4;
	if ((mkdir(CGROOT, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(CGROOT "/a", 0755) < 0 && errno != EEXIST) ||
	    (mkdir(CGROOT "/b", 0755) < 0 && errno != EEXIST)) {
		fprintf(stderr, "sample-test: cannot create cgroups under %s: %s\n", CGROOT,
			strerror(errno));
		return 1;
	}
	for (long i = 0; i < nworkers; i++)
		workers[i] = start_worker(i % 2 ? CGROOT "/b" : CGROOT "/a");

	end = t0 + duration_ms * 1000000LL;
	do {
		struct timespec ts = { 0, 20 * 1000000L };

		sched_ext_now(state, sizeof(state), ops, sizeof(ops), &has_state);
		samples++;
		bad_samples += !sample_ok(expect, state, ops, has_state);
		nanosleep(&ts, NULL);
	} while (now_ns() < end);
	sched_ok = bad_samples == 0;

	for (long i = 0; i < nworkers; i++) {
		long long ns = cpu_ns(workers[i]);

		if (ns <= 0) {
			workers_ok = false;
			fprintf(stderr, "sample-test: worker %ld got no CPU time\n", i);
		}
		kill(workers[i], SIGKILL);
		waitpid(workers[i], NULL, 0);
	}
	if (conf_long(&c, "leave_task", 0)) {
		mkdir(CGROOT "/leak", 0755);
		if (fork() == 0) {
			setsid();
			start_worker(CGROOT "/leak");
			_exit(0);
		}
		wait(NULL);
		usleep(50000);   /* let the leaked worker join its cgroup */
	} else {
		rmdir(CGROOT "/a");
		rmdir(CGROOT "/b");
		rmdir(CGROOT);
	}
	len = snprintf(buf, sizeof(buf),
		       "test_fn=%s\nexpect_sched=%s\nsched_ok=%d\nsamples=%ld\nbad_samples=%ld\n"
		       "workers=%ld\nworkers_ok=%d\nfirst_state=%s\nlast_state=%s\nlast_ops=%s\n"
		       "duration_ms=%lld\n",
		       test_fn, expect, sched_ok, samples, bad_samples, nworkers, workers_ok, first_state,
		       has_state ? state : "n/a", ops, (now_ns() - t0) / 1000000);
	(void)len;
	record("test.result", buf);
	fprintf(stderr, "sample-test: %s: sched_ok=%d (%ld/%ld samples bad) workers_ok=%d\n",
		test_fn, sched_ok, bad_samples, samples, workers_ok);
	if (conf_long(&c, "kill_self", 0)) {
		signal((int)conf_long(&c, "kill_self", 0), SIG_DFL);
		raise((int)conf_long(&c, "kill_self", 0));
	}
	if (conf_str(&c, "exit_code", NULL))
		return (int)conf_long(&c, "exit_code", 0);
	return sched_ok && workers_ok ? 0 : 1;
}
