/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h - what a run tells the operator on stderr: the banner, status
 * lines, warnings, a progress line on a terminal, the one-line verdict and
 * the time each phase took.  It also decides the exit status.
 */
#ifndef KTSTR_REPORT_H
#define KTSTR_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "runfile.h"

struct extract_job;

enum phase {
	PHASE_CHECKS,
	PHASE_EXTRACT,
	PHASE_ATTACH,
	PHASE_TEST,
	PHASE_CLEANUP,
	PHASE_COUNT,
};

struct report {
	bool quiet;
	bool tty;
	int64_t start_ns;
	int64_t begin[PHASE_COUNT], end[PHASE_COUNT];
	char stage[32];
	char error[1024];
	int signal;                 /* stop signal the run received */
	bool test_done;
	int test_status;
	char sched_failure[128];    /* the scheduler died during the test */
	int64_t last_progress_ns;
	bool progress_shown;
};

void report_init(struct report *rep, bool quiet, int64_t start_ns);
void report_banner(struct report *rep, const struct runfile *rf);
void report_info(struct report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_warn(struct report *rep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * report_fail() - print the current error message (and hint) and keep the
 * first one for the verdict as "<stage>: <message>".  Return: @err.
 */
int report_fail(struct report *rep, const char *stage, int err);
/** report_set_error() - keep a failure already printed elsewhere. */
void report_set_error(struct report *rep, const char *stage, const char *msg);
void report_set_signal(struct report *rep, int sig);
void report_set_test_status(struct report *rep, int status);
void report_set_sched_failure(struct report *rep, const char *how);

void report_phase_begin(struct report *rep, enum phase p);
void report_phase_end(struct report *rep, enum phase p);

/** report_progress() - on a terminal, refresh "extracting: x / y MiB". */
void report_progress(struct report *rep, const struct extract_job *job);
void report_progress_done(struct report *rep);

/**
 * report_verdict() - print the phase times (unless quiet; none when no
 * phase began) and "PASS", "FAIL (...)" or "ERROR (stage: why)".
 * Return: the exit status (0, the test's status, 128+N for a signal, 1
 * for any error).
 */
int report_verdict(struct report *rep);

#endif
