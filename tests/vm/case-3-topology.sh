#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-3-topology.sh - check-vm case 3, run INSIDE a VM booted with
# --smp 8,sockets=2,cores=2,threads=2 --numa 2 (busybox ash):
#   - the topology the stub reports (its "host topology:" status line and
#     the --preflight table) equals what this script computes from the
#     kernel's own files: the distinct shared_cpu_list of each CPU's
#     highest-level unified (or data) cache, the distinct
#     thread_siblings_list, node*/cpulist;
#   - a runfile needing 2 LLCs, 2 cores per LLC, 2 threads per core and
#     2 NUMA nodes runs (exit 0, with scx_simple);
#   - one needing 3 LLCs and one needing 4 threads per core stop in the
#     checks, before extraction ("host has 2 LLCs, test needs 3"), and
#     nothing is extracted, started or left behind.
#
# Files in /opt (check-vm.sh): topo-ok.run, topo-3llc.run, topo-4thr.run
# (sample test + scx_simple, expect_sched=simple, record_dir=/tmp/rec).
#
# Exit status: 0 "CASE3: PASS", 1 "CASE3: FAIL: why".
CASE=CASE3
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

S=/sys/devices/system/cpu
N=/sys/devices/system/node
REC=/tmp/rec

# cpulist_expand LIST: one CPU number per line ("0-2,5" -> 0 1 2 5)
cpulist_expand() {
    echo "$1" | tr ',' '\n' | while IFS=- read -r _a _b; do
        [ -n "$_a" ] || continue
        _i=$_a
        while [ "$_i" -le "${_b:-$_a}" ]; do echo "$_i"; _i=$((_i + 1)); done
    done
}
count_cpus() { cpulist_expand "$1" | wc -l | tr -d ' '; }
rd() { cat "$1" 2>/dev/null; }

# llc_of CPU: "LEVEL LIST" of the CPU's highest-level unified (or data) cache
llc_of() {
    _best=0 _list=
    for _i in "$S/cpu$1"/cache/index*; do
        case "$(rd "$_i/type")" in Unified|Data) ;; *) continue ;; esac
        _lv=$(rd "$_i/level")
        if [ "$_lv" -gt "$_best" ]; then _best=$_lv; _list=$(rd "$_i/shared_cpu_list"); fi
    done
    echo "$_best $_list"
}

assert_no_bash
online=$(rd "$S/online")
ncpu=$(count_cpus "$online")
llcs='' llc_desc='' nllc=0 cores='' ncore=0
for c in $(cpulist_expand "$online"); do
    # shellcheck disable=SC2046  # "LEVEL LIST" into $1 $2
    set -- $(llc_of "$c")
    [ -n "${2:-}" ] || fail "cpu$c has no unified/data cache information"
    case " $llcs " in
    *" $2 "*) ;;
    *) llcs="$llcs $2"; nllc=$((nllc + 1)); llc_desc="$llc_desc | L$1: $2" ;;
    esac
    sib=$(rd "$S/cpu$c/topology/thread_siblings_list")
    case " $cores " in
    *" $sib "*) ;;
    *) cores="$cores $sib"; ncore=$((ncore + 1)) ;;
    esac
done
# min cores per LLC: distinct sibling lists among each LLC's CPUs
cpl=
for l in $llcs; do
    n=$(for c in $(cpulist_expand "$l"); do rd "$S/cpu$c/topology/thread_siblings_list"; done |
        sort -u | wc -l | tr -d ' ')
    [ -z "$cpl" ] || [ "$n" -lt "$cpl" ] && cpl=$n
done
tpc=
for s in $cores; do
    n=$(count_cpus "$s")
    [ -z "$tpc" ] || [ "$n" -lt "$tpc" ] && tpc=$n
done
nnode=0 node_desc=
for d in $(ls -d "$N"/node[0-9]* 2>/dev/null | sed 's,.*/node,,' | sort -n); do
    l=$(rd "$N/node$d/cpulist")
    [ -n "$l" ] || continue
    nnode=$((nnode + 1))
    node_desc="$node_desc | node$d: $l"
