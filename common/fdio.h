/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fdio.h - whole reads and writes on a file descriptor, retried across
 * EINTR and short transfers (as util-linux's all-io.h).
 *
 * fd_pread_full() leaves no error message: a short read is not an error
 * here, and only the caller knows whether it means "truncated".
 * fd_write_full() names what it writes in its message.
 */
#ifndef KTSTR_FDIO_H
#define KTSTR_FDIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/**
 * fd_pread_full() - read @len bytes at @off, or up to the end of the file.
 * Return: the number of bytes read (less than @len only at end of file),
 * or a negative errno.
 */
ssize_t fd_pread_full(int fd, void *buf, size_t len, uint64_t off);

/**
 * fd_write_full() - write all @len bytes.
 * @what: what is written, for the message ("cannot write WHAT: why")
 * Return: 0, or a negative errno with that message.
 */
int fd_write_full(int fd, const void *buf, size_t len, const char *what);

#endif
