/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz-fixup.h - for the targets that take a whole runfile: recompute the
 * checksums a mutation breaks, so mutations reach the checks behind them,
 * and put the bytes in a memfd (runfile_load() reads a file descriptor).
 * Header-only: each target is built from one source plus the project's.
 */
#ifndef KTSTR_FUZZ_FIXUP_H
#define KTSTR_FUZZ_FIXUP_H

#include "fuzz.h"
#include "footer.h"
#include "strbuf.h"

#include <nettle/sha2.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#define FIXUP_CRC 1
#define FIXUP_SPEC_DIGEST 2

static inline void fuzz_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, 32, out);
}

/* The file of input [flags][file], with the fixups the flags ask for. */
static inline uint8_t *fuzz_fixup(const uint8_t *data, size_t size, size_t *len)
{
	uint8_t *file = malloc(size > 1 ? size - 1 : 1), *f;
	uint64_t off, n;

	*len = size - 1;
	memcpy(file, data + 1, *len);
	if (*len < RUNFILE_FOOTER_SIZE)
		return file;
	f = file + *len - RUNFILE_FOOTER_SIZE;
	off = get_le64(f + FOOTER_OFF_SPEC_OFFSET);
	n = get_le64(f + FOOTER_OFF_SPEC_LENGTH);
	if ((data[0] & FIXUP_SPEC_DIGEST) && off <= *len && n <= *len - off)
		fuzz_sha256(file + off, (size_t)n, f + FOOTER_OFF_SPEC_SHA256);
	if (data[0] & (FIXUP_CRC | FIXUP_SPEC_DIGEST))
		put_le32(f + FOOTER_OFF_CRC32, (uint32_t)crc32(0L, f, FOOTER_OFF_CRC32));
	return file;
}

static inline int fuzz_memfd(const uint8_t *p, size_t n)
{
	int fd = memfd_create("fuzz.run", MFD_CLOEXEC);

	FUZZ_CHECK(fd >= 0, "memfd_create");
	FUZZ_CHECK(write(fd, p, n) == (ssize_t)n, "write to the memfd");
	return fd;
}

#endif
