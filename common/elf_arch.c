// SPDX-License-Identifier: GPL-2.0-only
/* elf_arch.c - read e_machine (and class, byte order, type) from an ELF header. */
#include "elf_arch.h"
#include "error.h"
#include "fdio.h"
#include "macros.h"
#include "strbuf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

/* e_ident[16], then e_type and e_machine: the same offsets in ELF32 and ELF64 */
#define ELF_IDENT_BYTES (EI_NIDENT + 4)

/* @h: the first @got (at most ELF_IDENT_BYTES) bytes of the file */
static int parse_ident(const uint8_t *h, size_t got, struct elf_ident *id)
{
	memset(id, 0, sizeof(*id));
	if (got < SELFMAG || memcmp(h, ELFMAG, SELFMAG) != 0)
		return error_set(-ENOEXEC, "not an ELF file");
	if (got < ELF_IDENT_BYTES)
		return error_set(-ENOEXEC, "not an ELF file (truncated header: %zu bytes)", got);
	if (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64)
		return error_set(-ENOEXEC, "not an ELF file (class %u)", h[EI_CLASS]);
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return error_set(-ENOEXEC, "not an ELF file (byte order %u)", h[EI_DATA]);
	id->elf_class = h[EI_CLASS];
	id->data = h[EI_DATA];
	if (id->data == ELFDATA2LSB) {
		id->type = get_le16(h + EI_NIDENT);
		id->machine = get_le16(h + EI_NIDENT + 2);
	} else {
		id->type = (uint16_t)(h[EI_NIDENT] << 8 | h[EI_NIDENT + 1]);
		id->machine = (uint16_t)(h[EI_NIDENT + 2] << 8 | h[EI_NIDENT + 3]);
	}
	return 0;
}

int elf_read_ident(int fd, uint64_t off, struct elf_ident *id)
{
	uint8_t h[ELF_IDENT_BYTES];
	ssize_t got;

	memset(id, 0, sizeof(*id));
	/* a short file is parse_ident()'s to judge ("too short"), not an error here */
	got = fd_pread_full(fd, h, sizeof(h), off);
	if (got < 0)
		return error_set_errno((int)got, "cannot read the ELF header");
	return parse_ident(h, (size_t)got, id);
}

int elf_buf_ident(const void *buf, size_t len, struct elf_ident *id)
{
	return parse_ident(buf, len < ELF_IDENT_BYTES ? len : ELF_IDENT_BYTES, id);
}

int elf_file_ident(const char *path, struct elf_ident *id)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		memset(id, 0, sizeof(*id));
		return error_set_errno(-errno, "cannot open %s", path);
	}
	return elf_read_ident(fd, 0, id);
}

enum elf_arch elf_ident_arch(const struct elf_ident *id)
{
	if (id->elf_class != ELFCLASS64 || id->data != ELFDATA2LSB)
		return ELF_ARCH_UNKNOWN;
	if (id->machine == EM_X86_64)
		return ELF_ARCH_X86_64;
	if (id->machine == EM_AARCH64)
		return ELF_ARCH_AARCH64;
	return ELF_ARCH_UNKNOWN;
}

bool elf_ident_same_machine(const struct elf_ident *a, const struct elf_ident *b)
{
	return a->elf_class == b->elf_class && a->data == b->data && a->machine == b->machine;
}

const char *elf_machine_name(uint16_t machine)
{
	switch (machine) {
	case EM_X86_64: return "x86_64";
	case EM_AARCH64: return "aarch64";
	case EM_386: return "i386";
	case EM_ARM: return "arm";
	case EM_RISCV: return "riscv";
	case EM_PPC: return "ppc";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	case EM_MIPS: return "mips";
	case EM_SPARCV9: return "sparc64";
	case EM_LOONGARCH: return "loongarch";
	case EM_BPF: return "bpf";
	default: return NULL;
	}
}

void elf_ident_describe(const struct elf_ident *id, struct strbuf *out)
{
	const char *name = elf_machine_name(id->machine);

	if (id->data == ELFDATA2MSB)
		strbuf_addstr(out, "big-endian ");
	/* the stubs are 64-bit: say the class whenever it is not the usual one */
	if (id->elf_class == ELFCLASS32)
		strbuf_addstr(out, "32-bit ");
	else if (id->data == ELFDATA2MSB)
		strbuf_addstr(out, "64-bit ");
	strbuf_addf(out, "%s (ELF machine %u)", name ? name : "an unknown machine", id->machine);
}

/* elf_read_arch() and friends, once the ident is read (or not: @r < 0) */
static int ident_arch(int r, const struct elf_ident *id, enum elf_arch *arch, uint16_t *machine)
{
	*arch = ELF_ARCH_UNKNOWN;
	*machine = 0;
	if (r < 0)
		return r;
	*machine = id->machine;
	if (id->elf_class != ELFCLASS64 || id->data != ELFDATA2LSB)
		return error_set(-ENOEXEC, "not a 64-bit little-endian ELF file");
	*arch = elf_ident_arch(id);
	return 0;
}

int elf_read_arch(int fd, uint64_t off, enum elf_arch *arch, uint16_t *machine)
{
	struct elf_ident id;
	int r = elf_read_ident(fd, off, &id);

	return ident_arch(r, &id, arch, machine);
}

int elf_file_arch(const char *path, enum elf_arch *arch, uint16_t *machine)
{
	struct elf_ident id;
	int r = elf_file_ident(path, &id);

	return ident_arch(r, &id, arch, machine);
}

int elf_buf_arch(const void *buf, size_t len, enum elf_arch *arch, uint16_t *machine)
{
	struct elf_ident id;
	int r = elf_buf_ident(buf, len, &id);

	return ident_arch(r, &id, arch, machine);
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

uint16_t elf_arch_machine(enum elf_arch arch)
{
	switch (arch) {
	case ELF_ARCH_X86_64: return EM_X86_64;
	case ELF_ARCH_AARCH64: return EM_AARCH64;
	default: return 0;
	}
}
