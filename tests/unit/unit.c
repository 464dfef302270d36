// SPDX-License-Identifier: GPL-2.0-only
/* unit.c - fixture helpers and main() of the Check unit tests (see unit.h). */
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/ktstr-unit-XXXXXX", base && base[0] ? base : "/tmp");

	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir, strerror(errno));
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void unit_rm_rf(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void unit_mkdir(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);

	for (char *p = path + strlen(dir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path,
		      strerror(errno));
	free(path);
}

void unit_write(const char *dir, const char *rel, const char *text, long len, unsigned mode)
{
	char *path = xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	size_t n = len < 0 ? strlen(text) : (size_t)len;
	int fd;

	*slash = '\0';
	if (strlen(path) > strlen(dir))
		unit_mkdir(dir, path + strlen(dir) + 1);
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_msg(fd >= 0, "create %s: %s", path, strerror(errno));
	ck_assert_msg(write(fd, text, n) == (ssize_t)n, "write %s", path);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	free(path);
}

char *unit_dir;

void unit_dir_setup(void)
{
	unit_dir = unit_tmpdir();
}

void unit_dir_teardown(void)
{
	unit_rm_rf(unit_dir);
	free(unit_dir);
	unit_dir = NULL;
}

int unit_main(const char *name, const struct unit_tcase *tcases)
{
	Suite *s = suite_create(name);
	SRunner *sr;
	int failed;

	for (const struct unit_tcase *t = tcases; t->name; t++) {
		TCase *tc = tcase_create(t->name);

		if (t->timeout > 0)
			tcase_set_timeout(tc, t->timeout);
		if (t->setup || t->teardown)
			tcase_add_checked_fixture(tc, t->setup, t->teardown);
		for (const TTest *const *test = t->tests; *test; test++)
			tcase_add_test(tc, *test);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
