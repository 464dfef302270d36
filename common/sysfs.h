/* SPDX-License-Identifier: GPL-2.0-only */
/* sysfs.h - read the small text attributes of sysfs/procfs/cgroupfs. */
#ifndef KTSTR_SYSFS_H
#define KTSTR_SYSFS_H

#include <stddef.h>

/**
 * sysfs_read() - read a small attribute file into @buf.
 * @dirfd: directory that @path is relative to (AT_FDCWD for absolute paths)
 * @buf, @size: destination; the text is NUL-terminated, one trailing
 *   newline removed
 *
 * Return: the length, or a negative errno (-EFBIG when it does not fit),
 * with a message naming @path.
 */
int sysfs_read(int dirfd, const char *path, char *buf, size_t size);

/** sysfs_read_uint() - read a decimal unsigned value. */
int sysfs_read_uint(int dirfd, const char *path, unsigned *out);

/** sysfs_write() - write @text to an attribute (cgroup.kill, ...). */
int sysfs_write(int dirfd, const char *path, const char *text);

#endif
