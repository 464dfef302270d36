// SPDX-License-Identifier: GPL-2.0-only
/* run.c - the stub's run, step by step (DESIGN.md "The stub's run"). */
#include "run.h"
#include "cgroup_tree.h"
#include "checks.h"
#include "child.h"
#include "digest.h"
#include "error.h"
#include "extract.h"
#include "launch.h"
#include "macros.h"
#include "pathnames.h"
#include "report.h"
#include "sched_ext.h"
#include "supervise.h"
#include "workdir.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCHED_STOP_GRACE_MS 5000
#define TEST_STOP_GRACE_MS 10000
/*
 * A test that outlives duration + watchdog + margin is stopped and the run
 * reported as a timeout.  ktstr's own run needs time around the workload
 * (cgroups, workers, the verdict): the margin grows with the run, 25 % of
 * duration + watchdog, and is at least TEST_TIMEOUT_MARGIN_MIN_S; a fixed
 * 30 s made every hang cost half a minute and could not be tested quickly.
 * The test then gets TEST_TIMEOUT_GRACE_MS to end on SIGTERM before SIGKILL.
 */
#define TEST_TIMEOUT_MARGIN_MIN_S 5
#define TEST_TIMEOUT_GRACE_MS 5000
#define DETACH_TIMEOUT_MS 5000
#define CGROUP_TIMEOUT_MS 10000
#define EXTRACT_THREADS_MAX 8

struct run {
	const struct runfile *rf;
	const struct run_options *o;
	struct report rep;
	struct supervisor sv;
	struct workdir wd;
	int lock_fd;
	struct child sched, test;
	bool sched_expected;
	struct cgroup_list parent_before;   /* cgroups under the spec's parent before the run */
	bool parent_existed;
	char *parent_top;   /* where cleanup under the parent starts: the parent, or its
			     * first ancestor that did not exist before the run */
	bool sched_died_in_test;
	int sched_died_status;
};

/*
 * Inflate workers: the CPUs this process may run on (its affinity mask,
 * which a cpuset or taskset narrows), not the CPUs online: more workers
 * than usable CPUs only add threads, slot buffers and switches.
 */
static unsigned extract_threads(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > EXTRACT_THREADS_MAX ? EXTRACT_THREADS_MAX : (unsigned)n;
}

/* ---- step 3-5: host checks --------------------------------------------------- */

static bool host_checks(struct run *r)
{
	const struct spec *s = &r->rf->spec;
	struct check_report rep = { .n = 0 };
	struct topology topo;
	bool ok;

	ok = checks_capability(&rep) && checks_sched_ext(&rep) && checks_cgroup2(&rep) &&
	     checks_no_other_scheduler(&rep);
	if (ok) {
		ok = checks_topology(&rep, s, &topo);
		if (topo.nllcs && !r->o->quiet) {
			struct strbuf sb = STRBUF_INIT;

			topology_describe(&topo, &sb);
			report_info(&r->rep, "host topology: %s", sb.buf);
			strbuf_release(&sb);
		}
		topology_release(&topo);
	}
	if (ok)
		ok = checks_tmpdir(&rep, workdir_parent(), spec_payload_ulen(s));
	if (!ok) {
		checks_print_errors(&rep, program_invocation_short_name);
		for (size_t i = 0; i < rep.n; i++)
			if (!rep.row[i].ok) {
				report_set_error(&r->rep, "checks", rep.row[i].error);
				break;
			}
	}
	return ok;
}

/* ---- step 6-7: extraction, scheduler, attach ----------------------------------- */

static int start_scheduler(struct run *r)
{
	int ret;

	r->sched.name = "scheduler";
	r->sched.argv = launch_sched_argv(&r->rf->spec, r->wd.path);
	if (!r->o->quiet)
		report_info(&r->rep, "launching scheduler %s", r->rf->spec.sched_name);
	fflush(NULL);
	ret = child_start(&r->sched, &r->sv.run_mask);
	if (ret == 0) {
		supervisor_watch(&r->sv, &r->sched);
		report_phase_begin(&r->rep, PHASE_ATTACH);
	}
	return ret;
}

