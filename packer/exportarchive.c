// SPDX-License-Identifier: GPL-2.0-only
/* exportarchive.c - base64 -> gzip -> tar members of a 0.6.0 runfile. */
#include "exportarchive.h"
#include "base64.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"
#include "spec.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include <zlib.h>

/*
 * Decompression bombs.
 *
 * Streaming the members straight into the new payload is not possible:
 * the stub is chosen from the runner's and the scheduler's ELF headers
 * before the payload is written, the payload puts the runner (the
 * archive's first member) last, and the scheduler arguments may rename a
 * member (the inline-config repair).  So the members are held until the
 * archive has been read to its end.  The tar stream itself is not: it is
 * inflated one WINDOW at a time into libarchive, and each member is
 * copied out as its data arrives.  Two bounds then hold, each checked
 * before the bytes it bounds are produced:
 *
 * - The tar stream may not inflate past what its headers account for:
 *   the declared member sizes in whole tar blocks, plus SPEC_TAR_SLACK and
 *   SPEC_TAR_SLACK_PER_MEMBER per header for the tar structure (the
 *   allowance the stub gives a native payload).  Zeros after the tar's
 *   end, or a stream that never ends, stop there: at most one WINDOW
 *   past the allowance is ever inflated.
 *
 * - The declared sizes together may not exceed what this process can
 *   hold: the least of MemAvailable and the room left under RLIMIT_AS,
 *   RLIMIT_DATA and a cgroup v2 memory.max (which MemAvailable does not
 *   see and the OOM killer does), less a quarter kept for what follows
 *   (the payload writer's chunk buffers and compressors, the stub).  A
 *   member that declares more is refused at its header, before any of
 *   its data is inflated; a member's copy grows with the data that
 *   actually arrives, so a header that merely claims a size costs
 *   nothing.
 *
 * A small file can still make the packer hold what it declares honestly,
 * but never more than it can get: a clean refusal, not an OOM kill.
 */

/* inflate output block: what libarchive reads at a time, and the
 * precision of tar offset -> line */
#define WINDOW (64u << 10)
#define TAR_BLOCK 512u
/* first allocation of a member's copy; it doubles up to the declared size */
#define MEMBER_CHUNK (64u << 10)

/* Where compressed byte @in produced tar byte @out (for messages). */
struct checkpoint {
	uint64_t out, in;
};

enum gunzip_state {
	GZ_OK,
	GZ_BROKEN,          /* truncated or corrupt gzip data */
	GZ_PAST_ALLOWANCE,  /* more tar bytes than the headers account for */
};

struct gunzip {
	z_stream z;
	const uint8_t *gz;
	size_t gz_len;
	uint8_t *window;           /* the block libarchive is reading */
	uint64_t produced;         /* tar bytes inflated so far */
	bool ended;                /* the gzip stream's end (CRC, length) was checked */
	/* a failure: its state, errno, message and line */
	enum gunzip_state state;
	int err;
	struct error_state *msg;
	size_t err_line;
	uint64_t allowance;        /* tar bytes the headers read so far account for */
	uint64_t declared;         /* the sizes their members declare */
	struct checkpoint *cp;
	size_t ncp;
	size_t first_line;
};

struct reader {
	struct export_archive *a;
	struct gunzip *g;
	uint64_t budget;           /* member bytes this process can hold */
	const char *budget_what;   /* what limits it, for the message */
};

static size_t line_of_tar(const struct gunzip *g, uint64_t tar_off)
{
	uint64_t in = 0;

	for (size_t i = 0; i < g->ncp && g->cp[i].out <= tar_off; i++)
		in = g->cp[i].in;
	return base64_line_of(g->first_line, in);
}

/* ---- the memory budget ---------------------------------------------------- */

static uint64_t mem_available(void)
{
	_cleanup_fclose_ FILE *f = fopen(PATH_PROC_MEMINFO, "re");
	unsigned long long kib;
	struct sysinfo si;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			return (uint64_t)kib << 10;
	/* kernels before 3.14: free memory only (an underestimate) */
	if (sysinfo(&si) == 0)
		return ((uint64_t)si.freeram + si.bufferram) * si.mem_unit;
	return UINT64_MAX;
}

