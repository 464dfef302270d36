// SPDX-License-Identifier: GPL-2.0-only
/* test_elf_arch.c - common/elf_arch.c: the ELF machine of real binaries of
 * both architectures, and of truncated, non-ELF, 32-bit and big-endian files. */
#include "elf_arch.h"
#include "macros.h"
#include "strbuf.h"
#include "unit.h"
#include "xalloc.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* a 64-byte ELF header: class, byte order, e_type, e_machine */
static char *mkelf(const char *name, uint8_t cls, uint8_t data, uint16_t type, uint16_t mach,
		   long len)
{
	uint8_t h[64] = { 0x7f, 'E', 'L', 'F', cls, data, EV_CURRENT };

	if (data == ELFDATA2MSB) {
		h[16] = (uint8_t)(type >> 8), h[17] = (uint8_t)type;
		h[18] = (uint8_t)(mach >> 8), h[19] = (uint8_t)mach;
	} else {
		h[16] = (uint8_t)type, h[17] = (uint8_t)(type >> 8);
		h[18] = (uint8_t)mach, h[19] = (uint8_t)(mach >> 8);
	}
	unit_write(unit_dir, name, (const char *)h, len < 0 ? (long)sizeof(h) : len, 0644);
	return xasprintf("%s/%s", unit_dir, name);
}

static void expect_ident(const char *path, uint8_t cls, uint8_t data, uint16_t type,
			 uint16_t mach)
{
	struct elf_ident id;

	ck_assert_ok(elf_file_ident(path, &id));
	ck_assert_msg(id.elf_class == cls && id.data == data && id.type == type &&
		      id.machine == mach, "%s: class %u data %u type %u machine %u", path,
		      id.elf_class, id.data, id.type, id.machine);
}

static char *describe(const struct elf_ident *id)
{
	struct strbuf sb = STRBUF_INIT;

	elf_ident_describe(id, &sb);
	return strbuf_detach(&sb, NULL);
}

/* The native stub, built next to the tests (KTSTR_STUB). */
START_TEST(native_stub)
{
	const char *stub = getenv("KTSTR_STUB");
	struct elf_ident id;
	enum elf_arch arch;
	uint16_t machine;

	if (!stub || access(stub, R_OK)) {
		fprintf(stderr, "SKIP native_stub: KTSTR_STUB not set or unreadable\n");
		return;
	}
	ck_assert_ok(elf_file_ident(stub, &id));
	ck_assert_int_eq(elf_ident_arch(&id), elf_arch_native());
	ck_assert_int_eq(id.elf_class, ELFCLASS64);
	ck_assert(id.type == ET_EXEC || id.type == ET_DYN);
	ck_assert_ok(elf_file_arch(stub, &arch, &machine));
	ck_assert_int_eq(arch, elf_arch_native());
	ck_assert_uint_eq(machine, elf_arch_machine(elf_arch_native()));
}
END_TEST

/*
 * A real aarch64 binary: the cross-built stub or helper of this build, else
 * the arm64 cross libc (libc6-arm64-cross).  Skipped when none is there.
 */
START_TEST(real_aarch64_binary)
{
	const char *stub = getenv("KTSTR_STUB"), *helpers = getenv("KTSTR_HELPERS");
	char *cand[4] = { NULL };
	const char *found = NULL;
	struct elf_ident id;
	enum elf_arch arch;
	uint16_t machine;
	char *d;

	if (stub) {
		/* <builddir>/stub/ktstr-stub -> <builddir>/stub-aarch64/ktstr-stub-aarch64 */
		d = xstrdup(stub);
		*strrchr(d, '/') = 0;
		cand[0] = xasprintf("%s/../stub-aarch64/ktstr-stub-aarch64", d);
		free(d);
	}
	if (helpers)
		cand[1] = xasprintf("%s/aarch64/sample-test", helpers);
	cand[2] = xstrdup("/usr/aarch64-linux-gnu/lib/libc.so.6");
	for (int i = 0; i < 3 && !found; i++)
		if (cand[i] && !access(cand[i], R_OK))
			found = cand[i];
	if (!found) {
		fprintf(stderr, "SKIP real_aarch64_binary: no aarch64 binary here (configure "
			"--enable-stubs=x86_64,aarch64, or install libc6-arm64-cross)\n");
	} else {
		ck_assert_ok(elf_file_ident(found, &id));
		ck_assert_int_eq(id.machine, EM_AARCH64);
		ck_assert_int_eq(elf_ident_arch(&id), ELF_ARCH_AARCH64);
		ck_assert_ok(elf_file_arch(found, &arch, &machine));
		ck_assert_int_eq(arch, ELF_ARCH_AARCH64);
		ck_assert_uint_eq(machine, 183);
	}
	for (int i = 0; i < 3; i++)
		free(cand[i]);
}
END_TEST

