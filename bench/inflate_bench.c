// SPDX-License-Identifier: GPL-2.0-only
/*
 * inflate_bench.c - bench-inflate: single-threaded inflate speed of one
 * runfile's payload chunks, zlib against libdeflate (the choice made in
 * common/inflate.c), plus SHA-256 of the compressed bytes (the digest the
 * stub computes in the same pass).
 *
 *   bench-inflate RUNFILE [REPETITIONS]
 *
 * The payload is read into memory first; each method then inflates every
 * chunk into a buffer of the chunk's declared size, REPETITIONS times
 * (default 5).  One line per method:
 *   method=NAME min_ms=T mib_s=R
 * where R is tar (uncompressed) MiB per second at the best repetition;
 * for sha256 it is compressed MiB per second.
 */
#include "digest.h"
#include "error.h"
#include "inflate.h"
#include "runfile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

struct payload {
	const struct spec *s;
	uint8_t *data;
	uint64_t clen, ulen, umax;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* zlib, as gzip(1) and libarchive's gzip filter use it: stream inflate. */
static int run_zlib(const struct payload *p, uint8_t *out)
{
	const uint8_t *in = p->data;
	z_stream z;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -1;
	for (size_t i = 0; i < p->s->nchunks; i++) {
		const struct spec_chunk *c = &p->s->chunks[i];

		inflateReset(&z);
		z.next_in = (Bytef *)in;
		z.avail_in = (uInt)c->clen;
		z.next_out = out;
		z.avail_out = (uInt)c->ulen;
		if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.avail_out != 0) {
			inflateEnd(&z);
			return -1;
		}
		in += c->clen;
	}
	inflateEnd(&z);
	return 0;
}

/* The stub's own path: common/inflate.c (libdeflate for gzip, libzstd). */
static int run_stub(const struct payload *p, uint8_t *out, enum payload_codec codec)
{
	struct inflater *inf = inflater_new(codec);
	const uint8_t *in = p->data;
	int r = 0;

	for (size_t i = 0; i < p->s->nchunks && r == 0; i++) {
		r = inflater_run(inf, in, (size_t)p->s->chunks[i].clen, out,
				 (size_t)p->s->chunks[i].ulen);
		in += p->s->chunks[i].clen;
	}
	inflater_free(inf);
	return r;
}

static int run_sha(const struct payload *p)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, (size_t)p->clen, p->data);
	sha256_digest(&ctx, sizeof(d), d);
	return 0;
}

static void report(const char *name, int64_t best, uint64_t bytes)
{
	printf("method=%s min_ms=%.1f mib_s=%.0f\n", name, best / 1e6,
	       bytes / 1048576.0 / (best / 1e9));
}

int main(int argc, char **argv)
{
	struct runfile rf;
	struct payload p = { 0 };
	enum payload_codec codec;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	int64_t best_zlib = INT64_MAX, best_stub = INT64_MAX, best_sha = INT64_MAX;
	uint8_t *out;

	if (argc < 2 || reps < 1) {
		fprintf(stderr, "usage: bench-inflate RUNFILE [REPETITIONS]\n");
		return 2;
	}
	if (runfile_open(argv[1], &rf) < 0) {
		fprintf(stderr, "bench-inflate: %s: %s\n", argv[1], error_message());
		return 1;
	}
	codec = (enum payload_codec)rf.footer.codec;
	p.s = &rf.spec;
	p.clen = rf.footer.payload_length;
	for (size_t i = 0; i < rf.spec.nchunks; i++) {
		p.ulen += rf.spec.chunks[i].ulen;
		if (rf.spec.chunks[i].ulen > p.umax)
			p.umax = rf.spec.chunks[i].ulen;
	}
	p.data = malloc((size_t)p.clen);
	out = malloc((size_t)p.umax);
	if (!p.data || !out ||
	    pread(rf.fd, p.data, (size_t)p.clen, (off_t)rf.footer.payload_offset) != (ssize_t)p.clen) {
		fprintf(stderr, "bench-inflate: cannot read the payload\n");
		return 1;
	}
	printf("codec=%s chunks=%zu tar_mib=%.1f compressed_mib=%.1f\n", payload_codec_name(codec),
	       rf.spec.nchunks, p.ulen / 1048576.0, p.clen / 1048576.0);
	for (int i = 0; i < reps; i++) {
		int64_t t0;

		if (codec == CODEC_GZIP) {
			t0 = now_ns();
			if (run_zlib(&p, out) < 0) {
				fprintf(stderr, "bench-inflate: zlib failed\n");
				return 1;
			}
			if (now_ns() - t0 < best_zlib)
				best_zlib = now_ns() - t0;
		}
		t0 = now_ns();
		if (run_stub(&p, out, codec) < 0) {
			fprintf(stderr, "bench-inflate: %s\n", error_message());
			return 1;
		}
		if (now_ns() - t0 < best_stub)
			best_stub = now_ns() - t0;
		t0 = now_ns();
		run_sha(&p);
		if (now_ns() - t0 < best_sha)
			best_sha = now_ns() - t0;
	}
	if (codec == CODEC_GZIP) {
		report("zlib", best_zlib, p.ulen);
		report("libdeflate", best_stub, p.ulen);
	} else {
		report(payload_codec_name(codec), best_stub, p.ulen);
	}
	report("sha256", best_sha, p.clen);
	free(p.data);
	free(out);
	runfile_close(&rf);
	return 0;
}
