// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbad-tar.c - hostile archives with consistent digests.
 *
 * A hostile sender controls every byte, digests included, so these
 * payloads are made as the packer makes a good one: a tar written with
 * libarchive (or, for header fields libarchive would not write, by hand),
 * cut into chunks compressed with the packer's own compressor, a spec
 * encoded with spec_encode() and a footer with every digest right.  Only
 * the extraction's own checks stand between such a file and the disk.
 * The members' bytes are the good runfile's real runner and scheduler, so
 * a check that let one through would run them, and they leave a record.
 */
#include "mkbad.h"
#include "compress.h"
#include "error.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK (1u << 20)
#define BOMB_BYTES (256u << 20)
#define PWNED "/tmp/ktstr-pwned"

/* ---- writing tar -------------------------------------------------------------- */

static la_ssize_t sink(struct archive *a, void *arg, const void *buf, size_t len)
{
	strbuf_add(arg, buf, len);
	return (la_ssize_t)len;
}

static struct archive *tar_open(struct strbuf *out)
{
	struct archive *a = archive_write_new();

	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_per_block(a, 0);
	archive_write_open(a, out, NULL, sink, NULL);
	return a;
}

/* One entry; @data is written for regular files (@size may differ from
 * @len: the rest is zeros). */
static void tar_add(struct archive *a, const char *name, unsigned type, const void *data,
		    size_t len, uint64_t size, const char *symlink, const char *hardlink)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, MEMBER_MODE);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)size : 0);
	if (symlink)
		archive_entry_set_symlink(e, symlink);
	if (hardlink)
		archive_entry_set_hardlink(e, hardlink);
	if (type == AE_IFCHR || type == AE_IFBLK) {
		archive_entry_set_rdevmajor(e, type == AE_IFCHR ? 1 : 8);
		archive_entry_set_rdevminor(e, type == AE_IFCHR ? 3 : 0);
	}
	archive_write_header(a, e);
	if (type == AE_IFREG && !hardlink) {
		static const uint8_t zeros[4096];

		archive_write_data(a, data, len);
		for (uint64_t left = size - len; left; ) {
			size_t n = left < sizeof(zeros) ? (size_t)left : sizeof(zeros);

			archive_write_data(a, zeros, n);
			left -= n;
		}
	}
	archive_write_finish_entry(a);
	archive_entry_free(e);
}

static void tar_good(struct archive *a, const struct good_member *m)
{
	tar_add(a, m->name, AE_IFREG, m->data, m->len, m->len, NULL, NULL);
}

static void tar_close(struct archive *a)
{
	archive_write_close(a);
	archive_write_free(a);
}

/* A ustar header by hand; @size_field: NULL for octal @size. */
static void ustar(struct strbuf *t, const char *name, char type, uint64_t size,
		  const uint8_t *size_field, const char *link, bool bad_sum)
{
	uint8_t h[512] = { 0 };
	unsigned sum = 0;

	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000755", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	if (size_field)
		memcpy(h + 124, size_field, 12);
	else
		snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	memcpy(h + 136, "00000000000", 12);
	h[156] = (uint8_t)type;
	if (link)
		snprintf((char *)h + 157, 100, "%s", link);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", bad_sum ? sum + 1 : sum);
	h[155] = ' ';
	strbuf_add(t, h, sizeof(h));
}

static void pad512(struct strbuf *t)
{
	static const uint8_t zeros[512];

	if (t->len % 512)
		strbuf_add(t, zeros, 512 - t->len % 512);
}

/* A pax or GNU long-name record entry ('x' / 'L') carrying @body. */
static void ext_entry(struct strbuf *t, char type, const char *body)
{
	ustar(t, type == 'L' ? "././@LongLink" : "PaxHeader", type, strlen(body) + (type == 'L'),
	      NULL, NULL, false);
	strbuf_add(t, body, strlen(body) + (type == 'L'));
	pad512(t);
}

static void raw_good(struct strbuf *t, const struct good_member *m)
{
	ustar(t, m->name, '0', m->len, NULL, NULL, false);
	strbuf_add(t, m->data, m->len);
	pad512(t);
}

static void raw_end(struct strbuf *t)
{
	static const uint8_t zeros[1024];

	strbuf_add(t, zeros, sizeof(zeros));
}

/* ---- the payload around a tar ------------------------------------------------------ */

enum twist { TW_NONE, TW_BOMB, TW_TRAILING, TW_SHORT };

