/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * shellword.h - read back the shell text that `cargo ktstr export` 0.6.0
 * writes: values quoted by its shell_quote, and the words of its scheduler
 * launch line.  Only constructs whose bash meaning is fixed are accepted;
 * anything that would depend on the host at run time (unquoted expansions,
 * globs, operators) is refused, so what is accepted maps exactly.
 */
#ifndef KTSTR_SHELLWORD_H
#define KTSTR_SHELLWORD_H

#include <stdbool.h>
#include <stddef.h>

/* One piece of a word: bytes, or a "$DIR" reference inside double quotes. */
struct sw_seg {
	bool dir;
	char *text;            /* literal bytes (dir: NULL) */
	size_t len;
	/* dir: the path the reference names: the rest of the double-quoted
	 * string after "$DIR", e.g. "/include/layers.json"; when that is
	 * empty, the rest of the word ("$DIR"/include/x.cfg) */
	char *tail;
	size_t offset;         /* of the '$' in the parsed text, for messages */
};

struct sw_word {
	size_t nseg;
	struct sw_seg *seg;
	size_t offset;         /* of the word's first byte */
};

struct sw_list {
	size_t n;
	struct sw_word *w;
};

/**
 * shellword_split_command() - split the arguments of one backgrounded
 * simple command into words.
 * @text: the text right after the command word
 * @len: bytes available (the parser may not cross it)
 * @out: the words, in order; an empty word ('' or "") is kept
 * @end: set to the offset just past the terminating unquoted '&'
 * @err_off: on failure, the offset the message is about
 *
 * Understands blanks between words, bare words of a conservative character
 * set, backslash escapes, single quotes (so '\'' works) and double quotes
 * whose only expansion is $DIR.
 * Return: 0, or -EINVAL with a message (without location: the caller adds
 * FILE:LINE from @err_off).
 */
int shellword_split_command(const char *text, size_t len, struct sw_list *out, size_t *end,
			    size_t *err_off);

void sw_list_release(struct sw_list *l);

/**
 * shellword_unquote() - invert 0.6.0's shell_quote for one value.
 * @v, @len: the text after '=' on a variable line
 * @out: the value (malloc'd, NUL-terminated; values cannot hold NUL)
 *
 * Only the exact form shell_quote produces is accepted: '' for the empty
 * string, a bare word when every byte is in its safe set, else one pair of
 * single quotes with each ' written as '\''.
 * Return: 0, or -EINVAL with a message.
 */
int shellword_unquote(const char *v, size_t len, char **out);

/** shellword_quote_canonical() - shell_quote's output for @s (malloc'd). */
char *shellword_quote_canonical(const char *s);

#endif
