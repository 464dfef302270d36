# SPDX-License-Identifier: GPL-2.0-only
# tests/harden/local.mk - hostile input: the malformed-runfile generator and
# the suites that feed its variants to every reader (see tests/harden/mkbad.h,
# docs/SECURITY.md).  The run path of the same variants, and the faults, are
# in tests/hermetic/harden-*.sh (root, namespaces).

check_PROGRAMS += tests/harden/ktstr-mkbad
tests_harden_ktstr_mkbad_SOURCES = \
	tests/harden/mkbad.c tests/harden/mkbad.h \
	tests/harden/mkbad-layout.c tests/harden/mkbad-spec.c tests/harden/mkbad-tar.c \
	packer/compress.c packer/compress.h
tests_harden_ktstr_mkbad_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/packer
tests_harden_ktstr_mkbad_CFLAGS = $(AM_CFLAGS) $(LIBARCHIVE_CFLAGS) $(LIBDEFLATE_CFLAGS) \
	$(LIBZSTD_CFLAGS) $(NETTLE_CFLAGS) $(ZLIB_CFLAGS)
tests_harden_ktstr_mkbad_LDADD = common/libcommon.a $(LIBARCHIVE_LIBS) $(LIBDEFLATE_LIBS) \
	$(LIBZSTD_LIBS) $(NETTLE_LIBS) $(ZLIB_LIBS)

TESTS += tests/harden/malformed.sh
EXTRA_DIST += tests/harden/lib-malformed.sh

# make check-valgrind: the stub's main paths under valgrind memcheck, as
# root (.ci/test valgrind; needs configure --disable-static-stub)
check-valgrind: all
	$(AM_TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/tests/harden/valgrind.sh
.PHONY: check-valgrind
EXTRA_DIST += tests/harden/valgrind.sh
