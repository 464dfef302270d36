/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * payload_writer.h - turn the tar stream into the payload: cut it into
 * chunks, compress them on all cores, write them to the runfile in order
 * while hashing, and fill the spec's chunk table.
 */
#ifndef KTSTR_PAYLOAD_WRITER_H
#define KTSTR_PAYLOAD_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "footer.h"
#include "spec.h"

/*
 * Tar bytes per chunk.  Chunks are the unit of parallel inflate in the
 * stub, so smaller ones spread even a 1 MiB payload over the cores and let
 * the stub write the first member sooner (bench/: 1 MiB exec -> test start).
 * Deflate's window is 32 KiB, so 256 KiB gzip members cost ~0.4% in size;
 * zstd's window is as large as the chunk and 256 KiB frames cost ~7%, so
 * zstd keeps 1 MiB (it inflates 3-4 times faster anyway).
 */
#define PAYLOAD_CHUNK_SIZE (1u << 20)
#define PAYLOAD_CHUNK_SIZE_GZIP (256u << 10)

/** payload_chunk_size() - tar bytes per chunk for @codec. */
static inline size_t payload_chunk_size(enum payload_codec codec)
{
	return codec == CODEC_GZIP ? PAYLOAD_CHUNK_SIZE_GZIP : PAYLOAD_CHUNK_SIZE;
}

struct payload_writer;

/**
 * payload_writer_new() - write chunks to @fd at its current position.
 * @threads: compression threads (>= 1)
 */
struct payload_writer *payload_writer_new(int fd, enum payload_codec codec, int level,
					  size_t chunk_size, unsigned threads);

/** payload_writer_write() - append tar bytes. */
int payload_writer_write(struct payload_writer *pw, const void *data, size_t len);

/**
 * payload_writer_mark_early() - end a chunk here and make everything so far
 * the early prefix (scheduler and includes), hashed on its own.
 */
int payload_writer_mark_early(struct payload_writer *pw);

/**
 * payload_writer_finish() - flush, wait, and fill @s's chunk table and
 * early prefix, @sha256 and @length with the payload's digest and size.
 * Frees @pw in every case.
 */
int payload_writer_finish(struct payload_writer *pw, struct spec *s, uint8_t sha256[32],
			  uint64_t *length);

#endif