/*
 * A payload that does not inflate or parse is, short of a packer bug, a
 * damaged file: let the digest decide, and say "corrupted" rather than
 * pass on the decoder's complaint.  Only this error path reads the
 * payload a second time.
 */
static int explain_bad_payload(const struct runfile *rf, int err)
{
	struct error_state *saved;
	char detail[512];

	if (err != -EBADMSG || strstr(error_message(), "digest mismatch"))
		return err;
	snprintf(detail, sizeof(detail), "%s", error_message());
	error_save(&saved);
	if (runfile_verify_payload(rf) == -EBADMSG) {
		error_set(-EBADMSG, "payload digest mismatch: the runfile is corrupted (%s)", detail);
		error_hint("get a fresh copy of the runfile (it may be corrupted in transfer)");
	} else {
		error_restore(saved);
	}
	error_state_free(saved);
	return err;
}

static int interrupted(struct run *r, const char *during)
{
	report_set_signal(&r->rep, r->sv.stop_signal);
	return error_set(-EINTR, "interrupted by SIG%s during %s",
			 sigabbrev_np(r->sv.stop_signal), during);
}

/*
 * Extract and verify the whole payload.  Nothing from it runs before its
 * digest has matched: a corrupted or truncated runfile is never executed,
 * not even its verified scheduler part (so the scheduler cannot attach
 * while the runner is still being extracted; the time this costs is in
 * docs/PERFORMANCE.md).  Returns with report->stage set on failure.
 */
static int extract_payload(struct run *r)
{
	struct extract_job *job;
	int ret;

	report_phase_begin(&r->rep, PHASE_EXTRACT);
	ret = extract_start(r->rf, r->wd.fd, extract_threads(), &job);
	if (ret < 0)
		return report_fail(&r->rep, "extraction", ret);
	/* a first progress line at once: a fast disk may be done before
	 * the first poll interval ends, a slow one shows it is working */
	report_progress(&r->rep, job);
	for (;;) {
		enum extract_state st;

		supervisor_poll_us(&r->sv, extract_event_fd(job), 100000);
		if (r->sv.stop_signal) {
			ret = interrupted(r, "the extraction");
			extract_finish(job);
			report_progress_done(&r->rep);
			return report_fail(&r->rep, "extraction", ret);
		}
		st = extract_state(job);
		if (st == EXTRACT_FAILED) {
			ret = explain_bad_payload(r->rf, extract_finish(job));
			report_progress_done(&r->rep);
			return report_fail(&r->rep, "extraction", ret);
		}
		if (st == EXTRACT_DONE)
			break;
		report_progress(&r->rep, job);
	}
	ret = extract_finish(job);
	report_progress_done(&r->rep);
	report_phase_end(&r->rep, PHASE_EXTRACT);
	if (ret < 0)
		return report_fail(&r->rep, "extraction", ret);
	return 0;
}

/* Start the scheduler and wait until the kernel reports it attached. */
static int attach_scheduler(struct run *r)
{
	const struct spec *s = &r->rf->spec;
	unsigned timeout = r->o->attach_timeout ? r->o->attach_timeout : s->attach_timeout_secs;
	struct attach_watch aw = { .fd = -1 };
	int ret;

	if ((ret = start_scheduler(r)) < 0)
		return report_fail(&r->rep, "scheduler", ret);
	attach_watch_start(&aw, timeout * 1000);
	while ((ret = attach_watch_check(&aw, &r->sched)) == 0) {
		supervisor_poll_us(&r->sv, -1, ATTACH_POLL_US);
		if (r->sv.stop_signal) {
			ret = interrupted(r, "the scheduler attach");
			break;
		}
	}
	attach_watch_release(&aw);
	if (ret < 0)
		return report_fail(&r->rep, "attach", ret);
	report_phase_end(&r->rep, PHASE_ATTACH);
	if (!r->o->quiet)
		report_info(&r->rep, "scheduler %s attached", s->sched_name);
	return 0;
}

/* ---- step 8: the test ------------------------------------------------------------ */