/* @limit lowered to the room left under @resource, given @used bytes */
static void limit_by_rlimit(int resource, uint64_t used, const char *name, uint64_t *limit,
			    const char **what)
{
	struct rlimit rl;
	uint64_t room;

	if (getrlimit(resource, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	room = rl.rlim_cur > used ? rl.rlim_cur - used : 0;
	if (room < *limit) {
		*limit = room;
		*what = name;
	}
}

/* the number after @key in @dir/@file ("KEY VALUE" lines; @key "" for a lone value) */
static bool cgroup_value(const char *dir, const char *file, const char *key, uint64_t *v)
{
	char path[PATH_MAX], line[256];
	_cleanup_fclose_ FILE *f = NULL;
	size_t n = strlen(key);
	unsigned long long x;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path) ||
	    !(f = fopen(path, "re")))
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && sscanf(line + n, " %llu", &x) == 1) {
			*v = x;
			return true;
		}
	return false;   /* also "max": no limit */
}

/*
 * A cgroup v2 memory.max on the process's cgroup or an ancestor: the
 * room left under it (its page cache is reclaimable, as in MemAvailable).
 * MemAvailable alone would not see it, and the OOM killer would.
 */
static void limit_by_cgroup(uint64_t *limit, const char **what)
{
	_cleanup_fclose_ FILE *f = fopen(PATH_PROC_SELF_CGROUP, "re");
	char line[PATH_MAX], dir[PATH_MAX + sizeof(PATH_CGROUP_ROOT)];
	char *rel = NULL;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::/", 4)) {
			rel = line + 3;
			rel[strcspn(rel, "\n")] = '\0';
			break;
		}
	/* the cgroup, then each ancestor up to the root (the host's has no
	 * memory.max; a container's, seen through its cgroup namespace, may) */
	while (rel && rel[0] == '/') {
		uint64_t max, current, file = 0, room;
		char *slash;

		snprintf(dir, sizeof(dir), "%s%s", PATH_CGROUP_ROOT, rel);
		if (cgroup_value(dir, "memory.max", "", &max) &&
		    cgroup_value(dir, "memory.current", "", &current)) {
			cgroup_value(dir, "memory.stat", "inactive_file", &file);
			room = max > current ? max - current : 0;
			room = room > UINT64_MAX - file ? UINT64_MAX : room + file;
			if (room < *limit) {
				*limit = room;
				*what = "the room left under the memory.max of the cgroup";
			}
		}
		if (!rel[1])
			break;
		slash = strrchr(rel, '/');
		slash[slash == rel] = '\0';   /* "/a/b" -> "/a", "/a" -> "/" */
	}
}

/**
 * member_memory_budget() - how many member bytes this process can hold.
 * @what: set to what limits it (for messages)
 *
 * Three quarters of the least of MemAvailable, the room left under
 * RLIMIT_AS and RLIMIT_DATA (usage from /proc/self/statm) and under a
 * cgroup v2 memory.max; the last quarter is for the payload writer, the
 * compressors and the stub.
 */
static uint64_t member_memory_budget(const char **what)
{
	_cleanup_fclose_ FILE *f = fopen(PATH_PROC_SELF_STATM, "re");
	unsigned long long size_pages = 0, data_pages = 0;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t limit = mem_available();

	*what = "MemAvailable";
	if (page <= 0 || !f || fscanf(f, "%llu %*u %*u %*u %*u %llu", &size_pages, &data_pages) != 2)
		size_pages = data_pages = 0;   /* no usage known: the whole limit */
	limit_by_rlimit(RLIMIT_AS, (uint64_t)size_pages * (uint64_t)page,
			"the room left under the address-space limit, ulimit -v", &limit, what);
	limit_by_rlimit(RLIMIT_DATA, (uint64_t)data_pages * (uint64_t)page,
			"the room left under the data-size limit, ulimit -d", &limit, what);
	limit_by_cgroup(&limit, what);
	return limit - limit / 4;
}

/* ---- gzip, one block at a time --------------------------------------------- */

static int gunzip_fail(struct gunzip *g, enum gunzip_state state, int err, size_t line)
{
	g->state = state;
	g->err = err;
	g->err_line = line;
	error_save(&g->msg);
	return err;
}

