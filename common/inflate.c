// SPDX-License-Identifier: GPL-2.0-only
/*
 * inflate.c - chunk inflation with libdeflate (gzip) and libzstd.
 *
 * One call inflates one whole chunk (a gzip member or zstd frame, its
 * sizes from the spec's chunk table) into a buffer of its size, so that
 * the stub's workers inflate chunks in parallel; libarchive then only
 * parses the tar.  Its own read filters could not do that: they inflate
 * one stream in the reading thread (packer/compress.c says more).
 */
#include "inflate.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <libdeflate.h>
#include <string.h>
#include <zstd.h>

struct inflater {
	enum payload_codec kind;
	struct libdeflate_decompressor *gz;
	ZSTD_DCtx *zs;
};

struct inflater *inflater_new(enum payload_codec kind)
{
	struct inflater *c = xcalloc(1, sizeof(*c));

	c->kind = kind;
	return c;
}

void inflater_free(struct inflater *c)
{
	if (!c)
		return;
	if (c->gz)
		libdeflate_free_decompressor(c->gz);
	ZSTD_freeDCtx(c->zs);
	free(c);
}

int inflater_run(struct inflater *c, const void *in, size_t clen, void *out, size_t ulen)
{
	size_t got_in = 0, got_out = 0;

	switch (c->kind) {
	case CODEC_NONE:
		if (clen != ulen)
			return error_set(-EBADMSG, "raw chunk of %zu bytes declared as %zu", clen, ulen);
		memcpy(out, in, ulen);
		return 0;
	case CODEC_GZIP: {
		enum libdeflate_result res;

		if (!c->gz && !(c->gz = libdeflate_alloc_decompressor()))
			return error_set(-ENOMEM, "cannot set up gzip inflate");
		res = libdeflate_gzip_decompress_ex(c->gz, in, clen, out, ulen, &got_in, &got_out);
		if (res == LIBDEFLATE_INSUFFICIENT_SPACE)
			return error_set(-EBADMSG, "gzip chunk inflates past its declared %zu bytes", ulen);
		if (res != LIBDEFLATE_SUCCESS)
			return error_set(-EBADMSG, "gzip chunk is corrupt (libdeflate error %d)", res);
		break;
	}
	case CODEC_ZSTD: {
		size_t n, frame;

		if (!c->zs && !(c->zs = ZSTD_createDCtx()))
			return error_set(-ENOMEM, "cannot set up zstd inflate");
		frame = ZSTD_findFrameCompressedSize(in, clen);
		if (ZSTD_isError(frame))
			return error_set(-EBADMSG, "zstd chunk is corrupt: %s", ZSTD_getErrorName(frame));
		n = ZSTD_decompressDCtx(c->zs, out, ulen, in, frame);
		if (ZSTD_isError(n))
			return error_set(-EBADMSG, "zstd chunk is corrupt: %s", ZSTD_getErrorName(n));
		got_in = frame;
		got_out = n;
		break;
	}
	default:
		return error_set(-EINVAL, "unknown codec %d", c->kind);
	}
	if (got_in != clen)
		return error_set(-EBADMSG, "compressed chunk has %zu trailing bytes", clen - got_in);
	if (got_out != ulen)
		return error_set(-EBADMSG, "chunk inflates to %zu bytes, declared %zu", got_out, ulen);
	return 0;
}
