// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-runfile.c - fuzz target: runfile_load() on a memfd holding the
 * input, then what --inspect and --verify do with a loaded runfile.
 *
 * Input: [flags:1][the file].  Before loading, bit 0 re-signs the footer
 * CRC, bit 1 recomputes the spec digest over the range the footer names
 * (then re-signs), so the fuzzer gets past the checksums to the decoders
 * behind them; bit 2 asks for the JSON report.  Property: a file either
 * loads or is refused with a message; nothing crashes or leaks.
 */
#include "fuzz.h"
#include "fuzz-fixup.h"
#include "error.h"
#include "inspect.h"
#include "runfile.h"
#include "strbuf.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT;
	struct runfile rf;
	uint8_t *file;
	size_t len;
	int fd;

	if (size < 1)
		return 0;
	file = fuzz_fixup(data, size, &len);
	fd = fuzz_memfd(file, len);
	free(file);
	if (runfile_load(fd, &rf) < 0) {
		FUZZ_CHECK(error_message()[0], "a refusal without a message");
		close(fd);
		return 0;
	}
	inspect_runfile(&rf, "fuzz.run", data[0] & 4, &out);
	FUZZ_CHECK(out.len > 0, "empty report");
	(void)runfile_verify_early(&rf);
	(void)runfile_verify_payload(&rf);
	strbuf_release(&out);
	runfile_close(&rf);
	return 0;
}
