// SPDX-License-Identifier: GPL-2.0-only
/* runfile.c - locate, authenticate and decode the parts of a runfile. */
#include "runfile.h"
#include "digest.h"
#include "error.h"
#include "fdio.h"
#include "macros.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = fd_pread_full(fd, buf, len, off);

	if (n < 0)
		return error_set_errno((int)n, "read at offset %llu", (unsigned long long)off);
	if ((size_t)n < len)
		return error_set(-EIO, "unexpected end of file at offset %llu (truncated)",
				 (unsigned long long)(off + (uint64_t)n));
	return 0;
}

int runfile_load(int fd, struct runfile *rf)
{
	uint8_t raw[RUNFILE_FOOTER_SIZE], digest[SHA256_DIGEST_SIZE];
	_cleanup_free_ uint8_t *spec = NULL;
	struct sha256_ctx ctx;
	uint64_t clen = 0;
	struct stat st;
	int r;

	memset(rf, 0, sizeof(*rf));
	rf->fd = fd;
	if (fstat(fd, &st) < 0)
		return error_set_errno(-errno, "stat");
	if (!S_ISREG(st.st_mode))
		return error_set(-EINVAL, "not a regular file");
	rf->size = (uint64_t)st.st_size;
	if (rf->size < RUNFILE_FOOTER_SIZE)
		return error_set(-EBADMSG, "truncated: %llu bytes is less than the %d-byte footer",
				 (unsigned long long)rf->size, RUNFILE_FOOTER_SIZE);
	if ((r = pread_full(fd, raw, sizeof(raw), rf->size - RUNFILE_FOOTER_SIZE)) < 0)
		return r;
	if ((r = runfile_footer_decode(raw, rf->size, &rf->footer)) < 0)
		return r;

	spec = xmalloc((size_t)rf->footer.spec_length);
	if ((r = pread_full(fd, spec, (size_t)rf->footer.spec_length, rf->footer.spec_offset)) < 0)
		return r;
	sha256_init(&ctx);
	sha256_update(&ctx, (size_t)rf->footer.spec_length, spec);
	sha256_digest(&ctx, sizeof(digest), digest);
	if (memcmp(digest, rf->footer.spec_sha256, sizeof(digest)) != 0)
		return error_set(-EBADMSG, "spec digest mismatch: the runfile is corrupted");
	if ((r = spec_decode(spec, (size_t)rf->footer.spec_length, &rf->spec)) < 0)
		return r;

	for (size_t i = 0; i < rf->spec.nchunks; i++)
		clen += rf->spec.chunks[i].clen;   /* no overflow: validated */
	if (clen != rf->footer.payload_length) {
		spec_release(&rf->spec);
		return error_set(-EBADMSG, "corrupt runfile: the chunk table covers %llu bytes, the "
				 "payload has %llu", (unsigned long long)clen,
				 (unsigned long long)rf->footer.payload_length);
	}
	if (rf->footer.codec == CODEC_NONE) {
		for (size_t i = 0; i < rf->spec.nchunks; i++)
			if (rf->spec.chunks[i].clen != rf->spec.chunks[i].ulen) {
				spec_release(&rf->spec);
				return error_set(-EBADMSG, "corrupt runfile: uncompressed chunk %zu "
						 "changes size", i);
			}
	}
	return 0;
}

int runfile_open(const char *path, struct runfile *rf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0) {
		memset(rf, 0, sizeof(*rf));
		rf->fd = -1;
		return error_set_errno(-errno, "cannot open %s", path);
	}
	r = runfile_load(fd, rf);
	if (r < 0) {
		close(fd);
		rf->fd = -1;
	}
	return r;
}

int runfile_verify_payload(const struct runfile *rf)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	int r;

	r = sha256_fd_range(rf->fd, rf->footer.payload_offset, rf->footer.payload_length, digest);
	if (r < 0)
		return r;
	if (memcmp(digest, rf->footer.payload_sha256, sizeof(digest)) != 0)
		return error_set(-EBADMSG, "payload digest mismatch: the runfile is corrupted");
	return 0;
}

int runfile_verify_early(const struct runfile *rf)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	int r;

	if (!rf->spec.has_early)
		return 0;
	r = sha256_fd_range(rf->fd, rf->footer.payload_offset, rf->spec.early_clen, digest);
	if (r < 0)
		return r;
	if (memcmp(digest, rf->spec.early_sha256, sizeof(digest)) != 0)
		return error_set(-EBADMSG, "payload digest mismatch in the scheduler's part: the "
				 "runfile is corrupted");
	return 0;
}

void runfile_close(struct runfile *rf)
{
	spec_release(&rf->spec);
	if (rf->fd >= 0)
		close(rf->fd);
	rf->fd = -1;
}
