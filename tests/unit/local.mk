# SPDX-License-Identifier: GPL-2.0-only
# tests/unit/local.mk - Check unit tests of common/, stub/ and packer/ code.
