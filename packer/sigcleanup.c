// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigcleanup.c - remove the registered paths on a stop signal, then die of
 * it.  Registering and forgetting happen with the signals blocked, so the
 * handler never sees a slot half written.
 */
#include "sigcleanup.h"
#include "error.h"
#include "macros.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the packer's temporary output; --test-binary's directory and the runfile in it */
#define SLOTS 4

/* SIGPIPE too: stderr may be a pipe whose reader has gone */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

struct slot {
	char path[PATH_MAX];
	bool dir;
	volatile sig_atomic_t armed;
};

static struct slot slots[SLOTS];
static unsigned nregistered;
static struct sigaction saved[ARRAY_SIZE(stop_signals)];

void sigcleanup_signals(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaddset(set, stop_signals[i]);
}

static void hold(sigset_t *old)
{
	sigset_t set;

	sigcleanup_signals(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void release(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

void sigcleanup_die(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	/* in the handler @sig is blocked: unblocked, the raised one kills at once */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);   /* not reached: the default action of each is to terminate */
}

static void on_stop_signal(int sig)
{
	/* files first: a registered directory is empty once they are gone */
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].armed && !slots[i].dir)
			unlink(slots[i].path);
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].armed && slots[i].dir)
			rmdir(slots[i].path);
	sigcleanup_die(sig);
}

static void install(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	/* a second signal waits until the first one's cleanup is done */
	sigcleanup_signals(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++) {
		sigaction(stop_signals[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(stop_signals[i], &sa, NULL);
	}
}

static void uninstall(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &saved[i], NULL);
}

/* With the signals held. */
static int slot_take(const char *path, bool dir)
{
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].armed)
			continue;
		if (strlen(path) >= sizeof(slots[i].path))
			return error_set(-ENAMETOOLONG, "path %s is too long", path);
		strcpy(slots[i].path, path);
		slots[i].dir = dir;
		if (nregistered++ == 0)
			install();
		slots[i].armed = 1;
		return i;
	}
	return error_set(-ENOSPC, "cannot register %s for removal on a signal: all %d slots are "
			 "taken", path, SLOTS);
}

/* With the signals held: a pending one is delivered on release, to the old action. */
static void slot_drop(int i)
{
	slots[i].armed = 0;
	if (--nregistered == 0)
		uninstall();
}

int sigcleanup_mkostemp(const char *template, int flags, int *slot)
{
	sigset_t old;
	int i, fd;

	hold(&old);
	i = slot_take(template, false);
	if (i < 0) {
		release(&old);
		return i;
	}
	/* the name is made in the slot: the handler knows the file as soon as it exists */
	fd = mkostemp(slots[i].path, flags);
	if (fd < 0) {
		fd = error_set_errno(-errno, "cannot create %s", template);
		slot_drop(i);
	} else {
		*slot = i;
	}
	release(&old);
	return fd;
}

int sigcleanup_add(const char *path, bool dir)
{
	sigset_t old;
	int i;

	hold(&old);
	i = slot_take(path, dir);
	release(&old);
	return i;
}

const char *sigcleanup_path(int slot)
{
	return slots[slot].path;
}

int sigcleanup_rename(int slot, const char *to)
{
	sigset_t old;
	int r = 0;

	hold(&old);
	if (rename(slots[slot].path, to) < 0)
		r = error_set_errno(-errno, "cannot rename %s to %s", slots[slot].path, to);
	else
		slot_drop(slot);
	release(&old);
	return r;
}

void sigcleanup_remove(int slot)
{
	sigset_t old;

	hold(&old);
	if (slots[slot].dir)
		rmdir(slots[slot].path);
	else
		unlink(slots[slot].path);
	slot_drop(slot);
	release(&old);
}

void sigcleanup_forget(int slot)
{
	sigset_t old;

	hold(&old);
	slot_drop(slot);
	release(&old);
}
