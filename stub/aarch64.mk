# SPDX-License-Identifier: GPL-2.0-only
# stub/aarch64.mk - the aarch64 runfile stub, cross-built on another host
# (configure --enable-stubs=x86_64,aarch64; checks in m4/ktstr-stubs.m4).
#
# Automake builds each program with the one $(CC), so the cross-built stub
# is a plain rule: one $(CC_AARCH64) run compiles every C file of
# stub/ktstr-stub and common/libcommon.a (the same source lists, so a file
# added there is built here too) and links them -static with the arm64
# archives, like the native stub.  Any change to those files rebuilds it
# whole, which takes a few seconds.  It is installed, unstripped like the
# native stub, as $(pkglibexecdir)/ktstr-stub-aarch64 (a script to
# automake, so that install-strip does not run the host's strip on it);
# ktstr-pack embeds the stripped copy (STUB_FILE_aarch64).

if CROSS_STUB_AARCH64
stub_aarch64_sources = $(common_libcommon_a_SOURCES) $(stub_ktstr_stub_SOURCES)
stub-aarch64/ktstr-stub-aarch64: $(stub_aarch64_sources) config.h
	@$(MKDIR_P) stub-aarch64
	$(AM_V_CCLD)$(CC_AARCH64) -std=gnu11 $(KTSTR_CFLAGS_WARN) $(CFLAGS_AARCH64) \
		-I$(top_srcdir)/common -I$(top_builddir) -D_GNU_SOURCE $(STUB_AARCH64_CFLAGS) \
		$(LDFLAGS_AARCH64) -static -o $@ $(filter %.c,$^) $(STUB_LIBS)

stub-aarch64/ktstr-stub-aarch64.stripped: stub-aarch64/ktstr-stub-aarch64
	$(AM_V_GEN)$(STRIP_AARCH64) -o $@ stub-aarch64/ktstr-stub-aarch64

pkglibexec_SCRIPTS = stub-aarch64/ktstr-stub-aarch64
CLEANFILES += stub-aarch64/ktstr-stub-aarch64 stub-aarch64/ktstr-stub-aarch64.stripped
endif
