// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - ktstr-pack: build a runfile from a ktstr test binary, an
 * optional scheduler and include files; or describe one (--inspect).
 */
#include "config.h"

#include "build.h"
#include "compress.h"
#include "convert.h"
#include "elf_arch.h"
#include "error.h"
#include "gitrev.h"
#include "inspect.h"
#include "macros.h"
#include "parse.h"
#include "pathsearch.h"
#include "runfile.h"
#include "spec.h"
#include "strbuf.h"
#include "stubs.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG "ktstr-pack"
#define CONFIG_FILE_PLACEHOLDER "{file}"

enum {
	OPT_RUNNER = 0x100, OPT_SCHEDULER, OPT_SCHED_NAME, OPT_SCHED_ARG, OPT_EXTRA_SCHED_ARG,
	OPT_CGROUP_PARENT, OPT_CONFIG_FILE, OPT_CONFIG_CONTENT, OPT_CONFIG_ARG, OPT_CONFIG_NAME,
	OPT_INCLUDE, OPT_LLCS, OPT_CORES, OPT_THREADS, OPT_NUMA, OPT_DURATION, OPT_WATCHDOG,
	OPT_ATTACH_TIMEOUT, OPT_GIT_HASH, OPT_INSPECT, OPT_JSON, OPT_STUB, OPT_COMPRESS, OPT_LEVEL,
	OPT_VERSION, OPT_FROM_RUN, OPT_TEST_BINARY, OPT_TEST_BINARY_TIMEOUT, OPT_ARCH,
};

