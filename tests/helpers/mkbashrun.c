// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbashrun.c - test fixture: write a bash runfile in the layout of
 * `cargo ktstr export` (ktstr 0.6.0), for ktstr-pack --from-run to convert
 * and for the hermetic tests to run next to its conversion.
 *
 * Written from the facts of that format, not from its code: the frozen
 * variable block (values quoted as its shell_quote does), the scheduler
 * launch line `"$DIR/scheduler" ARGS &` with the config additions first
 * (`--config "$DIR/include/B"`, and the inline template with {file}
 * replaced by `"$DIR/include/B"`), then --cell-parent-cgroup, the
 * scheduler's own and the test's extra args; the test argv lines; the
 * __ARCHIVE__ line and the gzip'd tar in base64, 76 columns a line.  The
 * archive holds ktstr, scheduler, include/<basename> (mode 0755), and the
 * inline config under the name 0.6.0 gives it, include/ktstr-export-
 * config-<hash>-<basename>: its defect, kept on purpose.  The rest of the
 * script (checks, extraction, attach wait, cleanup) does what 0.6.0's
 * does, with the same tools (id, grep, ls, sort, xargs, seq, mktemp, tar,
 * base64), in words of its own.
 *
 * Second use: started as `mkbashrun --ktstr-export-test=NAME`, it plays a
 * ktstr test binary's exporter: it reads its options from "<itself>.args"
 * (NUL-separated), writes NAME.run into the current directory when NAME is
 * the --name there, and otherwise says what 0.6.0 says for an unknown
 * test.  --fake-mode ok|fail|hang|nofile and --fake-record FILE (cwd, its
 * mode, pid) let the tests check how ktstr-pack handles it.
 *
 * Damaged and hostile archives, for the refusal tests (0.6.0 writes none
 * of these): --extra-member NAME=FILE, --extra-symlink NAME=TARGET,
 * --extra-hardlink NAME=TARGET, --extra-node NAME=c|b|p (character device
 * 1,3, block device 8,0, FIFO), --member-mode NAME=OCTAL; and, through
 * mkbashrun-tar.c, --declare-size NAME=BYTES (the header claims BYTES, the
 * data stays), --zeros-member NAME=BYTES (a member of BYTES zeros) and
 * --trailing-zeros BYTES (zeros after the tar's end blocks, inside the
 * gzip stream): gzip bombs of any size, written in milliseconds.
 */
#include "mkbashrun.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define B64_WIDTH 76

static struct fixture o = {
	.llcs = 1, .cores = 1, .threads = 1, .numa = 1, .duration = 2, .watchdog = 4,
};

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkbashrun: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(99);
}

/* ---- growable buffer ---- */
void buf_add(struct buf *b, const void *d, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			die("out of memory");
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_fmt(struct buf *b, const char *fmt, ...)
{
	char *s;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	buf_str(b, s);
	free(s);
}

static void read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f)
		die("cannot open %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f))
		die("cannot read %s", path);
	fclose(f);
}

const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* FNV-1a: stands in for ktstr's content hash, which only names the member */
static uint64_t content_hash(const struct buf *b)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < b->len; i++) {
		h ^= (unsigned char)b->p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ---- the archive: gzip'd tar in memory ---- */
static la_ssize_t sink(struct archive *a, void *arg, const void *d, size_t n)
{
	(void)a;
	buf_add(arg, d, n);
	return (la_ssize_t)n;
}

static unsigned mode_for(const char *name)
{
	for (int i = o.nmodes - 1; i >= 0; i--)
		if (!strcmp(o.mode_names[i], name))
			return o.modes[i];
	return 0755;
}

static void add_entry(struct archive *a, const struct member *m)
{
	struct archive_entry *e = archive_entry_new();
	struct buf data = { 0 };

	archive_entry_set_pathname(e, m->name);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	if (m->symlink) {
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, m->symlink);
		archive_entry_set_perm(e, 0777);
		archive_entry_set_size(e, 0);
	} else if (m->hardlink || m->zeros) {
		/* a zeros member gets its size and data in mkbashrun-tar.c */
		archive_entry_set_filetype(e, AE_IFREG);
		if (m->hardlink)
			archive_entry_set_hardlink(e, m->hardlink);
		archive_entry_set_perm(e, m->mode);
		archive_entry_set_size(e, 0);
	} else if (m->node) {
		archive_entry_set_filetype(e, m->node == 'c' ? AE_IFCHR :
					   m->node == 'b' ? AE_IFBLK : AE_IFIFO);
		if (m->node != 'p') {
			archive_entry_set_rdevmajor(e, m->node == 'c' ? 1 : 8);
			archive_entry_set_rdevminor(e, m->node == 'c' ? 3 : 0);
		}
		archive_entry_set_perm(e, m->mode);
		archive_entry_set_size(e, 0);
	} else {
		read_file(m->path, &data);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, m->mode);
		archive_entry_set_size(e, (la_int64_t)data.len);
	}
	if (archive_write_header(a, e) != ARCHIVE_OK)
		die("tar header %s: %s", m->name, archive_error_string(a));
	if (data.len && archive_write_data(a, data.p, data.len) != (la_ssize_t)data.len)
		die("tar data %s: %s", m->name, archive_error_string(a));
	archive_entry_free(e);
	free(data.p);
}

static bool hostile_tar(void)
{
	bool zeros = false;

	for (int i = 0; i < o.nextra; i++)
		zeros |= o.extra[i].zeros;
	return zeros || o.ndeclare || o.trailing_zeros;
}

/* the plain tar in @tar, lied about and gzip'd (with its zeros) into @out */
static void finish_hostile(struct buf *out, struct buf *tar)
{
	struct zero_run runs[MAXLIST + 1];
	int nruns = 0;

	for (int i = 0; i < o.nextra; i++) {
		const struct member *m = &o.extra[i];

		if (!m->zeros)
			continue;
		runs[nruns].at = tar_declare_size(tar, m->name, m->zeros_len);
		runs[nruns++].len = (m->zeros_len + 511) / 512 * 512;
	}
	for (int i = 0; i < o.ndeclare; i++)
		tar_declare_size(tar, o.declare_names[i], o.declare_sizes[i]);
	if (o.trailing_zeros)
		runs[nruns++] = (struct zero_run){ tar->len, o.trailing_zeros };
	gzip_with_zero_runs(out, tar, runs, nruns);
}

static void build_archive(struct buf *out, const char *inline_path, const char *inline_name)
{
	struct archive *a = archive_write_new();
	char seen[MAXLIST + 4][PATH_MAX];
	int nseen = 0;
	struct member m;
	bool hostile = hostile_tar();
	struct buf tar = { 0 };

	/* as the Rust tar crate: headers, data, two zero blocks, no blocking */
	if (archive_write_set_format_gnutar(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    (!hostile && archive_write_add_filter_gzip(a) != ARCHIVE_OK) ||
	    archive_write_open(a, hostile ? &tar : out, NULL, sink, NULL) != ARCHIVE_OK)
		die("archive: %s", archive_error_string(a));
	m = (struct member){ .name = "ktstr", .path = o.runner, .mode = mode_for("ktstr") };
	add_entry(a, &m);
	if (o.scheduler) {
		m = (struct member){ .name = "scheduler", .path = o.scheduler,
				     .mode = mode_for("scheduler") };
		add_entry(a, &m);
	}
	/* includes, then the config file, then the inline config: flat, no twins */
	for (int i = 0; i <= o.nincludes + 1; i++) {
		const char *path = i < o.nincludes ? o.includes[i] :
				   i == o.nincludes ? o.config_file : inline_path;
		const char *base = i == o.nincludes + 1 ? inline_name : path ? base_of(path) : NULL;
		char name[PATH_MAX];

		if (!path)
			continue;
		for (int j = 0; j < nseen; j++)
			if (!strcmp(seen[j], base))
				die("two includes flatten to include/%s", base);
		snprintf(seen[nseen++], PATH_MAX, "%s", base);
		snprintf(name, sizeof(name), "include/%s", base);
		m = (struct member){ .name = name, .path = path, .mode = mode_for(name) };
		add_entry(a, &m);
	}
	for (int i = 0; i < o.nextra; i++)
		add_entry(a, &o.extra[i]);
	if (archive_write_close(a) != ARCHIVE_OK)
		die("archive: %s", archive_error_string(a));
	archive_write_free(a);
	if (hostile)
		finish_hostile(out, &tar);
	free(tar.p);
}

static void base64_lines(struct buf *out, const unsigned char *d, size_t n)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
			     (i + 2 < n ? d[i + 2] : 0);
		char q[4] = { abc[v >> 18 & 63], abc[v >> 12 & 63],
			      i + 1 < n ? abc[v >> 6 & 63] : '=', i + 2 < n ? abc[v & 63] : '=' };

		for (int k = 0; k < 4; k++) {
			buf_add(out, &q[k], 1);
			if (++col == B64_WIDTH) {
				buf_str(out, "\n");
				col = 0;
			}
		}
	}
	if (col)
		buf_str(out, "\n");
}

static unsigned long number(const char *opt, const char *v)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end)
		die("%s: not a number: %s", opt, v);
	return n;
}

static unsigned long long number_ull(const char *opt, const char *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (!*v || *end || errno)
		die("%s: not a number: %s", opt, v);
	return n;
}

static const char *split_eq(const char *arg, const char **rest)
{
	const char *eq = strchr(arg, '=');

	if (!eq)
		die("expected NAME=VALUE: %s", arg);
	*rest = eq + 1;
	return strndup(arg, (size_t)(eq - arg));
}

static void parse(int argc, char **argv)
{
	enum { O_NAME = 256, O_SCHED_NAME, O_GIT, O_LLCS, O_CORES, O_THREADS, O_NUMA, O_DUR, O_WD,
	       O_RUNNER, O_SCHED, O_CGP, O_SARG, O_XARG, O_INC, O_CF, O_CC, O_CT, O_CG, O_CH,
	       O_XMEM, O_XLINK, O_MODE, O_FAKE, O_REC, O_XHARD, O_XNODE, O_ZMEM, O_DECL,
	       O_TZEROS };
	static const struct option opts[] = {
		{ "name", 1, NULL, O_NAME }, { "sched-name", 1, NULL, O_SCHED_NAME },
		{ "git-hash", 1, NULL, O_GIT }, { "llcs", 1, NULL, O_LLCS },
		{ "cores-per-llc", 1, NULL, O_CORES }, { "threads-per-core", 1, NULL, O_THREADS },
		{ "numa-nodes", 1, NULL, O_NUMA }, { "duration", 1, NULL, O_DUR },
		{ "watchdog", 1, NULL, O_WD }, { "runner", 1, NULL, O_RUNNER },
		{ "scheduler", 1, NULL, O_SCHED }, { "cgroup-parent", 1, NULL, O_CGP },
		{ "sched-arg", 1, NULL, O_SARG }, { "extra-sched-arg", 1, NULL, O_XARG },
		{ "include", 1, NULL, O_INC }, { "config-file", 1, NULL, O_CF },
		{ "config-content", 1, NULL, O_CC }, { "config-template", 1, NULL, O_CT },
		{ "config-guest-path", 1, NULL, O_CG }, { "config-hash", 1, NULL, O_CH },
		{ "extra-member", 1, NULL, O_XMEM }, { "extra-symlink", 1, NULL, O_XLINK },
		{ "member-mode", 1, NULL, O_MODE }, { "fake-mode", 1, NULL, O_FAKE },
		{ "fake-record", 1, NULL, O_REC }, { "extra-hardlink", 1, NULL, O_XHARD },
		{ "extra-node", 1, NULL, O_XNODE }, { "zeros-member", 1, NULL, O_ZMEM },
		{ "declare-size", 1, NULL, O_DECL }, { "trailing-zeros", 1, NULL, O_TZEROS },
		{ "output", 1, NULL, 'o' }, { NULL, 0, NULL, 0 },
	};
	const char *rest;
	int c;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case O_NAME: o.name = optarg; break;
		case O_SCHED_NAME: o.sched_name = optarg; break;
		case O_GIT: o.git_hash = optarg; break;
		case O_LLCS: o.llcs = number("--llcs", optarg); break;
		case O_CORES: o.cores = number("--cores-per-llc", optarg); break;
		case O_THREADS: o.threads = number("--threads-per-core", optarg); break;
		case O_NUMA: o.numa = number("--numa-nodes", optarg); break;
		case O_DUR: o.duration = number("--duration", optarg); break;
		case O_WD: o.watchdog = number("--watchdog", optarg); break;
		case O_RUNNER: o.runner = optarg; break;
		case O_SCHED: o.scheduler = optarg; break;
		case O_CGP: o.cgroup_parent = optarg; break;
		case O_SARG: o.sched_args[o.nsched_args++] = optarg; break;
		case O_XARG: o.extra_args[o.nextra_args++] = optarg; break;
		case O_INC: o.includes[o.nincludes++] = optarg; break;
		case O_CF: o.config_file = optarg; break;
		case O_CC: o.config_content = optarg; break;
		case O_CT: o.config_template = optarg; break;
		case O_CG: o.config_guest_path = optarg; break;
		case O_CH: o.config_hash = optarg; break;
		case O_XMEM:
			o.extra[o.nextra].name = split_eq(optarg, &rest);
			o.extra[o.nextra].path = rest;
			o.extra[o.nextra++].mode = 0755;
			break;
		case O_XLINK:
			o.extra[o.nextra].name = split_eq(optarg, &rest);
			o.extra[o.nextra++].symlink = rest;
			break;
		case O_MODE:
			o.mode_names[o.nmodes] = split_eq(optarg, &rest);
			o.modes[o.nmodes++] = (unsigned)strtoul(rest, NULL, 8);
			break;
		case O_XHARD:
			o.extra[o.nextra].name = split_eq(optarg, &rest);
			o.extra[o.nextra].hardlink = rest;
			o.extra[o.nextra++].mode = 0755;
			break;
		case O_XNODE:
			o.extra[o.nextra].name = split_eq(optarg, &rest);
			if (strcmp(rest, "c") && strcmp(rest, "b") && strcmp(rest, "p"))
				die("--extra-node NAME=c|b|p, not %s", rest);
			o.extra[o.nextra].node = rest[0];
			o.extra[o.nextra++].mode = 0755;
			break;
		case O_ZMEM:
			o.extra[o.nextra].name = split_eq(optarg, &rest);
			o.extra[o.nextra].zeros = 1;
			o.extra[o.nextra].zeros_len = number_ull("--zeros-member", rest);
			o.extra[o.nextra++].mode = 0755;
			break;
		case O_DECL:
			o.declare_names[o.ndeclare] = split_eq(optarg, &rest);
			o.declare_sizes[o.ndeclare++] = number_ull("--declare-size", rest);
			break;
		case O_TZEROS: o.trailing_zeros = number_ull("--trailing-zeros", optarg); break;
		case O_FAKE: o.fake_mode = optarg; break;
		case O_REC: o.fake_record = optarg; break;
		default: die("bad option (see the comment at the top of mkbashrun.c)");
		}
		if (o.nsched_args >= MAXLIST || o.nextra_args >= MAXLIST || o.nincludes >= MAXLIST ||
		    o.nextra >= MAXLIST || o.nmodes >= MAXLIST || o.ndeclare >= MAXLIST)
			die("too many list options");
	}
	if (optind != argc || !o.name)
		die("usage: mkbashrun -o OUT --name NAME --runner PATH [options]");
	if (o.config_content && (!o.config_template || !o.config_guest_path))
		die("--config-content needs --config-template and --config-guest-path");
	if (!o.sched_name)
		o.sched_name = o.scheduler ? base_of(o.scheduler) : "eevdf";
	if (!o.git_hash)
		o.git_hash = "unknown";
}

static void write_runfile(const char *out_path, size_t *archive_len, int *nincludes)
{
	char inline_path[PATH_MAX] = "", inline_name[PATH_MAX] = "";
	const char *inline_base = NULL;
	struct buf s = { 0 }, tgz = { 0 };
	FILE *f;

	if (o.config_content) {
		struct buf content = { 0 };
		const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		char hash[32];

		/* 0.6.0 writes the inline content to a temp file and packs that file */
		inline_base = base_of(o.config_guest_path);
		read_file(o.config_content, &content);
		if (o.config_hash)
			snprintf(hash, sizeof(hash), "%s", o.config_hash);
		else
			snprintf(hash, sizeof(hash), "%016llx",
				 (unsigned long long)content_hash(&content));
		snprintf(inline_name, sizeof(inline_name), "ktstr-export-config-%s-%s", hash,
			 inline_base);
		snprintf(inline_path, sizeof(inline_path), "%s/mkbashrun-%d-%s", tmp, (int)getpid(),
			 inline_name);
		f = fopen(inline_path, "wb");
		if (!f || fwrite(content.p ? content.p : "", 1, content.len, f) != content.len ||
		    fclose(f))
			die("cannot write %s", inline_path);
		free(content.p);
	}
	build_archive(&tgz, inline_path[0] ? inline_path : NULL, inline_name);
	if (inline_path[0])
		unlink(inline_path);
	fixture_script(&s, &o, inline_base);
	buf_str(&s, "__ARCHIVE__\n");
	base64_lines(&s, (const unsigned char *)tgz.p, tgz.len);
	f = fopen(out_path, "wb");
	if (!f || fwrite(s.p, 1, s.len, f) != s.len || fclose(f))
		die("cannot write %s", out_path);
	chmod(out_path, 0755);
	*archive_len = tgz.len;
	*nincludes = o.nincludes + !!o.config_file + !!o.config_content;
	free(s.p);
	free(tgz.p);
}

