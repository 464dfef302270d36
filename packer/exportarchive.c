// SPDX-License-Identifier: GPL-2.0-only
/* exportarchive.c - base64 -> gzip -> tar members of a 0.6.0 runfile. */
#include "exportarchive.h"
#include "base64.h"
#include "error.h"
#include "macros.h"
#include "spec.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>
#include <zlib.h>

/* inflate output window: also the precision of tar offset -> line */
#define WINDOW (64u << 10)

/* Where compressed byte @in produced tar byte @out (for messages). */
struct checkpoint {
	uint64_t out, in;
};

struct gunzip {
	struct checkpoint *cp;
	size_t ncp;
	size_t first_line;
};

static size_t line_of_tar(const struct gunzip *g, uint64_t tar_off)
{
	uint64_t in = 0;

	for (size_t i = 0; i < g->ncp && g->cp[i].out <= tar_off; i++)
		in = g->cp[i].in;
	return base64_line_of(g->first_line, in);
}

static int gunzip_all(struct gunzip *g, const uint8_t *gz, size_t gz_len, uint8_t **out,
		      size_t *out_len, size_t *err_line)
{
	z_stream z = { 0 };
	size_t cap = gz_len < WINDOW ? 2 * WINDOW : 3 * gz_len;
	uint8_t *buf = xmalloc(cap);
	int zr = Z_OK, r = 0;

	*err_line = g->first_line;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return error_set(-ENOMEM, "cannot set up gzip decoding");
	}
	while (zr != Z_STREAM_END) {
		size_t in_left = gz_len - z.total_in;

		if (cap - z.total_out < WINDOW) {
			if (cap > SPEC_MEMBER_SIZE_MAX) {
				r = error_set(-EFBIG, "the archive inflates past %llu bytes",
					      (unsigned long long)SPEC_MEMBER_SIZE_MAX);
				break;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		g->cp = xreallocarray(g->cp, g->ncp + 1, sizeof(*g->cp));
		g->cp[g->ncp++] = (struct checkpoint){ z.total_out, z.total_in };
		z.next_in = (Bytef *)gz + z.total_in;
		z.avail_in = (uInt)(in_left > (1u << 30) ? (1u << 30) : in_left);
		z.next_out = buf + z.total_out;
		z.avail_out = WINDOW;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_BUF_ERROR && z.total_in == gz_len) {
			*err_line = base64_line_of(g->first_line, gz_len ? gz_len - 1 : 0);
			r = error_set(-EBADMSG, "the archive is truncated: its gzip stream ends early "
				      "(%zu bytes)", gz_len);
			break;
		}
		if (zr != Z_OK) {
			*err_line = base64_line_of(g->first_line, z.total_in);
			r = error_set(-EBADMSG, "the archive's gzip data is corrupt near byte %lu: %s",
				      (unsigned long)z.total_in, z.msg ? z.msg : "inflate failed");
			break;
		}
	}
	if (r == 0 && z.total_in != gz_len) {
		*err_line = base64_line_of(g->first_line, z.total_in);
		r = error_set(-EBADMSG, "%zu bytes follow the end of the archive's gzip stream",
			      gz_len - (size_t)z.total_in);
	}
	*out_len = z.total_out;
	inflateEnd(&z);
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = buf;
	return 0;
}

static const char *type_name(mode_t type)
{
	switch (type) {
	case AE_IFDIR: return "a directory";
	case AE_IFLNK: return "a symbolic link";
	case AE_IFCHR: return "a character device";
	case AE_IFBLK: return "a block device";
	case AE_IFIFO: return "a FIFO";
	case AE_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

static int check_entry(const struct export_archive *a, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);

	if (!name)
		return error_set(-EBADMSG, "archive member without a name");
	if (!spec_member_name_ok(name)) {
		error_set(-EBADMSG, "archive member '%s' is outside the layout (ktstr, scheduler, "
			  "include/<basename>)", name);
		error_hint("0.6.0 writes only these; the file was edited or made by another tool");
		return -EBADMSG;
	}
	if (archive_entry_hardlink(e))
		return error_set(-EBADMSG, "archive member %s is a hard link; the layout holds "
				 "regular files only", name);
	if (archive_entry_filetype(e) != AE_IFREG)
		return error_set(-EBADMSG, "archive member %s is %s; the layout holds regular files "
				 "only", name, type_name(archive_entry_filetype(e)));
	if (archive_entry_sparse_count(e) > 0)
		return error_set(-EBADMSG, "archive member %s is a sparse file", name);
	if ((archive_entry_perm(e) & 07777) != MEMBER_MODE)
		return error_set(-EBADMSG, "archive member %s has mode %04o; 0.6.0 packs %04o and "
				 "a different mode cannot be carried over", name,
				 (unsigned)(archive_entry_perm(e) & 07777), MEMBER_MODE);
	if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0 ||
	    (uint64_t)archive_entry_size(e) > SPEC_MEMBER_SIZE_MAX)
		return error_set(-EBADMSG, "archive member %s has no usable size", name);
	if (export_archive_find(a, name))
		return error_set(-EBADMSG, "archive member %s appears twice", name);
	if (a->nmembers >= SPEC_MEMBERS_MAX)
		return error_set(-EBADMSG, "more than %d archive members", SPEC_MEMBERS_MAX);
	return 0;
}

