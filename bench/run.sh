#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh - `make bench`: exec -> test start of our runfiles (gzip, zstd)
# against the ktstr 0.6.0 bash format, side by side in one run, in the
# hermetic namespace harness (tests/hermetic/lib.sh); then extraction
# against gzip -dc / zstd -dc, topology parse cost, attach detection
# latency, sizes, peak RSS, packing throughput and inflate speed.
#
# Environment (set by bench/local.mk):
#   KTSTR_PACK, KTSTR_HELPERS   as for the hermetic tests
#   KTSTR_BENCH_BIN             dir of bench-launch, bench-topo, bench-inflate,
#                               bench-extract
#   KTSTR_STUB                  the stub (its size is taken stripped)
#   BENCH_REPS                  repetitions of every cell (default 5)
#   BENCH_ATTACH_REPS           runs of the attach-latency series (default 20)
#   BENCH_OUT                   where to write the report (markdown)
#   BENCH_NICE                  nice level of the whole run (default -20:
#                               other work on the machine yields to it)
# The 0.6.0 bash runfiles come from tests/helpers/mkbashrun, the conversion
# tests' generator of that exact format.
# Timings are never asserted: this prints numbers and the targets they meet.
BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${BENCH_REPS:=5}" "${BENCH_ATTACH_REPS:=20}"
: "${KTSTR_BENCH_BIN:=$PWD/bench}" "${KTSTR_STUB:=$PWD/stub/ktstr-stub}"
export BENCH_REPS BENCH_ATTACH_REPS

# describe_machine: CPU, kernel, memory, tools (markdown)
describe_machine() {
    echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) CPUs online"
    echo "- kernel: $(uname -r) ($(uname -m)); memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- load average when the run started: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- tools: $(gzip --version | head -n1), $(zstd --version 2>/dev/null | head -n1 || echo 'no zstd'), $(tar --version | head -n1), bash $BASH_VERSION"
    echo
    echo '```'
    lscpu | grep -E '^(Architecture|CPU\(s\)|Model name|Thread|Core|Socket|L1d|L2|L3|Hypervisor|Virtualization type|NUMA node\(s\))'
    echo '```'
}

# ---- outside the namespaces: stage what the inner run needs, collect --------
# The inner run gets a fresh /tmp, where the build tree may live: the
# programs go in through HERMETIC_EXTRA_BINS, the report comes back through
# a directory under /var/tmp.
if [ -z "${KTSTR_IN_NS:-}" ]; then
    set -euo pipefail
    [ "$(id -u)" = 0 ] || { echo "make bench: needs root (mount namespaces, cgroup2)" >&2; exit 1; }
    : "${BENCH_OUT:=$PWD/bench/PERFORMANCE.md}"
    BENCH_XCHG=$(mktemp -d /var/tmp/ktstr-bench.XXXXXX)
    trap 'rm -rf "$BENCH_XCHG"' EXIT
    if [ -f "$KTSTR_STUB.stripped" ]; then
        cp "$KTSTR_STUB.stripped" "$BENCH_XCHG/ktstr-stub.stripped"
    else
        strip -o "$BENCH_XCHG/ktstr-stub.stripped" "$KTSTR_STUB"
    fi
    describe_machine > "$BENCH_XCHG/machine.md"
    read -r _ u0 n0 s0 i0 w0 q0 sq0 st0 _ < /proc/stat
    HERMETIC_EXTRA_BINS="$KTSTR_BENCH_BIN/bench-launch $KTSTR_BENCH_BIN/bench-topo"
    HERMETIC_EXTRA_BINS+=" $KTSTR_BENCH_BIN/bench-inflate $KTSTR_BENCH_BIN/bench-extract"
    HERMETIC_EXTRA_BINS+=" $KTSTR_HELPERS/mkbashrun"
    export HERMETIC_EXTRA_BINS BENCH_XCHG BENCH_CMD="${BENCH_CMD:-make bench BENCH_REPS=$BENCH_REPS}"
    . "$BENCH_SRC/../tests/hermetic/lib.sh"
    rc=0
    ( hermetic_enter "$@" ) || rc=$?
    mkdir -p "$(dirname "$BENCH_OUT")"
    cp "$BENCH_XCHG/samples" "${BENCH_OUT%.md}.samples" 2>/dev/null || true
    [ "$rc" = 0 ] || { echo "make bench: the benchmark failed (exit $rc)" >&2; exit "$rc"; }
    read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
    # CPU time of everything the run started (reaped into our cutime/cstime)
    ours=$(sed 's/.*) //' /proc/$$/stat | awk '{ print $14 + $15 }')
    busy=$((u1 + n1 + s1 + q1 + sq1 - u0 - n0 - s0 - q0 - sq0))
    all=$((busy + i1 + w1 + st1 - i0 - w0 - st0))
    {
        cat "$BENCH_XCHG/report.md"
        echo
        echo "## Run conditions"
        echo
        awk -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v ours="$ours" -v others="$((busy - ours))" \
            -v steal="$((st1 - st0))" -v all="$all" 'BEGIN {
            printf "Load average when the run ended: %s.  Of the CPUs\047 time over\n", load
            printf "the run, the benchmark used %.0f%%, other work on the machine %.0f%%,\n",
                100 * ours / all, others < 0 ? 0 : 100 * others / all
            printf "and the hypervisor took %.1f%% (steal).\n", 100 * steal / all }'
    } > "$BENCH_OUT"
    cat "$BENCH_OUT"
    echo
    echo "report: $BENCH_OUT (raw samples: ${BENCH_OUT%.md}.samples)"
    exit 0
