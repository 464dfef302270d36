#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bench-prephase.sh - how long a runfile takes from its exec to the exec of
# the test, for a 64 MiB runner, with the fake scheduler and without, in
# the hermetic harness.  A benchmark, not a test: it asserts nothing about
# time.  Run it by hand, as root, from the build directory after `make`:
#   KTSTR_PACK=$PWD/ktstr-pack KTSTR_HELPERS=$PWD/tests/helpers \
#       bash $srcdir/tests/hermetic/bench-prephase.sh [RUNS] [MIB]
# Start: exec-stamp writes CLOCK_MONOTONIC right before it execs the
# runfile.  End: the sample test's test.stamp, CLOCK_MONOTONIC at the start
# of its main().  The runner is the sample test padded with real ELF bytes
# (shared libraries; bytes after an ELF's segments are never loaded), so
# it compresses like a real test binary.  /tmp is a tmpfs here: the file
# and the extraction are in memory.
. "$(dirname "$0")/lib.sh"
need jq awk
hermetic_enter "$@"

RUNS=${1:-5}
MIB=${2:-64}
[ -x "$EXEC_STAMP" ] || { echo "build tests/helpers/exec-stamp first" >&2; exit 99; }

make_runner() {
    local out=$1
    cp "$SAMPLE_TEST" "$out.tmp"
    for f in /usr/lib/x86_64-linux-gnu/*.so* /usr/lib/*/*.so* /usr/bin/*; do
        [ "$(stat -c %s "$out.tmp")" -ge $((MIB << 20)) ] && break
        [ -f "$f" ] && cat "$f" >> "$out.tmp"
    done
    head -c $((MIB << 20)) "$out.tmp" > "$out"
    rm "$out.tmp"
    chmod 755 "$out"
}

# median and min of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms, min %.1f ms (n=%d)", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], NR }'; }

# one_run LABEL: run the packed $WORK/t.run once; prints the pre-test ms
one_run() {
    rm -f "$HDIR"/test.* "$HDIR"/sched.*
    "$EXEC_STAMP" "$WORK/start.ns" "$WORK/t.run" > "$WORK/out" 2> "$WORK/err" ||
        { echo "run failed:" >&2; cat "$WORK/err" >&2; return 1; }
    echo "$(( $(cat "$HDIR/test.stamp") - $(cat "$WORK/start.ns") ))" |
        awk '{ printf "%.1f\n", $1 / 1e6 }'
}

bench() {
    local label=$1 i
    : > "$WORK/times"
    for i in $(seq "$RUNS"); do one_run >> "$WORK/times"; done
    echo "$label: exec of the runfile -> exec of the test: $(stats < "$WORK/times")"
    echo "  runs: $(tr '\n' ' ' < "$WORK/times")"
    echo "  last run's $(grep 'phases:' "$WORK/err")"
}

make_runner "$WORK/runner"
echo "runner: $(stat -c %s "$WORK/runner") bytes ($MIB MiB)"
sample_conf expect_sched=none duration_ms=50 workers=1
"$KTSTR_PACK" --runner "$WORK/runner" --include "$WORK/sample-test.conf" \
    -o "$WORK/t.run" sample 2> "$WORK/pack.err" || { cat "$WORK/pack.err"; exit 1; }
echo "runfile: $(stat -c %s "$WORK/t.run") bytes, payload $("$KTSTR_PACK" --inspect "$WORK/t.run" --json | jq -r '"\(.payload_length) bytes in \(.payload_chunks) chunks"')"
bench "EEVDF (no scheduler)"

sample_conf expect_sched=fake duration_ms=50 workers=1
sched_conf attach_delay_ms=50 enabling_ms=0
"$KTSTR_PACK" --runner "$WORK/runner" --include "$WORK/sample-test.conf" \
    --scheduler "$FAKE_SCHED" --sched-name fake -o "$WORK/t.run" sample \
    2> "$WORK/pack.err" || { cat "$WORK/pack.err"; exit 1; }
bench "fake scheduler (attach_delay_ms=50)"
