/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exportarchive.h - the archive of a `cargo ktstr export` 0.6.0 runfile:
 * the base64 text after __ARCHIVE__, decoded, gunzipped (zlib, checking
 * the whole stream) block by block into libarchive, and its members
 * copied out.  The tar stream is never held whole; a decompression bomb
 * is refused before it is inflated (exportarchive.c says how).
 */
#ifndef KTSTR_EXPORTARCHIVE_H
#define KTSTR_EXPORTARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct export_member {
	char *name;            /* "ktstr", "scheduler" or "include/<basename>" */
	const uint8_t *data;   /* owned, or "" when size is 0 */
	size_t size;
	uint8_t *owned;
	size_t line;           /* base64 line where its header is encoded */
};

struct export_archive {
	size_t nmembers;
	struct export_member *m;
};

/**
 * export_archive_read() - decode and list the archive.
 * @text, @len: the base64 text (everything after the __ARCHIVE__ line)
 * @first_line: the file's line number of its first line
 * @err_line: on failure, the line the message is about
 *
 * Every member must be a regular file of mode 0755 named as the layout
 * says (ktstr, scheduler, include/<basename>), each name once; the gzip
 * stream must be complete (CRC and length checked) with nothing after it.
 * The tar stream may not inflate past what its headers account for (the
 * declared sizes plus SPEC_TAR_SLACK and SPEC_TAR_SLACK_PER_MEMBER per
 * header), and the declared sizes together may not exceed 3/4 of the
 * memory this process can get (MemAvailable, RLIMIT_AS, RLIMIT_DATA, a
 * cgroup v2 memory.max).
 * Return: 0, or a negative errno with a message (-EFBIG for those two).
 */
int export_archive_read(const char *text, size_t len, size_t first_line,
			struct export_archive *out, size_t *err_line);

const struct export_member *export_archive_find(const struct export_archive *a,
						const char *name);

void export_archive_release(struct export_archive *a);

#endif
