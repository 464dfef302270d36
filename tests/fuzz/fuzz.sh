#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# fuzz.sh - build and run the libFuzzer targets (make fuzz, make fuzz-run).
#
#   fuzz.sh build            build tests/fuzz/fuzz-TARGET in the build dir
#   fuzz.sh run SECONDS      build, then fuzz each target for SECONDS (one
#                            per core at a time) from a copy of its
#                            seed corpus; print the executions and exit 1 if
#                            any target crashed (the input is kept in
#                            tests/fuzz/crashes/TARGET/ for a regression file)
#
# Why a script and clang directly, not a configure option: libFuzzer needs
# clang and instruments everything a target links, while the project is
# built with the configured compiler (gcc) and its own flags.  The targets
# are compiled here from the same sources (common/, stub/extract.c, the
# bash-runfile reader of packer/) with -fsanitize=fuzzer,address,undefined,
# independent of how the tree was configured.  `make check` replays the
# corpora through the same targets built by automake with the project's
# compiler (tests/fuzz/replay.c), so no clang is needed there.
#
# Environment (from the Makefile): SRCDIR, BUILDDIR, FUZZ_CC (default:
# clang, else clang-14), FUZZ_INCS and FUZZ_LIBS (the libraries' flags).
set -euo pipefail
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${BUILDDIR:-$PWD}
OUT=$BUILDDIR/tests/fuzz
TARGETS="footer spec runfile extract bashrun"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

find_cc() {
    local c
    for c in ${FUZZ_CC:-} clang clang-14; do
        command -v "$c" > /dev/null && { echo "$c"; return 0; }
    done
    echo "fuzz.sh: no clang (install clang-14 and libclang-rt-14-dev)" >&2
    return 1
}

sources_of() {
    case $1 in
    extract) echo "stub/extract.c" ;;
    bashrun) echo "packer/bashrun.c packer/shellword.c packer/base64.c packer/exportarchive.c" ;;
    esac
}

build() {
    local cc objs t src o jobs=0
    cc=$(find_cc)
    mkdir -p "$OUT/obj"
    # shellcheck disable=SC2206
    local cflags=(-g -O1 -std=gnu11 -D_GNU_SOURCE -fno-omit-frame-pointer $SAN
        -I"$SRCDIR/common" -I"$SRCDIR/stub" -I"$SRCDIR/packer" -I"$SRCDIR/tests/fuzz"
        -I"$BUILDDIR" ${FUZZ_INCS:-})
    # the project's sources, instrumented for coverage (no main), in parallel
    for src in $(cd "$SRCDIR" && echo common/*.c) stub/extract.c packer/bashrun.c \
               packer/shellword.c packer/base64.c packer/exportarchive.c; do
        [ -e "$SRCDIR/$src" ] || continue
        o=$OUT/obj/$(dirname "$src")-$(basename "$src" .c).o
        "$cc" "${cflags[@]}" -fsanitize=fuzzer-no-link -c "$SRCDIR/$src" -o "$o" &
        jobs=$((jobs + 1))
        if [ "$jobs" -ge "$(nproc)" ]; then wait -n; jobs=$((jobs - 1)); fi
    done
    while [ "$jobs" -gt 0 ]; do wait -n; jobs=$((jobs - 1)); done
    for t in $TARGETS; do
        objs=("$OUT"/obj/common-*.o)
        for src in $(sources_of "$t"); do
            objs+=("$OUT/obj/$(dirname "$src")-$(basename "$src" .c).o")
        done
        # shellcheck disable=SC2086
        "$cc" "${cflags[@]}" -fsanitize=fuzzer "$SRCDIR/tests/fuzz/fuzz-$t.c" "${objs[@]}" \
            ${FUZZ_LIBS:-} -lpthread -o "$OUT/fuzz-$t"
    done
    echo "fuzz.sh: built $(for t in $TARGETS; do printf 'fuzz-%s ' "$t"; done)in $OUT"
}

# run_one TARGET SECONDS: fuzz from a copy of the seeds; print the stats
run_one() {
    local t=$1 secs=$2 work=$OUT/work/$1 log=$OUT/work/$1.log
    rm -rf "$work" "$OUT/crashes/$t"
    mkdir -p "$work" "$OUT/crashes/$t"
    cp "$SRCDIR/tests/fuzz/corpus/$t"/* "$work/"
    # fuzz-extract extracts under TMPDIR: a directory of its own, removed after
    mkdir -p "$work.tmp"
    set +e
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        TMPDIR=$work.tmp "$OUT/fuzz-$t" -max_total_time="$secs" -print_final_stats=1 \
        -rss_limit_mb=4096 -timeout=20 -artifact_prefix="$OUT/crashes/$t/" \
        "$work" > "$log" 2>&1
    echo $? > "$log.rc"
    set -e
    rm -rf "$work.tmp"
}

run() {
    local secs=${1:-60} t rc execs failed=0
    build
    # one target per core at a time: each gets its SECONDS of a whole core
    local jobs=0
    for t in $TARGETS; do
        run_one "$t" "$secs" &
        jobs=$((jobs + 1))
        if [ "$jobs" -ge "$(nproc)" ]; then wait -n; jobs=$((jobs - 1)); fi
    done
    wait
    for t in $TARGETS; do
        rc=$(cat "$OUT/work/$t.log.rc")
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/work/$t.log" | tail -n1)
        if [ "$rc" = 0 ]; then
            printf 'fuzz-%-8s %10s executions in %s s, corpus %s inputs, no crash\n' "$t" \
                "${execs:-?}" "$secs" "$(ls "$OUT/work/$t" | wc -l)"
        else
            failed=$((failed + 1))
            printf 'fuzz-%-8s CRASHED (exit %s) after %s executions; input(s): %s\n' "$t" "$rc" \
                "${execs:-?}" "$(ls "$OUT/crashes/$t" | tr '\n' ' ')"
            grep -E 'ERROR|SUMMARY|property broken|#[0-9]+ ' "$OUT/work/$t.log" | head -n 20 | sed 's/^/    /'
            echo "    to keep it as a regression: cp $OUT/crashes/$t/<file> $SRCDIR/tests/fuzz/corpus/$t/crash-<what>"
        fi
    done
    echo "fuzzing: $(( $(echo $TARGETS | wc -w) - failed )) passed, $failed failed"
    [ "$failed" = 0 ]
}

case ${1:-} in
build) build ;;
run) run "${2:-60}" ;;
*) echo "usage: fuzz.sh build | run SECONDS" >&2; exit 2 ;;
esac
