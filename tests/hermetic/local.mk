# SPDX-License-Identifier: GPL-2.0-only
# tests/hermetic/local.mk - the real stub in private namespaces (root only;
# each script skips with exit 77 otherwise).  See tests/hermetic/lib.sh.

TESTS += \
	tests/hermetic/ux-preflight.sh \
	tests/hermetic/ux-run.sh \
	tests/hermetic/stub-basic.sh \
	tests/hermetic/stub-flags.sh \
	tests/hermetic/stub-checks.sh \
	tests/hermetic/stub-topology.sh \
	tests/hermetic/stub-argv.sh \
	tests/hermetic/stub-attach.sh \
	tests/hermetic/stub-signals.sh \
	tests/hermetic/stub-cleanup.sh \
	tests/hermetic/stub-integrity.sh \
	tests/hermetic/stub-extract-threads.sh \
	tests/hermetic/cgroup-tree.sh \
	tests/hermetic/harden-malformed.sh \
	tests/hermetic/harden-faults.sh
EXTRA_DIST += tests/hermetic/lib.sh \
	tests/hermetic/bench-prephase.sh
# the cross-built aarch64 stub under qemu-user (skips without one)
TESTS += tests/hermetic/stub-aarch64.sh
