// SPDX-License-Identifier: GPL-2.0-only
/* footer.c - encode, decode and validate the runfile footer. */
#include "footer.h"
#include "error.h"
#include "macros.h"
#include "strbuf.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

static uint32_t footer_crc(const uint8_t *in)
{
	return (uint32_t)crc32(0L, in, FOOTER_OFF_CRC32);
}

void runfile_footer_encode(const struct runfile_footer *f, uint8_t out[RUNFILE_FOOTER_SIZE])
{
	memset(out, 0, RUNFILE_FOOTER_SIZE);
	memcpy(out + FOOTER_OFF_MAGIC, RUNFILE_MAGIC, RUNFILE_MAGIC_LEN);
	put_le32(out + FOOTER_OFF_VERSION, f->version ? f->version : RUNFILE_FORMAT_VERSION);
	put_le32(out + FOOTER_OFF_SIZE, RUNFILE_FOOTER_SIZE);
	put_le64(out + FOOTER_OFF_PAYLOAD_OFFSET, f->payload_offset);
	put_le64(out + FOOTER_OFF_PAYLOAD_LENGTH, f->payload_length);
	put_le64(out + FOOTER_OFF_SPEC_OFFSET, f->spec_offset);
	put_le64(out + FOOTER_OFF_SPEC_LENGTH, f->spec_length);
	memcpy(out + FOOTER_OFF_PAYLOAD_SHA256, f->payload_sha256, 32);
	memcpy(out + FOOTER_OFF_SPEC_SHA256, f->spec_sha256, 32);
	put_le32(out + FOOTER_OFF_CODEC, f->codec);
	put_le32(out + FOOTER_OFF_CRC32, footer_crc(out));
}

int runfile_footer_decode(const uint8_t in[RUNFILE_FOOTER_SIZE], uint64_t file_size,
			  struct runfile_footer *f)
{
	uint64_t end, body;
	uint32_t size, crc;

	if (memcmp(in + FOOTER_OFF_MAGIC, RUNFILE_MAGIC, RUNFILE_MAGIC_LEN) != 0)
		return error_set(-EINVAL, "no runfile footer (bad magic): the file is truncated, "
				 "has data appended, or is not a ktstr-pack runfile");
	f->version = get_le32(in + FOOTER_OFF_VERSION);
	if (f->version != RUNFILE_FORMAT_VERSION)
		return error_set(-EPROTO, "runfile format version %u is not supported "
				 "(this program reads version %u)", f->version, RUNFILE_FORMAT_VERSION);
	size = get_le32(in + FOOTER_OFF_SIZE);
	if (size != RUNFILE_FOOTER_SIZE)
		return error_set(-EBADMSG, "corrupt footer: size field is %u, expected %u",
				 size, RUNFILE_FOOTER_SIZE);
	crc = get_le32(in + FOOTER_OFF_CRC32);
	if (crc != footer_crc(in))
		return error_set(-EBADMSG, "corrupt footer: checksum mismatch (stored %08x, computed %08x)",
				 crc, footer_crc(in));
	if (get_le32(in + FOOTER_OFF_FLAGS) != 0 || get_le32(in + FOOTER_OFF_RESERVED) != 0)
		return error_set(-EBADMSG, "corrupt footer: reserved fields are not zero");

	f->payload_offset = get_le64(in + FOOTER_OFF_PAYLOAD_OFFSET);
	f->payload_length = get_le64(in + FOOTER_OFF_PAYLOAD_LENGTH);
	f->spec_offset = get_le64(in + FOOTER_OFF_SPEC_OFFSET);
	f->spec_length = get_le64(in + FOOTER_OFF_SPEC_LENGTH);
	memcpy(f->payload_sha256, in + FOOTER_OFF_PAYLOAD_SHA256, 32);
	memcpy(f->spec_sha256, in + FOOTER_OFF_SPEC_SHA256, 32);
	f->codec = get_le32(in + FOOTER_OFF_CODEC);
	if (f->codec > CODEC_ZSTD)
		return error_set(-EBADMSG, "corrupt footer: unknown payload codec %u", f->codec);

	/* The regions must tile the file: stub | payload | spec | footer. */
	if (file_size < RUNFILE_FOOTER_SIZE)
		return error_set(-EBADMSG, "file of %llu bytes is shorter than a footer",
				 (unsigned long long)file_size);
	body = file_size - RUNFILE_FOOTER_SIZE;
	if (f->payload_offset == 0)
		return error_set(-EBADMSG, "corrupt footer: payload offset 0 leaves no room for the stub");
	if (!add_u64(f->payload_offset, f->payload_length, &end) || end != f->spec_offset)
		return error_set(-EBADMSG, "corrupt footer: payload [%llu, +%llu) does not end where "
				 "the spec starts (%llu)",
				 (unsigned long long)f->payload_offset,
				 (unsigned long long)f->payload_length,
				 (unsigned long long)f->spec_offset);
	if (!add_u64(f->spec_offset, f->spec_length, &end) || end != body)
		return error_set(-EBADMSG, "footer does not match the file size: spec [%llu, +%llu) "
				 "should end at %llu (file of %llu bytes); the file is truncated or "
				 "has been modified",
				 (unsigned long long)f->spec_offset,
				 (unsigned long long)f->spec_length,
				 (unsigned long long)body, (unsigned long long)file_size);
	if (f->spec_length == 0 || f->spec_length > RUNFILE_SPEC_MAX)
		return error_set(-EBADMSG, "corrupt footer: spec length %llu is outside 1..%u",
				 (unsigned long long)f->spec_length, RUNFILE_SPEC_MAX);
	return 0;
}

static const char *const codec_names[] = {
	[CODEC_NONE] = "none",
	[CODEC_GZIP] = "gzip",
	[CODEC_ZSTD] = "zstd",
};

const char *payload_codec_name(uint32_t codec)
{
	return codec < ARRAY_SIZE(codec_names) ? codec_names[codec] : "unknown";
}

int payload_codec_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(codec_names); i++)
		if (strcmp(name, codec_names[i]) == 0)
			return (int)i;
	return error_set(-EINVAL, "unknown codec '%s' (use gzip, zstd or none)", name);
}