/* gzip (zlib, streaming) of @len bytes then @zeros zero bytes */
static void gzip_bomb(const void *data, size_t len, size_t zeros, struct strbuf *out)
{
	static uint8_t zbuf[1 << 20], obuf[1 << 16];
	z_stream z = { 0 };

	deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	for (int flush = Z_NO_FLUSH; ; ) {
		if (z.avail_in == 0 && zeros) {
			size_t n = zeros < sizeof(zbuf) ? zeros : sizeof(zbuf);

			z.next_in = zbuf;
			z.avail_in = (uInt)n;
			zeros -= n;
		}
		if (z.avail_in == 0 && !zeros)
			flush = Z_FINISH;
		z.next_out = obuf;
		z.avail_out = sizeof(obuf);
		int r = deflate(&z, flush);

		strbuf_add(out, obuf, sizeof(obuf) - z.avail_out);
		if (r == Z_STREAM_END)
			break;
	}
	deflateEnd(&z);
}

static void zstd_bomb(const void *data, size_t len, size_t zeros, struct strbuf *out)
{
	uint8_t *in = xcalloc(1, len + zeros);
	size_t bound = ZSTD_compressBound(len + zeros), n;

	memcpy(in, data, len);
	strbuf_grow(out, bound);
	n = ZSTD_compress(out->buf + out->len, bound, in, len + zeros, 3);
	out->len += n;
	free(in);
}

/*
 * Cut @tar into chunks, compress them with the packer's compressor, and
 * fill @sp's chunk table; @twist damages one chunk (the first, the largest,
 * for a bomb: its compressed size must stay within what the spec allows
 * for its declared size) while keeping the digests right.
 * Return: the index of the damaged chunk.
 */
static size_t build_payload(const struct strbuf *tar, uint32_t codec, enum twist twist,
			    struct strbuf *payload, struct spec *sp)
{
	struct compressor *c = compressor_new(codec, compress_default_level(codec));
	size_t n = (tar->len + CHUNK - 1) / CHUNK, last = twist == TW_BOMB ? 0 : n - 1;

	free(sp->chunks);
	sp->chunks = NULL;
	sp->nchunks = 0;
	for (size_t i = 0; i < n; i++) {
		size_t off = i * CHUNK, len = tar->len - off < CHUNK ? tar->len - off : CHUNK;
		size_t before = payload->len;

		if (i == last && twist == TW_BOMB) {
			if (codec == CODEC_ZSTD)
				zstd_bomb(tar->buf + off, len, BOMB_BYTES, payload);
			else
				gzip_bomb(tar->buf + off, len, BOMB_BYTES, payload);
		} else {
			compressor_run(c, tar->buf + off, len, payload);
		}
		if (i == last && twist == TW_TRAILING)
			strbuf_add(payload, "JUNK", 4);
		spec_add_chunk(sp, payload->len - before,
			       len + (i == last && twist == TW_SHORT ? 512 : 0));
	}
	compressor_free(c);
	return last;
}

/* tar bytes the spec's members need (spec.c's count) */
static uint64_t need_of(const struct spec *sp)
{
	uint64_t need = 1024;

	for (size_t i = 0; i < sp->nmembers; i++)
		need += 512 + ((sp->members[i].size + 511) & ~(uint64_t)511);
	return need;
}

/* ---- the cases ---------------------------------------------------------------------- */

enum {
	T_ABS, T_ABS_ETC, T_DOTDOT, T_DOTDOT_DEEP, T_DOTDOT_ONLY, T_SYMLINK_PASSWD,
	T_SYMLINK_PARENT, T_SYMLINK_THEN_FILE, T_HARDLINK_PASSWD, T_HARDLINK_PARENT,
	T_HARDLINK_MEMBER, T_CHARDEV, T_BLOCKDEV, T_FIFO, T_DIR, T_DUP, T_NOT_LAYOUT, T_DOT_SLASH,
	T_INCLUDE_OTHER, T_TRAILING_EVIL, T_SIZE_BIGGER, T_SIZE_SMALLER, T_SIZE_HUGE, T_MISSING,
	T_SPARSE, T_PAX_PATH, T_PAX_LINK, T_GNU_LONGNAME, T_NEG_SIZE, T_BAD_CHECKSUM, T_GARBAGE,
	T_ZEROS, T_BOMB_GZIP, T_BOMB_ZSTD, T_CHUNK_TRAILING, T_CHUNK_SHORT, T_DECLARED_HUGE,
};