/* Keep in sync with usage() and docs/ktstr-pack.1 (tests compare them). */
static const struct option long_options[] = {
	{ "runner", required_argument, NULL, OPT_RUNNER },
	{ "scheduler", required_argument, NULL, OPT_SCHEDULER },
	{ "sched-name", required_argument, NULL, OPT_SCHED_NAME },
	{ "sched-arg", required_argument, NULL, OPT_SCHED_ARG },
	{ "extra-sched-arg", required_argument, NULL, OPT_EXTRA_SCHED_ARG },
	{ "cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT },
	{ "config-file", required_argument, NULL, OPT_CONFIG_FILE },
	{ "config-content", required_argument, NULL, OPT_CONFIG_CONTENT },
	{ "config-arg", required_argument, NULL, OPT_CONFIG_ARG },
	{ "config-name", required_argument, NULL, OPT_CONFIG_NAME },
	{ "include", required_argument, NULL, OPT_INCLUDE },
	{ "llcs", required_argument, NULL, OPT_LLCS },
	{ "cores-per-llc", required_argument, NULL, OPT_CORES },
	{ "threads-per-core", required_argument, NULL, OPT_THREADS },
	{ "numa-nodes", required_argument, NULL, OPT_NUMA },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "watchdog", required_argument, NULL, OPT_WATCHDOG },
	{ "attach-timeout", required_argument, NULL, OPT_ATTACH_TIMEOUT },
	{ "git-hash", required_argument, NULL, OPT_GIT_HASH },
	{ "compress", required_argument, NULL, OPT_COMPRESS },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "stub", required_argument, NULL, OPT_STUB },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "output", required_argument, NULL, 'o' },
	{ "inspect", required_argument, NULL, OPT_INSPECT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "from-run", required_argument, NULL, OPT_FROM_RUN },
	{ "test-binary", required_argument, NULL, OPT_TEST_BINARY },
	{ "test-binary-timeout", required_argument, NULL, OPT_TEST_BINARY_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct strlist {
	const char **v;
	size_t n;
};

struct options {
	const char *name;
	const char *runner, *scheduler, *sched_name, *cgroup_parent;
	struct strlist sched_args, extra_sched_args, includes;
	const char *config_file, *config_content, *config_arg, *config_name;
	unsigned llcs, cores_per_llc, threads_per_core, numa_nodes;
	unsigned duration, watchdog, attach_timeout;
	const char *git_hash;
	const char *output;
	const char *stub_path;
	const char *arch;           /* --arch: the built-in stub to use */
	const char *inspect;
	const char *from_run, *test_binary;   /* conversion: the spec comes from there */
	unsigned test_binary_timeout;
	bool json;
	int codec;
	int level;
	bool level_set;
};

static void usage(void)
{
	printf("Usage: " PROG " [OPTIONS] --runner PATH NAME\n"
	       "       " PROG " --inspect FILE.run [--json]\n"
	       "       " PROG " --from-run OLD.run [-o NEW.run]\n"
	       "       " PROG " --test-binary BIN [-o NAME.run] NAME\n\n"
	       "Builds NAME.run, a self-contained runfile that reproduces ktstr test NAME on a\n"
	       "bare-metal host: a static stub program, the gzip'd tar payload (test binary,\n"
	       "scheduler, include files), the frozen test spec and a footer that locates them.\n"
	       "The host needs no shell: the stub does every check, the extraction, the\n"
	       "scheduler launch, the test run and the cleanup itself.\n\n");
	printf("Payload:\n"
	       "  --runner PATH            the ktstr test binary (required), archived as 'ktstr'\n"
	       "  --scheduler PATH         the scheduler binary, archived as 'scheduler'; without\n"
	       "                           it the test runs under EEVDF and no scheduler starts\n"
	       "  --sched-name NAME        scheduler name (default: basename of --scheduler, else\n"
	       "                           'eevdf')\n"
	       "  --include PATH           an extra file, archived as include/<basename>; a bare\n"
	       "                           name is looked up in $PATH (repeatable)\n\n");
	printf("Scheduler command line (in this order):\n"
	       "  --config-file PATH       pack PATH as include/<basename>, pass\n"
	       "                           '--config <extracted path>'\n"
	       "  --config-content FILE --config-arg TEMPLATE --config-name BASENAME\n"
	       "                           pack FILE's bytes as include/BASENAME and pass\n"
	       "                           TEMPLATE, split at whitespace, with " CONFIG_FILE_PLACEHOLDER "\n"
	       "                           replaced by the extracted path\n"
	       "  --cgroup-parent PATH     pass '--cell-parent-cgroup PATH'\n"
	       "  --sched-arg ARG          the scheduler's own argument (repeatable)\n"
	       "  --extra-sched-arg ARG    the test's extra scheduler argument (repeatable)\n"
	       "  Every argument reaches the scheduler byte for byte, as one argv element.\n\n");
	printf("Frozen test spec:\n"
	       "  --llcs N --cores-per-llc N --threads-per-core N --numa-nodes N\n"
	       "                           topology the host must have (default 1 each)\n"
	       "  --duration SECS          workload duration (default %d)\n"
	       "  --watchdog SECS          scheduler watchdog timeout (default %d)\n"
	       "  --attach-timeout SECS    how long the scheduler may take to attach (default %d)\n"
	       "  --git-hash HEX           provenance, 1..64 of 0-9 A-Z a-z . _ + - (default:\n"
	       "                           HEAD of the git checkout around the current\n"
	       "                           directory, read without git; 'unknown')\n\n",
	       SPEC_DEFAULT_DURATION, SPEC_DEFAULT_WATCHDOG, SPEC_DEFAULT_ATTACH_TIMEOUT);
	printf("Output:\n"
	       "  -o, --output PATH        where to write (default NAME.run), mode 0755, atomically\n"
	       "  --compress CODEC         gzip (default), zstd or none\n"
	       "  --level N                compression level (gzip 1-12, default %d; zstd 1-19,\n"
	       "                           default %d)\n"
	       "  --arch ARCH              x86_64 or aarch64: the built-in stub to use (default:\n"
	       "                           the one for the runner's ELF machine, which the\n"
	       "                           scheduler and the programs among the includes must\n"
	       "                           share); built in: %s\n"
	       "  --stub PATH              use this stub program instead of a built-in one; the\n"
	       "                           payload's ELF files must suit its machine\n\n",
	       COMPRESS_GZIP_DEFAULT_LEVEL, COMPRESS_ZSTD_DEFAULT_LEVEL, stubs_list());
	printf("Converting `cargo ktstr export` output (the spec comes from the test):\n"
	       "  --from-run OLD.run       convert a bash runfile written by cargo ktstr export\n"
	       "                           0.6.0 into a native one (default output: NAME.run);\n"
	       "                           it is read, never run\n"
	       "  --test-binary BIN        run 'BIN --ktstr-export-test=NAME' in a new private\n"
	       "                           directory and convert the NAME.run it writes\n"
	       "  --test-binary-timeout SECS\n"
	       "                           kill BIN after SECS (default %d)\n"
	       "  Only -o, --compress, --level, --arch and --stub go with these.\n\n",
	       TESTBIN_TIMEOUT_DEFAULT);
	printf("Other:\n"
	       "  --inspect FILE.run [--json]\n"
	       "                           print a runfile's layout, digests, spec, command lines\n"
	       "                           and members, as the runfile's own --inspect does; as\n"
	       "                           JSON for scripts with --json\n"
	       "  --version                print the version\n"
	       "  -h, --help               print this help\n\n"
	       "Not supported yet: kernel-builtin schedulers (enabled by shell commands rather\n"
	       "than a userspace binary) and directories as includes.\n");
}

static void __attribute__((noreturn, format(printf, 1, 2))) bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '" PROG " --help' for more information.\n");
	exit(EXIT_FAILURE);
}

