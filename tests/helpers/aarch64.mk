# SPDX-License-Identifier: GPL-2.0-only
# tests/helpers/aarch64.mk - the sample test and the fake scheduler built
# for aarch64 with the stub's cross compiler (stub/aarch64.mk says why it
# is a plain rule): what tests/hermetic/stub-aarch64.sh packs with the
# aarch64 stub and runs under qemu-user.  Built by `make check`.

if CROSS_STUB_AARCH64
tests/helpers/aarch64/sample-test: tests/helpers/sample-test.c tests/helpers/helper.h
	@$(MKDIR_P) tests/helpers/aarch64
	$(AM_V_CCLD)$(CC_AARCH64) -std=gnu11 $(KTSTR_CFLAGS_WARN) -O2 $(LDFLAGS_AARCH64) -static -o $@ \
		$(filter %.c,$^)

tests/helpers/aarch64/fake-scheduler: tests/helpers/fake-scheduler.c tests/helpers/helper.h
	@$(MKDIR_P) tests/helpers/aarch64
	$(AM_V_CCLD)$(CC_AARCH64) -std=gnu11 $(KTSTR_CFLAGS_WARN) -O2 $(LDFLAGS_AARCH64) -static -o $@ \
		$(filter %.c,$^)

check_SCRIPTS = tests/helpers/aarch64/sample-test tests/helpers/aarch64/fake-scheduler
CLEANFILES += $(check_SCRIPTS)
endif
