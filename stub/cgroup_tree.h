/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cgroup_tree.h - remove the cgroup trees a test leaves behind: kill what
 * still runs in them, then rmdir children before parents.
 */
#ifndef KTSTR_CGROUP_TREE_H
#define KTSTR_CGROUP_TREE_H

#include <stdbool.h>
#include <stddef.h>

/* A list of cgroup directories (absolute paths). */
struct cgroup_list {
	char **path;
	size_t n;
};

void cgroup_list_release(struct cgroup_list *l);
bool cgroup_list_has(const struct cgroup_list *l, const char *path);

/**
 * cgroup_tree_collect() - every directory of the tree at @root, children
 * before their parent (post-order), @root last.  Empty when @root does
 * not exist.  Return: 0 or a negative errno.
 */
int cgroup_tree_collect(const char *root, struct cgroup_list *out);

/**
 * cgroup_tree_remove() - kill the tasks in, and remove, every cgroup of
 * the tree at @root that is not listed in @keep (may be NULL).
 * @timeout_ms: bound on waiting for killed tasks to leave
 *
 * Return: 0, or a negative errno with a message naming the cgroup that
 * could not be removed and what still runs in it.
 */
int cgroup_tree_remove(const char *root, const struct cgroup_list *keep, unsigned timeout_ms);

#endif
