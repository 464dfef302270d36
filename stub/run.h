/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * run.h - one run of the test on this host, in the order of DESIGN.md
 * ("The stub's run"): checks, lock, extraction, scheduler and attach,
 * test, cleanup, verdict.
 */
#ifndef KTSTR_RUN_H
#define KTSTR_RUN_H

#include <stdbool.h>

#include "runfile.h"

struct run_options {
	bool quiet;
	bool keep;                 /* keep the extraction directory */
	const char *duration;      /* override, validated digits, or NULL */
	const char *watchdog;
	unsigned attach_timeout;   /* seconds; 0: the spec's */
};

/** run_test() - run it; returns the runfile's exit status. */
int run_test(const struct runfile *rf, const struct run_options *o, int64_t start_ns);

/** run_preflight() - every host check as a table; 0 when all pass. */
int run_preflight(const struct runfile *rf);

/**
 * run_extract() - verify and extract into @dir (created, must be empty),
 * with a progress line on a terminal unless @quiet.
 */
int run_extract(const struct runfile *rf, const char *dir, bool quiet);

#endif
