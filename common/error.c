// SPDX-License-Identifier: GPL-2.0-only
/* error.c - per-thread "what failed: why" messages (see error.h). */
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERROR_MSG_MAX 2048

struct error_state {
	char msg[ERROR_MSG_MAX];
	char hint[ERROR_MSG_MAX];
};

static _Thread_local struct error_state cur;

static void vset(const char *fmt, va_list ap)
{
	vsnprintf(cur.msg, sizeof(cur.msg), fmt, ap);
	cur.hint[0] = '\0';
}

int error_set(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return err;
}

int error_set_errno(int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	n = strlen(cur.msg);
	snprintf(cur.msg + n, sizeof(cur.msg) - n, ": %s", strerror(-err));
	return err;
}

int error_prefix(int err, const char *fmt, ...)
{
	char old[ERROR_MSG_MAX];
	va_list ap;
	size_t n;

	memcpy(old, cur.msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(cur.msg, sizeof(cur.msg), fmt, ap);
	va_end(ap);
	n = strlen(cur.msg);
	snprintf(cur.msg + n, sizeof(cur.msg) - n, ": %s", old);
	return err;
}

void error_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cur.hint, sizeof(cur.hint), fmt, ap);
	va_end(ap);
}

const char *error_message(void)
{
	return cur.msg[0] ? cur.msg : "unknown error";
}

const char *error_hint_message(void)
{
	return cur.hint;
}

void error_clear(void)
{
	cur.msg[0] = '\0';
	cur.hint[0] = '\0';
}

void error_save(struct error_state **out)
{
	struct error_state *st = malloc(sizeof(*st));

	if (st)
		memcpy(st, &cur, sizeof(*st));
	*out = st;
}

void error_restore(const struct error_state *st)
{
	if (st)
		memcpy(&cur, st, sizeof(cur));
}

void error_state_free(struct error_state *st)
{
	free(st);
}
