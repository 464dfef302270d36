// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbad-spec.c - malformed specs: the good spec's records are edited as
 * raw tag-length-value bytes (so anything can be written, also what the
 * encoder refuses), then the spec digest, the offsets and the footer CRC
 * are recomputed, so the decoder itself meets every case.
 */
#include "mkbad.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

#define HEADER 12
#define RECHDR 8

struct rec {
	unsigned tag, flags;
	struct strbuf v;
	bool vlen_set;
	uint32_t vlen;          /* a length field that lies */
};

struct raw {
	char magic[4];
	unsigned version, reserved;
	bool nrec_set;
	uint32_t nrec;
	struct rec *r;
	size_t n;
	size_t cut;             /* bytes dropped from the end */
};

static void raw_parse(const uint8_t *b, size_t len, struct raw *s)
{
	size_t off = HEADER;

	memset(s, 0, sizeof(*s));
	memcpy(s->magic, b, 4);
	s->version = get_le16(b + 4);
	s->reserved = get_le16(b + 6);
	while (off + RECHDR <= len) {
		uint32_t vlen = get_le32(b + off + 4);
		struct rec *r;

		s->r = xreallocarray(s->r, s->n + 1, sizeof(*s->r));
		r = &s->r[s->n++];
		memset(r, 0, sizeof(*r));
		r->tag = get_le16(b + off);
		r->flags = get_le16(b + off + 2);
		strbuf_add(&r->v, b + off + RECHDR, vlen);
		off += RECHDR + vlen;
	}
}

static void raw_write(const struct raw *s, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_add(out, s->magic, 4);
	strbuf_add_le16(out, (uint16_t)s->version);
	strbuf_add_le16(out, (uint16_t)s->reserved);
	strbuf_add_le32(out, s->nrec_set ? s->nrec : (uint32_t)s->n);
	for (size_t i = 0; i < s->n; i++) {
		strbuf_add_le16(out, (uint16_t)s->r[i].tag);
		strbuf_add_le16(out, (uint16_t)s->r[i].flags);
		strbuf_add_le32(out, s->r[i].vlen_set ? s->r[i].vlen : (uint32_t)s->r[i].v.len);
		strbuf_add(out, s->r[i].v.buf, s->r[i].v.len);
	}
	out->len -= s->cut;
}

static size_t find(const struct raw *s, unsigned tag)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->r[i].tag == tag)
			return i;
	return s->n;
}

/* The member record named @name. */
static size_t find_member(const struct raw *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->r[i].tag == SPEC_TAG_MEMBER && s->r[i].v.len == 12 + strlen(name) &&
		    memcmp(s->r[i].v.buf + 12, name, strlen(name)) == 0)
			return i;
	return s->n;
}

static struct rec *insert(struct raw *s, size_t at, unsigned tag, const void *v, size_t len)
{
	struct rec *r;

	s->r = xreallocarray(s->r, s->n + 1, sizeof(*s->r));
	memmove(&s->r[at + 1], &s->r[at], (s->n - at) * sizeof(*s->r));
	s->n++;
	r = &s->r[at];
	memset(r, 0, sizeof(*r));
	r->tag = tag;
	strbuf_add(&r->v, v, len);
	return r;
}

static void dup_rec(struct raw *s, size_t at)
{
	struct rec copy = s->r[at];

	insert(s, at + 1, copy.tag, copy.v.buf, copy.v.len);
}

static void remove_rec(struct raw *s, size_t at)
{
	strbuf_release(&s->r[at].v);
	memmove(&s->r[at], &s->r[at + 1], (s->n - at - 1) * sizeof(*s->r));
	s->n--;
}

static void set_value(struct rec *r, const void *v, size_t len)
{
	strbuf_reset(&r->v);
	strbuf_add(&r->v, v, len);
}

static void set_str(struct rec *r, const char *v)
{
	set_value(r, v, strlen(v));
}

static uint8_t *val(struct raw *s, size_t at)
{
	return (uint8_t *)s->r[at].v.buf;
}

/* tar bytes the members need, as spec.c counts them */
static uint64_t tar_need(const struct spec *sp, uint64_t delta_runner)
{
	uint64_t need = 1024;

	for (size_t i = 0; i < sp->nmembers; i++) {
		uint64_t size = sp->members[i].size;

		if (strcmp(sp->members[i].name, MEMBER_RUNNER) == 0)
			size += delta_runner;
		need += 512 + ((size + 511) & ~(uint64_t)511);
	}
	return need;
}

