// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the runfile stub: parse the operator's flags, load our own
 * footer and spec from /proc/self/exe, then run, inspect, preflight,
 * verify or extract.
 */
#include "config.h"

#include "digest.h"
#include "error.h"
#include "footer.h"
#include "inspect.h"
#include "parse.h"
#include "pathnames.h"
#include "report.h"
#include "run.h"
#include "runfile.h"
#include "spec.h"
#include "strbuf.h"
#include "supervise.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum mode { MODE_RUN, MODE_INSPECT, MODE_PREFLIGHT, MODE_EXTRACT, MODE_VERIFY };

enum {
	OPT_DURATION = 0x100,
	OPT_WATCHDOG,
	OPT_FROZEN,
	OPT_INSPECT,
	OPT_JSON,
	OPT_PREFLIGHT,
	OPT_EXTRACT,
	OPT_VERIFY,
	OPT_KEEP,
	OPT_ATTACH_TIMEOUT,
	OPT_VERSION,
};

/* Keep in sync with usage() and docs/ktstr-runfile.1 (tests compare them). */
static const struct option long_options[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "watchdog-timeout", required_argument, NULL, OPT_WATCHDOG },
	{ "attach-timeout", required_argument, NULL, OPT_ATTACH_TIMEOUT },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "inspect", no_argument, NULL, OPT_INSPECT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "preflight", no_argument, NULL, OPT_PREFLIGHT },
	{ "extract", required_argument, NULL, OPT_EXTRACT },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	/* frozen at export time: refused with a reason */
	{ "cpus", optional_argument, NULL, OPT_FROZEN },
	{ "topology", optional_argument, NULL, OPT_FROZEN },
	{ "affinity", optional_argument, NULL, OPT_FROZEN },
	{ NULL, 0, NULL, 0 },
};

static void usage(const struct runfile *rf)
{
	const struct spec *s = &rf->spec;
	const char *p = program_invocation_short_name;

	printf("Usage: %s [--quiet] [--duration SECS] [--watchdog-timeout SECS]\n"
	       "       %*s [--attach-timeout SECS] [--keep]\n"
	       "       %s --inspect [--json] | --preflight | --verify | --extract DIR | --version\n\n",
	       p, (int)strlen(p), "", p);
	printf("Reproduces ktstr test '%s' on bare metal: checks the host, extracts the\n"
	       "embedded binaries to a private temporary directory, %s,\n"
	       "runs the test, forwards its exit status and cleans up (scheduler, cgroups,\n"
	       "files).  Needs no shell and no other program on the host.\n\n",
	       s->test_name, spec_has_scheduler(s) ? "attaches the scheduler" :
	       "starts no scheduler (EEVDF)");
	printf("Frozen (re-export to change):\n"
	       "  scheduler          %s\n"
	       "  topology           %u NUMA nodes / %u LLCs / %u cores per LLC / %u threads per core\n"
	       "  scheduler args     see --inspect\n"
	       "  --cpus, --topology, --affinity are refused\n\n",
	       s->sched_name, s->numa_nodes, s->llcs, s->cores_per_llc, s->threads_per_core);
	printf("Overridable:\n"
	       "  --duration SECS          workload duration (default %u)\n"
	       "  --watchdog-timeout SECS  scheduler watchdog (default %u)\n"
	       "  --attach-timeout SECS    wait this long for the scheduler to attach (default %u)\n"
	       "  -q, --quiet              no banner, status lines, phase times or progress line\n"
	       "                           (errors and the verdict still print)\n"
	       "  --keep                   keep the extraction directory and print its path\n"
	       "                           (named $TMPDIR/" TMPDIR_KEEP_PREFIX "PID-XXXXXX)\n\n",
	       s->duration_secs, s->watchdog_secs, s->attach_timeout_secs);
	printf("Look before you run (no root needed; one at a time, without the run options):\n"
	       "  --inspect [--json]       the spec, the command lines, the archive members,\n"
	       "                           offsets and digests\n"
	       "  --preflight              every host check and the run lock as a table; exit 0\n"
	       "                           if the host can run the test, 1 if not; runs nothing\n"
	       "                           from the payload, takes and creates nothing\n"
	       "  --verify                 check the footer and every digest, run nothing\n"
	       "  --extract DIR            verify and extract the payload into DIR (new or empty),\n"
	       "                           run nothing\n"
	       "  --version                stub and runfile format versions\n"
	       "  -h, --help               this text\n\n");
	printf("Requirements:\n"
	       "  CAP_SYS_ADMIN (run as root): the scheduler is a kernel BPF program and the test\n"
	       "  creates cgroups under %s.  A kernel with sched_ext\n"
	       "  (%s), cgroup v2 mounted at %s, no other sched_ext\n"
	       "  scheduler attached, and the frozen topology; a failing check prints \"host has\n"
	       "  X, test needs Y\".  The payload is extracted under $TMPDIR (default %s),\n"
	       "  which must allow exec.\n\n",
	       PATH_KTSTR_CGROUP, PATH_SCHED_EXT, PATH_CGROUP_ROOT, PATH_DEFAULT_TMPDIR);
	printf("Exit status:\n"
	       "  0      the test passed\n"
	       "  1      a check, the extraction, the scheduler attach or the run failed\n"
	       "  N      the test exited with status N\n"
	       "  128+N  the test (or the run, before the test started) was killed by signal N\n");
}

