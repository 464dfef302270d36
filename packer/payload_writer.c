// SPDX-License-Identifier: GPL-2.0-only
/*
 * payload_writer.c - parallel chunk compression with in-order output.
 *
 * The caller's thread cuts chunks and writes finished ones in order; worker
 * threads compress.  At most 2 x threads chunks are in flight, so memory
 * stays bounded whatever the payload size.
 */
#include "payload_writer.h"
#include "compress.h"
#include "digest.h"
#include "error.h"
#include "fdio.h"
#include "macros.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

enum job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct job {
	enum job_state state;
	uint8_t *in;
	size_t inlen;
	struct strbuf out;
	int err;
	struct error_state *msg;
};

struct payload_writer {
	int fd;
	enum payload_codec codec;
	int level;
	size_t chunk_size;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *jobs;           /* ring */
	size_t njobs;
	size_t head;                /* next to fill */
	size_t tail;                /* next to write */
	bool quit;
	pthread_t *threads;
	unsigned nthreads;

	uint8_t *cur;               /* the chunk being filled */
	size_t curlen;

	struct sha256_ctx sha;
	uint64_t written;           /* payload bytes written */
	uint64_t ulen_written;
	size_t chunks_written;
	struct spec_chunk *chunks;
	size_t nchunks;
	/* early prefix: ends after chunk early_chunk */
	bool early_marked;
	size_t early_chunk;
	bool has_early;
	uint64_t early_clen, early_ulen;
	uint8_t early_sha[32];
	int err;
};

static void *worker(void *arg)
{
	struct payload_writer *pw = arg;
	struct compressor *codec = compressor_new(pw->codec, pw->level);

	pthread_mutex_lock(&pw->lock);
	for (;;) {
		struct job *j = NULL;

		for (size_t i = pw->tail; i != pw->head; i++)
			if (pw->jobs[i % pw->njobs].state == JOB_QUEUED) {
				j = &pw->jobs[i % pw->njobs];
				break;
			}
		if (!j) {
			if (pw->quit)
				break;
			pthread_cond_wait(&pw->cond, &pw->lock);
			continue;
		}
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&pw->lock);
		strbuf_reset(&j->out);
		j->err = compressor_run(codec, j->in, j->inlen, &j->out);
		if (j->err < 0)
			error_save(&j->msg);
		pthread_mutex_lock(&pw->lock);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&pw->cond);
	}
	pthread_mutex_unlock(&pw->lock);
	compressor_free(codec);
	return NULL;
}

struct payload_writer *payload_writer_new(int fd, enum payload_codec codec, int level,
					  size_t chunk_size, unsigned threads)
{
	struct payload_writer *pw = xcalloc(1, sizeof(*pw));
	sigset_t all, old;

	pw->fd = fd;
	pw->codec = codec;
	pw->level = level;
	pw->chunk_size = chunk_size;
	pw->nthreads = threads ? threads : 1;
	pw->njobs = 2 * pw->nthreads + 1;
	pw->jobs = xcalloc(pw->njobs, sizeof(*pw->jobs));
	pw->cur = xmalloc(chunk_size);
	sha256_init(&pw->sha);
	pthread_mutex_init(&pw->lock, NULL);
	pthread_cond_init(&pw->cond, NULL);
	pw->threads = xcalloc(pw->nthreads, sizeof(*pw->threads));
	/*
	 * Workers take no signals (they inherit this mask): a stop signal is
	 * handled in the caller's thread, where sigcleanup removes the
	 * temporary file and dies, as sigcleanup.h asks.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (unsigned i = 0; i < pw->nthreads; i++)
		if (pthread_create(&pw->threads[i], NULL, worker, pw) != 0) {
			pw->nthreads = i;   /* run with fewer; at least one is needed */
			break;
		}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pw->nthreads == 0) {
		pw->err = error_set(-EAGAIN, "cannot start a compression thread");
	}
	return pw;
}

