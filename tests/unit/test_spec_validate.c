// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_spec_validate.c - the value rules of the spec.  Each broken spec is
 * checked twice: spec_validate() refuses it (-EINVAL: the packer never
 * writes it) and spec_decode() of its encoding refuses it (-EBADMSG: the
 * stub never runs it), both naming the field.
 */
#include "spec.h"
#include "spec_fixture.h"
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * @s is refused by spec_validate() and spec_encode() with @msg, and its
 * encoding by spec_decode(): with "invalid spec: @msg", or with @decode_msg
 * when the decoder already stops at the record.  Releases @s.
 */
static void expect_refused(struct spec *s, const char *msg, const char *decode_msg)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec out;

	ck_assert_fails(spec_validate(s), -EINVAL, msg);
	ck_assert_fails(spec_encode(s, &enc), -EINVAL, msg);
	ck_assert_uint_eq(enc.len, 0);
	raw_encode(s, &enc);
	if (!decode_msg)
		ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), -EBADMSG,
				"invalid spec: ");
	ck_assert_fails(spec_decode((const uint8_t *)enc.buf, enc.len, &out), -EBADMSG,
			decode_msg ? decode_msg : msg);
	ck_assert_ptr_null(out.test_name);
	spec_release(s);
}

static void expect_invalid(struct spec *s, const char *msg)
{
	expect_refused(s, msg, NULL);
}

static void replace(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

START_TEST(valid_fixture)
{
	struct spec s;

	for (int sched = 0; sched < 2; sched++) {
		fixture_spec(&s, sched);
		ck_assert_ok(spec_validate(&s));
		spec_release(&s);
	}
}
END_TEST

START_TEST(bad_names)
{
	static const char *const bad[] = { "a/b", "/", ".", "..", "tab\there", "nl\n", "\x7f", "" };
	char long_name[SPEC_NAME_MAX + 2];
	struct spec s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_spec(&s, true);
		replace(&s.test_name, bad[i]);
		if (bad[i][0])
			expect_invalid(&s, "test name must be 1..255 printable bytes without '/'");
		else
			spec_release(&s);   /* "" cannot be encoded: see test_spec */
		fixture_spec(&s, true);
		replace(&s.sched_name, bad[i]);
		if (bad[i][0])
			expect_invalid(&s, "scheduler name must be");
		else
			spec_release(&s);
	}
	fixture_spec(&s, true);
	replace(&s.test_name, NULL);
	ck_assert_fails(spec_validate(&s), -EINVAL, "test name must be");
	spec_release(&s);

	memset(long_name, 'n', sizeof(long_name));
	long_name[SPEC_NAME_MAX] = '\0';
	fixture_spec(&s, true);
	replace(&s.test_name, long_name);          /* 255: the limit */
	ck_assert_ok(spec_validate(&s));
	replace(&s.test_name, "caf\xc3\xa9 \xff");  /* any byte >= 0x20 but DEL */
	ck_assert_ok(spec_validate(&s));
	spec_release(&s);
	long_name[SPEC_NAME_MAX] = 'n';
	long_name[SPEC_NAME_MAX + 1] = '\0';
	fixture_spec(&s, true);
	replace(&s.test_name, long_name);
	ck_assert_fails(spec_validate(&s), -EINVAL, "test name must be");
	spec_release(&s);
}
END_TEST

START_TEST(bad_git_hash_and_packer)
{
	static const char *const bad_hash[] = { "abc/def", "a b", "x\n", "ab$", "\xc3\xa9" };
	char h[SPEC_GIT_HASH_MAX + 2];
	struct spec s;

	for (size_t i = 0; i < sizeof(bad_hash) / sizeof(bad_hash[0]); i++) {
		fixture_spec(&s, false);
		replace(&s.git_hash, bad_hash[i]);
		expect_invalid(&s, "git hash must be 1..64 characters");
	}
	memset(h, 'f', sizeof(h));
	h[SPEC_GIT_HASH_MAX] = '\0';
	fixture_spec(&s, false);
	replace(&s.git_hash, h);
	ck_assert_ok(spec_validate(&s));
	replace(&s.git_hash, "v1.2-3+dirty_x");
	ck_assert_ok(spec_validate(&s));
	spec_release(&s);

	fixture_spec(&s, false);
	replace(&s.packer, "ktstr-pack\x01");
	expect_invalid(&s, "packer string must be 1..255 printable bytes");
}
END_TEST