static void __attribute__((noreturn)) bad_usage(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void __attribute__((noreturn)) bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", program_invocation_short_name);
	exit(EXIT_FAILURE);
}

static const char *seconds_arg(const char *opt, const char *val)
{
	unsigned v;

	if (parse_u32_opt(opt, val, 1, SPEC_SECS_MAX, &v) < 0)
		bad_usage("%s", error_message());
	return val;
}

/* One mode per invocation: a second one is a mistake worth saying so. */
static void set_mode(enum mode *mode, enum mode m, const char *opt)
{
	static const char *first;

	if (*mode != MODE_RUN && *mode != m)
		bad_usage("%s and %s cannot be combined", first, opt);
	*mode = m;
	first = opt;
}

/*
 * The name --inspect shows and puts in its "list payload" command: argv[0]
 * as the operator typed it when it is a path, so that `./x.run --inspect`
 * prints what `ktstr-pack --inspect ./x.run` does; the real path when the
 * runfile was found through PATH.
 */
static const char *inspect_name(const char *argv0, char *buf, size_t size)
{
	ssize_t n;

	if (strchr(argv0, '/'))
		return argv0;
	n = readlink(PATH_PROC_SELF_EXE, buf, size - 1);
	if (n <= 0)
		return argv0;
	buf[n] = '\0';
	return buf;
}

/* one line of --verify: "NAME: WHAT: N bytes, sha256 HEX ok" */
static void print_digest_ok(const char *what, uint64_t bytes,
			    const uint8_t digest[SHA256_DIGEST_SIZE])
{
	char hex[SHA256_HEX_LEN + 1];

	sha256_hex(digest, hex);
	printf("%s: %s: %llu bytes, sha256 %s ok\n", program_invocation_short_name, what,
	       (unsigned long long)bytes, hex);
}

static int verify(const struct runfile *rf)
{
	const char *prog = program_invocation_short_name;
	int r;

	/* runfile_open() already checked the footer and the spec's digest */
	printf("%s: footer: format %u, %llu bytes, checksum ok\n", prog, rf->footer.version,
	       (unsigned long long)rf->size);
	print_digest_ok("spec", rf->footer.spec_length, rf->footer.spec_sha256);
	if (rf->spec.has_early) {
		r = runfile_verify_early(rf);
		if (r < 0)
			goto fail;
		print_digest_ok("early prefix", rf->spec.early_clen, rf->spec.early_sha256);
	}
	r = runfile_verify_payload(rf);
	if (r < 0)
		goto fail;
	print_digest_ok("payload", rf->footer.payload_length, rf->footer.payload_sha256);
	printf("%s: OK: footer, spec and payload digests match\n", prog);
	return EXIT_SUCCESS;
fail:
	fflush(stdout);
	fprintf(stderr, "%s: error: %s\n", prog, error_message());
	fprintf(stderr, "%s: hint: get a fresh copy of the runfile (it may be corrupted in "
		"transfer)\n", prog);
	return EXIT_FAILURE;
}

static int load_self(struct runfile *rf)
{
	int r = runfile_open(PATH_PROC_SELF_EXE, rf);

	if (r < 0) {
		fprintf(stderr, "%s: error: cannot read this runfile: %s\n",
			program_invocation_short_name, error_message());
		fprintf(stderr, "%s: hint: nothing was extracted or run; get a fresh copy of the "
			"runfile (it may be truncated or corrupted in transfer)\n",
			program_invocation_short_name);
	}
	return r;
}

/*
 * A run ends with its verdict even when the runfile cannot be read (issue
 * 8: one line for every run, which logs and scripts look for); the error
 * and hint above it came from load_self().
 */
static int unreadable_verdict(bool quiet, int64_t start_ns)
{
	struct report rep;

	report_init(&rep, quiet, start_ns);
	report_set_error(&rep, "load", error_message());
	return report_verdict(&rep);
}

