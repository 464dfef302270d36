// SPDX-License-Identifier: GPL-2.0-only
/*
 * cgroup_tree.c - depth-first removal of a test's cgroup tree.
 *
 * Native, not libcgroup.  libcgroup 2.0 (Debian 12) was tried for each part
 * and does not do it right on cgroup v2:
 *  - cgroup_delete_cgroup_ext() moves a cgroup's tasks into its parent
 *    before the rmdir; a test's leftover workers must die, not escape into
 *    the parent, so we write cgroup.kill (Linux 5.14+) or SIGKILL the pids
 *    of cgroup.procs, and wait on cgroup.events ("populated 0");
 *  - its tree walk builds paths per controller: it fails on a v2 root that
 *    exposes no enabled controller, and crashes when given none (NULL in
 *    cg_build_path_locked); cgroup_create_cgroup() failed the same way;
 *  - linked -static it adds 210 KB (its config parser pulls getpwnam and
 *    glibc's NSS resolver, which a static binary would load from the
 *    host at run time), taking the stub past its 1.5 MiB budget.
 * The tests use libcgroup's walker as an independent check of this one
 * (tests/hermetic/cgroup-tree.sh with tests/helpers/cgroup-tree-check.c).
 * Paths are opened with O_NOFOLLOW | O_DIRECTORY: no link is followed.
 */
#include "cgroup_tree.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"
#include "strbuf.h"
#include "sysfs.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WALK_DEPTH_MAX 64
#define KILL_POLL_MS 2

void cgroup_list_release(struct cgroup_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->path[i]);
	free(l->path);
	l->path = NULL;
	l->n = 0;
}

bool cgroup_list_has(const struct cgroup_list *l, const char *path)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->path[i], path) == 0)
			return true;
	return false;
}

static void list_add(struct cgroup_list *l, const char *path)
{
	l->path = xreallocarray(l->path, l->n + 1, sizeof(*l->path));
	l->path[l->n++] = xstrdup(path);
}

/* ---- native walk ---------------------------------------------------------- */

static int walk_native(int parentfd, const char *name, const char *path, int depth,
		       struct cgroup_list *out)
{
	_cleanup_close_ int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : error_set_errno(-errno, "cannot open %s", path);
	if (depth > WALK_DEPTH_MAX)
		return error_set(-ELOOP, "%s is nested too deep", path);
	d = fdopendir(take_fd(&fd));
	if (!d)
		return error_set_errno(-errno, "cannot list %s", path);
	while ((errno = 0, de = readdir(d))) {
		_cleanup_free_ char *child = NULL;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		child = xasprintf("%s/%s", path, de->d_name);
		if ((r = walk_native(dirfd(d), de->d_name, child, depth + 1, out)) < 0)
			break;
	}
	closedir(d);
	if (r == 0)
		list_add(out, path);
	return r;
}

static int collect_native(const char *root, struct cgroup_list *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = walk_native(AT_FDCWD, root, root, 0, out);
	if (r < 0)
		cgroup_list_release(out);
	return r;
}

int cgroup_tree_collect(const char *root, struct cgroup_list *out)
{
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (lstat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	return collect_native(root, out);
}

/* ---- kill, wait, rmdir ----------------------------------------------------- */

static bool populated(const char *dir)
{
	_cleanup_free_ char *path = xasprintf("%s/cgroup.events", dir);
	char buf[256];

	if (sysfs_read(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return false;   /* gone, or not a cgroup */
	return strstr(buf, "populated 1") != NULL;
}

/* SIGKILL every task of @dir; cgroup.kill does it atomically (5.14+). */
static void kill_tasks(const char *dir)
{
	_cleanup_free_ char *kill_file = xasprintf("%s/cgroup.kill", dir);
	_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", dir);
	char buf[4096];

	if (sysfs_write(AT_FDCWD, kill_file, "1") == 0)
		return;
	if (sysfs_read(AT_FDCWD, procs, buf, sizeof(buf)) < 0)
		return;
	for (char *p = buf, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
		while (*end == '\n')
			end++;
	}
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int describe_busy(const char *dir)
{
	_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", dir);
	char buf[256] = "";

	sysfs_read(AT_FDCWD, procs, buf, sizeof(buf));
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return error_set(-EBUSY, "cannot remove cgroup %s: it still has tasks (pids: %s)", dir,
			 buf[0] ? buf : "in child cgroups");
}

int cgroup_tree_remove(const char *root, const struct cgroup_list *keep, unsigned timeout_ms)
{
	struct cgroup_list dirs;
	int r;

	if ((r = cgroup_tree_collect(root, &dirs)) < 0)
		return r;
	for (unsigned waited = 0;; waited += KILL_POLL_MS) {
		bool busy = false;

		/* parents last: killing a parent reaches its whole subtree */
		for (size_t i = 0; i < dirs.n; i++) {
			if (cgroup_list_has(keep, dirs.path[i]) || !populated(dirs.path[i]))
				continue;
			kill_tasks(dirs.path[i]);
			busy = true;
		}
		if (!busy)
			break;
		if (waited >= timeout_ms) {
			for (size_t i = 0; i < dirs.n; i++)
				if (!cgroup_list_has(keep, dirs.path[i]) && populated(dirs.path[i])) {
					r = describe_busy(dirs.path[i]);
					break;
				}
			cgroup_list_release(&dirs);
			return r;
		}
		sleep_ms(KILL_POLL_MS);
	}
	for (size_t i = 0; i < dirs.n; i++) {
		unsigned waited = 0;
		int rr;

		if (cgroup_list_has(keep, dirs.path[i]))
			continue;
		/* a cgroup whose last task is still exiting reports EBUSY briefly */
		while ((rr = rmdir(dirs.path[i])) < 0 && errno == EBUSY && waited < timeout_ms) {
			sleep_ms(KILL_POLL_MS);
			waited += KILL_POLL_MS;
		}
		if (rr < 0 && errno != ENOENT) {
			r = errno == EBUSY ? describe_busy(dirs.path[i])
					   : error_set_errno(-errno, "cannot remove cgroup %s", dirs.path[i]);
			break;
		}
	}
	cgroup_list_release(&dirs);
	return r;
}
