// SPDX-License-Identifier: GPL-2.0-only
/*
 * extract.c - parallel inflate, in-order hash and tar parse of the payload.
 *
 * libarchive parses the tar stream (headers, pax records, sizes); the
 * member files are written here with openat(O_CREAT | O_EXCL | O_NOFOLLOW)
 * relative to the work directory, instead of with archive_write_disk: only
 * the names the spec lists are accepted, so nothing can land outside the
 * directory, no link or device node can be created, and the process never
 * depends on its current directory.
 */
#include "extract.h"
#include "inflate.h"
#include "digest.h"
#include "error.h"
#include "fdio.h"
#include "macros.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The ring: slot i % nslots holds chunk i from its claim by a worker until
 * the consumer has parsed it (the one it hands libarchive stays held until
 * the next read).  A worker takes chunk next_claim only while next_claim <
 * next_consume + nslots and its slot is free; the consumer waits for chunk
 * next_consume.  Any nslots >= 1 with nworkers >= 1 makes progress: when
 * the consumer waits it holds no slot, so chunk next_consume is either
 * claimed (a worker finishes it) or its slot is free and every earlier
 * chunk is consumed, so an idle worker claims it.  One slot and one worker
 * run the chunks strictly one after the other.
 *
 * Slot buffers are allocated on first use and kept, so the ring costs up
 * to nslots x (largest clen + largest ulen).  It gets a fixed budget, not
 * a share per worker, so that the peak RSS limit (16 MiB extracting a 256
 * MiB payload, issue 6) holds whatever the CPU count: with 2 slots per
 * worker, 8 workers and zstd's 1 MiB chunks took 31 MiB.  8 MiB is half
 * the limit: with 8 gzip workers and a full ring (17 slots, 7.9 MiB) the
 * whole process peaked at 10.1 MiB (docs/PERFORMANCE.md, "Peak RSS").  It
 * still holds all 18 slots of 8 workers when no 256 KiB gzip chunk
 * compresses to more than 199 KiB (they are ~90 KiB), and 3-7 slots (as
 * many workers) for zstd's 1 MiB chunks, which inflate twice as fast.  A
 * chunk larger than the budget (the spec allows 64 MiB) still gets its
 * one slot.
 */
#define EXTRACT_SLOT_BUDGET ((uint64_t)8 << 20)
#define SLOTS_PER_WORKER 2
#define SLOTS_EXTRA 2

enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_READY };

struct slot {
	enum slot_state state;
	size_t chunk;               /* which chunk it holds */
	uint8_t *cbuf, *ubuf;
	size_t ccap, ucap;
	int err;
	struct error_state *msg;
};

struct extract_job {
	const struct runfile *rf;
	int dirfd;
	int evfd;
	enum payload_codec codec;
	uint64_t *chunk_off;        /* file offset of each chunk */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct slot *slots;
	size_t nslots;
	size_t next_claim;          /* next chunk a worker takes */
	size_t next_consume;        /* next chunk the consumer takes */
	bool stop;

	pthread_t *workers;
	unsigned nworkers;
	pthread_t consumer;
	bool consumer_started;

	/* consumer side */
	struct sha256_ctx sha;
	uint64_t hashed;            /* compressed bytes hashed so far */
	size_t held;                /* slot libarchive currently reads, or SIZE_MAX */
	bool *seen;                 /* per spec member */
	bool include_dir;

	_Atomic uint64_t written;
	uint64_t total;
	_Atomic int state;
	int err;
	struct error_state *msg;
};

static void post(struct extract_job *job, enum extract_state st)
{
	uint64_t one = 1;

	atomic_store(&job->state, st);
	if (write(job->evfd, &one, sizeof(one)) < 0) {
		/* eventfd counter cannot overflow here */
	}
}

/* ---- workers: read and inflate chunks ------------------------------------- */

static int read_full(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	ssize_t n = fd_pread_full(fd, buf, len, off);

	if (n < 0)
		return error_set_errno((int)n, "cannot read the payload");
	if ((size_t)n < len)
		return error_set(-EIO, "the payload is truncated");
	return 0;
}

