# SPDX-License-Identifier: GPL-2.0-only
# tests/helpers/local.mk - programs the tests pack and run: a sample ktstr
# test, a fake scheduler, a synthetic sysfs topology writer.  Linked -static
# (they also run in the busybox-only VM) and never sanitized (ASan cannot
# link -static); they are test fixtures, not the code under test.

helper_cflags = -std=gnu11 $(KTSTR_CFLAGS_WARN) -O2
helper_static = -static

noinst_PROGRAMS += tests/helpers/sample-test tests/helpers/fake-scheduler tests/helpers/mktopo
tests_helpers_sample_test_SOURCES = tests/helpers/sample-test.c tests/helpers/helper.h
tests_helpers_sample_test_CFLAGS = $(helper_cflags)
tests_helpers_sample_test_LDFLAGS = $(helper_static)
tests_helpers_fake_scheduler_SOURCES = tests/helpers/fake-scheduler.c tests/helpers/helper.h
tests_helpers_fake_scheduler_CFLAGS = $(helper_cflags)
tests_helpers_fake_scheduler_LDFLAGS = $(helper_static)
tests_helpers_mktopo_SOURCES = tests/helpers/mktopo.c
tests_helpers_mktopo_CFLAGS = $(helper_cflags)
tests_helpers_mktopo_LDFLAGS = $(helper_static)
