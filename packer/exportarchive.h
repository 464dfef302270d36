/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * exportarchive.h - the archive of a `cargo ktstr export` 0.6.0 runfile:
 * the base64 text after __ARCHIVE__, decoded, gunzipped (zlib, checking
 * the whole stream) and read with libarchive into its members.
 */
#ifndef KTSTR_EXPORTARCHIVE_H
#define KTSTR_EXPORTARCHIVE_H

#include <stddef.h>
#include <stdint.h>

struct export_member {
	char *name;            /* "ktstr", "scheduler" or "include/<basename>" */
	const uint8_t *data;   /* in the tar buffer, or in owned */
	size_t size;
	uint8_t *owned;
	size_t line;           /* base64 line where its header is encoded */
};

struct export_archive {
	uint8_t *tar;
	size_t tar_len;
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
 * Return: 0, or a negative errno with a message.
 */
int export_archive_read(const char *text, size_t len, size_t first_line,
			struct export_archive *out, size_t *err_line);

const struct export_member *export_archive_find(const struct export_archive *a,
						const char *name);

void export_archive_release(struct export_archive *a);

#endif
