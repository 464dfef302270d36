// SPDX-License-Identifier: GPL-2.0-only
/* digest.c - SHA-256 helpers over nettle. */
#include "digest.h"
#include "error.h"
#include "macros.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void sha256_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char out[SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[SHA256_HEX_LEN] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sha256_hex_parse(const char *hex, uint8_t digest[SHA256_DIGEST_SIZE])
{
	if (strlen(hex) != SHA256_HEX_LEN)
		return error_set(-EINVAL, "a SHA-256 has %d hex digits", SHA256_HEX_LEN);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return error_set(-EINVAL, "'%s' is not a hex SHA-256", hex);
		digest[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int sha256_fd_range(int fd, uint64_t off, uint64_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint8_t buf[1 << 16];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	while (len) {
		size_t want = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		ssize_t n = pread(fd, buf, want, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error_set_errno(-errno, "read at offset %llu", (unsigned long long)off);
		}
		if (n == 0)
			return error_set(-EIO, "unexpected end of file at offset %llu",
					 (unsigned long long)off);
		sha256_update(&ctx, (size_t)n, buf);
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
	return 0;
}
