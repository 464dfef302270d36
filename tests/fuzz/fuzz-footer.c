// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-footer.c - fuzz target: runfile_footer_decode().
 *
 * Input: [flags:1][file size:8, little-endian][footer: up to 128 bytes,
 * zero-padded].  flags bit 0 re-signs the footer's CRC first, so the
 * fuzzer reaches the checks behind it.  Properties: a footer that decodes
 * describes regions that tile the file exactly, and encodes back to the
 * same bytes (the decoder accepts nothing the format does not define).
 */
#include "fuzz.h"
#include "error.h"
#include "footer.h"
#include "strbuf.h"

#include <string.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[RUNFILE_FOOTER_SIZE] = { 0 }, again[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;
	uint64_t file_size, body;

	if (size < 9)
		return 0;
	file_size = get_le64(data + 1);
	memcpy(in, data + 9, size - 9 < sizeof(in) ? size - 9 : sizeof(in));
	if (data[0] & 1)
		put_le32(in + FOOTER_OFF_CRC32, (uint32_t)crc32(0L, in, FOOTER_OFF_CRC32));
	if (runfile_footer_decode(in, file_size, &f) < 0) {
		FUZZ_CHECK(error_message()[0], "a refusal without a message");
		return 0;
	}
	body = file_size - RUNFILE_FOOTER_SIZE;
	FUZZ_CHECK(file_size >= RUNFILE_FOOTER_SIZE, "%llu", (unsigned long long)file_size);
	FUZZ_CHECK(f.payload_offset > 0 && f.payload_offset <= f.spec_offset, "payload at %llu",
		   (unsigned long long)f.payload_offset);
	FUZZ_CHECK(f.spec_offset - f.payload_offset == f.payload_length, "payload length");
	FUZZ_CHECK(f.spec_offset <= body && body - f.spec_offset == f.spec_length, "spec range");
	FUZZ_CHECK(f.spec_length >= 1 && f.spec_length <= RUNFILE_SPEC_MAX, "spec length");
	FUZZ_CHECK(f.codec <= CODEC_ZSTD, "codec %u", f.codec);
	runfile_footer_encode(&f, again);
	FUZZ_CHECK(memcmp(in, again, sizeof(in)) == 0, "re-encoding differs");
	return 0;
}
