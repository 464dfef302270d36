/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parse.h - number parsing that rejects garbage (as util-linux's
 * strtoul_or_err): no sign, no spaces, no trailing junk, range checked.
 */
#ifndef KTSTR_PARSE_H
#define KTSTR_PARSE_H

/**
 * parse_ulong() - parse a decimal unsigned number in [@min, @max].
 * Return: 0 or -EINVAL/-ERANGE (no message: callers name the option).
 */
int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/**
 * parse_u32_opt() - parse the value of option @what in [@min, @max].
 * Return: 0 or -EINVAL with a message "invalid value 'x' for what: ...".
 */
int parse_u32_opt(const char *what, const char *s, unsigned min, unsigned max, unsigned *out);

#endif
