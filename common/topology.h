/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * topology.h - the host's CPU topology, parsed natively from sysfs
 * (/sys/devices/system/{cpu,node}) over online CPUs.
 */
#ifndef KTSTR_TOPOLOGY_H
#define KTSTR_TOPOLOGY_H

#include "cpuset.h"
#include "spec.h"
#include "strbuf.h"

struct topology {
	struct cpuset online;
	unsigned nllcs;
	struct cpuset *llc;         /* distinct LLC sharing sets */
	unsigned *llc_level;        /* cache level of each */
	unsigned ncores;
	struct cpuset *core;        /* distinct cores (SMT sibling sets) */
	unsigned cores_per_llc;     /* minimum over LLCs */
	unsigned threads_per_core;  /* minimum over cores */
	unsigned nnodes;
	struct cpuset *node;        /* NUMA nodes that have online CPUs */
	unsigned *node_id;
};

/**
 * topology_read() - parse the topology under @root.
 * @root: the directory holding cpu/ and node/, "/sys/devices/system" on a
 *   real host (tests pass synthetic trees)
 *
 * LLCs are the distinct sharing sets of each CPU's highest-level unified
 * (or data) cache; cores are the distinct thread-sibling sets; NUMA nodes
 * are node/nodeN with at least one online CPU (1 when node/ is absent).
 * Return: 0 or a negative errno with a message (no cache information, a
 * malformed list...).
 */
int topology_read(const char *root, struct topology *t);
void topology_release(struct topology *t);

/** topology_describe() - "8 CPUs, 2 LLCs (L3: 0-3 | 4-7), ..." */
void topology_describe(const struct topology *t, struct strbuf *out);

/* One topology dimension: what the host has against what the test needs. */
struct topology_need {
	const char *what;        /* "LLCs", "cores per LLC", ... */
	unsigned host;
	unsigned need;
};

#define TOPOLOGY_DIMENSIONS 4

/**
 * topology_compare() - fill @dims with the four dimensions of the spec.
 * Return: how many of them fall short.
 */
int topology_compare(const struct topology *t, const struct spec *s,
		     struct topology_need dims[TOPOLOGY_DIMENSIONS]);

#endif
