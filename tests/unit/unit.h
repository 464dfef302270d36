/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unit.h - what every Check unit test shares: assertions on the project's
 * error convention (return value and message), and fixture trees that the
 * tests build themselves in a private temporary directory.
 */
#ifndef KTSTR_UNIT_H
#define KTSTR_UNIT_H

#include <check.h>
#include <stddef.h>
#include <string.h>

#include "error.h"

/*
 * Assert that EXPR returns ERR and leaves a message containing SUBSTR: a
 * rejection must say why, not only fail.
 */
#define ck_assert_fails(expr, err, substr)                                            \
	do {                                                                          \
		error_clear();                                                        \
		int r_ = (expr);                                                      \
		ck_assert_msg(r_ == (err), "%s returned %d, expected %d (message: %s)", \
			      #expr, r_, (err), error_message());                     \
		ck_assert_msg(strstr(error_message(), (substr)) != NULL,              \
			      "%s: message '%s' does not mention '%s'", #expr,        \
			      error_message(), (substr));                             \
	} while (0)

/* Assert that EXPR returns 0; print the message when it does not. */
#define ck_assert_ok(expr)                                                            \
	do {                                                                          \
		error_clear();                                                        \
		int r_ = (expr);                                                      \
		ck_assert_msg(r_ == 0, "%s returned %d: %s", #expr, r_, error_message()); \
	} while (0)

/** unit_tmpdir() - a new private directory under $TMPDIR or /tmp. */
char *unit_tmpdir(void);

/** unit_rm_rf() - remove a fixture tree (errors ignored). */
void unit_rm_rf(const char *dir);

/**
 * unit_write() - write @len bytes (or strlen(@text) when @len is -1) to
 * @dir/@rel with @mode, creating parent directories.
 */
void unit_write(const char *dir, const char *rel, const char *text, long len, unsigned mode);

/** unit_mkdir() - mkdir -p @dir/@rel. */
void unit_mkdir(const char *dir, const char *rel);

/** unit_run() - run @s with Check; the exit status of main(). */
int unit_run(Suite *s);

#endif
