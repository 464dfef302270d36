/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fdio.h - whole reads and writes on a file descriptor, retried across
 * EINTR and short transfers (as util-linux's all-io.h).
 *
 * These two leave no error message: only the caller knows what the bytes
 * are ("the payload", "the runfile"), so it calls error_set_errno() with
 * the negative errno returned here.
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

/** fd_write_full() - write all @len bytes. Return: 0 or a negative errno. */
int fd_write_full(int fd, const void *buf, size_t len);

#endif
