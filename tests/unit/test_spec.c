// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_spec.c - the spec codec: byte-exact round trips of hostile
 * arguments, the documented encoding, truncation and corruption at every
 * byte.  The decoder's structural rejections are in test_spec_decode.c,
 * the value rules (names, members, chunks...) in test_spec_validate.c.
 */
#include "spec.h"
#include "spec_fixture.h"
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* encode -> decode -> compare, and the second encoding is the same bytes */
static void round_trip(const struct spec *in)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT, raw = STRBUF_INIT, again = STRBUF_INIT;
	struct spec out;

	ck_assert_ok(spec_encode(in, &enc));
	/* the encoder writes exactly what docs/FORMAT.md describes */
	raw_encode(in, &raw);
	ck_assert_uint_eq(enc.len, raw.len);
	ck_assert_msg(memcmp(enc.buf, raw.buf, enc.len) == 0, "spec_encode differs from the format");
	ck_assert_ok(spec_decode((const uint8_t *)enc.buf, enc.len, &out));
	assert_spec_eq(in, &out);
	ck_assert_ok(spec_encode(&out, &again));
	ck_assert_uint_eq(again.len, enc.len);
	ck_assert_msg(memcmp(again.buf, enc.buf, enc.len) == 0, "re-encoding changed the bytes");
	spec_release(&out);
}

START_TEST(round_trip_plain)
{
	struct spec s;

	fixture_spec(&s, false);
	round_trip(&s);
	spec_release(&s);
	fixture_spec(&s, true);
	s.cgroup_parent = xstrdup("/ktstr-cells/a b");
	s.llcs = 4, s.cores_per_llc = 8, s.threads_per_core = 2, s.numa_nodes = 2;
	s.duration_secs = SPEC_SECS_MAX, s.watchdog_secs = 1, s.attach_timeout_secs = 3600;
	free(s.git_hash);
	s.git_hash = xstrdup("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	round_trip(&s);
	spec_release(&s);
}
END_TEST

static const char *const hostile[] = {
	"with space", " leading", "trailing ", "'single'", "\"double\"", "it's",
	"$HOME ${x} $(rm -rf /) `id`", "back\\slash\\", "\\n is not a newline",
	"new\nline", "\ttab\t", "\r\n", "\x80\x81\xfe\xff", "caf\xc3\xa9", "\xc3",
	"", "*?[glob]", "-", "--", "a=b", ";|&<>!#~%^", "\x01\x02\x1f\x7f", "{file}",
};

START_TEST(round_trip_hostile_args)
{
	struct spec s, out;
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;

	fixture_spec(&s, true);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		spec_arg_add_literal(spec_add_arg(&s), hostile[i], strlen(hostile[i]));
	round_trip(&s);
	/* check the bytes themselves, not only the comparison helper */
	ck_assert_ok(spec_encode(&s, &enc));
	ck_assert_ok(spec_decode((const uint8_t *)enc.buf, enc.len, &out));
	for (size_t i = 0; i < out.sched_argc; i++) {
		const struct spec_arg *a = &out.sched_argv[i];

		if (!hostile[i][0]) {
			ck_assert_uint_eq(a->nseg, 0);   /* an empty argument stays one */
			continue;
		}
		ck_assert_uint_eq(a->nseg, 1);
		ck_assert_str_eq(a->seg[0].literal, hostile[i]);
	}
	spec_release(&out);
	spec_release(&s);
}
END_TEST

START_TEST(round_trip_dir_segments)
{
	struct spec s, out;
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec_arg *a;

	fixture_spec(&s, true);
	a = spec_add_arg(&s);                         /* DIR/include/x */
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, "/include/x", 10);
	a = spec_add_arg(&s);                         /* --config=DIR/c y */
	spec_arg_add_literal(a, "--config=", 9);
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, "/c y", 4);
	a = spec_add_arg(&s);                         /* prefix=DIR */
	spec_arg_add_literal(a, "prefix=", 7);
	spec_arg_add_dir(a);
	spec_arg_add_dir(spec_add_arg(&s));           /* DIR alone */
	a = spec_add_arg(&s);                         /* DIRDIR */
	spec_arg_add_dir(a);
	spec_arg_add_dir(a);
	a = spec_add_arg(&s);                         /* literals merge: canonical */
	spec_arg_add_literal(a, "a", 1);
	spec_arg_add_literal(a, "", 0);
	spec_arg_add_literal(a, "b", 1);
	ck_assert_uint_eq(a->nseg, 1);
	ck_assert_str_eq(a->seg[0].literal, "ab");
	round_trip(&s);
	ck_assert_ok(spec_encode(&s, &enc));
	ck_assert_ok(spec_decode((const uint8_t *)enc.buf, enc.len, &out));
	ck_assert_uint_eq(out.sched_argv[0].seg[0].kind, ARG_SEG_DIR);
	ck_assert_uint_eq(out.sched_argv[1].seg[1].kind, ARG_SEG_DIR);
	ck_assert_str_eq(out.sched_argv[1].seg[2].literal, "/c y");
	ck_assert_uint_eq(out.sched_argv[2].seg[1].kind, ARG_SEG_DIR);
	ck_assert_uint_eq(out.sched_argv[4].nseg, 2);
	spec_release(&out);
	spec_release(&s);
}
END_TEST

