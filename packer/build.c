// SPDX-License-Identifier: GPL-2.0-only
/* build.c - assemble a runfile: stub, tar payload (libarchive), spec, footer. */
#include "build.h"
#include "digest.h"
#include "error.h"
#include "fdio.h"
#include "macros.h"
#include "payload_writer.h"
#include "sigcleanup.h"
#include "strbuf.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fixed metadata: the same inputs give the same bytes. */
#define MEMBER_MTIME 0
#define READ_BUF (1u << 20)

struct open_member {
	const struct pack_member *m;
	int fd;
	uint64_t size;
};

static la_ssize_t tar_sink(struct archive *a, void *arg, const void *buf, size_t len)
{
	struct payload_writer *pw = arg;

	if (payload_writer_write(pw, buf, len) < 0) {
		archive_set_error(a, EIO, "%s", error_message());
		return -1;
	}
	return (la_ssize_t)len;
}

/* Open every input first: a missing file fails before anything is written. */
static int open_members(const struct pack_job *job, struct open_member *om)
{
	for (size_t i = 0; i < job->nmembers; i++) {
		const struct pack_member *m = &job->members[i];
		struct stat st;

		om[i].m = m;
		om[i].fd = -1;
		if (!m->host_path) {
			om[i].size = m->data_len;
			continue;
		}
		om[i].fd = open(m->host_path, O_RDONLY | O_CLOEXEC);
		if (om[i].fd < 0)
			return error_set_errno(-errno, "cannot open %s", m->host_path);
		if (fstat(om[i].fd, &st) < 0)
			return error_set_errno(-errno, "cannot stat %s", m->host_path);
		if (!S_ISREG(st.st_mode))
			return error_set(-EINVAL, "%s is not a regular file", m->host_path);
		om[i].size = (uint64_t)st.st_size;
	}
	return 0;
}

static int add_member(struct archive *a, const struct open_member *om, uint8_t *buf)
{
	struct archive_entry *e = archive_entry_new();
	uint64_t left = om->size;
	int r = 0;

	archive_entry_set_pathname(e, om->m->name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, MEMBER_MODE);
	archive_entry_set_size(e, (la_int64_t)om->size);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	archive_entry_set_mtime(e, MEMBER_MTIME, 0);
	/*
	 * A name with bytes >= 0x80 (the spec allows them) cannot be converted
	 * from the C locale to UTF-8 for a pax "path" record: libarchive then
	 * writes the bytes as they are, marked hdrcharset=BINARY, and returns
	 * ARCHIVE_WARN.  That is the member we want (names are bytes, like
	 * argv), so only worse than a warning is an error.  Pure ASCII names
	 * get plain ustar headers.
	 */
	if (archive_write_header(a, e) < ARCHIVE_WARN) {
		r = error_set(-EIO, "cannot add %s to the archive: %s", om->m->name,
			      archive_error_string(a));
		goto out;
	}
	if (om->fd < 0) {
		if (archive_write_data(a, om->m->data, om->m->data_len) != (la_ssize_t)om->m->data_len)
			r = error_set(-EIO, "cannot add %s: %s", om->m->name, archive_error_string(a));
		goto out;
	}
	while (left) {
		ssize_t n = read(om->fd, buf, left < READ_BUF ? (size_t)left : READ_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = error_set_errno(-errno, "cannot read %s", om->m->host_path);
			goto out;
		}
		if (n == 0) {
			r = error_set(-EIO, "%s shrank while it was being packed", om->m->host_path);
			goto out;
		}
		if (archive_write_data(a, buf, (size_t)n) != n) {
			r = error_set(-EIO, "cannot add %s: %s", om->m->name, archive_error_string(a));
			goto out;
		}
		left -= (uint64_t)n;
	}
	if (read(om->fd, buf, 1) > 0)
		r = error_set(-EIO, "%s grew while it was being packed", om->m->host_path);
out:
	if (r == 0 && archive_write_finish_entry(a) != ARCHIVE_OK)
		r = error_set(-EIO, "cannot finish %s: %s", om->m->name, archive_error_string(a));
	archive_entry_free(e);
	return r;
}

static int write_payload(const struct pack_job *job, struct open_member *om, int fd,
			 struct spec *spec, struct runfile_footer *f)
{
	struct payload_writer *pw = payload_writer_new(fd, job->codec, job->level,
							payload_chunk_size(job->codec), job->threads);
	struct archive *a = archive_write_new();
	_cleanup_free_ uint8_t *buf = xmalloc(READ_BUF);
	int r = 0;

