/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runfile.h - open a runfile: read and validate its footer and spec.
 * Shared by the stub (on /proc/self/exe) and ktstr-pack --inspect.
 */
#ifndef KTSTR_RUNFILE_H
#define KTSTR_RUNFILE_H

#include <stdint.h>

#include "footer.h"
#include "spec.h"

struct runfile {
	int fd;
	uint64_t size;
	struct runfile_footer footer;
	struct spec spec;
};

/**
 * runfile_load() - validate footer, spec digest and spec of an open file.
 * @fd: readable file descriptor; the runfile takes ownership
 * @rf: result, released with runfile_close()
 *
 * The payload is not read here (see runfile_verify_payload()).
 * Return: 0 or a negative errno with a message (truncated, bad magic,
 * unknown version, spec digest mismatch, invalid spec...).
 */
int runfile_load(int fd, struct runfile *rf);

/** runfile_open() - open @path read-only and runfile_load() it. */
int runfile_open(const char *path, struct runfile *rf);

/** runfile_verify_payload() - hash the whole payload against the footer. */
int runfile_verify_payload(const struct runfile *rf);

/**
 * runfile_verify_early() - hash the payload prefix that holds the scheduler
 * and the includes against the spec's early digest (0 when it has none).
 */
int runfile_verify_early(const struct runfile *rf);

void runfile_close(struct runfile *rf);

#endif