/* report the failure recorded in @g */
static int gunzip_error(const struct gunzip *g, size_t *err_line)
{
	error_restore(g->msg);
	*err_line = g->err_line;
	return g->err;
}

/**
 * gunzip_next() - inflate the next block of tar bytes into g->window.
 * Return: its length (0 once the gzip stream has ended, CRC and length
 * checked), or a negative errno with the failure recorded in @g.
 */
static la_ssize_t gunzip_next(struct gunzip *g)
{
	size_t line;
	int zr;

	if (g->state != GZ_OK)
		return g->err;
	if (g->ended)
		return 0;
	if (g->produced >= g->allowance) {
		line = base64_line_of(g->first_line, g->z.total_in);
		error_set(-EFBIG, "the archive inflates past %" PRIu64 " bytes, more than the %" PRIu64
			  " its tar headers account for (%" PRIu64 " bytes of members and their tar "
			  "structure): a decompression bomb, or a damaged archive", g->produced,
			  g->allowance, g->declared);
		error_hint("0.6.0 ends its gzip stream two tar blocks after the last member; "
			   "regenerate the file with `cargo ktstr export`");
		return gunzip_fail(g, GZ_PAST_ALLOWANCE, -EFBIG, line);
	}
	g->cp = xreallocarray(g->cp, g->ncp + 1, sizeof(*g->cp));
	g->cp[g->ncp++] = (struct checkpoint){ g->produced, g->z.total_in };
	g->z.next_out = g->window;
	g->z.avail_out = WINDOW;
	do {
		size_t in_left = g->gz_len - g->z.total_in;

		g->z.next_in = (Bytef *)g->gz + g->z.total_in;
		g->z.avail_in = (uInt)(in_left > (1u << 30) ? (1u << 30) : in_left);
		zr = inflate(&g->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			g->ended = true;
			break;
		}
		if (zr == Z_BUF_ERROR && g->z.total_in == g->gz_len) {
			line = base64_line_of(g->first_line, g->gz_len ? g->gz_len - 1 : 0);
			return gunzip_fail(g, GZ_BROKEN, error_set(-EBADMSG, "the archive is truncated: "
					   "its gzip stream ends early (%zu bytes)", g->gz_len), line);
		}
		if (zr != Z_OK) {
			line = base64_line_of(g->first_line, g->z.total_in);
			return gunzip_fail(g, GZ_BROKEN, error_set(-EBADMSG, "the archive's gzip data is "
					   "corrupt near byte %lu: %s", (unsigned long)g->z.total_in,
					   g->z.msg ? g->z.msg : "inflate failed"), line);
		}
	} while (g->z.avail_out > 0);
	g->produced += WINDOW - g->z.avail_out;
	return (la_ssize_t)(WINDOW - g->z.avail_out);
}

/* Inflate (and drop) the rest of the stream, within the allowance. */
static void gunzip_drain(struct gunzip *g)
{
	while (g->state == GZ_OK && !g->ended)
		if (gunzip_next(g) < 0)
			break;
}

static la_ssize_t tar_read(struct archive *ar, void *arg, const void **buf)
{
	struct gunzip *g = arg;
	la_ssize_t n = gunzip_next(g);

	*buf = g->window;
	if (n < 0) {
		archive_set_error(ar, EIO, "%s", error_message());
		return ARCHIVE_FATAL;
	}
	return n;
}

/*
 * A tar-level failure (the current message) may only be the symptom of
 * damaged gzip data further on, which the inflate-first reader of the
 * past reported instead; so is a gzip failure that libarchive saw as a
 * read error.  Report the gzip failure when there is one within the
 * allowance, else the tar one.
 */
static int prefer_gzip_error(struct gunzip *g, int r, size_t *err_line)
{
	struct error_state *tar_msg;

	if (g->state == GZ_OK) {
		error_save(&tar_msg);
		gunzip_drain(g);
		if (g->state != GZ_BROKEN) {
			error_restore(tar_msg);
			error_state_free(tar_msg);
			return r;
		}
		error_state_free(tar_msg);
	}
	return gunzip_error(g, err_line);
}