fi

. "$BENCH_SRC/../tests/hermetic/lib.sh"
hermetic_enter "$@"
set -eo pipefail
renice -n "${BENCH_NICE:--20}" -p $$ > /dev/null
. "$BENCH_SRC/report.sh"
B=/run/bin
LAUNCH=$B/bench-launch
SAMPLES=$BENCH_XCHG/samples
: > "$SAMPLES"
TOPO_SMALL="--nodes 1 --llcs 1 --cores 2 --threads 1"
TOPO_BIG="--nodes 2 --llcs 8 --cores 16 --threads 2"   # 256 CPUs
SIZES="1 64"
FORMATS="gzip zstd bash"

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

# sample METRIC VALUE: one measurement (tab-separated)
sample() { printf '%s\t%s\n' "$1" "$2" >> "$SAMPLES"; }

# ---- inputs: the same bytes for every format ---------------------------------
# pad_runner OUT MIB: the sample test followed by real ELF bytes from
# /usr/lib up to MIB MiB (it still runs: nothing reads past its segments)
pad_runner() {
    local out=$1 size=$(($2 * 1048576))
    {
        cat "$SAMPLE_TEST"
        find /usr/lib -type f -name '*.so*' -size +64k 2>/dev/null | LC_ALL=C sort |
            while read -r f; do
                [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && cat "$f"
            done
    } 2>/dev/null | head -c "$size" > "$out" || true
    [ "$(stat -c %s "$out")" = "$size" ] || die "not enough ELF bytes under /usr/lib for $2 MiB"
    chmod 755 "$out"
}

# make_runfile FORMAT SIZE SCHED(yes|no) OUT
make_runfile() {
    local fmt=$1 size=$2 sched=$3 out=$4 conf=$WORK/conf-$3/sample-test.conf
    local sargs=()
    [ "$sched" = yes ] && sargs=(--scheduler "$FAKE_SCHED" --sched-name fake)
    case "$fmt" in
    gzip|zstd)
        "$KTSTR_PACK" --runner "$WORK/runner-$size" "${sargs[@]}" --include "$conf" \
            --compress "$fmt" -o "$out" bench 2> "$WORK/pack.err" ||
            { cat "$WORK/pack.err" >&2; die "ktstr-pack failed"; } ;;
    bash)
        "$BASH_GEN" -o "$out" --name bench --runner "$WORK/runner-$size" "${sargs[@]}" \
            --include "$conf" ;;
    esac
}

# ---- one timed run --------------------------------------------------------------
# reset: sched_ext detached, helper files gone, no ktstr cgroup
reset_run() {
    rm -rf "${HDIR:?}"/*
    sched_ext_setup state
    [ ! -d /sys/fs/cgroup/ktstr ] ||
        find /sys/fs/cgroup/ktstr -depth -type d -exec rmdir {} + 2>/dev/null || true
}

# launch OUT ERR PROG ARGS...: run under bench-launch; sets L_EXEC L_STATUS
# L_RSS L_WALL (ns, exit status, KiB, ns)
launch() {
    local out=$1 err=$2 line
    shift 2
    line=$("$LAUNCH" --out "$out" --err "$err" -- "$@")
    eval "$(echo "$line" | sed 's/exec_ns=/L_EXEC=/; s/status=/L_STATUS=/;
        s/maxrss_kb=/L_RSS=/; s/wall_ns=/L_WALL=/')"
}

# check_run WHAT: the last run reached the test, which saw sched_ext as
# expected.  Its exit status is not checked: the sample test can fail for
# reasons that say nothing about the runfile (its busy worker getting no
# CPU in 50 ms on a loaded machine).
check_run() {
    if [ ! -s "$HDIR/test.stamp" ] || ! grep -qx 'sched_ok=1' "$HDIR/test.result" 2>/dev/null; then
        sed 's/^/    | /' "$WORK/err" >&2
        die "$1: exit $L_STATUS, the test did not run as expected"
    fi
}

# timed_run FORMAT SIZE CPUS SCHED: one exec -> test start sample
timed_run() {
    local fmt=$1 size=$2 cpus=$3 sched=$4 rf=$WORK/rf-$1-$2-$4.run t s checks
    reset_run
    [ "$sched" = yes ] && sched_conf attach_delay_ms=50 enabling_ms=2
    launch "$WORK/out" "$WORK/err" "$rf"
    check_run "$fmt $size MiB $cpus CPUs sched=$sched"
    t=$(cat "$HDIR/test.stamp")
    sample "e2t/$fmt/$size/$cpus/$sched" "$(ms "$L_EXEC" "$t")"
    if [ "$sched" = yes ]; then
        s=$(cat "$HDIR/sched.stamp")
        sample "attach/$fmt/$size/$cpus" "$(ms "$s" "$t")"
    fi
    checks=$(sed -n 's/.*phases: checks \([0-9.]*\) ms.*/\1/p' "$WORK/err")
    [ -z "$checks" ] || sample "checks/$fmt/$cpus" "$checks"
}

