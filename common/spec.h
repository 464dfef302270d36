/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spec.h - the frozen test specification carried in a runfile.
 *
 * The spec is everything the stub needs besides the payload bytes: names,
 * provenance, topology needs, times, the scheduler argv in final order,
 * the archive members and the payload's chunk table.  Encoding: a strict,
 * versioned tag-length-value format (docs/FORMAT.md); decoding rejects
 * anything it does not fully understand.
 */
#ifndef KTSTR_SPEC_H
#define KTSTR_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define SPEC_MAGIC "KSPC"
#define SPEC_VERSION 1

/* Bounds; every decoded value is checked against them. */
#define SPEC_NAME_MAX 255
#define SPEC_GIT_HASH_MAX 64
#define SPEC_PATH_MAX 4095
#define SPEC_TOPO_MAX 65536u          /* per dimension */
#define SPEC_SECS_MAX 604800u         /* one week: duration, watchdog */
#define SPEC_ATTACH_SECS_MAX 3600u
#define SPEC_ARGS_MAX 4096
#define SPEC_ARG_BYTES_MAX 131072     /* MAX_ARG_STRLEN of Linux */
#define SPEC_SEGMENTS_MAX 64
#define SPEC_MEMBERS_MAX 1026         /* ktstr, scheduler, 1024 includes */
#define SPEC_CHUNKS_MAX 65536
#define SPEC_CHUNK_ULEN_MAX (64u << 20)
#define SPEC_CHUNK_CLEN_SLACK 65536u     /* clen <= ulen + ulen / 8 + this */
#define SPEC_MEMBER_SIZE_MAX (1ull << 36)   /* 64 GiB */
/* tar bytes allowed beyond headers and data: end blocks, pax headers */
#define SPEC_TAR_SLACK (1u << 20)
#define SPEC_TAR_SLACK_PER_MEMBER 8192u

#define SPEC_DEFAULT_DURATION 2
#define SPEC_DEFAULT_WATCHDOG 4
#define SPEC_DEFAULT_ATTACH_TIMEOUT 10

/* Archive member names of the contract (DESIGN.md). */
#define MEMBER_RUNNER "ktstr"
#define MEMBER_SCHEDULER "scheduler"
#define MEMBER_INCLUDE_DIR "include"
#define MEMBER_MODE 0755

enum spec_tag {
	SPEC_TAG_TEST_NAME = 1,
	SPEC_TAG_SCHED_NAME = 2,
	SPEC_TAG_GIT_HASH = 3,
	SPEC_TAG_PACKER = 4,
	SPEC_TAG_TOPOLOGY = 5,
	SPEC_TAG_TIMES = 6,
	SPEC_TAG_CGROUP_PARENT = 7,
	SPEC_TAG_SCHED_ARG = 8,
	SPEC_TAG_MEMBER = 9,
	SPEC_TAG_CHUNKS = 10,
	SPEC_TAG_EARLY = 11,
	SPEC_TAG_MAX = SPEC_TAG_EARLY,
};

enum arg_segment_kind {
	ARG_SEG_LITERAL = 0,   /* bytes, passed as they are */
	ARG_SEG_DIR = 1,       /* the extraction directory, e.g. /tmp/ktstr-run-12-AbC */
};

struct arg_segment {
	enum arg_segment_kind kind;
	char *literal;         /* ARG_SEG_LITERAL: non-empty, no NUL */
};

/* One scheduler argv element: the concatenation of its segments. */
struct spec_arg {
	size_t nseg;
	struct arg_segment *seg;
};

struct spec_member {
	char *name;            /* "ktstr", "scheduler" or "include/<basename>" */
	uint64_t size;
	uint32_t mode;
};

/* One independently compressed piece of the payload (gzip member,
 * zstd frame or raw slice); they follow each other without gaps. */
struct spec_chunk {
	uint64_t clen;         /* compressed bytes in the payload */
	uint64_t ulen;         /* tar bytes it inflates to */
};

struct spec {
	char *test_name;
	char *sched_name;
	char *git_hash;
	char *packer;          /* who wrote the runfile, e.g. "ktstr-pack 0.1.0" */
	uint32_t llcs, cores_per_llc, threads_per_core, numa_nodes;
	uint32_t duration_secs, watchdog_secs, attach_timeout_secs;
	char *cgroup_parent;   /* NULL: none */
	size_t sched_argc;
	struct spec_arg *sched_argv;
	size_t nmembers;
	struct spec_member *members;
	size_t nchunks;
	struct spec_chunk *chunks;
	/* The payload prefix holding the scheduler and includes, hashed on its
	 * own so the scheduler can start before the rest is extracted. */
	bool has_early;
	uint64_t early_clen, early_ulen;
	uint8_t early_sha256[32];
};

/** spec_init() - empty spec with the contract's defaults. */
void spec_init(struct spec *s);
void spec_release(struct spec *s);

/**
 * spec_validate() - check every value against the format's rules.
 * Used by the encoder (refuse to write what the decoder would refuse) and
 * the decoder.  Return: 0 or -EINVAL with a message naming the field.
 */
int spec_validate(const struct spec *s);

/** spec_encode() - append the canonical encoding of @s to @out. */
int spec_encode(const struct spec *s, struct strbuf *out);

/**
 * spec_decode() - parse and validate an encoded spec.
 * Return: 0, -EPROTO for a spec version this code does not know, or
 * -EBADMSG with a message naming the offending record.
 */
int spec_decode(const uint8_t *buf, size_t len, struct spec *out);

/* Lookups. */
bool spec_has_scheduler(const struct spec *s);
const struct spec_member *spec_member_find(const struct spec *s, const char *name);
uint64_t spec_payload_ulen(const struct spec *s);

/* Building helpers (packer, converter): arguments are copied. */
void spec_add_member(struct spec *s, const char *name, uint64_t size);
struct spec_arg *spec_add_arg(struct spec *s);
void spec_arg_add_literal(struct spec_arg *a, const char *bytes, size_t len);
void spec_arg_add_dir(struct spec_arg *a);
void spec_add_chunk(struct spec *s, uint64_t clen, uint64_t ulen);

/* Validation helpers shared with the packer's option checks. */
bool spec_name_ok(const char *name);
bool spec_include_basename_ok(const char *base);
bool spec_member_name_ok(const char *name);
/* 1..SPEC_GIT_HASH_MAX characters of [0-9A-Za-z._+-]: a commit id, "unknown", a describe string */
bool spec_git_hash_ok(const char *hash);
int spec_cgroup_parent_check(const char *path);

#endif
