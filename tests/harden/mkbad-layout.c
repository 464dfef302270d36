// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbad-layout.c - malformed runfiles at the level of the file layout:
 * truncations, cut-out and appended bytes, every footer field, flipped
 * payload bytes.  Footer changes are re-signed (the CRC is recomputed) so
 * that the check each case aims at is the one that fires; where a digest
 * would catch a change first, a second case recomputes it too.
 */
#include "mkbad.h"
#include "digest.h"

#include <stdio.h>
#include <string.h>

#define FOOTER_MISMATCH "footer does not match the file size"
#define BAD_MAGIC "no runfile footer (bad magic)"
#define NOT_SPEC_START "does not end where the spec starts"
#define PAYLOAD_DIGEST "payload digest mismatch: the runfile is corrupted"
#define EARLY_DIGEST "payload digest mismatch in the scheduler's part: the runfile is corrupted"

static uint64_t body_of(const struct good *g)
{
	return g->size - RUNFILE_FOOTER_SIZE;
}

static void copy_good(const struct good *g, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_add(out, g->file, g->size);
}

/* ---- truncation -------------------------------------------------------------- */

enum { TR_EMPTY = -1, TR_STUB_HALF = -2, TR_AT_PAYLOAD = -3, TR_IN_EARLY = -4,
       TR_AT_RUNNER = -5, TR_IN_PAYLOAD = -6, TR_AT_SPEC = -7, TR_IN_SPEC = -8,
       TR_AT_FOOTER = -9, TR_SHORT = -10 };

static int make_trunc(const struct good *g, const struct bad_case *c, struct strbuf *out,
		      struct expect *x)
{
	size_t len;

	switch (c->arg) {
	case TR_EMPTY: len = 0; break;
	case TR_SHORT: len = RUNFILE_FOOTER_SIZE - 1; break;
	case TR_STUB_HALF: len = g->stub_len / 2; break;
	case TR_AT_PAYLOAD: len = g->stub_len; break;
	case TR_IN_EARLY: len = g->stub_len + (size_t)g->spec.early_clen / 2; break;
	case TR_AT_RUNNER: len = g->stub_len + (size_t)g->spec.early_clen; break;
	case TR_IN_PAYLOAD: len = g->stub_len + g->payload_len / 2; break;
	case TR_AT_SPEC: len = g->stub_len + g->payload_len; break;
	case TR_IN_SPEC: len = g->stub_len + g->payload_len + g->spec_len / 2; break;
	case TR_AT_FOOTER: len = g->size - RUNFILE_FOOTER_SIZE; break;
	default: len = g->size - (size_t)c->arg; break;   /* 1..127 bytes off the footer */
	}
	strbuf_reset(out);
	strbuf_add(out, g->file, len);
	x->exec = len >= g->stub_len;
	if (len < RUNFILE_FOOTER_SIZE)
		expect_msg(x, LEVEL_LOAD, "truncated: %zu bytes is less than the %d-byte footer", len,
			   RUNFILE_FOOTER_SIZE);
	else
		expect_msg(x, LEVEL_LOAD, BAD_MAGIC);
	return 0;
}

/* ---- bytes cut out of a region or added, the footer kept ---------------------- */

enum { CUT_PAYLOAD, CUT_PAYLOAD_BLOCK, CUT_PAYLOAD_BYTE, CUT_SPEC, CUT_SPEC_BYTE, CUT_STUB_BLOCK,
       ADD_PAYLOAD_BLOCK, ADD_BYTE, ADD_FOOTER, ADD_ZEROS };

static int make_cut(const struct good *g, const struct bad_case *c, struct strbuf *out,
		    struct expect *x)
{
	size_t a = 0, b = 0, mid = g->stub_len + g->payload_len / 2;

