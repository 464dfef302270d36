/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * build.h - write a runfile: [stub][payload][spec][footer], atomically
 * (a temporary file next to the output, fsync, rename).
 */
#ifndef KTSTR_BUILD_H
#define KTSTR_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "footer.h"
#include "spec.h"

/* One archive member and where its bytes come from. */
struct pack_member {
	char *name;                 /* "scheduler", "include/x", "ktstr" */
	char *host_path;            /* a file to read... */
	const void *data;           /* ...or bytes in memory (inline config) */
	size_t data_len;
};

struct pack_job {
	const uint8_t *stub;
	size_t stub_len;
	struct pack_member *members; /* scheduler and includes first, ktstr last */
	size_t nmembers;
	enum payload_codec codec;
	int level;
	unsigned threads;
	const char *output;
};

/**
 * pack_write() - build the runfile described by @job and @spec.
 * @spec: names, provenance, times, args; members, chunks and early prefix
 *   are filled in here
 * Return: 0, or a negative errno with a message; on failure no file is
 * left at @job->output (an existing one is untouched), nor a temporary one;
 * neither when SIGINT, SIGTERM, SIGHUP or SIGPIPE kills the process
 * meanwhile (see sigcleanup.h).
 */
int pack_write(const struct pack_job *job, struct spec *spec);

#endif
