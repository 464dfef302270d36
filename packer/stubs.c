// SPDX-License-Identifier: GPL-2.0-only
/*
 * stubs.c - the stubs embedded at build time (stub-blob-*.S), and the
 * choice of the one a payload needs, from the ELF machine of its files.
 */
#include "config.h"

#include "stubs.h"
#include "error.h"
#include "macros.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

/* ---- what the payload's files are built for -------------------------------- */

int stub_input_file(struct stub_input *in, const char *role, const char *path)
{
	int r = elf_file_ident(path, &in->id);

	in->role = role;
	in->name = path;
	in->is_elf = r == 0;
	if (r == -ENOEXEC) {
		error_clear();
		return 0;
	}
	return r < 0 ? error_prefix(r, "%s", role) : 0;
}

void stub_input_buf(struct stub_input *in, const char *role, const char *name,
		    const void *data, size_t len)
{
	in->role = role;
	in->name = name;
	in->is_elf = elf_buf_ident(data, len, &in->id) == 0;
	error_clear();
}

/* The machine the runfile is for, and what decided it (for messages). */
struct target {
	struct elf_ident id;
	const char *role;       /* "runner", "stub", or "--arch" */
	const char *name;       /* the file, or NULL for --arch */
};

/* "runner ./t is built for aarch64 (ELF machine 183)", "--arch asks for ..." */
static void add_target(struct strbuf *sb, const struct target *t)
{
	if (t->name)
		strbuf_addf(sb, "%s %s is built for ", t->role, t->name);
	else
		strbuf_addf(sb, "%s asks for ", t->role);
	elf_ident_describe(&t->id, sb);
}

/* A program or library of @f runs on @t's machine (32-bit ones through compat). */
static bool runs_on(const struct elf_ident *f, const struct elf_ident *t)
{
	if (elf_ident_same_machine(f, t))
		return true;
	return (t->machine == EM_X86_64 && f->machine == EM_386) ||
	       (t->machine == EM_AARCH64 && f->machine == EM_ARM && f->data == ELFDATA2LSB);
}

/* "A is built for X, but B is built for Y" */
static int conflict(const struct target *a, const struct target *b)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	add_target(&sb, a);
	strbuf_addstr(&sb, ", but ");
	add_target(&sb, b);
	return error_set(-ENOEXEC, "%s", strbuf_cstr(&sb));
}

static int mismatch(const struct stub_input *f, const struct target *t)
{
	const struct target ft = { .id = f->id, .role = f->role, .name = f->name };

	conflict(&ft, t);
	error_hint("a runfile runs its test, scheduler and programs on one host: build them "
		   "all for the same architecture");
	return -ENOEXEC;
}

/*
 * Every ELF file of the payload must suit the target: the runner and the
 * scheduler exactly, included programs and libraries through compat too.
 * ELF files of other types (BPF objects, core files) are data, as are
 * non-ELF files.
 */
static int check_payload(const struct stub_input *runner, const struct stub_input *sched,
			 const struct stub_input *inc, size_t n, const struct target *t)
{
	if (runner->is_elf && !elf_ident_same_machine(&runner->id, &t->id))
		return mismatch(runner, t);
	if (sched && sched->is_elf && !elf_ident_same_machine(&sched->id, &t->id))
		return mismatch(sched, t);
	for (size_t i = 0; i < n; i++) {
		if (!inc[i].is_elf || (inc[i].id.type != ET_EXEC && inc[i].id.type != ET_DYN))
			continue;
		if (!runs_on(&inc[i].id, &t->id))
			return mismatch(&inc[i], t);
	}
	return 0;
}

static int parse_arch(const char *name, enum elf_arch *arch)
{
	*arch = elf_arch_parse(name);
	if (*arch == ELF_ARCH_UNKNOWN)
		return error_set(-EINVAL, "--arch %s: not an architecture ktstr-pack builds stubs "
				 "for (x86_64, aarch64)", name);
	return 0;
}

static void arch_ident(enum elf_arch arch, struct elf_ident *id)
{
	*id = (struct elf_ident){ .elf_class = ELFCLASS64, .data = ELFDATA2LSB, .type = ET_EXEC,
				  .machine = elf_arch_machine(arch) };
}

