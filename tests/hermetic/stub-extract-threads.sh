#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-extract-threads.sh - the stub inflates with one worker per CPU it may
# run on (its affinity mask), not per CPU the system lists as online: on a
# 256-CPU topology, a runfile confined to one CPU extracts with one worker
# (threads: the stub's main thread, the consumer, one worker), and with
# more CPUs allowed it uses more workers.
. "$(dirname "$0")/lib.sh"
need taskset
hermetic_enter "$@"

# A payload that takes a while: random bytes do not compress, so the
# extraction hashes and writes all of them (tens of milliseconds or more).
pack_big() {
    head -c $((48 << 20)) /dev/urandom > "$WORK/pad"
    cat "$SAMPLE_TEST" "$WORK/pad" > "$WORK/runner"
    chmod 755 "$WORK/runner"
    "$KTSTR_PACK" --runner "$WORK/runner" -o "$WORK/t.run" sample 2> "$WORK/pack.err" ||
        { cat "$WORK/pack.err" >&2; return 1; }
}

# max_threads CPULIST: extract under taskset -c CPULIST; prints the most
# threads /proc showed for the stub while it ran (0 if it never saw it)
max_threads() {
    local pid n max=0
    rm -rf "$WORK/x"
    taskset -c "$1" "$WORK/t.run" --extract "$WORK/x" > "$WORK/out" 2> "$WORK/err" &
    pid=$!
    while alive "$pid"; do
        n=$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
        [ -n "$n" ] && [ "$n" -gt "$max" ] && max=$n
    done
    wait "$pid" || { cat "$WORK/err" >&2; echo "extract-failed"; return; }
    echo "$max"
}

case_affinity_not_online() {
    local one two
    topo_setup --nodes 2 --llcs 8 --cores 16 --threads 2   # 256 CPUs online
    pack_big || return 1
    one=$(max_threads 0)
    [ "$one" != extract-failed ] || fail "--extract failed" || return 1
    # every sample saw main + consumer + workers; 0/1 means no sample
    # caught the extraction, which proves nothing either way
    [ "$one" -ge 3 ] || fail "never saw the extraction running (max $one threads)" || return 1
    [ "$one" = 3 ] || fail "confined to 1 CPU of 256 online, the stub ran $one threads (expected 3: main, consumer, 1 worker)" || return 1
    [ "$(nproc)" -ge 2 ] || return 0     # the CPUs we may use, not the synthetic ones
    two=$(max_threads 0,1)
    [ "$two" = 4 ] || fail "allowed 2 CPUs, the stub ran $two threads (expected 4)"
}

run_case affinity-not-online case_affinity_not_online
finish