	switch (c->arg) {
	case CUT_PAYLOAD: a = g->stub_len; b = a + g->payload_len; break;
	case CUT_PAYLOAD_BLOCK: a = mid; b = mid + 4096; break;
	case CUT_PAYLOAD_BYTE: a = mid; b = mid + 1; break;
	case CUT_SPEC: a = g->stub_len + g->payload_len; b = a + g->spec_len; break;
	case CUT_SPEC_BYTE: a = g->stub_len + g->payload_len + 20; b = a + 1; break;
	case CUT_STUB_BLOCK: a = g->stub_len - 8192; b = a + 4096; x->exec = false; break;
	}
	strbuf_reset(out);
	strbuf_add(out, g->file, a);
	if (c->arg == ADD_PAYLOAD_BLOCK) {
		strbuf_add(out, g->file, mid);
		strbuf_add(out, g->file + mid - 4096, 4096);
		strbuf_add(out, g->file + mid, g->size - mid);
	} else if (c->arg == ADD_BYTE || c->arg == ADD_FOOTER || c->arg == ADD_ZEROS) {
		static const uint8_t zeros[4096];

		strbuf_add(out, g->file, g->size);
		if (c->arg == ADD_BYTE)
			strbuf_addch(out, '\n');
		else if (c->arg == ADD_ZEROS)
			strbuf_add(out, zeros, sizeof(zeros));
		else
			strbuf_add(out, g->file + g->size - RUNFILE_FOOTER_SIZE, RUNFILE_FOOTER_SIZE);
		expect_msg(x, LEVEL_LOAD, c->arg == ADD_FOOTER ? FOOTER_MISMATCH : BAD_MAGIC);
		return 0;
	} else {
		strbuf_add(out, g->file + b, g->size - b);
	}
	expect_msg(x, LEVEL_LOAD, FOOTER_MISMATCH);
	return 0;
}

/* ---- footer fields, re-signed ------------------------------------------------ */

enum { F_MAGIC, F_VERSION_0, F_VERSION_2, F_VERSION_MAX, F_SIZE, F_CRC_DATA, F_CRC_FIELD, F_FLAGS,
       F_RESERVED, F_CODEC_3, F_CODEC_MAX, F_POFF_0, F_POFF_EOF, F_POFF_MAX, F_PLEN_EOF,
       F_PLEN_WRAP, F_PLEN_MAX, F_SLEN_EOF, F_SLEN_WRAP, F_SLEN_MAX, F_SOFF_MAX,
       F_SPEC_INTO_FOOTER, F_OVERLAP, F_SHIFT_SPEC_BACK, F_SHIFT_SPEC_BACK_DIGEST,
       F_SHIFT_SPEC_FWD_DIGEST, F_SHIFT_STUB, F_SPEC_LEN_0, F_SPEC_TOO_LONG, F_PLEN_0,
       F_CODEC_NONE, F_CODEC_ZSTD, F_PSHA_FLIP, F_SSHA_FLIP, F_SPEC_BYTE_FLIP };

static void set64(struct strbuf *out, unsigned off, uint64_t v)
{
	put_le64(footer_of(out) + off, v);
}

static void set32(struct strbuf *out, unsigned off, uint32_t v)
{
	put_le32(footer_of(out) + off, v);
}

/* Recompute the spec digest over the spec range the footer now names. */
static void redigest_spec(struct strbuf *out)
{
	uint8_t *f = footer_of(out);
	uint64_t off = get_le64(f + FOOTER_OFF_SPEC_OFFSET), len = get_le64(f + FOOTER_OFF_SPEC_LENGTH);

	sha256_buf(out->buf + off, (size_t)len, f + FOOTER_OFF_SPEC_SHA256);
}

static int make_footer(const struct good *g, const struct bad_case *c, struct strbuf *out,
		       struct expect *x)
{
	uint64_t poff = g->f.payload_offset, plen = g->f.payload_length;
	uint64_t soff = g->f.spec_offset, slen = g->f.spec_length, body = body_of(g);
	bool sign = true;
	char m[MKBAD_MSG_MAX];

