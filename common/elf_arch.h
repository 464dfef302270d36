/* SPDX-License-Identifier: GPL-2.0-only */
/* elf_arch.h - identify the machine an ELF file is built for. */
#ifndef KTSTR_ELF_ARCH_H
#define KTSTR_ELF_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* The architectures a runfile stub exists for (64-bit little-endian). */
enum elf_arch {
	ELF_ARCH_UNKNOWN = 0,
	ELF_ARCH_X86_64,
	ELF_ARCH_AARCH64,
};

/* What the first 20 bytes of an ELF file say (identical in both classes). */
struct elf_ident {
	uint8_t elf_class;      /* ELFCLASS32 or ELFCLASS64 */
	uint8_t data;           /* ELFDATA2LSB or ELFDATA2MSB */
	uint16_t type;          /* e_type: ET_EXEC, ET_DYN, ET_REL, ... */
	uint16_t machine;       /* e_machine, in the file's byte order */
};

/**
 * elf_read_ident() - the class, byte order, type and machine of the ELF
 * image at @off in @fd.
 * Return: 0; -ENOEXEC when it is no ELF file (too short, no magic, an
 * unknown class or byte order); another negative errno when it cannot be
 * read.
 */
int elf_read_ident(int fd, uint64_t off, struct elf_ident *id);

/** elf_file_ident() - elf_read_ident() on the start of @path. */
int elf_file_ident(const char *path, struct elf_ident *id);

/** elf_buf_ident() - elf_read_ident() on @len bytes in memory. */
int elf_buf_ident(const void *buf, size_t len, struct elf_ident *id);

/** elf_ident_arch() - the stub architecture of @id (64-bit LE only). */
enum elf_arch elf_ident_arch(const struct elf_ident *id);

/** elf_ident_same_machine() - @a and @b run on the same kind of CPU. */
bool elf_ident_same_machine(const struct elf_ident *a, const struct elf_ident *b);

/**
 * elf_ident_describe() - "aarch64 (ELF machine 183)", "32-bit arm (ELF
 * machine 40)", "big-endian 64-bit ppc64 (ELF machine 21)": for messages.
 */
void elf_ident_describe(const struct elf_ident *id, struct strbuf *out);

/** elf_machine_name() - "x86_64", "aarch64", "riscv", ...; NULL if unknown. */
const char *elf_machine_name(uint16_t machine);

/**
 * elf_read_arch() - the architecture of the ELF image at @off in @fd.
 * @machine: the raw e_machine (set whenever it is an ELF file)
 * Return: 0 with *@arch set (ELF_ARCH_UNKNOWN for machines we have no
 * name for), -ENOEXEC when it is not a 64-bit little-endian ELF file,
 * another negative errno when it cannot be read.
 */
int elf_read_arch(int fd, uint64_t off, enum elf_arch *arch, uint16_t *machine);

/** elf_file_arch() - elf_read_arch() on the start of @path. */
int elf_file_arch(const char *path, enum elf_arch *arch, uint16_t *machine);

/** elf_buf_arch() - elf_read_arch() on @len bytes in memory. */
int elf_buf_arch(const void *buf, size_t len, enum elf_arch *arch, uint16_t *machine);

const char *elf_arch_name(enum elf_arch arch);
/* elf_arch_parse: "x86_64"/"aarch64" (also "amd64"/"arm64") */
enum elf_arch elf_arch_parse(const char *name);
enum elf_arch elf_arch_native(void);
/* elf_arch_machine: EM_X86_64 / EM_AARCH64, 0 for ELF_ARCH_UNKNOWN */
uint16_t elf_arch_machine(enum elf_arch arch);

#endif
