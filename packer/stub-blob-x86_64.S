/* SPDX-License-Identifier: GPL-2.0-only */
/* stub-blob-x86_64.S - the x86_64 stub, embedded (see stub-blob.S.in). */
#define STUB_ARCH x86_64
#define STUB_FILE STUB_FILE_x86_64
#include "stub-blob.S.in"
