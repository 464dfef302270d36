// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_spec_decode.c - every structural rejection of the spec decoder:
 * header, record order and repetition, missing records, lengths, strings,
 * argument segments, counts.  Each case changes one thing in a valid
 * encoding (spec_fixture.h's record surgery), so the rejection is its own.
 */
#include "spec.h"
#include "spec_fixture.h"
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* A valid encoding split into records, for surgery. */
static void valid_records(struct raw_spec *rs, bool sched)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec s;

	fixture_spec(&s, sched);
	if (sched) {
		s.cgroup_parent = xstrdup("/cells");
		spec_arg_add_literal(spec_add_arg(&s), "--x", 3);
	}
	ck_assert_ok(spec_encode(&s, &enc));
	spec_release(&s);
	raw_split(&enc, rs);
}

/* Decoding @rs fails with @err and a message containing @msg. */
static void expect_reject(struct raw_spec *rs, int err, const char *msg)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec out;

	raw_join(rs, &enc);
	ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), err, msg);
	ck_assert_ptr_null(out.test_name);   /* released on failure */
	ck_assert_uint_eq(out.nmembers, 0);
}

START_TEST(surgery_control)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct raw_spec rs;
	struct spec out;

	/* split + join without changes decodes: the rejections below are
	 * caused by the one change each makes */
	for (int sched = 0; sched < 2; sched++) {
		valid_records(&rs, sched);
		strbuf_reset(&enc);
		raw_join(&rs, &enc);
		ck_assert_ok(spec_decode((const uint8_t *)enc.buf, enc.len, &out));
		spec_release(&out);
		raw_release(&rs);
	}
}
END_TEST

START_TEST(header_rejections)
{
	struct raw_spec rs;

	valid_records(&rs, true);
	rs.magic[3] = 'X';
	expect_reject(&rs, -EBADMSG, "bad magic");
	rs.magic[3] = 'C';
	rs.version = 2;
	expect_reject(&rs, -EPROTO, "spec version 2 is not supported");
	rs.version = 0;
	expect_reject(&rs, -EPROTO, "spec version 0");
	rs.version = 1;
	rs.reserved = 1;
	expect_reject(&rs, -EBADMSG, "reserved header field");
	rs.reserved = 0;
	rs.rec[2].flags = 0x8000;
	expect_reject(&rs, -EBADMSG, "record 2 (git hash): flags are not zero");
	rs.rec[2].flags = 0;
	rs.nrec = 16 + SPEC_ARGS_MAX + SPEC_MEMBERS_MAX + 1;
	expect_reject(&rs, -EBADMSG, "records (max 5138)");
	rs.nrec = (uint32_t)rs.n + 1;
	expect_reject(&rs, -EBADMSG, "truncated at record");
	rs.nrec = (uint32_t)rs.n - 1;
	expect_reject(&rs, -EBADMSG, "trailing bytes");
	rs.nrec = 0xffffffffu;
	expect_reject(&rs, -EBADMSG, "records (max");
	raw_release(&rs);
}
END_TEST

START_TEST(unknown_tags)
{
	static const uint16_t tags[] = { 0, SPEC_TAG_MAX + 1, 0x100, 0xffff };
	struct raw_spec rs;

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		valid_records(&rs, true);
		raw_insert(&rs, rs.n, tags[i], "x", 1);   /* last: order is not the issue */
		rs.nrec++;
		expect_reject(&rs, -EBADMSG, "unknown tag");
		raw_release(&rs);
	}
}
END_TEST

START_TEST(tags_out_of_order)
{
	struct raw_spec rs;
	struct raw_record tmp;

	valid_records(&rs, true);
	tmp = rs.rec[0];
	rs.rec[0] = rs.rec[1];
	rs.rec[1] = tmp;
	expect_reject(&rs, -EBADMSG, "record 1 (test name): out of order");
	raw_release(&rs);
	/* the chunk table before the last member */
	valid_records(&rs, true);
	tmp = rs.rec[rs.n - 2];
	rs.rec[rs.n - 2] = rs.rec[rs.n - 3];
	rs.rec[rs.n - 3] = tmp;
	expect_reject(&rs, -EBADMSG, "(member): out of order");
	raw_release(&rs);
}
END_TEST

