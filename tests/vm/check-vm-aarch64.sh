#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-vm-aarch64.sh - the real-kernel tier on aarch64 (`make
# check-vm-aarch64`): pack runfiles with the built ktstr-pack (which picks
# its cross-built aarch64 stub from the runner's ELF machine), the static
# aarch64 sample test and the arm64 cache's static scx_simple, and run each
# case in a fresh busybox-only arm64 VM (run-in-vm.sh --arch aarch64:
# qemu-system-aarch64 -machine virt under TCG) booted with Debian's arm64
# sched_ext kernel.
#
# Usage: check-vm-aarch64.sh [options] [CASE...]    (CASE: 1, topo; default both)
#
# Options (and environment):
#   --cache DIR    arm64 VM cache (VM_CACHE_ARM64; default
#                  /var/tmp/ktstr-vm-arm64), filled or refreshed first with
#                  build-cache-arm64.sh (needs root; without root an already
#                  complete cache is used as is)
#   --amd64-cache DIR  the x86_64 cache build-cache-arm64.sh refreshes on
#                  the way (AMD64_CACHE; default /var/tmp/ktstr-vm)
#   --pack PATH    ktstr-pack with an aarch64 stub (KTSTR_PACK; default
#                  ./ktstr-pack)
#   --sample PATH  static aarch64 sample test (default
#                  ./tests/helpers/aarch64/sample-test)
#   --out DIR      runfiles and console logs (default
#                  ./tests/vm/check-vm-aarch64.d, emptied first)
#   --timeout SEC  per-VM limit (default 300)
#   -h, --help     this text
#
# Cases:
#   1    tests/vm/case-1-scx-simple.sh, the x86_64 tier's case 1 as it is:
#        the sample test with scx_simple passes, sched_ext enabled with ops
#        "simple" throughout, then detached; no cgroup, temp dir or process
#        left
#   topo tests/vm/case-a64-topology.sh in a VM with --smp 2 --numa 2: the
#        stub's topology equals the kernel's; a runfile needing it runs, one
#        needing 2 LLCs is refused ("host has 1 LLCs, test needs 2")
#
# Output: one line per case "case N NAME: PASS|FAIL  boot Xs  attach Y ms
# VM Zs", then a summary.
#
# Exit status: 0 every case passed, or the tier was skipped
# ("check-vm-aarch64: SKIP: why": no aarch64 stub in ktstr-pack, or the
# Debian archive is unreachable and there is no cache); 1 a case failed;
# 2 usage or setup error.
set -euo pipefail

me=${0##*/}
here=$(dirname "$(readlink -f "$0")")
die() { echo "$me: error: $*" >&2; exit 2; }
usage() {
    sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
    exit "${1:-0}"
}

CACHE=${VM_CACHE_ARM64:-/var/tmp/ktstr-vm-arm64}
AMD64_CACHE=${AMD64_CACHE:-/var/tmp/ktstr-vm}
PACK=${KTSTR_PACK:-$PWD/ktstr-pack}
SAMPLE=$PWD/tests/helpers/aarch64/sample-test
OUT=$PWD/tests/vm/check-vm-aarch64.d
TIMEOUT=300
while [ $# -gt 0 ]; do
    case "$1" in
    --cache)       CACHE=${2:?--cache needs a value}; shift 2 ;;
    --amd64-cache) AMD64_CACHE=${2:?--amd64-cache needs a value}; shift 2 ;;
    --pack)        PACK=${2:?--pack needs a value}; shift 2 ;;
    --sample)      SAMPLE=${2:?--sample needs a value}; shift 2 ;;
    --out)         OUT=${2:?--out needs a value}; shift 2 ;;
    --timeout)     TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    -h|--help)     usage 0 ;;
    -*)            echo "$me: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)             break ;;
    esac
done
CASES=${*:-1 topo}
for c in $CASES; do case $c in 1|topo) ;; *) die "unknown case '$c' (1, topo)" ;; esac; done
[ -x "$PACK" ] || die "no ktstr-pack at $PACK (build first, or --pack)"
if ! "$PACK" --version | grep -q 'stubs:.*aarch64'; then
    echo "$me: SKIP: $PACK has no aarch64 stub (configure --enable-stubs=x86_64,aarch64)"
    exit 0
fi
[ -x "$SAMPLE" ] || die "no aarch64 sample test at $SAMPLE (make check builds it, or --sample)"
T_START=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# ---- the cache: arm64 kernel, scx_simple, busybox -------------------------------
cache_complete() {
    [ -f "$CACHE/versions.env" ] && [ -s "$CACHE/vmlinuz" ] && [ -x "$CACHE/busybox" ] &&
        [ -x "$CACHE/scx_simple" ]
}
rm -rf "$OUT"
mkdir -p "$OUT"
if [ "$(id -u)" = 0 ]; then
    echo "$me: VM cache $CACHE (build-cache-arm64.sh, log in $OUT/build-cache.log)"
    set +e
    AMD64_CACHE=$AMD64_CACHE "$here/build-cache-arm64.sh" "$CACHE" 2>&1 | tee "$OUT/build-cache.log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" = 77 ]; then
        reason=$(sed -n 's/.*SKIP: //p' "$OUT/build-cache.log" | tail -n 1)
        echo "$me: SKIP: the aarch64 tier needs its VM cache: ${reason:-exit 77}"
        exit 0
    fi
    if [ "$rc" != 0 ]; then
        echo "$me: FAIL: build-cache-arm64.sh failed (exit $rc): $(tail -n 1 "$OUT/build-cache.log")"
        exit 1
    fi
