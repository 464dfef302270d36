// SPDX-License-Identifier: GPL-2.0-only
/*
 * topology.c - native sysfs topology parser.
 *
 * The bash preamble forked a cat per CPU and looked only at CPU 0's LLC.
 * Here every online CPU is covered, but each sharing set is read once: a
 * CPU already seen in an LLC (or core) set shares that set, because the
 * kernel's cacheinfo and topology lists are symmetric.  So the cost grows
 * with the number of LLCs and cores, not with reads per CPU per cache.
 */
#include "topology.h"
#include "error.h"
#include "macros.h"
#include "sysfs.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#define LIST_MAX 65536   /* a cpu list of 64K CPUs in the worst layout */

static int read_cpulist(int dirfd, const char *path, struct cpuset *set)
{
	_cleanup_free_ char *buf = xmalloc(LIST_MAX);
	int r = sysfs_read(dirfd, path, buf, LIST_MAX);

	if (r < 0)
		return r;
	if ((r = cpulist_parse(buf, set)) < 0)
		return error_prefix(r, "%s", path);
	return 0;
}

static bool name_index(const char *name, const char *prefix, unsigned *out)
{
	size_t n = strlen(prefix);
	unsigned long v = 0;

	if (strncmp(name, prefix, n) != 0 || name[n] < '0' || name[n] > '9')
		return false;
	for (const char *p = name + n; *p; p++) {
		if (*p < '0' || *p > '9' || v > 1000000)
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*out = (unsigned)v;
	return true;
}

/* Sharing set of @cpu's highest-level unified or data cache. */
static int read_llc(int rootfd, unsigned cpu, struct cpuset *set, unsigned *level_out)
{
	char path[320], best[256] = "";
	unsigned best_level = 0;
	_cleanup_close_ int fd = -1;
	DIR *d;
	struct dirent *de;
	int r;

	snprintf(path, sizeof(path), "cpu/cpu%u/cache", cpu);
	fd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return error_set(errno == ENOENT ? -ENOENT : -errno,
				 "no cache information in sysfs for cpu%u (%s: %s): cannot count "
				 "LLCs", cpu, path, strerror(errno));
	d = fdopendir(take_fd(&fd));
	if (!d)
		return error_set_errno(-errno, "cannot list %s", path);
	while ((errno = 0, de = readdir(d))) {
		char sub[320], type[32];
		unsigned idx, level;

		if (!name_index(de->d_name, "index", &idx))
			continue;
		snprintf(sub, sizeof(sub), "%s/type", de->d_name);
		if ((r = sysfs_read(dirfd(d), sub, type, sizeof(type))) < 0)
			goto out;
		if (strcmp(type, "Unified") != 0 && strcmp(type, "Data") != 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/level", de->d_name);
		if ((r = sysfs_read_uint(dirfd(d), sub, &level)) < 0)
			goto out;
		if (level > best_level || (level == best_level && strcmp(type, "Unified") == 0)) {
			best_level = level;
			snprintf(best, sizeof(best), "%s", de->d_name);
		}
	}
	if (!best[0]) {
		r = error_set(-ENOENT, "no cache information in sysfs for cpu%u (%s has no unified "
			      "or data cache): cannot count LLCs", cpu, path);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/shared_cpu_list", best);
	r = read_cpulist(dirfd(d), path, set);
	if (r < 0)
		error_prefix(r, "cpu%u cache", cpu);
	*level_out = best_level;
out:
	closedir(d);
	return r;
}

static int read_core(int rootfd, unsigned cpu, struct cpuset *set)
{
	char path[96];
	int r;

	snprintf(path, sizeof(path), "cpu/cpu%u/topology/thread_siblings_list", cpu);
	r = read_cpulist(rootfd, path, set);
	if (r < 0)
		return error_prefix(r, "cannot read the core of cpu%u", cpu);
	return 0;
}

/*
 * Group the online CPUs by a sharing set read from one member of each
 * group; fails when a CPU is missing from its own set.
 */
static int group_cpus(int rootfd, const struct cpuset *online,
		      int (*read_set)(int, unsigned, struct cpuset *, unsigned *),
		      struct cpuset **groups, unsigned **levels, unsigned *ngroups, const char *what)
{
	struct cpuset seen = CPUSET_INIT;
	int r = 0;

	cpuset_for_each(cpu, online) {
		struct cpuset set = CPUSET_INIT;
		unsigned level = 0;

		if (cpuset_has(&seen, (unsigned)cpu))
			continue;
		if ((r = read_set(rootfd, (unsigned)cpu, &set, &level)) < 0)
			break;
		if (!cpuset_has(&set, (unsigned)cpu)) {
			cpuset_release(&set);
			r = error_set(-EINVAL, "cpu%d is not in its own %s sharing list", cpu, what);
			break;
		}
		cpuset_and(&set, online);
		cpuset_for_each(m, &set)
			cpuset_add(&seen, (unsigned)m);
		*groups = xreallocarray(*groups, *ngroups + 1, sizeof(**groups));
		(*groups)[*ngroups] = set;
		if (levels) {
			*levels = xreallocarray(*levels, *ngroups + 1, sizeof(**levels));
			(*levels)[*ngroups] = level;
		}
		(*ngroups)++;
	}
	cpuset_release(&seen);
	return r;
}

static int read_core_adapter(int rootfd, unsigned cpu, struct cpuset *set, unsigned *unused)
{
	return read_core(rootfd, cpu, set);
}

static int read_nodes(int rootfd, struct topology *t)
{
	_cleanup_close_ int fd = openat(rootfd, "node", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (fd < 0) {
		if (errno != ENOENT)
			return error_set_errno(-errno, "cannot open node/");
		/* no NUMA support in the kernel: one node holds everything */
		t->node = xcalloc(1, sizeof(*t->node));
		t->node_id = xcalloc(1, sizeof(*t->node_id));
		cpuset_copy(&t->node[0], &t->online);
		t->nnodes = 1;
		return 0;
	}
	d = fdopendir(take_fd(&fd));
	if (!d)
		return error_set_errno(-errno, "cannot list node/");
	while ((errno = 0, de = readdir(d))) {
		struct cpuset set = CPUSET_INIT;
		char path[320];
		unsigned id;

		if (!name_index(de->d_name, "node", &id))
			continue;
		snprintf(path, sizeof(path), "%s/cpulist", de->d_name);
		if ((r = read_cpulist(dirfd(d), path, &set)) < 0)
			break;
		cpuset_and(&set, &t->online);
		if (!cpuset_count(&set)) {   /* memory-only node */
			cpuset_release(&set);
			continue;
		}
		t->node = xreallocarray(t->node, t->nnodes + 1, sizeof(*t->node));
		t->node_id = xreallocarray(t->node_id, t->nnodes + 1, sizeof(*t->node_id));
		t->node[t->nnodes] = set;
		t->node_id[t->nnodes++] = id;
	}
	closedir(d);
	if (r == 0 && t->nnodes == 0) {
		t->node = xcalloc(1, sizeof(*t->node));
		t->node_id = xcalloc(1, sizeof(*t->node_id));
		cpuset_copy(&t->node[0], &t->online);
		t->nnodes = 1;
	}
	/* readdir order is arbitrary: sort nodes by id for stable output */
	for (unsigned i = 1; i < t->nnodes; i++)
		for (unsigned j = i; j > 0 && t->node_id[j - 1] > t->node_id[j]; j--) {
			struct cpuset s = t->node[j];
			unsigned id = t->node_id[j];

			t->node[j] = t->node[j - 1];
			t->node_id[j] = t->node_id[j - 1];
			t->node[j - 1] = s;
			t->node_id[j - 1] = id;
		}
	return r;
}

static unsigned min_members_per_group(const struct cpuset *outer, unsigned nouter,
				      const struct cpuset *inner, unsigned ninner)
{
	unsigned best = ~0u;

	for (unsigned i = 0; i < nouter; i++) {
		unsigned n = 0;

		for (unsigned j = 0; j < ninner; j++) {
			int first = cpuset_next(&inner[j], 0);

			if (first >= 0 && cpuset_has(&outer[i], (unsigned)first))
				n++;
		}
		if (n < best)
			best = n;
	}
	return best == ~0u ? 0 : best;
}

int topology_read(const char *root, struct topology *t)
{
	_cleanup_close_ int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	memset(t, 0, sizeof(*t));
	if (rootfd < 0)
		return error_set_errno(-errno, "cannot open %s", root);
	if ((r = read_cpulist(rootfd, "cpu/online", &t->online)) < 0)
		goto fail;
	if (!cpuset_count(&t->online)) {
		r = error_set(-EINVAL, "%s/cpu/online lists no CPU", root);
		goto fail;
	}
	if ((r = group_cpus(rootfd, &t->online, read_llc, &t->llc, &t->llc_level, &t->nllcs,
			    "cache")) < 0)
		goto fail;
	if ((r = group_cpus(rootfd, &t->online, read_core_adapter, &t->core, NULL, &t->ncores,
			    "thread sibling")) < 0)
		goto fail;
	if ((r = read_nodes(rootfd, t)) < 0)
		goto fail;

	t->cores_per_llc = min_members_per_group(t->llc, t->nllcs, t->core, t->ncores);
	t->threads_per_core = ~0u;
	for (unsigned i = 0; i < t->ncores; i++) {
		unsigned n = cpuset_count(&t->core[i]);

		if (n < t->threads_per_core)
			t->threads_per_core = n;
	}
	return 0;
fail:
	error_prefix(r, "topology");
	topology_release(t);
	return r;
}

void topology_release(struct topology *t)
{
	for (unsigned i = 0; i < t->nllcs; i++)
		cpuset_release(&t->llc[i]);
	for (unsigned i = 0; i < t->ncores; i++)
		cpuset_release(&t->core[i]);
	for (unsigned i = 0; i < t->nnodes; i++)
		cpuset_release(&t->node[i]);
	free(t->llc);
	free(t->llc_level);
	free(t->core);
	free(t->node);
	free(t->node_id);
	cpuset_release(&t->online);
	memset(t, 0, sizeof(*t));
}

void topology_describe(const struct topology *t, struct strbuf *out)
{
	strbuf_addf(out, "%u CPUs online (", cpuset_count(&t->online));
	cpuset_format(&t->online, out);
	strbuf_addf(out, "), %u LLCs (", t->nllcs);
	for (unsigned i = 0; i < t->nllcs; i++) {
		strbuf_addf(out, "%sL%u: ", i ? " | " : "", t->llc_level[i]);
		cpuset_format(&t->llc[i], out);
	}
	strbuf_addf(out, "), %u cores, %u NUMA nodes (", t->ncores, t->nnodes);
	for (unsigned i = 0; i < t->nnodes; i++) {
		strbuf_addf(out, "%snode%u: ", i ? " | " : "", t->node_id[i]);
		cpuset_format(&t->node[i], out);
	}
	strbuf_addf(out, "), min %u cores per LLC, min %u threads per core",
		    t->cores_per_llc, t->threads_per_core);
}

int topology_compare(const struct topology *t, const struct spec *s,
		     struct topology_need dims[TOPOLOGY_DIMENSIONS])
{
	int short_ = 0;

	dims[0] = (struct topology_need){ "LLCs", t->nllcs, s->llcs };
	dims[1] = (struct topology_need){ "NUMA nodes", t->nnodes, s->numa_nodes };
	dims[2] = (struct topology_need){ "cores per LLC", t->cores_per_llc, s->cores_per_llc };
	dims[3] = (struct topology_need){ "threads per core", t->threads_per_core,
					  s->threads_per_core };
	for (int i = 0; i < TOPOLOGY_DIMENSIONS; i++)
		short_ += dims[i].host < dims[i].need;
	return short_;
}
