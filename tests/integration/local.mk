# SPDX-License-Identifier: GPL-2.0-only
# tests/integration/local.mk - the built ktstr-pack, checked with --inspect
# and standard tar.
