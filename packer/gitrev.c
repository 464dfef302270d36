// SPDX-License-Identifier: GPL-2.0-only
/* gitrev.c - read HEAD's commit id from a .git directory. */
#include "gitrev.h"
#include "macros.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define GIT_REF_DEPTH 5

/* First line of a small file, without the newline; NULL when unreadable. */
static char *read_line(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char buf[4096];
	size_t n;

	if (!f || !fgets(buf, sizeof(buf), f))
		return NULL;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return xstrdup(buf);
}

static bool is_hex_id(const char *s)
{
	size_t n = strlen(s);

	if (n != 40 && n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* The git directory for the checkout containing @dir (walking up). */
static char *find_git_dir(const char *dir)
{
	char cur[PATH_MAX];

	if (!realpath(dir, cur))
		return NULL;
	for (;;) {
		_cleanup_free_ char *dotgit = xasprintf("%s/.git", strcmp(cur, "/") ? cur : "");
		struct stat st;

		if (stat(dotgit, &st) == 0) {
			_cleanup_free_ char *line = NULL;

			if (S_ISDIR(st.st_mode))
				return xstrdup(dotgit);
			/* a worktree or submodule: "gitdir: <path>" */
			line = read_line(dotgit);
			if (!line || strncmp(line, "gitdir: ", 8) != 0)
				return NULL;
			if (line[8] == '/')
				return xstrdup(line + 8);
			return xasprintf("%s/%s", strcmp(cur, "/") ? cur : "", line + 8);
		}
		if (!strcmp(cur, "/"))
			return NULL;
		*strrchr(cur, '/') = '\0';
		if (!cur[0])
			strcpy(cur, "/");
	}
}

/* Refs live in the common dir of linked worktrees. */
static char *common_dir(const char *gitdir)
{
	_cleanup_free_ char *path = xasprintf("%s/commondir", gitdir);
	_cleanup_free_ char *line = read_line(path);

	if (!line)
		return xstrdup(gitdir);
	if (line[0] == '/')
		return xstrdup(line);
	return xasprintf("%s/%s", gitdir, line);
}

static char *packed_ref(const char *common, const char *ref)
{
	_cleanup_free_ char *path = xasprintf("%s/packed-refs", common);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[1024];

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '^' || !sp)
			continue;
		*sp = '\0';
		if (!strcmp(sp + 1, ref) && is_hex_id(line))
			return xstrdup(line);
	}
	return NULL;
}

static char *resolve(const char *gitdir, const char *common, const char *content, int depth)
{
	const char *ref;
	char *id;

	if (is_hex_id(content))
		return xstrdup(content);
	if (strncmp(content, "ref: ", 5) != 0 || depth > GIT_REF_DEPTH)
		return NULL;
	ref = content + 5;
	if (strstr(ref, "..") || ref[0] == '/')
		return NULL;
	/* per-worktree refs (HEAD-like) are in the git dir, the rest in common */
	for (int i = 0; i < 2; i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", i ? gitdir : common, ref);
		_cleanup_free_ char *line = read_line(path);

		if (line && (id = resolve(gitdir, common, line, depth + 1)))
			return id;
	}
	return packed_ref(common, ref);
}

int gitrev_read(const char *dir, char *out, size_t size)
{
	_cleanup_free_ char *gitdir = find_git_dir(dir);
	_cleanup_free_ char *common = NULL, *head_path = NULL, *head = NULL, *id = NULL;

	snprintf(out, size, "unknown");
	if (!gitdir)
		return 0;
	common = common_dir(gitdir);
	head_path = xasprintf("%s/HEAD", gitdir);
	head = read_line(head_path);
	if (!head || !(id = resolve(gitdir, common, head, 0)))
		return 0;
	snprintf(out, size, "%.*s", GITREV_SHORT, id);
	return 0;
}
