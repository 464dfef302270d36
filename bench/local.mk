# SPDX-License-Identifier: GPL-2.0-only
# bench/local.mk - `make bench` (root): exec -> test start of our runfiles
# against the ktstr 0.6.0 bash format, side by side, and the other figures
# of docs/PERFORMANCE.md.  Not part of `make check`: timings are never
# asserted.  `make bench BENCH_REPS=9` for more repetitions.

BENCH_REPS = 5
BENCH_ATTACH_REPS = 20

# built only for `make bench`
EXTRA_PROGRAMS += bench/bench-launch bench/bench-topo bench/bench-inflate
bench_bench_launch_SOURCES = bench/launch.c
bench_bench_topo_SOURCES = bench/topo_parse.c
bench_bench_topo_LDADD = common/libcommon.a $(NETTLE_LIBS) $(ZLIB_LIBS)
bench_bench_inflate_SOURCES = bench/inflate_bench.c
bench_bench_inflate_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS) $(NETTLE_CFLAGS)
bench_bench_inflate_LDADD = common/libcommon.a $(LIBDEFLATE_LIBS) $(LIBZSTD_LIBS) \
	$(NETTLE_LIBS) $(ZLIB_LIBS)
# the stub's extraction code, linked as the stub is, with a chosen worker
# count (the peak RSS of 8 workers on a machine with fewer CPUs)
EXTRA_PROGRAMS += bench/bench-extract
bench_bench_extract_SOURCES = bench/extract_rss.c stub/extract.c stub/extract.h
bench_bench_extract_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/stub
bench_bench_extract_CFLAGS = $(AM_CFLAGS) $(LIBARCHIVE_CFLAGS) $(NETTLE_CFLAGS)
bench_bench_extract_LDFLAGS = $(AM_LDFLAGS) $(STUB_LDFLAGS)
bench_bench_extract_LDADD = common/libcommon.a $(STUB_LIBS)
CLEANFILES += bench/bench-launch$(EXEEXT) bench/bench-topo$(EXEEXT) \
	bench/bench-inflate$(EXEEXT) bench/bench-extract$(EXEEXT) bench/PERFORMANCE.md \
	bench/PERFORMANCE.samples
EXTRA_DIST += bench/run.sh bench/report.sh

bench: all bench/bench-launch$(EXEEXT) bench/bench-topo$(EXEEXT) bench/bench-inflate$(EXEEXT) \
		bench/bench-extract$(EXEEXT) tests/helpers/mkbashrun$(EXEEXT)
	$(AM_V_at)$(MKDIR_P) bench
	KTSTR_PACK='$(abs_top_builddir)/ktstr-pack' \
	KTSTR_HELPERS='$(abs_top_builddir)/tests/helpers' \
	KTSTR_STUB='$(abs_top_builddir)/stub/ktstr-stub' \
	KTSTR_BENCH_BIN='$(abs_top_builddir)/bench' \
	BENCH_REPS='$(BENCH_REPS)' BENCH_ATTACH_REPS='$(BENCH_ATTACH_REPS)' \
	BENCH_OUT='$(abs_top_builddir)/bench/PERFORMANCE.md' \
	BENCH_CMD='make bench BENCH_REPS=$(BENCH_REPS)' \
	bash $(srcdir)/bench/run.sh
.PHONY: bench
