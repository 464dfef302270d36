// SPDX-License-Identifier: GPL-2.0-only
/* base64.c - strict decoder for the line-wrapped base64 of 0.6.0 runfiles. */
#include "base64.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t base64_line_of(size_t first_line, uint64_t off)
{
	return first_line + (size_t)(off / 3 * 4 / BASE64_LINE_WIDTH);
}

static int bad_char(unsigned char c, size_t col)
{
	if (c == '\r')
		return error_set(-EBADMSG, "carriage return at column %zu (the file went through "
				 "a CRLF conversion?)", col);
	if (c < 0x20 || c >= 0x7f)
		return error_set(-EBADMSG, "byte 0x%02x at column %zu is not base64", c, col);
	return error_set(-EBADMSG, "'%c' at column %zu is not base64", c, col);
}

/* the last group: "xx==" or "xxx=", with the unused bits zero (RFC 4648 3.5) */
static int check_padding(const int *v, int pad, size_t col)
{
	if (pad > 2)
		return error_set(-EBADMSG, "too much padding at column %zu", col);
	if ((pad == 2 && (v[1] & 0x0f)) || (pad == 1 && (v[2] & 0x03)))
		return error_set(-EBADMSG, "non-canonical padding at column %zu (unused bits set)",
				 col);
	return 0;
}

int base64_decode_lines(const char *text, size_t len, size_t first_line, uint8_t **out,
			size_t *out_len, size_t *err_line)
{
	uint8_t *buf = xmalloc(len / 4 * 3 + 3);
	size_t n = 0, pos = 0, line = first_line, chars = 0;
	int v[4], got = 0, pad = 0, r = 0;

	*out = NULL;
	*out_len = 0;
	*err_line = first_line;
	if (len == 0) {
		*err_line = first_line - 1;   /* the __ARCHIVE__ line itself */
		r = error_set(-EBADMSG, "no archive after the __ARCHIVE__ line (the file is cut "
			      "short)");
		goto out;
	}
	while (pos < len && r == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - text) - pos : len - pos;
		bool last = !nl || (size_t)(nl - text) + 1 == len;
		const char *cr;

		*err_line = line;
		if (!nl) {
			r = error_set(-EBADMSG, "the last line has no newline: the file is cut short");
			break;
		}
		if (l == 0) {
			r = error_set(-EBADMSG, "empty line in the base64 archive");
			break;
		}
		cr = memchr(text + pos, '\r', l);
		if (cr) {
			r = bad_char('\r', (size_t)(cr - (text + pos)) + 1);
			break;
		}
		if (l > BASE64_LINE_WIDTH || (!last && l != BASE64_LINE_WIDTH)) {
			r = error_set(-EBADMSG, "base64 line of %zu characters: the format wraps at %d "
				      "(only the last line is shorter); the line was damaged, or "
				      "lines were lost or joined", l, BASE64_LINE_WIDTH);
			break;
		}
		for (size_t i = 0; i < l; i++) {
			unsigned char c = (unsigned char)text[pos + i];
			int s = sextet(c);

			if (c == '=' && last) {
				pad++;
				s = 0;
			} else if (c == '=') {
				r = error_set(-EBADMSG, "padding '=' at column %zu before the last line",
					      i + 1);
				break;
			} else if (s < 0) {
				r = bad_char(c, i + 1);
				break;
			} else if (pad) {
				r = error_set(-EBADMSG, "base64 data after padding at column %zu", i + 1);
				break;
			}
			v[got++] = s;
			chars++;
			if (got < 4)
				continue;
			if (pad && (r = check_padding(v, pad, i + 1)) < 0)
				break;
			buf[n++] = (uint8_t)(v[0] << 2 | v[1] >> 4);
			if (pad < 2)
				buf[n++] = (uint8_t)(v[1] << 4 | v[2] >> 2);
			if (pad < 1)
				buf[n++] = (uint8_t)(v[2] << 6 | v[3]);
			got = 0;
		}
		pos += l + 1;
		line++;
	}
	if (r == 0 && got)
		r = error_set(-EBADMSG, "the base64 text stops inside a 4-character group (%zu "
			      "characters): the file is cut short", chars);
out:
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = buf;
	*out_len = n;
	return 0;
}