	copy_good(g, out);
	switch (c->arg) {
	case F_MAGIC:
		footer_of(out)[0] ^= 0x20;
		expect_msg(x, LEVEL_LOAD, BAD_MAGIC);
		break;
	case F_VERSION_0: case F_VERSION_2: case F_VERSION_MAX: {
		uint32_t v = c->arg == F_VERSION_0 ? 0 : c->arg == F_VERSION_2 ? 2 : UINT32_MAX;

		set32(out, FOOTER_OFF_VERSION, v);
		expect_msg(x, LEVEL_LOAD, "runfile format version %u is not supported", v);
		break;
	}
	case F_SIZE:
		set32(out, FOOTER_OFF_SIZE, 64);
		expect_msg(x, LEVEL_LOAD, "corrupt footer: size field is 64, expected %d",
			   RUNFILE_FOOTER_SIZE);
		break;
	case F_CRC_DATA:
		footer_of(out)[FOOTER_OFF_PAYLOAD_SHA256 + 7] ^= 1;
		sign = false;
		expect_msg(x, LEVEL_LOAD, "corrupt footer: checksum mismatch");
		break;
	case F_CRC_FIELD:
		footer_of(out)[FOOTER_OFF_CRC32 + 3] ^= 0x80;
		sign = false;
		expect_msg(x, LEVEL_LOAD, "corrupt footer: checksum mismatch");
		break;
	case F_FLAGS: case F_RESERVED:
		set32(out, c->arg == F_FLAGS ? FOOTER_OFF_FLAGS : FOOTER_OFF_RESERVED, 1);
		expect_msg(x, LEVEL_LOAD, "corrupt footer: reserved fields are not zero");
		break;
	case F_CODEC_3: case F_CODEC_MAX: {
		uint32_t v = c->arg == F_CODEC_3 ? 3 : UINT32_MAX;

		set32(out, FOOTER_OFF_CODEC, v);
		expect_msg(x, LEVEL_LOAD, "corrupt footer: unknown payload codec %u", v);
		break;
	}
	case F_POFF_0:
		set64(out, FOOTER_OFF_PAYLOAD_OFFSET, 0);
		expect_msg(x, LEVEL_LOAD, "payload offset 0 leaves no room for the stub");
		break;
	case F_POFF_EOF: case F_POFF_MAX:
		set64(out, FOOTER_OFF_PAYLOAD_OFFSET, c->arg == F_POFF_EOF ? g->size : UINT64_MAX);
		expect_msg(x, LEVEL_LOAD, NOT_SPEC_START);
		break;
	case F_PLEN_EOF: case F_PLEN_MAX:
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, c->arg == F_PLEN_EOF ? g->size : UINT64_MAX);
		expect_msg(x, LEVEL_LOAD, NOT_SPEC_START);
		break;
	case F_PLEN_WRAP:
		/* offset + length wraps around 2^64 to exactly the spec offset */
		set64(out, FOOTER_OFF_PAYLOAD_OFFSET, 1ull << 63);
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, (1ull << 63) + soff);
		expect_msg(x, LEVEL_LOAD, NOT_SPEC_START);
		break;
	case F_SLEN_EOF:
		set64(out, FOOTER_OFF_SPEC_LENGTH, slen + 1);
		expect_msg(x, LEVEL_LOAD, FOOTER_MISMATCH);
		break;
	case F_SLEN_WRAP:
		/* the payload ends where the spec starts, at 2^63; the spec's
		 * end wraps around 2^64 to exactly the footer */
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, (1ull << 63) - poff);
		set64(out, FOOTER_OFF_SPEC_OFFSET, 1ull << 63);
		set64(out, FOOTER_OFF_SPEC_LENGTH, (1ull << 63) + body);
		expect_msg(x, LEVEL_LOAD, FOOTER_MISMATCH);
		break;
	case F_SLEN_MAX:
		set64(out, FOOTER_OFF_SPEC_LENGTH, UINT64_MAX);
		expect_msg(x, LEVEL_LOAD, FOOTER_MISMATCH);
		break;
	case F_SOFF_MAX:
		/* both regions moved together: the payload still ends at the spec */
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, UINT64_MAX - poff);
		set64(out, FOOTER_OFF_SPEC_OFFSET, UINT64_MAX);
		expect_msg(x, LEVEL_LOAD, FOOTER_MISMATCH);
		break;
	case F_SPEC_INTO_FOOTER:
		set64(out, FOOTER_OFF_SPEC_LENGTH, slen + RUNFILE_FOOTER_SIZE);
		expect_msg(x, LEVEL_LOAD, FOOTER_MISMATCH);
		break;
	case F_OVERLAP:
		set64(out, FOOTER_OFF_SPEC_OFFSET, soff - 16);
		set64(out, FOOTER_OFF_SPEC_LENGTH, slen + 16);
		expect_msg(x, LEVEL_LOAD, NOT_SPEC_START);
		break;
	case F_SHIFT_SPEC_BACK: case F_SHIFT_SPEC_BACK_DIGEST:
		/* tiles the file, but the spec range starts inside the payload */
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, plen - 16);
		set64(out, FOOTER_OFF_SPEC_OFFSET, soff - 16);
		set64(out, FOOTER_OFF_SPEC_LENGTH, slen + 16);
		if (c->arg == F_SHIFT_SPEC_BACK) {
			expect_msg(x, LEVEL_LOAD, "spec digest mismatch: the runfile is corrupted");
			break;
		}
		redigest_spec(out);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: bad magic");
		break;
	case F_SHIFT_SPEC_FWD_DIGEST:
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, plen + 16);
		set64(out, FOOTER_OFF_SPEC_OFFSET, soff + 16);
		set64(out, FOOTER_OFF_SPEC_LENGTH, slen - 16);
		redigest_spec(out);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: bad magic");
		break;
	case F_SHIFT_STUB:
		set64(out, FOOTER_OFF_PAYLOAD_OFFSET, poff - 4096);
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, plen + 4096);
		expect_msg(x, LEVEL_LOAD, "corrupt runfile: the chunk table covers %llu bytes, the "
			   "payload has %llu", (unsigned long long)plen,
			   (unsigned long long)(plen + 4096));
		break;
	case F_SPEC_LEN_0:
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, body - poff);
		set64(out, FOOTER_OFF_SPEC_OFFSET, body);
		set64(out, FOOTER_OFF_SPEC_LENGTH, 0);
		expect_msg(x, LEVEL_LOAD, "corrupt footer: spec length 0 is outside 1..%u",
			   RUNFILE_SPEC_MAX);
		break;
	case F_SPEC_TOO_LONG:
		set64(out, FOOTER_OFF_PAYLOAD_OFFSET, 1);
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, 1);
		set64(out, FOOTER_OFF_SPEC_OFFSET, 2);
		set64(out, FOOTER_OFF_SPEC_LENGTH, body - 2);
		expect_msg(x, LEVEL_LOAD, "corrupt footer: spec length %llu is outside 1..%u",
			   (unsigned long long)(body - 2), RUNFILE_SPEC_MAX);
		break;
	case F_PLEN_0:
		set64(out, FOOTER_OFF_PAYLOAD_OFFSET, soff);
		set64(out, FOOTER_OFF_PAYLOAD_LENGTH, 0);
		expect_msg(x, LEVEL_LOAD, "corrupt runfile: the chunk table covers %llu bytes, the "
			   "payload has 0", (unsigned long long)plen);
		break;
	case F_CODEC_NONE:
		set32(out, FOOTER_OFF_CODEC, CODEC_NONE);
		expect_msg(x, LEVEL_LOAD, "corrupt runfile: uncompressed chunk 0 changes size");
		break;
	case F_CODEC_ZSTD:
		/* the codec is not under any digest: only the extraction notices */
		set32(out, FOOTER_OFF_CODEC, CODEC_ZSTD);
		simulate_payload(&g->spec, CODEC_ZSTD, g->payload, g->payload_len,
				 g->f.payload_sha256, m, sizeof(m));
		expect_msg(x, LEVEL_TAR, "%s", m);
		break;
	case F_PSHA_FLIP: {
		uint8_t psha[32];

		footer_of(out)[FOOTER_OFF_PAYLOAD_SHA256] ^= 0x01;
		memcpy(psha, footer_of(out) + FOOTER_OFF_PAYLOAD_SHA256, 32);
		simulate_payload(&g->spec, g->f.codec, g->payload, g->payload_len, psha, m,
				 sizeof(m));
		expect_msg(x, LEVEL_PAYLOAD, "%s", m);
		snprintf(x->verify, sizeof(x->verify), PAYLOAD_DIGEST);
		break;
	}
	case F_SSHA_FLIP:
		footer_of(out)[FOOTER_OFF_SPEC_SHA256 + 31] ^= 0x80;
		expect_msg(x, LEVEL_LOAD, "spec digest mismatch: the runfile is corrupted");
		break;
	case F_SPEC_BYTE_FLIP:
		out->buf[soff + slen / 2] ^= 0x01;
		sign = false;
		expect_msg(x, LEVEL_LOAD, "spec digest mismatch: the runfile is corrupted");
		break;
	}
	if (sign)
		resign(out);
	return 0;
}