/* Write the oldest job once it is compressed; called with the lock held. */
static int write_oldest(struct payload_writer *pw)
{
	struct job *j = &pw->jobs[pw->tail % pw->njobs];
	int r;

	while (j->state != JOB_DONE)
		pthread_cond_wait(&pw->cond, &pw->lock);
	pthread_mutex_unlock(&pw->lock);
	r = j->err;
	if (r < 0) {
		error_restore(j->msg);
	} else if ((r = fd_write_full(pw->fd, j->out.buf, j->out.len, "the runfile")) == 0) {
		sha256_update(&pw->sha, j->out.len, (const uint8_t *)j->out.buf);
		pw->written += j->out.len;
		pw->ulen_written += j->inlen;
		pw->chunks = xreallocarray(pw->chunks, pw->nchunks + 1, sizeof(*pw->chunks));
		pw->chunks[pw->nchunks++] = (struct spec_chunk){ j->out.len, j->inlen };
		if (pw->early_marked && pw->nchunks - 1 == pw->early_chunk) {
			struct sha256_ctx prefix = pw->sha;

			sha256_digest(&prefix, sizeof(pw->early_sha), pw->early_sha);
			pw->early_clen = pw->written;
			pw->early_ulen = pw->ulen_written;
			pw->has_early = true;
		}
	}
	pthread_mutex_lock(&pw->lock);
	j->state = JOB_FREE;
	pw->tail++;
	return r;
}

/* Hand the current chunk to the workers. */
static int submit(struct payload_writer *pw)
{
	struct job *j;
	int r = 0;

	if (!pw->curlen || pw->err)
		return pw->err;
	pthread_mutex_lock(&pw->lock);
	while (pw->head - pw->tail >= pw->njobs && r == 0)
		r = write_oldest(pw);
	if (r == 0) {
		j = &pw->jobs[pw->head % pw->njobs];
		/* swap buffers: the job keeps the filled chunk */
		free(j->in);
		j->in = pw->cur;
		j->inlen = pw->curlen;
		j->state = JOB_QUEUED;
		pw->head++;
		pw->cur = xmalloc(pw->chunk_size);
		pw->curlen = 0;
		pthread_cond_broadcast(&pw->cond);
	}
	pthread_mutex_unlock(&pw->lock);
	if (r < 0)
		pw->err = r;
	return r;
}

int payload_writer_write(struct payload_writer *pw, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len && !pw->err) {
		size_t n = pw->chunk_size - pw->curlen;

		if (n > len)
			n = len;
		memcpy(pw->cur + pw->curlen, p, n);
		pw->curlen += n;
		p += n;
		len -= n;
		if (pw->curlen == pw->chunk_size)
			submit(pw);
	}
	return pw->err;
}

int payload_writer_mark_early(struct payload_writer *pw)
{
	int r = submit(pw);

	if (r < 0)
		return r;
	if (pw->head == 0)
		return 0;          /* nothing before: no early prefix */
	pw->early_marked = true;
	pw->early_chunk = pw->head - 1;
	return 0;
}

int payload_writer_finish(struct payload_writer *pw, struct spec *s, uint8_t sha256[32],
			  uint64_t *length)
{
	int r = submit(pw);

	pthread_mutex_lock(&pw->lock);
	while (pw->tail != pw->head) {
		int w = write_oldest(pw);

		if (r == 0)
			r = w;
	}
	pw->quit = true;
	pthread_cond_broadcast(&pw->cond);
	pthread_mutex_unlock(&pw->lock);
	for (unsigned i = 0; i < pw->nthreads; i++)
		pthread_join(pw->threads[i], NULL);
	if (r == 0 && pw->err)
		r = pw->err;

	if (r == 0) {
		free(s->chunks);
		s->chunks = pw->chunks;
		s->nchunks = pw->nchunks;
		pw->chunks = NULL;
		s->has_early = pw->has_early;
		s->early_clen = pw->early_clen;
		s->early_ulen = pw->early_ulen;
		memcpy(s->early_sha256, pw->early_sha, sizeof(pw->early_sha));
		sha256_digest(&pw->sha, 32, sha256);
		*length = pw->written;
	}
	for (size_t i = 0; i < pw->njobs; i++) {
		free(pw->jobs[i].in);
		strbuf_release(&pw->jobs[i].out);
		error_state_free(pw->jobs[i].msg);
	}
	free(pw->jobs);
	free(pw->chunks);
	free(pw->cur);
	free(pw->threads);
	pthread_mutex_destroy(&pw->lock);
	pthread_cond_destroy(&pw->cond);
	free(pw);
	return r;
}
