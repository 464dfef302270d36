/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * workdir.h - the extraction directory and the host-wide run lock.
 *
 * A run extracts into <tmpdir>/ktstr-run-<pid>-XXXXXX (mkdtemp, 0700) and
 * removes it at the end.  A run killed with SIGKILL leaves its directory;
 * the next run removes such stale directories (owned by us, our name
 * pattern, owning pid dead), never following a link.
 */
#ifndef KTSTR_WORKDIR_H
#define KTSTR_WORKDIR_H

#include <limits.h>
#include <sys/types.h>

struct workdir {
	char path[PATH_MAX];
	int fd;                 /* open directory, -1 when none */
};

/** workdir_parent() - $TMPDIR when it is an absolute path, else /tmp. */
const char *workdir_parent(void);

/** workdir_create() - mkdtemp under @parent, mode 0700, opened. */
int workdir_create(const char *parent, struct workdir *w);

/** workdir_remove() - delete the directory and everything in it. */
int workdir_remove(struct workdir *w);

/**
 * workdir_remove_stale() - remove directories left by dead runs.
 * Return: how many were removed (errors are skipped silently: another
 * run's leftovers must never stop this one).
 */
int workdir_remove_stale(const char *parent);

/**
 * run_lock_acquire() - take the host-wide lock for the whole run.
 * Return: a file descriptor to keep open, -EBUSY with a message naming
 * the holder's pid when another run holds it, another negative errno.
 */
int run_lock_acquire(void);

#endif
