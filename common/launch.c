// SPDX-License-Identifier: GPL-2.0-only
/* launch.c - scheduler and test argv from the spec. */
#include "launch.h"
#include "xalloc.h"

#include <string.h>

#define DIR_PLACEHOLDER "\"${DIR}\""

static char *expand(const struct spec_arg *a, const char *dir)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < a->nseg; i++)
		strbuf_addstr(&sb, a->seg[i].kind == ARG_SEG_DIR ? dir : a->seg[i].literal);
	return strbuf_detach(&sb, NULL);
}

char **launch_sched_argv(const struct spec *s, const char *dir)
{
	char **argv = xcalloc(s->sched_argc + 2, sizeof(*argv));

	argv[0] = xasprintf("%s/%s", dir, MEMBER_SCHEDULER);
	for (size_t i = 0; i < s->sched_argc; i++)
		argv[i + 1] = expand(&s->sched_argv[i], dir);
	return argv;
}

char **launch_test_argv(const struct spec *s, const char *dir, const char *duration,
			const char *watchdog)
{
	char **argv = xcalloc(9, sizeof(*argv));
	size_t n = 0;

	argv[n++] = xasprintf("%s/%s", dir, MEMBER_RUNNER);
	argv[n++] = xstrdup("run");
	argv[n++] = xstrdup("--ktstr-test-fn");
	argv[n++] = xstrdup(s->test_name);
	if (duration) {
		argv[n++] = xstrdup("--duration");
		argv[n++] = xstrdup(duration);
	}
	if (watchdog) {
		argv[n++] = xstrdup("--watchdog-timeout");
		argv[n++] = xstrdup(watchdog);
	}
	return argv;
}

void launch_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

static bool safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._+=/:,@%^-", c);
}

/*
 * One literal piece: bare when every byte is safe; '...' (with '\'') when
 * every byte is printable ASCII; else $'...' with \xHH for the others, so
 * that a control byte in an argument never reaches the operator's terminal
 * raw and the text stays one word for bash (and busybox ash) as it is.
 */
static void quote_piece(struct strbuf *out, const char *s)
{
	bool bare = *s != '\0', printable = true;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bare = bare && safe_char(*p);
		printable = printable && *p >= 0x20 && *p < 0x7f;
	}
	if (bare) {
		strbuf_addstr(out, s);
		return;
	}
	if (printable) {
		strbuf_addch(out, '\'');
		for (const char *p = s; *p; p++) {
			if (*p == '\'')
				strbuf_addstr(out, "'\\''");
			else
				strbuf_addch(out, *p);
		}
		strbuf_addch(out, '\'');
		return;
	}
	strbuf_addstr(out, "$'");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			strbuf_addf(out, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			strbuf_addch(out, (char)*p);
		else
			strbuf_addf(out, "\\x%02x", *p);
	}
	strbuf_addch(out, '\'');
}

void launch_quote(struct strbuf *out, const char *s)
{
	quote_piece(out, s);
}

static void render_arg(struct strbuf *out, const struct spec_arg *a)
{
	if (a->nseg == 0) {
		strbuf_addstr(out, "''");
		return;
	}
	for (size_t i = 0; i < a->nseg; i++) {
		if (a->seg[i].kind == ARG_SEG_DIR)
			strbuf_addstr(out, DIR_PLACEHOLDER);
		else
			quote_piece(out, a->seg[i].literal);
	}
}

void launch_render_sched(const struct spec *s, struct strbuf *out)
{
	strbuf_addstr(out, DIR_PLACEHOLDER "/" MEMBER_SCHEDULER);
	for (size_t i = 0; i < s->sched_argc; i++) {
		strbuf_addch(out, ' ');
		render_arg(out, &s->sched_argv[i]);
	}
}

void launch_render_test(const struct spec *s, struct strbuf *out)
{
	strbuf_addstr(out, DIR_PLACEHOLDER "/" MEMBER_RUNNER " run --ktstr-test-fn ");
	quote_piece(out, s->test_name);
}
