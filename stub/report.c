// SPDX-License-Identifier: GPL-2.0-only
/* report.c - banner, status lines, verdict, exit status. */
#include "report.h"
#include "digest.h"
#include "error.h"
#include "extract.h"
#include "supervise.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROGRESS_MIN_BYTES (8u << 20)
#define PROGRESS_INTERVAL_NS 100000000

static const char *const phase_names[PHASE_COUNT] = {
	[PHASE_CHECKS] = "checks",
	[PHASE_EXTRACT] = "extraction",
	[PHASE_ATTACH] = "attach",
	[PHASE_TEST] = "test",
	[PHASE_CLEANUP] = "cleanup",
};

void report_init(struct report *rep, bool quiet, int64_t start_ns)
{
	memset(rep, 0, sizeof(*rep));
	rep->quiet = quiet;
	rep->tty = isatty(STDERR_FILENO);
	rep->start_ns = start_ns;
}

void report_banner(struct report *rep, const struct runfile *rf)
{
	const struct spec *s = &rf->spec;
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(rf->footer.payload_sha256, hex);
	fprintf(stderr, "ktstr runfile: test=%s scheduler=%s git=%s payload=sha256:%.16s\n",
		s->test_name, s->sched_name, s->git_hash, hex);
	fprintf(stderr, "This runs as root: it attaches a kernel BPF scheduler and creates cgroups. "
		"See what it will run with --inspect.\n");
	(void)rep;
}

static void vline(const char *tag, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", program_invocation_short_name, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void report_info(struct report *rep, const char *fmt, ...)
{
	va_list ap;

	if (rep->quiet)
		return;
	report_progress_done(rep);
	va_start(ap, fmt);
	vline("", fmt, ap);
	va_end(ap);
}

void report_warn(struct report *rep, const char *fmt, ...)
{
	va_list ap;

	report_progress_done(rep);
	va_start(ap, fmt);
	vline("warning: ", fmt, ap);
	va_end(ap);
}

void report_set_error(struct report *rep, const char *stage, const char *msg)
{
	if (rep->stage[0])
		return;
	snprintf(rep->stage, sizeof(rep->stage), "%s", stage);
	snprintf(rep->error, sizeof(rep->error), "%s", msg);
}

int report_fail(struct report *rep, const char *stage, int err)
{
	const char *hint = error_hint_message();

	report_progress_done(rep);
	fprintf(stderr, "%s: error: %s\n", program_invocation_short_name, error_message());
	if (hint[0])
		fprintf(stderr, "%s: hint: %s\n", program_invocation_short_name, hint);
	report_set_error(rep, stage, error_message());
	return err;
}

void report_set_signal(struct report *rep, int sig)
{
	if (!rep->signal)
		rep->signal = sig;
}

void report_set_test_status(struct report *rep, int status)
{
	rep->test_done = true;
	rep->test_status = status;
}

void report_set_sched_failure(struct report *rep, const char *how)
{
	snprintf(rep->sched_failure, sizeof(rep->sched_failure), "%s", how);
}

void report_phase_begin(struct report *rep, enum phase p)
{
	rep->begin[p] = monotonic_ns();
}

void report_phase_end(struct report *rep, enum phase p)
{
	if (rep->begin[p] && !rep->end[p])
		rep->end[p] = monotonic_ns();
}

void report_progress(struct report *rep, const struct extract_job *job)
{
	int64_t now = monotonic_ns();
	uint64_t done, total;

	if (!rep->tty || rep->quiet)
		return;
	extract_progress(job, &done, &total);
	if (total < PROGRESS_MIN_BYTES || now - rep->last_progress_ns < PROGRESS_INTERVAL_NS)
		return;
	rep->last_progress_ns = now;
	rep->progress_shown = true;
	fprintf(stderr, "\r%s: extracting %.1f / %.1f MiB", program_invocation_short_name,
		done / 1048576.0, total / 1048576.0);
}

void report_progress_done(struct report *rep)
{
	if (!rep->progress_shown)
		return;
	rep->progress_shown = false;
	fputs("\r\033[K", stderr);
}

static void phase_times(const struct report *rep)
{
	int64_t now = monotonic_ns();
	bool any = false;

	for (int p = 0; p < PHASE_COUNT; p++)
		any |= rep->begin[p] != 0;
	/* a run that stopped before its checks (its runfile is unreadable)
	 * has no phase to time: a lone "total" would only add a line */
	if (!any)
		return;
	fprintf(stderr, "%s: phases:", program_invocation_short_name);
	for (int p = 0; p < PHASE_COUNT; p++) {
		if (!rep->begin[p])
			continue;
		fprintf(stderr, " %s %.1f ms,", phase_names[p],
			((rep->end[p] ? rep->end[p] : now) - rep->begin[p]) / 1e6);
	}
	fprintf(stderr, " total %.1f ms\n", (now - rep->start_ns) / 1e6);
}

int report_verdict(struct report *rep)
{
	const char *prog = program_invocation_short_name;
	int st = rep->test_status, code;

	report_progress_done(rep);
	if (!rep->quiet)
		phase_times(rep);
	if (rep->test_done && rep->sched_failure[0] && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		fprintf(stderr, "%s: FAIL (the scheduler %s during the test)\n", prog,
			rep->sched_failure);
		return 1;
	}
	if (rep->test_done) {
		code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
		if (code == 0)
			fprintf(stderr, "%s: PASS\n", prog);
		else if (WIFSIGNALED(st))
			fprintf(stderr, "%s: FAIL (test killed by SIG%s)\n", prog,
				sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
		else
			fprintf(stderr, "%s: FAIL (test exited %d)\n", prog, code);
		return code;
	}
	fprintf(stderr, "%s: ERROR (%s: %s)\n", prog, rep->stage[0] ? rep->stage : "run",
		rep->error[0] ? rep->error : "unknown error");
	return rep->signal ? 128 + rep->signal : 1;
}
