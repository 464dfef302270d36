/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compress.h - compress one payload chunk (the inverse of inflate.h):
 * gzip members with libdeflate, zstd frames with libzstd, or raw bytes.
 */
#ifndef KTSTR_COMPRESS_H
#define KTSTR_COMPRESS_H

#include <stddef.h>

#include "footer.h"
#include "strbuf.h"

#define COMPRESS_GZIP_DEFAULT_LEVEL 6
#define COMPRESS_ZSTD_DEFAULT_LEVEL 6

struct compressor;

/** compressor_new() - a compressor for one thread. */
struct compressor *compressor_new(enum payload_codec kind, int level);
void compressor_free(struct compressor *c);

/** compress_level_range() - valid --level values for @kind. */
void compress_level_range(enum payload_codec kind, int *min, int *max);
int compress_default_level(enum payload_codec kind);

/** compressor_run() - append the compressed form of @in to @out. */
int compressor_run(struct compressor *c, const void *in, size_t inlen, struct strbuf *out);

#endif
