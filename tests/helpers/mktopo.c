// SPDX-License-Identifier: GPL-2.0-only
/*
 * mktopo.c - write a synthetic /sys/devices/system tree (cpu/ and node/)
 * the way the kernel lays it out, for the topology tests and the hermetic
 * harness.  CPUs are numbered LLC by LLC, core by core, thread by thread;
 * each NUMA node is one package.
 *
 *   mktopo DIR [--nodes N] [--llcs N | --llc-cores C1,C2,...] [--cores N]
 *              [--threads N] [--offline LIST] [--no-cache] [--no-node]
 *              [--l3-type Unified|Data|Instruction]
 *
 * --llcs is the total number of LLCs (spread evenly over the nodes), each
 * with --cores cores; --llc-cores gives the cores of every LLC instead
 * (unequal LLCs).  Offline CPUs keep cpuN/online = 0 and lose their cache/
 * and topology/ directories, as on a real kernel.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CPUS 8192
#define MAX_LLCS 1024

static const char *root;
static unsigned ncpus;
static unsigned cpu_llc[MAX_CPUS], cpu_core[MAX_CPUS], cpu_node[MAX_CPUS];
static bool offline[MAX_CPUS];

static void __attribute__((noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mktopo: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void mkdirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				die("mkdir %s: %s", buf, strerror(errno));
			*p = '/';
		}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		die("mkdir %s: %s", buf, strerror(errno));
}

static void __attribute__((format(printf, 2, 3))) put(const char *text, const char *fmt, ...)
{
	char path[4096], dir[4096];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0)
		die("write %s: %s", path, strerror(errno));
}

/* The cpu list of online CPUs matching @pred(cpu, arg). */
static void list(char *out, size_t size, bool (*pred)(unsigned, unsigned), unsigned arg,
		 bool online_only)
{
	size_t n = 0;

	out[0] = '\0';
	for (unsigned c = 0; c < ncpus; c++) {
		unsigned e = c;

		if (!pred(c, arg) || (online_only && offline[c]))
			continue;
		while (e + 1 < ncpus && pred(e + 1, arg) && !(online_only && offline[e + 1]))
			e++;
		n += (size_t)snprintf(out + n, size - n, "%s%u", n ? "," : "", c);
		if (e > c)
			n += (size_t)snprintf(out + n, size - n, "-%u", e);
		c = e;
	}
}

static bool all(unsigned c, unsigned a) { (void)c; (void)a; return true; }
static bool is_online(unsigned c, unsigned a) { (void)a; return !offline[c]; }
static bool in_llc(unsigned c, unsigned l) { return cpu_llc[c] == l; }
static bool in_core(unsigned c, unsigned k) { return cpu_core[c] == k; }
static bool in_node(unsigned c, unsigned n) { return cpu_node[c] == n; }

