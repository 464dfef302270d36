#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-reproducible.sh - the same inputs give a byte-identical runfile:
# twice in a row, with other mtimes, owners and paths of the inputs, from
# another working directory (with --git-hash fixed), for every codec and
# for a payload of many chunks compressed in parallel.
. "$(dirname "$0")/lib.sh"

# big_runner FILE: a runner of several payload chunks, from real ELF bytes
big_runner() {
    cat "$RUNNER" > "$1"
    find /usr/lib /usr/bin -maxdepth 2 -type f -size +200k 2>/dev/null | sort | head -n 30 |
        xargs cat >> "$1" 2>/dev/null
    truncate -s $((6 << 20)) "$1"
    chmod 755 "$1"
}

# pack_in DIR OUT ARGS...: pack from working directory DIR into OUT
pack_in() {
    local dir=$1 out=$2
    shift 2
    (cd "$dir" && "$KTSTR_PACK" --runner in/ktstr-test --scheduler in/scx_fake \
        --include in/data.txt --config-file in/cfg.json --sched-arg 'a b' \
        --git-hash 0123abc -o "$out" "$@" repro 2> "$WORK/err") ||
        fail "pack in $dir failed: $(cat "$WORK/err")"
}

same() {
    cmp "$1" "$2" > /dev/null || fail "$1 and $2 differ: $(cmp "$1" "$2" 2>&1 | head -n 1)"
}

case_twice() {
    local codec
    inputs
    big_runner in/ktstr-test
    for codec in gzip zstd none; do
        pack_in "$WORK" "$WORK/a-$codec.run" --compress $codec
        pack_in "$WORK" "$WORK/b-$codec.run" --compress $codec
        same a-$codec.run b-$codec.run
    done
    [ "$(json a-gzip.run 'j["payload_chunks"]')" -ge 5 ] || fail "the payload is not several chunks"
}

case_input_metadata() {
    inputs
    pack_in "$WORK" "$WORK/a.run"
    # other mtimes, modes and owners; the content is what is packed
    touch -d '2001-02-03 04:05:06' in/*
    chmod 700 in/ktstr-test in/scx_fake
    chmod 600 in/data.txt
    if [ "$(id -u)" = 0 ]; then
        chown 12345:54321 in/*
    fi
    pack_in "$WORK" "$WORK/b.run"
    same a.run b.run
    # a change of content does change the runfile (the check can fail)
    printf 'x' >> in/data.txt
    pack_in "$WORK" "$WORK/c.run"
    cmp -s a.run c.run && fail "a different include gave the same runfile"
}

case_other_directory() {
    inputs
    pack_in "$WORK" "$WORK/a.run"
    # the same files under another directory, packed from there, written
    # through a relative output path
    mkdir -p elsewhere/deep
    cp -a in elsewhere/deep/in
    pack_in "$WORK/elsewhere/deep" "../../b.run"
    same a.run b.run
    # and the output path itself does not matter
    pack_in "$WORK" "$WORK/elsewhere/c.run"
    same a.run elsewhere/c.run
}

case_level_changes_bytes() {
    inputs
    big_runner in/ktstr-test
    pack_in "$WORK" "$WORK/a.run" --level 1
    pack_in "$WORK" "$WORK/b.run" --level 1
    same a.run b.run
    pack_in "$WORK" "$WORK/c.run" --level 9
    cmp -s a.run c.run && fail "--level 1 and --level 9 gave the same bytes"
}

run_case twice case_twice
run_case input-metadata case_input_metadata
run_case other-directory case_other_directory
run_case level-changes-bytes case_level_changes_bytes
finish