static int fail(void)
{
	const char *hint = error_hint_message();

	fprintf(stderr, PROG ": error: %s\n", error_message());
	if (hint[0])
		fprintf(stderr, PROG ": hint: %s\n", hint);
	return EXIT_FAILURE;
}

static void strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

static unsigned number(const char *opt, const char *val, unsigned min, unsigned max)
{
	unsigned v;

	if (parse_u32_opt(opt, val, min, max, &v) < 0)
		bad_usage("%s", error_message());
	return v;
}

/* A file operand must be an existing regular file. */
static int check_file(const char *what, const char *path)
{
	struct stat st;

	if (!path[0])
		return error_set(-EINVAL, "%s path is empty", what);
	if (stat(path, &st) < 0) {
		error_set_errno(-errno, "%s %s", what, path);
		error_hint("check the path; it must name an existing regular file");
		return -ENOENT;
	}
	if (S_ISDIR(st.st_mode)) {
		error_set(-EISDIR, "%s %s is a directory: only regular files can be packed", what, path);
		error_hint("name each file on its own (recursive directory packing is not supported)");
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		error_set(-EINVAL, "%s %s is not a regular file", what, path);
		error_hint("give a regular file (not a device, FIFO or socket); copy it to a file "
			   "first if it is generated");
		return -EINVAL;
	}
	return 0;
}

static char *base_name(const char *path)
{
	_cleanup_free_ char *copy = xstrdup(path);

	return xstrdup(basename(copy));
}

static int read_file(const char *path, struct strbuf *out)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[65536];
	ssize_t n;

	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", path);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set_errno(-errno, "cannot read %s", path);
		strbuf_add(out, buf, (size_t)n);
	}
	return 0;
}

struct plan {
	struct spec spec;
	struct pack_member members[SPEC_MEMBERS_MAX];
	size_t nmembers;
	struct strbuf config_content;
	struct strbuf stub;
};

static int add_member(struct plan *p, const char *name, const char *host_path)
{
	for (size_t i = 0; i < p->nmembers; i++)
		if (!strcmp(p->members[i].name, name)) {
			error_set(-EEXIST, "two files would be packed as %s (%s and %s)", name,
				  p->members[i].host_path ? p->members[i].host_path : "inline config",
				  host_path ? host_path : "inline config");
			error_hint("includes are flattened to include/<basename>: rename one of them");
			return -EEXIST;
		}
	if (p->nmembers >= SPEC_MEMBERS_MAX - 1)
		return error_set(-E2BIG, "too many files (max %d includes)", SPEC_MEMBERS_MAX - 2);
	p->members[p->nmembers].name = xstrdup(name);
	p->members[p->nmembers].host_path = host_path ? xstrdup(host_path) : NULL;
	p->nmembers++;
	return 0;
}

static int add_include(struct plan *p, const char *what, const char *path, char **member_name)
{
	_cleanup_free_ char *base = base_name(path);
	_cleanup_free_ char *name = NULL;
	int r;

	if ((r = check_file(what, path)) < 0)
		return r;
	if (!spec_include_basename_ok(base))
		return error_set(-EINVAL, "%s %s: the basename '%s' cannot be packed (at most %d "
				 "printable bytes)", what, path, base, SPEC_NAME_MAX);
	name = xasprintf("%s/%s", MEMBER_INCLUDE_DIR, base);
	if ((r = add_member(p, name, path)) < 0)
		return r;
	if (member_name)
		*member_name = xstrdup(name);
	return 0;
}