static void parse_list(const char *s, bool *set)
{
	char *end;

	while (*s) {
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			die("bad cpu list '%s'", s);
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		if (hi >= MAX_CPUS)
			die("cpu %lu too large", hi);
		for (unsigned long c = lo; c <= hi; c++)
			set[c] = true;
		s = *end == ',' ? end + 1 : end;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nodes", required_argument, NULL, 'n' },
		{ "llcs", required_argument, NULL, 'l' },
		{ "llc-cores", required_argument, NULL, 'L' },
		{ "cores", required_argument, NULL, 'c' },
		{ "threads", required_argument, NULL, 't' },
		{ "offline", required_argument, NULL, 'o' },
		{ "no-cache", no_argument, NULL, 'C' },
		{ "no-node", no_argument, NULL, 'N' },
		{ "l3-type", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned nodes = 1, nllcs = 1, cores = 1, threads = 1, llc_cores[MAX_LLCS], ncores = 0;
	const char *llc_cores_arg = NULL, *offline_arg = NULL, *l3_type = "Unified";
	bool no_cache = false, no_node = false;
	char buf[65536], buf2[65536];
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': nodes = (unsigned)atoi(optarg); break;
		case 'l': nllcs = (unsigned)atoi(optarg); break;
		case 'L': llc_cores_arg = optarg; break;
		case 'c': cores = (unsigned)atoi(optarg); break;
		case 't': threads = (unsigned)atoi(optarg); break;
		case 'o': offline_arg = optarg; break;
		case 'C': no_cache = true; break;
		case 'N': no_node = true; break;
		case 'T': l3_type = optarg; break;
		default: die("usage: mktopo DIR [options] (see the source)");
		}
	}
	if (optind + 1 != argc)
		die("usage: mktopo DIR [options]");
	root = argv[optind];
	if (llc_cores_arg) {
		nllcs = 0;
		for (const char *p = llc_cores_arg; *p; ) {
			char *end;

			llc_cores[nllcs++] = (unsigned)strtoul(p, &end, 10);
			p = *end == ',' ? end + 1 : end;
		}
	} else {
		for (unsigned i = 0; i < nllcs; i++)
			llc_cores[i] = cores;
	}
	if (!nodes || !nllcs || nllcs % nodes || !threads || nllcs > MAX_LLCS)
		die("need nodes >= 1, llcs a multiple of nodes, threads >= 1");
	for (unsigned l = 0; l < nllcs; l++)
		for (unsigned k = 0; k < llc_cores[l]; k++, ncores++)
			for (unsigned t = 0; t < threads; t++) {
				if (ncpus >= MAX_CPUS)
					die("too many CPUs");
				cpu_llc[ncpus] = l;
				cpu_core[ncpus] = ncores;
				cpu_node[ncpus] = l / (nllcs / nodes);
				ncpus++;
			}
	if (offline_arg)
		parse_list(offline_arg, offline);

	list(buf, sizeof(buf), all, 0, false);
	put(buf, "%s/cpu/possible", root);
	put(buf, "%s/cpu/present", root);
	list(buf, sizeof(buf), is_online, 0, true);
	put(buf, "%s/cpu/online", root);
	for (unsigned cpu = 0; cpu < ncpus; cpu++) {
		unsigned core = cpu_core[cpu], node = cpu_node[cpu];
		unsigned first_core_of_node = 0;
		char num[32];

		put(offline[cpu] ? "0" : "1", "%s/cpu/cpu%u/online", root, cpu);
		if (offline[cpu])
			continue;
		for (unsigned x = 0; x < ncpus; x++)
			if (cpu_node[x] == node) {
				first_core_of_node = cpu_core[x];
				break;
			}
		snprintf(num, sizeof(num), "%u", core - first_core_of_node);
		put(num, "%s/cpu/cpu%u/topology/core_id", root, cpu);
		snprintf(num, sizeof(num), "%u", node);
		put(num, "%s/cpu/cpu%u/topology/physical_package_id", root, cpu);
		put("0", "%s/cpu/cpu%u/topology/die_id", root, cpu);
		list(buf, sizeof(buf), in_core, core, true);
		put(buf, "%s/cpu/cpu%u/topology/thread_siblings_list", root, cpu);
		put(buf, "%s/cpu/cpu%u/topology/core_cpus_list", root, cpu);
		list(buf2, sizeof(buf2), in_node, node, true);
		put(buf2, "%s/cpu/cpu%u/topology/package_cpus_list", root, cpu);
		put(buf2, "%s/cpu/cpu%u/topology/core_siblings_list", root, cpu);
		if (no_cache)
			continue;
		/* L1d, L1i, L2 per core; L3 per LLC */
		put("1", "%s/cpu/cpu%u/cache/index0/level", root, cpu);
		put("Data", "%s/cpu/cpu%u/cache/index0/type", root, cpu);
		put(buf, "%s/cpu/cpu%u/cache/index0/shared_cpu_list", root, cpu);
		put("1", "%s/cpu/cpu%u/cache/index1/level", root, cpu);
		put("Instruction", "%s/cpu/cpu%u/cache/index1/type", root, cpu);
		put(buf, "%s/cpu/cpu%u/cache/index1/shared_cpu_list", root, cpu);
		put("2", "%s/cpu/cpu%u/cache/index2/level", root, cpu);
		put("Unified", "%s/cpu/cpu%u/cache/index2/type", root, cpu);
		put(buf, "%s/cpu/cpu%u/cache/index2/shared_cpu_list", root, cpu);
		list(buf, sizeof(buf), in_llc, cpu_llc[cpu], true);
		put("3", "%s/cpu/cpu%u/cache/index3/level", root, cpu);
		put(l3_type, "%s/cpu/cpu%u/cache/index3/type", root, cpu);
		put(buf, "%s/cpu/cpu%u/cache/index3/shared_cpu_list", root, cpu);
	}
	if (!no_node) {
		char nodes_list[64];

		snprintf(nodes_list, sizeof(nodes_list), nodes > 1 ? "0-%u" : "0", nodes - 1);
		put(nodes_list, "%s/node/online", root);
		put(nodes_list, "%s/node/possible", root);
		put(nodes_list, "%s/node/has_cpu", root);
		for (unsigned n = 0; n < nodes; n++) {
			list(buf, sizeof(buf), in_node, n, true);
			put(buf, "%s/node/node%u/cpulist", root, n);
		}
	}
	return 0;
}