enum {
	S_MAGIC, S_SHORT, S_VERSION, S_RESERVED, S_NREC_HUGE, S_NREC_PLUS, S_NREC_MINUS, S_NREC_0,
	S_VLEN_HUGE, S_VLEN_LAST_PLUS, S_TRUNC_LAST, S_TAG_0, S_TAG_12, S_TAG_FFFF, S_FLAGS, S_ORDER,
	S_DUP_NAME, S_DUP_TIMES, S_DUP_CHUNKS, S_DUP_EARLY, S_MISS_NAME, S_MISS_TIMES,
	S_MISS_CHUNKS, S_MISS_MEMBERS, S_NAME_NUL, S_NAME_EMPTY, S_NAME_LONG, S_NAME_SLASH,
	S_NAME_CTRL, S_SCHED_NAME_SLASH, S_GIT_BAD, S_GIT_LONG, S_PACKER_CTRL, S_TOPO_LEN,
	S_TOPO_ZERO, S_TOPO_HUGE, S_TIMES_LEN, S_DURATION_0, S_WATCHDOG_HUGE, S_ATTACH_HUGE,
	S_CGROUP_DOTDOT, S_CGROUP_RELATIVE, S_CGROUP_ROOT, S_CGROUP_NUL, S_ARGS_TOO_MANY,
	S_ARG_SEGMENTS, S_ARG_KIND, S_ARG_LEN, S_ARG_LEN_0, S_ARG_TRUNC, S_ARG_NUL, S_ARG_TWO_LIT,
	S_ARG_TOO_LONG, S_NO_SCHED_MEMBER, S_MEMBERS_TOO_MANY, S_MEMBER_LEN, S_MEMBER_NAME_NUL,
	S_MEMBER_NAME, S_MEMBER_SETUID, S_MEMBER_WORLD, S_MEMBER_HUGE, S_MEMBER_DUP,
	S_MEMBER_NO_RUNNER, S_MEMBER_BIGGER, S_MEMBER_SMALLER, S_CHUNKS_LEN, S_CHUNKS_EMPTY,
	S_CHUNKS_TOO_MANY, S_CHUNK_ULEN_0, S_CHUNK_ULEN_HUGE, S_CHUNK_CLEN_0, S_CHUNK_CLEN_HUGE,
	S_CHUNK_OVERFLOW,
	S_CHUNK_BOMB, S_CHUNK_SHORT, S_CHUNK_CLEN_SHIFT, S_CHUNK_ULEN_SHIFT, S_CHUNK_CLEN_SUM,
	S_EARLY_LEN, S_EARLY_NOT_BOUNDARY, S_EARLY_ZERO, S_EARLY_DIGEST, S_EARLY_NO_SCHED,
};

#define CORRUPT(x, rec, what, why) \
	expect_msg(x, LEVEL_LOAD, "corrupt spec: record %zu (%s): %s", (size_t)(rec), what, why)
#define INVALID(x, ...) expect_msg(x, LEVEL_LOAD, "invalid spec: " __VA_ARGS__)

/* Edit @s for case @code; say what is expected.  Chunk-table edits may
 * need the decoded spec (@sp) and a simulation of the extraction. */
