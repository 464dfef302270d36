/* SPDX-License-Identifier: GPL-2.0-only */
/* pathsearch.h - find an include given by bare name in $PATH. */
#ifndef KTSTR_PATHSEARCH_H
#define KTSTR_PATHSEARCH_H

/**
 * path_search() - the first "<dir>/<name>" of @path_var (colon-separated,
 * an empty entry meaning the current directory) that is a regular file
 * with an execute bit.  Return: a new string, or NULL.
 */
char *path_search(const char *name, const char *path_var);

#endif
