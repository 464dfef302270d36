// SPDX-License-Identifier: GPL-2.0-only
/*
 * cgroup-tree-check.c - checks the stub's native cgroup walk and removal
 * (stub/cgroup_tree.c) on a real cgroup2 hierarchy, with libcgroup's own
 * walker as an independent reference.  Run by tests/hermetic/cgroup-tree.sh
 * inside the namespace harness:
 *
 *   cgroup-tree-check /PATH/OF/A/NEW/CGROUP   (on a cgroup2 mount)
 *
 * Exit 0 when every check passes, 1 with a message otherwise.
 */
#include "cgroup_tree.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <libcgroup.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do {                                  \
	if (!(cond)) {                                         \
		fprintf(stderr, "FAIL: " __VA_ARGS__);         \
		fputc('\n', stderr);                           \
		failures++;                                    \
	}                                                      \
} while (0)

static void mk(const char *root, const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel);

	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "mkdir %s: %s\n", p, strerror(errno));
		exit(1);
	}
	free(p);
}

/* Every directory comes after all of its descendants. */
static bool post_order(const struct cgroup_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = i + 1; j < l->n; j++) {
			size_t n = strlen(l->path[j]);

			if (!strncmp(l->path[i], l->path[j], n) && l->path[i][n] == '\0')
				continue;
			/* path[j] must not be an ancestor... of an earlier entry: fine;
			 * path[i] must not be an ancestor of a later one */
			n = strlen(l->path[i]);
			if (!strncmp(l->path[j], l->path[i], n) && l->path[j][n] == '/')
				return false;
		}
	return true;
}

static bool same_set(const struct cgroup_list *a, const struct cgroup_list *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!cgroup_list_has(b, a->path[i]))
			return false;
	return true;
}

/*
 * libcgroup's post-order walk of @root, or -1 when it cannot run here
 * (it needs a controller mounted at a prefix of @root).
 */
static int libcgroup_walk(const char *root, struct cgroup_list *out)
{
	struct cgroup_mount_point mp;
	struct cgroup_file_info info;
	char controller[FILENAME_MAX] = "";
	size_t mlen = 0;
	void *h = NULL;
	int level, r;

	memset(out, 0, sizeof(*out));
	if (cgroup_init() != 0)
		return -1;
	for (r = cgroup_get_controller_begin(&h, &mp); r == 0;
	     r = cgroup_get_controller_next(&h, &mp)) {
		size_t n = strlen(mp.path);

		if (!controller[0] && !strncmp(root, mp.path, n) && root[n] == '/') {
			snprintf(controller, sizeof(controller), "%s", mp.name);
			mlen = n;
		}
	}
	cgroup_get_controller_end(&h);
	if (!controller[0])
		return -1;
	h = NULL;
	if (cgroup_walk_tree_begin(controller, root + mlen, 0, &h, &info, &level) != 0)
		return -1;
	cgroup_walk_tree_set_flags(&h, CGROUP_WALK_TYPE_POST_DIR);
	/* begin() returns the root before the walk; the walk returns it again last */
	while (cgroup_walk_tree_next(0, &h, &info, level) == 0) {
		char *p = xstrdup(info.full_path);
		size_t n = strlen(p);

		if (info.type != CGROUP_FILE_TYPE_DIR) {
			free(p);
			continue;
		}
		if (n > 1 && p[n - 1] == '/')
			p[n - 1] = '\0';
		out->path = xreallocarray(out->path, out->n + 1, sizeof(*out->path));
		out->path[out->n++] = p;
	}
	cgroup_walk_tree_end(&h);
	return 0;
}

static pid_t busy_in(const char *cg)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *procs = xasprintf("%s/cgroup.procs", cg);
		FILE *f = fopen(procs, "w");

		if (!f || fprintf(f, "0\n") < 0 || fclose(f) != 0)
			_exit(2);
		for (;;)
			pause();
	}
	usleep(100000);
	return pid;
}

int main(int argc, char **argv)
{
	struct cgroup_list native, ref, keep = { NULL, 0 };
	const char *root;
	char *x;
	pid_t pid;
	int st, r;

	if (argc != 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: cgroup-tree-check /PATH/OF/A/NEW/CGROUP\n");
		return 2;
	}
	root = argv[1];
	mk(root, "");
	mk(root, "a");
	mk(root, "a/a1");
	mk(root, "a/a2");
	mk(root, "a/a2/x");
	mk(root, "b");
	mk(root, "c");

	/* 1. the native walk: all 7 directories, children before parents */
	r = cgroup_tree_collect(root, &native);
	CHECK(r == 0, "cgroup_tree_collect: %s", error_message());
	CHECK(native.n == 7, "native walk found %zu directories, expected 7", native.n);
	CHECK(post_order(&native), "native walk is not post-order");
	CHECK(native.n && !strcmp(native.path[native.n - 1], root), "root is not last");

	/* 2. libcgroup agrees on the set, where it can run on this hierarchy */
	if (libcgroup_walk(root, &ref) == 0) {
		CHECK(same_set(&native, &ref), "libcgroup walked %zu directories, native %zu",
		      ref.n, native.n);
		CHECK(post_order(&ref), "libcgroup's walk is not post-order");
		printf("libcgroup reference walk: %zu directories, same set\n", ref.n);
		cgroup_list_release(&ref);
	} else {
		printf("libcgroup cannot walk %s (no controller mounted above it): "
		       "reference check skipped\n", root);
	}
	cgroup_list_release(&native);

	/* 3. removal kills a task left deep in the tree, then removes all of it */
	x = xasprintf("%s/a/a2/x", root);
	pid = busy_in(x);
	r = cgroup_tree_remove(root, NULL, 5000);
	CHECK(r == 0, "cgroup_tree_remove: %s", error_message());
	CHECK(access(root, F_OK) < 0, "%s still exists", root);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	      "the busy task was not killed with SIGKILL");
	free(x);

	/* 4. a keep list: pre-existing cgroups stay, the run's new ones go */
	mk(root, "");
	mk(root, "old");
	mk(root, "old/new");
	mk(root, "new2");
	keep.path = xcalloc(2, sizeof(*keep.path));
	keep.path[0] = xstrdup(root);
	keep.path[1] = xasprintf("%s/old", root);
	keep.n = 2;
	x = xasprintf("%s/new2", root);
	pid = busy_in(x);
	r = cgroup_tree_remove(root, &keep, 5000);
	CHECK(r == 0, "cgroup_tree_remove with keep: %s", error_message());
	CHECK(access(keep.path[1], F_OK) == 0, "kept cgroup %s was removed", keep.path[1]);
	CHECK(access(x, F_OK) < 0, "%s (new) was not removed", x);
	free(x);
	x = xasprintf("%s/old/new", root);
	CHECK(access(x, F_OK) < 0, "%s (new under a kept parent) was not removed", x);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st), "task in new2 not killed");
	free(x);
	cgroup_list_release(&keep);
	x = xasprintf("%s/old", root);
	rmdir(x);
	free(x);
	rmdir(root);

	/* 5. a missing tree is not an error */
	CHECK(cgroup_tree_remove(root, NULL, 100) == 0, "removing a missing tree failed");

	if (failures)
		return 1;
	printf("cgroup-tree-check: all checks passed\n");
	return 0;
}
