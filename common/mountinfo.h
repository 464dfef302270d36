/* SPDX-License-Identifier: GPL-2.0-only */
/* mountinfo.h - find what is mounted at a path, from /proc/self/mountinfo. */
#ifndef KTSTR_MOUNTINFO_H
#define KTSTR_MOUNTINFO_H

struct mount_entry {
	char fstype[64];
	char source[256];
};

/**
 * mountinfo_find() - the topmost mount at exactly @mountpoint.
 * @path: a mountinfo file (PATH_PROC_SELF_MOUNTINFO; tests pass fixtures)
 *
 * Parses every line by the proc(5) layout: the mount point is field 5
 * (octal escapes such as \040 decoded), the filesystem type follows the
 * "-" separator after the optional fields.  Later lines shadow earlier
 * ones.  Return: 0 when found, -ENOENT when nothing is mounted there,
 * another negative errno (with a message) when the file cannot be read
 * or a line is malformed.
 */
int mountinfo_find(const char *path, const char *mountpoint, struct mount_entry *out);

#endif
