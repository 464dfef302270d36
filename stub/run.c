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
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCHED_STOP_GRACE_MS 5000
#define TEST_STOP_GRACE_MS 10000
#define TEST_TIMEOUT_MARGIN_S 30
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
	bool sched_died_in_test;
	int sched_died_status;
};

static unsigned extract_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

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

static int interrupted(struct run *r, const char *during)
{
	report_set_signal(&r->rep, r->sv.stop_signal);
	return error_set(-EINTR, "interrupted by SIG%s during %s",
			 sigabbrev_np(r->sv.stop_signal), during);
}

/*
 * Extract, and start the scheduler as soon as its part of the payload is
 * on disk and verified; wait until the extraction is complete and the
 * scheduler is attached.  Returns with report->stage set on failure.
 */
static int extract_and_attach(struct run *r)
{
	const struct spec *s = &r->rf->spec;
	struct extract_job *job;
	struct attach_watch aw = { .fd = -1 };
	bool done = false, attached = !r->sched_expected;
	unsigned timeout = (r->o->attach_timeout ? r->o->attach_timeout : s->attach_timeout_secs);
	int ret;

	report_phase_begin(&r->rep, PHASE_EXTRACT);
	ret = extract_start(r->rf, r->wd.fd, extract_threads(), &job);
	if (ret < 0)
		return report_fail(&r->rep, "extraction", ret);
	while (!done || !attached) {
		bool waiting_attach = r->sched.pid > 0 && !attached;

		supervisor_poll(&r->sv, done ? -1 : extract_event_fd(job),
				waiting_attach ? ATTACH_POLL_MS : 100);
		if (r->sv.stop_signal) {
			ret = interrupted(r, done ? "the scheduler attach" : "the extraction");
			report_fail(&r->rep, done ? "attach" : "extraction", ret);
			break;
		}
		if (!done) {
			enum extract_state st = extract_state(job);

			if (st == EXTRACT_FAILED) {
				ret = extract_finish(job);
				job = NULL;
				report_fail(&r->rep, "extraction", ret);
				break;
			}
			if ((st == EXTRACT_EARLY || st == EXTRACT_DONE) && r->sched_expected &&
			    r->sched.pid == 0) {
				if ((ret = start_scheduler(r)) < 0) {
					report_fail(&r->rep, "scheduler", ret);
					break;
				}
				attach_watch_start(&aw, timeout * 1000);
			}
			if (st == EXTRACT_DONE) {
				ret = extract_finish(job);
				job = NULL;
				done = true;
				report_phase_end(&r->rep, PHASE_EXTRACT);
				if (ret < 0) {
					report_fail(&r->rep, "extraction", ret);
					break;
				}
			} else {
				report_progress(&r->rep, job);
			}
		}
		if (r->sched.pid > 0 && !attached) {
			ret = attach_watch_check(&aw, &r->sched);
			if (ret < 0) {
				report_fail(&r->rep, "attach", ret);
				break;
			}
			if (ret == 1) {
				attached = true;
				report_phase_end(&r->rep, PHASE_ATTACH);
				if (!r->o->quiet)
					report_info(&r->rep, "scheduler %s attached", s->sched_name);
			}
		}
		ret = 0;
	}
	report_progress_done(&r->rep);
	if (job) {
		int e = extract_finish(job);

		if (ret == 0)
			ret = e;
	}
	attach_watch_release(&aw);
	return ret;
}

/* ---- step 8: the test ------------------------------------------------------------ */

static int run_the_test(struct run *r)
{
	const struct spec *s = &r->rf->spec;
	unsigned duration = s->duration_secs, watchdog = s->watchdog_secs;
	int64_t deadline;
	int ret;

	if (r->o->duration)
		sscanf(r->o->duration, "%u", &duration);
	if (r->o->watchdog)
		sscanf(r->o->watchdog, "%u", &watchdog);
	deadline = monotonic_ms() + 1000LL * (duration + watchdog + TEST_TIMEOUT_MARGIN_S);

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
			supervisor_stop_child(&r->sv, &r->test, SIGTERM, TEST_STOP_GRACE_MS);
			report_phase_end(&r->rep, PHASE_TEST);
			return report_fail(&r->rep, "test",
					   error_set(-ETIMEDOUT, "the test was still running after "
						     "duration %u s + watchdog %u s + %d s; it was stopped",
						     duration, watchdog, TEST_TIMEOUT_MARGIN_S));
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
	_cleanup_free_ char *path = NULL;

	if (!parent)
		return;
	path = xasprintf("%s%s", PATH_CGROUP_ROOT, parent);
	r->parent_existed = access(path, F_OK) == 0;
	if (r->parent_existed && cgroup_tree_collect(path, &r->parent_before) < 0)
		report_warn(&r->rep, "cannot list %s: %s", path, error_message());
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
	if (parent) {
		_cleanup_free_ char *path = xasprintf("%s%s", PATH_CGROUP_ROOT, parent);

		/* only what the run created: a parent that existed stays, with
		 * the cgroups it had */
		if (cgroup_tree_remove(path, r->parent_existed ? &r->parent_before : NULL,
				       CGROUP_TIMEOUT_MS) < 0)
			report_warn(&r->rep, "cleanup: %s", error_message());
	}
	cgroup_list_release(&r->parent_before);
	if (r->wd.path[0]) {
		if (r->o->keep) {
			report_info(&r->rep, "kept the extraction directory %s", r->wd.path);
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
	if ((ret = workdir_create(workdir_parent(), &r.wd)) < 0)
		report_fail(&r.rep, "extraction", ret);
	else if (extract_and_attach(&r) == 0)
		run_the_test(&r);
	cleanup(&r);
	return report_verdict(&r.rep);
}

int run_preflight(const struct runfile *rf)
{
	const struct spec *s = &rf->spec;
	struct check_report rep = { .n = 0 };
	struct topology topo;

	checks_capability(&rep);
	if (checks_sched_ext(&rep))
		checks_no_other_scheduler(&rep);
	checks_cgroup2(&rep);
	checks_topology(&rep, s, &topo);
	topology_release(&topo);
	checks_tmpdir(&rep, workdir_parent(), spec_payload_ulen(s));
	checks_print_table(&rep);
	for (size_t i = 0; i < rep.n; i++)
		if (!rep.row[i].ok) {
			printf("\nthis host cannot run %s:\n", s->test_name);
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

int run_extract(const struct runfile *rf, const char *dir)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return error_set_errno(-errno, "cannot create %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return error_set_errno(-errno, "cannot open %s", dir);
	if (!dir_empty(fd))
		return error_set(-ENOTEMPTY, "%s is not empty: --extract needs a new or empty "
				 "directory", dir);
	r = extract_run(rf, fd, extract_threads());
	if (r < 0)
		error_hint("%s may hold partly extracted files; remove it before trying again", dir);
	return r;
}
