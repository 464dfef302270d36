// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-bashrun.c - fuzz target: the reader of `cargo ktstr export` 0.6.0
 * bash runfiles behind ktstr-pack --from-run (packer/bashrun.c and
 * shellword.c: the script; base64.c and exportarchive.c: the archive
 * after __ARCHIVE__).  The input is the whole file; nothing is executed.
 * Property: the file is read or refused with a message naming a line
 * inside it; nothing crashes or leaks.
 */
#include "fuzz.h"
#include "bashrun.h"
#include "error.h"
#include "exportarchive.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct export_archive a;
	struct bashrun br;
	size_t line = 0;

	/* as convert.c does: release in every case, a refusal may have
	 * filled some fields */
	if (bashrun_parse(text, size, &br, &line) < 0) {
		FUZZ_CHECK(error_message()[0], "a refusal without a message");
		bashrun_release(&br);
		return 0;
	}
	FUZZ_CHECK(br.archive_off <= size, "archive offset %zu past %zu", br.archive_off, size);
	if (export_archive_read(text + br.archive_off, size - br.archive_off,
				bashrun_line_of(&br, br.archive_off), &a, &line) == 0) {
		for (size_t i = 0; i < a.nmembers; i++)
			FUZZ_CHECK(spec_member_name_ok(a.m[i].name), "member '%s'", a.m[i].name);
		export_archive_release(&a);
	} else {
		FUZZ_CHECK(error_message()[0], "a refusal without a message");
		export_archive_release(&a);
	}
	bashrun_release(&br);
	return 0;
}