static int fill_slot(struct extract_job *job, struct inflater *codec, struct slot *sl)
{
	const struct spec_chunk *c = &job->rf->spec.chunks[sl->chunk];
	int r;

	if (sl->ccap < c->clen) {
		free(sl->cbuf);
		sl->cbuf = xmalloc((size_t)c->clen);
		sl->ccap = (size_t)c->clen;
	}
	if (sl->ucap < c->ulen) {
		free(sl->ubuf);
		sl->ubuf = xmalloc((size_t)c->ulen);
		sl->ucap = (size_t)c->ulen;
	}
	r = read_full(job->rf->fd, sl->cbuf, (size_t)c->clen, job->chunk_off[sl->chunk]);
	if (r < 0)
		return r;
	r = inflater_run(codec, sl->cbuf, (size_t)c->clen, sl->ubuf, (size_t)c->ulen);
	if (r < 0)
		return error_prefix(r, "payload chunk %zu", sl->chunk);
	return 0;
}

static void *worker_main(void *arg)
{
	struct extract_job *job = arg;
	struct inflater *codec = inflater_new(job->codec);
	size_t n = job->rf->spec.nchunks;

	pthread_mutex_lock(&job->lock);
	for (;;) {
		struct slot *sl = NULL;

		while (!job->stop && job->next_claim < n &&
		       job->next_claim >= job->next_consume + job->nslots)
			pthread_cond_wait(&job->cond, &job->lock);
		if (job->stop || job->next_claim >= n)
			break;
		sl = &job->slots[job->next_claim % job->nslots];
		if (sl->state != SLOT_FREE) {   /* the consumer still holds it */
			pthread_cond_wait(&job->cond, &job->lock);
			continue;
		}
		sl->state = SLOT_BUSY;
		sl->chunk = job->next_claim++;
		pthread_mutex_unlock(&job->lock);

		sl->err = fill_slot(job, codec, sl);
		if (sl->err < 0)
			error_save(&sl->msg);

		pthread_mutex_lock(&job->lock);
		sl->state = SLOT_READY;
		pthread_cond_broadcast(&job->cond);
	}
	pthread_mutex_unlock(&job->lock);
	inflater_free(codec);
	return NULL;
}

/* ---- consumer: hash in order, feed libarchive, write members --------------- */

/* Wait for the next chunk in order; hash it.  NULL at the end or on error. */
static struct slot *next_chunk(struct extract_job *job, int *err)
{
	const struct spec *s = &job->rf->spec;
	struct slot *sl;
	bool stopped;

	*err = 0;
	if (job->next_consume >= s->nchunks)
		return NULL;
	sl = &job->slots[job->next_consume % job->nslots];
	pthread_mutex_lock(&job->lock);
	while (!job->stop && !(sl->state == SLOT_READY && sl->chunk == job->next_consume))
		pthread_cond_wait(&job->cond, &job->lock);
	stopped = job->stop;
	pthread_mutex_unlock(&job->lock);
	if (stopped) {
		*err = error_set(-ECANCELED, "extraction stopped");
		return NULL;
	}
	if (sl->err < 0) {
		error_restore(sl->msg);
		*err = sl->err;
		return NULL;
	}
	sha256_update(&job->sha, (size_t)s->chunks[sl->chunk].clen, sl->cbuf);
	job->hashed += s->chunks[sl->chunk].clen;
	if (s->has_early && job->hashed == s->early_clen) {
		struct sha256_ctx prefix = job->sha;
		uint8_t d[SHA256_DIGEST_SIZE];

		sha256_digest(&prefix, sizeof(d), d);
		if (memcmp(d, s->early_sha256, sizeof(d)) != 0) {
			*err = error_set(-EBADMSG, "payload digest mismatch in the scheduler's part: "
					 "the runfile is corrupted");
			return NULL;
		}
	}
	/* under the lock: workers read it there (the release that follows
	 * wakes the ones waiting for room) */
	pthread_mutex_lock(&job->lock);
	job->next_consume++;
	pthread_mutex_unlock(&job->lock);
	return sl;
}

static void release_slot(struct extract_job *job, size_t idx)
{
	if (idx == SIZE_MAX)
		return;
	pthread_mutex_lock(&job->lock);
	job->slots[idx].state = SLOT_FREE;
	pthread_cond_broadcast(&job->cond);
	pthread_mutex_unlock(&job->lock);
}

