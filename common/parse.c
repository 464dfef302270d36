// SPDX-License-Identifier: GPL-2.0-only
/* parse.c - strict decimal number parsing. */
#include "parse.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>

int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_u32_opt(const char *what, const char *s, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v;
	int r = parse_ulong(s, min, max, &v);

	if (r == -ERANGE)
		return error_set(-EINVAL, "invalid value '%s' for %s: must be between %u and %u",
				 s, what, min, max);
	if (r < 0)
		return error_set(-EINVAL, "invalid value '%s' for %s: not a decimal number", s, what);
	*out = (unsigned)v;
	return 0;
}
