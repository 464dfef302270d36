// SPDX-License-Identifier: GPL-2.0-only
/* elf_arch.c - read e_machine from an ELF header. */
#include "elf_arch.h"
#include "error.h"
#include "macros.h"
#include "strbuf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int elf_read_arch(int fd, uint64_t off, enum elf_arch *arch, uint16_t *machine)
{
	uint8_t h[EI_NIDENT + 4];
	ssize_t n;

	*arch = ELF_ARCH_UNKNOWN;
	*machine = 0;
	do
		n = pread(fd, h, sizeof(h), (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_set_errno(-errno, "cannot read the ELF header");
	if ((size_t)n < sizeof(h) || memcmp(h, ELFMAG, SELFMAG) != 0)
		return error_set(-ENOEXEC, "not an ELF file");
	if (h[EI_CLASS] != ELFCLASS64 || h[EI_DATA] != ELFDATA2LSB)
		return error_set(-ENOEXEC, "not a 64-bit little-endian ELF file");
	*machine = get_le16(h + EI_NIDENT + 2);   /* after e_type */
	if (*machine == EM_X86_64)
		*arch = ELF_ARCH_X86_64;
	else if (*machine == EM_AARCH64)
		*arch = ELF_ARCH_AARCH64;
	return 0;
}

int elf_file_arch(const char *path, enum elf_arch *arch, uint16_t *machine)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", path);
	return elf_read_arch(fd, 0, arch, machine);
}

const char *elf_arch_name(enum elf_arch arch)
{
	switch (arch) {
	case ELF_ARCH_X86_64: return "x86_64";
	case ELF_ARCH_AARCH64: return "aarch64";
	default: return "unknown";
	}
}

enum elf_arch elf_arch_parse(const char *name)
{
	if (!strcmp(name, "x86_64") || !strcmp(name, "amd64"))
		return ELF_ARCH_X86_64;
	if (!strcmp(name, "aarch64") || !strcmp(name, "arm64"))
		return ELF_ARCH_AARCH64;
	return ELF_ARCH_UNKNOWN;
}

enum elf_arch elf_arch_native(void)
{
#if defined(__x86_64__)
	return ELF_ARCH_X86_64;
#elif defined(__aarch64__)
	return ELF_ARCH_AARCH64;
#else
	return ELF_ARCH_UNKNOWN;
#endif
}
