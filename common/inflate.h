/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * inflate.h - inflate one payload chunk.
 *
 * A payload is a sequence of independently compressed chunks: gzip members
 * (one valid multi-member gzip stream for standard tools), zstd frames, or
 * raw slices.  Chunk sizes are known from the spec, so inflating is a
 * bounded buffer-to-buffer operation: a chunk that would inflate past its
 * declared size is corrupt (no decompression bomb can get through).
 * gzip uses libdeflate: it inflates about twice as fast as zlib on this
 * kind of data (bench/), and buffer-to-buffer is exactly what we need.
 * Compression lives in the packer (packer/compress.h), so the static stub
 * carries no compressor code.
 */
#ifndef KTSTR_INFLATE_H
#define KTSTR_INFLATE_H

#include <stddef.h>

#include "footer.h"

struct inflater;

/** inflater_new() - an inflater for @kind, for one thread. */
struct inflater *inflater_new(enum payload_codec kind);
void inflater_free(struct inflater *c);

/**
 * inflater_run() - inflate one chunk of exactly @clen bytes into exactly
 * @ulen bytes at @out.
 * Return: 0, or -EBADMSG with a message when the data is corrupt, does
 * not fill @ulen, would overflow it, or leaves input unconsumed.
 */
int inflater_run(struct inflater *c, const void *in, size_t clen, void *out, size_t ulen);

#endif
