# SPDX-License-Identifier: GPL-2.0-only
# tests/integration/local.mk - the built ktstr-pack, checked with --inspect
# and standard tools (tar, sha256sum, file); no root needed.  They get
# KTSTR_PACK, KTSTR_STUB, KTSTR_HELPERS and KTSTR_SRCDIR from
# AM_TESTS_ENVIRONMENT; lib.sh holds what they share.

TESTS += \
	tests/integration/ux-inspect.sh \
	tests/integration/ux-docs.sh \
	tests/integration/pack-format.sh \
	tests/integration/pack-reproducible.sh \
	tests/integration/pack-atomic.sh \
	tests/integration/pack-errors.sh \
	tests/integration/pack-chunks.sh \
	tests/integration/pack-install.sh \
	tests/integration/configure-deps.sh \
	tests/integration/format-doc.sh \
	tests/integration/license.sh
EXTRA_DIST += tests/integration/lib.sh
# the stub chosen by the payload's ELF machines, --arch, --stub; configure
# --enable-stubs and its messages
TESTS += tests/integration/pack-arch.sh tests/integration/configure-options.sh