static int run_the_test(struct run *r)
{
	const struct spec *s = &r->rf->spec;
	unsigned duration = s->duration_secs, watchdog = s->watchdog_secs, margin;
	int64_t deadline;
	int ret;

	if (r->o->duration)
		sscanf(r->o->duration, "%u", &duration);
	if (r->o->watchdog)
		sscanf(r->o->watchdog, "%u", &watchdog);
	margin = (duration + watchdog + 3) / 4;    /* both <= SPEC_SECS_MAX: no overflow */
	if (margin < TEST_TIMEOUT_MARGIN_MIN_S)
		margin = TEST_TIMEOUT_MARGIN_MIN_S;
	deadline = monotonic_ms() + 1000LL * (duration + watchdog + margin);

	r->test.name = "test";
	r->test.argv = launch_test_argv(s, r->wd.path, r->o->duration, r->o->watchdog);
	if (!r->o->quiet)
		report_info(&r->rep, "running test %s", s->test_name);
	fflush(NULL);
	report_phase_begin(&r->rep, PHASE_TEST);
	if ((ret = child_start(&r->test, &r->sv.run_mask)) < 0)
		return report_fail(&r->rep, "test", ret);
	supervisor_watch(&r->sv, &r->test);

	while (!child_reap(&r->test)) {
		if (r->sv.stop_signal) {
			/* forward it; the test decides how it ends, within a grace period */
			report_set_signal(&r->rep, r->sv.stop_signal);
			report_info(&r->rep, "received SIG%s: stopping the test",
				    sigabbrev_np(r->sv.stop_signal));
			supervisor_stop_child(&r->sv, &r->test, r->sv.stop_signal, TEST_STOP_GRACE_MS);
			break;
		}
		if (monotonic_ms() >= deadline) {
			supervisor_stop_child(&r->sv, &r->test, SIGTERM, TEST_TIMEOUT_GRACE_MS);
			report_phase_end(&r->rep, PHASE_TEST);
			return report_fail(&r->rep, "test",
					   error_set(-ETIMEDOUT, "the test was still running after "
						     "duration %u s + watchdog %u s + margin %u s; it "
						     "was stopped", duration, watchdog, margin));
		}
		if (r->sched_expected && !r->sched_died_in_test && child_reap(&r->sched)) {
			char how[64];

			r->sched_died_in_test = true;
			r->sched_died_status = r->sched.status;
			report_warn(&r->rep, "the scheduler %s during the test",
				    child_describe_status(r->sched.status, how, sizeof(how)));
		}
		supervisor_poll(&r->sv, -1, 100);
	}
	report_phase_end(&r->rep, PHASE_TEST);
	report_set_test_status(&r->rep, r->test.status);
	if (r->sched_died_in_test) {
		char how[64];

		report_set_sched_failure(&r->rep, child_describe_status(r->sched_died_status, how,
									 sizeof(how)));
	}
	return 0;
}

/* ---- step 9: cleanup ---------------------------------------------------------------- */

static void snapshot_cgroup_parent(struct run *r)
{
	const char *parent = r->rf->spec.cgroup_parent;
	char *path;

	if (!parent)
		return;
	path = xasprintf("%s%s", PATH_CGROUP_ROOT, parent);
	r->parent_top = path;
	r->parent_existed = access(path, F_OK) == 0;
	if (r->parent_existed) {
		if (cgroup_tree_collect(path, &r->parent_before) < 0)
			report_warn(&r->rep, "cannot list %s: %s", path, error_message());
		return;
	}
	/* whoever creates /a/b/parent creates the missing /a and /a/b too:
	 * they are the run's, and go with it */
	for (char *p = path + strlen(PATH_CGROUP_ROOT) + 1; (p = strchr(p, '/')); p++) {
		bool missing;

		*p = '\0';
		missing = access(path, F_OK) < 0;
		*p = '/';
		if (missing) {
			r->parent_top = xstrndup(path, (size_t)(p - path));
			free(path);
			return;
		}
	}
}

