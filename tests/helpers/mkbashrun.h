/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mkbashrun.h - the bash runfile fixture writer, in two parts: mkbashrun.c
 * (options, the archive, the base64 text, the fake exporter) and
 * mkbashrun-script.c (the bash script in front of __ARCHIVE__).
 */
#ifndef KTSTR_TEST_MKBASHRUN_H
#define KTSTR_TEST_MKBASHRUN_H

#include <stddef.h>

#define MAXLIST 256

/* An archive member: a file, or a symbolic link (extra members damage fixtures). */
struct member {
	const char *name;
	const char *path;        /* file to read, or */
	const char *symlink;     /* a symbolic link to this */
	unsigned mode;
};

/* What to write (the options of mkbashrun). */
struct fixture {
	const char *output, *name, *sched_name, *git_hash;
	unsigned long llcs, cores, threads, numa, duration, watchdog;
	const char *runner, *scheduler, *cgroup_parent;
	const char *sched_args[MAXLIST], *extra_args[MAXLIST], *includes[MAXLIST];
	int nsched_args, nextra_args, nincludes;
	const char *config_file, *config_content, *config_template, *config_guest_path,
		*config_hash;
	struct member extra[MAXLIST];
	int nextra;
	const char *mode_names[MAXLIST];
	unsigned modes[MAXLIST];
	int nmodes;
	const char *fake_mode, *fake_record;
};

struct buf {
	char *p;
	size_t len, cap;
};

void buf_add(struct buf *b, const void *d, size_t n);
void buf_str(struct buf *b, const char *s);
void buf_fmt(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
const char *base_of(const char *path);

/**
 * fixture_script() - append the script of @f, up to and without the
 * __ARCHIVE__ line, to @s.
 * @inline_base: the basename of the inline config (NULL: none)
 */
void fixture_script(struct buf *s, const struct fixture *f, const char *inline_base);

#endif
