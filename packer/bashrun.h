/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bashrun.h - read the parts of a `cargo ktstr export` 0.6.0 runfile (a
 * bash script followed by a base64 archive) that define what it runs: the
 * frozen specification block, the scheduler launch line, the test
 * invocation and where the archive text starts.  Nothing is executed.
 */
#ifndef KTSTR_BASHRUN_H
#define KTSTR_BASHRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shellword.h"

/* The frozen block's variables, in the order 0.6.0 writes them. */
enum bashrun_var {
	BV_TEST_NAME, BV_SCHED_NAME, BV_GIT_HASH,
	BV_LLCS, BV_CORES_PER_LLC, BV_THREADS_PER_CORE, BV_NUMA_NODES,
	BV_DURATION, BV_WATCHDOG,
	BV_COUNT,
};

struct bashrun {
	const char *text;          /* the whole file (not owned) */
	size_t len;

	char *test_name, *sched_name, *git_hash;
	uint32_t llcs, cores_per_llc, threads_per_core, numa_nodes;
	uint32_t duration_secs, watchdog_secs;
	size_t var_line[BV_COUNT];

	/* the scheduler: none (EEVDF) when has_launch is false */
	bool has_launch;
	size_t launch_line;
	struct sw_list sched_words; /* offsets relative to text */

	size_t marker_line;        /* the __ARCHIVE__ line */
	size_t archive_off;        /* the base64 text: from here to the end */
};

/**
 * bashrun_parse() - parse the script part of @text.
 * @err_line: on failure, the line the message is about
 * Return: 0, or -EINVAL with a message (without FILE:LINE, see @err_line).
 * @br may hold partial allocations after a failure too: the caller
 * releases it with bashrun_release() in every case.
 */
int bashrun_parse(const char *text, size_t len, struct bashrun *br, size_t *err_line);

void bashrun_release(struct bashrun *br);

/** bashrun_line_of() - the 1-based line number of byte @off of the text. */
size_t bashrun_line_of(const struct bashrun *br, size_t off);

#endif