# ms FROM_NS TO_NS: milliseconds between two stamps
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }

# ---- the run ------------------------------------------------------------------
log "preparing payloads (runner padded with ELF bytes from /usr/lib)"
BASH_GEN=$B/mkbashrun
mkdir -p "$WORK/conf-no" "$WORK/conf-yes"
printf 'expect_sched=none\nworkers=1\nduration_ms=50\n' > "$WORK/conf-no/sample-test.conf"
printf 'expect_sched=fake\nworkers=1\nduration_ms=50\n' > "$WORK/conf-yes/sample-test.conf"
for size in $SIZES 256; do pad_runner "$WORK/runner-$size" "$size"; done

log "packing (2-CPU topology: the packer uses every online CPU)"
topo_setup $TOPO_SMALL
for size in $SIZES; do
    for sched in no yes; do
        for fmt in $FORMATS; do
            make_runfile "$fmt" "$size" "$sched" "$WORK/rf-$fmt-$size-$sched.run"
        done
    done
done
"$KTSTR_PACK" --version | head -n1 > "$BENCH_XCHG/pack-version"

log "exec -> test start: $BENCH_REPS repetitions of 2 topologies x 2 sizes x 2 x 3 formats"
for rep in $(seq "$BENCH_REPS"); do
    for cpus in 2 256; do
        if [ "$cpus" = 2 ]; then topo_setup $TOPO_SMALL; else topo_setup $TOPO_BIG; fi
        for size in $SIZES; do
            for sched in no yes; do
                for fmt in $FORMATS; do
                    timed_run "$fmt" "$size" "$cpus" "$sched"
                done
            done
        done
    done
    log "  repetition $rep done"
done

log "attach detection: $BENCH_ATTACH_REPS runs (1 MiB, 2 CPUs, scheduler)"
topo_setup $TOPO_SMALL
for rep in $(seq "$BENCH_ATTACH_REPS"); do
    for fmt in gzip zstd; do
        reset_run
        sched_conf attach_delay_ms=50 enabling_ms=2
        launch "$WORK/out" "$WORK/err" "$WORK/rf-$fmt-1-yes.run"
        check_run "attach series, $fmt"
        sample "attachseries/$fmt" "$(ms "$(cat "$HDIR/sched.stamp")" "$(cat "$HDIR/test.stamp")")"
    done
done

log "extraction against the limit (64 MiB payload, same filesystem)"
GZIP_BIN=$(command -v gzip) ZSTD_BIN=$(command -v zstd || true)
for fmt in gzip zstd; do
    rf=$WORK/rf-$fmt-64-yes.run
    off=$(LC_ALL=C "$KTSTR_PACK" --inspect "$rf" --json | sed -n 's/.*"payload_offset": \([0-9]*\).*/\1/p')
    len=$(LC_ALL=C "$KTSTR_PACK" --inspect "$rf" --json | sed -n 's/.*"payload_length": \([0-9]*\).*/\1/p')
    tail -c +$((off + 1)) "$rf" | head -c "$len" > "$WORK/payload.$fmt"
