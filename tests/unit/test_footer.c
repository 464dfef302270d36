// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_footer.c - the runfile footer codec: round trip, every rejection,
 * and truncation of a whole runfile at every byte.
 */
#include "digest.h"
#include "footer.h"
#include "runfile.h"
#include "spec.h"
#include "strbuf.h"
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define STUB_LEN 64u
#define PAYLOAD_LEN 100u
#define SPEC_LEN 50u
#define FILE_LEN (STUB_LEN + PAYLOAD_LEN + SPEC_LEN + RUNFILE_FOOTER_SIZE)

static struct runfile_footer sample(void)
{
	struct runfile_footer f = {
		.version = RUNFILE_FORMAT_VERSION,
		.payload_offset = STUB_LEN, .payload_length = PAYLOAD_LEN,
		.spec_offset = STUB_LEN + PAYLOAD_LEN, .spec_length = SPEC_LEN,
		.codec = CODEC_ZSTD,
	};

	for (int i = 0; i < 32; i++) {
		f.payload_sha256[i] = (uint8_t)(0xa0 + i);
		f.spec_sha256[i] = (uint8_t)(0x10 + i);
	}
	return f;
}

/* After editing a field, make the CRC right again so that the check under
 * test, not the checksum, is what rejects the footer. */
static void recrc(uint8_t *raw)
{
	put_le32(raw + FOOTER_OFF_CRC32, (uint32_t)crc32(0L, raw, FOOTER_OFF_CRC32));
}

static void encode_with(uint8_t raw[RUNFILE_FOOTER_SIZE], void (*edit)(struct runfile_footer *))
{
	struct runfile_footer f = sample();

	if (edit)
		edit(&f);
	runfile_footer_encode(&f, raw);
}

START_TEST(round_trip)
{
	struct runfile_footer in = sample(), out;
	uint8_t raw[RUNFILE_FOOTER_SIZE];

	runfile_footer_encode(&in, raw);
	ck_assert_ok(runfile_footer_decode(raw, FILE_LEN, &out));
	ck_assert_uint_eq(out.version, RUNFILE_FORMAT_VERSION);
	ck_assert_uint_eq(out.payload_offset, STUB_LEN);
	ck_assert_uint_eq(out.payload_length, PAYLOAD_LEN);
	ck_assert_uint_eq(out.spec_offset, STUB_LEN + PAYLOAD_LEN);
	ck_assert_uint_eq(out.spec_length, SPEC_LEN);
	ck_assert_uint_eq(out.codec, CODEC_ZSTD);
	ck_assert_mem_eq(out.payload_sha256, in.payload_sha256, 32);
	ck_assert_mem_eq(out.spec_sha256, in.spec_sha256, 32);
}
END_TEST

/* The layout of docs/FORMAT.md, byte by byte. */
START_TEST(layout)
{
	struct runfile_footer in = sample();
	uint8_t raw[RUNFILE_FOOTER_SIZE];

	ck_assert_int_eq(RUNFILE_FOOTER_SIZE, 128);
	runfile_footer_encode(&in, raw);
	ck_assert_mem_eq(raw, "KTSTRRUN", 8);
	ck_assert_uint_eq(get_le32(raw + 8), 1);
	ck_assert_uint_eq(get_le32(raw + 12), 128);
	ck_assert_uint_eq(get_le64(raw + 16), STUB_LEN);
	ck_assert_uint_eq(get_le64(raw + 24), PAYLOAD_LEN);
	ck_assert_uint_eq(get_le64(raw + 32), STUB_LEN + PAYLOAD_LEN);
	ck_assert_uint_eq(get_le64(raw + 40), SPEC_LEN);
	ck_assert_mem_eq(raw + 48, in.payload_sha256, 32);
	ck_assert_mem_eq(raw + 80, in.spec_sha256, 32);
	ck_assert_uint_eq(get_le32(raw + 112), 2);
	ck_assert_uint_eq(get_le32(raw + 116), 0);
	ck_assert_uint_eq(get_le32(raw + 120), 0);
	ck_assert_uint_eq(get_le32(raw + 124), (uint32_t)crc32(0L, raw, 124));
	/* little-endian: the low byte first */
	ck_assert_uint_eq(raw[16], STUB_LEN);
	ck_assert_uint_eq(raw[17], 0);
}
END_TEST

START_TEST(bad_magic)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, NULL);
	raw[0] = 'X';
	recrc(raw);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EINVAL, "bad magic");
	memset(raw, 0, sizeof(raw));
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EINVAL, "bad magic");
}
END_TEST

