/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xalloc.h - allocation that cannot fail: out of memory ends the program
 * with a message (as git's xmalloc).  Every size here is bounded by input
 * validation first, so running out means the host is in trouble.
 */
#ifndef KTSTR_XALLOC_H
#define KTSTR_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: *p grown to nmemb elements of size, overflow checked */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
