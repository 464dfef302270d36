/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * inspect.h - describe a runfile for a human or a script: layout, digests,
 * the frozen spec, the exact command lines, the archive members.  One
 * implementation for `ktstr-pack --inspect` and the runfile's `--inspect`.
 */
#ifndef KTSTR_INSPECT_H
#define KTSTR_INSPECT_H

#include <stdbool.h>

#include "runfile.h"
#include "strbuf.h"

/** inspect_runfile() - append the description of @rf (text or JSON) to @out. */
void inspect_runfile(const struct runfile *rf, const char *name, bool json, struct strbuf *out);

#endif
