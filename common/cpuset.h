/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpuset.h - CPU sets as bitmaps, parsed from and printed as the kernel's
 * cpu-list format ("0-3,8,10-11").
 */
#ifndef KTSTR_CPUSET_H
#define KTSTR_CPUSET_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

#define CPUSET_MAX_CPUS 65536u

struct cpuset {
	uint64_t *bits;
	unsigned nwords;
};

#define CPUSET_INIT { NULL, 0 }

/**
 * cpulist_parse() - parse a kernel cpu list into @set (cleared first).
 * Accepts "", "5", "0-3,8-11" and a trailing newline; ranges must be
 * ascending and below CPUSET_MAX_CPUS.  Return: 0 or -EINVAL.
 */
int cpulist_parse(const char *text, struct cpuset *set);

void cpuset_add(struct cpuset *set, unsigned cpu);
bool cpuset_has(const struct cpuset *set, unsigned cpu);
unsigned cpuset_count(const struct cpuset *set);
bool cpuset_equal(const struct cpuset *a, const struct cpuset *b);
/* a &= b */
void cpuset_and(struct cpuset *a, const struct cpuset *b);
/* next member >= from, or -1 */
int cpuset_next(const struct cpuset *set, unsigned from);
void cpuset_copy(struct cpuset *dst, const struct cpuset *src);
void cpuset_format(const struct cpuset *set, struct strbuf *out);
void cpuset_release(struct cpuset *set);

#define cpuset_for_each(cpu, set) \
	for (int cpu = cpuset_next((set), 0); cpu >= 0; cpu = cpuset_next((set), (unsigned)cpu + 1))

#endif
