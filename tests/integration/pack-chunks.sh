#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-chunks.sh - the payload is cut into chunks of 256 KiB of tar for
# gzip and 1 MiB for zstd and none (packer/payload_writer.h: small gzip
# chunks let the stub inflate even a 1 MiB payload on all cores; zstd
# keeps 1 MiB, its window), and the chunked payload still reads as one
# stream with standard tools.
. "$(dirname "$0")/lib.sh"

# A 3 MiB runner alone: its tar is 3 MiB + a 512-byte header + two 512-byte
# end blocks (docs/FORMAT.md 3.1), so 13 chunks of 256 KiB, 4 of 1 MiB.
runner_3m() {
    cp "$RUNNER" r
    truncate -s 3M r
}

# chunks CODEC: the chunk count of a runfile packed with --compress CODEC
chunks() {
    pack --runner ./r --compress "$1" -o "$1.run" t
    expect_ok "pack --compress $1" || return 1
    json "$1.run" 'j["payload_chunks"]'
}

case_chunk_sizes() {
    local n
    runner_3m
    n=$(chunks gzip) && [ "$n" = 13 ] || fail "gzip: $n chunks, expected 13 of 256 KiB"
    n=$(chunks none) && [ "$n" = 4 ] || fail "none: $n chunks, expected 4 of 1 MiB"
    if command -v zstd > /dev/null; then
        n=$(chunks zstd) && [ "$n" = 4 ] || fail "zstd: $n chunks, expected 4 of 1 MiB"
    fi
}

# The 13 gzip members are one gzip stream to gzip(1), whose tar holds the
# runner byte for byte.
case_chunks_read_as_one_stream() {
    runner_3m
    pack --runner ./r -o t.run t
    expect_ok "pack" || return
    payload t.run | gzip -dc > tar.out || fail "gzip -dc rejects the payload"
    mkdir x && tar -xf tar.out -C x || fail "tar rejects the inflated payload"
    cmp -s r x/ktstr || fail "the runner does not come back byte for byte"
}

run_case chunk-sizes case_chunk_sizes
run_case chunks-read-as-one-stream case_chunks_read_as_one_stream
finish
