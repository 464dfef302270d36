// SPDX-License-Identifier: GPL-2.0-only
/* fdio.c - whole reads and writes on a file descriptor (see fdio.h). */
#include "fdio.h"
#include "error.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

ssize_t fd_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;
	size_t got = 0;

	if (len > SSIZE_MAX)
		return -EINVAL;
	while (got < len) {
		ssize_t n = pread(fd, p + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int fd_write_full(int fd, const void *buf, size_t len, const char *what)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set_errno(-errno, "cannot write %s", what);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