/* After the tar's end: the gzip stream must end too, with nothing after it. */
static int gunzip_finish(struct gunzip *g, size_t *err_line)
{
	gunzip_drain(g);
	if (g->state != GZ_OK)
		return gunzip_error(g, err_line);
	if (g->z.total_in != g->gz_len) {
		*err_line = base64_line_of(g->first_line, g->z.total_in);
		return error_set(-EBADMSG, "%zu bytes follow the end of the archive's gzip stream",
				 g->gz_len - (size_t)g->z.total_in);
	}
	return 0;
}

/* ---- tar ---------------------------------------------------------------------- */

static const char *type_name(mode_t type)
{
	switch (type) {
	case AE_IFDIR: return "a directory";
	case AE_IFLNK: return "a symbolic link";
	case AE_IFCHR: return "a character device";
	case AE_IFBLK: return "a block device";
	case AE_IFIFO: return "a FIFO";
	case AE_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

/* the declared size fits a member, and the memory left */
static int check_size(const struct reader *rd, const char *name, uint64_t size)
{
	if (size > SPEC_MEMBER_SIZE_MAX)
		return error_set(-EFBIG, "archive member %s declares %" PRIu64 " bytes, more than "
				 "the %llu a member may hold", name, size,
				 (unsigned long long)SPEC_MEMBER_SIZE_MAX);
	if (size > rd->budget - rd->g->declared) {
		error_set(-EFBIG, "archive member %s declares %" PRIu64 " bytes; with the %" PRIu64
			  " declared before it, that is more than the %" PRIu64 " bytes this "
			  "conversion can hold in memory (3/4 of %s)", name, size, rd->g->declared,
			  rd->budget, rd->budget_what);
		error_hint("the members are held in memory until the new runfile is written: free "
			   "memory or raise the limit and convert again, or convert on a larger "
			   "machine (a small file that declares this much is a decompression bomb)");
		return -EFBIG;
	}
	return 0;
}

static int check_entry(const struct reader *rd, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);

	if (!name)
		return error_set(-EBADMSG, "archive member without a name");
	if (!spec_member_name_ok(name)) {
		error_set(-EBADMSG, "archive member '%s' is outside the layout (ktstr, scheduler, "
			  "include/<basename>)", name);
		error_hint("0.6.0 writes only these; the file was edited or made by another tool");
		return -EBADMSG;
	}
	if (archive_entry_hardlink(e))
		return error_set(-EBADMSG, "archive member %s is a hard link; the layout holds "
				 "regular files only", name);
	if (archive_entry_filetype(e) != AE_IFREG)
		return error_set(-EBADMSG, "archive member %s is %s; the layout holds regular files "
				 "only", name, type_name(archive_entry_filetype(e)));
	if (archive_entry_sparse_count(e) > 0)
		return error_set(-EBADMSG, "archive member %s is a sparse file", name);
	if ((archive_entry_perm(e) & 07777) != MEMBER_MODE)
		return error_set(-EBADMSG, "archive member %s has mode %04o; 0.6.0 packs %04o and "
				 "a different mode cannot be carried over", name,
				 (unsigned)(archive_entry_perm(e) & 07777), MEMBER_MODE);
	if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0)
		return error_set(-EBADMSG, "archive member %s has no usable size", name);
	if (export_archive_find(rd->a, name))
		return error_set(-EBADMSG, "archive member %s appears twice", name);
	if (rd->a->nmembers >= SPEC_MEMBERS_MAX)
		return error_set(-EBADMSG, "more than %d archive members", SPEC_MEMBERS_MAX);
	return check_size(rd, name, (uint64_t)archive_entry_size(e));
}

/* The member's bytes, copied as they arrive (never more than declared). */
static int read_data(struct archive *ar, struct export_member *m)
{
	const void *block;
	size_t len, got = 0, cap = 0;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(ar, &block, &len, &off)) == ARCHIVE_OK) {
		if (off < 0 || (uint64_t)off != got || len > m->size - got)
			return error_set(-EBADMSG, "archive member %s: data does not match its size",
					 m->name);
		if (!len)
			continue;
		if (len > cap - got) {
			size_t want = cap ? 2 * cap : MEMBER_CHUNK;
			uint8_t *p;

			if (want < got + len)
				want = got + len;
			if (want > m->size)
				want = m->size;
			p = realloc(m->owned, want);
			if (!p)
				return error_set(-ENOMEM, "cannot hold archive member %s: out of memory "
						 "after %zu of its %zu bytes", m->name, got, m->size);
			m->owned = p;
			cap = want;
		}
		memcpy(m->owned + got, block, len);
		got += len;
	}
	if (r != ARCHIVE_EOF)
		return error_set(-EBADMSG, "archive member %s cannot be read (truncated "
				 "archive?): %s", m->name, archive_error_string(ar));
	if (got != m->size)
		return error_set(-EBADMSG, "archive member %s is truncated: %zu of %zu bytes",
				 m->name, got, m->size);
	m->data = m->owned ? m->owned : (const uint8_t *)"";
	return 0;
}

