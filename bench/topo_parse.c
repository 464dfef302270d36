// SPDX-License-Identifier: GPL-2.0-only
/*
 * topo_parse.c - bench-topo: the cost of the stub's topology parse
 * (common/topology.c, the same code the stub links) on a sysfs tree.
 *
 *   bench-topo ROOT [ITERATIONS]
 *
 * Prints "cpus=N llcs=L cores=C median_us=M min_us=m" over ITERATIONS
 * (default 50) calls of topology_read(ROOT); the first call warms the
 * dentry cache and is not counted, as the bench compares warm runs.
 */
#include "error.h"
#include "topology.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct topology t;
	int iters = argc > 2 ? atoi(argv[2]) : 50;
	int64_t *ns;

	if (argc < 2 || iters < 1) {
		fprintf(stderr, "usage: bench-topo ROOT [ITERATIONS]\n");
		return 2;
	}
	ns = calloc((size_t)iters, sizeof(*ns));
	if (!ns || topology_read(argv[1], &t) < 0) {
		fprintf(stderr, "bench-topo: %s\n", error_message());
		return 1;
	}
	printf("cpus=%u llcs=%u cores=%u ", cpuset_count(&t.online), t.nllcs, t.ncores);
	topology_release(&t);
	for (int i = 0; i < iters; i++) {
		int64_t t0 = now_ns();

		if (topology_read(argv[1], &t) < 0) {
			fprintf(stderr, "bench-topo: %s\n", error_message());
			return 1;
		}
		ns[i] = now_ns() - t0;
		topology_release(&t);
	}
	qsort(ns, (size_t)iters, sizeof(*ns), cmp64);
	printf("median_us=%.1f min_us=%.1f\n", ns[iters / 2] / 1e3, ns[0] / 1e3);
	free(ns);
	return 0;
}
