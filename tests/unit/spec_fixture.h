/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spec_fixture.h - specs for the spec tests: a valid base to break one
 * field at a time, a second encoder written from docs/FORMAT.md (with no
 * validation, so the tests can hand the decoder what spec_encode() refuses
 * to write), and a record-level view of an encoding to reorder, drop or
 * duplicate records.
 */
#ifndef KTSTR_SPEC_FIXTURE_H
#define KTSTR_SPEC_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "spec.h"
#include "strbuf.h"

/**
 * fixture_spec() - a valid spec: test "sample_test", members (scheduler,
 * include/cfg.json when @sched) and ktstr, a chunk table that fits them,
 * and an early prefix when @sched.
 */
void fixture_spec(struct spec *s, bool sched);

/** fixture_fit_chunks() - replace the chunk table (and early prefix) by one
 * that fits the members exactly. */
void fixture_fit_chunks(struct spec *s);

/** fixture_many_chunks() - a chunk table of @n chunks of 1 byte each (one
 * allocation: growing it chunk by chunk is quadratic under ASan). */
void fixture_many_chunks(struct spec *s, size_t n);

/** fixture_fill_members() - add empty members include/m0, include/m1, ...
 * until @s has @n. */
void fixture_fill_members(struct spec *s, size_t n);

/** raw_encode() - encode @s as docs/FORMAT.md says, validating nothing. */
void raw_encode(const struct spec *s, struct strbuf *out);

struct raw_record {
	uint16_t tag, flags;
	struct strbuf val;
};

struct raw_spec {
	uint8_t magic[4];
	uint16_t version, reserved;
	uint32_t nrec;              /* as found in the header */
	size_t n;
	struct raw_record *rec;
};

/** raw_split() - the records of a well-formed encoding (asserts on error). */
void raw_split(const struct strbuf *enc, struct raw_spec *out);
/** raw_join() - serialize @rs; the header says @rs->nrec records. */
void raw_join(const struct raw_spec *rs, struct strbuf *out);
void raw_remove(struct raw_spec *rs, size_t i);
/* raw_insert: a new record (@tag, @val) placed at index @at */
void raw_insert(struct raw_spec *rs, size_t at, uint16_t tag, const void *val, size_t len);
/* raw_find: index of the first record with @tag, or -1 */
long raw_find(const struct raw_spec *rs, uint16_t tag);
void raw_release(struct raw_spec *rs);

/** assert_spec_eq() - every field, every argument byte, equal. */
void assert_spec_eq(const struct spec *a, const struct spec *b);

#endif
