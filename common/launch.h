/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * launch.h - the argv of the scheduler and of the test (DESIGN.md,
 * "Contract"), built from the spec and the extraction directory.
 * Each element is passed byte for byte: no shell, no word splitting.
 */
#ifndef KTSTR_LAUNCH_H
#define KTSTR_LAUNCH_H

#include "spec.h"
#include "strbuf.h"

/**
 * launch_sched_argv() - "<dir>/scheduler" followed by the spec's args, each
 * DIR segment replaced by @dir.  NULL-terminated; free with launch_argv_free().
 */
char **launch_sched_argv(const struct spec *s, const char *dir);

/**
 * launch_test_argv() - "<dir>/ktstr run --ktstr-test-fn NAME", plus
 * "--duration S" / "--watchdog-timeout S" for the overrides that are set.
 */
char **launch_test_argv(const struct spec *s, const char *dir, const char *duration,
			const char *watchdog);

void launch_argv_free(char **argv);

/**
 * launch_quote() - @s as one shell word, quoted only when needed: '...' for
 * printable text, $'...' with \xHH escapes when it holds control or
 * non-ASCII bytes (bash and busybox ash read that; plain POSIX sh does not).
 */
void launch_quote(struct strbuf *out, const char *s);

/**
 * launch_render_sched() - the scheduler command line as sh text, with the
 * extraction directory written as "${DIR}".
 */
void launch_render_sched(const struct spec *s, struct strbuf *out);
void launch_render_test(const struct spec *s, struct strbuf *out);

#endif