static void edit(const struct good *g, struct raw *s, int64_t code, struct expect *x)
{
	const struct spec *sp = &g->spec;
	size_t ch = find(s, SPEC_TAG_CHUNKS), early = find(s, SPEC_TAG_EARLY);
	size_t times = find(s, SPEC_TAG_TIMES), topo = find(s, SPEC_TAG_TOPOLOGY);
	size_t arg = find(s, SPEC_TAG_SCHED_ARG), mem = find(s, SPEC_TAG_MEMBER);
	size_t runner = find_member(s, MEMBER_RUNNER), sched = find_member(s, MEMBER_SCHEDULER);
	size_t last = s->n - 1, nch = sp->nchunks;
	char big[SPEC_ARG_BYTES_MAX + 16];

	switch (code) {
	case S_MAGIC: memcpy(s->magic, "KSPX", 4);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: bad magic"); break;
	case S_SHORT:
		while (s->n)
			remove_rec(s, s->n - 1);
		s->cut = HEADER - 4;
		expect_msg(x, LEVEL_LOAD, "corrupt spec: bad magic"); break;
	case S_VERSION: s->version = 2;
		expect_msg(x, LEVEL_LOAD, "spec version 2 is not supported (this program reads "
			   "version %d)", SPEC_VERSION); break;
	case S_RESERVED: s->reserved = 1;
		expect_msg(x, LEVEL_LOAD, "corrupt spec: reserved header field is not zero"); break;
	case S_NREC_HUGE: s->nrec_set = true; s->nrec = UINT32_MAX;
		expect_msg(x, LEVEL_LOAD, "corrupt spec: %u records (max", UINT32_MAX); break;
	case S_NREC_PLUS: s->nrec_set = true; s->nrec = (uint32_t)s->n + 1;
		expect_msg(x, LEVEL_LOAD, "corrupt spec: truncated at record %zu of %zu", s->n,
			   s->n + 1); break;
	case S_NREC_MINUS: s->nrec_set = true; s->nrec = (uint32_t)s->n - 1;
		expect_msg(x, LEVEL_LOAD, "corrupt spec: %zu trailing bytes after %zu records",
			   RECHDR + s->r[last].v.len, s->n - 1); break;
	case S_NREC_0: s->nrec_set = true; s->nrec = 0;
		expect_msg(x, LEVEL_LOAD, "trailing bytes after 0 records"); break;
	case S_VLEN_HUGE: s->r[0].vlen_set = true; s->r[0].vlen = UINT32_MAX;
		CORRUPT(x, 0, "test name", "length runs past the end of the spec"); break;
	case S_VLEN_LAST_PLUS: s->r[last].vlen_set = true; s->r[last].vlen = (uint32_t)s->r[last].v.len + 1;
		CORRUPT(x, last, "early prefix", "length runs past the end of the spec"); break;
	case S_TRUNC_LAST: s->cut = 5;
		CORRUPT(x, last, "early prefix", "length runs past the end of the spec"); break;
	case S_TAG_0: s->r[0].tag = 0;
		expect_msg(x, LEVEL_LOAD, "corrupt spec: record 0 has unknown tag 0"); break;
	case S_TAG_12: insert(s, s->n, SPEC_TAG_MAX + 1, "x", 1);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: record %zu has unknown tag %d", last + 1,
			   SPEC_TAG_MAX + 1); break;
	case S_TAG_FFFF: insert(s, 2, 0xffff, "", 0);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: record 2 has unknown tag 65535"); break;
	case S_FLAGS: s->r[topo].flags = 1;
		CORRUPT(x, topo, "topology", "flags are not zero"); break;
	case S_ORDER: { struct rec t = s->r[topo]; s->r[topo] = s->r[times]; s->r[times] = t; }
		CORRUPT(x, times, "topology", "out of order"); break;
	case S_DUP_NAME: dup_rec(s, 0); CORRUPT(x, 1, "test name", "appears twice"); break;
	case S_DUP_TIMES: dup_rec(s, times); CORRUPT(x, times + 1, "times", "appears twice"); break;
	case S_DUP_CHUNKS: dup_rec(s, ch); CORRUPT(x, ch + 1, "chunk table", "appears twice"); break;
	case S_DUP_EARLY: dup_rec(s, early); CORRUPT(x, early + 1, "early prefix", "appears twice"); break;
	case S_MISS_NAME: remove_rec(s, 0);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: the test name record is missing"); break;
	case S_MISS_TIMES: remove_rec(s, times);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: the times record is missing"); break;
	case S_MISS_CHUNKS: remove_rec(s, ch);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: the chunk table record is missing"); break;
	case S_MISS_MEMBERS:
		while ((mem = find(s, SPEC_TAG_MEMBER)) < s->n)
			remove_rec(s, mem);
		expect_msg(x, LEVEL_LOAD, "corrupt spec: the member record is missing"); break;
	case S_NAME_NUL: set_value(&s->r[0], "sam\0le", 6);
		CORRUPT(x, 0, "test name", "contains a NUL byte"); break;
	case S_NAME_EMPTY: set_value(&s->r[0], "", 0);
		CORRUPT(x, 0, "test name", "length out of range"); break;
	case S_NAME_LONG: memset(big, 'a', SPEC_NAME_MAX + 1); set_value(&s->r[0], big, SPEC_NAME_MAX + 1);
		CORRUPT(x, 0, "test name", "length out of range"); break;
	case S_NAME_SLASH: set_str(&s->r[0], "../../etc/cron.d/x");
		INVALID(x, "test name must be 1..%d printable bytes without '/'", SPEC_NAME_MAX); break;
	case S_NAME_CTRL: set_str(&s->r[0], "sample\n\033[2Jfake PASS");
		INVALID(x, "test name must be 1..%d printable bytes without '/'", SPEC_NAME_MAX); break;
	case S_SCHED_NAME_SLASH: set_str(&s->r[1], "/bin/sh");
		INVALID(x, "scheduler name must be 1..%d printable bytes without '/'", SPEC_NAME_MAX); break;
	case S_GIT_BAD: set_str(&s->r[2], "abc;rm -rf /");
		INVALID(x, "git hash must be 1..%d characters of [0-9A-Za-z._+-]", SPEC_GIT_HASH_MAX); break;
	case S_GIT_LONG: memset(big, 'a', SPEC_GIT_HASH_MAX + 1); set_value(&s->r[2], big, SPEC_GIT_HASH_MAX + 1);
		CORRUPT(x, 2, "git hash", "length out of range"); break;
	case S_PACKER_CTRL: set_str(&s->r[3], "ktstr-pack \033[31m");
		INVALID(x, "packer string must be 1..%d printable bytes", SPEC_NAME_MAX); break;
	case S_TOPO_LEN: s->r[topo].v.len = 12;
		CORRUPT(x, topo, "topology", "wrong length"); break;
	case S_TOPO_ZERO: put_le32(val(s, topo), 0);
		INVALID(x, "topology need 0 is outside 1..%u", SPEC_TOPO_MAX); break;
	case S_TOPO_HUGE: put_le32(val(s, topo) + 12, UINT32_MAX);
		INVALID(x, "topology need %u is outside 1..%u", UINT32_MAX, SPEC_TOPO_MAX); break;
	case S_TIMES_LEN: strbuf_addch(&s->r[times].v, 0);
		CORRUPT(x, times, "times", "wrong length"); break;
	case S_DURATION_0: put_le32(val(s, times), 0);
		INVALID(x, "duration 0 s is outside 1..%u", SPEC_SECS_MAX); break;
	case S_WATCHDOG_HUGE: put_le32(val(s, times) + 4, UINT32_MAX);
		INVALID(x, "watchdog %u s is outside 1..%u", UINT32_MAX, SPEC_SECS_MAX); break;
	case S_ATTACH_HUGE: put_le32(val(s, times) + 8, SPEC_ATTACH_SECS_MAX + 1);
		INVALID(x, "attach timeout %u s is outside 1..%u", SPEC_ATTACH_SECS_MAX + 1,
			SPEC_ATTACH_SECS_MAX); break;
	case S_CGROUP_DOTDOT: insert(s, times + 1, SPEC_TAG_CGROUP_PARENT, "/a/../../b", 10);
		INVALID(x, "cgroup parent '/a/../../b' has an empty, '.' or '..' component"); break;
	case S_CGROUP_RELATIVE: insert(s, times + 1, SPEC_TAG_CGROUP_PARENT, "ktstr", 5);
		INVALID(x, "cgroup parent 'ktstr' must be an absolute path below the cgroup root"); break;
	case S_CGROUP_ROOT: insert(s, times + 1, SPEC_TAG_CGROUP_PARENT, "/", 1);
		INVALID(x, "cgroup parent '/' must be an absolute path below the cgroup root"); break;
	case S_CGROUP_NUL: insert(s, times + 1, SPEC_TAG_CGROUP_PARENT, "/a\0b", 4);
		CORRUPT(x, times + 1, "cgroup parent", "contains a NUL byte"); break;
	case S_ARGS_TOO_MANY:
		for (int i = 0; i < SPEC_ARGS_MAX; i++)
			insert(s, arg, SPEC_TAG_SCHED_ARG, "", 0);
		CORRUPT(x, arg + SPEC_ARGS_MAX, "scheduler argument", "too many scheduler arguments");
		break;
	case S_ARG_SEGMENTS: memset(big, ARG_SEG_DIR, SPEC_SEGMENTS_MAX + 1);
		set_value(&s->r[arg], big, SPEC_SEGMENTS_MAX + 1);
		CORRUPT(x, arg, "scheduler argument", "too many segments"); break;
	case S_ARG_KIND: set_value(&s->r[arg], "\007", 1);
		CORRUPT(x, arg, "scheduler argument", "unknown segment kind"); break;
	case S_ARG_LEN: set_value(&s->r[arg], "\000\377\000\000\000ab", 7);
		CORRUPT(x, arg, "scheduler argument", "segment length out of range"); break;
	case S_ARG_LEN_0: set_value(&s->r[arg], "\000\000\000\000\000", 5);
		CORRUPT(x, arg, "scheduler argument", "segment length out of range"); break;
	case S_ARG_TRUNC: set_value(&s->r[arg], "\000\002\000", 3);
		CORRUPT(x, arg, "scheduler argument", "truncated segment length"); break;
	case S_ARG_NUL: set_value(&s->r[arg], "\000\003\000\000\000a\000b", 8);
		CORRUPT(x, arg, "scheduler argument", "segment contains a NUL byte"); break;
	case S_ARG_TWO_LIT: set_value(&s->r[arg], "\000\001\000\000\000a\000\001\000\000\000b", 12);
		CORRUPT(x, arg, "scheduler argument", "two literal segments in a row"); break;
	case S_ARG_TOO_LONG:
		big[0] = ARG_SEG_LITERAL;
		put_le32((uint8_t *)big + 1, SPEC_ARG_BYTES_MAX);
		memset(big + 5, 'a', SPEC_ARG_BYTES_MAX);
		set_value(&s->r[arg], big, 5 + SPEC_ARG_BYTES_MAX);
		INVALID(x, "scheduler argument 0 is too long (%d bytes, max %d)", SPEC_ARG_BYTES_MAX,
			SPEC_ARG_BYTES_MAX - 1); break;
	case S_NO_SCHED_MEMBER: remove_rec(s, sched);
		INVALID(x, "scheduler arguments given but there is no scheduler binary"); break;
	case S_MEMBERS_TOO_MANY:
		for (int i = 0; i < SPEC_MEMBERS_MAX; i++)
			dup_rec(s, runner);
		CORRUPT(x, mem + SPEC_MEMBERS_MAX, "member", "too many members"); break;
	case S_MEMBER_LEN: s->r[runner].v.len = 12;
		CORRUPT(x, runner, "member", "wrong length"); break;
	case S_MEMBER_NAME_NUL: strbuf_add(&s->r[runner].v, "\0x", 2);
		CORRUPT(x, runner, "member", "name contains a NUL byte"); break;
	case S_MEMBER_NAME: {
		/* the include member renamed to c->sarg (set by the caller) */
		break;
	}
	case S_MEMBER_SETUID: case S_MEMBER_WORLD: {
		unsigned mode = code == S_MEMBER_SETUID ? 04755 : 0777;

		put_le32(val(s, runner) + 8, mode);
		INVALID(x, "archive member ktstr has mode %o, the layout needs %o", mode, MEMBER_MODE);
		break;
	}
	case S_MEMBER_HUGE: put_le64(val(s, runner), SPEC_MEMBER_SIZE_MAX + 1);
		INVALID(x, "archive member ktstr is too large (%llu bytes)", SPEC_MEMBER_SIZE_MAX + 1); break;
	case S_MEMBER_DUP: dup_rec(s, sched);
		INVALID(x, "archive member scheduler appears twice"); break;
	case S_MEMBER_NO_RUNNER:
		s->r[runner].v.len = 12;
		strbuf_addstr(&s->r[runner].v, "include/ktstr");
		INVALID(x, "the archive has no ktstr member (the test binary)"); break;
	case S_MEMBER_BIGGER:
		put_le64(val(s, runner), get_le64(val(s, runner)) + 65536);
		INVALID(x, "payload chunks hold %llu tar bytes, the members need at least %llu",
			(unsigned long long)spec_payload_ulen(sp),
			(unsigned long long)tar_need(sp, 65536)); break;
	case S_MEMBER_SMALLER:
		/* a valid spec that the tar contradicts: only the extraction sees it */
		put_le64(val(s, runner), get_le64(val(s, runner)) - 1);
		expect_msg(x, LEVEL_TAR, "archive member 'ktstr' is %llu bytes, the spec says %llu",
			   (unsigned long long)spec_member_find(sp, MEMBER_RUNNER)->size,
			   (unsigned long long)spec_member_find(sp, MEMBER_RUNNER)->size - 1);
		break;
	case S_CHUNKS_LEN: strbuf_addch(&s->r[ch].v, 0);
		CORRUPT(x, ch, "chunk table", "wrong length"); break;
	case S_CHUNKS_EMPTY: s->r[ch].v.len = 0;
		CORRUPT(x, ch, "chunk table", "wrong length"); break;
	case S_CHUNKS_TOO_MANY: {
		static const uint8_t entry[16];

		for (int i = 0; i < SPEC_CHUNKS_MAX; i++)
			strbuf_add(&s->r[ch].v, entry, sizeof(entry));
		break;   /* the footer's bound on the spec size says it; see make_spec */
	}
	case S_CHUNK_ULEN_0: case S_CHUNK_ULEN_HUGE: case S_CHUNK_CLEN_0: case S_CHUNK_CLEN_HUGE: {
		uint64_t c0 = get_le64(val(s, ch)), u0 = get_le64(val(s, ch) + 8);

		if (code == S_CHUNK_CLEN_0)
			c0 = 0;
		else if (code == S_CHUNK_CLEN_HUGE)   /* more than any encoder makes of u0 */
			c0 = u0 + u0 / 8 + SPEC_CHUNK_CLEN_SLACK + 1;
		else
			u0 = code == S_CHUNK_ULEN_0 ? 0 : SPEC_CHUNK_ULEN_MAX + 1ull;
		put_le64(val(s, ch), c0);
		put_le64(val(s, ch) + 8, u0);
		INVALID(x, "payload chunk 0 has bad sizes (%llu -> %llu bytes)",
			(unsigned long long)c0, (unsigned long long)u0); break;
	}
	case S_CHUNK_OVERFLOW:
		/* two halves of 2^64: the bound on each chunk stops it first */
		put_le64(val(s, ch), 1ull << 63);
		put_le64(val(s, ch) + 16, 1ull << 63);
		INVALID(x, "payload chunk 0 has bad sizes (%llu -> %llu bytes)", 1ull << 63,
			(unsigned long long)get_le64(val(s, ch) + 8)); break;
	case S_CHUNK_BOMB: case S_CHUNK_SHORT: {
		uint8_t *u = val(s, ch) + (nch - 1) * 16 + 8;
		int64_t d = code == S_CHUNK_BOMB ? 32 << 20 : -(100 << 10);

		put_le64(u, get_le64(u) + (uint64_t)d);
		if (code == S_CHUNK_BOMB)
			INVALID(x, "payload chunks hold %llu tar bytes, far more than the %llu the "
				"members need", (unsigned long long)(spec_payload_ulen(sp) + (uint64_t)d),
				(unsigned long long)tar_need(sp, 0));
		else
			INVALID(x, "payload chunks hold %llu tar bytes, the members need at least %llu",
				(unsigned long long)(spec_payload_ulen(sp) + (uint64_t)d),
				(unsigned long long)tar_need(sp, 0));
		break;
	}
	case S_CHUNK_CLEN_SHIFT: case S_CHUNK_ULEN_SHIFT: {
		/* one byte (512 tar bytes) moved from the early prefix's last
		 * chunk k to chunk k + 1, the early prefix moved with it: sums
		 * agree, the cut is wrong (the prefix may span several chunks) */
		unsigned o = code == S_CHUNK_CLEN_SHIFT ? 0 : 8, d = code == S_CHUNK_CLEN_SHIFT ? 1 : 512;
		uint64_t pre = 0;
		size_t k = 0;

		while (k + 1 < nch && (pre += sp->chunks[k].clen) < sp->early_clen)
			k++;
		put_le64(val(s, ch) + 16 * k + o, get_le64(val(s, ch) + 16 * k + o) - d);
		put_le64(val(s, ch) + 16 * (k + 1) + o, get_le64(val(s, ch) + 16 * (k + 1) + o) + d);
		put_le64(val(s, early) + o, get_le64(val(s, early) + o) - d);
		x->level = LEVEL_TAR;   /* message: simulated by the caller */
		break;
	}
	case S_CHUNK_CLEN_SUM: {
		uint8_t *c = val(s, ch) + (nch - 1) * 16;

		put_le64(c, get_le64(c) + 1);
		expect_msg(x, LEVEL_LOAD, "corrupt runfile: the chunk table covers %llu bytes, the "
			   "payload has %llu", (unsigned long long)g->payload_len + 1,
			   (unsigned long long)g->payload_len); break;
	}
	case S_EARLY_LEN: s->r[early].v.len = 47;
		CORRUPT(x, early, "early prefix", "wrong length"); break;
	case S_EARLY_NOT_BOUNDARY: case S_EARLY_ZERO: {
		uint64_t c = code == S_EARLY_ZERO ? 0 : get_le64(val(s, early)) - 1;
		uint64_t u = code == S_EARLY_ZERO ? 0 : get_le64(val(s, early) + 8);

		put_le64(val(s, early), c);
		put_le64(val(s, early) + 8, u);
		INVALID(x, "early prefix (%llu -> %llu bytes) does not end on a chunk boundary",
			(unsigned long long)c, (unsigned long long)u); break;
	}
	case S_EARLY_DIGEST:
		val(s, early)[16 + 5] ^= 0x10;
		expect_msg(x, LEVEL_PAYLOAD, "payload digest mismatch in the scheduler's part: the "
			   "runfile is corrupted");
		snprintf(x->verify, sizeof(x->verify), "%s", x->msg); break;
	case S_EARLY_NO_SCHED:
		remove_rec(s, sched);
		remove_rec(s, arg);
		INVALID(x, "an early prefix is given but there is no scheduler"); break;
	}
}

