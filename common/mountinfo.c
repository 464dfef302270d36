// SPDX-License-Identifier: GPL-2.0-only
/* mountinfo.c - parse /proc/self/mountinfo (proc(5)). */
#include "mountinfo.h"
#include "error.h"
#include "macros.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Split off the next space-separated field of *line (in place). */
static char *next_field(char **line)
{
	char *start = *line, *end;

	if (!start || !*start)
		return NULL;
	end = strchr(start, ' ');
	if (end) {
		*end = '\0';
		*line = end + 1;
	} else {
		*line = start + strlen(start);
	}
	return start;
}

/* Decode the kernel's \ooo escapes in place. */
static void unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static void copy_field(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

int mountinfo_find(const char *path, const char *mountpoint, struct mount_entry *out)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, lineno = 0;
	bool found = false;

	if (!f)
		return error_set_errno(-errno, "cannot open %s", path);
	while (getline(&line, &cap, f) > 0) {
		char *p = line, *mnt, *field, *fstype, *source;
		size_t n = strlen(line);

		lineno++;
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		for (int i = 0; i < 4; i++)          /* id, parent, dev, root */
			if (!next_field(&p))
				goto malformed;
		if (!(mnt = next_field(&p)))
			goto malformed;
		unescape(mnt);
		if (!next_field(&p))                 /* mount options */
			goto malformed;
		while ((field = next_field(&p)) && strcmp(field, "-") != 0)
			;                            /* optional fields */
		if (!field || !(fstype = next_field(&p)) || !(source = next_field(&p)))
			goto malformed;
		if (strcmp(mnt, mountpoint) != 0)
			continue;
		unescape(source);
		copy_field(out->fstype, sizeof(out->fstype), fstype);
		copy_field(out->source, sizeof(out->source), source);
		found = true;
	}
	if (ferror(f))
		return error_set_errno(-EIO, "cannot read %s", path);
	return found ? 0 : -ENOENT;
malformed:
	return error_set(-EBADMSG, "%s:%zu: malformed line", path, lineno);
}
