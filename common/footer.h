/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * footer.h - the fixed-size footer at the end of every runfile.
 *
 * A runfile is [stub ELF][payload][spec][footer].  The footer is the only
 * part at a known place (the last RUNFILE_FOOTER_SIZE bytes); it locates and
 * authenticates the rest.  Layout: docs/FORMAT.md.
 */
#ifndef KTSTR_FOOTER_H
#define KTSTR_FOOTER_H

#include <stdint.h>

#define RUNFILE_FOOTER_SIZE 128
#define RUNFILE_MAGIC "KTSTRRUN"
#define RUNFILE_MAGIC_LEN 8
#define RUNFILE_FORMAT_VERSION 1
#define RUNFILE_SPEC_MAX (1u << 20)   /* a spec is small; this bounds hostile input */

enum payload_codec {
	CODEC_NONE = 0,
	CODEC_GZIP = 1,
	CODEC_ZSTD = 2,
};

struct runfile_footer {
	uint32_t version;
	uint64_t payload_offset;
	uint64_t payload_length;
	uint64_t spec_offset;
	uint64_t spec_length;
	uint8_t payload_sha256[32];
	uint8_t spec_sha256[32];
	uint32_t codec;          /* enum payload_codec */
};

/* Field offsets (docs/FORMAT.md). */
#define FOOTER_OFF_MAGIC 0
#define FOOTER_OFF_VERSION 8
#define FOOTER_OFF_SIZE 12
#define FOOTER_OFF_PAYLOAD_OFFSET 16
#define FOOTER_OFF_PAYLOAD_LENGTH 24
#define FOOTER_OFF_SPEC_OFFSET 32
#define FOOTER_OFF_SPEC_LENGTH 40
#define FOOTER_OFF_PAYLOAD_SHA256 48
#define FOOTER_OFF_SPEC_SHA256 80
#define FOOTER_OFF_CODEC 112
#define FOOTER_OFF_FLAGS 116
#define FOOTER_OFF_RESERVED 120
#define FOOTER_OFF_CRC32 124

/** runfile_footer_encode() - serialize @f (magic, sizes and CRC filled in). */
void runfile_footer_encode(const struct runfile_footer *f, uint8_t out[RUNFILE_FOOTER_SIZE]);

/**
 * runfile_footer_decode() - parse and validate a footer.
 * @in:        the last RUNFILE_FOOTER_SIZE bytes of the file
 * @file_size: size of the whole file; the regions must tile it exactly
 * @f:         result
 *
 * Return: 0, or -EINVAL (not a runfile: bad magic), -EPROTO (format version
 * this code does not know), -EBADMSG (corrupt: checksum, reserved bits,
 * codec, or regions that do not tile the file).  The message says which.
 */
int runfile_footer_decode(const uint8_t in[RUNFILE_FOOTER_SIZE], uint64_t file_size,
			  struct runfile_footer *f);

const char *payload_codec_name(uint32_t codec);
/* payload_codec_parse: "gzip"/"zstd"/"none" -> codec, -EINVAL otherwise */
int payload_codec_parse(const char *name);

#endif
