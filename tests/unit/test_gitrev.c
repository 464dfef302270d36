// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_gitrev.c - packer/gitrev.c on .git trees the test writes itself:
 * loose refs, packed-refs, detached HEAD, linked worktrees, unborn
 * branches, SHA-256 repositories, and no repository at all.
 */
#include "gitrev.h"
#include "unit.h"
#include "xalloc.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHA1_A "0123456789abcdef0123456789abcdef01234567"
#define SHA1_B "fedcba9876543210fedcba9876543210fedcba98"
#define SHA256_C "c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc"

static void expect_rev(const char *rel, const char *want)
{
	char *path = xasprintf("%s/%s", unit_dir, rel);
	char out[GITREV_SHORT + 16];

	memset(out, 'Z', sizeof(out));
	ck_assert_int_eq(gitrev_read(path, out, sizeof(out)), 0);
	ck_assert_msg(strcmp(out, want) == 0, "gitrev_read(%s) = '%s', expected '%s'", rel, out,
		      want);
	free(path);
}

START_TEST(loose_ref)
{
	unit_write(unit_dir, "repo/.git/HEAD", "ref: refs/heads/main\n", -1, 0644);
	unit_write(unit_dir, "repo/.git/refs/heads/main", SHA1_A "\n", -1, 0644);
	unit_mkdir(unit_dir, "repo/src/deep");
	expect_rev("repo", "0123456");
	expect_rev("repo/src/deep", "0123456");   /* found walking up */
}
END_TEST

START_TEST(packed_refs)
{
	unit_write(unit_dir, "repo/.git/HEAD", "ref: refs/heads/main\n", -1, 0644);
	unit_write(unit_dir, "repo/.git/packed-refs",
		   "# pack-refs with: peeled fully-peeled sorted \n"
		   SHA1_A " refs/heads/mainline\n"
		   SHA1_B " refs/heads/main\n"
		   "^" SHA1_A "\n"
		   SHA1_A " refs/tags/v1\n", -1, 0644);
	expect_rev("repo", "fedcba9");
	/* a loose ref overrides its packed copy */
	unit_write(unit_dir, "repo/.git/refs/heads/main", SHA1_A "\n", -1, 0644);
	expect_rev("repo", "0123456");
}
END_TEST

START_TEST(detached_head)
{
	unit_write(unit_dir, "repo/.git/HEAD", SHA1_B "\n", -1, 0644);
	expect_rev("repo", "fedcba9");
	unit_write(unit_dir, "repo/.git/HEAD", SHA1_B, -1, 0644);   /* no newline */
	expect_rev("repo", "fedcba9");
}
END_TEST

START_TEST(symbolic_chain)
{
	unit_write(unit_dir, "repo/.git/HEAD", "ref: refs/heads/alias\n", -1, 0644);
	unit_write(unit_dir, "repo/.git/refs/heads/alias", "ref: refs/heads/real\n", -1, 0644);
	unit_write(unit_dir, "repo/.git/refs/heads/real", SHA1_B "\n", -1, 0644);
	expect_rev("repo", "fedcba9");
	/* a loop ends as unknown, not as a hang */
	unit_write(unit_dir, "repo/.git/refs/heads/real", "ref: refs/heads/alias\n", -1, 0644);
	expect_rev("repo", "unknown");
}
END_TEST

/* main/.git holds the refs; wt/.git is a file pointing at
 * main/.git/worktrees/wt, whose commondir leads back to main/.git */
static void worktree(const char *gitdir_line)
{
	unit_write(unit_dir, "main/.git/HEAD", "ref: refs/heads/main\n", -1, 0644);
	unit_write(unit_dir, "main/.git/refs/heads/main", SHA1_A "\n", -1, 0644);
	unit_write(unit_dir, "main/.git/refs/heads/feature", SHA1_B "\n", -1, 0644);
	unit_write(unit_dir, "main/.git/worktrees/wt/HEAD", "ref: refs/heads/feature\n", -1, 0644);
	unit_write(unit_dir, "main/.git/worktrees/wt/commondir", "../..\n", -1, 0644);
	unit_write(unit_dir, "wt/.git", gitdir_line, -1, 0644);
	unit_mkdir(unit_dir, "wt/sub");
}

START_TEST(worktree_absolute_gitdir)
{
	char *line = xasprintf("gitdir: %s/main/.git/worktrees/wt\n", unit_dir);

	worktree(line);
	expect_rev("main", "0123456");
	expect_rev("wt", "fedcba9");
	expect_rev("wt/sub", "fedcba9");
	/* a detached worktree HEAD stays in the worktree's git dir */
	unit_write(unit_dir, "main/.git/worktrees/wt/HEAD", SHA1_A "\n", -1, 0644);
	expect_rev("wt", "0123456");
	free(line);
}
END_TEST

