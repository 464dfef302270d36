// SPDX-License-Identifier: GPL-2.0-only
/* workdir.c - extraction directory lifecycle and the run lock. */
#include "workdir.h"
#include "error.h"
#include "macros.h"
#include "pathnames.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RM_DEPTH_MAX 16

const char *workdir_parent(void)
{
	/* TMPDIR chooses where files go, as for mktemp(1); a relative or
	 * empty value is ignored rather than resolved against the cwd */
	const char *t = getenv("TMPDIR");

	return t && t[0] == '/' ? t : PATH_DEFAULT_TMPDIR;
}

int workdir_create(const char *parent, struct workdir *w)
{
	int n;

	w->fd = -1;
	n = snprintf(w->path, sizeof(w->path), "%s/%s%ld-XXXXXX", parent,
		     w->keep ? TMPDIR_KEEP_PREFIX : TMPDIR_PREFIX, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(w->path))
		return error_set(-ENAMETOOLONG, "temp dir parent %s is too long", parent);
	if (!mkdtemp(w->path)) {
		int err = errno;

		w->path[0] = '\0';
		return error_set_errno(-err, "cannot create a temp dir in %s", parent);
	}
	/* mkdtemp already uses 0700; make sure a umask cannot have widened it */
	w->fd = open(w->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w->fd < 0 || fchmod(w->fd, 0700) < 0) {
		int err = errno;

		workdir_remove(w);
		return error_set_errno(-err, "cannot open temp dir");
	}
	return 0;
}

/* Remove the contents of the directory @fd (consumed), never following links. */
static int rm_contents(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int r = 0;

	if (!d) {
		close(fd);
		return -errno;
	}
	while ((errno = 0, de = readdir(d))) {
		int sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			continue;
		if (errno != EISDIR && errno != EPERM) {
			r = r ? r : -errno;
			continue;
		}
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 || depth >= RM_DEPTH_MAX) {
			if (sub >= 0)
				close(sub);
			r = r ? r : -ELOOP;
			continue;
		}
		rm_contents(sub, depth + 1);
		if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) < 0)
			r = r ? r : -errno;
	}
	closedir(d);
	return r;
}

int workdir_remove(struct workdir *w)
{
	int r = 0;

	if (!w->path[0])
		return 0;
	if (w->fd < 0)
		w->fd = open(w->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w->fd >= 0)
		r = rm_contents(take_fd(&w->fd), 0);
	if (rmdir(w->path) < 0 && errno != ENOENT && !r)
		r = -errno;
	if (r < 0)
		error_set_errno(r, "cannot remove temp dir %s", w->path);
	w->path[0] = '\0';
	return r;
}

/* "ktstr-run-<pid>-XXXXXX" -> pid; 0 when the name does not match. */
static pid_t stale_pid(const char *name)
{
	size_t n = strlen(TMPDIR_PREFIX);
	const char *p = name + n;
	long pid = 0;

	if (strncmp(name, TMPDIR_PREFIX, n) != 0)
		return 0;
	for (; *p >= '0' && *p <= '9' && pid < 1 << 22; p++)
		pid = pid * 10 + (*p - '0');
	if (p == name + n || *p != '-' || strlen(p + 1) != 6 || pid <= 1)
		return 0;
	return (pid_t)pid;
}