static void cleanup(struct run *r)
{
	const char *parent = r->rf->spec.cgroup_parent;

	report_phase_begin(&r->rep, PHASE_CLEANUP);
	supervisor_stop_child(&r->sv, &r->test, SIGTERM, TEST_STOP_GRACE_MS);
	if (child_running(&r->sched) || r->sched.pid > 0) {
		supervisor_stop_child(&r->sv, &r->sched, SIGTERM, SCHED_STOP_GRACE_MS);
		if (sched_ext_wait_detached(DETACH_TIMEOUT_MS) < 0)
			report_warn(&r->rep, "%s", error_message());
	}
	if (cgroup_tree_remove(PATH_KTSTR_CGROUP, NULL, CGROUP_TIMEOUT_MS) < 0)
		report_warn(&r->rep, "cleanup: %s", error_message());
	if (parent && r->parent_top) {
		/* only what the run created: a parent that existed stays, with
		 * the cgroups it had */
		if (cgroup_tree_remove(r->parent_top, r->parent_existed ? &r->parent_before : NULL,
				       CGROUP_TIMEOUT_MS) < 0)
			report_warn(&r->rep, "cleanup: %s", error_message());
	}
	free(r->parent_top);
	r->parent_top = NULL;
	cgroup_list_release(&r->parent_before);
	if (r->wd.path[0]) {
		if (r->o->keep) {
			/* the one thing --keep is for: printed even with --quiet */
			report_progress_done(&r->rep);
			fprintf(stderr, "%s: kept the extraction directory %s\n",
				program_invocation_short_name, r->wd.path);
			close(r->wd.fd);
		} else if (workdir_remove(&r->wd) < 0) {
			report_warn(&r->rep, "cleanup: %s", error_message());
		}
	}
	report_phase_end(&r->rep, PHASE_CLEANUP);
	launch_argv_free(r->sched.argv);
	launch_argv_free(r->test.argv);
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	supervisor_release(&r->sv);
}

int run_test(const struct runfile *rf, const struct run_options *o, int64_t start_ns)
{
	struct run r = { .rf = rf, .o = o, .lock_fd = -1, .wd = { .fd = -1 } };
	int ret;

	report_init(&r.rep, o->quiet, start_ns);
	r.sched_expected = spec_has_scheduler(&rf->spec);
	if (!o->quiet)
		report_banner(&r.rep, rf);

	report_phase_begin(&r.rep, PHASE_CHECKS);
	if ((ret = run_lock_check()) < 0) {
		report_fail(&r.rep, "lock", ret);
		return report_verdict(&r.rep);
	}
	if (!host_checks(&r))
		return report_verdict(&r.rep);
	report_phase_end(&r.rep, PHASE_CHECKS);

	if ((ret = run_lock_acquire()) < 0) {
		report_fail(&r.rep, "lock", ret);
		return report_verdict(&r.rep);
	}
	r.lock_fd = ret;
	if ((ret = supervisor_init(&r.sv)) < 0) {
		report_fail(&r.rep, "setup", ret);
		close(r.lock_fd);
		return report_verdict(&r.rep);
	}
	if ((ret = workdir_remove_stale(workdir_parent())) > 0 && !o->quiet)
		report_info(&r.rep, "removed %d stale extraction director%s of killed runs", ret,
			    ret == 1 ? "y" : "ies");
	snapshot_cgroup_parent(&r);
	r.wd.keep = o->keep;
	if ((ret = workdir_create(workdir_parent(), &r.wd)) < 0) {
		report_fail(&r.rep, "extraction", ret);
	} else if (o->keep && !o->quiet) {
		report_info(&r.rep, "extracting into %s (kept: --keep)", r.wd.path);
	}
	if (ret == 0 && extract_payload(&r) == 0 &&
	    (!r.sched_expected || attach_scheduler(&r) == 0))
		run_the_test(&r);
	cleanup(&r);
	return report_verdict(&r.rep);
}

/*
 * The run lock's row: what run_lock_acquire() would meet, found without
 * taking the lock or creating its file.  Built here, next to the run that
 * takes the lock, from workdir.c's probe: the lock is the run's, not a
 * property of the host that checks.c reads.
 */
static bool check_run_lock(struct check_report *rep)
{
	struct check_row row = { .check = "run lock" };

	snprintf(row.need, sizeof(row.need), "not held, writable");
	row.ok = run_lock_probe(row.host, sizeof(row.host)) == 0;
	if (!row.ok) {
		snprintf(row.error, sizeof(row.error), "%s", error_message());
		snprintf(row.hint, sizeof(row.hint), "%s", error_hint_message());
	}
	if (rep->n < CHECK_ROWS_MAX)
		rep->row[rep->n++] = row;
	return row.ok;
}

