// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz-spec.c - fuzz target: spec_decode() on raw spec bytes.
 *
 * Properties: a spec that decodes is valid (spec_validate), encodes back
 * to exactly the input (the encoding is canonical: the decoder accepts one
 * byte string per spec, so nothing can hide in a runfile's spec), and
 * everything built from it (the argv, the rendered command lines) works.
 */
#include "fuzz.h"
#include "error.h"
#include "launch.h"
#include "spec.h"
#include "strbuf.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf enc = STRBUF_INIT, text = STRBUF_INIT;
	struct spec s;
	char **argv;
	size_t n;

	if (spec_decode(data, size, &s) < 0) {
		FUZZ_CHECK(error_message()[0], "a refusal without a message");
		return 0;
	}
	FUZZ_CHECK(spec_validate(&s) == 0, "decoded but invalid: %s", error_message());
	FUZZ_CHECK(spec_encode(&s, &enc) == 0, "does not encode: %s", error_message());
	FUZZ_CHECK(enc.len == size && memcmp(enc.buf, data, size) == 0,
		   "re-encoding differs (%zu vs %zu bytes)", enc.len, size);
	argv = launch_sched_argv(&s, "/tmp/ktstr-run-1-AbCdEf");
	for (n = 0; argv[n]; n++)
		FUZZ_CHECK(strlen(argv[n]) < SPEC_ARG_BYTES_MAX + 64, "argument %zu too long", n);
	FUZZ_CHECK(n == s.sched_argc + 1, "%zu elements for %zu arguments", n, s.sched_argc);
	launch_argv_free(argv);
	argv = launch_test_argv(&s, "/tmp/ktstr-run-1-AbCdEf", "5", NULL);
	launch_argv_free(argv);
	launch_render_sched(&s, &text);
	launch_render_test(&s, &text);
	(void)spec_payload_ulen(&s);
	strbuf_release(&text);
	strbuf_release(&enc);
	spec_release(&s);
	return 0;
}
