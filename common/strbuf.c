// SPDX-License-Identifier: GPL-2.0-only
/* strbuf.c - growable, NUL-terminated byte buffer. */
#include "strbuf.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want;

	if (__builtin_add_overflow(sb->len, extra, &want) ||
	    __builtin_add_overflow(want, 1, &want))
		want = SIZE_MAX;  /* xrealloc reports it */
	if (want <= sb->alloc)
		return;
	if (want < sb->alloc + sb->alloc / 2)
		want = sb->alloc + sb->alloc / 2;
	if (want < 64)
		want = 64;
	sb->buf = xrealloc(sb->buf, want);
	sb->alloc = want;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	strbuf_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void strbuf_add_le16(struct strbuf *sb, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	strbuf_add(sb, b, 2);
}

void strbuf_add_le32(struct strbuf *sb, uint32_t v)
{
	uint8_t b[4];

	put_le32(b, v);
	strbuf_add(sb, b, 4);
}

void strbuf_add_le64(struct strbuf *sb, uint64_t v)
{
	uint8_t b[8];

	put_le64(b, v);
	strbuf_add(sb, b, 8);
}

void strbuf_add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				strbuf_addf(sb, "\\x%02x", *p);
			else
				strbuf_addch(sb, (char)*p);
		}
	}
	strbuf_addch(sb, '"');
}

/*
 * Length of the well-formed UTF-8 sequence at @p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), its code point in *@cp;
 * 0 when @p does not start one.
 */
static size_t utf8_seq(const unsigned char *p, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		*cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		*cp = p[0] & 0x0f;
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		hi = p[0] == 0xed ? 0x9f : 0xbf;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		*cp = p[0] & 0x07;
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xbf))
			return 0;     /* also stops at the NUL */
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	return n;
}

bool utf8_valid(const char *s)
{
	uint32_t cp;
	size_t n;

	for (const unsigned char *p = (const unsigned char *)s; *p; p += n)
		if (!(n = utf8_seq(p, &cp)))
			return false;
	return true;
}

void strbuf_add_json_string(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	strbuf_addch(sb, '"');
	for (; *p; p += n) {
		n = utf8_seq(p, &cp);
		if (n == 0) {
			/* not UTF-8: JSON cannot carry the byte itself, so it
			 * becomes the code point of the same value (lossy;
			 * callers that need the bytes add them as hex) */
			cp = *p;
			n = 1;
		}
		switch (cp) {
		case '"': strbuf_addstr(sb, "\\\""); break;
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		default:
			/* ASCII output only: no control byte or exotic code
			 * point reaches a terminal that shows the JSON */
			if (cp >= 0x20 && cp < 0x7f)
				strbuf_addch(sb, (char)cp);
			else if (cp < 0x10000)
				strbuf_addf(sb, "\\u%04x", (unsigned)cp);
			else
				strbuf_addf(sb, "\\u%04x\\u%04x",
					    (unsigned)(0xd800 + ((cp - 0x10000) >> 10)),
					    (unsigned)(0xdc00 + ((cp - 0x10000) & 0x3ff)));
		}
	}
	strbuf_addch(sb, '"');
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	strbuf_grow(sb, 0);
	sb->buf[sb->len] = '\0';    /* an untouched buffer has none yet */
	p = sb->buf;
	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

const char *strbuf_cstr(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}
