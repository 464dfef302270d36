/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * strbuf.h - growable byte buffer (after git's strbuf), always
 * NUL-terminated, binary-safe.  Used for messages, paths and encodings.
 */
#ifndef KTSTR_STRBUF_H
#define KTSTR_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_add_le16(struct strbuf *sb, uint16_t v);
void strbuf_add_le32(struct strbuf *sb, uint32_t v);
void strbuf_add_le64(struct strbuf *sb, uint64_t v);
/* strbuf_add_quoted: s with C escapes for non-printable bytes, in "" */
void strbuf_add_quoted(struct strbuf *sb, const char *s);
/*
 * strbuf_add_json_string: s as a JSON string in plain ASCII: UTF-8 as \uXXXX
 * escapes, a byte that is not part of valid UTF-8 as \u00XX (lossy)
 */
void strbuf_add_json_string(struct strbuf *sb, const char *s);
/* utf8_valid: s is well-formed UTF-8 (so JSON carries it exactly) */
bool utf8_valid(const char *s);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* strbuf_cstr: the contents, "" for an untouched buffer */
const char *strbuf_cstr(const struct strbuf *sb);

static inline void strbuf_releasep(struct strbuf *sb)
{
	strbuf_release(sb);
}
#define _cleanup_strbuf_ __attribute__((cleanup(strbuf_releasep)))

/* Little-endian loads used by every decoder. */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