START_TEST(numbers_out_of_range)
{
	struct spec s;

	uint32_t *dims[] = { &s.llcs, &s.cores_per_llc, &s.threads_per_core, &s.numa_nodes };

	for (int dim = 0; dim < 4; dim++)
		for (int v = 0; v < 2; v++) {
			fixture_spec(&s, false);
			*dims[dim] = v ? SPEC_TOPO_MAX + 1 : 0;
			expect_invalid(&s, v ? "topology need 65537 is outside 1..65536" :
					       "topology need 0 is outside 1..65536");
		}
	fixture_spec(&s, false);
	s.llcs = s.cores_per_llc = s.threads_per_core = s.numa_nodes = SPEC_TOPO_MAX;
	ck_assert_ok(spec_validate(&s));
	spec_release(&s);

	fixture_spec(&s, false);
	s.duration_secs = 0;
	expect_invalid(&s, "duration 0 s is outside 1..604800");
	fixture_spec(&s, false);
	s.duration_secs = SPEC_SECS_MAX + 1;
	expect_invalid(&s, "duration 604801 s is outside");
	fixture_spec(&s, false);
	s.watchdog_secs = 0;
	expect_invalid(&s, "watchdog 0 s is outside 1..604800");
	fixture_spec(&s, false);
	s.watchdog_secs = SPEC_SECS_MAX + 1;
	expect_invalid(&s, "watchdog 604801 s");
	fixture_spec(&s, false);
	s.attach_timeout_secs = 0;
	expect_invalid(&s, "attach timeout 0 s is outside 1..3600");
	fixture_spec(&s, false);
	s.attach_timeout_secs = SPEC_ATTACH_SECS_MAX + 1;
	expect_invalid(&s, "attach timeout 3601 s");
}
END_TEST

START_TEST(bad_cgroup_parent)
{
	static const struct { const char *path, *msg; } bad[] = {
		{ "cells", "must be an absolute path" }, { "/", "must be an absolute path" },
		{ "/cells/", "must not end with '/'" }, { "//cells", "empty, '.' or '..'" },
		{ "/a//b", "empty, '.' or '..'" }, { "/a/./b", "empty, '.' or '..'" },
		{ "/a/..", "empty, '.' or '..'" }, { "/a\nb", "control characters" },
	};
	struct spec s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_spec(&s, true);
		replace(&s.cgroup_parent, bad[i].path);
		expect_invalid(&s, bad[i].msg);
	}
	fixture_spec(&s, true);
	replace(&s.cgroup_parent, "/a/..b/c.d");
	ck_assert_ok(spec_validate(&s));
	spec_release(&s);
}
END_TEST

START_TEST(bad_segments)
{
	struct spec s;
	struct spec_arg *a;

	/* what spec_arg_add_literal() never builds, made by hand */
	fixture_spec(&s, true);
	a = spec_add_arg(&s);
	spec_arg_add_literal(a, "a", 1);
	a->seg = xreallocarray(a->seg, 2, sizeof(*a->seg));
	a->seg[a->nseg++] = (struct arg_segment){ ARG_SEG_LITERAL, xstrdup("b") };
	expect_refused(&s, "two literal segments in a row (not canonical)",
		       "(scheduler argument): two literal segments in a row");

	fixture_spec(&s, true);
	a = spec_add_arg(&s);
	a->seg = xcalloc(1, sizeof(*a->seg));
	a->seg[a->nseg++] = (struct arg_segment){ ARG_SEG_LITERAL, xstrdup("") };
	ck_assert_fails(spec_validate(&s), -EINVAL, "scheduler argument 0: bad segment 0");
	spec_release(&s);

	fixture_spec(&s, true);
	a = spec_add_arg(&s);
	for (int i = 0; i <= SPEC_SEGMENTS_MAX; i++)
		spec_arg_add_dir(a);
	expect_refused(&s, "has 65 segments (max 64)", "(scheduler argument): too many segments");
}
END_TEST