static const char *const type_text[] = {
	[T_CHARDEV] = "a character device", [T_BLOCKDEV] = "a block device",
	[T_FIFO] = "a FIFO", [T_DIR] = "a directory",
};

static int make_tar(const struct good *g, const struct bad_case *c, struct strbuf *out,
		    struct expect *x)
{
	const struct good_member *sched = &g->m[0], *inc = &g->m[1], *run = &g->m[2];
	_cleanup_strbuf_ struct strbuf tar = STRBUF_INIT, payload = STRBUF_INIT, enc = STRBUF_INIT;
	uint32_t codec = CODEC_GZIP;
	enum twist twist = TW_NONE;
	struct archive *a = NULL;
	struct spec sp;
	size_t bad;
	int r;

	if ((r = spec_decode(g->specraw, g->spec_len, &sp)) < 0)
		return r;
	sp.has_early = false;    /* nothing may start before the whole payload is read */
	x->level = LEVEL_TAR;
	switch (c->arg) {
	case T_ABS: case T_ABS_ETC: case T_DOTDOT: case T_DOTDOT_DEEP: case T_DOTDOT_ONLY:
	case T_NOT_LAYOUT: case T_DOT_SLASH: case T_INCLUDE_OTHER:
		a = tar_open(&tar);
		tar_add(a, c->sarg, AE_IFREG, "pwned\n", 6, 6, NULL, NULL);
		expect_msg(x, LEVEL_TAR, "archive member '%s' %s", c->sarg,
			   c->arg <= T_ABS_ETC ? "has an absolute path" :
			   c->arg <= T_DOTDOT_ONLY ? "has a '..' component" :
			   "is not in the runfile's layout");
		break;
	case T_SYMLINK_PASSWD: case T_SYMLINK_PARENT: case T_SYMLINK_THEN_FILE:
		a = tar_open(&tar);
		tar_add(a, c->arg == T_SYMLINK_PARENT ? "include/up" : MEMBER_RUNNER, AE_IFLNK, NULL, 0,
			0, c->arg == T_SYMLINK_PARENT ? ".." : "/etc/passwd", NULL);
		if (c->arg == T_SYMLINK_THEN_FILE)
			tar_add(a, MEMBER_RUNNER, AE_IFREG, "root::0:0::/:/bin/sh\n", 21, 21, NULL, NULL);
		expect_msg(x, LEVEL_TAR, "archive member '%s' is a symbolic link; only regular files "
			   "are allowed", c->arg == T_SYMLINK_PARENT ? "include/up" : MEMBER_RUNNER);
		break;
	case T_HARDLINK_PASSWD: case T_HARDLINK_PARENT: case T_HARDLINK_MEMBER: {
		const char *to = c->arg == T_HARDLINK_PASSWD ? "/etc/passwd" :
				 c->arg == T_HARDLINK_PARENT ? ".." : MEMBER_SCHEDULER;

		a = tar_open(&tar);
		if (c->arg == T_HARDLINK_MEMBER)
			tar_good(a, sched);
		tar_add(a, MEMBER_RUNNER, AE_IFREG, NULL, 0, 0, NULL, to);
		expect_msg(x, LEVEL_TAR, "archive member 'ktstr' is a hard link (to '%s')", to);
		break;
	}
	case T_CHARDEV: case T_BLOCKDEV: case T_FIFO: case T_DIR: {
		/* libarchive's writer ends a directory's name with a '/' */
		const char *name = c->arg == T_DIR ? MEMBER_INCLUDE_DIR "/" : MEMBER_RUNNER;
		unsigned type = c->arg == T_CHARDEV ? AE_IFCHR : c->arg == T_BLOCKDEV ? AE_IFBLK :
				c->arg == T_FIFO ? AE_IFIFO : AE_IFDIR;

		a = tar_open(&tar);
		tar_add(a, name, type, NULL, 0, 0, NULL, NULL);
		expect_msg(x, LEVEL_TAR, "archive member '%s' is %s; only regular files are allowed",
			   name, type_text[c->arg]);
		break;
	}
	case T_DUP:
		a = tar_open(&tar);
		tar_good(a, sched);
		tar_good(a, sched);
		expect_msg(x, LEVEL_TAR, "archive member 'scheduler' appears twice");
		break;
	case T_TRAILING_EVIL:
		a = tar_open(&tar);
		tar_good(a, sched);
		tar_good(a, inc);
		tar_good(a, run);
		tar_add(a, "evil", AE_IFREG, "pwned\n", 6, 6, NULL, NULL);
		expect_msg(x, LEVEL_TAR, "archive member 'evil' is not in the runfile's layout");
		break;
	case T_SIZE_BIGGER: case T_SIZE_SMALLER: {
		uint64_t size = c->arg == T_SIZE_BIGGER ? run->len + 4096 : run->len - 1;

		a = tar_open(&tar);
		tar_good(a, sched);
		tar_good(a, inc);
		tar_add(a, MEMBER_RUNNER, AE_IFREG, run->data, size < run->len ? size : run->len,
			size, NULL, NULL);
		expect_msg(x, LEVEL_TAR, "archive member 'ktstr' is %llu bytes, the spec says %zu",
			   (unsigned long long)size, run->len);
		break;
	}
	case T_SIZE_HUGE: {
		uint8_t field[12] = { 0x80 };

		field[6] = 0x01;   /* base-256: 1 << 40 */
		ustar(&tar, MEMBER_RUNNER, '0', 0, field, NULL, false);
		raw_end(&tar);
		expect_msg(x, LEVEL_TAR, "archive member 'ktstr' is 1099511627776 bytes, the spec says "
			   "%zu", run->len);
		break;
	}
	case T_MISSING:
		a = tar_open(&tar);
		tar_good(a, inc);
		tar_good(a, run);
		expect_msg(x, LEVEL_TAR, "archive member scheduler is missing from the payload");
		break;
	case T_SPARSE: {
		struct archive_entry *e = archive_entry_new();

		a = tar_open(&tar);
		archive_entry_set_pathname(e, MEMBER_RUNNER);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, MEMBER_MODE);
		archive_entry_set_size(e, (la_int64_t)run->len);
		archive_entry_sparse_add_entry(e, 0, 4096);
		archive_write_header(a, e);
		archive_write_data(a, run->data, 4096);
		archive_write_finish_entry(a);
		archive_entry_free(e);
		expect_msg(x, LEVEL_TAR, "archive member 'ktstr' is a sparse file");
		break;
	}
	case T_PAX_PATH: case T_PAX_LINK:
		ext_entry(&tar, 'x', c->arg == T_PAX_PATH ? "25 path=" PWNED "\n" :
			  "24 linkpath=/etc/passwd\n");
		ustar(&tar, MEMBER_RUNNER, c->arg == T_PAX_PATH ? '0' : '2', 0, NULL, NULL, false);
		raw_end(&tar);
		if (c->arg == T_PAX_PATH)
			expect_msg(x, LEVEL_TAR, "archive member '" PWNED "' has an absolute path");
		else
			expect_msg(x, LEVEL_TAR, "archive member 'ktstr' is a symbolic link");
		break;
	case T_GNU_LONGNAME:
		ext_entry(&tar, 'L', "include/../../../../.." PWNED);
		ustar(&tar, MEMBER_RUNNER, '0', 0, NULL, NULL, false);
		raw_end(&tar);
		expect_msg(x, LEVEL_TAR, "archive member 'include/../../../../.." PWNED "' has a '..' "
			   "component");
		break;
	case T_NEG_SIZE: {
		uint8_t field[12];

		memset(field, 0xff, sizeof(field));   /* base-256: -1 */
		raw_good(&tar, sched);
		ustar(&tar, MEMBER_RUNNER, '0', 0, field, NULL, false);
		raw_end(&tar);
		expect_msg(x, LEVEL_TAR, "bad tar header in the payload");
		break;
	}
	case T_BAD_CHECKSUM:
		raw_good(&tar, sched);
		ustar(&tar, MEMBER_RUNNER, '0', run->len, NULL, NULL, true);
		strbuf_add(&tar, run->data, run->len);
		pad512(&tar);
		raw_end(&tar);
		expect_msg(x, LEVEL_TAR, "bad tar header in the payload");
		break;
	case T_GARBAGE: {
		uint32_t v = 0x12345678;

		for (uint64_t i = 0, n = need_of(&sp); i < n; i++) {
			v = v * 1103515245u + 12345u;
			strbuf_addch(&tar, (char)(v >> 16));
		}
		expect_msg(x, LEVEL_TAR, "the payload is not a tar archive");
		break;
	}
	case T_ZEROS:
		/* an empty archive: the end marker first */
		expect_msg(x, LEVEL_TAR, "archive member scheduler is missing from the payload");
		break;
	case T_BOMB_GZIP: case T_BOMB_ZSTD: case T_CHUNK_TRAILING: case T_CHUNK_SHORT:
		a = tar_open(&tar);
		tar_good(a, sched);
		tar_good(a, inc);
		tar_good(a, run);
		codec = c->arg == T_BOMB_ZSTD ? CODEC_ZSTD : CODEC_GZIP;
		twist = c->arg == T_CHUNK_TRAILING ? TW_TRAILING : c->arg == T_CHUNK_SHORT ? TW_SHORT :
			TW_BOMB;
		break;
	}
	if (a)
		tar_close(a);
	/* what the members need, at least: the checks under test must be the
	 * ones that fire, not the spec's size accounting */
	while (tar.len < need_of(&sp)) {
		static const uint8_t zeros[4096];

		strbuf_add(&tar, zeros, sizeof(zeros));
	}
	bad = build_payload(&tar, codec, twist, &payload, &sp);
	if (twist == TW_BOMB)
		expect_msg(x, LEVEL_TAR, "payload chunk %zu: %s", bad, codec == CODEC_ZSTD ?
			   "zstd chunk is corrupt: Destination buffer is too small" :
			   "gzip chunk inflates past its declared");
	else if (twist == TW_TRAILING)
		expect_msg(x, LEVEL_TAR, "payload chunk %zu: compressed chunk has 4 trailing bytes", bad);
	else if (twist == TW_SHORT)
		expect_msg(x, LEVEL_TAR, "payload chunk %zu: chunk inflates to %llu bytes, declared %llu",
			   bad, (unsigned long long)sp.chunks[bad].ulen - 512,
			   (unsigned long long)sp.chunks[bad].ulen);
	if ((r = spec_encode(&sp, &enc)) < 0) {
		spec_release(&sp);
		return error_prefix(r, "cannot encode the spec of %s", c->name);
	}
	assemble(out, g, payload.buf, payload.len, enc.buf, enc.len, codec, NULL);
	spec_release(&sp);
	return 0;
}

