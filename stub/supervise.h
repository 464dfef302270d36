/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * supervise.h - the stub's event source: SIGCHLD and the stop signals
 * (SIGINT, SIGTERM, SIGHUP) arrive through a signalfd, so every wait in
 * the run is a poll with a timeout and no signal handler races anything.
 */
#ifndef KTSTR_SUPERVISE_H
#define KTSTR_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "child.h"

struct supervisor {
	int sigfd;
	sigset_t run_mask;      /* the mask children get back */
	int stop_signal;        /* first stop signal received, 0 if none */
	struct child *children[2];
};

/** supervisor_init() - block the signals we handle and open the signalfd. */
int supervisor_init(struct supervisor *sv);
void supervisor_release(struct supervisor *sv);

/** supervisor_watch() - reap @c when SIGCHLD arrives. */
void supervisor_watch(struct supervisor *sv, struct child *c);

/**
 * supervisor_poll() - wait up to @timeout_ms for a signal, or for @fd
 * (-1: none) to become readable, and process signals (reap children,
 * record stop signals).  A timeout of 0 only drains.
 */
void supervisor_poll(struct supervisor *sv, int fd, int timeout_ms);

/** supervisor_poll_us() - the same with a timeout in microseconds. */
void supervisor_poll_us(struct supervisor *sv, int fd, int64_t timeout_us);

/** monotonic_ms()/monotonic_ns() - CLOCK_MONOTONIC now. */
int64_t monotonic_ms(void);
int64_t monotonic_ns(void);

/**
 * supervisor_wait_child() - wait until @c is reaped or @timeout_ms passes
 * (stop signals are recorded, not acted on).  Return: true if reaped.
 */
bool supervisor_wait_child(struct supervisor *sv, struct child *c, int timeout_ms);

/**
 * supervisor_stop_child() - send @sig to @c's group, wait @grace_ms, then
 * SIGKILL the group and wait for it.  Nothing happens if @c is not running.
 */
void supervisor_stop_child(struct supervisor *sv, struct child *c, int sig, int grace_ms);

#endif
