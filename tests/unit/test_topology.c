// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_topology.c - common/topology.c on synthetic sysfs trees written by
 * tests/helpers/mktopo ($KTSTR_HELPERS/mktopo, set by `make check`).
 */
#include "spec.h"
#include "topology.h"
#include "unit.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* mktopo DIR/sys ARGS... (NULL-terminated); returns DIR/sys */
static char *mktopo(const char *arg, ...)
{
	const char *helpers = getenv("KTSTR_HELPERS");
	char *prog = xasprintf("%s/mktopo", helpers && helpers[0] ? helpers : "tests/helpers");
	char *root = xasprintf("%s/sys", unit_dir);
	const char *argv[16] = { prog, root };
	int n = 2, status;
	va_list ap;
	pid_t pid;

	va_start(ap, arg);
	for (const char *a = arg; a && n < 15; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	ck_assert_msg(access(prog, X_OK) == 0, "%s is not built (run `make` first)", prog);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execv(prog, (char **)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "mktopo failed");
	free(prog);
	return root;
}

static void expect_set(const struct cpuset *set, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	cpuset_format(set, &out);
	ck_assert_str_eq(strbuf_cstr(&out), want);
	strbuf_release(&out);
}

static void expect_describe(const struct topology *t, const char *want)
{
	struct strbuf out = STRBUF_INIT;

	topology_describe(t, &out);
	ck_assert_str_eq(strbuf_cstr(&out), want);
	strbuf_release(&out);
}

START_TEST(two_nodes_two_llcs_two_cores_two_threads)
{
	char *root = mktopo("--nodes", "2", "--llcs", "4", "--cores", "2", "--threads", "2", NULL);
	struct topology t;

	ck_assert_ok(topology_read(root, &t));
	expect_set(&t.online, "0-15");
	ck_assert_uint_eq(t.nllcs, 4);
	expect_set(&t.llc[0], "0-3");
	expect_set(&t.llc[3], "12-15");
	ck_assert_uint_eq(t.llc_level[0], 3);
	ck_assert_uint_eq(t.ncores, 8);
	expect_set(&t.core[5], "10-11");
	ck_assert_uint_eq(t.cores_per_llc, 2);
	ck_assert_uint_eq(t.threads_per_core, 2);
	ck_assert_uint_eq(t.nnodes, 2);
	ck_assert_uint_eq(t.node_id[1], 1);
	expect_set(&t.node[1], "8-15");
	expect_describe(&t, "16 CPUs online (0-15), 4 LLCs (L3: 0-3 | L3: 4-7 | L3: 8-11 | "
			"L3: 12-15), 8 cores, 2 NUMA nodes (node0: 0-7 | node1: 8-15), min 2 cores "
			"per LLC, min 2 threads per core");
	topology_release(&t);
	free(root);
}
END_TEST

START_TEST(offline_cpus)
{
	char *root = mktopo("--nodes", "2", "--llcs", "4", "--cores", "2", "--threads", "2",
			    "--offline", "3", NULL);
	struct topology t;

	/* one thread of core 1 is offline: that core has 1 thread left */
	ck_assert_ok(topology_read(root, &t));
	expect_set(&t.online, "0-2,4-15");
	ck_assert_uint_eq(t.nllcs, 4);
	expect_set(&t.llc[0], "0-2");
	ck_assert_uint_eq(t.cores_per_llc, 2);
	ck_assert_uint_eq(t.threads_per_core, 1);
	topology_release(&t);
	free(root);

	/* a whole core offline: its LLC keeps one core */
	unit_rm_rf(unit_dir);
	ck_assert_int_eq(mkdir(unit_dir, 0700), 0);
	root = mktopo("--nodes", "2", "--llcs", "4", "--cores", "2", "--threads", "2",
		      "--offline", "2-3", NULL);
	ck_assert_ok(topology_read(root, &t));
	ck_assert_uint_eq(t.ncores, 7);
	ck_assert_uint_eq(t.cores_per_llc, 1);
	ck_assert_uint_eq(t.threads_per_core, 2);
	topology_release(&t);
	free(root);

	/* a whole node offline: it does not count */
	unit_rm_rf(unit_dir);
	ck_assert_int_eq(mkdir(unit_dir, 0700), 0);
	root = mktopo("--nodes", "2", "--llcs", "4", "--cores", "2", "--threads", "2",
		      "--offline", "8-15", NULL);
	ck_assert_ok(topology_read(root, &t));
	ck_assert_uint_eq(t.nnodes, 1);
	ck_assert_uint_eq(t.nllcs, 2);
	expect_set(&t.node[0], "0-7");
	topology_release(&t);
	free(root);
}
END_TEST

START_TEST(unequal_llcs)
{
	char *root = mktopo("--llc-cores", "3,1", "--threads", "2", NULL);
	struct topology t;

	ck_assert_ok(topology_read(root, &t));
	ck_assert_uint_eq(t.nllcs, 2);
	expect_set(&t.llc[0], "0-5");
	expect_set(&t.llc[1], "6-7");
	ck_assert_uint_eq(t.ncores, 4);
	ck_assert_uint_eq(t.cores_per_llc, 1);   /* the smallest LLC counts */
	ck_assert_uint_eq(t.threads_per_core, 2);
	topology_release(&t);
	free(root);
}
END_TEST

START_TEST(l3_types)
{
	char *root = mktopo("--llcs", "2", "--cores", "2", "--l3-type", "Data", NULL);
	struct topology t;

	/* a data cache counts like a unified one */
	ck_assert_ok(topology_read(root, &t));
	ck_assert_uint_eq(t.nllcs, 2);
	ck_assert_uint_eq(t.llc_level[1], 3);
	topology_release(&t);
	free(root);

	/* an instruction-only L3 does not: the per-core L2 is the LLC */
	unit_rm_rf(unit_dir);
	ck_assert_int_eq(mkdir(unit_dir, 0700), 0);
	root = mktopo("--llcs", "2", "--cores", "2", "--l3-type", "Instruction", NULL);
	ck_assert_ok(topology_read(root, &t));
	ck_assert_uint_eq(t.nllcs, 4);
	ck_assert_uint_eq(t.llc_level[0], 2);
	ck_assert_uint_eq(t.cores_per_llc, 1);
	topology_release(&t);
	free(root);
}
END_TEST

START_TEST(no_cache_dir)
{
	char *root = mktopo("--llcs", "2", "--no-cache", NULL);
	struct topology t;

	ck_assert_fails(topology_read(root, &t), -ENOENT,
			"topology: no cache information in sysfs for cpu0 (cpu/cpu0/cache: "
			"No such file or directory): cannot count LLCs");
	ck_assert_uint_eq(t.nllcs, 0);   /* released */
	free(root);
}
END_TEST

START_TEST(no_node_dir)
{
	char *root = mktopo("--llcs", "2", "--cores", "2", "--no-node", NULL);
	struct topology t;

	ck_assert_ok(topology_read(root, &t));
	ck_assert_uint_eq(t.nnodes, 1);
	ck_assert_uint_eq(t.node_id[0], 0);
	expect_set(&t.node[0], "0-3");
	topology_release(&t);
	free(root);
}
END_TEST

START_TEST(broken_trees)
{
	char *root = mktopo("--llcs", "2", NULL), *bad = xasprintf("%s/nothing", unit_dir);
	struct topology t;

	ck_assert_fails(topology_read(bad, &t), -ENOENT, "cannot open");
	unit_write(root, "cpu/online", "0-1,x\n", -1, 0644);
	ck_assert_fails(topology_read(root, &t), -EINVAL, "cpu/online: bad cpu list");
	unit_write(root, "cpu/online", "\n", -1, 0644);
	ck_assert_fails(topology_read(root, &t), -EINVAL, "lists no CPU");
	unit_write(root, "cpu/online", "0-1\n", -1, 0644);
	ck_assert_ok(topology_read(root, &t));
	topology_release(&t);
	/* a CPU missing from its own sharing list */
	unit_write(root, "cpu/cpu1/cache/index3/shared_cpu_list", "0\n", -1, 0644);
	ck_assert_fails(topology_read(root, &t), -EINVAL, "cpu1 is not in its own cache sharing list");
	free(bad);
	free(root);
}
END_TEST

START_TEST(compare)
{
	char *root = mktopo("--nodes", "2", "--llcs", "4", "--cores", "2", "--threads", "2", NULL);
	struct topology_need dims[TOPOLOGY_DIMENSIONS];
	struct topology t;
	struct spec s;

	ck_assert_ok(topology_read(root, &t));
	spec_init(&s);
	ck_assert_int_eq(topology_compare(&t, &s, dims), 0);
	s.llcs = 4, s.numa_nodes = 2, s.cores_per_llc = 2, s.threads_per_core = 2;
	ck_assert_int_eq(topology_compare(&t, &s, dims), 0);   /* exactly enough */
	s.llcs = 8, s.threads_per_core = 4;
	ck_assert_int_eq(topology_compare(&t, &s, dims), 2);
	ck_assert_str_eq(dims[0].what, "LLCs");
	ck_assert_uint_eq(dims[0].host, 4);
	ck_assert_uint_eq(dims[0].need, 8);
	ck_assert_str_eq(dims[1].what, "NUMA nodes");
	ck_assert_uint_eq(dims[1].host, 2);
	ck_assert_str_eq(dims[2].what, "cores per LLC");
	ck_assert_uint_eq(dims[2].host, 2);
	ck_assert_str_eq(dims[3].what, "threads per core");
	ck_assert_uint_eq(dims[3].host, 2);
	ck_assert_uint_eq(dims[3].need, 4);
	s.llcs = 1, s.threads_per_core = 1, s.numa_nodes = 3, s.cores_per_llc = 3;
	ck_assert_int_eq(topology_compare(&t, &s, dims), 2);
	ck_assert_uint_eq(dims[1].need, 3);
	ck_assert_uint_eq(dims[2].need, 3);
	spec_release(&s);
	topology_release(&t);
	free(root);
}
END_TEST

UNIT_MAIN("topology",
	  UNIT_TCASE("sysfs", unit_dir_setup, unit_dir_teardown, 0,
		     two_nodes_two_llcs_two_cores_two_threads, offline_cpus, unequal_llcs, l3_types,
		     no_cache_dir, no_node_dir, broken_trees, compare));