START_TEST(long_args_near_the_bound)
{
	size_t max = SPEC_ARG_BYTES_MAX - 1;   /* an argv string and its NUL */
	char *big = xmalloc(SPEC_ARG_BYTES_MAX + 1);
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec s;
	struct spec_arg *a;

	for (size_t i = 0; i <= SPEC_ARG_BYTES_MAX; i++)
		big[i] = (char)(1 + i % 255);   /* every byte value but NUL */
	fixture_spec(&s, true);
	spec_arg_add_literal(spec_add_arg(&s), big, max);
	a = spec_add_arg(&s);
	spec_arg_add_dir(a);   /* a DIR counts as 4096 bytes */
	spec_arg_add_literal(a, big, max - 4096);
	round_trip(&s);
	spec_release(&s);

	fixture_spec(&s, true);
	spec_arg_add_literal(spec_add_arg(&s), big, max + 1);
	ck_assert_fails(spec_encode(&s, &enc), -EINVAL, "scheduler argument 0 is too long");
	ck_assert_uint_eq(enc.len, 0);
	spec_release(&s);
	fixture_spec(&s, true);
	a = spec_add_arg(&s);
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, big, max - 4095);
	ck_assert_fails(spec_encode(&s, &enc), -EINVAL, "too long");
	spec_release(&s);
	free(big);
}
END_TEST

START_TEST(round_trip_maximum_counts)
{
	struct spec s;
	struct spec_arg *a;

	fixture_spec(&s, true);
	for (int i = 0; i < SPEC_ARGS_MAX - 1; i++)
		spec_arg_add_literal(spec_add_arg(&s), "x", 1);
	/* 64 segments would need 32 DIRs (literals never touch), whose 32 x
	 * 4096 bytes of expansion exceed the argument bound: 63 is the most */
	a = spec_add_arg(&s);
	spec_arg_add_literal(a, ":", 1);
	for (int i = 0; i < SPEC_SEGMENTS_MAX / 2 - 1; i++) {
		spec_arg_add_dir(a);
		spec_arg_add_literal(a, ":", 1);
	}
	ck_assert_uint_eq(a->nseg, SPEC_SEGMENTS_MAX - 1);
	ck_assert_uint_eq(s.sched_argc, SPEC_ARGS_MAX);
	for (int i = 0; s.nmembers < SPEC_MEMBERS_MAX; i++) {
		char name[64];

		snprintf(name, sizeof(name), "include/file-%d", i);
		spec_add_member(&s, name, (uint64_t)i);
	}
	fixture_fit_chunks(&s);
	round_trip(&s);
	spec_release(&s);
}
END_TEST

START_TEST(encode_refuses_oversized_spec)
{
	char *big = xmalloc(120000);
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec s;

	memset(big, 'a', 120000);
	fixture_spec(&s, true);
	for (int i = 0; i < 9; i++)
		spec_arg_add_literal(spec_add_arg(&s), big, 120000);
	strbuf_addstr(&enc, "keep");
	ck_assert_fails(spec_encode(&s, &enc), -E2BIG, "max 1048576");
	ck_assert_str_eq(strbuf_cstr(&enc), "keep");   /* nothing half-written */
	spec_release(&s);
	free(big);
}
END_TEST

/* ---- truncation and corruption ----------------------------------------- */

static void rich_encoding(struct strbuf *enc)
{
	struct spec s;
	struct spec_arg *a;

	fixture_spec(&s, true);
	s.cgroup_parent = xstrdup("/cells");
	a = spec_add_arg(&s);
	spec_arg_add_literal(a, "--config=", 9);
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, "/include/cfg.json", 17);
	spec_add_arg(&s);
	spec_arg_add_literal(spec_add_arg(&s), "a b\n\xff", 5);
	ck_assert_ok(spec_encode(&s, enc));
	spec_release(&s);
}

START_TEST(truncated_at_every_byte)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec out;

	rich_encoding(&enc);
	ck_assert_ok(spec_decode((const uint8_t *)enc.buf, enc.len, &out));
	spec_release(&out);
	for (size_t len = 0; len < enc.len; len++) {
		/* a private copy of exactly len bytes: ASan sees any overread */
		uint8_t *copy = xmemdup(enc.buf, len ? len : 1);

		error_clear();
		ck_assert_msg(spec_decode(copy, len, &out) < 0, "%zu of %zu bytes decoded", len,
			      enc.len);
		ck_assert_str_ne(error_message(), "unknown error");
		ck_assert_ptr_null(out.members);
		free(copy);
	}
}
END_TEST

START_TEST(corrupt_bytes_never_crash)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct spec out;
	size_t decoded = 0;

	rich_encoding(&enc);
	for (size_t i = 0; i < enc.len; i++)
		for (unsigned x = 1; x < 256; x <<= 1) {
			uint8_t *copy = xmemdup(enc.buf, enc.len);

			copy[i] ^= (uint8_t)x;
			if (spec_decode(copy, enc.len, &out) == 0) {
				/* a change inside a string or a number may still be valid,
				 * but then it validates like any spec */
				ck_assert_ok(spec_validate(&out));
				decoded++;
				spec_release(&out);
			}
			free(copy);
		}
	ck_assert_uint_lt(decoded, enc.len * 8);
}
END_TEST

UNIT_MAIN("spec",
	  UNIT_TCASE("round trip", NULL, NULL, 60,
		     round_trip_plain, round_trip_hostile_args, round_trip_dir_segments,
		     long_args_near_the_bound, round_trip_maximum_counts,
		     encode_refuses_oversized_spec),
	  UNIT_TCASE("truncation", NULL, NULL, 120,
		     truncated_at_every_byte, corrupt_bytes_never_crash));