START_TEST(synthetic_64bit_le)
{
	_cleanup_free_ char *x = mkelf("x", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64, -1);
	_cleanup_free_ char *a = mkelf("a", ELFCLASS64, ELFDATA2LSB, ET_DYN, EM_AARCH64, -1);
	_cleanup_free_ char *r = mkelf("r", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_RISCV, -1);
	enum elf_arch arch;
	uint16_t machine;

	expect_ident(x, ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64);
	expect_ident(a, ELFCLASS64, ELFDATA2LSB, ET_DYN, EM_AARCH64);
	ck_assert_ok(elf_file_arch(r, &arch, &machine));
	ck_assert_int_eq(arch, ELF_ARCH_UNKNOWN);       /* an ELF file, no stub for it */
	ck_assert_uint_eq(machine, EM_RISCV);
}
END_TEST

START_TEST(thirty_two_bit)
{
	_cleanup_free_ char *p = mkelf("arm", ELFCLASS32, ELFDATA2LSB, ET_EXEC, EM_ARM, -1);
	_cleanup_free_ char *d = NULL;
	struct elf_ident id;
	enum elf_arch arch;
	uint16_t machine;

	expect_ident(p, ELFCLASS32, ELFDATA2LSB, ET_EXEC, EM_ARM);
	ck_assert_ok(elf_file_ident(p, &id));
	ck_assert_int_eq(elf_ident_arch(&id), ELF_ARCH_UNKNOWN);
	/* no stub is 32-bit: refused, but the machine is still reported */
	ck_assert_fails(elf_file_arch(p, &arch, &machine), -ENOEXEC, "not a 64-bit little-endian");
	ck_assert_uint_eq(machine, EM_ARM);
	d = describe(&id);
	ck_assert_str_eq(d, "32-bit arm (ELF machine 40)");
}
END_TEST

START_TEST(big_endian)
{
	_cleanup_free_ char *p = mkelf("ppc", ELFCLASS64, ELFDATA2MSB, ET_EXEC, EM_PPC64, -1);
	_cleanup_free_ char *s = mkelf("s390", ELFCLASS64, ELFDATA2MSB, ET_DYN, EM_S390, -1);
	_cleanup_free_ char *d = NULL;
	struct elf_ident id;
	enum elf_arch arch;
	uint16_t machine;

	/* e_type and e_machine are read big-endian: 21, not 21 << 8 */
	expect_ident(p, ELFCLASS64, ELFDATA2MSB, ET_EXEC, EM_PPC64);
	expect_ident(s, ELFCLASS64, ELFDATA2MSB, ET_DYN, EM_S390);
	ck_assert_fails(elf_file_arch(p, &arch, &machine), -ENOEXEC, "not a 64-bit little-endian");
	ck_assert_uint_eq(machine, EM_PPC64);
	ck_assert_ok(elf_file_ident(p, &id));
	d = describe(&id);
	ck_assert_str_eq(d, "big-endian 64-bit ppc64 (ELF machine 21)");
}
END_TEST

START_TEST(truncated)
{
	_cleanup_free_ char *p19 = mkelf("t19", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64, 19);
	_cleanup_free_ char *p4 = mkelf("t4", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64, 4);
	_cleanup_free_ char *p3 = mkelf("t3", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64, 3);
	_cleanup_free_ char *p20 = mkelf("t20", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64, 20);
	_cleanup_free_ char *e = xasprintf("%s/empty", unit_dir);
	struct elf_ident id;

	/* 20 bytes hold e_machine: enough */
	expect_ident(p20, ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64);
	ck_assert_fails(elf_file_ident(p19, &id), -ENOEXEC, "truncated header: 19 bytes");
	ck_assert_fails(elf_file_ident(p4, &id), -ENOEXEC, "truncated header: 4 bytes");
	ck_assert_fails(elf_file_ident(p3, &id), -ENOEXEC, "not an ELF file");
	unit_write(unit_dir, "empty", "", 0, 0644);
	ck_assert_fails(elf_file_ident(e, &id), -ENOEXEC, "not an ELF file");
	/* the in-memory reader stops at the buffer's end the same way */
	ck_assert_fails(elf_buf_ident("\x7f" "ELF\x02\x01\x01", 7, &id), -ENOEXEC, "truncated");
}
END_TEST

