// SPDX-License-Identifier: GPL-2.0-only
/* pathsearch.c - $PATH lookup for bare include names. */
#include "pathsearch.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *path_search(const char *name, const char *path_var)
{
	const char *p = path_var;

	if (!path_var || !name[0] || strchr(name, '/'))
		return NULL;
	for (;;) {
		size_t len = strcspn(p, ":");
		char *cand = len ? xasprintf("%.*s/%s", (int)len, p, name) : xasprintf("./%s", name);
		struct stat st;

		/* a non-executable file of that name (docs, say) is not a match */
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			return cand;
		free(cand);
		if (!p[len])
			return NULL;
		p += len + 1;
	}
}
