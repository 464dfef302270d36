# SPDX-License-Identifier: GPL-2.0-only
# tests/convert/local.mk - ktstr-pack --from-run / --test-binary: bash
# runfiles in the exact `cargo ktstr export` 0.6.0 format are made by
# mkbashrun (which also plays a test binary's exporter), converted, and
# run side by side with their conversions in the hermetic harness.

check_PROGRAMS += tests/helpers/mkbashrun tests/helpers/sched-probe
tests_helpers_mkbashrun_SOURCES = tests/helpers/mkbashrun.c tests/helpers/mkbashrun.h \
	tests/helpers/mkbashrun-script.c tests/helpers/mkbashrun-tar.c
tests_helpers_mkbashrun_CFLAGS = -std=gnu11 $(KTSTR_CFLAGS_WARN) $(LIBARCHIVE_CFLAGS) $(ZLIB_CFLAGS)
tests_helpers_mkbashrun_LDADD = $(LIBARCHIVE_LIBS) $(ZLIB_LIBS)
# a fixture, never sanitized (its options live until exit, on purpose)
tests_helpers_mkbashrun_LDFLAGS =
tests_helpers_sched_probe_SOURCES = tests/helpers/sched-probe.c tests/helpers/helper.h
tests_helpers_sched_probe_CFLAGS = -std=gnu11 $(KTSTR_CFLAGS_WARN) -O2
tests_helpers_sched_probe_LDFLAGS = -static

TESTS += \
	tests/convert/convert-map.sh \
	tests/convert/convert-reject.sh \
	tests/convert/test-binary.sh \
	tests/convert/convert-equiv.sh
EXTRA_DIST += tests/convert/lib.sh