START_TEST(too_many)
{
	struct spec s;

	fixture_spec(&s, true);
	for (int i = 0; i <= SPEC_ARGS_MAX; i++)
		spec_add_arg(&s);
	ck_assert_fails(spec_validate(&s), -EINVAL, "4097 scheduler arguments (max 4096)");
	spec_release(&s);

	fixture_spec(&s, true);
	fixture_fill_members(&s, SPEC_MEMBERS_MAX + 1);
	fixture_fit_chunks(&s);
	ck_assert_fails(spec_validate(&s), -EINVAL, "1027 archive members (need 1..1026)");
	spec_release(&s);

	fixture_spec(&s, false);
	fixture_many_chunks(&s, SPEC_CHUNKS_MAX + 1);
	ck_assert_fails(spec_validate(&s), -EINVAL, "65537 payload chunks (need 1..65536)");
	spec_release(&s);
}
END_TEST

START_TEST(members)
{
	static const char *const outside[] = {
		"foo", "include/", "include", "include/a/b", "include/..", "include/.",
		"./ktstr", "/ktstr", "ktstr/", "scheduler2", "include/tab\t",
	};
	struct spec s;

	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		fixture_spec(&s, true);
		replace(&s.members[1].name, outside[i]);
		expect_invalid(&s, "archive member 1 has a name outside the layout");
	}
	fixture_spec(&s, true);
	replace(&s.members[1].name, MEMBER_SCHEDULER);
	expect_invalid(&s, "archive member scheduler appears twice");

	fixture_spec(&s, true);
	replace(&s.members[2].name, "include/x");   /* the runner */
	fixture_fit_chunks(&s);
	expect_invalid(&s, "the archive has no ktstr member");

	fixture_spec(&s, true);
	s.members[0].mode = 0644;
	expect_invalid(&s, "archive member scheduler has mode 644, the layout needs 755");
	fixture_spec(&s, true);
	s.members[0].mode = 04755;
	expect_invalid(&s, "has mode 4755");

	fixture_spec(&s, false);
	s.members[0].size = SPEC_MEMBER_SIZE_MAX + 1;
	expect_invalid(&s, "archive member ktstr is too large");
}
END_TEST