START_TEST(unknown_version)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, NULL);
	put_le32(raw + FOOTER_OFF_VERSION, 2);
	recrc(raw);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EPROTO, "version 2");
	/* the version is judged before the checksum: a newer format may
	 * checksum differently, and must still be named as newer */
	put_le32(raw + FOOTER_OFF_VERSION, 0);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EPROTO, "version 0");
}
END_TEST

START_TEST(bad_size_field)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, NULL);
	put_le32(raw + FOOTER_OFF_SIZE, 64);
	recrc(raw);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG, "size field is 64");
}
END_TEST

START_TEST(crc_mismatch)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	/* one flipped bit anywhere in the covered bytes, or in the CRC itself */
	for (size_t i = FOOTER_OFF_PAYLOAD_OFFSET; i < RUNFILE_FOOTER_SIZE; i++) {
		if (i >= FOOTER_OFF_FLAGS && i < FOOTER_OFF_CRC32)
			continue;   /* the reserved words: see reserved_nonzero */
		encode_with(raw, NULL);
		raw[i] ^= 0x04;
		ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG, "checksum");
	}
}
END_TEST

START_TEST(reserved_nonzero)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	for (size_t i = FOOTER_OFF_FLAGS; i < FOOTER_OFF_CRC32; i++) {
		encode_with(raw, NULL);
		raw[i] = 1;
		recrc(raw);
		ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
				"reserved fields are not zero");
	}
}
END_TEST

static void codec3(struct runfile_footer *f) { f->codec = 3; }

START_TEST(unknown_codec)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, codec3);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG, "unknown payload codec 3");
	put_le32(raw + FOOTER_OFF_CODEC, 0xffffffffu);
	recrc(raw);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG, "unknown payload codec");
}
END_TEST

static void gap(struct runfile_footer *f) { f->spec_offset += 1; f->spec_length -= 1; }
static void overlap(struct runfile_footer *f) { f->payload_length += 1; }

START_TEST(regions_must_tile)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, gap);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
			"does not end where the spec starts");
	encode_with(raw, overlap);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
			"does not end where the spec starts");
	/* the regions are fine but the file is longer or shorter */
	encode_with(raw, NULL);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN + 1, &f), -EBADMSG,
			"does not match the file size");
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN - 1, &f), -EBADMSG,
			"does not match the file size");
	ck_assert_fails(runfile_footer_decode(raw, RUNFILE_FOOTER_SIZE - 1, &f), -EBADMSG,
			"shorter than a footer");
	ck_assert_fails(runfile_footer_decode(raw, 0, &f), -EBADMSG, "shorter than a footer");
}
END_TEST

static void offset0(struct runfile_footer *f)
{
	f->payload_offset = 0;
	f->payload_length = STUB_LEN + PAYLOAD_LEN;
}

START_TEST(payload_offset_zero)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, offset0);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG, "payload offset 0");
}
END_TEST

static void spec0(struct runfile_footer *f)
{
	f->payload_length += SPEC_LEN;
	f->spec_offset += SPEC_LEN;
	f->spec_length = 0;
}

static void spec_huge(struct runfile_footer *f) { f->spec_length = RUNFILE_SPEC_MAX + 1; }
static void spec_max(struct runfile_footer *f) { f->spec_length = RUNFILE_SPEC_MAX; }

START_TEST(spec_length_bounds)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;
	uint64_t body = STUB_LEN + PAYLOAD_LEN;

	encode_with(raw, spec0);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
			"spec length 0 is outside 1..1048576");
	/* consistent with the file size, so only the bound rejects it */
	encode_with(raw, spec_huge);
	ck_assert_fails(runfile_footer_decode(raw, body + RUNFILE_SPEC_MAX + 1 + RUNFILE_FOOTER_SIZE,
					      &f), -EBADMSG, "spec length 1048577 is outside");
	encode_with(raw, spec_max);
	ck_assert_ok(runfile_footer_decode(raw, body + RUNFILE_SPEC_MAX + RUNFILE_FOOTER_SIZE, &f));
}
END_TEST

/* offset + length wraps around 2^64 onto a value that would tile. */
static void wrap_payload(struct runfile_footer *f)
{
	f->payload_offset = UINT64_MAX - 15;    /* + 32 wraps to 16 */
	f->payload_length = 32;
	f->spec_offset = 16;
	f->spec_length = FILE_LEN - RUNFILE_FOOTER_SIZE - 16;
}

static void wrap_spec(struct runfile_footer *f)
{
	f->payload_offset = 8;
	f->payload_length = UINT64_MAX - 7;     /* ends at 2^64 = 0 */
	f->spec_offset = 0;
	f->spec_length = FILE_LEN - RUNFILE_FOOTER_SIZE;
}

