/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * base64.h - strict decoding of the base64 text that ends a `cargo ktstr
 * export` runfile: RFC 4648 alphabet, 76 characters per line, one final
 * newline, padding only at the very end.
 */
#ifndef KTSTR_BASE64_H
#define KTSTR_BASE64_H

#include <stddef.h>
#include <stdint.h>

#define BASE64_LINE_WIDTH 76

/**
 * base64_decode_lines() - decode @len bytes of line-wrapped base64.
 * @first_line: the file's line number of the first text line (messages)
 * @out, @out_len: the bytes (malloc'd)
 * @err_line: on failure, the line the message is about
 * Return: 0, or -EBADMSG with a message naming the column and what is
 * wrong (a foreign character, a short line, misplaced padding...).
 */
int base64_decode_lines(const char *text, size_t len, size_t first_line, uint8_t **out,
			size_t *out_len, size_t *err_line);

/** base64_line_of() - the text line holding the encoding of decoded byte @off. */
size_t base64_line_of(size_t first_line, uint64_t off);

#endif
