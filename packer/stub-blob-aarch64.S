/* SPDX-License-Identifier: GPL-2.0-only */
/* stub-blob-aarch64.S - the aarch64 stub, embedded (see stub-blob.S.in). */
#define STUB_ARCH aarch64
#define STUB_FILE STUB_FILE_aarch64
#include "stub-blob.S.in"