START_TEST(duplicate_records)
{
	struct raw_spec rs;

	for (uint16_t tag = 1; tag <= SPEC_TAG_MAX; tag++) {
		long i;

		valid_records(&rs, true);
		i = raw_find(&rs, tag);
		ck_assert_int_ge(i, 0);
		raw_insert(&rs, (size_t)i + 1, tag, rs.rec[i].val.buf, rs.rec[i].val.len);
		rs.nrec++;
		if (tag == SPEC_TAG_SCHED_ARG) {
			/* repeatable: a second identical arg is just another arg */
			_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
			struct spec out;

			raw_join(&rs, &enc);
			ck_assert_ok(spec_decode((const uint8_t *)enc.buf, enc.len, &out));
			ck_assert_uint_eq(out.sched_argc, 2);
			spec_release(&out);
		} else if (tag == SPEC_TAG_MEMBER) {
			/* repeatable too, but not with the same name */
			expect_reject(&rs, -EBADMSG, "archive member scheduler appears twice");
		} else {
			expect_reject(&rs, -EBADMSG, "appears twice");
		}
		raw_release(&rs);
	}
}
END_TEST

START_TEST(missing_required)
{
	static const struct { uint16_t tag; const char *name; } req[] = {
		{ 1, "test name" }, { 2, "scheduler name" }, { 3, "git hash" }, { 4, "packer" },
		{ 5, "topology" }, { 6, "times" }, { 9, "member" }, { 10, "chunk table" },
	};
	struct raw_spec rs;
	char msg[64];

	for (size_t k = 0; k < sizeof(req) / sizeof(req[0]); k++) {
		long i;

		valid_records(&rs, false);
		while ((i = raw_find(&rs, req[k].tag)) >= 0) {
			raw_remove(&rs, (size_t)i);
			rs.nrec--;
		}
		snprintf(msg, sizeof(msg), "the %s record is missing", req[k].name);
		expect_reject(&rs, -EBADMSG, msg);
		raw_release(&rs);
	}
}
END_TEST

START_TEST(value_runs_past_end)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct raw_spec rs;
	struct spec out;

	valid_records(&rs, true);
	raw_join(&rs, &enc);
	/* the last record claims one more byte than there is */
	put_le32((uint8_t *)enc.buf + enc.len - rs.rec[rs.n - 1].val.len - 4,
		 (uint32_t)rs.rec[rs.n - 1].val.len + 1);
	ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), -EBADMSG,
			"length runs past the end of the spec");
	raw_release(&rs);
}
END_TEST

static void set_value(struct raw_spec *rs, uint16_t tag, const void *val, size_t len)
{
	long i = raw_find(rs, tag);

	ck_assert_int_ge(i, 0);
	strbuf_reset(&rs->rec[i].val);
	strbuf_add(&rs->rec[i].val, val, len);
}

START_TEST(wrong_fixed_lengths)
{
	static const struct { uint16_t tag; size_t good; } fixed[] = {
		{ SPEC_TAG_TOPOLOGY, 16 }, { SPEC_TAG_TIMES, 12 }, { SPEC_TAG_EARLY, 48 },
	};
	uint8_t zeros[64] = { 0 };
	struct raw_spec rs;

	for (size_t k = 0; k < 3; k++)
		for (int d = -1; d <= 1; d += 2) {
			valid_records(&rs, true);
			set_value(&rs, fixed[k].tag, zeros, fixed[k].good + (size_t)d);
			expect_reject(&rs, -EBADMSG, "wrong length");
			raw_release(&rs);
		}
	/* the chunk table: whole 16-byte entries, at least one */
	for (size_t len = 0; len < 40; len += 8) {
		if (len == 16 || len == 32)
			continue;
		valid_records(&rs, false);
		set_value(&rs, SPEC_TAG_CHUNKS, zeros, len);
		expect_reject(&rs, -EBADMSG, "(chunk table): wrong length");
		raw_release(&rs);
	}
	/* a member: 12 fixed bytes and a name of 1..263 bytes */
	valid_records(&rs, false);
	set_value(&rs, SPEC_TAG_MEMBER, zeros, 12);
	expect_reject(&rs, -EBADMSG, "(member): wrong length");
	raw_release(&rs);
	{
		uint8_t v[12 + 264];

		memset(v, 'a', sizeof(v));
		put_le64(v, 1);
		put_le32(v + 8, 0755);
		memcpy(v + 12, "include/", 8);
		valid_records(&rs, false);
		set_value(&rs, SPEC_TAG_MEMBER, v, sizeof(v));
		expect_reject(&rs, -EBADMSG, "(member): wrong length");
		raw_release(&rs);
	}
}
END_TEST