/* "--config <DIR>/include/<base>" */
static void add_config_file_args(struct spec *s, const char *member)
{
	struct spec_arg *a = spec_add_arg(s);

	spec_arg_add_literal(a, "--config", 8);
	a = spec_add_arg(s);
	spec_arg_add_dir(a);
	spec_arg_add_literal(a, "/", 1);
	spec_arg_add_literal(a, member, strlen(member));
}

/* TEMPLATE split at whitespace, each {file} -> <DIR>/include/<name> */
static int add_config_template_args(struct spec *s, const char *tmpl, const char *member)
{
	const char *p = tmpl;
	bool placeholder = false;

	while (*p) {
		struct spec_arg *a;
		size_t len;

		p += strspn(p, " \t\n");
		if (!*p)
			break;
		len = strcspn(p, " \t\n");
		a = spec_add_arg(s);
		for (const char *w = p; w < p + len;) {
			const char *hit = memmem(w, (size_t)(p + len - w), CONFIG_FILE_PLACEHOLDER,
						 strlen(CONFIG_FILE_PLACEHOLDER));

			if (!hit) {
				spec_arg_add_literal(a, w, (size_t)(p + len - w));
				break;
			}
			spec_arg_add_literal(a, w, (size_t)(hit - w));
			spec_arg_add_dir(a);
			spec_arg_add_literal(a, "/", 1);
			spec_arg_add_literal(a, member, strlen(member));
			placeholder = true;
			w = hit + strlen(CONFIG_FILE_PLACEHOLDER);
		}
		p += len;
	}
	if (!placeholder)
		return error_set(-EINVAL, "--config-arg '%s' does not contain %s, so the scheduler "
				 "would never see its config file", tmpl, CONFIG_FILE_PLACEHOLDER);
	return 0;
}

static void add_plain_args(struct spec *s, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		spec_arg_add_literal(spec_add_arg(s), l->v[i], strlen(l->v[i]));
}

static int resolve_include(const struct options *o, const char *spec, char **out)
{
	if (strchr(spec, '/')) {
		*out = xstrdup(spec);
		return 0;
	}
	*out = path_search(spec, getenv("PATH"));
	if (!*out) {
		error_set(-ENOENT, "include '%s' was not found in PATH as an executable regular file",
			  spec);
		error_hint("install it, or give a path (./%s or an absolute path)", spec);
		return -ENOENT;
	}
	(void)o;
	return 0;
}

/*
 * The stub: --stub's file, or the built-in one for the ELF machine of the
 * runner (or --arch), checked against the scheduler and the includes.
 */
static int load_stub(const struct options *o, struct plan *p)
{
	_cleanup_free_ const char **includes = xcalloc(p->nmembers + 1, sizeof(*includes));
	size_t n = 0;
	int r;

	if (o->stub_path && (r = check_file("stub", o->stub_path)) < 0)
		return r;
	for (size_t i = 0; i < p->nmembers; i++)
		if (p->members[i].host_path &&
		    !strncmp(p->members[i].name, MEMBER_INCLUDE_DIR "/", strlen(MEMBER_INCLUDE_DIR) + 1))
			includes[n++] = p->members[i].host_path;
	return stubs_load(o->runner, o->scheduler, includes, n, o->arch, o->stub_path, &p->stub);
}

