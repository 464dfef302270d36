// SPDX-License-Identifier: GPL-2.0-only
/* sysfs.c - small attribute files: read whole, write whole. */
#include "sysfs.h"
#include "error.h"
#include "macros.h"
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int sysfs_read(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t len = 0;

	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", path);
	for (;;) {
		ssize_t n = read(fd, buf + len, size - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error_set_errno(-errno, "cannot read %s", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == size)
			return error_set(-EFBIG, "%s is larger than %zu bytes", path, size - 1);
	}
	if (len && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return (int)len;
}

int sysfs_read_uint(int dirfd, const char *path, unsigned *out)
{
	char buf[32];
	int r = sysfs_read(dirfd, path, buf, sizeof(buf));
	unsigned long v;

	if (r < 0)
		return r;
	if (parse_ulong(buf, 0, ~0u, &v) < 0)
		return error_set(-EINVAL, "%s: '%s' is not an unsigned number", path, buf);
	*out = (unsigned)v;
	return 0;
}

int sysfs_write(int dirfd, const char *path, const char *text)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	size_t len = strlen(text);
	ssize_t n;

	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", path);
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_set_errno(-errno, "cannot write '%s' to %s", text, path);
	if ((size_t)n != len)
		return error_set(-EIO, "short write to %s", path);
	return 0;
}
