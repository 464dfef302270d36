# SPDX-License-Identifier: GPL-2.0-only
# tests/unit/local.mk - Check unit tests of common/, stub/ and packer/ code.
# One program per area, tests/unit/test_<area>.c; unit.c holds the fixture
# helpers they share.  test_topology runs tests/helpers/mktopo (a
# noinst program, built by `make all`) through $KTSTR_HELPERS.

unit_cflags = $(AM_CFLAGS) $(CHECK_CFLAGS) $(NETTLE_CFLAGS)
unit_ldadd = common/libcommon.a $(CHECK_LIBS) $(LIBDEFLATE_LIBS) $(LIBZSTD_LIBS) \
	$(NETTLE_LIBS) $(ZLIB_LIBS)
unit_common = tests/unit/unit.c tests/unit/unit.h
spec_fixture = tests/unit/spec_fixture.c tests/unit/spec_fixture.h

unit_tests = \
	tests/unit/test_footer \
	tests/unit/test_spec \
	tests/unit/test_spec_decode \
	tests/unit/test_spec_validate
check_PROGRAMS += $(unit_tests)
TESTS += $(unit_tests)

tests_unit_test_footer_SOURCES = tests/unit/test_footer.c $(unit_common)
tests_unit_test_footer_CFLAGS = $(unit_cflags)
tests_unit_test_footer_LDADD = $(unit_ldadd)

tests_unit_test_spec_SOURCES = tests/unit/test_spec.c $(spec_fixture) $(unit_common)
tests_unit_test_spec_CFLAGS = $(unit_cflags)
tests_unit_test_spec_LDADD = $(unit_ldadd)

tests_unit_test_spec_decode_SOURCES = tests/unit/test_spec_decode.c $(spec_fixture) \
	$(unit_common)
tests_unit_test_spec_decode_CFLAGS = $(unit_cflags)
tests_unit_test_spec_decode_LDADD = $(unit_ldadd)

tests_unit_test_spec_validate_SOURCES = tests/unit/test_spec_validate.c $(spec_fixture) \
	$(unit_common)
tests_unit_test_spec_validate_CFLAGS = $(unit_cflags)
tests_unit_test_spec_validate_LDADD = $(unit_ldadd)

# packer code is compiled into its tests
unit_tests += tests/unit/test_pathsearch tests/unit/test_gitrev
tests_unit_test_pathsearch_SOURCES = tests/unit/test_pathsearch.c packer/pathsearch.c \
	packer/pathsearch.h $(unit_common)
tests_unit_test_pathsearch_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/packer
tests_unit_test_pathsearch_CFLAGS = $(unit_cflags)
tests_unit_test_pathsearch_LDADD = $(unit_ldadd)

tests_unit_test_gitrev_SOURCES = tests/unit/test_gitrev.c packer/gitrev.c packer/gitrev.h \
	$(unit_common)
tests_unit_test_gitrev_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/packer
tests_unit_test_gitrev_CFLAGS = $(unit_cflags)
tests_unit_test_gitrev_LDADD = $(unit_ldadd)

unit_tests += tests/unit/test_cpuset tests/unit/test_topology tests/unit/test_mountinfo \
	tests/unit/test_launch
tests_unit_test_cpuset_SOURCES = tests/unit/test_cpuset.c $(unit_common)
tests_unit_test_cpuset_CFLAGS = $(unit_cflags)
tests_unit_test_cpuset_LDADD = $(unit_ldadd)

tests_unit_test_topology_SOURCES = tests/unit/test_topology.c $(unit_common)
tests_unit_test_topology_CFLAGS = $(unit_cflags)
tests_unit_test_topology_LDADD = $(unit_ldadd)

tests_unit_test_mountinfo_SOURCES = tests/unit/test_mountinfo.c $(unit_common)
tests_unit_test_mountinfo_CFLAGS = $(unit_cflags)
tests_unit_test_mountinfo_LDADD = $(unit_ldadd)

tests_unit_test_launch_SOURCES = tests/unit/test_launch.c $(spec_fixture) $(unit_common)
tests_unit_test_launch_CFLAGS = $(unit_cflags)
tests_unit_test_launch_LDADD = $(unit_ldadd)

# the ELF machine reader (common/elf_arch.c) on real binaries of both
# architectures (the aarch64 one skipped when none is there) and on
# synthetic headers
unit_tests += tests/unit/test_elf_arch
tests_unit_test_elf_arch_SOURCES = tests/unit/test_elf_arch.c $(unit_common)
tests_unit_test_elf_arch_CFLAGS = $(unit_cflags)
tests_unit_test_elf_arch_LDADD = $(unit_ldadd)

# stub/extract.c: the slot ring's size (a memory budget) and extractions
# through the smallest rings; compiled into its test, as the fuzz replay does
unit_tests += tests/unit/test_extract
tests_unit_test_extract_SOURCES = tests/unit/test_extract.c stub/extract.c stub/extract.h \
	$(unit_common)
tests_unit_test_extract_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/stub
tests_unit_test_extract_CFLAGS = $(unit_cflags) $(LIBARCHIVE_CFLAGS) $(LIBZSTD_CFLAGS)
tests_unit_test_extract_LDADD = common/libcommon.a $(LIBARCHIVE_LIBS) $(CHECK_LIBS) \
	$(LIBDEFLATE_LIBS) $(LIBZSTD_LIBS) $(NETTLE_LIBS) $(ZLIB_LIBS) -lpthread