START_TEST(chunks)
{
	struct spec s;

	fixture_spec(&s, false);
	s.chunks[0].ulen = 0;
	expect_invalid(&s, "payload chunk 0 has bad sizes");
	fixture_spec(&s, false);
	s.chunks[0].clen = 0;
	expect_invalid(&s, "payload chunk 0 has bad sizes");
	fixture_spec(&s, false);
	spec_add_chunk(&s, 10, SPEC_CHUNK_ULEN_MAX + 1);
	expect_invalid(&s, "payload chunk 1 has bad sizes");
	/* the largest chunk is fine, as long as the members account for it */
	fixture_spec(&s, false);
	s.members[0].size = SPEC_CHUNK_ULEN_MAX;
	fixture_fit_chunks(&s);
	s.chunks[0].ulen = SPEC_CHUNK_ULEN_MAX;
	spec_add_chunk(&s, 10, 512 + 1024);
	ck_assert_ok(spec_validate(&s));
	spec_release(&s);

	/* a chunk compresses to at most ulen + ulen / 8 + 64 KiB: no reader
	 * buffers much more than it inflates, and the sums cannot overflow */
	fixture_spec(&s, false);
	s.chunks[0].clen = s.chunks[0].ulen + s.chunks[0].ulen / 8 + SPEC_CHUNK_CLEN_SLACK;
	ck_assert_ok(spec_validate(&s));
	s.chunks[0].clen += 1;
	expect_invalid(&s, "payload chunk 0 has bad sizes (68417 -> 2560 bytes)");
	fixture_spec(&s, false);
	s.chunks[0].clen = UINT64_MAX / 2 + 1;
	expect_invalid(&s, "payload chunk 0 has bad sizes (9223372036854775808 -> 2560 bytes)");
	ck_assert((uint64_t)SPEC_CHUNKS_MAX * (SPEC_CHUNK_ULEN_MAX + SPEC_CHUNK_ULEN_MAX / 8 +
					      SPEC_CHUNK_CLEN_SLACK) < UINT64_MAX / 2);

	fixture_spec(&s, false);
	s.chunks[0].ulen -= 1;
	expect_invalid(&s, "the members need at least 2560");
	fixture_spec(&s, false);
	s.chunks[0].ulen += SPEC_TAR_SLACK + SPEC_TAR_SLACK_PER_MEMBER;   /* still fine */
	ck_assert_ok(spec_validate(&s));
	s.chunks[0].ulen += 1;
	expect_invalid(&s, "far more than the 2560 the members need");
}
END_TEST

START_TEST(early_prefix)
{
	struct spec s;

	fixture_spec(&s, true);
	s.early_clen += 1;
	expect_invalid(&s, "does not end on a chunk boundary");
	fixture_spec(&s, true);
	s.early_ulen -= 1;
	expect_invalid(&s, "does not end on a chunk boundary");
	fixture_spec(&s, true);
	s.early_clen = s.early_ulen = 0;
	expect_invalid(&s, "does not end on a chunk boundary");
	fixture_spec(&s, true);   /* the whole payload is a chunk boundary too */
	s.early_clen = s.chunks[0].clen + s.chunks[1].clen;
	s.early_ulen = s.chunks[0].ulen + s.chunks[1].ulen;
	ck_assert_ok(spec_validate(&s));
	s.early_clen += 1;
	expect_invalid(&s, "does not end on a chunk boundary");
}
END_TEST

START_TEST(scheduler_needed)
{
	struct spec s;

	fixture_spec(&s, false);
	spec_arg_add_literal(spec_add_arg(&s), "--x", 3);
	expect_invalid(&s, "scheduler arguments given but there is no scheduler binary");
	fixture_spec(&s, false);
	spec_add_arg(&s);   /* even one empty argument */
	expect_invalid(&s, "scheduler arguments given");
	fixture_spec(&s, false);
	replace(&s.cgroup_parent, "/cells");
	expect_invalid(&s, "a cgroup parent is given but there is no scheduler");
	fixture_spec(&s, false);
	s.has_early = true;
	s.early_clen = s.chunks[0].clen;
	s.early_ulen = s.chunks[0].ulen;
	expect_invalid(&s, "an early prefix is given but there is no scheduler");
}
END_TEST

START_TEST(member_name_helpers)
{
	ck_assert(spec_member_name_ok("ktstr"));
	ck_assert(spec_member_name_ok("scheduler"));
	ck_assert(spec_member_name_ok("include/a b"));
	ck_assert(!spec_member_name_ok("include/"));
	ck_assert(!spec_member_name_ok("include//x"));
	ck_assert(spec_name_ok("x"));
	ck_assert(!spec_name_ok(NULL));
	ck_assert(!spec_name_ok(""));
}
END_TEST

UNIT_MAIN("spec_validate",
	  UNIT_TCASE("rules", NULL, NULL, 60,
		     valid_fixture, bad_names, bad_git_hash_and_packer, numbers_out_of_range,
		     bad_cgroup_parent, bad_segments, too_many, members, chunks, early_prefix,
		     scheduler_needed, member_name_helpers));
