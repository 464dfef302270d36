# SPDX-License-Identifier: GPL-2.0-only
# tests/hermetic/local.mk - the real stub in private namespaces (root only;
# each script skips with exit 77 otherwise).  See tests/hermetic/lib.sh.

TESTS += \
	tests/hermetic/stub-basic.sh
EXTRA_DIST += tests/hermetic/lib.sh
