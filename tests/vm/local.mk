# SPDX-License-Identifier: GPL-2.0-only
# tests/vm/local.mk - the real-kernel tier: `make check-vm` runs each case of
# tests/vm/check-vm.sh in a fresh busybox-only VM booted with Debian's
# sched_ext kernel (the cache is built or refreshed first; needs root for
# that, and network to the Debian archive on the first run: without it the
# tier prints "check-vm: SKIP: why" and succeeds).  Not part of `make check`:
# it takes about a minute and a half under TCG on an idle 2-core host.
#   make check-vm                      every case
#   make check-vm VM_CASES="1 3"       some cases
#   make check-vm VM_CACHE=/other/dir  another cache
# Runfiles and console logs go to check-vm.d/ at the top of the build tree,
# not under tests/vm/: that directory is distributed whole (EXTRA_DIST in
# Makefile.am), and `make dist` copies a build tree's tests/vm/ with it.

VM_CACHE ?= /var/tmp/ktstr-vm
VM_CASES ?=

EXTRA_DIST += \
	tests/vm/build-cache.sh tests/vm/run-in-vm.sh tests/vm/guest-lib.sh \
	tests/vm/guest-libtest.sh tests/vm/guest-smoke.sh tests/vm/guest-topo.sh \
	tests/vm/check-vm.sh tests/vm/guest-runfile.sh \
	tests/vm/case-1-scx-simple.sh tests/vm/case-2-eevdf.sh tests/vm/case-3-topology.sh \
	tests/vm/case-4-attach-fails.sh tests/vm/case-5-other-scheduler.sh \
	tests/vm/case-6-sigterm.sh tests/vm/case-7-bash-runfile.sh \
	tests/vm/case-8-leaked-task.sh

# mkbashrun: case 7's bash-format runfile (tests/convert/local.mk builds it)
check-vm: ktstr-pack$(EXEEXT) tests/helpers/sample-test$(EXEEXT) tests/helpers/mkbashrun$(EXEEXT)
	bash $(srcdir)/tests/vm/check-vm.sh --cache '$(VM_CACHE)' \
		--pack '$(abs_top_builddir)/ktstr-pack$(EXEEXT)' \
		--sample '$(abs_top_builddir)/tests/helpers/sample-test$(EXEEXT)' \
		--mkbashrun '$(abs_top_builddir)/tests/helpers/mkbashrun$(EXEEXT)' \
		--out '$(abs_top_builddir)/check-vm.d' $(VM_CASES)

clean-local: clean-check-vm
clean-check-vm:
	-rm -rf check-vm.d

.PHONY: check-vm clean-check-vm
