/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * checks.h - host checks before anything from the payload runs:
 * capabilities, sched_ext, cgroup v2, conflicting scheduler, topology,
 * extraction directory.  Each check adds rows (check / host / needed / ok)
 * to a report: a run stops at the first failing group, --preflight prints
 * every row.
 */
#ifndef KTSTR_CHECKS_H
#define KTSTR_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "spec.h"
#include "topology.h"

#define CHECK_ROWS_MAX 16

struct check_row {
	const char *check;
	char host[256];
	char need[96];
	bool ok;
	bool na;             /* nothing to check here (--preflight shows "n/a") */
	char error[512];     /* what a run prints when !ok */
	char hint[256];
};

struct check_report {
	struct check_row row[CHECK_ROWS_MAX];
	size_t n;
};

bool checks_capability(struct check_report *rep);
bool checks_sched_ext(struct check_report *rep);
bool checks_cgroup2(struct check_report *rep);
bool checks_no_other_scheduler(struct check_report *rep);
/* @topo receives the parsed topology (released by the caller) */
bool checks_topology(struct check_report *rep, const struct spec *s, struct topology *topo);
/* @tmpdir: where the payload goes; @need_bytes: extracted size */
bool checks_tmpdir(struct check_report *rep, const char *tmpdir, uint64_t need_bytes);

/** checks_print_errors() - the error lines (and hints) of failed rows. */
void checks_print_errors(const struct check_report *rep, const char *prog);
/** checks_print_table() - the --preflight table. */
void checks_print_table(const struct check_report *rep);

#endif
