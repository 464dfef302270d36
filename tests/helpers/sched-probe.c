// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched-probe.c - packed as the scheduler in the conversion tests: notes
 * whether each file its arguments name under an include/ directory exists
 * (and keeps a copy), then becomes the fake scheduler (same argv, same pid).
 *
 * Files, in HELPER_DIR: probe.list ("<argv index> present|missing" lines),
 * probe.<argv index> (a copy of each present file).  probe.exec, when it
 * exists, holds the program to exec (default /run/bin/fake-scheduler).
 */
#include "helper.h"

#include <limits.h>
#include <sys/stat.h>

#define NEXT_DEFAULT "/run/bin/fake-scheduler"

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], next[PATH_MAX] = NEXT_DEFAULT;
	FILE *list;

	(void)argc;
	snprintf(path, sizeof(path), "%s/probe.list", HELPER_DIR_DEFAULT);
	list = fopen(path, "w");
	for (int i = 1; argv[i]; i++) {
		const char *file = strchr(argv[i], '/');
		struct stat st;

		if (!file || !strstr(file, "/include/"))
			continue;
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			snprintf(path, sizeof(path), "%s/probe.%d", HELPER_DIR_DEFAULT, i);
			copy_file(file, path);
			if (list)
				fprintf(list, "%d present\n", i);
		} else if (list) {
			fprintf(list, "%d missing\n", i);
		}
	}
	if (list)
		fclose(list);
	snprintf(path, sizeof(path), "%s/probe.exec", HELPER_DIR_DEFAULT);
	if (read_str(path, next, sizeof(next)) < 0)
		snprintf(next, sizeof(next), "%s", NEXT_DEFAULT);
	next[strcspn(next, "\n")] = '\0';
	execv(next, argv);
	fprintf(stderr, "sched-probe: cannot exec %s: %s\n", next, strerror(errno));
	return 127;
}
