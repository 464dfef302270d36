/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * error.h - the one error convention of ktstr-pack.
 *
 * Functions return 0 (or a non-negative count) on success and a negative
 * errno on failure.  On failure they leave one human-readable message,
 * "<what failed>: <why>", with error_set(); the caller that decides to give
 * up prints it once (main: "PROG: <message>").  An optional hint says what
 * the user can do about it.  Messages are per thread.
 */
#ifndef KTSTR_ERROR_H
#define KTSTR_ERROR_H

#include <stdarg.h>

/**
 * error_set() - record the message of the failure being returned.
 * @err: negative errno to return (EINVAL for bad input, EIO for bad data...)
 * @fmt: printf format of the message
 *
 * Return: @err, so that "return error_set(-EINVAL, ...);" reads naturally.
 */
int error_set(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * error_set_errno() - like error_set(), with ": strerror(-err)" appended.
 */
int error_set_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * error_prefix() - prepend "<context>: " to the current message.
 * Return: @err.
 */
int error_prefix(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** error_hint() - attach a hint (what to do) to the current message. */
void error_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

const char *error_message(void);
const char *error_hint_message(void);   /* "" when there is none */
void error_clear(void);

/* Carry a message from a worker thread to the thread that reports it. */
struct error_state;
void error_save(struct error_state **out);
void error_restore(const struct error_state *st);
void error_state_free(struct error_state *st);

#endif