done
want="$ncpu CPUs online ($online), $nllc LLCs (${llc_desc# | }), $ncore cores,"
want="$want $nnode NUMA nodes (${node_desc# | }), min $cpl cores per LLC, min $tpc threads per core"
echo "kernel topology: $want"
# the premise of the case: qemu gave what was asked for
[ "$ncpu/$nllc/$cpl/$tpc/$nnode" = 8/2/2/2/2 ] ||
    fail "VM topology is cpus/LLCs/cores per LLC/threads/nodes = $ncpu/$nllc/$cpl/$tpc/$nnode, want 8/2/2/2/2"

# host_topology_is LOG: the stub's status line equals the kernel's view
host_topology_is() {
    _have=$(sed -n "s/^$RF_NAME: host topology: //p" "$1")
    [ "$_have" = "$want" ] || fail "stub reports '$_have', kernel shows '$want'"
}
# preflight_row OUT CHECK: the HOST column of a --preflight table row
preflight_row() {
    sed -n "s/^$2  *\([0-9][0-9]*\)  *>= [0-9]*  *[a-zA-Z]*\$/\1/p" "$1"
}

assert_clean_host
mkdir -p "$REC"
seq0=$(enable_seq)

# ---- the --preflight table of the runfile that fits -------------------------
rf_run /tmp/pre.log /opt/topo-ok.run --preflight
expect_rc 0
for row in "LLCs $nllc" "NUMA nodes $nnode" "cores per LLC $cpl" "threads per core $tpc"; do
    what=${row% *} val=${row##* }
    have=$(preflight_row /tmp/pre.log "$what")
    [ "$have" = "$val" ] || fail "--preflight: $what = '$have', kernel shows $val"
done
[ "$(enable_seq)" = "$seq0" ] || fail "--preflight attached a scheduler"

# ---- needs 2/2/2/2: runs -----------------------------------------------------
rf_run /tmp/ok.log /opt/topo-ok.run
expect_rc 0
expect_verdict /tmp/ok.log PASS
host_topology_is /tmp/ok.log
expect_record "$REC/test.result" sched_ok 1
expect_record "$REC/test.result" first_state enabled
expect_record "$REC/test.result" workers_ok 1
seq1=$(enable_seq)
[ "$seq1" = $((seq0 + 1)) ] || fail "enable_seq $seq0 -> $seq1 for one run"
assert_clean_host

# ---- too much: stopped in the checks, nothing extracted or started ----------
# too_much RUNFILE MESSAGE
too_much() {
    rm -rf "$REC" && mkdir -p "$REC"
    rf_run "/tmp/$1.log" "/opt/$1.run"
    expect_rc 1
    expect_verdict "/tmp/$1.log" "ERROR (checks: $2)"
    expect_line "/tmp/$1.log" "$RF_NAME: error: $2"
    host_topology_is "/tmp/$1.log"
    # the phase line shows where it stopped: checks, no extraction
    _ph=$(grep "^$RF_NAME: phases:" "/tmp/$1.log")
    case "$_ph" in
    *" checks "*) ;;
    *) fail "no checks phase in '$_ph'" ;;
    esac
    case "$_ph" in
    *extraction*|*attach*|*" test "*) fail "$1 went past the checks: '$_ph'" ;;
    esac
    expect_no_line "/tmp/$1.log" "launching scheduler"
    [ ! -e "$REC/test.stamp" ] || fail "$1: the test was started"
    [ "$(enable_seq)" = "$seq1" ] || fail "$1: a scheduler was attached"
    assert_clean_host
}
too_much topo-3llc "host has 2 LLCs, test needs 3"
too_much topo-4thr "host has 2 threads per core, test needs 4"
pass "stub topology = kernel topology ($want); 2/2/2/2 runs; 3 LLCs and 4 threads/core refused before extraction"
