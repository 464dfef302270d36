/* SPDX-License-Identifier: GPL-2.0-only */
/* stubs.h - the runfile stubs ktstr-pack carries, one per architecture. */
#ifndef KTSTR_STUBS_H
#define KTSTR_STUBS_H

#include <stddef.h>
#include <stdint.h>

#include "elf_arch.h"

struct stub_image {
	enum elf_arch arch;
	const uint8_t *data;
	size_t len;
};

/** stubs_find() - the embedded stub for @arch, or NULL. */
const struct stub_image *stubs_find(enum elf_arch arch);

/** stubs_list() - "x86_64, aarch64": the architectures built in. */
const char *stubs_list(void);

#endif
