// SPDX-License-Identifier: GPL-2.0-only
/*
 * testbin.c - ktstr-pack NAME --test-binary BIN: let the test binary's own
 * exporter (`BIN --ktstr-export-test=NAME`, which writes NAME.run into its
 * working directory) run in a new private directory, then convert that.
 */
#include "convert.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"
#include "pathsearch.h"
#include "sigcleanup.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG "ktstr-pack"
#define EXPORT_OPT "--ktstr-export-test="
#define OUTPUT_KEEP (64u << 10)   /* the last bytes of the binary's output kept */
#define EXIT_DRAIN_MS 1000        /* output still read after the binary exited */
/* what ktstr 0.6.0 says for a name it does not have */
#define UNKNOWN_TEST_FMT "no registered test named '%s'"

struct export_run {
	const char *bin;          /* as the user gave it, for messages */
	char *exe;                /* absolute path executed */
	const char *name;
	char dir[PATH_MAX];
	pid_t pid;
	int status;
	bool timed_out;
	int signal;               /* one of ours that arrived meanwhile */
	struct strbuf out;        /* stdout and stderr, merged */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* kept by remove_dir_but(): the directory itself and this file in it */
static const char *rm_keep;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (rm_keep && (ftw->level == 0 || !strcmp(path, rm_keep)))
		return 0;
	if (flag == FTW_DP ? rmdir(path) : unlink(path))
		fprintf(stderr, PROG ": warning: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

static void remove_dir(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Empty @dir but for @keep, a file directly in it. */
static void remove_dir_but(const char *dir, const char *keep)
{
	rm_keep = keep;
	remove_dir(dir);
	rm_keep = NULL;
}

static int resolve_exe(struct export_run *x)
{
	struct stat st;

	if (strchr(x->bin, '/'))
		x->exe = realpath(x->bin, NULL);
	else
		x->exe = path_search(x->bin, getenv("PATH"));
	if (!x->exe)
		return error_set(-ENOENT, "test binary %s not found%s", x->bin,
				 strchr(x->bin, '/') ? "" : " in PATH");
	if (stat(x->exe, &st) < 0)
		return error_set_errno(-errno, "test binary %s", x->bin);
	if (!S_ISREG(st.st_mode) || access(x->exe, X_OK) < 0)
		return error_set(-EACCES, "test binary %s is not an executable file", x->bin);
	return 0;
}

static void __attribute__((noreturn)) child(const struct export_run *x, int out_fd,
					    const sigset_t *mask)
{
	_cleanup_free_ char *arg = xasprintf(EXPORT_OPT "%s", x->name);
	char *argv[] = { (char *)x->bin, arg, NULL };
	int null = open(PATH_DEV_NULL, O_RDONLY | O_CLOEXEC);

	sigprocmask(SIG_SETMASK, mask, NULL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
	    dup2(out_fd, STDERR_FILENO) < 0 || chdir(x->dir) < 0) {
		dprintf(out_fd, "cannot set up the test binary: %s\n", strerror(errno));
		_exit(127);
	}
	execv(x->exe, argv);
	dprintf(STDERR_FILENO, "cannot execute %s: %s\n", x->exe, strerror(errno));
	_exit(127);
}

static void keep_output(struct strbuf *out, const char *buf, size_t n)
{
	strbuf_add(out, buf, n);
	if (out->len > 2 * OUTPUT_KEEP) {
		memmove(out->buf, out->buf + out->len - OUTPUT_KEEP, OUTPUT_KEEP);
		out->len = OUTPUT_KEEP;
		out->buf[out->len] = '\0';
	}
}

/* Read the output until the binary is gone, the time is up or we are told to stop. */
static void supervise(struct export_run *x, int out_fd, int sig_fd, unsigned timeout_s)
{
	int64_t deadline = now_ms() + 1000LL * timeout_s;
	bool exited = false, eof = false;
	char buf[4096];

	while (!exited || !eof) {
		struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { sig_fd, POLLIN, 0 } };
		int64_t left = deadline - now_ms();

		if (left <= 0) {
			/* a finished binary whose output stays open (something it
			 * started holds the pipe) is done; a running one is late */
			x->timed_out = !exited;
			break;
		}
		if (poll(p, 2, eof ? (int)(left < 50 ? left : 50) : (int)left) < 0 && errno != EINTR)
			break;
		if (!eof && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = read(out_fd, buf, sizeof(buf));

			if (n > 0)
				keep_output(&x->out, buf, (size_t)n);
			else if (n == 0 || errno != EINTR)
				eof = true;
		}
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD) {
				x->signal = (int)si.ssi_signo;
				break;
			}
		}
		if (!exited && waitpid(x->pid, &x->status, WNOHANG) == x->pid) {
			exited = true;
			/* whatever it left behind goes with it, and the pipe closes */
			kill(-x->pid, SIGKILL);
			if (deadline > now_ms() + EXIT_DRAIN_MS)
				deadline = now_ms() + EXIT_DRAIN_MS;
		}
	}
	kill(-x->pid, SIGKILL);
	if (!exited)
		while (waitpid(x->pid, &x->status, 0) < 0 && errno == EINTR)
			;
}

