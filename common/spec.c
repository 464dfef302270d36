// SPDX-License-Identifier: GPL-2.0-only
/* spec.c - encode, decode and validate the frozen test spec. */
#include "spec.h"
#include "error.h"
#include "footer.h"
#include "macros.h"
#include "xalloc.h"

#include <errno.h>
#include <string.h>

#define SPEC_HEADER_SIZE 12
#define RECORD_HEADER_SIZE 8
#define SPEC_RECORDS_MAX (16 + SPEC_ARGS_MAX + SPEC_MEMBERS_MAX)
#define TOPOLOGY_LEN 16
#define TIMES_LEN 12
#define CHUNK_ENTRY_LEN 16
#define EARLY_LEN 48
#define MEMBER_FIXED_LEN 12
/* A DIR segment expands to at most a path of this size at run time. */
#define ARG_DIR_EXPANSION_MAX 4096

static const char *const tag_names[] = {
	[SPEC_TAG_TEST_NAME] = "test name",
	[SPEC_TAG_SCHED_NAME] = "scheduler name",
	[SPEC_TAG_GIT_HASH] = "git hash",
	[SPEC_TAG_PACKER] = "packer",
	[SPEC_TAG_TOPOLOGY] = "topology",
	[SPEC_TAG_TIMES] = "times",
	[SPEC_TAG_CGROUP_PARENT] = "cgroup parent",
	[SPEC_TAG_SCHED_ARG] = "scheduler argument",
	[SPEC_TAG_MEMBER] = "member",
	[SPEC_TAG_CHUNKS] = "chunk table",
	[SPEC_TAG_EARLY] = "early prefix",
};

static bool tag_repeatable(unsigned tag)
{
	return tag == SPEC_TAG_SCHED_ARG || tag == SPEC_TAG_MEMBER;
}

static bool tag_required(unsigned tag)
{
	return tag != SPEC_TAG_CGROUP_PARENT && tag != SPEC_TAG_SCHED_ARG && tag != SPEC_TAG_EARLY;
}

void spec_init(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->llcs = s->cores_per_llc = s->threads_per_core = s->numa_nodes = 1;
	s->duration_secs = SPEC_DEFAULT_DURATION;
	s->watchdog_secs = SPEC_DEFAULT_WATCHDOG;
	s->attach_timeout_secs = SPEC_DEFAULT_ATTACH_TIMEOUT;
}

static void arg_release(struct spec_arg *a)
{
	for (size_t i = 0; i < a->nseg; i++)
		free(a->seg[i].literal);
	free(a->seg);
}

void spec_release(struct spec *s)
{
	free(s->test_name);
	free(s->sched_name);
	free(s->git_hash);
	free(s->packer);
	free(s->cgroup_parent);
	for (size_t i = 0; i < s->sched_argc; i++)
		arg_release(&s->sched_argv[i]);
	free(s->sched_argv);
	for (size_t i = 0; i < s->nmembers; i++)
		free(s->members[i].name);
	free(s->members);
	free(s->chunks);
	memset(s, 0, sizeof(*s));
}

/* ---- building ------------------------------------------------------------ */

void spec_add_member(struct spec *s, const char *name, uint64_t size)
{
	s->members = xreallocarray(s->members, s->nmembers + 1, sizeof(*s->members));
	s->members[s->nmembers++] = (struct spec_member){ xstrdup(name), size, MEMBER_MODE };
}

struct spec_arg *spec_add_arg(struct spec *s)
{
	s->sched_argv = xreallocarray(s->sched_argv, s->sched_argc + 1, sizeof(*s->sched_argv));
	s->sched_argv[s->sched_argc] = (struct spec_arg){ 0, NULL };
	return &s->sched_argv[s->sched_argc++];
}

/* Literal segments are kept canonical: never empty, never two in a row. */
void spec_arg_add_literal(struct spec_arg *a, const char *bytes, size_t len)
{
	struct arg_segment *last = a->nseg ? &a->seg[a->nseg - 1] : NULL;

	if (len == 0)
		return;
	if (last && last->kind == ARG_SEG_LITERAL) {
		size_t old = strlen(last->literal);

		last->literal = xrealloc(last->literal, old + len + 1);
		memcpy(last->literal + old, bytes, len);
		last->literal[old + len] = '\0';
		return;
	}
	a->seg = xreallocarray(a->seg, a->nseg + 1, sizeof(*a->seg));
	a->seg[a->nseg++] = (struct arg_segment){ ARG_SEG_LITERAL, xstrndup(bytes, len) };
}

