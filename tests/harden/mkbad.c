// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbad.c - ktstr-mkbad: write one malformed variant of a good runfile.
 *
 * Usage: ktstr-mkbad --list
 *        ktstr-mkbad GOOD.run CASE OUT.run
 * --list prints every case name; the second form writes OUT.run (mode
 * 0755) and prints the expectation as key=value lines (see mkbad.h).
 * Variants are made one at a time so a test needs the disk space of one.
 *
 * The variants are assembled with the project's own encoders (spec.c,
 * footer.c, packer/compress.c) so that every check in front of the one a
 * case aims at passes: the footer CRC is re-signed, the spec digest and,
 * for the tar-level attacks, the payload digests are recomputed.
 */
#include "mkbad.h"
#include "digest.h"
#include "error.h"
#include "inflate.h"
#include "runfile.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

void expect_msg(struct expect *x, enum bad_level level, const char *fmt, ...)
{
	va_list ap;

	x->level = level;
	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
}

void sha256_buf(const void *buf, size_t len, uint8_t out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, len, buf);
	sha256_digest(&c, 32, out);
}

uint8_t *footer_of(struct strbuf *out)
{
	return (uint8_t *)out->buf + out->len - RUNFILE_FOOTER_SIZE;
}

void resign(struct strbuf *out)
{
	uint8_t *f = footer_of(out);

	put_le32(f + FOOTER_OFF_CRC32, (uint32_t)crc32(0L, f, FOOTER_OFF_CRC32));
}

void assemble(struct strbuf *out, const struct good *g, const void *payload, size_t plen,
	      const void *spec, size_t slen, uint32_t codec, const uint8_t *psha)
{
	struct runfile_footer f = { .version = RUNFILE_FORMAT_VERSION, .codec = codec };
	uint8_t raw[RUNFILE_FOOTER_SIZE];

	strbuf_reset(out);
	strbuf_add(out, g->stub, g->stub_len);
	strbuf_add(out, payload, plen);
	strbuf_add(out, spec, slen);
	f.payload_offset = g->stub_len;
	f.payload_length = plen;
	f.spec_offset = g->stub_len + plen;
	f.spec_length = slen;
	if (psha)
		memcpy(f.payload_sha256, psha, 32);
	else
		sha256_buf(payload, plen, f.payload_sha256);
	sha256_buf(spec, slen, f.spec_sha256);
	runfile_footer_encode(&f, raw);
	strbuf_add(out, raw, sizeof(raw));
}

void simulate_payload(const struct spec *s, uint32_t codec, const uint8_t *payload,
		      size_t plen, const uint8_t psha[32], char *msg, size_t size)
{
	struct inflater *inf = inflater_new((enum payload_codec)codec);
	uint64_t off = 0;
	uint8_t d[32];
	struct sha256_ctx c;

	msg[0] = '\0';
	sha256_init(&c);
	for (size_t i = 0; i < s->nchunks; i++) {
		const struct spec_chunk *k = &s->chunks[i];
		uint8_t *ubuf;
		int r;

		if (off + k->clen > plen) {
			snprintf(msg, size, "the payload is truncated");
			goto out;
		}
		ubuf = xmalloc((size_t)k->ulen);
		r = inflater_run(inf, payload + off, (size_t)k->clen, ubuf, (size_t)k->ulen);
		free(ubuf);
		if (r < 0) {
			snprintf(msg, size, "payload chunk %zu: %s", i, error_message());
			goto out;
		}
		sha256_update(&c, (size_t)k->clen, payload + off);
		off += k->clen;
		if (s->has_early && off == s->early_clen) {
			struct sha256_ctx prefix = c;

			sha256_digest(&prefix, 32, d);
			if (memcmp(d, s->early_sha256, 32) != 0) {
				snprintf(msg, size, "payload digest mismatch in the scheduler's part: "
					 "the runfile is corrupted");
				goto out;
			}
		}
	}
	sha256_digest(&c, 32, d);
	if (memcmp(d, psha, 32) != 0)
		snprintf(msg, size, "payload digest mismatch: the runfile is corrupted");
out:
	inflater_free(inf);
}

/* ---- the good runfile ------------------------------------------------------ */

static int read_whole(const char *path, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0)
		return error_set_errno(-errno, "cannot open %s", path);
	*len = (size_t)st.st_size;
	*buf = xmalloc(*len);
	n = pread(fd, *buf, *len, 0);
	close(fd);
	if (n != (ssize_t)*len)
		return error_set(-EIO, "short read of %s", path);
	return 0;
}