START_TEST(string_lengths_and_nul)
{
	static const struct { uint16_t tag; size_t max; const char *name; } strs[] = {
		{ 1, SPEC_NAME_MAX, "test name" }, { 2, SPEC_NAME_MAX, "scheduler name" },
		{ 3, SPEC_GIT_HASH_MAX, "git hash" }, { 4, SPEC_NAME_MAX, "packer" },
		{ 7, SPEC_PATH_MAX, "cgroup parent" },
	};
	char *big = xmalloc(SPEC_PATH_MAX + 2);
	struct raw_spec rs;
	char msg[80];

	memset(big, 'a', SPEC_PATH_MAX + 2);
	for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++) {
		snprintf(msg, sizeof(msg), "(%s): length out of range", strs[k].name);
		valid_records(&rs, true);
		set_value(&rs, strs[k].tag, "", 0);
		expect_reject(&rs, -EBADMSG, msg);
		set_value(&rs, strs[k].tag, big, strs[k].max + 1);
		expect_reject(&rs, -EBADMSG, msg);
		snprintf(msg, sizeof(msg), "(%s): contains a NUL byte", strs[k].name);
		set_value(&rs, strs[k].tag, "/a\0b", 4);
		expect_reject(&rs, -EBADMSG, msg);
		raw_release(&rs);
	}
	free(big);
	{
		uint8_t v[12 + 10];

		put_le64(v, 1000);
		put_le32(v + 8, 0755);
		memcpy(v + 12, "ktstr\0xxxx", 10);
		valid_records(&rs, false);
		set_value(&rs, SPEC_TAG_MEMBER, v, sizeof(v));
		expect_reject(&rs, -EBADMSG, "name contains a NUL byte");
		raw_release(&rs);
	}
}
END_TEST

/* One scheduler-argument record with the given value. */
static void expect_arg_reject(const void *val, size_t len, const char *msg)
{
	struct raw_spec rs;

	valid_records(&rs, true);
	set_value(&rs, SPEC_TAG_SCHED_ARG, val, len);
	expect_reject(&rs, -EBADMSG, msg);
	raw_release(&rs);
}

START_TEST(segment_rejections)
{
	static const uint8_t unknown_kind[] = { 2 };
	static const uint8_t short_len[] = { 0, 3, 0, 0 };
	static const uint8_t zero_len[] = { 0, 0, 0, 0, 0 };
	static const uint8_t overrun[] = { 0, 4, 0, 0, 0, 'a', 'b', 'c' };
	static const uint8_t huge_len[] = { 0, 0xff, 0xff, 0xff, 0xff, 'a' };
	static const uint8_t nul[] = { 0, 3, 0, 0, 0, 'a', 0, 'c' };
	static const uint8_t adjacent[] = { 0, 1, 0, 0, 0, 'a', 0, 1, 0, 0, 0, 'b' };
	static const uint8_t adjacent_after_dir[] = { 1, 0, 1, 0, 0, 0, 'a', 0, 1, 0, 0, 0, 'b' };
	uint8_t many[SPEC_SEGMENTS_MAX + 1];

	expect_arg_reject(unknown_kind, sizeof(unknown_kind), "unknown segment kind");
	expect_arg_reject(short_len, sizeof(short_len), "truncated segment length");
	expect_arg_reject(zero_len, sizeof(zero_len), "segment length out of range");
	expect_arg_reject(overrun, sizeof(overrun), "segment length out of range");
	expect_arg_reject(huge_len, sizeof(huge_len), "segment length out of range");
	expect_arg_reject(nul, sizeof(nul), "segment contains a NUL byte");
	expect_arg_reject(adjacent, sizeof(adjacent), "two literal segments in a row");
	expect_arg_reject(adjacent_after_dir, sizeof(adjacent_after_dir),
			  "two literal segments in a row");
	memset(many, ARG_SEG_DIR, sizeof(many));
	expect_arg_reject(many, sizeof(many), "too many segments");
}
END_TEST

START_TEST(too_many_records_of_a_kind)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec s, out;

	/* raw_encode writes what spec_encode refuses to */
	fixture_spec(&s, true);
	for (int i = 0; i <= SPEC_ARGS_MAX; i++)
		spec_add_arg(&s);
	raw_encode(&s, &enc);
	ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), -EBADMSG,
			"too many scheduler arguments");
	spec_release(&s);

	fixture_spec(&s, true);
	fixture_fill_members(&s, SPEC_MEMBERS_MAX + 1);
	strbuf_reset(&enc);
	raw_encode(&s, &enc);
	ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), -EBADMSG,
			"too many members");
	spec_release(&s);

	fixture_spec(&s, false);
	fixture_many_chunks(&s, SPEC_CHUNKS_MAX + 1);
	strbuf_reset(&enc);
	raw_encode(&s, &enc);
	ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), -EBADMSG,
			"(chunk table): wrong length");
	spec_release(&s);
}
END_TEST

UNIT_MAIN("spec_decode",
	  UNIT_TCASE("decoder structure", NULL, NULL, 60,
		     surgery_control, header_rejections, unknown_tags, tags_out_of_order,
		     duplicate_records, missing_required, value_runs_past_end, wrong_fixed_lengths,
		     string_lengths_and_nul, segment_rejections, too_many_records_of_a_kind));
