// SPDX-License-Identifier: GPL-2.0-only
/*
 * exec-stamp.c - write CLOCK_MONOTONIC (ns) to a file, then exec a program:
 * the start mark for measuring a runfile's pre-test phase (exec of the
 * runfile to exec of the test, whose sample-test writes test.stamp with
 * the same clock).  date(1) would give CLOCK_REALTIME and fork first.
 *
 *   exec-stamp STAMPFILE PROGRAM [ARGS...]     (PROGRAM is a path: no PATH lookup)
 */
#include "helper.h"

int main(int argc, char **argv)
{
	char buf[32];

	if (argc < 3) {
		fprintf(stderr, "usage: exec-stamp STAMPFILE PROGRAM [ARGS...]\n");
		return 2;
	}
	snprintf(buf, sizeof(buf), "%lld\n", now_ns());
	if (write_str(argv[1], buf) < 0) {
		fprintf(stderr, "exec-stamp: cannot write %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	execv(argv[2], argv + 2);
	fprintf(stderr, "exec-stamp: cannot execute %s: %s\n", argv[2], strerror(errno));
	return 127;
}