static int run_exporter(struct export_run *x, unsigned timeout_s)
{
	sigset_t mask, old;
	int pipefd[2], sig_fd;

	sigcleanup_signals(&mask);
	sigaddset(&mask, SIGCHLD);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_set_errno(-errno, "cannot create a pipe");
	sigprocmask(SIG_BLOCK, &mask, &old);
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	x->pid = sig_fd < 0 ? -1 : fork();
	if (x->pid == 0)
		child(x, pipefd[1], &old);
	close(pipefd[1]);
	if (x->pid < 0) {
		int e = -errno;

		close(pipefd[0]);
		if (sig_fd >= 0)
			close(sig_fd);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return error_set_errno(e, "cannot start the test binary");
	}
	setpgid(x->pid, x->pid);
	supervise(x, pipefd[0], sig_fd, timeout_s);
	close(pipefd[0]);
	close(sig_fd);
	if (x->signal) {
		/* leave nothing behind, then die of the signal as asked */
		remove_dir(x->dir);
		sigcleanup_die(x->signal);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

static void show_output(const struct export_run *x)
{
	const char *p = strbuf_cstr(&x->out);

	if (!x->out.len) {
		fprintf(stderr, PROG ": (%s printed nothing)\n", x->bin);
		return;
	}
	fprintf(stderr, PROG ": output of %s " EXPORT_OPT "%s:\n", x->bin, x->name);
	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, "  | %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static int check_outcome(struct export_run *x, unsigned timeout_s, char **runfile)
{
	_cleanup_free_ char *unknown = xasprintf(UNKNOWN_TEST_FMT, x->name);
	_cleanup_free_ char *path = xasprintf("%s/%s.run", x->dir, x->name);
	struct stat st;

	if (x->timed_out) {
		show_output(x);
		error_set(-ETIMEDOUT, "%s " EXPORT_OPT "%s did not finish within %u s and was killed",
			  x->bin, x->name, timeout_s);
		error_hint("--test-binary-timeout SECS allows more time");
		return -ETIMEDOUT;
	}
	if (!WIFEXITED(x->status) || WEXITSTATUS(x->status) != 0) {
		char how[64];

		if (WIFSIGNALED(x->status))
			snprintf(how, sizeof(how), "was killed by signal %d", WTERMSIG(x->status));
		else
			snprintf(how, sizeof(how), "exited %d", WEXITSTATUS(x->status));
		if (strstr(strbuf_cstr(&x->out), unknown)) {
			error_set(-ENOENT, "%s has no test named '%s' (it says: %s)", x->bin, x->name,
				  unknown);
			error_hint("the NAME is a #[ktstr_test] name, as `cargo nextest list` shows it "
				   "without the '<binary>::' prefix");
			return -ENOENT;
		}
		show_output(x);
		if (WIFEXITED(x->status) && WEXITSTATUS(x->status) == 127 && !x->out.len)
			return error_set(-ENOEXEC, "%s could not be started", x->bin);
		return error_set(-EIO, "%s " EXPORT_OPT "%s %s (its output is above)", x->bin,
				 x->name, how);
	}
	if (lstat(path, &st) < 0) {
		show_output(x);
		return error_set(-ENOENT, "%s " EXPORT_OPT "%s exited 0 but wrote no %s.run", x->bin,
				 x->name, x->name);
	}
	if (!S_ISREG(st.st_mode)) {
		show_output(x);
		return error_set(-EINVAL, "the %s.run that %s wrote is not a regular file", x->name,
				 x->bin);
	}
	*runfile = xstrdup(path);
	return 0;
}

int convert_test_binary(const char *bin, const char *name, unsigned timeout_s,
			const struct convert_opts *o)
{
	struct export_run x = { .bin = bin, .name = name, .out = STRBUF_INIT };
	const char *tmp = getenv("TMPDIR");
	_cleanup_free_ char *runfile = NULL, *display = NULL;
	struct convert_opts co = *o;
	int dir_slot = -1, runfile_slot = -1, r;

	if ((r = resolve_exe(&x)) < 0)
		goto out;
	if (!tmp || tmp[0] != '/')
		tmp = PATH_DEFAULT_TMPDIR;
	if (snprintf(x.dir, sizeof(x.dir), "%s/ktstr-pack-export-XXXXXX", tmp) >=
	    (int)sizeof(x.dir)) {
		x.dir[0] = '\0';
		r = error_set(-ENAMETOOLONG, "TMPDIR %s is too long", tmp);
		goto out;
	}
	if (!mkdtemp(x.dir)) {
		r = error_set_errno(-errno, "cannot create a directory in %s", tmp);
		x.dir[0] = '\0';
		goto out;
	}
	if ((r = run_exporter(&x, timeout_s)) < 0 || (r = check_outcome(&x, timeout_s, &runfile)) < 0)
		goto out;
	/*
	 * The conversion packs for a while, with the signals no longer blocked
	 * for the supervision: a stop signal meanwhile must still leave no
	 * directory behind.  A handler can only unlink and rmdir, so what else
	 * the binary wrote goes first.
	 */
	remove_dir_but(x.dir, runfile);
	if ((dir_slot = r = sigcleanup_add(x.dir, true)) < 0 ||
	    (runfile_slot = r = sigcleanup_add(runfile, false)) < 0)
		goto out;
	display = xasprintf("%s.run", name);
	co.display = display;
	co.expect_name = name;
	co.fill_git_hash = true;
	r = convert_bash_runfile(runfile, &co);
	if (r < 0)
		error_prefix(r, "converting the %s.run that %s wrote", name, bin);
out:
	remove_dir(x.dir);
	/* after the removal, not before: a signal in between finds nothing to remove */
	if (runfile_slot >= 0)
		sigcleanup_forget(runfile_slot);
	if (dir_slot >= 0)
		sigcleanup_forget(dir_slot);
	free(x.exe);
	strbuf_release(&x.out);
	return r;
}
