/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * extract.h - verify and extract the payload into the work directory, in
 * the background.
 *
 * Worker threads read and inflate chunks in parallel; one thread hashes
 * them in order (the digest is computed in the same pass, the payload is
 * read once) and feeds the tar stream to libarchive, which parses it.
 * Members are written natively (see extract.c for why).  The end reaches
 * the caller through a file descriptor it can poll: EXTRACT_DONE when
 * everything is on disk and the whole payload matched the footer's digest,
 * EXTRACT_FAILED and why not.  The prefix holding the scheduler and the
 * includes is checked against its own digest as soon as it has been read,
 * so damage there is reported as such, before the rest is inflated.
 */
#ifndef KTSTR_EXTRACT_H
#define KTSTR_EXTRACT_H

#include <stdint.h>

#include "runfile.h"

enum extract_state {
	EXTRACT_RUNNING,
	EXTRACT_DONE,
	EXTRACT_FAILED,
};

struct extract_job;

/**
 * struct extract_ring - the chunks held in memory at once, and their workers.
 * @nslots:     slots in the ring: chunks read, being inflated or waiting to
 *              be parsed (each keeps its compressed and its tar bytes)
 * @nworkers:   inflate threads (never more than @nslots: the rest would wait)
 * @slot_bytes: bytes one slot's buffers can grow to (the largest chunk's
 *              compressed size + the largest chunk's tar size)
 */
struct extract_ring {
	size_t nslots;
	unsigned nworkers;
	uint64_t slot_bytes;
};

/**
 * extract_ring_size() - size the ring extract_start() uses for @s's chunk
 * table and @nthreads requested workers: as many slots as fit a fixed
 * memory budget (EXTRACT_SLOT_BUDGET, extract.c), at least 1 and at most
 * 2 per worker + 2 (more would only read ahead of the parse); no more
 * slots or workers than chunks.
 */
void extract_ring_size(const struct spec *s, unsigned nthreads, struct extract_ring *ring);

/**
 * extract_start() - start extracting @rf's payload into the directory @dirfd.
 * @nthreads: inflate workers (>= 1)
 * Return: 0 or a negative errno; *@job is set on success.
 */
int extract_start(const struct runfile *rf, int dirfd, unsigned nthreads,
		  struct extract_job **job);

/** extract_event_fd() - readable when the state changed (drain with extract_state()). */
int extract_event_fd(const struct extract_job *job);

/** extract_state() - the current state; drains the event fd. */
enum extract_state extract_state(struct extract_job *job);

/** extract_progress() - tar bytes written so far and in total. */
void extract_progress(const struct extract_job *job, uint64_t *done, uint64_t *total);

/**
 * extract_finish() - stop (if still running) and join the threads.
 * Return: 0 if the job reached EXTRACT_DONE, else the negative errno of the
 * failure with its message restored in the calling thread (-ECANCELED when
 * it was stopped early).
 */
int extract_finish(struct extract_job *job);

/**
 * extract_run() - extract in the calling thread's time: start, wait, finish.
 */
int extract_run(const struct runfile *rf, int dirfd, unsigned nthreads);

#endif