/*
 * A spec that honestly declares an 8 GiB runner (and a payload that
 * honestly inflates to it): no check of the format is violated; only the
 * free-space checks stand between it and a full disk.  Chunks of 64 MiB
 * of zeros all compress alike, so the file stays small.
 */
#define HUGE_RUNNER (8ull << 30)
#define HUGE_CHUNK (64u << 20)

static void declared_huge(const struct good *g, struct strbuf *tar, struct spec *sp)
{
	struct spec_member *runner = (struct spec_member *)spec_member_find(sp, MEMBER_RUNNER);
	uint8_t field[12] = { 0x80 };

	runner->size = HUGE_RUNNER;
	raw_good(tar, &g->m[0]);
	raw_good(tar, &g->m[1]);
	for (int i = 0; i < 8; i++)
		field[11 - i] = (uint8_t)(HUGE_RUNNER >> (8 * i));
	ustar(tar, MEMBER_RUNNER, '0', 0, field, NULL, false);
	/* the rest is zeros: the runner's data, its padding, the end blocks */
}

static int make_huge(const struct good *g, const struct bad_case *c, struct strbuf *out,
		     struct expect *x)
{
	_cleanup_strbuf_ struct strbuf tar = STRBUF_INIT, payload = STRBUF_INIT, enc = STRBUF_INIT;
	struct compressor *z = compressor_new(CODEC_GZIP, 1);
	struct strbuf first = STRBUF_INIT, mid = STRBUF_INIT, last = STRBUF_INIT;
	uint64_t total, done;
	uint8_t *zeros = xcalloc(1, HUGE_CHUNK);
	struct spec sp;
	int r;