/* the embedded stub for the payload: the runner's machine, or --arch */
static int choose_embedded(const struct stub_input *runner, const struct stub_input *sched,
			   const struct stub_input *inc, size_t n, const char *arch_override,
			   const struct stub_image **out)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct target t = { .role = "--arch" };
	enum elf_arch arch;
	int r;

	*out = NULL;
	if (arch_override) {
		if ((r = parse_arch(arch_override, &arch)) < 0)
			return r;
		arch_ident(arch, &t.id);
	} else if (runner->is_elf) {
		t = (struct target){ .id = runner->id, .role = runner->role, .name = runner->name };
	} else {
		error_set(-ENOEXEC, "%s %s is not an ELF file, so it names no architecture to "
			  "pick a stub for", runner->role, runner->name);
		error_hint("give the ktstr test binary, or pick the stub with --arch x86_64|aarch64");
		return -ENOEXEC;
	}
	arch = elf_ident_arch(&t.id);
	*out = stubs_find(arch);
	if (!*out) {
		add_target(&sb, &t);
		error_set(-ENOEXEC, "%s, and this ktstr-pack has stubs for %s only",
			  strbuf_cstr(&sb), stubs_list());
		error_hint("%s", arch != ELF_ARCH_UNKNOWN ?
			   "build ktstr-pack with configure --enable-stubs=x86_64,aarch64 (README: "
			   "Architectures), or give that architecture's stub with --stub PATH" :
			   "give a stub built for that machine with --stub PATH");
		return -ENOEXEC;
	}
	return check_payload(runner, sched, inc, n, &t);
}

static int read_whole(int fd, const char *path, struct strbuf *out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set_errno(-errno, "cannot read the stub %s", path);
		strbuf_add(out, buf, (size_t)n);
	}
	return 0;
}

/* --stub PATH: it must be an ELF program, and it sets the target */
static int load_stub_file(const struct stub_input *runner, const struct stub_input *sched,
			  const struct stub_input *inc, size_t n, const char *arch_override,
			  const char *path, struct strbuf *out)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct target t = { .role = "stub", .name = path };
	enum elf_arch arch;
	int r;

	if (fd < 0)
		return error_set_errno(-errno, "cannot open the stub %s", path);
	if ((r = elf_read_ident(fd, 0, &t.id)) < 0) {
		error_prefix(r, "stub %s", path);
		if (r == -ENOEXEC)
			error_hint("--stub takes a ktstr-stub program (installed as "
				   "ktstr-stub-<arch> in ktstr-pack's libexec directory)");
		return r;
	}
	if (t.id.type != ET_EXEC && t.id.type != ET_DYN)
		return error_set(-ENOEXEC, "stub %s is an ELF file but no program (ELF type %u)",
				 path, t.id.type);
	if (arch_override) {
		struct target want = { .role = "--arch" };

		if ((r = parse_arch(arch_override, &arch)) < 0)
			return r;
		arch_ident(arch, &want.id);
		if (!elf_ident_same_machine(&want.id, &t.id))
			return conflict(&t, &want);
	}
	if ((r = check_payload(runner, sched, inc, n, &t)) < 0)
		return r;
	return read_whole(fd, path, out);
}

int stubs_load_inputs(const struct stub_input *runner, const struct stub_input *scheduler,
		      const struct stub_input *includes, size_t n, const char *arch_override,
		      const char *stub_path, struct strbuf *out)
{
	const struct stub_image *img;
	int r;

	if (stub_path)
		return load_stub_file(runner, scheduler, includes, n, arch_override, stub_path,
				      out);
	if ((r = choose_embedded(runner, scheduler, includes, n, arch_override, &img)) < 0)
		return r;
	strbuf_add(out, img->data, img->len);
	return 0;
}

/* the stub_input of each path; *@inc is allocated (NULL when @n is 0) */
static int read_inputs(const char *runner, const char *scheduler, const char *const *includes,
		       size_t n, struct stub_input *rin, struct stub_input *sin,
		       struct stub_input **inc)
{
	int r;

	*inc = n ? calloc(n, sizeof(**inc)) : NULL;
	if (n && !*inc)
		return error_set(-ENOMEM, "out of memory");
	if ((r = stub_input_file(rin, "runner", runner)) < 0)
		return r;
	if (scheduler && (r = stub_input_file(sin, "scheduler", scheduler)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if ((r = stub_input_file(&(*inc)[i], "include", includes[i])) < 0)
			return r;
	return 0;
}

int stubs_choose(const char *runner, const char *scheduler, const char *const *includes,
		 size_t n, const char *arch_override, const struct stub_image **out)
{
	_cleanup_free_ struct stub_input *inc = NULL;
	struct stub_input rin, sin;
	int r;

	*out = NULL;
	if ((r = read_inputs(runner, scheduler, includes, n, &rin, &sin, &inc)) < 0)
		return r;
	return choose_embedded(&rin, scheduler ? &sin : NULL, inc, n, arch_override, out);
}

int stubs_load(const char *runner, const char *scheduler, const char *const *includes,
	       size_t n, const char *arch_override, const char *stub_path, struct strbuf *out)
{
	_cleanup_free_ struct stub_input *inc = NULL;
	struct stub_input rin, sin;
	int r;

	if ((r = read_inputs(runner, scheduler, includes, n, &rin, &sin, &inc)) < 0)
		return r;
	return stubs_load_inputs(&rin, scheduler ? &sin : NULL, inc, n, arch_override,
				 stub_path, out);
}
