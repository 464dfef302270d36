/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unit.h - what every Check unit test shares: assertions on the project's
 * error convention (return value and message), fixture trees that the
 * tests build themselves in a private temporary directory, and main().
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

/*
 * unit_dir - the private directory of the current test, for the test cases
 * whose fixture is unit_dir_setup/unit_dir_teardown (made before each test,
 * removed with its contents after it).
 */
extern char *unit_dir;
void unit_dir_setup(void);
void unit_dir_teardown(void);

/**
 * struct unit_tcase - one Check test case of a unit_main() suite
 * @name:     its name (CK_RUN_CASE=name runs it alone)
 * @setup:    run before each test (a checked fixture), or NULL
 * @teardown: run after each test, or NULL
 * @timeout:  seconds per test, or 0 for Check's default
 * @tests:    the tests (START_TEST names), NULL-terminated
 */
struct unit_tcase {
	const char *name;
	void (*setup)(void);
	void (*teardown)(void);
	int timeout;
	const TTest *const *tests;
};

/** UNIT_TCASE() - a struct unit_tcase of the tests listed after @timeout. */
#define UNIT_TCASE(name, setup, teardown, timeout, ...)                              \
	{ (name), (setup), (teardown), (timeout),                                     \
	  (const TTest *const[]){ __VA_ARGS__, NULL } }

/**
 * unit_main() - build the suite @name of @tcases (ended by one whose name
 * is NULL), run it with Check (CK_* environment variables apply); the exit
 * status of main().
 */
int unit_main(const char *name, const struct unit_tcase *tcases);

/** UNIT_MAIN() - main() of a test program: unit_main(@suite, UNIT_TCASEs). */
#define UNIT_MAIN(suite, ...)                                                         \
	int main(void)                                                                \
	{                                                                             \
		const struct unit_tcase tcases_[] = { __VA_ARGS__, { .name = NULL } }; \
		return unit_main((suite), tcases_);                                   \
	}

#endif