void spec_arg_add_dir(struct spec_arg *a)
{
	a->seg = xreallocarray(a->seg, a->nseg + 1, sizeof(*a->seg));
	a->seg[a->nseg++] = (struct arg_segment){ ARG_SEG_DIR, NULL };
}

void spec_add_chunk(struct spec *s, uint64_t clen, uint64_t ulen)
{
	s->chunks = xreallocarray(s->chunks, s->nchunks + 1, sizeof(*s->chunks));
	s->chunks[s->nchunks++] = (struct spec_chunk){ clen, ulen };
}

/* ---- lookups ------------------------------------------------------------- */

const struct spec_member *spec_member_find(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->nmembers; i++)
		if (strcmp(s->members[i].name, name) == 0)
			return &s->members[i];
	return NULL;
}

bool spec_has_scheduler(const struct spec *s)
{
	return spec_member_find(s, MEMBER_SCHEDULER) != NULL;
}

uint64_t spec_payload_ulen(const struct spec *s)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < s->nchunks; i++)
		sum += s->chunks[i].ulen;   /* bounded by validation */
	return sum;
}

/* ---- validation ---------------------------------------------------------- */

static bool printable(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

bool spec_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n >= 1 && n <= SPEC_NAME_MAX && printable(name) && !strchr(name, '/') &&
	       strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

bool spec_include_basename_ok(const char *base)
{
	return spec_name_ok(base);
}

bool spec_member_name_ok(const char *name)
{
	static const char prefix[] = MEMBER_INCLUDE_DIR "/";

	if (strcmp(name, MEMBER_RUNNER) == 0 || strcmp(name, MEMBER_SCHEDULER) == 0)
		return true;
	return strncmp(name, prefix, sizeof(prefix) - 1) == 0 &&
	       spec_include_basename_ok(name + sizeof(prefix) - 1);
}

bool spec_git_hash_ok(const char *h)
{
	size_t n = h ? strlen(h) : 0;

	if (n < 1 || n > SPEC_GIT_HASH_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '-' || c == '+' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

int spec_cgroup_parent_check(const char *path)
{
	size_t n = strlen(path);
	const char *comp;

	if (n < 2 || n > SPEC_PATH_MAX || path[0] != '/')
		return error_set(-EINVAL, "cgroup parent '%s' must be an absolute path below the cgroup "
				 "root, like /ktstr-cells (at most %d bytes)", path, SPEC_PATH_MAX);
	if (!printable(path))
		return error_set(-EINVAL, "cgroup parent contains control characters");
	if (path[n - 1] == '/')
		return error_set(-EINVAL, "cgroup parent '%s' must not end with '/'", path);
	for (comp = path + 1;; ) {
		const char *end = strchr(comp, '/');
		size_t len = end ? (size_t)(end - comp) : strlen(comp);

		if (len == 0 || (len == 1 && comp[0] == '.') ||
		    (len == 2 && comp[0] == '.' && comp[1] == '.'))
			return error_set(-EINVAL, "cgroup parent '%s' has an empty, '.' or '..' component",
					 path);
		if (!end)
			break;
		comp = end + 1;
	}
	return 0;
}

static int arg_validate(const struct spec_arg *a, size_t idx)
{
	size_t bytes = 0;

	if (a->nseg > SPEC_SEGMENTS_MAX)
		return error_set(-EINVAL, "scheduler argument %zu has %zu segments (max %d)",
				 idx, a->nseg, SPEC_SEGMENTS_MAX);
	for (size_t i = 0; i < a->nseg; i++) {
		const struct arg_segment *g = &a->seg[i];

		if (g->kind == ARG_SEG_DIR) {
			bytes += ARG_DIR_EXPANSION_MAX;
			continue;
		}
		if (g->kind != ARG_SEG_LITERAL || !g->literal || !g->literal[0])
			return error_set(-EINVAL, "scheduler argument %zu: bad segment %zu", idx, i);
		if (i > 0 && a->seg[i - 1].kind == ARG_SEG_LITERAL)
			return error_set(-EINVAL, "scheduler argument %zu: two literal segments in a row "
					 "(not canonical)", idx);
		bytes += strlen(g->literal);
	}
	if (bytes >= SPEC_ARG_BYTES_MAX)
		return error_set(-EINVAL, "scheduler argument %zu is too long (%zu bytes, max %d)",
				 idx, bytes, SPEC_ARG_BYTES_MAX - 1);
	return 0;
}

static int members_validate(const struct spec *s)
{
	size_t runners = 0;

	if (s->nmembers < 1 || s->nmembers > SPEC_MEMBERS_MAX)
		return error_set(-EINVAL, "%zu archive members (need 1..%d)", s->nmembers,
				 SPEC_MEMBERS_MAX);
	for (size_t i = 0; i < s->nmembers; i++) {
		const struct spec_member *m = &s->members[i];

		if (!m->name || !spec_member_name_ok(m->name))
			return error_set(-EINVAL, "archive member %zu has a name outside the layout "
					 "(ktstr, scheduler, include/<basename>)", i);
		if (m->mode != MEMBER_MODE)
			return error_set(-EINVAL, "archive member %s has mode %o, the layout needs %o",
					 m->name, m->mode, MEMBER_MODE);
		if (m->size > SPEC_MEMBER_SIZE_MAX)
			return error_set(-EINVAL, "archive member %s is too large (%llu bytes)", m->name,
					 (unsigned long long)m->size);
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->members[j].name, m->name) == 0)
				return error_set(-EINVAL, "archive member %s appears twice", m->name);
		if (strcmp(m->name, MEMBER_RUNNER) == 0)
			runners++;
	}
	if (runners != 1)
		return error_set(-EINVAL, "the archive has no %s member (the test binary)", MEMBER_RUNNER);
	return 0;
}

static int chunks_validate(const struct spec *s)
{
	uint64_t ulen = 0, clen = 0, need = 1024;   /* tar end-of-archive blocks */

	if (s->nchunks < 1 || s->nchunks > SPEC_CHUNKS_MAX)
		return error_set(-EINVAL, "%zu payload chunks (need 1..%d)", s->nchunks, SPEC_CHUNKS_MAX);
	for (size_t i = 0; i < s->nchunks; i++) {
		const struct spec_chunk *c = &s->chunks[i];

		/* no encoder grows a chunk much past its data (stored deflate
		 * blocks, zstd raw blocks): the bound keeps a hostile spec from
		 * making a reader buffer far more than it will inflate */
		if (c->ulen < 1 || c->ulen > SPEC_CHUNK_ULEN_MAX || c->clen < 1 ||
		    c->clen > c->ulen + c->ulen / 8 + SPEC_CHUNK_CLEN_SLACK)
			return error_set(-EINVAL, "payload chunk %zu has bad sizes (%llu -> %llu bytes)", i,
					 (unsigned long long)c->clen, (unsigned long long)c->ulen);
		if (!add_u64(ulen, c->ulen, &ulen) || !add_u64(clen, c->clen, &clen))
			return error_set(-EINVAL, "payload chunk sizes overflow");
	}
	for (size_t i = 0; i < s->nmembers; i++) {
		/* each member: a 512-byte header and its data padded to 512 */
		uint64_t padded = (s->members[i].size + 511) & ~(uint64_t)511;

		if (!add_u64(need, 512 + padded, &need))
			return error_set(-EINVAL, "member sizes overflow");
	}
	if (ulen < need)
		return error_set(-EINVAL, "payload chunks hold %llu tar bytes, the members need at "
				 "least %llu", (unsigned long long)ulen, (unsigned long long)need);
	/* ...and not much more: extended headers and end padding only, so a
	 * payload cannot inflate far beyond what its members declare */
	if (ulen - need > SPEC_TAR_SLACK + (uint64_t)s->nmembers * SPEC_TAR_SLACK_PER_MEMBER)
		return error_set(-EINVAL, "payload chunks hold %llu tar bytes, far more than the "
				 "%llu the members need", (unsigned long long)ulen,
				 (unsigned long long)need);
	if (s->has_early) {
		uint64_t cu = 0, cc = 0;
		size_t i;

		for (i = 0; i < s->nchunks && cc < s->early_clen; i++) {
			cc += s->chunks[i].clen;
			cu += s->chunks[i].ulen;
		}
		if (cc != s->early_clen || cu != s->early_ulen || i == 0)
			return error_set(-EINVAL, "early prefix (%llu -> %llu bytes) does not end on a "
					 "chunk boundary", (unsigned long long)s->early_clen,
					 (unsigned long long)s->early_ulen);
	}
	return 0;
}

int spec_validate(const struct spec *s)
{
	const uint32_t topo[] = { s->llcs, s->cores_per_llc, s->threads_per_core, s->numa_nodes };
	int r;

	if (!spec_name_ok(s->test_name))
		return error_set(-EINVAL, "test name must be 1..%d printable bytes without '/'",
				 SPEC_NAME_MAX);
	if (!spec_name_ok(s->sched_name))
		return error_set(-EINVAL, "scheduler name must be 1..%d printable bytes without '/'",
				 SPEC_NAME_MAX);
	if (!spec_git_hash_ok(s->git_hash))
		return error_set(-EINVAL, "git hash must be 1..%d characters of [0-9A-Za-z._+-]",
				 SPEC_GIT_HASH_MAX);
	if (!s->packer || !s->packer[0] || strlen(s->packer) > SPEC_NAME_MAX || !printable(s->packer))
		return error_set(-EINVAL, "packer string must be 1..%d printable bytes", SPEC_NAME_MAX);
	for (size_t i = 0; i < ARRAY_SIZE(topo); i++)
		if (topo[i] < 1 || topo[i] > SPEC_TOPO_MAX)
			return error_set(-EINVAL, "topology need %u is outside 1..%u", topo[i],
					 SPEC_TOPO_MAX);
	if (s->duration_secs < 1 || s->duration_secs > SPEC_SECS_MAX)
		return error_set(-EINVAL, "duration %u s is outside 1..%u", s->duration_secs,
				 SPEC_SECS_MAX);
	if (s->watchdog_secs < 1 || s->watchdog_secs > SPEC_SECS_MAX)
		return error_set(-EINVAL, "watchdog %u s is outside 1..%u", s->watchdog_secs,
				 SPEC_SECS_MAX);
	if (s->attach_timeout_secs < 1 || s->attach_timeout_secs > SPEC_ATTACH_SECS_MAX)
		return error_set(-EINVAL, "attach timeout %u s is outside 1..%u",
				 s->attach_timeout_secs, SPEC_ATTACH_SECS_MAX);
	if (s->cgroup_parent && (r = spec_cgroup_parent_check(s->cgroup_parent)) < 0)
		return r;
	if (s->sched_argc > SPEC_ARGS_MAX)
		return error_set(-EINVAL, "%zu scheduler arguments (max %d)", s->sched_argc,
				 SPEC_ARGS_MAX);
	for (size_t i = 0; i < s->sched_argc; i++)
		if ((r = arg_validate(&s->sched_argv[i], i)) < 0)
			return r;
	if ((r = members_validate(s)) < 0)
		return r;
	if (!spec_has_scheduler(s)) {
		if (s->sched_argc)
			return error_set(-EINVAL, "scheduler arguments given but there is no scheduler "
					 "binary (EEVDF runs no scheduler)");
		if (s->cgroup_parent)
			return error_set(-EINVAL, "a cgroup parent is given but there is no scheduler "
					 "binary to pass it to");
		if (s->has_early)
			return error_set(-EINVAL, "an early prefix is given but there is no scheduler");
	}
	return chunks_validate(s);
}

/* ---- encoding ------------------------------------------------------------ */

static void record(struct strbuf *out, unsigned tag, const void *val, size_t len)
{
	strbuf_add_le16(out, (uint16_t)tag);
	strbuf_add_le16(out, 0);
	strbuf_add_le32(out, (uint32_t)len);
	strbuf_add(out, val, len);
}

static void record_str(struct strbuf *out, unsigned tag, const char *s)
{
	record(out, tag, s, strlen(s));
}

int spec_encode(const struct spec *s, struct strbuf *out)
{
	_cleanup_strbuf_ struct strbuf v = STRBUF_INIT;
	uint32_t nrec = 8;
	size_t start = out->len;
	int r;

	if ((r = spec_validate(s)) < 0)
		return r;
	nrec += (s->cgroup_parent != NULL) + (uint32_t)s->sched_argc +
		(uint32_t)(s->nmembers - 1) + s->has_early;

	strbuf_add(out, SPEC_MAGIC, 4);
	strbuf_add_le16(out, SPEC_VERSION);
	strbuf_add_le16(out, 0);
	strbuf_add_le32(out, nrec);
	record_str(out, SPEC_TAG_TEST_NAME, s->test_name);
	record_str(out, SPEC_TAG_SCHED_NAME, s->sched_name);
	record_str(out, SPEC_TAG_GIT_HASH, s->git_hash);
	record_str(out, SPEC_TAG_PACKER, s->packer);

	strbuf_reset(&v);
	strbuf_add_le32(&v, s->llcs);
	strbuf_add_le32(&v, s->cores_per_llc);
	strbuf_add_le32(&v, s->threads_per_core);
	strbuf_add_le32(&v, s->numa_nodes);
	record(out, SPEC_TAG_TOPOLOGY, v.buf, v.len);

	strbuf_reset(&v);
	strbuf_add_le32(&v, s->duration_secs);
	strbuf_add_le32(&v, s->watchdog_secs);
	strbuf_add_le32(&v, s->attach_timeout_secs);
	record(out, SPEC_TAG_TIMES, v.buf, v.len);

	if (s->cgroup_parent)
		record_str(out, SPEC_TAG_CGROUP_PARENT, s->cgroup_parent);

	for (size_t i = 0; i < s->sched_argc; i++) {
		const struct spec_arg *a = &s->sched_argv[i];

		strbuf_reset(&v);
		for (size_t j = 0; j < a->nseg; j++) {
			strbuf_addch(&v, (char)a->seg[j].kind);
			if (a->seg[j].kind == ARG_SEG_LITERAL) {
				strbuf_add_le32(&v, (uint32_t)strlen(a->seg[j].literal));
				strbuf_addstr(&v, a->seg[j].literal);
			}
		}
		record(out, SPEC_TAG_SCHED_ARG, v.buf, v.len);
	}

	for (size_t i = 0; i < s->nmembers; i++) {
		strbuf_reset(&v);
		strbuf_add_le64(&v, s->members[i].size);
		strbuf_add_le32(&v, s->members[i].mode);
		strbuf_addstr(&v, s->members[i].name);
		record(out, SPEC_TAG_MEMBER, v.buf, v.len);
	}

	strbuf_reset(&v);
	for (size_t i = 0; i < s->nchunks; i++) {
		strbuf_add_le64(&v, s->chunks[i].clen);
		strbuf_add_le64(&v, s->chunks[i].ulen);
	}
	record(out, SPEC_TAG_CHUNKS, v.buf, v.len);

	if (s->has_early) {
		strbuf_reset(&v);
		strbuf_add_le64(&v, s->early_clen);
		strbuf_add_le64(&v, s->early_ulen);
		strbuf_add(&v, s->early_sha256, 32);
		record(out, SPEC_TAG_EARLY, v.buf, v.len);
	}
	if (out->len - start > RUNFILE_SPEC_MAX) {
		size_t n = out->len - start;

		out->len = start;
		out->buf[start] = '\0';   /* a strbuf stays NUL-terminated */
		return error_set(-E2BIG, "the spec would be %zu bytes (max %u)", n, RUNFILE_SPEC_MAX);
	}
	return 0;
}

/* ---- decoding ------------------------------------------------------------ */

static int bad(unsigned tag, size_t rec, const char *why)
{
	return error_set(-EBADMSG, "corrupt spec: record %zu (%s): %s", rec,
			 tag >= 1 && tag <= SPEC_TAG_MAX ? tag_names[tag] : "?", why);
}

/* A string value: no NUL inside, bounded length. */
static int take_string(const uint8_t *val, uint32_t len, size_t max, unsigned tag, size_t rec,
		       char **out)
{
	if (*out)
		return bad(tag, rec, "appears twice");
	if (len == 0 || len > max)
		return bad(tag, rec, "length out of range");
	if (memchr(val, '\0', len))
		return bad(tag, rec, "contains a NUL byte");
	*out = xstrndup((const char *)val, len);
	return 0;
}

static int decode_arg(const uint8_t *val, uint32_t len, size_t rec, struct spec *s)
{
	struct spec_arg *a = spec_add_arg(s);
	size_t off = 0;

	while (off < len) {
		uint8_t kind = val[off++];

		if (a->nseg >= SPEC_SEGMENTS_MAX)
			return bad(SPEC_TAG_SCHED_ARG, rec, "too many segments");
		if (kind == ARG_SEG_DIR) {
			spec_arg_add_dir(a);
			continue;
		}
		if (kind != ARG_SEG_LITERAL)
			return bad(SPEC_TAG_SCHED_ARG, rec, "unknown segment kind");
		if (len - off < 4)
			return bad(SPEC_TAG_SCHED_ARG, rec, "truncated segment length");
		uint32_t n = get_le32(val + off);
		off += 4;
		if (n == 0 || n > len - off)
			return bad(SPEC_TAG_SCHED_ARG, rec, "segment length out of range");
		if (memchr(val + off, '\0', n))
			return bad(SPEC_TAG_SCHED_ARG, rec, "segment contains a NUL byte");
		if (a->nseg && a->seg[a->nseg - 1].kind == ARG_SEG_LITERAL)
			return bad(SPEC_TAG_SCHED_ARG, rec, "two literal segments in a row");
		a->seg = xreallocarray(a->seg, a->nseg + 1, sizeof(*a->seg));
		a->seg[a->nseg++] = (struct arg_segment){ ARG_SEG_LITERAL,
							  xstrndup((const char *)val + off, n) };
		off += n;
	}
	return 0;
}

static int decode_record(unsigned tag, const uint8_t *val, uint32_t len, size_t rec,
			 struct spec *s)
{
	switch (tag) {
	case SPEC_TAG_TEST_NAME:
		return take_string(val, len, SPEC_NAME_MAX, tag, rec, &s->test_name);
	case SPEC_TAG_SCHED_NAME:
		return take_string(val, len, SPEC_NAME_MAX, tag, rec, &s->sched_name);
	case SPEC_TAG_GIT_HASH:
		return take_string(val, len, SPEC_GIT_HASH_MAX, tag, rec, &s->git_hash);
	case SPEC_TAG_PACKER:
		return take_string(val, len, SPEC_NAME_MAX, tag, rec, &s->packer);
	case SPEC_TAG_CGROUP_PARENT:
		return take_string(val, len, SPEC_PATH_MAX, tag, rec, &s->cgroup_parent);
	case SPEC_TAG_TOPOLOGY:
		if (len != TOPOLOGY_LEN)
			return bad(tag, rec, "wrong length");
		s->llcs = get_le32(val);
		s->cores_per_llc = get_le32(val + 4);
		s->threads_per_core = get_le32(val + 8);
		s->numa_nodes = get_le32(val + 12);
		return 0;
	case SPEC_TAG_TIMES:
		if (len != TIMES_LEN)
			return bad(tag, rec, "wrong length");
		s->duration_secs = get_le32(val);
		s->watchdog_secs = get_le32(val + 4);
		s->attach_timeout_secs = get_le32(val + 8);
		return 0;
	case SPEC_TAG_SCHED_ARG:
		if (s->sched_argc >= SPEC_ARGS_MAX)
			return bad(tag, rec, "too many scheduler arguments");
		return decode_arg(val, len, rec, s);
	case SPEC_TAG_MEMBER:
		if (s->nmembers >= SPEC_MEMBERS_MAX)
			return bad(tag, rec, "too many members");
		if (len <= MEMBER_FIXED_LEN || len > MEMBER_FIXED_LEN + 8 + SPEC_NAME_MAX)
			return bad(tag, rec, "wrong length");
		if (memchr(val + MEMBER_FIXED_LEN, '\0', len - MEMBER_FIXED_LEN))
			return bad(tag, rec, "name contains a NUL byte");
		s->members = xreallocarray(s->members, s->nmembers + 1, sizeof(*s->members));
		s->members[s->nmembers++] = (struct spec_member){
			xstrndup((const char *)val + MEMBER_FIXED_LEN, len - MEMBER_FIXED_LEN),
			get_le64(val), get_le32(val + 8) };
		return 0;
	case SPEC_TAG_CHUNKS:
		if (len == 0 || len % CHUNK_ENTRY_LEN || len / CHUNK_ENTRY_LEN > SPEC_CHUNKS_MAX)
			return bad(tag, rec, "wrong length");
		s->nchunks = len / CHUNK_ENTRY_LEN;
		s->chunks = xcalloc(s->nchunks, sizeof(*s->chunks));
		for (size_t i = 0; i < s->nchunks; i++) {
			s->chunks[i].clen = get_le64(val + i * CHUNK_ENTRY_LEN);
			s->chunks[i].ulen = get_le64(val + i * CHUNK_ENTRY_LEN + 8);
		}
		return 0;
	case SPEC_TAG_EARLY:
		if (len != EARLY_LEN)
			return bad(tag, rec, "wrong length");
		s->has_early = true;
		s->early_clen = get_le64(val);
		s->early_ulen = get_le64(val + 8);
		memcpy(s->early_sha256, val + 16, 32);
		return 0;
	}
	return bad(tag, rec, "unknown record");
}

static int decode_body(const uint8_t *buf, size_t len, struct spec *s)
{
	uint32_t nrec, version;
	unsigned last_tag = 0;
	bool seen[SPEC_TAG_MAX + 1] = { false };
	size_t off = SPEC_HEADER_SIZE;
	int r;

	if (len < SPEC_HEADER_SIZE || memcmp(buf, SPEC_MAGIC, 4) != 0)
		return error_set(-EBADMSG, "corrupt spec: bad magic");
	version = get_le16(buf + 4);
	if (version != SPEC_VERSION)
		return error_set(-EPROTO, "spec version %u is not supported (this program reads "
				 "version %u)", version, SPEC_VERSION);
	if (get_le16(buf + 6) != 0)
		return error_set(-EBADMSG, "corrupt spec: reserved header field is not zero");
	nrec = get_le32(buf + 8);
	if (nrec > SPEC_RECORDS_MAX)
		return error_set(-EBADMSG, "corrupt spec: %u records (max %d)", nrec, SPEC_RECORDS_MAX);

	for (size_t i = 0; i < nrec; i++) {
		unsigned tag;
		uint32_t vlen;

		if (len - off < RECORD_HEADER_SIZE)
			return error_set(-EBADMSG, "corrupt spec: truncated at record %zu of %u", i, nrec);
		tag = get_le16(buf + off);
		vlen = get_le32(buf + off + 4);
		if (tag < 1 || tag > SPEC_TAG_MAX)
			return error_set(-EBADMSG, "corrupt spec: record %zu has unknown tag %u", i, tag);
		if (get_le16(buf + off + 2) != 0)
			return bad(tag, i, "flags are not zero");
		if (tag < last_tag)
			return bad(tag, i, "out of order");
		if (seen[tag] && !tag_repeatable(tag))
			return bad(tag, i, "appears twice");
		off += RECORD_HEADER_SIZE;
		if (vlen > len - off)
			return bad(tag, i, "length runs past the end of the spec");
		if ((r = decode_record(tag, buf + off, vlen, i, s)) < 0)
			return r;
		off += vlen;
		seen[tag] = true;
		last_tag = tag;
	}
	if (off != len)
		return error_set(-EBADMSG, "corrupt spec: %zu trailing bytes after %u records",
				 len - off, nrec);
	for (unsigned t = 1; t <= SPEC_TAG_MAX; t++)
		if (tag_required(t) && !seen[t])
			return error_set(-EBADMSG, "corrupt spec: the %s record is missing", tag_names[t]);
	if ((r = spec_validate(s)) < 0)
		return error_prefix(-EBADMSG, "invalid spec");
	return 0;
}

int spec_decode(const uint8_t *buf, size_t len, struct spec *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = decode_body(buf, len, out);
	if (r < 0)
		spec_release(out);
	return r;
}
