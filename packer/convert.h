/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * convert.h - turn a `cargo ktstr export` 0.6.0 bash runfile into a
 * native runfile that runs the same scheduler argv, test argv and
 * archive members (ktstr-pack --from-run), and do the same straight from
 * a ktstr test binary (ktstr-pack NAME --test-binary BIN).
 */
#ifndef KTSTR_CONVERT_H
#define KTSTR_CONVERT_H

#include <stdbool.h>

#include "footer.h"

#define CONVERT_PACKER_NOTE "(from cargo ktstr export)"
#define TESTBIN_TIMEOUT_DEFAULT 60

struct convert_opts {
	const char *output;        /* NULL: "<test name>.run" in the current directory */
	const char *stub_path;     /* NULL: the built-in stub for the test's architecture */
	const char *arch;          /* NULL, or the built-in stub to use (--arch) */
	enum payload_codec codec;
	int level;
	unsigned threads;
	/* set by convert_test_binary() */
	const char *display;       /* the input's name in messages (default: its path) */
	const char *expect_name;   /* the test the file must be for */
	bool fill_git_hash;        /* "unknown" -> HEAD of the checkout around "." */
};

/**
 * convert_bash_runfile() - read @input (never executing it) and write
 * the equivalent native runfile.
 *
 * The frozen block gives names, git hash, topology and times; the launch
 * line gives the scheduler argv ($DIR references become extraction-path
 * segments); the archive's members are carried over byte for byte.  The
 * 0.6.0 inline-config defect (member include/ktstr-export-config-<hash>-B
 * while the argument names include/B) is repaired with a notice on stderr.
 * Return: 0, or a negative errno with a "FILE:LINE: reason" message; no
 * output file is left on failure.
 */
int convert_bash_runfile(const char *input, const struct convert_opts *o);

/**
 * convert_test_binary() - run `@bin --ktstr-export-test=@name` in a new
 * private directory (stdin /dev/null, output captured, killed after
 * @timeout_s), convert the NAME.run it writes, remove the directory.
 * Return: 0, or a negative errno with a message (which quotes the
 * binary's output when it failed).
 */
int convert_test_binary(const char *bin, const char *name, unsigned timeout_s,
			const struct convert_opts *o);

#endif
