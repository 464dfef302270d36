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

static int lock_busy(pid_t holder)
{
	error_set(-EBUSY, "another runfile is running on this host (pid %ld holds %s)",
		  (long)holder, PATH_RUN_LOCK);
	error_hint("runs share /sys/fs/cgroup/ktstr and sched_ext: wait for it to finish");
	return -EBUSY;
}

int run_lock_check(void)
{
	struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	_cleanup_close_ int fd = open(PATH_RUN_LOCK, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	/* no file or no access: nobody runs, or the checks will say why not */
	if (fd < 0 || fcntl(fd, F_GETLK, &who) < 0 || who.l_type == F_UNLCK)
		return 0;
	return lock_busy(who.l_pid);
}

int run_lock_acquire(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;
	char pidbuf[32];
	int fd, n;

	fd = open(PATH_RUN_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return error_set_errno(-errno, "cannot open the run lock %s", PATH_RUN_LOCK);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return error_set(-EPERM, "the run lock %s is not a regular file owned by uid %u",
				 PATH_RUN_LOCK, (unsigned)geteuid());
	}
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		int err = errno;

		if (err == EACCES || err == EAGAIN) {
			struct flock who = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

			if (fcntl(fd, F_GETLK, &who) < 0)
				who.l_pid = 0;
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