static la_ssize_t tar_read(struct archive *a, void *arg, const void **buf)
{
	struct extract_job *job = arg;
	struct slot *sl;
	int err;

	release_slot(job, job->held);
	job->held = SIZE_MAX;
	sl = next_chunk(job, &err);
	if (!sl) {
		if (err < 0) {
			archive_set_error(a, -err, "%s", error_message());
			return -1;
		}
		return 0;
	}
	job->held = (size_t)(sl - job->slots);
	*buf = sl->ubuf;
	return (la_ssize_t)job->rf->spec.chunks[sl->chunk].ulen;
}

static const char *type_name(mode_t type)
{
	switch (type) {
	case AE_IFLNK: return "a symbolic link";
	case AE_IFDIR: return "a directory";
	case AE_IFCHR: return "a character device";
	case AE_IFBLK: return "a block device";
	case AE_IFIFO: return "a FIFO";
	case AE_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

static bool has_dotdot(const char *name)
{
	for (const char *p = name; (p = strstr(p, "..")); p += 2)
		if ((p == name || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

/* The spec member this header is, after every structural check. */
static int check_header(struct extract_job *job, struct archive_entry *e, size_t *idx)
{
	const struct spec *s = &job->rf->spec;
	const char *name = archive_entry_pathname(e);
	const struct spec_member *m;

	if (!name || !name[0])
		return error_set(-EBADMSG, "archive member without a name");
	if (name[0] == '/')
		return error_set(-EBADMSG, "archive member '%s' has an absolute path", name);
	if (has_dotdot(name))
		return error_set(-EBADMSG, "archive member '%s' has a '..' component", name);
	if (archive_entry_hardlink(e))
		return error_set(-EBADMSG, "archive member '%s' is a hard link (to '%s')", name,
				 archive_entry_hardlink(e));
	if (archive_entry_filetype(e) != AE_IFREG)
		return error_set(-EBADMSG, "archive member '%s' is %s; only regular files are "
				 "allowed", name, type_name(archive_entry_filetype(e)));
	if (archive_entry_sparse_count(e) > 0)
		return error_set(-EBADMSG, "archive member '%s' is a sparse file", name);
	m = spec_member_find(s, name);
	if (!m)
		return error_set(-EBADMSG, "archive member '%s' is not in the runfile's layout", name);
	*idx = (size_t)(m - s->members);
	if (job->seen[*idx])
		return error_set(-EBADMSG, "archive member '%s' appears twice", name);
	if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0 ||
	    (uint64_t)archive_entry_size(e) != m->size)
		return error_set(-EBADMSG, "archive member '%s' is %lld bytes, the spec says %llu",
				 name, (long long)archive_entry_size(e),
				 (unsigned long long)m->size);
	return 0;
}

static int extract_member(struct extract_job *job, struct archive *a, size_t idx)
{
	const struct spec_member *m = &job->rf->spec.members[idx];
	_cleanup_close_ int fd = -1;
	uint64_t written = 0;
	int r;

	if (strchr(m->name, '/') && !job->include_dir) {
		if (mkdirat(job->dirfd, MEMBER_INCLUDE_DIR, 0700) < 0)
			return error_set_errno(-errno, "cannot create %s/", MEMBER_INCLUDE_DIR);
		job->include_dir = true;
	}
	fd = openat(job->dirfd, m->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0700);
	if (fd < 0)
		return error_set_errno(-errno, "cannot create %s", m->name);
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;

		r = archive_read_data_block(a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK)
			return error_set(-EBADMSG, "cannot read member %s: %s", m->name,
					 archive_error_string(a));
		if ((uint64_t)off != written || size > m->size - written)
			return error_set(-EBADMSG, "member %s: data out of order or past its size",
					 m->name);
		if ((r = fd_write_full(fd, buf, size, m->name)) < 0)
			return r;
		written += size;
		atomic_fetch_add(&job->written, size);
	}
	if (written != m->size)
		return error_set(-EBADMSG, "member %s: %llu of %llu bytes", m->name,
				 (unsigned long long)written, (unsigned long long)m->size);
	if (fchmod(fd, m->mode) < 0)
		return error_set_errno(-errno, "cannot chmod %s", m->name);
	if (close(take_fd(&fd)) < 0)
		return error_set_errno(-errno, "cannot write %s", m->name);
	job->seen[idx] = true;
	return 0;
}

static int consume(struct extract_job *job)
{
	const struct spec *s = &job->rf->spec;
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	uint8_t d[SHA256_DIGEST_SIZE];
	int r, err;

	if (!a)
		return error_set(-ENOMEM, "cannot set up libarchive");
	archive_read_support_format_tar(a);
	if (archive_read_open(a, job, NULL, tar_read, NULL) != ARCHIVE_OK) {
		r = error_set(-EBADMSG, "the payload is not a tar archive: %s",
			      archive_error_string(a));
		goto out;
	}
	for (;;) {
		size_t idx = 0;

		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			r = error_set(-EBADMSG, "bad tar header in the payload: %s",
				      archive_error_string(a));
			goto out;
		}
		if ((r = check_header(job, e, &idx)) < 0 || (r = extract_member(job, a, idx)) < 0)
			goto out;
	}
	for (size_t i = 0; i < s->nmembers; i++)
		if (!job->seen[i]) {
			r = error_set(-EBADMSG, "archive member %s is missing from the payload",
				      s->members[i].name);
			goto out;
		}
	/* the rest of the payload (tar padding) still counts for the digest */
	release_slot(job, job->held);
	job->held = SIZE_MAX;
	while ((next_chunk(job, &err)) || err < 0) {
		if (err < 0) {
			r = err;
			goto out;
		}
		release_slot(job, (job->next_consume - 1) % job->nslots);
	}
	sha256_digest(&job->sha, sizeof(d), d);
	if (memcmp(d, job->rf->footer.payload_sha256, sizeof(d)) != 0) {
		r = error_set(-EBADMSG, "payload digest mismatch: the runfile is corrupted");
		goto out;
	}
	r = 0;
out:
	archive_read_free(a);
	return r;
}

static void *consumer_main(void *arg)
{
	struct extract_job *job = arg;
	int r = consume(job);

	if (r < 0) {
		job->err = r;
		error_save(&job->msg);
	}
	pthread_mutex_lock(&job->lock);
	job->stop = true;           /* workers are done either way */
	pthread_cond_broadcast(&job->cond);
	pthread_mutex_unlock(&job->lock);
	post(job, r < 0 ? EXTRACT_FAILED : EXTRACT_DONE);
	return NULL;
}

/* ---- the job ---------------------------------------------------------------- */

void extract_ring_size(const struct spec *s, unsigned nthreads, struct extract_ring *ring)
{
	uint64_t cmax = 0, umax = 0, fit;
	size_t nchunks = s->nchunks ? s->nchunks : 1;
	unsigned nworkers = nthreads ? nthreads : 1;
	size_t most;

	for (size_t i = 0; i < s->nchunks; i++) {
		if (s->chunks[i].clen > cmax)
			cmax = s->chunks[i].clen;
		if (s->chunks[i].ulen > umax)
			umax = s->chunks[i].ulen;
	}
	if (nworkers > nchunks)
		nworkers = (unsigned)nchunks;
	most = (size_t)nworkers * SLOTS_PER_WORKER + SLOTS_EXTRA;
	/* a validated spec bounds both (SPEC_CHUNK_ULEN_MAX); saturate anyway */
	if (!add_u64(cmax, umax, &ring->slot_bytes))
		ring->slot_bytes = UINT64_MAX;
	fit = ring->slot_bytes ? EXTRACT_SLOT_BUDGET / ring->slot_bytes : most;
	ring->nslots = fit < 1 ? 1 : fit > most ? most : (size_t)fit;
	if (ring->nslots > nchunks)
		ring->nslots = nchunks;
	ring->nworkers = nworkers > ring->nslots ? (unsigned)ring->nslots : nworkers;
}

int extract_start(const struct runfile *rf, int dirfd, unsigned nthreads,
		  struct extract_job **jobp)
{
	struct extract_job *job = xcalloc(1, sizeof(*job));
	int r;

	job->rf = rf;
	job->dirfd = dirfd;
	job->codec = (enum payload_codec)rf->footer.codec;
	job->held = SIZE_MAX;
	job->evfd = -1;
	job->seen = xcalloc(rf->spec.nmembers, sizeof(*job->seen));
	job->chunk_off = xcalloc(rf->spec.nchunks, sizeof(*job->chunk_off));
	for (uint64_t i = 0, off = rf->footer.payload_offset; i < rf->spec.nchunks; i++) {
		job->chunk_off[i] = off;
		off += rf->spec.chunks[i].clen;
	}
	for (size_t i = 0; i < rf->spec.nmembers; i++)
		job->total += rf->spec.members[i].size;
	sha256_init(&job->sha);
	pthread_mutex_init(&job->lock, NULL);
	pthread_cond_init(&job->cond, NULL);
	job->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (job->evfd < 0) {
		r = error_set_errno(-errno, "cannot create an eventfd");
		goto fail;
	}
	{
		struct extract_ring ring;

		extract_ring_size(&rf->spec, nthreads, &ring);
		job->nworkers = ring.nworkers;
		job->nslots = ring.nslots;
	}
	job->slots = xcalloc(job->nslots, sizeof(*job->slots));
	job->workers = xcalloc(job->nworkers, sizeof(*job->workers));
	atomic_store(&job->state, EXTRACT_RUNNING);

	/*
	 * The consumer first: a worker started before it can take the CPU
	 * from this thread for a whole chunk on a busy host, and then the
	 * first chunk waits for a consumer that does not exist yet.
	 */
	if ((r = pthread_create(&job->consumer, NULL, consumer_main, job)) != 0) {
		job->nworkers = 0;
		error_set(-r, "cannot start the extraction thread: %s", strerror(r));
		r = -r;
		goto fail;
	}
	job->consumer_started = true;
	for (unsigned i = 0; i < job->nworkers; i++) {
		if ((r = pthread_create(&job->workers[i], NULL, worker_main, job)) != 0) {
			job->nworkers = i;
			error_set(-r, "cannot start an extraction thread: %s", strerror(r));
			r = -r;
			goto fail;
		}
	}
	*jobp = job;
	return 0;
fail:
	{
		struct error_state *saved;

		error_save(&saved);
		extract_finish(job);
		error_restore(saved);
		error_state_free(saved);
	}
	return r;
}

int extract_event_fd(const struct extract_job *job)
{
	return job->evfd;
}

enum extract_state extract_state(struct extract_job *job)
{
	uint64_t v;

	if (read(job->evfd, &v, sizeof(v)) < 0) {
		/* nothing pending */
	}
	return (enum extract_state)atomic_load(&job->state);
}

void extract_progress(const struct extract_job *job, uint64_t *done, uint64_t *total)
{
	*done = atomic_load(&((struct extract_job *)job)->written);
	*total = job->total;
}

int extract_finish(struct extract_job *job)
{
	int r;

	pthread_mutex_lock(&job->lock);
	job->stop = true;
	pthread_cond_broadcast(&job->cond);
	pthread_mutex_unlock(&job->lock);
	if (job->consumer_started)
		pthread_join(job->consumer, NULL);
	for (unsigned i = 0; i < job->nworkers; i++)
		pthread_join(job->workers[i], NULL);

	if (atomic_load(&job->state) == EXTRACT_DONE) {
		r = 0;
	} else if (job->err < 0) {
		error_restore(job->msg);
		r = job->err;
	} else {
		r = error_set(-ECANCELED, "extraction stopped before it finished");
	}
	for (size_t i = 0; i < job->nslots; i++) {
		free(job->slots[i].cbuf);
		free(job->slots[i].ubuf);
		error_state_free(job->slots[i].msg);
	}
	free(job->slots);
	free(job->workers);
	free(job->seen);
	free(job->chunk_off);
	error_state_free(job->msg);
	if (job->evfd >= 0)
		close(job->evfd);
	pthread_mutex_destroy(&job->lock);
	pthread_cond_destroy(&job->cond);
	free(job);
	return r;
}

int extract_run(const struct runfile *rf, int dirfd, unsigned nthreads)
{
	struct extract_job *job;
	int r = extract_start(rf, dirfd, nthreads, &job);

	if (r < 0)
		return r;
	pthread_join(job->consumer, NULL);
	job->consumer_started = false;
	return extract_finish(job);
}