done
for rep in $(seq "$BENCH_REPS"); do
    rm -f "$WORK/x.tar"
    launch "$WORK/x.tar" "$WORK/err" "$GZIP_BIN" -dc "$WORK/payload.gzip"
    sample "extract/gzip-dc" "$(ms 0 "$L_WALL")"
    if [ -n "$ZSTD_BIN" ]; then
        rm -f "$WORK/x.tar"
        launch "$WORK/x.tar" "$WORK/err" "$ZSTD_BIN" -dc "$WORK/payload.zstd"
        sample "extract/zstd-dc" "$(ms 0 "$L_WALL")"
    fi
    rm -f "$WORK/x.tar"
    for fmt in gzip zstd; do
        rm -rf "$WORK/xd"
        launch "$WORK/out" "$WORK/err" "$WORK/rf-$fmt-64-yes.run" --extract "$WORK/xd"
        [ "$L_STATUS" = 0 ] || { cat "$WORK/err" >&2; die "--extract failed"; }
        sample "extract/stub-$fmt" "$(ms 0 "$L_WALL")"
    done
done
rm -rf "$WORK/xd" "$WORK/x.tar"

log "topology parse (common/topology.c) at 2 and 256 CPUs"
"$MKTOPO" "$WORK/topo-2" $TOPO_SMALL
"$MKTOPO" "$WORK/topo-256" $TOPO_BIG
for cpus in 2 256; do
    line=$("$B/bench-topo" "$WORK/topo-$cpus" 200)
    sample "topo/$cpus" "$(echo "$line" | sed -n 's/.*median_us=\([0-9.]*\).*/\1/p')"
done

log "peak RSS while extracting a 256 MiB payload"
for fmt in gzip zstd; do
    "$KTSTR_PACK" --runner "$WORK/runner-256" --compress "$fmt" -o "$WORK/big-$fmt.run" bench \
        2> "$WORK/pack.err" || { cat "$WORK/pack.err" >&2; die "packing 256 MiB failed"; }
    rm -rf "$WORK/xd"
    launch "$WORK/out" "$WORK/err" "$WORK/big-$fmt.run" --extract "$WORK/xd"
    [ "$L_STATUS" = 0 ] || { cat "$WORK/err" >&2; die "--extract of 256 MiB failed"; }
    sample "rss/$fmt" "$L_RSS"
    # 8 workers, whatever this machine's CPU count: the stub's extraction
    # code called with nthreads=8 (the stub takes its affinity mask's CPUs)
    rm -rf "$WORK/xd" && mkdir "$WORK/xd"
    line=$("$B/bench-extract" "$WORK/big-$fmt.run" 8 "$WORK/xd") ||
        die "bench-extract of 256 MiB failed"
    sample "rss8/$fmt" "$(echo "$line" | sed -n 's/.*vmhwm_kb=\([0-9]*\).*/\1/p')"
    rm -rf "$WORK/xd" "$WORK/big-$fmt.run"
done

log "packing throughput against tar czf (64 MiB set)"
TAR_BIN=$(command -v tar)
mkdir -p "$WORK/pk"
cp "$WORK/runner-64" "$WORK/pk/ktstr"
cp "$FAKE_SCHED" "$WORK/pk/scheduler"
cp "$WORK/conf-yes/sample-test.conf" "$WORK/pk/sample-test.conf"
inbytes=$(cat "$WORK"/pk/* | wc -c)
sample "pack/bytes" "$inbytes"
for rep in $(seq "$BENCH_REPS"); do
    launch /dev/null "$WORK/err" "$KTSTR_PACK" --runner "$WORK/pk/ktstr" \
        --scheduler "$WORK/pk/scheduler" --include "$WORK/pk/sample-test.conf" \
        -o "$WORK/pk.run" bench
    [ "$L_STATUS" = 0 ] || { cat "$WORK/err" >&2; die "ktstr-pack failed"; }
    sample "pack/ktstr-pack" "$(ms 0 "$L_WALL")"
    launch "$WORK/pk.tgz" "$WORK/err" "$TAR_BIN" czf - -C "$WORK/pk" ktstr scheduler \
        sample-test.conf
    sample "pack/tar-czf" "$(ms 0 "$L_WALL")"
done
rm -f "$WORK/pk.run" "$WORK/pk.tgz"

log "inflate micro-benchmark (one core, the 64 MiB payload's chunks)"
for fmt in gzip zstd; do
    "$B/bench-inflate" "$WORK/rf-$fmt-64-yes.run" "$BENCH_REPS" | while read -r line; do
        case "$line" in
        method=*) sample "inflate/$fmt/$(echo "$line" | sed 's/method=\([a-z0-9]*\).*/\1/')" \
                    "$(echo "$line" | sed 's/.*mib_s=//')" ;;
        esac
    done
done

log "sizes"
for fmt in $FORMATS; do
    sample "size/$fmt" "$(stat -c %s "$WORK/rf-$fmt-64-yes.run")"
done
sample "size/stub-stripped" "$(stat -c %s "$BENCH_XCHG/ktstr-stub.stripped")"
sample "size/runner-64" "$(stat -c %s "$WORK/runner-64")"

report > "$BENCH_XCHG/report.md"