	if ((r = spec_decode(g->specraw, g->spec_len, &sp)) < 0)
		return r;
	sp.has_early = false;
	declared_huge(g, &tar, &sp);
	total = need_of(&sp);
	free(sp.chunks);
	sp.chunks = NULL;
	sp.nchunks = 0;
	/* chunk 0: the headers, then zeros; the middle ones: zeros; the last:
	 * what is left, zeros too */
	memcpy(zeros, tar.buf, tar.len);
	compressor_run(z, zeros, HUGE_CHUNK, &first);
	memset(zeros, 0, tar.len);
	compressor_run(z, zeros, HUGE_CHUNK, &mid);
	strbuf_add(&payload, first.buf, first.len);
	spec_add_chunk(&sp, first.len, HUGE_CHUNK);
	for (done = HUGE_CHUNK; total - done > HUGE_CHUNK; done += HUGE_CHUNK) {
		strbuf_add(&payload, mid.buf, mid.len);
		spec_add_chunk(&sp, mid.len, HUGE_CHUNK);
	}
	compressor_run(z, zeros, (size_t)(total - done), &last);
	strbuf_add(&payload, last.buf, last.len);
	spec_add_chunk(&sp, last.len, total - done);
	x->big = true;
	expect_msg(x, LEVEL_TAR, "the payload needs %llu MiB", (unsigned long long)((total + (1 << 20) - 1) >> 20));
	r = spec_encode(&sp, &enc);
	if (r == 0)
		assemble(out, g, payload.buf, payload.len, enc.buf, enc.len, CODEC_GZIP, NULL);
	compressor_free(z);
	strbuf_release(&first);
	strbuf_release(&mid);
	strbuf_release(&last);
	free(zeros);
	spec_release(&sp);
	(void)c;
	return r;
}

