// SPDX-License-Identifier: GPL-2.0-only
/* test_pathsearch.c - packer/pathsearch.c: bare --include names in $PATH. */
#include "pathsearch.h"
#include "strbuf.h"
#include "unit.h"
#include "xalloc.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* dir/a: tool (0644, not executable), x (0755)
 * dir/b: tool (0755), tool-dir/ (a directory), x (0755)
 * dir/c: tool-dir (0755 file), link -> ../b/tool */
static void setup(void)
{
	char *lnk;

	unit_dir_setup();
	unit_write(unit_dir, "a/tool", "#!/bin/sh\n", -1, 0644);
	unit_write(unit_dir, "a/x", "a", -1, 0755);
	unit_write(unit_dir, "b/tool", "b", -1, 0755);
	unit_mkdir(unit_dir, "b/tool-dir");
	unit_write(unit_dir, "b/x", "b", -1, 0755);
	unit_write(unit_dir, "c/tool-dir", "c", -1, 0755);
	unit_write(unit_dir, "c/only-owner-x", "c", -1, 0700);
	unit_write(unit_dir, "cwd/here", "c", -1, 0755);
	lnk = xasprintf("%s/c/link", unit_dir);
	ck_assert_int_eq(symlink("../b/tool", lnk), 0);
	free(lnk);
}

/* path_search(name, "<dir>/p1:<dir>/p2...") with "%" standing for dir */
static char *search(const char *name, const char *path_fmt)
{
	struct strbuf path = STRBUF_INIT;
	char *r;

	for (const char *p = path_fmt; *p; p++)
		if (*p == '%')
			strbuf_addstr(&path, unit_dir);
		else
			strbuf_addch(&path, *p);
	r = path_search(name, strbuf_cstr(&path));
	strbuf_release(&path);
	return r;
}

static void expect(const char *name, const char *path_fmt, const char *want_rel)
{
	char *got = search(name, path_fmt);
	char *want = want_rel[0] == '.' ? xstrdup(want_rel)
					: xasprintf("%s/%s", unit_dir, want_rel);

	ck_assert_msg(got != NULL, "%s in %s: not found, expected %s", name, path_fmt, want);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}

static void expect_none(const char *name, const char *path_fmt)
{
	char *got = search(name, path_fmt);

	ck_assert_msg(got == NULL, "%s in %s: found %s, expected nothing", name, path_fmt, got);
}

START_TEST(first_match_wins)
{
	expect("x", "%/a:%/b", "a/x");
	expect("x", "%/b:%/a", "b/x");
}
END_TEST

START_TEST(non_executable_skipped)
{
	expect("tool", "%/a:%/b", "b/tool");
	expect_none("tool", "%/a");
	expect("only-owner-x", "%/c", "c/only-owner-x");   /* any execute bit */
}
END_TEST

START_TEST(directory_skipped)
{
	expect("tool-dir", "%/b:%/c", "c/tool-dir");
	expect_none("tool-dir", "%/b");
}
END_TEST

START_TEST(symlink_followed)
{
	expect("link", "%/c", "c/link");
}
END_TEST

START_TEST(empty_entry_is_cwd)
{
	char *cwd = xasprintf("%s/cwd", unit_dir);

	ck_assert_int_eq(chdir(cwd), 0);
	expect("here", ":%/a", "./here");       /* leading */
	expect("here", "%/a:", "./here");       /* trailing */
	expect("here", "%/a::%/b", "./here");   /* middle */
	expect("here", "", "./here");           /* PATH= */
	expect_none("here", "%/a:%/b");         /* no empty entry: no cwd */
	expect("x", "::%/b", "b/x");            /* cwd has no x: go on */
	free(cwd);
}
END_TEST

START_TEST(not_found)
{
	expect_none("missing", "%/a:%/b:%/c");
	expect_none("x", "/nonexistent-dir-of-ktstr-test");
	ck_assert_ptr_null(path_search("x", NULL));
	ck_assert_ptr_null(path_search("", "/bin"));
	/* a name with a slash is a path, never searched */
	ck_assert_ptr_null(search("b/x", "%"));
	ck_assert_ptr_null(search("./x", "%/a"));
}
END_TEST

UNIT_MAIN("pathsearch",
	  UNIT_TCASE("search", setup, unit_dir_teardown, 0,
		     first_match_wins, non_executable_skipped, directory_skipped, symlink_followed,
		     empty_entry_is_cwd, not_found));