int run_preflight(const struct runfile *rf)
{
	const struct spec *s = &rf->spec;
	struct check_report rep = { .n = 0 };
	struct topology topo;
	bool ok = true;

	/* every check, whatever the others found: the operator sees all
	 * that stands in the way at once */
	ok &= checks_capability(&rep);
	ok &= checks_sched_ext(&rep);
	ok &= checks_cgroup2(&rep);
	ok &= checks_no_other_scheduler(&rep);
	ok &= checks_topology(&rep, s, &topo);
	if (topo.nllcs) {
		struct strbuf sb = STRBUF_INIT;

		topology_describe(&topo, &sb);
		printf("host topology: %s\n\n", sb.buf);
		strbuf_release(&sb);
	}
	topology_release(&topo);
	ok &= checks_tmpdir(&rep, workdir_parent(), spec_payload_ulen(s));
	ok &= check_run_lock(&rep);
	checks_print_table(&rep);
	if (!ok) {
		printf("\nthis host cannot run %s\n", s->test_name);
		fflush(stdout);
		checks_print_errors(&rep, program_invocation_short_name);
		return 1;
	}
	printf("\nthis host can run %s\n", s->test_name);
	return 0;
}

static bool dir_empty(int fd)
{
	int dup_fd = dup(fd);
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (dup_fd < 0 || !(d = fdopendir(dup_fd))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return false;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/*
 * The payload's declared size against the free space of @dir's filesystem:
 * a spec may honestly declare gigabytes (nothing in the format forbids a
 * big runner), and the run path checks this before extracting too.
 */
static int extract_space_check(int fd, const char *dir, uint64_t need)
{
	struct statvfs vfs;
	uint64_t avail;

	if (fstatvfs(fd, &vfs) < 0)
		return error_set_errno(-errno, "cannot check the free space of %s", dir);
	avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (avail >= need)
		return 0;
	error_set(-ENOSPC, "%s has %llu MiB free, the payload needs %llu MiB", dir,
		  (unsigned long long)(avail >> 20),
		  (unsigned long long)((need + (1 << 20) - 1) >> 20));
	error_hint("free some space or extract into a larger filesystem");
	return -ENOSPC;
}

/*
 * After a failed --extract, remove what it wrote: only the spec's member
 * names (and include/) can be there, as the directory was empty, and the
 * directory itself when --extract created it.  A half-extracted,
 * unverified ktstr with mode 0755 must not be left for someone to run.
 */
static void extract_undo(const struct runfile *rf, int fd, const char *dir, bool created)
{
	for (size_t i = 0; i < rf->spec.nmembers; i++)
		unlinkat(fd, rf->spec.members[i].name, 0);
	unlinkat(fd, MEMBER_INCLUDE_DIR, AT_REMOVEDIR);
	if (created)
		rmdir(dir);
}

int run_extract(const struct runfile *rf, const char *dir, bool quiet)
{
	_cleanup_close_ int fd = -1;
	struct extract_job *job;
	struct report rep;
	bool created;
	int r;

	created = mkdir(dir, 0700) == 0;
	if (!created && errno != EEXIST)
		return error_set_errno(-errno, "cannot create %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", dir);
	if (!dir_empty(fd))
		return error_set(-ENOTEMPTY, "%s is not empty: --extract needs a new or empty "
				 "directory", dir);
	if ((r = extract_space_check(fd, dir, spec_payload_ulen(&rf->spec))) < 0) {
		extract_undo(rf, fd, dir, created);
		return r;
	}
	report_init(&rep, quiet, monotonic_ns());
	r = extract_start(rf, fd, extract_threads(), &job);
	if (r == 0) {
		enum extract_state st;

		report_progress(&rep, job);
		while ((st = extract_state(job)) != EXTRACT_DONE && st != EXTRACT_FAILED) {
			struct pollfd pfd = { .fd = extract_event_fd(job), .events = POLLIN };

			poll(&pfd, 1, 100);
			report_progress(&rep, job);
		}
		report_progress_done(&rep);
		r = explain_bad_payload(rf, extract_finish(job));
	}
	if (r < 0)
		extract_undo(rf, fd, dir, created);
	return r;
}
