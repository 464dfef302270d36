#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-a64-topology.sh - check-vm-aarch64's topology case, run INSIDE an
# arm64 VM (qemu-system-aarch64 -machine virt, busybox ash) booted with
# --smp 2 --numa 2:
#   - the topology the aarch64 stub reports (its "host topology:" line)
#     equals what this script computes from the kernel's own files, and is
#     what the board gives: 2 CPUs, 1 LLC (without cache nodes in its device
#     tree the arm64 kernel takes every cache level above L1 as shared by
#     all CPUs), 2 cores per LLC, 1 thread per core, 2 NUMA nodes;
#   - a runfile needing exactly that runs (exit 0, EEVDF);
#   - one needing 2 LLCs stops in the checks ("host has 1 LLCs, test
#     needs 2"): exit 1, nothing extracted or started, clean host.
#
# Files in /opt (check-vm-aarch64.sh): topo-ok.run, topo-2llc.run (the
# aarch64 sample test, expect_sched=none, record_dir=/tmp/rec).
#
# Exit status: 0 "A64TOPO: PASS", 1 "A64TOPO: FAIL: why".
CASE=A64TOPO
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

S=/sys/devices/system/cpu
N=/sys/devices/system/node
REC=/tmp/rec

[ "$(uname -m)" = aarch64 ] || fail "this guest is $(uname -m), not aarch64"
assert_no_bash

# cpulist_expand LIST: one CPU number per line ("0-2,5" -> 0 1 2 5)
cpulist_expand() {
    echo "$1" | tr ',' '\n' | while IFS=- read -r _a _b; do
        [ -n "$_a" ] || continue
        _i=$_a
        while [ "$_i" -le "${_b:-$_a}" ]; do echo "$_i"; _i=$((_i + 1)); done
    done
}
rd() { cat "$1" 2>/dev/null; }

# the highest-level unified (or data) cache of a CPU: "LEVEL LIST"
llc_of() {
    _best=0 _list=
    for _i in "$S/cpu$1"/cache/index*; do
        case "$(rd "$_i/type")" in Unified|Data) ;; *) continue ;; esac
        _lv=$(rd "$_i/level")
        if [ "$_lv" -gt "$_best" ]; then _best=$_lv; _list=$(rd "$_i/shared_cpu_list"); fi
    done
    echo "$_best $_list"
}

online=$(rd "$S/online")
ncpu=$(cpulist_expand "$online" | wc -l | tr -d ' ')
llcs= llc_desc= nllc=0 cores= ncore=0
for c in $(cpulist_expand "$online"); do
    # shellcheck disable=SC2046
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
cpl=
for l in $llcs; do
    n=$(for c in $(cpulist_expand "$l"); do rd "$S/cpu$c/topology/thread_siblings_list"; done |
        sort -u | wc -l | tr -d ' ')
    if [ -z "$cpl" ] || [ "$n" -lt "$cpl" ]; then cpl=$n; fi
done
tpc=
for s in $cores; do
    n=$(cpulist_expand "$s" | wc -l | tr -d ' ')
    if [ -z "$tpc" ] || [ "$n" -lt "$tpc" ]; then tpc=$n; fi
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
[ "$ncpu/$nllc/$cpl/$tpc/$nnode" = 2/1/2/1/2 ] ||
    fail "VM topology is cpus/LLCs/cores per LLC/threads/nodes = $ncpu/$nllc/$cpl/$tpc/$nnode, want 2/1/2/1/2"

host_topology_is() {
    _have=$(sed -n "s/^$RF_NAME: host topology: //p" "$1")
    [ "$_have" = "$want" ] || fail "stub reports '$_have', kernel shows '$want'"
}

assert_clean_host
mkdir -p "$REC"
seq0=$(enable_seq)

# ---- needs what the VM has: runs ---------------------------------------------
rf_run /tmp/ok.log /opt/topo-ok.run
expect_rc 0
expect_verdict /tmp/ok.log PASS
host_topology_is /tmp/ok.log
expect_record "$REC/test.result" expect_sched none
expect_record "$REC/test.result" workers_ok 1
assert_clean_host

# ---- needs 2 LLCs: stopped in the checks ----------------------------------------
rm -rf "$REC" && mkdir -p "$REC"
rf_run /tmp/2llc.log /opt/topo-2llc.run
expect_rc 1
expect_verdict /tmp/2llc.log "ERROR (checks: host has 1 LLCs, test needs 2)"
expect_line /tmp/2llc.log "$RF_NAME: error: host has 1 LLCs, test needs 2"
host_topology_is /tmp/2llc.log
[ ! -e "$REC/test.stamp" ] || fail "topo-2llc: the test was started"
[ "$(enable_seq)" = "$seq0" ] || fail "a scheduler was attached"
assert_clean_host
pass "aarch64 stub topology = kernel topology ($want); 2 CPUs/1 LLC/2 nodes runs; 2 LLCs refused"
