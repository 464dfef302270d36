// SPDX-License-Identifier: GPL-2.0-only
/* cpuset.c - CPU bitmaps and the kernel's cpu-list format. */
#include "cpuset.h"
#include "error.h"
#include "xalloc.h"

#include <errno.h>
#include <string.h>

static void ensure(struct cpuset *set, unsigned cpu)
{
	unsigned need = cpu / 64 + 1;

	if (need <= set->nwords)
		return;
	set->bits = xreallocarray(set->bits, need, sizeof(*set->bits));
	memset(set->bits + set->nwords, 0, (need - set->nwords) * sizeof(*set->bits));
	set->nwords = need;
}

void cpuset_add(struct cpuset *set, unsigned cpu)
{
	ensure(set, cpu);
	set->bits[cpu / 64] |= 1ull << (cpu % 64);
}

bool cpuset_has(const struct cpuset *set, unsigned cpu)
{
	return cpu / 64 < set->nwords && (set->bits[cpu / 64] >> (cpu % 64) & 1);
}

unsigned cpuset_count(const struct cpuset *set)
{
	unsigned n = 0;

	for (unsigned i = 0; i < set->nwords; i++)
		n += (unsigned)__builtin_popcountll(set->bits[i]);
	return n;
}

bool cpuset_equal(const struct cpuset *a, const struct cpuset *b)
{
	unsigned n = a->nwords > b->nwords ? a->nwords : b->nwords;

	for (unsigned i = 0; i < n; i++) {
		uint64_t x = i < a->nwords ? a->bits[i] : 0;
		uint64_t y = i < b->nwords ? b->bits[i] : 0;

		if (x != y)
			return false;
	}
	return true;
}

void cpuset_and(struct cpuset *a, const struct cpuset *b)
{
	for (unsigned i = 0; i < a->nwords; i++)
		a->bits[i] &= i < b->nwords ? b->bits[i] : 0;
}

int cpuset_next(const struct cpuset *set, unsigned from)
{
	for (unsigned w = from / 64; w < set->nwords; w++) {
		uint64_t bits = set->bits[w];

		if (w == from / 64)
			bits &= ~0ull << (from % 64);
		if (bits)
			return (int)(w * 64 + (unsigned)__builtin_ctzll(bits));
	}
	return -1;
}

void cpuset_copy(struct cpuset *dst, const struct cpuset *src)
{
	cpuset_release(dst);
	if (!src->nwords)
		return;
	dst->bits = xmemdup(src->bits, src->nwords * sizeof(*src->bits));
	dst->nwords = src->nwords;
}

void cpuset_release(struct cpuset *set)
{
	free(set->bits);
	set->bits = NULL;
	set->nwords = 0;
}

static int parse_cpu(const char **p, unsigned *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v >= CPUSET_MAX_CPUS)
			return -EINVAL;
		s++;
	}
	*p = s;
	*out = (unsigned)v;
	return 0;
}

int cpulist_parse(const char *text, struct cpuset *set)
{
	const char *p = text;

	cpuset_release(set);
	if (*p == '\n' && p[1] == '\0')
		return 0;
	while (*p && *p != '\n') {
		unsigned lo, hi;

		if (parse_cpu(&p, &lo) < 0)
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_cpu(&p, &hi) < 0 || hi < lo)
				goto bad;
		}
		for (unsigned c = lo; c <= hi; c++)
			cpuset_add(set, c);
		if (*p == ',') {
			p++;
			if (*p == '\0' || *p == '\n')
				goto bad;
		} else if (*p && *p != '\n') {
			goto bad;
		}
	}
	if (*p == '\n' && p[1] != '\0')
		goto bad;
	return 0;
bad:
	cpuset_release(set);
	return error_set(-EINVAL, "bad cpu list '%.64s'", text);
}

void cpuset_format(const struct cpuset *set, struct strbuf *out)
{
	bool first = true;
	int c = cpuset_next(set, 0);

	while (c >= 0) {
		int end = c;

		while (cpuset_has(set, (unsigned)end + 1))
			end++;
		strbuf_addf(out, first ? "%d" : ",%d", c);
		if (end > c)
			strbuf_addf(out, "-%d", end);
		first = false;
		c = cpuset_next(set, (unsigned)end + 1);
	}
}
