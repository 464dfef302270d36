# SPDX-License-Identifier: GPL-2.0-only
# tests/vm/aarch64.mk - the real-kernel tier on aarch64: `make
# check-vm-aarch64` runs tests/vm/check-vm-aarch64.sh (case 1 of the tier
# and a topology case, each in a fresh arm64 VM under qemu-system-aarch64
# TCG with Debian's arm64 sched_ext kernel; the cache comes from
# build-cache-arm64.sh, which needs root and the Debian archive the first
# time).  Needs a build with the aarch64 stub (configure
# --enable-stubs=x86_64,aarch64); in another build it says SKIP and succeeds.
#   make check-vm-aarch64 VM_CASES_ARM64=topo   one case (1, topo)
#   make check-vm-aarch64 VM_CACHE_ARM64=/dir   another cache
# Runfiles and console logs go to check-vm-aarch64.d/ at the top of the build
# tree, not under tests/vm/, which `make dist` copies whole.

if CROSS_STUB_AARCH64
check-vm-aarch64: ktstr-pack$(EXEEXT) tests/helpers/aarch64/sample-test
	bash $(srcdir)/tests/vm/check-vm-aarch64.sh \
		--cache '$(or $(VM_CACHE_ARM64),/var/tmp/ktstr-vm-arm64)' \
		--amd64-cache '$(or $(VM_CACHE),/var/tmp/ktstr-vm)' \
		--pack '$(abs_top_builddir)/ktstr-pack$(EXEEXT)' \
		--sample '$(abs_top_builddir)/tests/helpers/aarch64/sample-test' \
		--out '$(abs_top_builddir)/check-vm-aarch64.d' $(VM_CASES_ARM64)
else
check-vm-aarch64:
	@echo "check-vm-aarch64: SKIP: this build has no aarch64 stub (configure --enable-stubs=x86_64,aarch64)"
endif

clean-local: clean-check-vm-aarch64
clean-check-vm-aarch64:
	-rm -rf check-vm-aarch64.d

.PHONY: check-vm-aarch64 clean-check-vm-aarch64
