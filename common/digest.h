/* SPDX-License-Identifier: GPL-2.0-only */
/* digest.h - SHA-256 (nettle) helpers: hex form, hashing a file range. */
#ifndef KTSTR_DIGEST_H
#define KTSTR_DIGEST_H

#include <stdint.h>
#include <nettle/sha2.h>

#define SHA256_HEX_LEN 64

void sha256_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char out[SHA256_HEX_LEN + 1]);
/* sha256_hex_parse: 64 hex digits -> digest; -EINVAL otherwise */
int sha256_hex_parse(const char *hex, uint8_t digest[SHA256_DIGEST_SIZE]);

/**
 * sha256_fd_range() - hash @len bytes of @fd starting at @off (pread).
 * Return: 0, or a negative errno (-EIO with a message on a short file).
 */
int sha256_fd_range(int fd, uint64_t off, uint64_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif
