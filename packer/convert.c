// SPDX-License-Identifier: GPL-2.0-only
/* convert.c - map a parsed 0.6.0 bash runfile to a spec and members, and write it. */
#include "config.h"

#include "bashrun.h"
#include "build.h"
#include "convert.h"
#include "error.h"
#include "exportarchive.h"
#include "gitrev.h"
#include "macros.h"
#include "spec.h"
#include "strbuf.h"
#include "stubs.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PROG "ktstr-pack"
#define CELL_PARENT_OPT "--cell-parent-cgroup"
/* 0.6.0 names the temp copy of an inline config ktstr-export-config-<hash>-<basename> */
#define INLINE_PREFIX MEMBER_INCLUDE_DIR "/ktstr-export-config-"
#define INLINE_HASH_DIGITS 16
/* 0.6.0 polls attach 100 times, 0.1 s apart */
#define BASH_ATTACH_TIMEOUT 10

struct conversion {
	const char *file;              /* for messages */
	const char *text;
	size_t len;
	struct bashrun br;
	struct export_archive ar;
	struct spec spec;
	struct pack_member *members;
	size_t nmembers;
	struct strbuf stub;
};

static int at_line(int r, const struct conversion *c, size_t line)
{
	return error_prefix(r, "%s:%zu", c->file, line);
}

static size_t word_line(const struct conversion *c, const struct sw_word *w)
{
	return bashrun_line_of(&c->br, w->offset);
}

/* include/ktstr-export-config-<16 hex>-<base> */
static bool inline_config_for(const char *member, const char *base)
{
	const char *p;

	if (strncmp(member, INLINE_PREFIX, strlen(INLINE_PREFIX)) != 0)
		return false;
	p = member + strlen(INLINE_PREFIX);
	for (int i = 0; i < INLINE_HASH_DIGITS; i++, p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return *p == '-' && strcmp(p + 1, base) == 0;
}

/*
 * The 0.6.0 defect: the inline config is packed as
 * include/ktstr-export-config-<hash>-B but the argument names include/B,
 * which does not exist after extraction.  Give the member the name the
 * argument uses, so the scheduler finds the inline content there.
 */
static int repair_inline_config(struct conversion *c, const char *base, size_t line)
{
	_cleanup_free_ char *want = xasprintf("%s/%s", MEMBER_INCLUDE_DIR, base);
	struct export_member *found = NULL;

	for (size_t i = 0; i < c->ar.nmembers; i++) {
		if (!inline_config_for(c->ar.m[i].name, base))
			continue;
		if (found)
			return at_line(error_set(-EINVAL, "two inline configs (%s, %s) could be "
						 "the one named %s", found->name, c->ar.m[i].name,
						 want), c, line);
		found = &c->ar.m[i];
	}
	if (!found)
		return at_line(error_set(-EINVAL, "a scheduler argument names $DIR/%s, which is not "
					 "in the archive", want), c, line);
	fprintf(stderr, PROG ": %s:%zu: repaired the inline scheduler config: the archive holds "
		"it as %s but the scheduler argument names %s, which 0.6.0 never extracts (its "
		"scheduler cannot find its config); it is packed as %s\n", c->file, line,
		found->name, want, want);
	free(found->name);
	found->name = xstrdup(want);
	return 0;
}

/* What "$DIR<tail>" names must exist once the archive is extracted. */
static int check_dir_reference(struct conversion *c, const char *tail, size_t line)
{
	static const char inc[] = "/" MEMBER_INCLUDE_DIR "/";
	const char *base;

	if (!tail[0])
		return 0;
	if (!strcmp(tail, "/" MEMBER_RUNNER) || !strcmp(tail, "/" MEMBER_SCHEDULER)) {
		if (export_archive_find(&c->ar, tail + 1))
			return 0;
	} else if (!strcmp(tail, "/" MEMBER_INCLUDE_DIR)) {
		for (size_t i = 0; i < c->ar.nmembers; i++)
			if (!strncmp(c->ar.m[i].name, inc + 1, strlen(inc) - 1))
				return 0;
	} else if (!strncmp(tail, inc, strlen(inc))) {
		base = tail + strlen(inc);
		if (!spec_include_basename_ok(base))
			return at_line(error_set(-EINVAL, "a scheduler argument names $DIR%s, which "
						 "the flat include/ layout cannot hold", tail), c, line);
		if (export_archive_find(&c->ar, tail + 1))
			return 0;
		return repair_inline_config(c, base, line);
	}
	return at_line(error_set(-EINVAL, "a scheduler argument names $DIR%s, which is not in "
				 "the archive", tail), c, line);
}

static bool word_is(const struct sw_word *w, const char *s)
{
	return w->nseg == 1 && !w->seg[0].dir && w->seg[0].len == strlen(s) &&
	       !memcmp(w->seg[0].text, s, w->seg[0].len);
}

/*
 * 0.6.0 passes the test's cgroup parent as "--cell-parent-cgroup PATH";
 * the spec records it too, so the stub also removes what the run creates
 * under /sys/fs/cgroup<PATH> (the bash script does not).
 */
static int find_cgroup_parent(struct conversion *c)
{
	const struct sw_list *l = &c->br.sched_words;

	for (size_t i = 0; i + 1 < l->n; i++) {
		const struct sw_word *v = &l->w[i + 1];
		_cleanup_free_ char *path = NULL;
		int r;

		if (!word_is(&l->w[i], CELL_PARENT_OPT))
			continue;
		if (v->nseg != 1 || v->seg[0].dir)
			return at_line(error_set(-EINVAL, CELL_PARENT_OPT " is followed by an argument "
						 "that is not a plain path"), c, word_line(c, v));
		path = xstrndup(v->seg[0].text, v->seg[0].len);
		if ((r = spec_cgroup_parent_check(path)) < 0)
			return at_line(error_prefix(r, "the scheduler's cgroup parent cannot be "
						    "mapped"), c, word_line(c, v));
		c->spec.cgroup_parent = xstrdup(path);
		return 0;
	}
	return 0;
}

static int map_sched_args(struct conversion *c)
{
	const struct sw_list *l = &c->br.sched_words;
	int r;

	for (size_t i = 0; i < l->n; i++) {
		const struct sw_word *w = &l->w[i];
		struct spec_arg *a = spec_add_arg(&c->spec);

		for (size_t j = 0; j < w->nseg; j++) {
			const struct sw_seg *g = &w->seg[j];

			if (!g->dir) {
				spec_arg_add_literal(a, g->text, g->len);
				continue;
			}
			spec_arg_add_dir(a);
			r = check_dir_reference(c, g->tail ? g->tail : "",
						bashrun_line_of(&c->br, g->offset));
			if (r < 0)
				return r;
		}
	}
	return find_cgroup_parent(c);
}

static void add_pack_member(struct conversion *c, const struct export_member *m)
{
	struct pack_member *p = &c->members[c->nmembers++];

	p->name = xstrdup(m->name);
	p->host_path = NULL;
	p->data = m->size ? (const void *)m->data : "";
	p->data_len = m->size;
}

/* scheduler and includes first (they may start early), the runner last */
static int map_members(struct conversion *c)
{
	const struct export_member *runner = export_archive_find(&c->ar, MEMBER_RUNNER);
	const struct export_member *sched = export_archive_find(&c->ar, MEMBER_SCHEDULER);
	size_t archive_line = c->br.marker_line + 1;

	if (!runner)
		return at_line(error_set(-EINVAL, "the archive has no %s member (the test binary)",
					 MEMBER_RUNNER), c, archive_line);
	if (c->br.has_launch && !sched)
		return at_line(error_set(-EINVAL, "the script starts $DIR/%s but the archive has no "
					 "such member", MEMBER_SCHEDULER), c, c->br.launch_line);
	if (!c->br.has_launch && sched)
		return at_line(error_set(-EINVAL, "the archive holds a %s but the script never "
					 "starts it (EEVDF): the two disagree", MEMBER_SCHEDULER), c,
			       sched->line);
	c->members = xcalloc(c->ar.nmembers, sizeof(*c->members));
	if (sched)
		add_pack_member(c, sched);
	for (size_t i = 0; i < c->ar.nmembers; i++)
		if (&c->ar.m[i] != sched && &c->ar.m[i] != runner)
			add_pack_member(c, &c->ar.m[i]);
	add_pack_member(c, runner);
	return 0;
}

static void map_spec(struct conversion *c, const struct convert_opts *o)
{
	struct spec *s = &c->spec;
	char git[64];

	spec_init(s);
	s->test_name = xstrdup(c->br.test_name);
	s->sched_name = xstrdup(c->br.sched_name);
	s->git_hash = xstrdup(c->br.git_hash);
	if (o->fill_git_hash && !strcmp(s->git_hash, "unknown")) {
		/* the test binary ran in a private directory, outside any checkout */
		gitrev_read(".", git, sizeof(git));
		if (strcmp(git, "unknown")) {
			free(s->git_hash);
			s->git_hash = xstrdup(git);
			fprintf(stderr, PROG ": git hash: %s (HEAD of the checkout here; the test "
				"binary ran outside it)\n", git);
		}
	}
	s->packer = xstrdup(PROG " " PACKAGE_VERSION " " CONVERT_PACKER_NOTE);
	s->llcs = c->br.llcs;
	s->cores_per_llc = c->br.cores_per_llc;
	s->threads_per_core = c->br.threads_per_core;
	s->numa_nodes = c->br.numa_nodes;
	s->duration_secs = c->br.duration_secs;
	s->watchdog_secs = c->br.watchdog_secs;
	s->attach_timeout_secs = BASH_ATTACH_TIMEOUT;
}

/*
 * The stub for the machine of the archive's binaries (or --arch / --stub),
 * with the checks ktstr-pack applies to files on disk: the scheduler and
 * the ELF includes must run on the runner's machine.
 */
static int load_stub(struct conversion *c, const struct convert_opts *o)
{
	struct stub_input runner = { 0 }, sched = { 0 };
	struct stub_input *inc = xcalloc(c->nmembers, sizeof(*inc));
	bool has_sched = false;
	size_t n = 0;
	int r;

	for (size_t i = 0; i < c->nmembers; i++) {
		const struct pack_member *m = &c->members[i];

		if (!strcmp(m->name, MEMBER_RUNNER)) {
			stub_input_buf(&runner, "archive member", m->name, m->data, m->data_len);
		} else if (!strcmp(m->name, MEMBER_SCHEDULER)) {
			stub_input_buf(&sched, "archive member", m->name, m->data, m->data_len);
			has_sched = true;
		} else {
			stub_input_buf(&inc[n++], "archive member", m->name, m->data, m->data_len);
		}
	}
	r = stubs_load_inputs(&runner, has_sched ? &sched : NULL, inc, n, o->arch, o->stub_path,
			      &c->stub);
	free(inc);
	if (r < 0)
		error_prefix(r, "%s", c->file);
	return r;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static int convert_text(struct conversion *c, const struct convert_opts *o, const char *input)
{
	_cleanup_free_ char *default_out = NULL;
	const char *output = o->output;
	struct pack_job job;
	size_t line = 0;
	int r;

	if ((r = bashrun_parse(c->text, c->len, &c->br, &line)) < 0)
		return at_line(r, c, line);
	if (o->expect_name && strcmp(o->expect_name, c->br.test_name))
		return at_line(error_set(-EINVAL, "the file is for test '%s', not '%s'",
					 c->br.test_name, o->expect_name), c,
			       c->br.var_line[BV_TEST_NAME]);
	r = export_archive_read(c->text + c->br.archive_off, c->len - c->br.archive_off,
				c->br.marker_line + 1, &c->ar, &line);
	if (r < 0)
		return at_line(r, c, line);
	map_spec(c, o);
	/* map_sched_args may rename a member (the repair): members come after */
	if ((r = map_sched_args(c)) < 0 || (r = map_members(c)) < 0)
		return r;
	if ((r = load_stub(c, o)) < 0)
		return r;
	if (!output) {
		output = default_out = xasprintf("%s.run", c->spec.test_name);
		if (same_file(output, input)) {
			error_set(-EEXIST, "the default output %s is the input itself", output);
			error_hint("name the new runfile with -o NEW.run");
			return -EEXIST;
		}
	}
	job = (struct pack_job){
		.stub = (const uint8_t *)c->stub.buf, .stub_len = c->stub.len,
		.members = c->members, .nmembers = c->nmembers,
		.codec = o->codec, .level = o->level, .threads = o->threads, .output = output,
	};
	if ((r = pack_write(&job, &c->spec)) < 0)
		return error_prefix(r, "cannot write %s", output);
	fprintf(stderr, PROG ": wrote %s (%zu files, %s) from %s\n", output, c->nmembers,
		spec_has_scheduler(&c->spec) ? c->spec.sched_name : "EEVDF", c->file);
	return 0;
}

int convert_bash_runfile(const char *input, const struct convert_opts *o)
{
	struct conversion c = { .file = o->display ? o->display : input };
	_cleanup_close_ int fd = open(input, O_RDONLY | O_CLOEXEC);
	void *map = MAP_FAILED;
	struct stat st;
	int r;

	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", c.file);
	if (fstat(fd, &st) < 0)
		return error_set_errno(-errno, "cannot stat %s", c.file);
	if (!S_ISREG(st.st_mode))
		return error_set(-EINVAL, "%s is not a regular file", c.file);
	if (st.st_size == 0)
		return error_set(-EINVAL, "%s:1: empty file", c.file);
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return error_set_errno(-errno, "cannot read %s", c.file);
	c.text = map;
	c.len = (size_t)st.st_size;
	r = convert_text(&c, o, input);

	/* the pack members point into the archive's copies: released together */
	for (size_t i = 0; i < c.nmembers; i++)
		free(c.members[i].name);
	free(c.members);
	spec_release(&c.spec);
	export_archive_release(&c.ar);
	bashrun_release(&c.br);
	strbuf_release(&c.stub);
	munmap(map, (size_t)st.st_size);
	return r;
}