int main(int argc, char **argv)
{
	int64_t start_ns = monotonic_ns();
	struct run_options o = { 0 };
	enum mode mode = MODE_RUN;
	const char *extract_dir = NULL;
	bool json = false, help = false, version = false;
	const char *run_only = NULL;   /* an option that only a run uses */
	char exe[4096];
	struct runfile rf;
	unsigned attach;
	int c, r;

	opterr = 0;
	/* as in the original, --help ends the parsing: what follows it is not
	 * looked at, what precedes it was (an earlier mistake still fails) */
	while (!help && (c = getopt_long(argc, argv, "+qh", long_options, NULL)) != -1) {
		switch (c) {
		case 'q': o.quiet = true; break;
		case 'h': help = true; break;
		case OPT_DURATION:
			o.duration = seconds_arg("--duration", optarg);
			run_only = "--duration";
			break;
		case OPT_WATCHDOG:
			o.watchdog = seconds_arg("--watchdog-timeout", optarg);
			run_only = "--watchdog-timeout";
			break;
		case OPT_ATTACH_TIMEOUT:
			if (parse_u32_opt("--attach-timeout", optarg, 1, SPEC_ATTACH_SECS_MAX,
					  &attach) < 0)
				bad_usage("%s", error_message());
			o.attach_timeout = attach;
			run_only = "--attach-timeout";
			break;
		case OPT_KEEP: o.keep = true; run_only = "--keep"; break;
		case OPT_INSPECT: set_mode(&mode, MODE_INSPECT, "--inspect"); break;
		case OPT_JSON: json = true; break;
		case OPT_PREFLIGHT: set_mode(&mode, MODE_PREFLIGHT, "--preflight"); break;
		case OPT_VERIFY: set_mode(&mode, MODE_VERIFY, "--verify"); break;
		case OPT_EXTRACT:
			set_mode(&mode, MODE_EXTRACT, "--extract");
			extract_dir = optarg;
			break;
		case OPT_VERSION: version = true; break;
		case OPT_FROZEN:
			fprintf(stderr, "%s: error: %s is frozen for reproduction fidelity: re-export "
				"the test to change it\n", program_invocation_short_name,
				argv[optind - 1]);
			return EXIT_FAILURE;
		case '?':
			/* optopt: 0 for an unknown long option, the short option
			 * letter, or the value of a known long option misused */
			if (optopt > 0 && optopt < 0x100)
				bad_usage("option '-%c' is not known", optopt);
			if (optopt && strchr(argv[optind - 1], '='))
				bad_usage("option '%s' takes no value", argv[optind - 1]);
			if (optopt)
				bad_usage("option '%s' needs a value", argv[optind - 1]);
			bad_usage("option '%s' is not known", argv[optind - 1]);
		default:
			bad_usage("unexpected option");
		}
	}
	if (optind < argc && !help)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (json && mode != MODE_INSPECT)
		bad_usage("--json goes with --inspect");
	if (run_only && mode != MODE_RUN && !help && !version)
		bad_usage("%s applies to a run, not to --%s", run_only,
			  mode == MODE_INSPECT ? "inspect" : mode == MODE_PREFLIGHT ? "preflight" :
			  mode == MODE_VERIFY ? "verify" : "extract");
	if (version) {
		printf("%s: ktstr-pack stub %s, runfile format %u\n", program_invocation_short_name,
		       PACKAGE_VERSION, RUNFILE_FORMAT_VERSION);
		return EXIT_SUCCESS;
	}

	if (load_self(&rf) < 0) {
		/* --help and the look-before-you-run modes run nothing: their
		 * error and hint are the whole answer, as for their other errors */
		if (mode == MODE_RUN && !help)
			return unreadable_verdict(o.quiet, start_ns);
		return EXIT_FAILURE;
	}
	if (help) {
		usage(&rf);
		runfile_close(&rf);
		return EXIT_SUCCESS;
	}
	switch (mode) {
	case MODE_INSPECT: {
		struct strbuf out = STRBUF_INIT;

		inspect_runfile(&rf, inspect_name(argv[0], exe, sizeof(exe)), json, &out);
		fputs(strbuf_cstr(&out), stdout);
		strbuf_release(&out);
		r = EXIT_SUCCESS;
		break;
	}
	case MODE_PREFLIGHT:
		r = run_preflight(&rf);
		break;
	case MODE_VERIFY:
		r = verify(&rf);
		break;
	case MODE_EXTRACT:
		r = run_extract(&rf, extract_dir, o.quiet);
		if (r < 0) {
			fprintf(stderr, "%s: error: %s\n", program_invocation_short_name, error_message());
			if (error_hint_message()[0])
				fprintf(stderr, "%s: hint: %s\n", program_invocation_short_name,
					error_hint_message());
		} else {
			printf("%s: extracted and verified into %s\n", program_invocation_short_name,
			       extract_dir);
		}
		r = r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
		break;
	default:
		r = run_test(&rf, &o, start_ns);
		break;
	}
	runfile_close(&rf);
	return r;
}