START_TEST(worktree_relative_gitdir)
{
	char *path;

	worktree("gitdir: ../main/.git/worktrees/wt\n");
	expect_rev("wt", "fedcba9");
	/* the branch is packed in the common dir */
	unit_write(unit_dir, "main/.git/packed-refs", SHA1_A " refs/heads/feature\n", -1, 0644);
	path = xasprintf("%s/main/.git/refs/heads/feature", unit_dir);
	ck_assert_int_eq(unlink(path), 0);
	free(path);
	expect_rev("wt", "0123456");
}
END_TEST

START_TEST(unborn_branch)
{
	unit_write(unit_dir, "repo/.git/HEAD", "ref: refs/heads/main\n", -1, 0644);
	unit_mkdir(unit_dir, "repo/.git/refs/heads");
	expect_rev("repo", "unknown");
	unit_write(unit_dir, "repo/.git/packed-refs", SHA1_A " refs/heads/other\n", -1, 0644);
	expect_rev("repo", "unknown");
}
END_TEST

START_TEST(no_repository)
{
	/* the fixture lives outside any checkout: check that first */
	char *up = xstrdup(unit_dir), *slash;

	for (;;) {
		char *dotgit = xasprintf("%s/.git", up);   /* up = "" is the root */

		ck_assert_msg(access(dotgit, F_OK) != 0,
			      "%s exists: set TMPDIR to a directory outside any git checkout", dotgit);
		free(dotgit);
		if (!(slash = strrchr(up, '/')))
			break;
		*slash = '\0';
	}
	free(up);
	unit_mkdir(unit_dir, "plain/dir");
	expect_rev("plain/dir", "unknown");
	expect_rev("does-not-exist", "unknown");
}
END_TEST

START_TEST(sha256_repository)
{
	unit_write(unit_dir, "repo/.git/HEAD", "ref: refs/heads/main\n", -1, 0644);
	unit_write(unit_dir, "repo/.git/refs/heads/main", SHA256_C "\n", -1, 0644);
	expect_rev("repo", "c0ffee0");
	unit_write(unit_dir, "repo/.git/HEAD", SHA256_C "\n", -1, 0644);
	expect_rev("repo", "c0ffee0");
}
END_TEST

START_TEST(garbage_is_unknown)
{
	static const char *const heads[] = {
		"", "ref:\n", "ref: \n", "0123456\n",                        /* too short */
		"0123456789ABCDEF0123456789ABCDEF01234567\n",                /* upper case */
		"0123456789abcdef0123456789abcdef0123456g\n",                /* not hex */
		"ref: ../../../../etc/hostname\n", "ref: /etc/hostname\n",  /* escapes */
		"ref: refs/heads/../../HEAD\n",
	};

	char *abs_ref;

	unit_write(unit_dir, "repo/.git/refs/heads/main", SHA1_A "\n", -1, 0644);
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		unit_write(unit_dir, "repo/.git/HEAD", heads[i], -1, 0644);
		expect_rev("repo", "unknown");
	}
	/* a ref that leaves the git dir is not followed, even to a commit id */
	unit_write(unit_dir, "repo/outside", SHA1_B "\n", -1, 0644);
	unit_write(unit_dir, "repo/.git/HEAD", "ref: ../outside\n", -1, 0644);
	expect_rev("repo", "unknown");
	unit_write(unit_dir, "repo/.git/HEAD", "ref: refs/../../outside\n", -1, 0644);
	expect_rev("repo", "unknown");
	abs_ref = xasprintf("ref: %s/repo/outside\n", unit_dir);
	unit_write(unit_dir, "repo/.git/HEAD", abs_ref, -1, 0644);
	expect_rev("repo", "unknown");
	free(abs_ref);
	/* a .git file that is not a gitdir link */
	unit_write(unit_dir, "odd/.git", "something else\n", -1, 0644);
	expect_rev("odd", "unknown");
}
END_TEST

START_TEST(small_buffer)
{
	char out[4], *path = xasprintf("%s/repo", unit_dir);

	unit_write(unit_dir, "repo/.git/HEAD", SHA1_A "\n", -1, 0644);
	ck_assert_int_eq(gitrev_read(path, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "012");
	free(path);
}
END_TEST

UNIT_MAIN("gitrev",
	  UNIT_TCASE("read", unit_dir_setup, unit_dir_teardown, 0,
		     loose_ref, packed_refs, detached_head, symbolic_chain,
		     worktree_absolute_gitdir, worktree_relative_gitdir, unborn_branch,
		     no_repository, sha256_repository, garbage_is_unknown, small_buffer));