static int build_plan(const struct options *o, struct plan *p)
{
	struct spec *s = &p->spec;
	char git[SPEC_GIT_HASH_MAX + 1];
	int r;

	if ((r = check_file("runner", o->runner)) < 0)
		return r;
	if (o->scheduler && (r = check_file("scheduler", o->scheduler)) < 0)
		return r;
	if (!o->scheduler && (o->sched_args.n || o->extra_sched_args.n || o->cgroup_parent ||
			      o->config_file || o->config_content))
		return error_set(-EINVAL, "scheduler arguments, a cgroup parent or a config file "
				 "need --scheduler (without one the test runs under EEVDF)");
	if ((o->config_content || o->config_arg || o->config_name) &&
	    !(o->config_content && o->config_arg && o->config_name))
		return error_set(-EINVAL, "--config-content, --config-arg and --config-name go "
				 "together");
	if (o->cgroup_parent && (r = spec_cgroup_parent_check(o->cgroup_parent)) < 0)
		return r;

	spec_init(s);
	s->test_name = xstrdup(o->name);
	s->sched_name = o->sched_name ? xstrdup(o->sched_name) :
			o->scheduler ? base_name(o->scheduler) : xstrdup("eevdf");
	if (!spec_name_ok(s->sched_name))
		return error_set(-EINVAL, "scheduler name '%s' must be 1..%d printable bytes "
				 "without '/'", s->sched_name, SPEC_NAME_MAX);
	if (o->git_hash) {
		s->git_hash = xstrdup(o->git_hash);
	} else {
		gitrev_read(".", git, sizeof(git));
		s->git_hash = xstrdup(git);
	}
	s->packer = xstrdup(PROG " " PACKAGE_VERSION);
	s->llcs = o->llcs;
	s->cores_per_llc = o->cores_per_llc;
	s->threads_per_core = o->threads_per_core;
	s->numa_nodes = o->numa_nodes;
	s->duration_secs = o->duration;
	s->watchdog_secs = o->watchdog;
	s->attach_timeout_secs = o->attach_timeout;
	s->cgroup_parent = o->cgroup_parent ? xstrdup(o->cgroup_parent) : NULL;

	/* members: scheduler, includes, config files, then the runner */
	if (o->scheduler && (r = add_member(p, MEMBER_SCHEDULER, o->scheduler)) < 0)
		return r;
	for (size_t i = 0; i < o->includes.n; i++) {
		_cleanup_free_ char *path = NULL;

		if ((r = resolve_include(o, o->includes.v[i], &path)) < 0 ||
		    (r = add_include(p, "include", path, NULL)) < 0)
			return r;
	}
	/* scheduler argv: config additions, cgroup parent, own args, extra args */
	if (o->config_file) {
		_cleanup_free_ char *member = NULL;

		if ((r = add_include(p, "config file", o->config_file, &member)) < 0)
			return r;
		add_config_file_args(s, member);
	}
	if (o->config_content) {
		_cleanup_free_ char *member = NULL;

		if ((r = check_file("config content", o->config_content)) < 0)
			return r;
		if (!spec_include_basename_ok(o->config_name))
			return error_set(-EINVAL, "--config-name '%s' must be a plain file name",
					 o->config_name);
		if ((r = read_file(o->config_content, &p->config_content)) < 0)
			return r;
		member = xasprintf("%s/%s", MEMBER_INCLUDE_DIR, o->config_name);
		if ((r = add_member(p, member, NULL)) < 0)
			return r;
		p->members[p->nmembers - 1].data = p->config_content.buf ? p->config_content.buf : "";
		p->members[p->nmembers - 1].data_len = p->config_content.len;
		if ((r = add_config_template_args(s, o->config_arg, member)) < 0)
			return r;
	}
	if (o->cgroup_parent) {
		spec_arg_add_literal(spec_add_arg(s), "--cell-parent-cgroup", 20);
		spec_arg_add_literal(spec_add_arg(s), o->cgroup_parent, strlen(o->cgroup_parent));
	}
	add_plain_args(s, &o->sched_args);
	add_plain_args(s, &o->extra_sched_args);
	if ((r = add_member(p, MEMBER_RUNNER, o->runner)) < 0)
		return r;
	return load_stub(o, p);
}

static void plan_release(struct plan *p)
{
	for (size_t i = 0; i < p->nmembers; i++) {
		free(p->members[i].name);
		free(p->members[i].host_path);
	}
	strbuf_release(&p->config_content);
	strbuf_release(&p->stub);
	spec_release(&p->spec);
}

