// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbashrun-tar.c - hostile archives for the fixture writer (see
 * mkbashrun.c): a tar header that declares another size than its data,
 * and runs of zero bytes inside the gzip stream that cost almost nothing
 * to write, so that a test can make a gzip bomb of gigabytes in
 * milliseconds.
 *
 * The zeros: ZRUN zero bytes are deflated once, in a raw stream of their
 * own ended by Z_FULL_FLUSH (byte-aligned, non-final blocks that refer to
 * nothing before them), and that output is repeated.  The main stream is
 * also full-flushed before each run, so nothing after a run refers back
 * across it.  CRC-32 and length of the whole come from crc32_combine().
 */
#include "mkbashrun.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TAR_BLOCK 512u
#define ZRUN (1u << 20)

static unsigned long long octal(const unsigned char *p, size_t n)
{
	unsigned long long v = 0;

	if (p[0] & 0x80) {   /* base-256 (GNU), for sizes of 8 GiB and more */
		for (size_t i = 1; i < n; i++)
			v = v << 8 | p[i];
		return v;
	}
	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned)(p[i] - '0');
	return v;
}

static void set_size(unsigned char *h, unsigned long long size)
{
	unsigned sum = 0;
	char field[16];

	if (size < 1ull << 33) {
		snprintf(field, sizeof(field), "%011llo", size);
		memcpy(h + 124, field, 12);
	} else {
		h[124] = 0x80;
		for (int i = 11; i >= 1; i--, size >>= 8)
			h[124 + i] = (unsigned char)size;
	}
	memset(h + 148, ' ', 8);
	for (unsigned i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	snprintf(field, sizeof(field), "%06o", sum);
	memcpy(h + 148, field, 7);   /* six digits, NUL, and the space stays */
}

size_t tar_declare_size(struct buf *tar, const char *name, unsigned long long size)
{
	size_t off = 0;

	while (off + TAR_BLOCK <= tar->len) {
		unsigned char *h = (unsigned char *)tar->p + off;
		unsigned long long n = octal(h + 124, 12);

		if (!h[0])
			break;   /* the end blocks */
		if (!strncmp((const char *)h, name, 100) && strlen(name) <= 100 &&
		    (h[156] == '0' || h[156] == '\0')) {
			set_size(h, size);
			return off + TAR_BLOCK;
		}
		off += TAR_BLOCK + (size_t)((n + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK);
	}
	die("no regular member %s in the tar", name);
}

/* deflate @len bytes of @d into @out with @flush */
static void deflate_to(z_stream *z, struct buf *out, const void *d, size_t len, int flush)
{
	unsigned char chunk[65536];
	int zr;

	z->next_in = (Bytef *)d;
	z->avail_in = (uInt)len;
	do {
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		zr = deflate(z, flush);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			die("deflate: %d", zr);
		buf_add(out, chunk, sizeof(chunk) - z->avail_out);
	} while (z->avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
}

static void raw_deflate_init(z_stream *z)
{
	memset(z, 0, sizeof(*z));
	if (deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit2 failed");
}

static void le32(struct buf *out, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	buf_add(out, b, 4);
}

void gzip_with_zero_runs(struct buf *out, const struct buf *tar, const struct zero_run *runs,
			 int nruns)
{
	static const unsigned char gz_header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	unsigned char *zeros = calloc(1, ZRUN);
	struct buf zrun = { 0 };
	uLong crc = crc32(0, NULL, 0), zrun_crc;
	unsigned long long total = 0;
	size_t pos = 0;
	z_stream z;

	if (!zeros)
		die("out of memory");
	raw_deflate_init(&z);
	deflate_to(&z, &zrun, zeros, ZRUN, Z_FULL_FLUSH);
	deflateEnd(&z);
	zrun_crc = crc32(0, zeros, ZRUN);

	buf_add(out, gz_header, sizeof(gz_header));
	raw_deflate_init(&z);
	for (int i = 0; i <= nruns; i++) {
		size_t at = i < nruns ? runs[i].at : tar->len;
		unsigned long long left = i < nruns ? runs[i].len : 0;

		if (at < pos || at > tar->len)
			die("zero runs out of order");
		deflate_to(&z, out, tar->p + pos, at - pos, i < nruns ? Z_FULL_FLUSH : Z_FINISH);
		crc = crc32(crc, (const Bytef *)tar->p + pos, (uInt)(at - pos));
		total += at - pos;
		pos = at;
		for (; left >= ZRUN; left -= ZRUN, total += ZRUN) {
			buf_add(out, zrun.p, zrun.len);
			crc = crc32_combine(crc, zrun_crc, ZRUN);
		}
		if (left) {
			deflate_to(&z, out, zeros, (size_t)left, Z_FULL_FLUSH);
			crc = crc32(crc, zeros, (uInt)left);
			total += left;
		}
	}
	deflateEnd(&z);
	le32(out, (uint32_t)crc);
	le32(out, (uint32_t)total);
	free(zrun.p);
	free(zeros);
}