elif cache_complete; then
    echo "$me: not root: using the VM cache $CACHE as it is (not refreshed)"
else
    echo "$me: SKIP: no complete VM cache at $CACHE and building it needs root"
    exit 0
fi
cache_complete || die "the cache $CACHE is incomplete after build-cache-arm64.sh"
T_CACHE=$(elapsed "$T_START")
# shellcheck disable=SC1091
KREL=$(. "$CACHE/versions.env" && echo "$KREL")

# ---- runfiles: ktstr-pack chooses the aarch64 stub by itself ------------------------
mkdir -p "$OUT/rf" "$OUT/conf-simple" "$OUT/conf-none"
printf '%s\n' expect_sched=simple record_dir=/tmp/rec > "$OUT/conf-simple/sample-test.conf"
printf '%s\n' expect_sched=none record_dir=/tmp/rec > "$OUT/conf-none/sample-test.conf"
pack() {
    local out=$1 conf=$2 arch
    shift 2
    "$PACK" --runner "$SAMPLE" --include "$OUT/conf-$conf/sample-test.conf" \
        -o "$OUT/rf/$out" "$@" sample > "$OUT/pack.log" 2>&1 ||
        { cat "$OUT/pack.log" >&2; die "ktstr-pack failed for $out"; }
    arch=$("$PACK" --inspect "$OUT/rf/$out" | sed -n 's/^stub: .* bytes, //p')
    [ "$arch" = aarch64 ] || die "$out carries a stub for '$arch', not aarch64"
}
pack sample.run simple --scheduler "$CACHE/scx_simple"
pack topo-ok.run none --numa-nodes 2 --llcs 1 --cores-per-llc 2 --threads-per-core 1
pack topo-2llc.run none --llcs 2
echo "$me: kernel $KREL; aarch64 runfiles packed in $OUT/rf"

# ---- one fresh VM per case --------------------------------------------------------
RF=$OUT/rf
declare -A NAME SCRIPT ARGS FILES
NAME[1]=scx-simple   SCRIPT[1]=case-1-scx-simple.sh   FILES[1]="$RF/sample.run"
NAME[topo]=topology  SCRIPT[topo]=case-a64-topology.sh
ARGS[topo]="--smp 2 --numa 2"  FILES[topo]="$RF/topo-ok.run $RF/topo-2llc.run"

failed=0 lines=()
for c in $CASES; do
    name=${NAME[$c]} script=$here/${SCRIPT[$c]}
    [ -r "$script" ] || die "no guest script $script"
    echo
    echo "==== aarch64 case $c $name: ${SCRIPT[$c]}"
    log=$OUT/case-$c.log
    t0=$(date +%s.%N)
    rc=0
    # shellcheck disable=SC2086  # ARGS and FILES are word lists
    "$here/run-in-vm.sh" --arch aarch64 --timeout "$TIMEOUT" ${ARGS[$c]:-} --log "$log" \
        "$CACHE" "$script" ${FILES[$c]} < /dev/null || rc=$?
    wall=$(elapsed "$t0")
    clean=$(tr -d '\r' < "$log" 2>/dev/null || true)
    boot=$(sed -n 's/^VM-BOOT: .* uptime=\([0-9.]*\)s$/\1/p' <<< "$clean" | tail -n 1)
    attach=$(sed -n 's/^[^ ]*: phases: .* attach \([0-9.]*\) ms,.*/\1/p' <<< "$clean" | head -n 1)
    verdict=$(grep -E "^(CASE1|A64TOPO): (PASS|FAIL)" <<< "$clean" | tail -n 1 || true)
    if [ "$rc" = 0 ]; then res=PASS; else res=FAIL; failed=$((failed + 1)); fi
    line=$(printf 'case %-4s %-12s %s  boot %5ss  attach %8s ms  VM %5ss' "$c" "$name:" "$res" \
        "${boot:--}" "${attach:--}" "$wall")
    [ "$res" = PASS ] || line="$line  (run-in-vm.sh exit $rc: ${verdict:-no verdict line}; see $log)"
    lines+=("$line")
    echo "$me: $line"
done

echo
echo "==== check-vm-aarch64 summary (kernel $KREL, cache ${T_CACHE}s, total $(elapsed "$T_START")s)"
printf '%s\n' "${lines[@]}"
if [ "$failed" -gt 0 ]; then
    echo "$me: FAIL: $failed case(s) failed"
    exit 1
fi
echo "$me: PASS"
