// SPDX-License-Identifier: GPL-2.0-only
/* stubs.c - table of the stubs embedded at build time (stub-blob-*.S). */
#include "config.h"

#include "stubs.h"
#include "macros.h"

#define DECLARE_STUB(arch)                                 \
	extern const uint8_t ktstr_stub_start_##arch[];    \
	extern const uint8_t ktstr_stub_end_##arch[]

#ifdef HAVE_STUB_X86_64
DECLARE_STUB(x86_64);
#endif
#ifdef HAVE_STUB_AARCH64
DECLARE_STUB(aarch64);
#endif

static struct stub_image stubs[] = {
#ifdef HAVE_STUB_X86_64
	{ ELF_ARCH_X86_64, ktstr_stub_start_x86_64, 0 },
#endif
#ifdef HAVE_STUB_AARCH64
	{ ELF_ARCH_AARCH64, ktstr_stub_start_aarch64, 0 },
#endif
	{ ELF_ARCH_UNKNOWN, NULL, 0 },
};

static void fill_lengths(void)
{
	static bool done;

	if (done)
		return;
#ifdef HAVE_STUB_X86_64
	for (size_t i = 0; stubs[i].data; i++)
		if (stubs[i].arch == ELF_ARCH_X86_64)
			stubs[i].len = (size_t)(ktstr_stub_end_x86_64 - ktstr_stub_start_x86_64);
#endif
#ifdef HAVE_STUB_AARCH64
	for (size_t i = 0; stubs[i].data; i++)
		if (stubs[i].arch == ELF_ARCH_AARCH64)
			stubs[i].len = (size_t)(ktstr_stub_end_aarch64 - ktstr_stub_start_aarch64);
#endif
	done = true;
}

const struct stub_image *stubs_find(enum elf_arch arch)
{
	fill_lengths();
	for (size_t i = 0; stubs[i].data; i++)
		if (stubs[i].arch == arch)
			return &stubs[i];
	return NULL;
}

const char *stubs_list(void)
{
	return STUB_ARCHES;
}
