# SPDX-License-Identifier: GPL-2.0-only
# tests/helpers/local.mk - programs the tests pack and run: a sample ktstr
# test, a fake scheduler, a synthetic sysfs topology writer.  Linked -static
# (they also run in the busybox-only VM) and never sanitized (ASan cannot
# link -static); they are test fixtures, not the code under test.

helper_cflags = -std=gnu11 $(KTSTR_CFLAGS_WARN) -O2
helper_static = -static

noinst_PROGRAMS += tests/helpers/sample-test tests/helpers/fake-scheduler tests/helpers/mktopo \
	tests/helpers/exec-stamp
tests_helpers_sample_test_SOURCES = tests/helpers/sample-test.c tests/helpers/helper.h
tests_helpers_sample_test_CFLAGS = $(helper_cflags)
tests_helpers_sample_test_LDFLAGS = $(helper_static)
tests_helpers_fake_scheduler_SOURCES = tests/helpers/fake-scheduler.c tests/helpers/helper.h
tests_helpers_fake_scheduler_CFLAGS = $(helper_cflags)
tests_helpers_fake_scheduler_LDFLAGS = $(helper_static)
tests_helpers_mktopo_SOURCES = tests/helpers/mktopo.c
tests_helpers_mktopo_CFLAGS = $(helper_cflags)
tests_helpers_mktopo_LDFLAGS = $(helper_static)

# checks stub/cgroup_tree.c against libcgroup's walker (hermetic, root)
check_PROGRAMS += tests/helpers/cgroup-tree-check
tests_helpers_cgroup_tree_check_SOURCES = tests/helpers/cgroup-tree-check.c \
	stub/cgroup_tree.c stub/cgroup_tree.h
tests_helpers_cgroup_tree_check_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/stub
tests_helpers_cgroup_tree_check_CFLAGS = $(AM_CFLAGS) $(LIBCGROUP_CFLAGS)
tests_helpers_cgroup_tree_check_LDADD = common/libcommon.a $(LIBCGROUP_LIBS)
tests_helpers_exec_stamp_SOURCES = tests/helpers/exec-stamp.c tests/helpers/helper.h
tests_helpers_exec_stamp_CFLAGS = $(helper_cflags)
tests_helpers_exec_stamp_LDFLAGS = $(helper_static)
