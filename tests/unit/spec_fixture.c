// SPDX-License-Identifier: GPL-2.0-only
/* spec_fixture.c - valid specs, an independent encoder, record surgery. */
#include "spec_fixture.h"
#include "unit.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fixture_fit_chunks(struct spec *s)
{
	uint64_t early = 0, rest = 1024;   /* end-of-archive blocks */

	free(s->chunks);
	s->chunks = NULL;
	s->nchunks = 0;
	for (size_t i = 0; i < s->nmembers; i++) {
		uint64_t bytes = 512 + ((s->members[i].size + 511) & ~(uint64_t)511);

		if (strcmp(s->members[i].name, MEMBER_RUNNER) == 0)
			rest += bytes;
		else
			early += bytes;
	}
	s->has_early = spec_has_scheduler(s) && early;
	if (s->has_early) {
		spec_add_chunk(s, early / 4, early);
		s->early_clen = early / 4;
		s->early_ulen = early;
		memset(s->early_sha256, 0x5a, sizeof(s->early_sha256));
	} else {
		rest += early;
	}
	spec_add_chunk(s, rest / 4, rest);
}

void fixture_many_chunks(struct spec *s, size_t n)
{
	free(s->chunks);
	s->chunks = xcalloc(n, sizeof(*s->chunks));
	s->nchunks = n;
	for (size_t i = 0; i < n; i++)
		s->chunks[i] = (struct spec_chunk){ 1, 1 };
}

void fixture_fill_members(struct spec *s, size_t n)
{
	for (int i = 0; s->nmembers < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "include/m%d", i);
		spec_add_member(s, name, 0);
	}
}

void fixture_spec(struct spec *s, bool sched)
{
	spec_init(s);
	s->test_name = xstrdup("sample_test");
	s->sched_name = xstrdup(sched ? "scx_simple" : "eevdf");
	s->git_hash = xstrdup("0123abc");
	s->packer = xstrdup("test_spec 1");
	if (sched) {
		spec_add_member(s, MEMBER_SCHEDULER, 100);
		spec_add_member(s, "include/cfg.json", 10);
	}
	spec_add_member(s, MEMBER_RUNNER, 1000);
	fixture_fit_chunks(s);
}

/* ---- the format, written again from docs/FORMAT.md ------------------- */

static void rec(struct strbuf *o, unsigned tag, const void *v, size_t len)
{
	strbuf_add_le16(o, (uint16_t)tag);
	strbuf_add_le16(o, 0);
	strbuf_add_le32(o, (uint32_t)len);
	strbuf_add(o, v, len);
}

static void rec_str(struct strbuf *o, unsigned tag, const char *str, uint32_t *n)
{
	if (!str)
		return;
	rec(o, tag, str, strlen(str));
	(*n)++;
}

void raw_encode(const struct spec *s, struct strbuf *out)
{
	struct strbuf body = STRBUF_INIT, v = STRBUF_INIT;
	uint32_t n = 0;

	rec_str(&body, 1, s->test_name, &n);
	rec_str(&body, 2, s->sched_name, &n);
	rec_str(&body, 3, s->git_hash, &n);
	rec_str(&body, 4, s->packer, &n);
	strbuf_add_le32(&v, s->llcs);
	strbuf_add_le32(&v, s->cores_per_llc);
	strbuf_add_le32(&v, s->threads_per_core);
	strbuf_add_le32(&v, s->numa_nodes);
	rec(&body, 5, v.buf, v.len), n++;
	strbuf_reset(&v);
	strbuf_add_le32(&v, s->duration_secs);
	strbuf_add_le32(&v, s->watchdog_secs);
	strbuf_add_le32(&v, s->attach_timeout_secs);
	rec(&body, 6, v.buf, v.len), n++;
	rec_str(&body, 7, s->cgroup_parent, &n);
	for (size_t i = 0; i < s->sched_argc; i++) {
		strbuf_reset(&v);
		for (size_t j = 0; j < s->sched_argv[i].nseg; j++) {
			const struct arg_segment *g = &s->sched_argv[i].seg[j];

			strbuf_addch(&v, (char)g->kind);
			if (g->kind == ARG_SEG_LITERAL) {
				strbuf_add_le32(&v, (uint32_t)strlen(g->literal));
				strbuf_addstr(&v, g->literal);
			}
		}
		rec(&body, 8, v.buf, v.len), n++;
	}
	for (size_t i = 0; i < s->nmembers; i++) {
		strbuf_reset(&v);
		strbuf_add_le64(&v, s->members[i].size);
		strbuf_add_le32(&v, s->members[i].mode);
		strbuf_addstr(&v, s->members[i].name);
		rec(&body, 9, v.buf, v.len), n++;
	}
	if (s->nchunks) {
		strbuf_reset(&v);
		for (size_t i = 0; i < s->nchunks; i++) {
			strbuf_add_le64(&v, s->chunks[i].clen);
			strbuf_add_le64(&v, s->chunks[i].ulen);
		}
		rec(&body, 10, v.buf, v.len), n++;
	}
	if (s->has_early) {
		strbuf_reset(&v);
		strbuf_add_le64(&v, s->early_clen);
		strbuf_add_le64(&v, s->early_ulen);
		strbuf_add(&v, s->early_sha256, 32);
		rec(&body, 11, v.buf, v.len), n++;
	}
	strbuf_add(out, "KSPC", 4);
	strbuf_add_le16(out, 1);
	strbuf_add_le16(out, 0);
	strbuf_add_le32(out, n);
	strbuf_add(out, body.buf, body.len);
	strbuf_release(&body);
	strbuf_release(&v);
}

/* ---- record surgery ---------------------------------------------------- */

