/* SPDX-License-Identifier: GPL-2.0-only */
/* stubs.h - the runfile stubs ktstr-pack carries, one per architecture, and
 * the choice of the one a payload needs. */
#ifndef KTSTR_STUBS_H
#define KTSTR_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_arch.h"
#include "strbuf.h"

struct stub_image {
	enum elf_arch arch;
	const uint8_t *data;
	size_t len;
};

/** stubs_find() - the embedded stub for @arch, or NULL. */
const struct stub_image *stubs_find(enum elf_arch arch);

/** stubs_list() - "x86_64, aarch64": the architectures built in. */
const char *stubs_list(void);

/* One file of the payload as the choice sees it (see stub_input_*()). */
struct stub_input {
	const char *role;       /* "runner", "scheduler", "include": for messages */
	const char *name;       /* its path, or where it comes from: for messages */
	bool is_elf;
	struct elf_ident id;    /* when is_elf */
};

/**
 * stub_input_file() - fill @in from the ELF header of the file @path.
 * Return: 0 (a file that is no ELF file is an input with is_elf false),
 * or a negative errno when @path cannot be opened or read.
 */
int stub_input_file(struct stub_input *in, const char *role, const char *path);

/** stub_input_buf() - fill @in from @len bytes in memory (an archive member). */
void stub_input_buf(struct stub_input *in, const char *role, const char *name,
		    const void *data, size_t len);

/**
 * stubs_load_inputs() - stubs_load() on payload files described by
 * stub_input_*(): for callers whose files are not on disk (--from-run).
 * @scheduler may be NULL; @includes has @n entries.
 */
int stubs_load_inputs(const struct stub_input *runner, const struct stub_input *scheduler,
		      const struct stub_input *includes, size_t n, const char *arch_override,
		      const char *stub_path, struct strbuf *out);

/**
 * stubs_choose() - the embedded stub for the machine the payload runs on.
 * @runner: the test binary; its ELF machine picks the stub
 * @scheduler: the scheduler binary, or NULL; when it is ELF it must be for
 *	the runner's machine (both run on the same host)
 * @includes: the include files (resolved paths), @n of them; those that
 *	are ELF programs or libraries must run on that machine too (other
 *	ELF files, e.g. BPF objects, and non-ELF files are data)
 * @arch_override: NULL, or "x86_64"/"aarch64" (--arch): use that stub; the
 *	runner may then be a non-ELF file, and ELF files must still match
 * @out: the chosen stub
 *
 * A non-ELF runner (without @arch_override), mismatched architectures and
 * an architecture without a stub are refused with a message that names
 * each file and its machine.
 * Return: 0, or a negative errno with the message set (error.h).
 */
int stubs_choose(const char *runner, const char *scheduler, const char *const *includes,
		 size_t n, const char *arch_override, const struct stub_image **out);

/**
 * stubs_load() - the stub bytes for a payload: those of @stub_path (--stub)
 * when given, else the embedded stub stubs_choose() picks.
 *
 * @stub_path must be an ELF file; it decides the target machine instead of
 * the runner (so a stub for an architecture built in nowhere can be used),
 * and the runner, scheduler and includes are checked against it as in
 * stubs_choose(). Other arguments as for stubs_choose().
 * Return: 0 with the stub appended to @out, or a negative errno.
 */
int stubs_load(const char *runner, const char *scheduler, const char *const *includes,
	       size_t n, const char *arch_override, const char *stub_path, struct strbuf *out);

#endif