static int make_spec(const struct good *g, const struct bad_case *c, struct strbuf *out,
		     struct expect *x)
{
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct raw s;

	raw_parse(g->specraw, g->spec_len, &s);
	if (c->arg == S_MEMBER_NAME) {
		size_t at = find_member(&s, g->m[1].name);

		s.r[at].v.len = 12;
		strbuf_addstr(&s.r[at].v, c->sarg);
		expect_msg(x, LEVEL_LOAD, "invalid spec: archive member 1 has a name outside the layout");
	} else {
		edit(g, &s, c->arg, x);
	}
	raw_write(&s, &enc);
	assemble(out, g, g->payload, g->payload_len, enc.buf, enc.len, g->f.codec,
		 g->f.payload_sha256);
	if (c->arg == S_CHUNKS_TOO_MANY)
		expect_msg(x, LEVEL_LOAD, "corrupt footer: spec length %zu is outside 1..%u", enc.len,
			   RUNFILE_SPEC_MAX);
	if (c->arg == S_CHUNK_CLEN_SHIFT || c->arg == S_CHUNK_ULEN_SHIFT) {
		struct spec sp;

		if (spec_decode((const uint8_t *)enc.buf, enc.len, &sp) < 0)
			return -1;
		simulate_payload(&sp, g->f.codec, g->payload, g->payload_len, g->f.payload_sha256,
				 x->msg, sizeof(x->msg));
		spec_release(&sp);
		if (c->arg == S_CHUNK_CLEN_SHIFT) {
			/* the early prefix got shorter: its digest no longer matches */
			x->level = LEVEL_PAYLOAD;
			snprintf(x->verify, sizeof(x->verify), "payload digest mismatch in the "
				 "scheduler's part: the runfile is corrupted");
		}
	}
	for (size_t i = 0; i < s.n; i++)
		strbuf_release(&s.r[i].v);
	free(s.r);
	return 0;
}

