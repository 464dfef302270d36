/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigcleanup.h - what ktstr-pack is writing does not outlive a signal.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE stop ktstr-pack.  While a path is
 * registered here, a handler removes it first, then the process dies of
 * the same signal, so its parent still sees "killed by SIGINT" (130 in a
 * shell).  The handler only reads paths copied here beforehand and calls
 * async-signal-safe functions; threads other than the caller's must block
 * the signals (payload_writer does), so it runs where nothing is locked
 * that it needs.  A signal ignored when the first path is registered (nohup,
 * a background job) stays ignored.
 */
#ifndef KTSTR_SIGCLEANUP_H
#define KTSTR_SIGCLEANUP_H

#include <signal.h>
#include <stdbool.h>

/** sigcleanup_signals() - fill @set with the signals that stop ktstr-pack. */
void sigcleanup_signals(sigset_t *set);

/**
 * sigcleanup_mkostemp() - mkostemp(@template, @flags), the file removed by a
 * stop signal until sigcleanup_rename() or sigcleanup_remove().
 * @slot: set to the registration, for the calls below (on success only)
 * Return: the open file descriptor, or a negative errno with a message.
 */
int sigcleanup_mkostemp(const char *template, int flags, int *slot);

/**
 * sigcleanup_add() - have a stop signal remove @path, which exists: a file
 * (unlink) or, with @dir, an empty directory (rmdir).
 * Return: the slot, or a negative errno with a message.
 */
int sigcleanup_add(const char *path, bool dir);

/** sigcleanup_path() - the path registered in @slot (the mkostemp name). */
const char *sigcleanup_path(int slot);

/**
 * sigcleanup_rename() - rename the file of @slot to @to and forget it, with
 * the signals held off meanwhile: a signal then finds either the temporary
 * file (and removes it) or the finished one in place, never both.
 * Return: 0, or a negative errno with a message (the file stays registered).
 */
int sigcleanup_rename(int slot, const char *to);

/** sigcleanup_remove() - remove the path of @slot now and forget it. */
void sigcleanup_remove(int slot);

/** sigcleanup_forget() - a stop signal no longer removes the path of @slot. */
void sigcleanup_forget(int slot);

/**
 * sigcleanup_die() - die of @sig as if no handler had caught it (default
 * action, unblocked, raised).  Safe in a signal handler.
 */
void sigcleanup_die(int sig) __attribute__((noreturn));

#endif
