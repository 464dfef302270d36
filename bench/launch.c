// SPDX-License-Identifier: GPL-2.0-only
/*
 * launch.c - bench-launch: run a program and report when it was exec'd,
 * how it ended and its peak RSS, for the benchmarks (bench/run.sh).
 *
 *   bench-launch [--out FILE] [--err FILE] [--in FILE] -- PROG [ARGS...]
 *
 * The child takes CLOCK_MONOTONIC as the very last thing before execv()
 * and stores it in a shared anonymous page, so no syscall sits between the
 * stamp and the exec.  Redirections happen before the stamp.  After the
 * child ends, one line goes to stdout:
 *   exec_ns=N status=S maxrss_kb=K wall_ns=W
 * where S is the exit code (128+N for a signal death), K is the peak RSS
 * of the child (ru_maxrss of wait4()) and W is exec -> reaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void redirect(const char *path, int target, int flags)
{
	int fd;

	if (!path)
		return;
	fd = open(path, flags, 0644);
	if (fd < 0 || dup2(fd, target) < 0) {
		fprintf(stderr, "bench-launch: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "err", required_argument, NULL, 'e' },
		{ "in", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *err = NULL, *in = NULL;
	volatile int64_t *stamp;
	struct rusage ru;
	int c, status, code;
	int64_t reaped;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'e': err = optarg; break;
		case 'i': in = optarg; break;
		default:
			fprintf(stderr, "usage: bench-launch [--out F] [--err F] [--in F] -- PROG [ARGS]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bench-launch: no program\n");
		return 2;
	}
	stamp = mmap(NULL, sizeof(*stamp), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (stamp == MAP_FAILED) {
		perror("bench-launch: mmap");
		return 1;
	}
	*stamp = 0;
	pid = fork();
	if (pid < 0) {
		perror("bench-launch: fork");
		return 1;
	}
	if (pid == 0) {
		redirect(in, STDIN_FILENO, O_RDONLY);
		redirect(out, STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
		redirect(err, STDERR_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
		*stamp = now_ns();
		execv(argv[optind], argv + optind);
		fprintf(stderr, "bench-launch: cannot run %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("bench-launch: wait4");
			return 1;
		}
	}
	reaped = now_ns();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("exec_ns=%lld status=%d maxrss_kb=%ld wall_ns=%lld\n", (long long)*stamp, code,
	       ru.ru_maxrss, (long long)(reaped - *stamp));
	return 0;
}
