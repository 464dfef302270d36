// SPDX-License-Identifier: GPL-2.0-only
/*
 * compress.c - chunk compression with libdeflate (gzip) and libzstd.
 *
 * Every chunk becomes a gzip member or zstd frame of its own, whose size
 * goes into the spec's chunk table: the stub inflates chunks in parallel
 * (stub/extract.c), each from its own offset.  So libarchive writes only
 * the tar (packer/build.c) and the codecs are called here directly: its
 * gzip and zstd write filters compress the whole archive as one stream
 * (libarchive 3.6: one zstd frame; from 3.7 its zstd filter can end frames
 * at a size, but does not say where they end), and its read filters
 * inflate that stream in the reading thread, one frame after the other.
 */
#include "compress.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <libdeflate.h>
#include <zstd.h>

struct compressor {
	enum payload_codec kind;
	int level;
	struct libdeflate_compressor *gz;
	ZSTD_CCtx *zs;
};

void compress_level_range(enum payload_codec kind, int *min, int *max)
{
	switch (kind) {
	case CODEC_GZIP: *min = 1; *max = 12; break;   /* libdeflate's levels */
	case CODEC_ZSTD: *min = 1; *max = 19; break;
	default: *min = 0; *max = 0; break;
	}
}

int compress_default_level(enum payload_codec kind)
{
	return kind == CODEC_GZIP ? COMPRESS_GZIP_DEFAULT_LEVEL :
	       kind == CODEC_ZSTD ? COMPRESS_ZSTD_DEFAULT_LEVEL : 0;
}

struct compressor *compressor_new(enum payload_codec kind, int level)
{
	struct compressor *c = xcalloc(1, sizeof(*c));

	c->kind = kind;
	c->level = level;
	return c;
}

void compressor_free(struct compressor *c)
{
	if (!c)
		return;
	if (c->gz)
		libdeflate_free_compressor(c->gz);
	ZSTD_freeCCtx(c->zs);
	free(c);
}

int compressor_run(struct compressor *c, const void *in, size_t inlen, struct strbuf *out)
{
	size_t bound, n;

	switch (c->kind) {
	case CODEC_NONE:
		strbuf_add(out, in, inlen);
		return 0;
	case CODEC_GZIP:
		if (!c->gz && !(c->gz = libdeflate_alloc_compressor(c->level)))
			return error_set(-ENOMEM, "cannot set up gzip level %d", c->level);
		bound = libdeflate_gzip_compress_bound(c->gz, inlen);
		strbuf_grow(out, bound);
		n = libdeflate_gzip_compress(c->gz, in, inlen, out->buf + out->len, bound);
		if (n == 0)
			return error_set(-EIO, "gzip compression failed");
		break;
	case CODEC_ZSTD:
		if (!c->zs) {
			c->zs = ZSTD_createCCtx();
			if (!c->zs)
				return error_set(-ENOMEM, "cannot set up zstd");
			ZSTD_CCtx_setParameter(c->zs, ZSTD_c_compressionLevel, c->level);
			/* the content size lets standard tools size their buffers */
			ZSTD_CCtx_setParameter(c->zs, ZSTD_c_contentSizeFlag, 1);
		}
		bound = ZSTD_compressBound(inlen);
		strbuf_grow(out, bound);
		n = ZSTD_compress2(c->zs, out->buf + out->len, bound, in, inlen);
		if (ZSTD_isError(n))
			return error_set(-EIO, "zstd compression failed: %s", ZSTD_getErrorName(n));
		break;
	default:
		return error_set(-EINVAL, "unknown codec %d", c->kind);
	}
	out->len += n;
	out->buf[out->len] = '\0';
	return 0;
}
