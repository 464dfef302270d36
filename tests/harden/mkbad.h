/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mkbad.h - ktstr-mkbad, the malformed-runfile generator: shared types.
 *
 * ktstr-mkbad takes a good runfile (packed by the built ktstr-pack, with a
 * scheduler, an include file and an early prefix) and writes one hostile
 * variant of it, with the real stub bytes in front so the variant can be
 * executed.  It prints what every reader must say about the variant:
 *   level=load     footer or spec refused: every reader (ktstr-pack
 *                  --inspect, the runfile's --inspect/--verify/--extract
 *                  and its run) fails with msg
 *   level=payload  footer and spec are fine, the payload is corrupt:
 *                  --inspect works, --verify fails with verify, --extract
 *                  and the run fail with msg
 *   level=tar      every digest matches (a hostile sender, not a broken
 *                  transfer): --inspect and --verify work, --extract and
 *                  the run fail with msg
 * and whether the file is executable at all (exec=0: the stub itself is
 * cut) and whether the verified scheduler may have been started before the
 * failure was found (sched=1: the corruption lies after the early prefix).
 */
#ifndef KTSTR_MKBAD_H
#define KTSTR_MKBAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "footer.h"
#include "spec.h"
#include "strbuf.h"

#define MKBAD_MEMBERS_MAX 8
#define MKBAD_MSG_MAX 512

struct good_member {
	char *name;
	uint8_t *data;
	size_t len;
};

/* The good runfile, split into its parts. */
struct good {
	uint8_t *file;
	size_t size;
	struct runfile_footer f;
	struct spec spec;               /* decoded */
	const uint8_t *stub;
	size_t stub_len;
	const uint8_t *payload;
	size_t payload_len;
	const uint8_t *specraw;
	size_t spec_len;
	struct good_member m[MKBAD_MEMBERS_MAX];   /* the tar members, in order */
	size_t nm;
};

enum bad_level { LEVEL_LOAD, LEVEL_PAYLOAD, LEVEL_TAR };

struct expect {
	enum bad_level level;
	char msg[MKBAD_MSG_MAX];        /* extract and run (load: every reader) */
	char verify[MKBAD_MSG_MAX];     /* --verify, level payload */
	bool exec;                      /* the stub is intact: the file runs */
	bool big;                       /* declares more than a small disk holds */
};

struct bad_case {
	const char *name;
	/* build the variant into @out and say what is expected of it */
	int (*make)(const struct good *g, const struct bad_case *c, struct strbuf *out,
		    struct expect *x);
	int64_t arg;
	const char *sarg;
	int range;                      /* > 0: cases NAME-1..NAME-range, arg = N */
};

/* mkbad.c: assembling */
void expect_msg(struct expect *x, enum bad_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/**
 * assemble() - [stub][payload][spec][footer] with every offset, the spec
 * digest and the CRC recomputed; the payload digest too unless @psha.
 */
void assemble(struct strbuf *out, const struct good *g, const void *payload, size_t plen,
	      const void *spec, size_t slen, uint32_t codec, const uint8_t *psha);
/** footer_of() - the footer of an assembled file. */
uint8_t *footer_of(struct strbuf *out);
/** resign() - recompute the footer CRC after a field was changed. */
void resign(struct strbuf *out);
void sha256_buf(const void *buf, size_t len, uint8_t out[32]);
/**
 * simulate_payload() - what the stub's extraction says first about
 * @payload cut by @s's chunk table with @codec: a chunk that does not
 * inflate, else a digest mismatch of the early prefix or of the whole; ""
 * when all of that is fine.  (Nothing runs before the whole payload
 * verifies, so where the failure is does not change what may start.)
 */
void simulate_payload(const struct spec *s, uint32_t codec, const uint8_t *payload,
		      size_t plen, const uint8_t psha[32], char *msg, size_t size);

/* the case tables */
extern const struct bad_case layout_cases[];
extern const struct bad_case spec_cases[];
extern const struct bad_case tar_cases[];

#endif