/* Play `BIN --ktstr-export-test=NAME`: options come from "<self>.args". */
static int fake_exporter(const char *self_argv0, const char *name)
{
	char self[PATH_MAX], args_path[PATH_MAX + 8], out[PATH_MAX], cwd[PATH_MAX];
	struct buf args = { 0 };
	char *argv[2 * MAXLIST + 64];
	int argc = 0;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t archive_len;
	int nincludes;

	if (n <= 0)
		die("cannot read /proc/self/exe");
	self[n] = '\0';
	snprintf(args_path, sizeof(args_path), "%s.args", self);
	read_file(args_path, &args);
	argv[argc++] = (char *)self_argv0;
	for (size_t i = 0; i < args.len && argc < (int)(sizeof(argv) / sizeof(*argv)) - 1;
	     i += strlen(args.p + i) + 1)
		argv[argc++] = args.p + i;
	argv[argc] = NULL;
	parse(argc, argv);
	if (!o.runner)
		o.runner = self;   /* the test binary packs itself, as current_exe() */
	if (o.fake_record) {
		struct stat st;
		FILE *f = fopen(o.fake_record, "w");

		if (!getcwd(cwd, sizeof(cwd)) || stat(cwd, &st) < 0 || !f)
			die("cannot record");
		fprintf(f, "%s\n%o\n%d\n", cwd, (unsigned)(st.st_mode & 07777), (int)getpid());
		fclose(f);
	}
	if (o.fake_mode && !strcmp(o.fake_mode, "hang")) {
		fprintf(stderr, "fake exporter: hanging\n");
		for (;;)
			pause();
	}
	if (o.fake_mode && !strcmp(o.fake_mode, "fail")) {
		fprintf(stderr, "Error: resolve scheduler binary for test '%s'\n\nCaused by:\n"
			"    fake exporter failing on purpose\n", name);
		return 1;
	}
	if (strcmp(name, o.name)) {
		fprintf(stderr, "Error: no registered test named '%s'\n", name);
		return 1;
	}
	if (o.fake_mode && !strcmp(o.fake_mode, "nofile"))
		return 0;
	snprintf(out, sizeof(out), "%s.run", name);
	write_runfile(out, &archive_len, &nincludes);
	fprintf(stderr, "wrote %s (%zu bytes archive, %d include files)\n", out, archive_len,
		nincludes);
	return 0;
}

int main(int argc, char **argv)
{
	static const char export_opt[] = "--ktstr-export-test=";
	size_t archive_len;
	int nincludes;

	if (argc == 2 && !strncmp(argv[1], export_opt, sizeof(export_opt) - 1))
		return fake_exporter(argv[0], argv[1] + sizeof(export_opt) - 1);
	parse(argc, argv);
	if (!o.output || !o.runner)
		die("-o OUT and --runner PATH are required");
	write_runfile(o.output, &archive_len, &nincludes);
	return 0;
}