/* Inflate the payload and keep each tar member's bytes. */
static int load_members(struct good *g)
{
	struct inflater *inf = inflater_new((enum payload_codec)g->f.codec);
	uint64_t ulen = spec_payload_ulen(&g->spec), off = 0, uoff = 0;
	uint8_t *tar = xmalloc((size_t)ulen);
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int r = 0;

	for (size_t i = 0; i < g->spec.nchunks && r == 0; i++) {
		r = inflater_run(inf, g->payload + off, (size_t)g->spec.chunks[i].clen, tar + uoff,
				 (size_t)g->spec.chunks[i].ulen);
		off += g->spec.chunks[i].clen;
		uoff += g->spec.chunks[i].ulen;
	}
	inflater_free(inf);
	archive_read_support_format_tar(a);
	if (r == 0 && archive_read_open_memory(a, tar, (size_t)ulen) != ARCHIVE_OK)
		r = error_set(-EIO, "good payload: %s", archive_error_string(a));
	while (r == 0 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		struct good_member *m = &g->m[g->nm];
		la_int64_t sz = archive_entry_size(e);

		if (g->nm == MKBAD_MEMBERS_MAX) {
			r = error_set(-E2BIG, "too many members in the good runfile");
			break;
		}
		m->name = xstrdup(archive_entry_pathname(e));
		m->len = (size_t)sz;
		m->data = xmalloc(m->len);
		if (archive_read_data(a, m->data, m->len) != (la_ssize_t)m->len)
			r = error_set(-EIO, "good payload: short member %s", m->name);
		g->nm++;
	}
	archive_read_free(a);
	free(tar);
	return r;
}

static int load_good(const char *path, struct good *g)
{
	struct runfile rf;
	int r;

	memset(g, 0, sizeof(*g));
	if ((r = runfile_open(path, &rf)) < 0)
		return r;
	g->f = rf.footer;
	g->spec = rf.spec;
	memset(&rf.spec, 0, sizeof(rf.spec));
	runfile_close(&rf);
	if ((r = read_whole(path, &g->file, &g->size)) < 0)
		return r;
	g->stub = g->file;
	g->stub_len = (size_t)g->f.payload_offset;
	g->payload = g->file + g->f.payload_offset;
	g->payload_len = (size_t)g->f.payload_length;
	g->specraw = g->file + g->f.spec_offset;
	g->spec_len = (size_t)g->f.spec_length;
	if (!g->spec.has_early || !spec_has_scheduler(&g->spec))
		return error_set(-EINVAL, "the good runfile needs a scheduler and an early prefix");
	return load_members(g);
}

/* ---- main -------------------------------------------------------------------- */

static void release_good(struct good *g)
{
	for (size_t i = 0; i < g->nm; i++) {
		free(g->m[i].name);
		free(g->m[i].data);
	}
	spec_release(&g->spec);
	free(g->file);
}

static const struct bad_case *const tables[] = { layout_cases, spec_cases, tar_cases };

/* NAME, or NAME-N for a ranged case (then @buf gets a copy with arg N). */
static const struct bad_case *find_case(const char *name, struct bad_case *buf)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct bad_case *c = tables[t]; c->name; c++) {
			size_t n = strlen(c->name);
			char *end;
			long v;

			if (!c->range && strcmp(c->name, name) == 0)
				return c;
			if (!c->range || strncmp(c->name, name, n) != 0 || name[n] != '-')
				continue;
			v = strtol(name + n + 1, &end, 10);
			if (*end || v < 1 || v > c->range)
				continue;
			*buf = *c;
			buf->arg = v;
			return buf;
		}
	return NULL;
}

static const char *const level_names[] = { "load", "payload", "tar" };

int main(int argc, char **argv)
{
	const struct bad_case *c;
	struct bad_case ranged;
	struct strbuf out = STRBUF_INIT;
	struct expect x = { .exec = true };
	struct good g;
	int fd;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			for (c = tables[t]; c->name; c++) {
				if (!c->range)
					printf("%s\n", c->name);
				for (int i = 1; i <= c->range; i++)
					printf("%s-%d\n", c->name, i);
			}
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: ktstr-mkbad --list | GOOD.run CASE OUT.run\n");
		return 2;
	}
	if (!(c = find_case(argv[2], &ranged))) {
		fprintf(stderr, "ktstr-mkbad: unknown case %s\n", argv[2]);
		return 2;
	}
	if (load_good(argv[1], &g) < 0 || c->make(&g, c, &out, &x) < 0) {
		fprintf(stderr, "ktstr-mkbad: %s: %s\n", c->name, error_message());
		release_good(&g);
		strbuf_release(&out);
		return 1;
	}
	release_good(&g);
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, out.buf, out.len) != (ssize_t)out.len || close(fd) < 0) {
		perror(argv[3]);
		return 1;
	}
	printf("level=%s\nexec=%d\nbig=%d\nmsg=%s\nverify=%s\n", level_names[x.level],
	       x.exec, x.big, x.msg, x.verify);
	strbuf_release(&out);
	return 0;
}