static void wrap_spec2(struct runfile_footer *f)
{
	f->payload_offset = STUB_LEN;
	f->payload_length = UINT64_MAX - STUB_LEN;   /* ends at 2^64 - 1 */
	f->spec_offset = UINT64_MAX;
	f->spec_length = FILE_LEN - RUNFILE_FOOTER_SIZE + 1;   /* wraps to body */
}

START_TEST(offset_overflow)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct runfile_footer f;

	encode_with(raw, wrap_payload);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
			"does not end where the spec starts");
	encode_with(raw, wrap_spec);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
			"does not end where the spec starts");
	encode_with(raw, wrap_spec2);
	ck_assert_fails(runfile_footer_decode(raw, FILE_LEN, &f), -EBADMSG,
			"does not match the file size");
}
END_TEST

START_TEST(codec_names)
{
	ck_assert_str_eq(payload_codec_name(CODEC_NONE), "none");
	ck_assert_str_eq(payload_codec_name(CODEC_GZIP), "gzip");
	ck_assert_str_eq(payload_codec_name(CODEC_ZSTD), "zstd");
	ck_assert_str_eq(payload_codec_name(3), "unknown");
	ck_assert_int_eq(payload_codec_parse("gzip"), CODEC_GZIP);
	ck_assert_int_eq(payload_codec_parse("zstd"), CODEC_ZSTD);
	ck_assert_int_eq(payload_codec_parse("none"), CODEC_NONE);
	ck_assert_fails(payload_codec_parse("xz"), -EINVAL, "unknown codec 'xz'");
	ck_assert_fails(payload_codec_parse("GZIP"), -EINVAL, "unknown codec");
}
END_TEST

/* ---- a whole runfile, shortened at every byte ------------------------- */

/* [stub][payload: codec none, chunks as given][spec][footer] */
static void build_runfile_chunks(struct strbuf *file, const struct spec_chunk *chunks,
				 size_t nchunks)
{
	static const char stub[] = "\177ELF fake stub for the footer test";
	struct runfile_footer f = { .version = RUNFILE_FORMAT_VERSION, .codec = CODEC_NONE };
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct sha256_ctx ctx;
	struct spec s;
	/* one 10-byte member: header, data block, end blocks; stored raw */
	size_t payload_len = 2048;

	spec_init(&s);
	s.test_name = xstrdup("trunc");
	s.sched_name = xstrdup("eevdf");
	s.git_hash = xstrdup("unknown");
	s.packer = xstrdup("test_footer");
	spec_add_member(&s, MEMBER_RUNNER, 10);
	for (size_t i = 0; i < nchunks; i++)
		spec_add_chunk(&s, chunks[i].clen, chunks[i].ulen);
	ck_assert_ok(spec_encode(&s, &enc));
	spec_release(&s);

	strbuf_add(file, stub, sizeof(stub));
	f.payload_offset = file->len;
	f.payload_length = payload_len;
	for (size_t i = 0; i < payload_len; i++)
		strbuf_addch(file, (char)(i * 7));
	sha256_init(&ctx);
	sha256_update(&ctx, payload_len, (const uint8_t *)file->buf + f.payload_offset);
	sha256_digest(&ctx, 32, f.payload_sha256);
	f.spec_offset = file->len;
	f.spec_length = enc.len;
	sha256_init(&ctx);
	sha256_update(&ctx, enc.len, (const uint8_t *)enc.buf);
	sha256_digest(&ctx, 32, f.spec_sha256);
	strbuf_add(file, enc.buf, enc.len);
	runfile_footer_encode(&f, raw);
	strbuf_add(file, raw, sizeof(raw));
}

static void build_runfile(struct strbuf *file)
{
	static const struct spec_chunk one = { 2048, 2048 };

	build_runfile_chunks(file, &one, 1);
}

static int load_bytes(const char *path, const void *buf, size_t len)
{
	struct runfile rf;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int r;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	r = runfile_load(fd, &rf);   /* owns fd, also when it fails */
	if (r == 0)
		r = runfile_verify_payload(&rf);
	runfile_close(&rf);
	return r;
}

START_TEST(whole_file_loads)
{
	_cleanup_strbuf_ struct strbuf file = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xasprintf("%s/rf", dir);

	build_runfile(&file);
	ck_assert_ok(load_bytes(path, file.buf, file.len));
	unit_rm_rf(dir);
	free(path);
	free(dir);
}
END_TEST