/* ---- one flipped payload byte -------------------------------------------------- */

enum { P_START = -1, P_EARLY_CRC = -2, P_EARLY_LAST = -3, P_RUNNER_START = -4,
       P_RUNNER_MTIME = -5, P_MIDDLE = -6, P_END_CRC = -7, P_LAST = -8 };

static int make_flip(const struct good *g, const struct bad_case *c, struct strbuf *out,
		     struct expect *x)
{
	size_t early = (size_t)g->spec.early_clen, at;
	char m[MKBAD_MSG_MAX];

	switch (c->arg) {
	case P_START: at = 0; break;
	case P_EARLY_CRC: at = early - 8; break;          /* gzip trailer: CRC32 */
	case P_EARLY_LAST: at = early - 1; break;         /* gzip trailer: ISIZE */
	case P_RUNNER_START: at = early; break;
	case P_RUNNER_MTIME: at = early + 4; break;       /* not covered by gzip's CRC */
	case P_MIDDLE: at = early + (g->payload_len - early) / 2; break;
	case P_END_CRC: at = g->payload_len - 8; break;
	case P_LAST: at = g->payload_len - 1; break;
	default: at = (size_t)c->arg; break;             /* a gzip header byte of chunk 0 */
	}
	copy_good(g, out);
	out->buf[g->stub_len + at] ^= 0x01;
	simulate_payload(&g->spec, g->f.codec, (const uint8_t *)out->buf + g->stub_len,
			 g->payload_len, g->f.payload_sha256, m, sizeof(m));
	expect_msg(x, LEVEL_PAYLOAD, "%s", m);
	/* --verify hashes the early prefix first, on its own */
	snprintf(x->verify, sizeof(x->verify), "%s", at < early ? EARLY_DIGEST : PAYLOAD_DIGEST);
	return 0;
}

