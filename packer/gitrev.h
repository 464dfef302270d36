/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gitrev.h - the short commit id of a directory's git checkout, read
 * natively from .git (HEAD, loose refs, packed-refs, worktrees), without
 * running git.
 */
#ifndef KTSTR_GITREV_H
#define KTSTR_GITREV_H

#include <stddef.h>

#define GITREV_SHORT 7

/**
 * gitrev_read() - provenance of the checkout containing @dir.
 * @out: receives the first GITREV_SHORT hex digits of HEAD's commit, or
 *   "unknown" outside a repository or with no commit yet
 * Return: 0 (never fails: provenance is best effort).
 */
int gitrev_read(const char *dir, char *out, size_t size);

#endif
