/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mkbashrun.h - the bash runfile fixture writer, in three parts:
 * mkbashrun.c (options, the archive, the base64 text, the fake exporter),
 * mkbashrun-script.c (the bash script in front of __ARCHIVE__) and
 * mkbashrun-tar.c (hostile archives: lying sizes, cheap gzip bombs).
 */
#ifndef KTSTR_TEST_MKBASHRUN_H
#define KTSTR_TEST_MKBASHRUN_H

#include <stddef.h>

#define MAXLIST 256

/* An archive member: a file, or another kind (extra members damage fixtures). */
struct member {
	const char *name;
	const char *path;        /* file to read, or */
	const char *symlink;     /* a symbolic link to this, or */
	const char *hardlink;    /* a hard link to this, or */
	char node;               /* 'c', 'b': a device node (1,3 / 8,0); 'p': a FIFO, or */
	int zeros;               /* 1: zeros_len zero bytes (a gzip bomb's member) */
	unsigned long long zeros_len;
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
	/* hostile archives: headers that declare other sizes, zeros after the tar */
	const char *declare_names[MAXLIST];
	unsigned long long declare_sizes[MAXLIST];
	int ndeclare;
	unsigned long long trailing_zeros;
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

/* @len zero bytes to insert into a tar stream at offset @at */
struct zero_run {
	size_t at;
	unsigned long long len;
};

/**
 * tar_declare_size() - make the header of regular member @name in the
 * uncompressed @tar declare @size bytes (octal, or base-256 from 8 GiB),
 * with its checksum fixed; its data stays as it is.
 * Return: the offset just past that header.  Dies when there is none.
 */
size_t tar_declare_size(struct buf *tar, const char *name, unsigned long long size);

/**
 * gzip_with_zero_runs() - append to @out the gzip stream of @tar with each
 * run's zeros inserted at its offset (@runs in order); any length of zeros
 * costs a few microseconds per MiB.
 */
void gzip_with_zero_runs(struct buf *out, const struct buf *tar, const struct zero_run *runs,
			 int nruns);

/**
 * fixture_script() - append the script of @f, up to and without the
 * __ARCHIVE__ line, to @s.
 * @inline_base: the basename of the inline config (NULL: none)
 */
void fixture_script(struct buf *s, const struct fixture *f, const char *inline_base);

#endif