START_TEST(truncated_footer_decode)
{
	_cleanup_strbuf_ struct strbuf file = STRBUF_INIT;
	struct runfile_footer f;

	build_runfile(&file);
	ck_assert_ok(runfile_footer_decode((const uint8_t *)file.buf + file.len - RUNFILE_FOOTER_SIZE,
					   file.len, &f));
	/* the file shortened by k bytes: its last 128 bytes are never a footer
	 * that fits the shorter file */
	for (size_t k = 1; k + RUNFILE_FOOTER_SIZE <= file.len; k++) {
		size_t size = file.len - k;

		error_clear();
		ck_assert_msg(runfile_footer_decode((const uint8_t *)file.buf + size -
						    RUNFILE_FOOTER_SIZE, size, &f) < 0,
			      "a file shortened by %zu bytes decoded", k);
		ck_assert_str_ne(error_message(), "unknown error");
	}
}
END_TEST

START_TEST(truncated_file_load)
{
	_cleanup_strbuf_ struct strbuf file = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xasprintf("%s/rf", dir);

	build_runfile(&file);
	for (size_t k = 1; k <= file.len; k++) {
		error_clear();
		ck_assert_msg(load_bytes(path, file.buf, file.len - k) < 0,
			      "a runfile shortened by %zu bytes loaded", k);
		ck_assert_str_ne(error_message(), "unknown error");
	}
	/* and one byte appended is as bad */
	strbuf_addch(&file, '\n');
	ck_assert_fails(load_bytes(path, file.buf, file.len), -EINVAL, "bad magic");
	unit_rm_rf(dir);
	free(path);
	free(dir);
}
END_TEST

/* Every single-bit flip of the spec or the payload is caught by a digest. */
START_TEST(digests_chain)
{
	_cleanup_strbuf_ struct strbuf file = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xasprintf("%s/rf", dir);
	struct runfile_footer f;

	build_runfile(&file);
	ck_assert_ok(runfile_footer_decode((const uint8_t *)file.buf + file.len - RUNFILE_FOOTER_SIZE,
					   file.len, &f));
	file.buf[f.spec_offset + 20] ^= 1;
	ck_assert_fails(load_bytes(path, file.buf, file.len), -EBADMSG, "spec digest mismatch");
	file.buf[f.spec_offset + 20] ^= 1;
	file.buf[f.payload_offset + 1000] ^= 1;
	ck_assert_fails(load_bytes(path, file.buf, file.len), -EBADMSG, "payload digest mismatch");
	file.buf[f.payload_offset + 1000] ^= 1;
	/* the stub is not covered by a digest: it is what runs */
	file.buf[10] ^= 1;
	ck_assert_ok(load_bytes(path, file.buf, file.len));
	unit_rm_rf(dir);
	free(path);
	free(dir);
}
END_TEST

/* The spec's chunk table must describe the payload the footer locates. */
START_TEST(chunk_table_must_cover_payload)
{
	static const struct spec_chunk short_table = { 2047, 2048 };
	static const struct spec_chunk resized[] = { { 1000, 1024 }, { 1048, 1024 } };
	static const struct spec_chunk two[] = { { 1024, 1024 }, { 1024, 1024 } };
	_cleanup_strbuf_ struct strbuf file = STRBUF_INIT;
	char *dir = unit_tmpdir(), *path = xasprintf("%s/rf", dir);

	build_runfile_chunks(&file, two, 2);
	ck_assert_ok(load_bytes(path, file.buf, file.len));
	strbuf_reset(&file);
	build_runfile_chunks(&file, &short_table, 1);
	ck_assert_fails(load_bytes(path, file.buf, file.len), -EBADMSG,
			"the chunk table covers 2047 bytes, the payload has 2048");
	strbuf_reset(&file);
	build_runfile_chunks(&file, resized, 2);
	ck_assert_fails(load_bytes(path, file.buf, file.len), -EBADMSG,
			"uncompressed chunk 0 changes size");
	unit_rm_rf(dir);
	free(path);
	free(dir);
}
END_TEST

UNIT_MAIN("footer",
	  UNIT_TCASE("codec", NULL, NULL, 0,
		     round_trip, layout, bad_magic, unknown_version, bad_size_field, crc_mismatch,
		     reserved_nonzero, unknown_codec, regions_must_tile, payload_offset_zero,
		     spec_length_bounds, offset_overflow, codec_names),
	  UNIT_TCASE("truncation", NULL, NULL, 60,
		     whole_file_loads, truncated_footer_decode, truncated_file_load, digests_chain,
		     chunk_table_must_cover_payload));