const struct bad_case layout_cases[] = {
	{ "trunc-empty", make_trunc, TR_EMPTY, NULL, 0 },
	{ "trunc-shorter-than-footer", make_trunc, TR_SHORT, NULL, 0 },
	{ "trunc-in-stub", make_trunc, TR_STUB_HALF, NULL, 0 },
	{ "trunc-at-payload", make_trunc, TR_AT_PAYLOAD, NULL, 0 },
	{ "trunc-in-early-prefix", make_trunc, TR_IN_EARLY, NULL, 0 },
	{ "trunc-at-runner", make_trunc, TR_AT_RUNNER, NULL, 0 },
	{ "trunc-in-payload", make_trunc, TR_IN_PAYLOAD, NULL, 0 },
	{ "trunc-at-spec", make_trunc, TR_AT_SPEC, NULL, 0 },
	{ "trunc-in-spec", make_trunc, TR_IN_SPEC, NULL, 0 },
	{ "trunc-at-footer", make_trunc, TR_AT_FOOTER, NULL, 0 },
	{ "trunc-footer", make_trunc, 0, NULL, RUNFILE_FOOTER_SIZE - 1 },
	{ "cut-payload", make_cut, CUT_PAYLOAD, NULL, 0 },
	{ "cut-payload-block", make_cut, CUT_PAYLOAD_BLOCK, NULL, 0 },
	{ "cut-payload-byte", make_cut, CUT_PAYLOAD_BYTE, NULL, 0 },
	{ "cut-spec", make_cut, CUT_SPEC, NULL, 0 },
	{ "cut-spec-byte", make_cut, CUT_SPEC_BYTE, NULL, 0 },
	{ "cut-stub-block", make_cut, CUT_STUB_BLOCK, NULL, 0 },
	{ "add-payload-block", make_cut, ADD_PAYLOAD_BLOCK, NULL, 0 },
	{ "add-byte", make_cut, ADD_BYTE, NULL, 0 },
	{ "add-zeros", make_cut, ADD_ZEROS, NULL, 0 },
	{ "add-second-footer", make_cut, ADD_FOOTER, NULL, 0 },
	{ "footer-magic", make_footer, F_MAGIC, NULL, 0 },
	{ "footer-version-0", make_footer, F_VERSION_0, NULL, 0 },
	{ "footer-version-2", make_footer, F_VERSION_2, NULL, 0 },
	{ "footer-version-max", make_footer, F_VERSION_MAX, NULL, 0 },
	{ "footer-size-field", make_footer, F_SIZE, NULL, 0 },
	{ "footer-crc-data", make_footer, F_CRC_DATA, NULL, 0 },
	{ "footer-crc-field", make_footer, F_CRC_FIELD, NULL, 0 },
	{ "footer-flags", make_footer, F_FLAGS, NULL, 0 },
	{ "footer-reserved", make_footer, F_RESERVED, NULL, 0 },
	{ "footer-codec-3", make_footer, F_CODEC_3, NULL, 0 },
	{ "footer-codec-max", make_footer, F_CODEC_MAX, NULL, 0 },
	{ "footer-payload-offset-0", make_footer, F_POFF_0, NULL, 0 },
	{ "footer-payload-offset-eof", make_footer, F_POFF_EOF, NULL, 0 },
	{ "footer-payload-offset-max", make_footer, F_POFF_MAX, NULL, 0 },
	{ "footer-payload-length-eof", make_footer, F_PLEN_EOF, NULL, 0 },
	{ "footer-payload-length-max", make_footer, F_PLEN_MAX, NULL, 0 },
	{ "footer-payload-length-wraps", make_footer, F_PLEN_WRAP, NULL, 0 },
	{ "footer-spec-length-eof", make_footer, F_SLEN_EOF, NULL, 0 },
	{ "footer-spec-length-wraps", make_footer, F_SLEN_WRAP, NULL, 0 },
	{ "footer-spec-length-max", make_footer, F_SLEN_MAX, NULL, 0 },
	{ "footer-spec-offset-max", make_footer, F_SOFF_MAX, NULL, 0 },
	{ "footer-spec-into-footer", make_footer, F_SPEC_INTO_FOOTER, NULL, 0 },
	{ "footer-overlap", make_footer, F_OVERLAP, NULL, 0 },
	{ "footer-spec-shifted", make_footer, F_SHIFT_SPEC_BACK, NULL, 0 },
	{ "footer-spec-shifted-redigested", make_footer, F_SHIFT_SPEC_BACK_DIGEST, NULL, 0 },
	{ "footer-spec-shifted-fwd-redigested", make_footer, F_SHIFT_SPEC_FWD_DIGEST, NULL, 0 },
	{ "footer-payload-into-stub", make_footer, F_SHIFT_STUB, NULL, 0 },
	{ "footer-spec-length-0", make_footer, F_SPEC_LEN_0, NULL, 0 },
	{ "footer-spec-too-long", make_footer, F_SPEC_TOO_LONG, NULL, 0 },
	{ "footer-payload-length-0", make_footer, F_PLEN_0, NULL, 0 },
	{ "footer-codec-none", make_footer, F_CODEC_NONE, NULL, 0 },
	{ "footer-codec-zstd", make_footer, F_CODEC_ZSTD, NULL, 0 },
	{ "footer-payload-digest", make_footer, F_PSHA_FLIP, NULL, 0 },
	{ "footer-spec-digest", make_footer, F_SSHA_FLIP, NULL, 0 },
	{ "spec-byte-flipped", make_footer, F_SPEC_BYTE_FLIP, NULL, 0 },
	{ "flip-payload-start", make_flip, P_START, NULL, 0 },
	{ "flip-gzip-flags", make_flip, 3, NULL, 0 },
	{ "flip-gzip-mtime", make_flip, 5, NULL, 0 },
	{ "flip-gzip-os", make_flip, 9, NULL, 0 },
	{ "flip-deflate-data", make_flip, 100, NULL, 0 },
	{ "flip-early-crc", make_flip, P_EARLY_CRC, NULL, 0 },
	{ "flip-early-last", make_flip, P_EARLY_LAST, NULL, 0 },
	{ "flip-runner-start", make_flip, P_RUNNER_START, NULL, 0 },
	{ "flip-runner-mtime", make_flip, P_RUNNER_MTIME, NULL, 0 },
	{ "flip-payload-middle", make_flip, P_MIDDLE, NULL, 0 },
	{ "flip-end-crc", make_flip, P_END_CRC, NULL, 0 },
	{ "flip-payload-last", make_flip, P_LAST, NULL, 0 },
	{ NULL, NULL, 0, NULL, 0 },
};