int workdir_remove_stale(const char *parent)
{
	_cleanup_close_ int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	int removed = 0;
	DIR *d;

	if (pfd < 0)
		return 0;
	d = fdopendir(take_fd(&pfd));
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		pid_t pid = stale_pid(de->d_name);
		struct stat st;
		int fd;

		if (!pid || pid == getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;                /* the owner still runs */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;                /* not ours, or not a directory */
		fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		rm_contents(fd, 0);
		if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

/*
 * Who F_GETLK says holds the lock.  It gives 0 for a holder outside our
 * pid namespace (we run in a container that shares /run with the host or
 * another container), and -1 for an open file description lock or none:
 * "pid 0" sent operators looking for a process that does not exist.
 */
static void describe_holder(pid_t pid, char *buf, size_t size)
{
	if (pid > 0)
		snprintf(buf, size, "pid %ld", (long)pid);
	else if (pid == 0)
		snprintf(buf, size, "a process in another pid namespace");
	else
		snprintf(buf, size, "a process the kernel did not name");
}

static int lock_busy(pid_t holder)
{
	char who[64];

	describe_holder(holder, who, sizeof(who));
	error_set(-EBUSY, "another runfile is running on this host (%s holds %s)", who,
		  PATH_RUN_LOCK);
	error_hint("runs share /sys/fs/cgroup/ktstr and sched_ext: wait for it to finish");
	return -EBUSY;
}

/* a run could not open or create the lock: the same hints for the run and --preflight */
static int lock_unusable(int err)
{
	if (err == -EACCES || err == -EPERM)
		error_hint("run it as root: a run creates and locks %s (one runfile at a time)",
			   PATH_RUN_LOCK);
	else if (err == -EROFS || err == -ENOENT || err == -ENOTDIR)
		error_hint("a run creates and locks %s (one runfile at a time): %s must be a "
			   "writable directory", PATH_RUN_LOCK, PATH_RUN_DIR);
	else if (err == -ELOOP)
		error_hint("remove the symbolic link %s: a run never locks through one",
			   PATH_RUN_LOCK);
	return err;
}

/*
 * The lock file must be ours: a regular file owned by our uid (another
 * user's file, or a device, could be a trap).  Checked by the run after it
 * opens the file, and by --preflight, with one message.
 */
static int lock_file_owned(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid())
		return 0;
	error_set(-EPERM, "the run lock %s is not a regular file owned by uid %u",
		  PATH_RUN_LOCK, (unsigned)geteuid());
	error_hint("remove %s: no runfile holds it", PATH_RUN_LOCK);
	return -EPERM;
}

/* "PATH: why" for the --preflight table, in the words of the temp dir row */
static void describe_unusable(char *host, size_t size, const char *path, int err,
			      const char *eacces)
{
	snprintf(host, size, "%s: %s", path, err == -EROFS ? "read-only mount" :
		 err == -EACCES ? eacces : strerror(-err));
}

int run_lock_probe(char *host, size_t size)
{
	struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	/* O_NONBLOCK: a FIFO planted there must not hang us in open() */
	_cleanup_close_ int fd = open(PATH_RUN_LOCK, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
				      O_CLOEXEC);
	int err;

	if (fd < 0 && errno == ENOENT) {
		/* the run would create it: only the directory can stop it */
		if (faccessat(AT_FDCWD, PATH_RUN_DIR, W_OK | X_OK, AT_EACCESS) < 0) {
			err = -errno;
			describe_unusable(host, size, PATH_RUN_DIR, err, "not writable by this user");
			return lock_unusable(error_set_errno(err, "cannot create the run lock %s",
							     PATH_RUN_LOCK));
		}
		snprintf(host, size, "free (%s writable, no lock file yet)", PATH_RUN_DIR);
		return 0;
	}
	if (fd < 0) {
		err = -errno;
		describe_unusable(host, size, PATH_RUN_LOCK, err, "no access for this user");
		return lock_unusable(error_set_errno(err, "cannot open the run lock %s",
						     PATH_RUN_LOCK));
	}
	/* F_GETLK takes nothing, and needs no write access to the file */
	if (fcntl(fd, F_GETLK, &who) < 0) {
		err = -errno;
		snprintf(host, size, "cannot test the lock: %s", strerror(-err));
		return error_set_errno(err, "cannot test the run lock %s", PATH_RUN_LOCK);
	}
	if (who.l_type != F_UNLCK) {
		char pid[64];

		describe_holder(who.l_pid, pid, sizeof(pid));
		snprintf(host, size, "held by %s", pid);
		return lock_busy(who.l_pid);
	}
	/* what run_lock_acquire() refuses after its open(O_RDWR) */
	if ((err = lock_file_owned(fd)) < 0) {
		snprintf(host, size, "%s: not a regular file owned by uid %u", PATH_RUN_LOCK,
			 (unsigned)geteuid());
		return err;
	}
	if (faccessat(AT_FDCWD, PATH_RUN_LOCK, W_OK, AT_EACCESS) < 0) {
		err = -errno;
		describe_unusable(host, size, PATH_RUN_LOCK, err, "not writable by this user");
		return lock_unusable(error_set_errno(err, "cannot open the run lock %s",
						     PATH_RUN_LOCK));
	}
	snprintf(host, size, "free");
	return 0;
}

int run_lock_check(void)
{
	char host[256];
	int r = run_lock_probe(host, sizeof(host));

	/* a lock the run cannot take is run_lock_acquire()'s to report, after
	 * the host checks: here only a busy one, whose runfile's scheduler
	 * and cgroups would make those checks fail less precisely */
	if (r == -EBUSY)
		return r;
	error_clear();
	return 0;
}

int run_lock_acquire(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char pidbuf[32];
	int fd, n, r;

	fd = open(PATH_RUN_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return lock_unusable(error_set_errno(-errno, "cannot open the run lock %s",
						     PATH_RUN_LOCK));
	if ((r = lock_file_owned(fd)) < 0) {
		close(fd);
		return r;
	}
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		int err = errno;

		if (err == EACCES || err == EAGAIN) {
			struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

			/* the holder may have gone in between: no pid to name then */
			if (fcntl(fd, F_GETLK, &who) < 0 || who.l_type == F_UNLCK)
				who.l_pid = -1;
			close(fd);
			return lock_busy(who.l_pid);
		}
		close(fd);
		return error_set_errno(-err, "cannot lock %s", PATH_RUN_LOCK);
	}
	/* the pid inside is for humans; the lock is what counts */
	n = snprintf(pidbuf, sizeof(pidbuf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pidbuf, (size_t)n, 0) != n) {
		/* not fatal */
	}
	return fd;
}