/* The member's bytes: in place when libarchive hands out one contiguous
 * run of the tar buffer (it does for a plain tar in memory), else copied. */
static int read_data(struct archive *ar, struct export_archive *a, struct export_member *m)
{
	const void *block;
	size_t len, got = 0;
	la_int64_t off;
	const uint8_t *start = NULL;
	bool in_place = true;
	int r;

	while ((r = archive_read_data_block(ar, &block, &len, &off)) == ARCHIVE_OK) {
		if (off < 0 || (uint64_t)off != got || got + len > m->size)
			return error_set(-EBADMSG, "archive member %s: data does not match its size",
					 m->name);
		if (!len)
			continue;
		if (got == 0)
			start = block;
		if (in_place && ((const uint8_t *)block != start + got ||
				 (const uint8_t *)block < a->tar ||
				 (const uint8_t *)block + len > a->tar + a->tar_len)) {
			in_place = false;
			m->owned = xmalloc(m->size ? m->size : 1);
			memcpy(m->owned, start, got);
		}
		if (!in_place)
			memcpy(m->owned + got, block, len);
		got += len;
	}
	if (r != ARCHIVE_EOF)
		return error_set(-EBADMSG, "archive member %s cannot be read (truncated "
				 "archive?): %s", m->name, archive_error_string(ar));
	if (got != m->size)
		return error_set(-EBADMSG, "archive member %s is truncated: %zu of %zu bytes",
				 m->name, got, m->size);
	m->data = in_place ? (start ? start : a->tar) : m->owned;
	return 0;
}

static int read_tar(struct export_archive *a, const struct gunzip *g, size_t *err_line)
{
	struct archive *ar = archive_read_new();
	int r = 0;

	if (!ar || archive_read_support_format_tar(ar) != ARCHIVE_OK ||
	    archive_read_open_memory(ar, a->tar, a->tar_len) != ARCHIVE_OK) {
		r = error_set(-EBADMSG, "the archive is not a tar file: %s",
			      ar ? archive_error_string(ar) : "out of memory");
		goto out;
	}
	for (;;) {
		struct archive_entry *e;
		struct export_member *m;
		int hr = archive_read_next_header(ar, &e);

		*err_line = line_of_tar(g, (uint64_t)archive_filter_bytes(ar, -1));
		if (hr == ARCHIVE_EOF)
			break;
		if (hr != ARCHIVE_OK) {
			r = error_set(-EBADMSG, "the archive is damaged or truncated: %s",
				      archive_error_string(ar));
			break;
		}
		*err_line = line_of_tar(g, (uint64_t)archive_read_header_position(ar));
		if ((r = check_entry(a, e)) < 0)
			break;
		a->m = xreallocarray(a->m, a->nmembers + 1, sizeof(*a->m));
		m = &a->m[a->nmembers++];
		*m = (struct export_member){ .name = xstrdup(archive_entry_pathname(e)),
					     .size = (size_t)archive_entry_size(e),
					     .line = *err_line };
		if ((r = read_data(ar, a, m)) < 0)
			break;
	}
out:
	if (ar)
		archive_read_free(ar);
	return r;
}

int export_archive_read(const char *text, size_t len, size_t first_line,
			struct export_archive *out, size_t *err_line)
{
	struct gunzip g = { .first_line = first_line };
	_cleanup_free_ uint8_t *gz = NULL;
	size_t gz_len;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = base64_decode_lines(text, len, first_line, &gz, &gz_len, err_line)) < 0)
		return r;
	if ((r = gunzip_all(&g, gz, gz_len, &out->tar, &out->tar_len, err_line)) < 0)
		goto out;
	free(gz);
	gz = NULL;
	r = read_tar(out, &g, err_line);
out:
	free(g.cp);
	if (r < 0)
		export_archive_release(out);
	return r;
}

const struct export_member *export_archive_find(const struct export_archive *a, const char *name)
{
	for (size_t i = 0; i < a->nmembers; i++)
		if (!strcmp(a->m[i].name, name))
			return &a->m[i];
	return NULL;
}

void export_archive_release(struct export_archive *a)
{
	for (size_t i = 0; i < a->nmembers; i++) {
		free(a->m[i].name);
		free(a->m[i].owned);
	}
	free(a->m);
	free(a->tar);
	memset(a, 0, sizeof(*a));
}