	/* ustar headers (pax records only for long names), no blocking: every
	 * byte reaches the payload writer when written, so chunk boundaries can
	 * be placed between members */
	if (!a || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    archive_write_open(a, pw, NULL, tar_sink, NULL) != ARCHIVE_OK) {
		r = error_set(-EIO, "cannot set up the tar writer: %s",
			      a ? archive_error_string(a) : "out of memory");
		goto out;
	}
	for (size_t i = 0; i < job->nmembers && r == 0; i++) {
		r = add_member(a, &om[i], buf);
		spec_add_member(spec, om[i].m->name, om[i].size);
		/* the runner comes last: what precedes it can start early */
		if (r == 0 && i + 2 == job->nmembers && spec_member_find(spec, MEMBER_SCHEDULER))
			r = payload_writer_mark_early(pw);
	}
	if (r == 0 && archive_write_close(a) != ARCHIVE_OK)
		r = error_set(-EIO, "cannot finish the archive: %s", archive_error_string(a));
out:
	if (a)
		archive_write_free(a);
	{
		int fr = payload_writer_finish(pw, spec, f->payload_sha256, &f->payload_length);

		if (r == 0)
			r = fr;
	}
	return r;
}

/*
 * The temporary file is registered with sigcleanup: not only our own error
 * paths remove it, but also a SIGINT, SIGTERM, SIGHUP or SIGPIPE that comes
 * in the middle of a long compression.
 */
int pack_write(const struct pack_job *job, struct spec *spec)
{
	struct open_member *om = xcalloc(job->nmembers, sizeof(*om));
	_cleanup_strbuf_ struct strbuf enc = STRBUF_INIT;
	struct runfile_footer f = { .version = RUNFILE_FORMAT_VERSION, .codec = job->codec };
	uint8_t raw[RUNFILE_FOOTER_SIZE];
	struct sha256_ctx sha;
	char tmpl[PATH_MAX];
	const char *tmp;
	int fd = -1, slot = -1, r;

	if ((r = open_members(job, om)) < 0)
		goto out;
	if (snprintf(tmpl, sizeof(tmpl), "%s.tmp-XXXXXX", job->output) >= (int)sizeof(tmpl)) {
		r = error_set(-ENAMETOOLONG, "output path %s is too long", job->output);
		goto out;
	}
	fd = sigcleanup_mkostemp(tmpl, O_CLOEXEC, &slot);
	if (fd < 0) {
		r = error_set_errno(fd, "cannot create a temporary file next to %s", job->output);
		goto out;
	}
	tmp = sigcleanup_path(slot);
	if ((r = fd_write_full(fd, job->stub, job->stub_len, "the runfile")) < 0)
		goto fail;
	f.payload_offset = job->stub_len;
	if ((r = write_payload(job, om, fd, spec, &f)) < 0)
		goto fail;
	if ((r = spec_encode(spec, &enc)) < 0) {
		error_prefix(r, "cannot encode the spec");
		goto fail;
	}
	f.spec_offset = f.payload_offset + f.payload_length;
	f.spec_length = enc.len;
	sha256_init(&sha);
	sha256_update(&sha, enc.len, (const uint8_t *)enc.buf);
	sha256_digest(&sha, sizeof(f.spec_sha256), f.spec_sha256);
	runfile_footer_encode(&f, raw);
	if ((r = fd_write_full(fd, enc.buf, enc.len, "the runfile")) < 0 ||
	    (r = fd_write_full(fd, raw, sizeof(raw), "the runfile")) < 0)
		goto fail;
	if (fchmod(fd, 0755) < 0) {
		r = error_set_errno(-errno, "cannot chmod %s", tmp);
		goto fail;
	}
	if (fsync(fd) < 0) {
		r = error_set_errno(-errno, "cannot write %s", tmp);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = error_set_errno(-errno, "cannot write %s", tmp);
		goto fail;
	}
	fd = -1;
	if ((r = sigcleanup_rename(slot, job->output)) < 0)
		goto fail;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	sigcleanup_remove(slot);
out:
	for (size_t i = 0; i < job->nmembers; i++)
		if (om[i].fd >= 0)
			close(om[i].fd);
	free(om);
	return r;
}
