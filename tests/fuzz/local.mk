# SPDX-License-Identifier: GPL-2.0-only
# tests/fuzz/local.mk - libFuzzer targets of the runfile readers.
#   make fuzz                 build them with clang (tests/fuzz/fuzz.sh says why
#                             a script and not a configure option)
#   make fuzz-run [FUZZ_SECONDS=60]   fuzz each target that long (.ci/test fuzz)
# `make check` replays every corpus (seeds and kept crashes) through the same
# targets built with the project's compiler and flags (tests/fuzz/replay.c).

FUZZ_SECONDS = 60
fuzz_env = SRCDIR='$(abs_top_srcdir)' BUILDDIR='$(abs_top_builddir)' \
	FUZZ_INCS='$(LIBARCHIVE_CFLAGS) $(LIBDEFLATE_CFLAGS) $(LIBZSTD_CFLAGS) $(NETTLE_CFLAGS) $(ZLIB_CFLAGS)' \
	FUZZ_LIBS='$(LIBARCHIVE_LIBS) $(LIBDEFLATE_LIBS) $(LIBZSTD_LIBS) $(NETTLE_LIBS) $(ZLIB_LIBS)'
fuzz:
	$(AM_V_GEN)$(fuzz_env) $(SHELL) $(srcdir)/tests/fuzz/fuzz.sh build
fuzz-run:
	$(fuzz_env) $(SHELL) $(srcdir)/tests/fuzz/fuzz.sh run $(FUZZ_SECONDS)
.PHONY: fuzz fuzz-run
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/obj tests/fuzz/work tests/fuzz/crashes tests/fuzz/fuzz-footer \
		tests/fuzz/fuzz-spec tests/fuzz/fuzz-runfile tests/fuzz/fuzz-extract tests/fuzz/fuzz-bashrun
.PHONY: clean-fuzz

fuzz_replay_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/fuzz -I$(top_srcdir)/stub \
	-I$(top_srcdir)/packer
fuzz_replay_cflags = $(AM_CFLAGS) $(LIBARCHIVE_CFLAGS) $(NETTLE_CFLAGS) $(ZLIB_CFLAGS)
fuzz_replay_libs = common/libcommon.a $(LIBARCHIVE_LIBS) $(LIBDEFLATE_LIBS) $(LIBZSTD_LIBS) \
	$(NETTLE_LIBS) $(ZLIB_LIBS) -lpthread
fuzz_common = tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fuzz/fuzz-fixup.h

check_PROGRAMS += tests/fuzz/replay-footer tests/fuzz/replay-spec tests/fuzz/replay-runfile \
	tests/fuzz/replay-extract tests/fuzz/replay-bashrun
tests_fuzz_replay_footer_SOURCES = tests/fuzz/fuzz-footer.c $(fuzz_common)
tests_fuzz_replay_footer_CPPFLAGS = $(fuzz_replay_cppflags)
tests_fuzz_replay_footer_CFLAGS = $(fuzz_replay_cflags)
tests_fuzz_replay_footer_LDADD = $(fuzz_replay_libs)
tests_fuzz_replay_spec_SOURCES = tests/fuzz/fuzz-spec.c $(fuzz_common)
tests_fuzz_replay_spec_CPPFLAGS = $(fuzz_replay_cppflags)
tests_fuzz_replay_spec_CFLAGS = $(fuzz_replay_cflags)
tests_fuzz_replay_spec_LDADD = $(fuzz_replay_libs)
tests_fuzz_replay_runfile_SOURCES = tests/fuzz/fuzz-runfile.c $(fuzz_common)
tests_fuzz_replay_runfile_CPPFLAGS = $(fuzz_replay_cppflags)
tests_fuzz_replay_runfile_CFLAGS = $(fuzz_replay_cflags)
tests_fuzz_replay_runfile_LDADD = $(fuzz_replay_libs)
tests_fuzz_replay_extract_SOURCES = tests/fuzz/fuzz-extract.c stub/extract.c $(fuzz_common)
tests_fuzz_replay_extract_CPPFLAGS = $(fuzz_replay_cppflags)
tests_fuzz_replay_extract_CFLAGS = $(fuzz_replay_cflags)
tests_fuzz_replay_extract_LDADD = $(fuzz_replay_libs)
tests_fuzz_replay_bashrun_SOURCES = tests/fuzz/fuzz-bashrun.c packer/bashrun.c \
	packer/shellword.c packer/base64.c packer/exportarchive.c $(fuzz_common)
tests_fuzz_replay_bashrun_CPPFLAGS = $(fuzz_replay_cppflags)
tests_fuzz_replay_bashrun_CFLAGS = $(fuzz_replay_cflags)
tests_fuzz_replay_bashrun_LDADD = $(fuzz_replay_libs)

TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/fuzz.sh tests/fuzz/make-seeds.sh tests/fuzz/corpus
