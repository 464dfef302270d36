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
#include <stdbool.h>
#include <sys/types.h>

struct workdir {
	char path[PATH_MAX];
	int fd;                 /* open directory, -1 when none */
	bool keep;              /* set before workdir_create(): a --keep name */
};

/** workdir_parent() - $TMPDIR when it is an absolute path, else /tmp. */
const char *workdir_parent(void);

/**
 * workdir_create() - mkdtemp under @parent, mode 0700, opened; named
 * ktstr-keep-<pid>-XXXXXX instead when @w->keep is set, so that the
 * operator's kept directory is never taken for a stale one.
 */
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

/**
 * run_lock_check() - -EBUSY (message naming the holder) when another
 * runfile holds the run lock, else 0; takes nothing.  Run before the host
 * checks: a running runfile's scheduler and cgroups would otherwise make
 * them fail with a less precise message.
 */
int run_lock_check(void);

/**
 * run_lock_probe() - would run_lock_acquire() succeed now?  For
 * --preflight: takes no lock and creates nothing (F_GETLK on the existing
 * file, else whether its directory is writable).
 * @host: receives what was found, for the HOST column ("free", "held by
 *        pid N", "/run: read-only mount")
 * Return: 0 when a run could take the lock; -EBUSY, with the message a run
 * prints, when another process holds it; another negative errno, with
 * message and hint, when a run could not open or create it.
 */
int run_lock_probe(char *host, size_t size);

#endif
