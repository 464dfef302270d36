// SPDX-License-Identifier: GPL-2.0-only
/*
 * extract_rss.c - bench-extract: the stub's extraction (stub/extract.c,
 * the same code, linked like the stub) of one runfile's payload with a
 * chosen number of inflate workers, and the peak RSS it took.
 *
 *   bench-extract RUNFILE THREADS DIR
 *
 * The stub itself takes its worker count from its CPU affinity mask (at
 * most 8, stub/run.c extract_threads()) and has no way to ask for more;
 * this program passes THREADS to extract_run() directly, so the memory of
 * an 8-worker extraction can be measured on a machine with fewer CPUs.
 * DIR must exist and be empty.  One line:
 *   threads=N workers=W slots=S slot_bytes=B wall_ms=T vmhwm_kb=K
 * where W and S are the ring extract_start() sizes for THREADS (see
 * extract_ring_size()) and K is VmHWM from /proc/self/status after the
 * extraction: the whole process's peak resident set.
 */
#include "error.h"
#include "extract.h"
#include "runfile.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long vmhwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	struct extract_ring ring;
	struct runfile rf;
	struct timespec t0, t1;
	unsigned threads;
	int dirfd, r;

	if (argc != 4 || sscanf(argv[2], "%u", &threads) != 1 || !threads) {
		fprintf(stderr, "usage: bench-extract RUNFILE THREADS DIR\n");
		return 2;
	}
	if (runfile_open(argv[1], &rf) < 0) {
		fprintf(stderr, "bench-extract: %s\n", error_message());
		return 1;
	}
	dirfd = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		perror(argv[3]);
		return 1;
	}
	extract_ring_size(&rf.spec, threads, &ring);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = extract_run(&rf, dirfd, threads);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (r < 0) {
		fprintf(stderr, "bench-extract: %s\n", error_message());
		return 1;
	}
	printf("threads=%u workers=%u slots=%zu slot_bytes=%llu wall_ms=%.1f vmhwm_kb=%ld\n",
	       threads, ring.nworkers, ring.nslots, (unsigned long long)ring.slot_bytes,
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	       vmhwm_kb());
	close(dirfd);
	runfile_close(&rf);
	return 0;
}
