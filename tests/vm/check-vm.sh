#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-vm.sh - the real-kernel tier (`make check-vm`): pack runfiles with
# the built ktstr-pack, the static sample test and the cache's static
# scx_simple, and run each case in a FRESH busybox-only VM booted with
# Debian's sched_ext kernel (run-in-vm.sh). Each case is a POSIX-sh guest
# script tests/vm/case-N-*.sh; each asserts that the guest has no bash.
#
# Usage: check-vm.sh [options] [CASE...]     (CASE: 1..8; default all)
#
# Options (and environment):
#   --cache DIR    VM cache (VM_CACHE; default /var/tmp/ktstr-vm), filled or
#                  refreshed first with build-cache.sh (needs root; without
#                  root an already complete cache is used as is)
#   --pack PATH    ktstr-pack (KTSTR_PACK; default ./ktstr-pack)
#   --sample PATH  static sample test (SAMPLE_TEST; default
#                  ./tests/helpers/sample-test)
#   --mkbashrun PATH  the bash-format fixture generator for case 7 (MKBASHRUN;
#                  default ./tests/helpers/mkbashrun)
#   --out DIR      runfiles and console logs (default ./check-vm.d,
#                  emptied first); DIR/case-N.log is each case's console
#   --timeout SEC  per-VM limit (default 180)
#   -h, --help     this text
#
# Cases (tests/vm/case-*.sh; the headers say what each checks):
#   1 sample test + scx_simple: PASS, enabled with ops "simple" throughout,
#     then detached, no cgroups, no temp dir, no process left
#   2 the same test under EEVDF: PASS, sched_ext never enabled
#   3 2 sockets x 2 cores x 2 threads, 2 NUMA nodes: stub topology equals
#     the kernel's; 2/2/2/2 runs; 3 LLCs / 4 threads per core refused
#   4 scx_simple with an unknown option: "exited before attaching", exit 1
#   5 scx_simple already attached: refused naming "simple", it stays attached
#   6 SIGTERM to the runfile mid-test: everything stopped and removed
#   7 the bash-format runfile of the same test (mkbashrun) fails for lack
#     of bash; the runfile converted by `ktstr-pack --from-run` passes
#   8 a SIGTERM-proof task moved into the test's cgroup: killed (cgroup.kill)
#     and the tree removed by the runfile's cleanup
#
# Output: one line per case "case N NAME: PASS|FAIL  boot Xs  attach Y ms
# VM Zs" (boot: uptime when the guest /init starts; attach: the stub's
# attach phase in the case's first run that had one, from starting the
# scheduler to state "enabled" or to its early exit; VM: run-in-vm.sh wall
# time, initramfs to power-off), then a summary with the total wall time.
#
# Exit status: 0 every case passed, or the whole tier was
# skipped ("check-vm: SKIP: why", e.g. the Debian archive is unreachable and
# there is no cache); 1 a case failed; 2 usage or setup error.
set -euo pipefail

me=${0##*/}
here=$(dirname "$(readlink -f "$0")")
VM_ARCH=
CASE_FMT='case %s %-16s'
# shellcheck source-path=SCRIPTDIR source=host-lib.sh
. "$here/host-lib.sh"

CACHE=${VM_CACHE:-/var/tmp/ktstr-vm}
PACK=${KTSTR_PACK:-$PWD/ktstr-pack}
SAMPLE=${SAMPLE_TEST:-$PWD/tests/helpers/sample-test}
MKBASHRUN=${MKBASHRUN:-$PWD/tests/helpers/mkbashrun}
OUT=$PWD/check-vm.d
TIMEOUT=180
while [ $# -gt 0 ]; do
    case "$1" in
    --cache)   CACHE=${2:?--cache needs a value}; shift 2 ;;
    --pack)    PACK=${2:?--pack needs a value}; shift 2 ;;
    --sample)  SAMPLE=${2:?--sample needs a value}; shift 2 ;;
    --mkbashrun) MKBASHRUN=${2:?--mkbashrun needs a value}; shift 2 ;;
    --out)     OUT=${2:?--out needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    -h|--help) usage 0 ;;
    -*)        echo "$me: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)         break ;;
    esac
done
CASES=${*:-1 2 3 4 5 6 7 8}
for c in $CASES; do [[ $c =~ ^[1-8]$ ]] || die "unknown case '$c' (1..8)"; done
[ -x "$PACK" ] || die "no ktstr-pack at $PACK (build first, or --pack)"
[ -x "$SAMPLE" ] || die "no sample test at $SAMPLE (build first, or --sample)"
T_START=$(date +%s.%N)