#define TAR_CASE(name, code) { name, make_tar, code, NULL, 0 }

const struct bad_case tar_cases[] = {
	{ "tar-absolute-path", make_tar, T_ABS, PWNED, 0 },
	{ "tar-absolute-etc", make_tar, T_ABS_ETC, "/etc/cron.d/ktstr-pwned", 0 },
	{ "tar-dotdot", make_tar, T_DOTDOT, "../ktstr-pwned", 0 },
	{ "tar-dotdot-deep", make_tar, T_DOTDOT_DEEP, "include/../../ktstr-pwned", 0 },
	{ "tar-dotdot-only", make_tar, T_DOTDOT_ONLY, "..", 0 },
	TAR_CASE("tar-symlink-to-passwd", T_SYMLINK_PASSWD),
	TAR_CASE("tar-symlink-to-parent", T_SYMLINK_PARENT),
	TAR_CASE("tar-symlink-then-file", T_SYMLINK_THEN_FILE),
	TAR_CASE("tar-hardlink-to-passwd", T_HARDLINK_PASSWD),
	TAR_CASE("tar-hardlink-to-parent", T_HARDLINK_PARENT),
	TAR_CASE("tar-hardlink-to-member", T_HARDLINK_MEMBER),
	TAR_CASE("tar-char-device", T_CHARDEV),
	TAR_CASE("tar-block-device", T_BLOCKDEV),
	TAR_CASE("tar-fifo", T_FIFO),
	TAR_CASE("tar-directory", T_DIR),
	TAR_CASE("tar-duplicate", T_DUP),
	{ "tar-not-in-layout", make_tar, T_NOT_LAYOUT, "evil", 0 },
	{ "tar-dot-slash", make_tar, T_DOT_SLASH, "./ktstr", 0 },
	{ "tar-other-include", make_tar, T_INCLUDE_OTHER, "include/other.conf", 0 },
	TAR_CASE("tar-extra-member-last", T_TRAILING_EVIL),
	TAR_CASE("tar-size-bigger-than-spec", T_SIZE_BIGGER),
	TAR_CASE("tar-size-smaller-than-spec", T_SIZE_SMALLER),
	TAR_CASE("tar-size-1tib", T_SIZE_HUGE),
	TAR_CASE("tar-member-missing", T_MISSING),
	TAR_CASE("tar-sparse", T_SPARSE),
	TAR_CASE("tar-pax-path-absolute", T_PAX_PATH),
	TAR_CASE("tar-pax-linkpath", T_PAX_LINK),
	TAR_CASE("tar-gnu-longname-dotdot", T_GNU_LONGNAME),
	TAR_CASE("tar-negative-size", T_NEG_SIZE),
	TAR_CASE("tar-bad-checksum", T_BAD_CHECKSUM),
	TAR_CASE("tar-garbage", T_GARBAGE),
	TAR_CASE("tar-all-zeros", T_ZEROS),
	TAR_CASE("bomb-gzip", T_BOMB_GZIP),
	TAR_CASE("bomb-zstd", T_BOMB_ZSTD),
	TAR_CASE("chunk-trailing-bytes", T_CHUNK_TRAILING),
	TAR_CASE("chunk-inflates-short", T_CHUNK_SHORT),
	{ "declared-8gib-runner", make_huge, T_DECLARED_HUGE, NULL, 0 },
	{ NULL, NULL, 0, NULL, 0 },
};
