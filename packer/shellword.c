// SPDX-License-Identifier: GPL-2.0-only
/* shellword.c - the shell quoting of `cargo ktstr export` 0.6.0, read back strictly. */
#include "shellword.h"
#include "error.h"
#include "macros.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* shell_quote leaves a value bare when every byte is one of these. */
static bool quote_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("._-+=/:", c) != NULL;
}

/*
 * Bytes a bare word of the launch line may hold.  A config arg template is
 * pasted into the script unquoted, so more than quote_safe() can appear;
 * these have no meaning to bash in an argument word.  Everything else
 * (operators, globs, ~, #, {, }, !, $, `) is refused rather than guessed.
 * Bytes >= 0x80 are never shell syntax.
 */
static bool bare_ok(unsigned char c)
{
	return quote_safe(c) || c == ',' || c == '@' || c == '%' || c >= 0x80;
}

static void describe(char *buf, size_t size, unsigned char c)
{
	if (c < 0x20 || c == 0x7f)
		snprintf(buf, size, "byte 0x%02x", c);
	else
		snprintf(buf, size, "'%c'", c);
}

char *shellword_quote_canonical(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	if (!*s)
		return xstrdup("''");
	for (p = s; *p && quote_safe((unsigned char)*p); p++)
		;
	if (!*p)
		return xstrdup(s);
	strbuf_addch(&sb, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			strbuf_addstr(&sb, "'\\''");
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_addch(&sb, '\'');
	return strbuf_detach(&sb, NULL);
}

int shellword_unquote(const char *v, size_t len, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	_cleanup_free_ char *again = NULL;
	size_t i;

	*out = NULL;
	if (len == 0)
		return error_set(-EINVAL, "empty value (0.6.0 writes '' for an empty string)");
	if (memchr(v, '\0', len))
		return error_set(-EINVAL, "NUL byte in the value");
	if (v[0] != '\'') {
		for (i = 0; i < len; i++)
			if (!quote_safe((unsigned char)v[i])) {
				char what[16];

				describe(what, sizeof(what), (unsigned char)v[i]);
				return error_set(-EINVAL, "unquoted %s in the value (0.6.0 quotes "
						 "every value that holds one)", what);
			}
		*out = xstrndup(v, len);
		return 0;
	}
	/* '...' with each ' inside written as '\'' */
	for (i = 1; i < len; i++) {
		if (v[i] != '\'') {
			strbuf_addch(&sb, v[i]);
			continue;
		}
		if (i + 3 < len && !memcmp(v + i, "'\\''", 4)) {
			strbuf_addch(&sb, '\'');
			i += 3;
			continue;
		}
		if (i + 1 == len)
			break;
		strbuf_release(&sb);
		return error_set(-EINVAL, "text after the closing quote at column %zu", i + 2);
	}
	if (i != len - 1 || len < 2) {
		strbuf_release(&sb);
		return error_set(-EINVAL, "unterminated single quote");
	}
	*out = strbuf_detach(&sb, NULL);
	if (!*out)
		*out = xstrdup("");
	/* one spelling per value: what shell_quote would not have written is
	 * not a 0.6.0 file (or was edited), and is refused */
	again = shellword_quote_canonical(*out);
	if (strlen(again) != len || memcmp(again, v, len) != 0) {
		free(*out);
		*out = NULL;
		return error_set(-EINVAL, "the value is quoted as 0.6.0 never quotes it (it writes "
				 "%s)", again);
	}
	return 0;
}

/* ---- the launch line ------------------------------------------------------ */

struct splitter {
	const char *t;
	size_t len, pos;
	struct sw_list *out;
	struct sw_word *cur;   /* NULL between words */
	struct strbuf lit;     /* literal bytes not yet in a segment */
	bool dir_open;         /* collecting the tail of the $DIR in seg[dir_idx] */
	bool tail_to_word_end; /* ...up to the end of the word: "$DIR"/path */
	size_t dir_idx;
	struct strbuf tail;
	size_t *err_off;
};

static int fail_at(struct splitter *s, size_t off, int err, const char *msg)
{
	*s->err_off = off;
	return error_set(err, "%s", msg);
}

static void begin_word(struct splitter *s)
{
	if (s->cur)
		return;
	s->out->w = xreallocarray(s->out->w, s->out->n + 1, sizeof(*s->out->w));
	s->cur = &s->out->w[s->out->n++];
	*s->cur = (struct sw_word){ .offset = s->pos };
}

static struct sw_seg *new_seg(struct sw_word *w)
{
	w->seg = xreallocarray(w->seg, w->nseg + 1, sizeof(*w->seg));
	w->seg[w->nseg] = (struct sw_seg){ 0 };
	return &w->seg[w->nseg++];
}

static void flush_literal(struct splitter *s)
{
	struct sw_seg *g;

	if (!s->lit.len)
		return;
	g = new_seg(s->cur);
	g->len = s->lit.len;
	g->text = strbuf_detach(&s->lit, NULL);
}

static void close_tail(struct splitter *s)
{
	if (!s->dir_open)
		return;
	s->cur->seg[s->dir_idx].tail = xstrndup(strbuf_cstr(&s->tail), s->tail.len);
	strbuf_reset(&s->tail);
	s->dir_open = false;
	s->tail_to_word_end = false;
}

/*
 * The closing quote of a double-quoted string that holds a $DIR.  0.6.0
 * writes "$DIR/include/B": the path ends at the quote (a {file} template
 * may go on with other text).  A quote that closes right after $DIR, as
 * in "$DIR"/include/B, leaves the path to the rest of the word; 0.6.0
 * never writes that form, and reading the path up to the word's end
 * gives it exactly the meaning bash gives it, so what it names is
 * checked (and repaired) like the quoted form.
 */
static void dq_close(struct splitter *s)
{
	if (s->dir_open && !s->tail_to_word_end && s->tail.len == 0)
		s->tail_to_word_end = true;
	else if (!s->tail_to_word_end)
		close_tail(s);
}

static void add_byte(struct splitter *s, char c)
{
	strbuf_addch(&s->lit, c);
	if (s->dir_open)
		strbuf_addch(&s->tail, c);
}

static void end_word(struct splitter *s)
{
	if (!s->cur)
		return;
	close_tail(s);
	flush_literal(s);
	s->cur = NULL;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* "$DIR" or "${DIR}" at s->pos (the '$'); anything else is refused */
static int dq_dollar(struct splitter *s)
{
	const char *p = s->t + s->pos;
	size_t left = s->len - s->pos, n = 0;
	struct sw_seg *g;

	if (left >= 4 && !memcmp(p, "$DIR", 4) && (left == 4 || !ident_char(p[4])))
		n = 4;
	else if (left >= 6 && !memcmp(p, "${DIR}", 6))
		n = 6;
	if (!n)
		return fail_at(s, s->pos, -EINVAL, "'$' in double quotes expands something other "
			       "than $DIR (only the extraction directory can be mapped)");
	close_tail(s);
	flush_literal(s);
	g = new_seg(s->cur);
	g->dir = true;
	g->offset = s->pos;
	s->dir_open = true;
	s->dir_idx = s->cur->nseg - 1;
	s->pos += n;
	return 0;
}

static int double_quoted(struct splitter *s)
{
	size_t open = s->pos++;
	int r;

	while (s->pos < s->len) {
		char c = s->t[s->pos];

		if (c == '"') {
			s->pos++;
			dq_close(s);
			return 0;
		}
		if (c == '`')
			return fail_at(s, s->pos, -EINVAL, "command substitution (`) cannot be mapped");
		if (c == '$') {
			if ((r = dq_dollar(s)) < 0)
				return r;
			continue;
		}
		if (c == '\\' && s->pos + 1 < s->len) {
			char n = s->t[s->pos + 1];

			/* bash: \ escapes only these four in double quotes... */
			if (n == '$' || n == '`' || n == '"' || n == '\\') {
				add_byte(s, n);
				s->pos += 2;
				continue;
			}
			/* ...joins lines, and is literal before anything else */
			if (n == '\n') {
				s->pos += 2;
				continue;
			}
		}
		add_byte(s, c);
		s->pos++;
	}
	return fail_at(s, open, -EINVAL, "unterminated double quote");
}

static int single_quoted(struct splitter *s)
{
	size_t open = s->pos++;
	const char *close = memchr(s->t + s->pos, '\'', s->len - s->pos);

	if (!close)
		return fail_at(s, open, -EINVAL, "unterminated single quote");
	for (const char *p = s->t + s->pos; p < close; p++)
		add_byte(s, *p);
	s->pos = (size_t)(close - s->t) + 1;
	return 0;
}

int shellword_split_command(const char *text, size_t len, struct sw_list *out, size_t *end,
			    size_t *err_off)
{
	struct splitter s = { .t = text, .len = len, .out = out, .err_off = err_off };
	int r = 0;

	memset(out, 0, sizeof(*out));
	*err_off = 0;
	while (r == 0) {
		unsigned char c;

		if (s.pos >= len) {
			r = fail_at(&s, len, -EINVAL, "the launch line does not end with '&'");
			break;
		}
		c = (unsigned char)text[s.pos];
		if (c == ' ' || c == '\t') {
			end_word(&s);
			s.pos++;
		} else if (c == '&') {
			if (s.pos + 1 < len && text[s.pos + 1] == '&') {
				r = fail_at(&s, s.pos, -EINVAL, "'&&' after the scheduler command cannot "
					    "be mapped");
				break;
			}
			end_word(&s);
			*end = s.pos + 1;
			break;
		} else if (c == '\n') {
			r = fail_at(&s, s.pos, -EINVAL, "the launch line ends without '&' (the "
				    "scheduler must be started in the background)");
		} else if (c == '\'') {
			begin_word(&s);
			r = single_quoted(&s);
		} else if (c == '"') {
			begin_word(&s);
			r = double_quoted(&s);
		} else if (c == '\\') {
			if (s.pos + 1 >= len) {
				r = fail_at(&s, s.pos, -EINVAL, "backslash at the end of the file");
			} else if (text[s.pos + 1] == '\n') {
				s.pos += 2;   /* line continuation: both go */
			} else {
				begin_word(&s);
				add_byte(&s, text[s.pos + 1]);
				s.pos += 2;
			}
		} else if (c == '$') {
			r = fail_at(&s, s.pos, -EINVAL, "unquoted '$' (an expansion bash would split "
				    "and glob) cannot be mapped");
		} else if (!bare_ok(c)) {
			char what[16], msg[160];

			describe(what, sizeof(what), c);
			snprintf(msg, sizeof(msg), "unquoted %s is shell syntax this conversion "
				 "cannot map", what);
			r = fail_at(&s, s.pos, -EINVAL, msg);
		} else {
			begin_word(&s);
			add_byte(&s, (char)c);
			s.pos++;
		}
	}
	strbuf_release(&s.lit);
	strbuf_release(&s.tail);
	if (r < 0)
		sw_list_release(out);
	return r;
}

void sw_list_release(struct sw_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->w[i].nseg; j++) {
			free(l->w[i].seg[j].text);
			free(l->w[i].seg[j].tail);
		}
		free(l->w[i].seg);
	}
	free(l->w);
	memset(l, 0, sizeof(*l));
}