# ---- the cache: kernel, scx_simple, busybox ---------------------------------
vm_cache "real-kernel tier" build-cache.sh

# ---- runfiles ------------------------------------------------------------------
sample_confs
# scx_simple attaches in 1-3 s under TCG, but a loaded CI host can stretch
# that past the default 10 s: the cases test behaviour, not speed
SCX=(--scheduler "$CACHE/scx_simple" --attach-timeout 60)
pack sample.run simple "${SCX[@]}"
pack eevdf.run none
pack topo-ok.run simple "${SCX[@]}" --llcs 2 --cores-per-llc 2 --threads-per-core 2 --numa-nodes 2
pack topo-3llc.run simple "${SCX[@]}" --llcs 3
pack topo-4thr.run simple "${SCX[@]}" --threads-per-core 4
pack badopt.run simple "${SCX[@]}" --sched-arg=--bogus-option-xyz

# ---- case 7: the same test in the bash format, and its conversion --------------
# mkbashrun (tests/helpers/mkbashrun.c, the conversion tests' fixture
# generator) writes the `cargo ktstr export` 0.6.0 format.
case7_missing=
if [[ " $CASES " == *" 7 "* ]]; then
    [ -x "$MKBASHRUN" ] || case7_missing="no fixture generator at $MKBASHRUN (make tests/helpers/mkbashrun)"
    # not `--help | grep -q` under pipefail: grep may exit before the last
    # write, and the SIGPIPE fails the pipeline
    grep -q -- '--from-run' <<< "$("$PACK" --help 2>/dev/null)" ||
        case7_missing="${case7_missing:+$case7_missing; }$PACK has no --from-run"
fi
if [[ " $CASES " == *" 7 "* ]] && [ -z "$case7_missing" ]; then
    "$MKBASHRUN" -o "$OUT/rf/sample-bash.run" --name sample --runner "$SAMPLE" \
        --include "$OUT/conf-simple/sample-test.conf" --scheduler "$CACHE/scx_simple" \
        --sched-name scx_simple > "$OUT/pack.log" 2>&1 ||
        { cat "$OUT/pack.log" >&2; die "mkbashrun failed"; }
    "$PACK" --from-run "$OUT/rf/sample-bash.run" -o "$OUT/rf/converted.run" > "$OUT/pack.log" 2>&1 ||
        { cat "$OUT/pack.log" >&2; die "ktstr-pack --from-run failed"; }
fi

echo "$me: kernel $KREL; runfiles packed in $OUT/rf: $(cd "$OUT/rf" && echo *)"

# ---- one fresh VM per case -------------------------------------------------------
RF=$OUT/rf
declare -A NAME ARGS FILES
NAME[1]=scx-simple       FILES[1]="$RF/sample.run"
NAME[2]=eevdf            FILES[2]="$RF/eevdf.run"
NAME[3]=topology         FILES[3]="$RF/topo-ok.run $RF/topo-3llc.run $RF/topo-4thr.run"
ARGS[3]="--smp 8,sockets=2,cores=2,threads=2 --numa 2"
NAME[4]=attach-fails     FILES[4]="$RF/badopt.run"
NAME[5]=other-scheduler  FILES[5]="$RF/sample.run $CACHE/scx_simple"
NAME[6]=sigterm          FILES[6]="$RF/sample.run"
NAME[7]=bash-runfile     FILES[7]="$RF/sample-bash.run $RF/converted.run"
NAME[8]=leaked-task      FILES[8]="$RF/eevdf.run"

for c in $CASES; do
    name=${NAME[$c]}
    if [ "$c" = 7 ] && [ -n "$case7_missing" ]; then
        VM_LINES+=("$(printf 'case 7 %-16s FAIL  (%s)' "$name:" "$case7_missing")")
        echo "$me: case 7: FAIL: $case7_missing"
        VM_FAILED=$((VM_FAILED + 1))
        continue
    fi
    script=$(find "$here" -maxdepth 1 -name "case-$c-*.sh" | sort | head -n 1)
    [ -n "$script" ] || die "no guest script tests/vm/case-$c-*.sh"
    vm_case "$c" "$name" "$script" "CASE$c" "${ARGS[$c]:-}" "${FILES[$c]}"
done
vm_summary