static int do_inspect(const char *path, bool json)
{
	struct strbuf out = STRBUF_INIT;
	struct runfile rf;

	if (runfile_open(path, &rf) < 0) {
		error_prefix(-EINVAL, "%s", path);
		return fail();
	}
	inspect_runfile(&rf, path, json, &out);
	fputs(strbuf_cstr(&out), stdout);
	strbuf_release(&out);
	runfile_close(&rf);
	return EXIT_SUCCESS;
}

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* --from-run, --test-binary: everything but the output comes from the source */
static int do_convert(const struct options *o, int nargs, char **args)
{
	struct convert_opts co = {
		.output = o->output, .stub_path = o->stub_path, .arch = o->arch,
		.codec = (enum payload_codec)o->codec, .threads = online_cpus(),
	};
	int lmin, lmax, r;

	if (o->from_run && o->test_binary)
		bad_usage("--from-run and --test-binary exclude each other");
	if (o->runner || o->scheduler || o->sched_name || o->cgroup_parent || o->sched_args.n ||
	    o->extra_sched_args.n || o->includes.n || o->config_file || o->config_content ||
	    o->config_arg || o->config_name || o->git_hash || o->llcs != 1 ||
	    o->cores_per_llc != 1 || o->threads_per_core != 1 || o->numa_nodes != 1 ||
	    o->duration != SPEC_DEFAULT_DURATION || o->watchdog != SPEC_DEFAULT_WATCHDOG ||
	    o->attach_timeout != SPEC_DEFAULT_ATTACH_TIMEOUT)
		bad_usage("%s takes the whole test spec from the test; only -o, --compress, --level, "
			  "--arch and --stub go with it", o->from_run ? "--from-run" : "--test-binary");
	if (o->test_binary_timeout && !o->test_binary)
		bad_usage("--test-binary-timeout goes with --test-binary");
	compress_level_range(co.codec, &lmin, &lmax);
	co.level = o->level_set ? o->level : compress_default_level(co.codec);
	if (co.level < lmin || co.level > lmax)
		bad_usage("--level %d is outside %d..%d for %s", co.level, lmin, lmax,
			  payload_codec_name((uint32_t)co.codec));
	if (o->from_run) {
		if (nargs)
			bad_usage("--from-run takes no NAME (it is in the file): got '%s'", args[0]);
		r = convert_bash_runfile(o->from_run, &co);
	} else {
		if (nargs != 1)
			bad_usage("--test-binary needs exactly one test NAME");
		if (!spec_name_ok(args[0]))
			bad_usage("invalid test NAME '%s': at most %d printable bytes, no '/'", args[0],
				  SPEC_NAME_MAX);
		r = convert_test_binary(o->test_binary, args[0],
					o->test_binary_timeout ? o->test_binary_timeout :
					TESTBIN_TIMEOUT_DEFAULT, &co);
	}
	return r < 0 ? fail() : EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct options o = {
		.llcs = 1, .cores_per_llc = 1, .threads_per_core = 1, .numa_nodes = 1,
		.duration = SPEC_DEFAULT_DURATION, .watchdog = SPEC_DEFAULT_WATCHDOG,
		.attach_timeout = SPEC_DEFAULT_ATTACH_TIMEOUT, .codec = CODEC_GZIP,
	};
	_cleanup_free_ char *default_output = NULL;
	struct plan *p;
	struct pack_job job;
	int c, r, lmin, lmax;

	while ((c = getopt_long(argc, argv, "ho:", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_RUNNER: o.runner = optarg; break;
		case OPT_SCHEDULER: o.scheduler = optarg; break;
		case OPT_SCHED_NAME: o.sched_name = optarg; break;
		case OPT_SCHED_ARG: strlist_add(&o.sched_args, optarg); break;
		case OPT_EXTRA_SCHED_ARG: strlist_add(&o.extra_sched_args, optarg); break;
		case OPT_CGROUP_PARENT: o.cgroup_parent = optarg; break;
		case OPT_CONFIG_FILE: o.config_file = optarg; break;
		case OPT_CONFIG_CONTENT: o.config_content = optarg; break;
		case OPT_CONFIG_ARG: o.config_arg = optarg; break;
		case OPT_CONFIG_NAME: o.config_name = optarg; break;
		case OPT_INCLUDE: strlist_add(&o.includes, optarg); break;
		case OPT_LLCS: o.llcs = number("--llcs", optarg, 1, SPEC_TOPO_MAX); break;
		case OPT_CORES: o.cores_per_llc = number("--cores-per-llc", optarg, 1, SPEC_TOPO_MAX); break;
		case OPT_THREADS:
			o.threads_per_core = number("--threads-per-core", optarg, 1, SPEC_TOPO_MAX);
			break;
		case OPT_NUMA: o.numa_nodes = number("--numa-nodes", optarg, 1, SPEC_TOPO_MAX); break;
		case OPT_DURATION: o.duration = number("--duration", optarg, 1, SPEC_SECS_MAX); break;
		case OPT_WATCHDOG: o.watchdog = number("--watchdog", optarg, 1, SPEC_SECS_MAX); break;
		case OPT_ATTACH_TIMEOUT:
			o.attach_timeout = number("--attach-timeout", optarg, 1, SPEC_ATTACH_SECS_MAX);
			break;
		case OPT_GIT_HASH:
			/* the spec's own rule, checked now rather than after compressing */
			if (!spec_git_hash_ok(optarg))
				bad_usage("invalid value '%s' for --git-hash: must be 1..%d characters "
					  "of 0-9, A-Z, a-z and . _ + - (a commit id, for example)",
					  optarg, SPEC_GIT_HASH_MAX);
			o.git_hash = optarg;
			break;
		case OPT_COMPRESS:
			if ((o.codec = payload_codec_parse(optarg)) < 0)
				bad_usage("%s", error_message());
			break;
		case OPT_LEVEL:
			o.level = (int)number("--level", optarg, 0, 99);
			o.level_set = true;
			break;
		case OPT_STUB: o.stub_path = optarg; break;
		case OPT_ARCH:
			if (elf_arch_parse(optarg) == ELF_ARCH_UNKNOWN)
				bad_usage("--arch %s: x86_64 or aarch64", optarg);
			o.arch = optarg;
			break;
		case 'o': o.output = optarg; break;
		case OPT_INSPECT: o.inspect = optarg; break;
		case OPT_FROM_RUN: o.from_run = optarg; break;
		case OPT_TEST_BINARY: o.test_binary = optarg; break;
		case OPT_TEST_BINARY_TIMEOUT:
			o.test_binary_timeout = number("--test-binary-timeout", optarg, 1, 86400);
			break;
		case OPT_JSON: o.json = true; break;
		case OPT_VERSION:
			printf(PROG " %s (runfile format %u, stubs: %s)\n", PACKAGE_VERSION,
			       RUNFILE_FORMAT_VERSION, stubs_list());
			return EXIT_SUCCESS;
		case 'h':
			usage();
			return EXIT_SUCCESS;
		default:
			bad_usage("unknown option or missing value");
		}
	}
	if (o.inspect) {
		if (optind < argc)
			bad_usage("--inspect takes no other operand");
		return do_inspect(o.inspect, o.json);
	}
	if (o.json)
		bad_usage("--json goes with --inspect");
	if (o.from_run || o.test_binary)
		return do_convert(&o, argc - optind, argv + optind);
	if (optind == argc)
		bad_usage("missing the test NAME");
	if (optind + 1 < argc)
		bad_usage("one test NAME only (got '%s' too)", argv[optind + 1]);
	o.name = argv[optind];
	if (!o.name[0])
		bad_usage("the test NAME is empty");
	if (!spec_name_ok(o.name))
		bad_usage("invalid test NAME '%s': at most %d printable bytes, no '/'", o.name,
			  SPEC_NAME_MAX);
	if (!o.runner)
		bad_usage("--runner PATH is required (the ktstr test binary)");
	compress_level_range((enum payload_codec)o.codec, &lmin, &lmax);
	if (!o.level_set)
		o.level = compress_default_level((enum payload_codec)o.codec);
	else if (o.level < lmin || o.level > lmax)
		bad_usage("--level %d is outside %d..%d for %s", o.level, lmin, lmax,
			  payload_codec_name((uint32_t)o.codec));
	if (!o.output)
		o.output = default_output = xasprintf("%s.run", o.name);

	p = xcalloc(1, sizeof(*p));
	r = build_plan(&o, p);
	if (r == 0) {
		job = (struct pack_job){
			.stub = (const uint8_t *)p->stub.buf, .stub_len = p->stub.len,
			.members = p->members, .nmembers = p->nmembers,
			.codec = (enum payload_codec)o.codec, .level = o.level,
			.threads = online_cpus(), .output = o.output,
		};
		r = pack_write(&job, &p->spec);
		if (r < 0)
			error_prefix(r, "cannot write %s", o.output);
	}
	if (r == 0)
		fprintf(stderr, PROG ": wrote %s (%zu files)\n", o.output, p->nmembers);
	plan_release(p);
	free(p);
	free(o.sched_args.v);
	free(o.extra_sched_args.v);
	free(o.includes.v);
	return r < 0 ? fail() : EXIT_SUCCESS;
}
