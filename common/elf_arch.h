/* SPDX-License-Identifier: GPL-2.0-only */
/* elf_arch.h - identify the machine an ELF file is built for. */
#ifndef KTSTR_ELF_ARCH_H
#define KTSTR_ELF_ARCH_H

#include <stdint.h>

enum elf_arch {
	ELF_ARCH_UNKNOWN = 0,
	ELF_ARCH_X86_64,
	ELF_ARCH_AARCH64,
};

/**
 * elf_read_arch() - the architecture of the ELF image at @off in @fd.
 * @machine: the raw e_machine (set whenever the header is readable)
 * Return: 0 with *@arch set (ELF_ARCH_UNKNOWN for machines we have no
 * name for), -ENOEXEC when it is not a 64-bit little-endian ELF file,
 * another negative errno when it cannot be read.
 */
int elf_read_arch(int fd, uint64_t off, enum elf_arch *arch, uint16_t *machine);

/** elf_file_arch() - elf_read_arch() on the start of @path. */
int elf_file_arch(const char *path, enum elf_arch *arch, uint16_t *machine);

const char *elf_arch_name(enum elf_arch arch);
/* elf_arch_parse: "x86_64"/"aarch64" (also "amd64"/"arm64") */
enum elf_arch elf_arch_parse(const char *name);
enum elf_arch elf_arch_native(void);

#endif