START_TEST(not_elf)
{
	_cleanup_free_ char *s = xasprintf("%s/script", unit_dir);
	_cleanup_free_ char *c = mkelf("badclass", 3, ELFDATA2LSB, ET_EXEC, EM_X86_64, -1);
	_cleanup_free_ char *b = mkelf("badorder", ELFCLASS64, 0, ET_EXEC, EM_X86_64, -1);
	_cleanup_free_ char *m = xasprintf("%s/missing", unit_dir);
	struct elf_ident id;
	enum elf_arch arch;
	uint16_t machine;

	unit_write(unit_dir, "script", "#!/bin/sh\nexit 0\n# padding to more than twenty bytes\n",
		   -1, 0755);
	ck_assert_fails(elf_file_ident(s, &id), -ENOEXEC, "not an ELF file");
	ck_assert_fails(elf_file_arch(s, &arch, &machine), -ENOEXEC, "not an ELF file");
	ck_assert_int_eq(arch, ELF_ARCH_UNKNOWN);
	ck_assert_uint_eq(machine, 0);
	ck_assert_fails(elf_file_ident(c, &id), -ENOEXEC, "class 3");
	ck_assert_fails(elf_file_ident(b, &id), -ENOEXEC, "byte order 0");
	ck_assert_fails(elf_file_ident(m, &id), -ENOENT, "cannot open");
}
END_TEST

/* elf_read_ident() reads at an offset, and from a pipe in pieces */
START_TEST(offset_and_pipe)
{
	_cleanup_free_ char *p = mkelf("a", ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_AARCH64, -1);
	_cleanup_close_ int fd = open(p, O_RDONLY);
	struct elf_ident id;
	uint8_t buf[64 + 100];
	int fds[2];

	ck_assert_int_ge(fd, 0);
	/* 100 bytes of something, then the header: the runfile case */
	memset(buf, 'x', 100);
	ck_assert_int_eq(pread(fd, buf + 100, 64, 0), 64);
	unit_write(unit_dir, "prefixed", (const char *)buf, sizeof(buf), 0644);
	{
		_cleanup_free_ char *q = xasprintf("%s/prefixed", unit_dir);
		_cleanup_close_ int qfd = open(q, O_RDONLY);

		ck_assert_ok(elf_read_ident(qfd, 100, &id));
		ck_assert_uint_eq(id.machine, EM_AARCH64);
		ck_assert_fails(elf_read_ident(qfd, 0, &id), -ENOEXEC, "not an ELF file");
	}
	ck_assert_ok(elf_buf_ident(buf + 100, 64, &id));
	ck_assert_uint_eq(id.machine, EM_AARCH64);
	/* pread fails on a pipe: the error is an errno, not "not an ELF file" */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], buf + 100, 64), 64);
	ck_assert_fails(elf_read_ident(fds[0], 0, &id), -ESPIPE, "cannot read the ELF header");
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(names)
{
	struct elf_ident a = { ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_AARCH64 };
	struct elf_ident x = { ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64 };
	struct elf_ident x32 = { ELFCLASS32, ELFDATA2LSB, ET_EXEC, EM_X86_64 };
	struct elf_ident u = { ELFCLASS64, ELFDATA2LSB, ET_EXEC, 4242 };
	_cleanup_free_ char *da = describe(&a);
	_cleanup_free_ char *du = describe(&u);

	ck_assert_str_eq(da, "aarch64 (ELF machine 183)");
	ck_assert_str_eq(du, "an unknown machine (ELF machine 4242)");
	ck_assert(elf_ident_same_machine(&x, &x));
	ck_assert(!elf_ident_same_machine(&x, &a));
	ck_assert(!elf_ident_same_machine(&x, &x32));
	ck_assert_int_eq(elf_arch_parse("x86_64"), ELF_ARCH_X86_64);
	ck_assert_int_eq(elf_arch_parse("amd64"), ELF_ARCH_X86_64);
	ck_assert_int_eq(elf_arch_parse("aarch64"), ELF_ARCH_AARCH64);
	ck_assert_int_eq(elf_arch_parse("arm64"), ELF_ARCH_AARCH64);
	ck_assert_int_eq(elf_arch_parse("arm"), ELF_ARCH_UNKNOWN);
	ck_assert_int_eq(elf_arch_parse(""), ELF_ARCH_UNKNOWN);
	ck_assert_str_eq(elf_arch_name(ELF_ARCH_AARCH64), "aarch64");
	ck_assert_str_eq(elf_arch_name(ELF_ARCH_X86_64), "x86_64");
	ck_assert_uint_eq(elf_arch_machine(ELF_ARCH_AARCH64), EM_AARCH64);
	ck_assert_uint_eq(elf_arch_machine(ELF_ARCH_UNKNOWN), 0);
	ck_assert_ptr_null(elf_machine_name(4242));
}
END_TEST

UNIT_MAIN("elf_arch",
	  UNIT_TCASE("reader", unit_dir_setup, unit_dir_teardown, 0,
		     native_stub, real_aarch64_binary, synthetic_64bit_le, thirty_two_bit,
		     big_endian, truncated, not_elf, offset_and_pipe, names));