/* account for an accepted header: its member may now inflate */
static void allow_member(struct gunzip *g, uint64_t size)
{
	g->declared += size;
	g->allowance += (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK + SPEC_TAR_SLACK_PER_MEMBER;
}

static int read_tar(struct reader *rd, size_t *err_line)
{
	struct gunzip *g = rd->g;
	struct export_archive *a = rd->a;
	struct archive *ar = archive_read_new();
	int r = 0;

	if (!ar || archive_read_support_format_tar(ar) != ARCHIVE_OK ||
	    archive_read_open(ar, g, NULL, tar_read, NULL) != ARCHIVE_OK) {
		r = error_set(-EBADMSG, "the archive is not a tar file: %s",
			      ar ? archive_error_string(ar) : "out of memory");
		r = prefer_gzip_error(g, r, err_line);
		goto out;
	}
	for (;;) {
		struct archive_entry *e;
		struct export_member *m;
		int hr = archive_read_next_header(ar, &e);

		*err_line = line_of_tar(g, (uint64_t)archive_filter_bytes(ar, -1));
		if (hr == ARCHIVE_EOF)
			break;
		if (hr != ARCHIVE_OK) {
			r = error_set(-EBADMSG, "the archive is damaged or truncated: %s",
				      archive_error_string(ar));
			break;
		}
		*err_line = line_of_tar(g, (uint64_t)archive_read_header_position(ar));
		if ((r = check_entry(rd, e)) < 0)
			break;
		allow_member(g, (uint64_t)archive_entry_size(e));
		a->m = xreallocarray(a->m, a->nmembers + 1, sizeof(*a->m));
		m = &a->m[a->nmembers++];
		*m = (struct export_member){ .name = xstrdup(archive_entry_pathname(e)),
					     .size = (size_t)archive_entry_size(e),
					     .line = *err_line };
		if ((r = read_data(ar, m)) < 0)
			break;
	}
	r = r < 0 ? prefer_gzip_error(g, r, err_line) : gunzip_finish(g, err_line);
out:
	if (ar)
		archive_read_free(ar);
	return r;
}

int export_archive_read(const char *text, size_t len, size_t first_line,
			struct export_archive *out, size_t *err_line)
{
	struct gunzip g = {
		.first_line = first_line,
		.allowance = SPEC_TAR_SLACK + SPEC_TAR_SLACK_PER_MEMBER,
	};
	struct reader rd = { .a = out, .g = &g };
	_cleanup_free_ uint8_t *gz = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = base64_decode_lines(text, len, first_line, &gz, &g.gz_len, err_line)) < 0)
		return r;
	g.gz = gz;
	*err_line = first_line;
	if (inflateInit2(&g.z, 16 + MAX_WBITS) != Z_OK)
		return error_set(-ENOMEM, "cannot set up gzip decoding");
	g.window = xmalloc(WINDOW);
	/* measured now: the decoded text and the window count as used */
	rd.budget = member_memory_budget(&rd.budget_what);
	r = read_tar(&rd, err_line);
	inflateEnd(&g.z);
	free(g.window);
	free(g.cp);
	error_state_free(g.msg);
	if (r < 0)
		export_archive_release(out);
	return r;
}

const struct export_member *export_archive_find(const struct export_archive *a, const char *name)
{
	for (size_t i = 0; i < a->nmembers; i++)
		if (!strcmp(a->m[i].name, name))
			return &a->m[i];
	return NULL;
}

void export_archive_release(struct export_archive *a)
{
	for (size_t i = 0; i < a->nmembers; i++) {
		free(a->m[i].name);
		free(a->m[i].owned);
	}
	free(a->m);
	memset(a, 0, sizeof(*a));
}
