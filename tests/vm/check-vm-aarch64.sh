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
#                  ./check-vm-aarch64.d, emptied first)
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
VM_ARCH=aarch64
CASE_FMT='case %-4s %-12s'
# shellcheck source-path=SCRIPTDIR source=host-lib.sh
. "$here/host-lib.sh"

CACHE=${VM_CACHE_ARM64:-/var/tmp/ktstr-vm-arm64}
AMD64_CACHE=${AMD64_CACHE:-/var/tmp/ktstr-vm}
PACK=${KTSTR_PACK:-$PWD/ktstr-pack}
SAMPLE=$PWD/tests/helpers/aarch64/sample-test
OUT=$PWD/check-vm-aarch64.d
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
if ! grep -q 'stubs:.*aarch64' <<< "$("$PACK" --version)"; then
    echo "$me: SKIP: $PACK has no aarch64 stub (configure --enable-stubs=x86_64,aarch64)"
    exit 0
fi
[ -x "$SAMPLE" ] || die "no aarch64 sample test at $SAMPLE (make check builds it, or --sample)"
T_START=$(date +%s.%N)

# ---- the cache: arm64 kernel, scx_simple, busybox -------------------------------
vm_cache "aarch64 tier" build-cache-arm64.sh AMD64_CACHE="$AMD64_CACHE"

# ---- runfiles: ktstr-pack chooses the aarch64 stub by itself ------------------------
sample_confs
# as check-vm.sh: TCG (slower still for arm64) on a loaded host can stretch
# scx_simple's attach past the default 10 s
pack sample.run simple --scheduler "$CACHE/scx_simple" --attach-timeout 60
pack topo-ok.run none --numa-nodes 2 --llcs 1 --cores-per-llc 2 --threads-per-core 1
pack topo-2llc.run none --llcs 2
echo "$me: kernel $KREL; aarch64 runfiles packed in $OUT/rf"

# ---- one fresh VM per case --------------------------------------------------------
RF=$OUT/rf
declare -A NAME SCRIPT VERDICT ARGS FILES
NAME[1]=scx-simple   SCRIPT[1]=case-1-scx-simple.sh   VERDICT[1]=CASE1  FILES[1]="$RF/sample.run"
NAME[topo]=topology  SCRIPT[topo]=case-a64-topology.sh  VERDICT[topo]=A64TOPO
ARGS[topo]="--smp 2 --numa 2"  FILES[topo]="$RF/topo-ok.run $RF/topo-2llc.run"

for c in $CASES; do
    script=$here/${SCRIPT[$c]}
    [ -r "$script" ] || die "no guest script $script"
    vm_case "$c" "${NAME[$c]}" "$script" "${VERDICT[$c]}" "${ARGS[$c]:-}" "${FILES[$c]}"
done
vm_summary