#define SPEC_CASE(name, code) { name, make_spec, code, NULL, 0 }

const struct bad_case spec_cases[] = {
	SPEC_CASE("spec-magic", S_MAGIC),
	SPEC_CASE("spec-shorter-than-header", S_SHORT),
	SPEC_CASE("spec-version-2", S_VERSION),
	SPEC_CASE("spec-reserved", S_RESERVED),
	SPEC_CASE("spec-count-huge", S_NREC_HUGE),
	SPEC_CASE("spec-count-one-more", S_NREC_PLUS),
	SPEC_CASE("spec-count-one-less", S_NREC_MINUS),
	SPEC_CASE("spec-count-0", S_NREC_0),
	SPEC_CASE("spec-length-huge", S_VLEN_HUGE),
	SPEC_CASE("spec-length-past-end", S_VLEN_LAST_PLUS),
	SPEC_CASE("spec-last-record-cut", S_TRUNC_LAST),
	SPEC_CASE("spec-tag-0", S_TAG_0),
	SPEC_CASE("spec-tag-unknown", S_TAG_12),
	SPEC_CASE("spec-tag-ffff", S_TAG_FFFF),
	SPEC_CASE("spec-record-flags", S_FLAGS),
	SPEC_CASE("spec-out-of-order", S_ORDER),
	SPEC_CASE("spec-dup-test-name", S_DUP_NAME),
	SPEC_CASE("spec-dup-times", S_DUP_TIMES),
	SPEC_CASE("spec-dup-chunks", S_DUP_CHUNKS),
	SPEC_CASE("spec-dup-early", S_DUP_EARLY),
	SPEC_CASE("spec-no-test-name", S_MISS_NAME),
	SPEC_CASE("spec-no-times", S_MISS_TIMES),
	SPEC_CASE("spec-no-chunks", S_MISS_CHUNKS),
	SPEC_CASE("spec-no-members", S_MISS_MEMBERS),
	SPEC_CASE("spec-name-nul", S_NAME_NUL),
	SPEC_CASE("spec-name-empty", S_NAME_EMPTY),
	SPEC_CASE("spec-name-too-long", S_NAME_LONG),
	SPEC_CASE("spec-name-slash", S_NAME_SLASH),
	SPEC_CASE("spec-name-control", S_NAME_CTRL),
	SPEC_CASE("spec-sched-name-slash", S_SCHED_NAME_SLASH),
	SPEC_CASE("spec-git-hash-shell", S_GIT_BAD),
	SPEC_CASE("spec-git-hash-long", S_GIT_LONG),
	SPEC_CASE("spec-packer-escape", S_PACKER_CTRL),
	SPEC_CASE("spec-topology-length", S_TOPO_LEN),
	SPEC_CASE("spec-topology-0", S_TOPO_ZERO),
	SPEC_CASE("spec-topology-huge", S_TOPO_HUGE),
	SPEC_CASE("spec-times-length", S_TIMES_LEN),
	SPEC_CASE("spec-duration-0", S_DURATION_0),
	SPEC_CASE("spec-watchdog-huge", S_WATCHDOG_HUGE),
	SPEC_CASE("spec-attach-huge", S_ATTACH_HUGE),
	SPEC_CASE("spec-cgroup-dotdot", S_CGROUP_DOTDOT),
	SPEC_CASE("spec-cgroup-relative", S_CGROUP_RELATIVE),
	SPEC_CASE("spec-cgroup-root", S_CGROUP_ROOT),
	SPEC_CASE("spec-cgroup-nul", S_CGROUP_NUL),
	SPEC_CASE("spec-args-too-many", S_ARGS_TOO_MANY),
	SPEC_CASE("spec-arg-segments", S_ARG_SEGMENTS),
	SPEC_CASE("spec-arg-kind", S_ARG_KIND),
	SPEC_CASE("spec-arg-length", S_ARG_LEN),
	SPEC_CASE("spec-arg-length-0", S_ARG_LEN_0),
	SPEC_CASE("spec-arg-length-cut", S_ARG_TRUNC),
	SPEC_CASE("spec-arg-nul", S_ARG_NUL),
	SPEC_CASE("spec-arg-two-literals", S_ARG_TWO_LIT),
	SPEC_CASE("spec-arg-too-long", S_ARG_TOO_LONG),
	SPEC_CASE("spec-args-without-scheduler", S_NO_SCHED_MEMBER),
	SPEC_CASE("spec-members-too-many", S_MEMBERS_TOO_MANY),
	SPEC_CASE("spec-member-length", S_MEMBER_LEN),
	SPEC_CASE("spec-member-name-nul", S_MEMBER_NAME_NUL),
	{ "spec-member-absolute", make_spec, S_MEMBER_NAME, "/etc/passwd", 0 },
	{ "spec-member-dotdot", make_spec, S_MEMBER_NAME, "include/..", 0 },
	{ "spec-member-dot", make_spec, S_MEMBER_NAME, "include/.", 0 },
	{ "spec-member-escape", make_spec, S_MEMBER_NAME, "include/../../x", 0 },
	{ "spec-member-nested", make_spec, S_MEMBER_NAME, "include/a/b", 0 },
	{ "spec-member-unknown", make_spec, S_MEMBER_NAME, "evil", 0 },
	{ "spec-member-dot-slash", make_spec, S_MEMBER_NAME, "./ktstr", 0 },
	{ "spec-member-control", make_spec, S_MEMBER_NAME, "include/a\nb", 0 },
	SPEC_CASE("spec-member-setuid", S_MEMBER_SETUID),
	SPEC_CASE("spec-member-world-writable", S_MEMBER_WORLD),
	SPEC_CASE("spec-member-huge", S_MEMBER_HUGE),
	SPEC_CASE("spec-member-dup", S_MEMBER_DUP),
	SPEC_CASE("spec-member-no-runner", S_MEMBER_NO_RUNNER),
	SPEC_CASE("spec-member-bigger-than-payload", S_MEMBER_BIGGER),
	SPEC_CASE("spec-member-smaller-than-tar", S_MEMBER_SMALLER),
	SPEC_CASE("spec-chunks-length", S_CHUNKS_LEN),
	SPEC_CASE("spec-chunks-empty", S_CHUNKS_EMPTY),
	SPEC_CASE("spec-chunks-too-many", S_CHUNKS_TOO_MANY),
	SPEC_CASE("spec-chunk-ulen-0", S_CHUNK_ULEN_0),
	SPEC_CASE("spec-chunk-ulen-huge", S_CHUNK_ULEN_HUGE),
	SPEC_CASE("spec-chunk-clen-0", S_CHUNK_CLEN_0),
	SPEC_CASE("spec-chunk-clen-huge", S_CHUNK_CLEN_HUGE),
	SPEC_CASE("spec-chunk-overflow", S_CHUNK_OVERFLOW),
	SPEC_CASE("spec-chunk-bomb-declared", S_CHUNK_BOMB),
	SPEC_CASE("spec-chunk-too-small", S_CHUNK_SHORT),
	SPEC_CASE("spec-chunk-cut-moved", S_CHUNK_CLEN_SHIFT),
	SPEC_CASE("spec-chunk-ulen-moved", S_CHUNK_ULEN_SHIFT),
	SPEC_CASE("spec-chunks-past-payload", S_CHUNK_CLEN_SUM),
	SPEC_CASE("spec-early-length", S_EARLY_LEN),
	SPEC_CASE("spec-early-not-on-boundary", S_EARLY_NOT_BOUNDARY),
	SPEC_CASE("spec-early-0", S_EARLY_ZERO),
	SPEC_CASE("spec-early-digest", S_EARLY_DIGEST),
	SPEC_CASE("spec-early-without-scheduler", S_EARLY_NO_SCHED),
	{ NULL, NULL, 0, NULL, 0 },
};