void raw_split(const struct strbuf *enc, struct raw_spec *rs)
{
	const uint8_t *p = (const uint8_t *)enc->buf;
	size_t off = 12;

	memset(rs, 0, sizeof(*rs));
	ck_assert_uint_ge(enc->len, 12);
	memcpy(rs->magic, p, 4);
	rs->version = get_le16(p + 4);
	rs->reserved = get_le16(p + 6);
	rs->nrec = get_le32(p + 8);
	while (off < enc->len) {
		uint32_t len;

		ck_assert_uint_ge(enc->len - off, 8);
		len = get_le32(p + off + 4);
		ck_assert_uint_ge(enc->len - off - 8, len);
		raw_insert(rs, rs->n, get_le16(p + off), p + off + 8, len);
		rs->rec[rs->n - 1].flags = get_le16(p + off + 2);
		off += 8 + len;
	}
	ck_assert_uint_eq(rs->n, rs->nrec);
}

void raw_join(const struct raw_spec *rs, struct strbuf *out)
{
	strbuf_add(out, rs->magic, 4);
	strbuf_add_le16(out, rs->version);
	strbuf_add_le16(out, rs->reserved);
	strbuf_add_le32(out, rs->nrec);
	for (size_t i = 0; i < rs->n; i++) {
		strbuf_add_le16(out, rs->rec[i].tag);
		strbuf_add_le16(out, rs->rec[i].flags);
		strbuf_add_le32(out, (uint32_t)rs->rec[i].val.len);
		strbuf_add(out, rs->rec[i].val.buf, rs->rec[i].val.len);
	}
}

void raw_insert(struct raw_spec *rs, size_t at, uint16_t tag, const void *val, size_t len)
{
	rs->rec = xreallocarray(rs->rec, rs->n + 1, sizeof(*rs->rec));
	memmove(rs->rec + at + 1, rs->rec + at, (rs->n - at) * sizeof(*rs->rec));
	rs->rec[at] = (struct raw_record){ tag, 0, STRBUF_INIT };
	strbuf_add(&rs->rec[at].val, val, len);
	rs->n++;
}

void raw_remove(struct raw_spec *rs, size_t i)
{
	strbuf_release(&rs->rec[i].val);
	memmove(rs->rec + i, rs->rec + i + 1, (rs->n - i - 1) * sizeof(*rs->rec));
	rs->n--;
}

long raw_find(const struct raw_spec *rs, uint16_t tag)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->rec[i].tag == tag)
			return (long)i;
	return -1;
}

void raw_release(struct raw_spec *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		strbuf_release(&rs->rec[i].val);
	free(rs->rec);
	memset(rs, 0, sizeof(*rs));
}

/* ---- comparison -------------------------------------------------------- */

static void str_eq(const char *what, const char *a, const char *b)
{
	if (!a || !b) {
		ck_assert_msg(a == b, "%s: one side is NULL", what);
		return;
	}
	ck_assert_msg(strcmp(a, b) == 0, "%s differs", what);
}

void assert_spec_eq(const struct spec *a, const struct spec *b)
{
	str_eq("test name", a->test_name, b->test_name);
	str_eq("scheduler name", a->sched_name, b->sched_name);
	str_eq("git hash", a->git_hash, b->git_hash);
	str_eq("packer", a->packer, b->packer);
	str_eq("cgroup parent", a->cgroup_parent, b->cgroup_parent);
	ck_assert_uint_eq(a->llcs, b->llcs);
	ck_assert_uint_eq(a->cores_per_llc, b->cores_per_llc);
	ck_assert_uint_eq(a->threads_per_core, b->threads_per_core);
	ck_assert_uint_eq(a->numa_nodes, b->numa_nodes);
	ck_assert_uint_eq(a->duration_secs, b->duration_secs);
	ck_assert_uint_eq(a->watchdog_secs, b->watchdog_secs);
	ck_assert_uint_eq(a->attach_timeout_secs, b->attach_timeout_secs);
	ck_assert_uint_eq(a->sched_argc, b->sched_argc);
	for (size_t i = 0; i < a->sched_argc; i++) {
		const struct spec_arg *x = &a->sched_argv[i], *y = &b->sched_argv[i];

		ck_assert_msg(x->nseg == y->nseg, "argument %zu: %zu segments, then %zu", i,
			      x->nseg, y->nseg);
		for (size_t j = 0; j < x->nseg; j++) {
			ck_assert_msg(x->seg[j].kind == y->seg[j].kind,
				      "argument %zu segment %zu: kind differs", i, j);
			if (x->seg[j].kind == ARG_SEG_LITERAL)
				ck_assert_msg(strcmp(x->seg[j].literal, y->seg[j].literal) == 0,
					      "argument %zu segment %zu: bytes differ", i, j);
		}
	}
	ck_assert_uint_eq(a->nmembers, b->nmembers);
	for (size_t i = 0; i < a->nmembers; i++) {
		str_eq("member name", a->members[i].name, b->members[i].name);
		ck_assert_uint_eq(a->members[i].size, b->members[i].size);
		ck_assert_uint_eq(a->members[i].mode, b->members[i].mode);
	}
	ck_assert_uint_eq(a->nchunks, b->nchunks);
	for (size_t i = 0; i < a->nchunks; i++) {
		ck_assert_uint_eq(a->chunks[i].clen, b->chunks[i].clen);
		ck_assert_uint_eq(a->chunks[i].ulen, b->chunks[i].ulen);
	}
	ck_assert_int_eq(a->has_early, b->has_early);
	if (a->has_early) {
		ck_assert_uint_eq(a->early_clen, b->early_clen);
		ck_assert_uint_eq(a->early_ulen, b->early_ulen);
		ck_assert_mem_eq(a->early_sha256, b->early_sha256, 32);
	}
}
