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

case_begin
kernel_topology 8/2/2/2/2

# preflight_row OUT CHECK: the HOST column of a --preflight table row
preflight_row() {
    sed -n "s/^$2  *\([0-9][0-9]*\)  *>= [0-9]*  *[a-zA-Z]*\$/\1/p" "$1"
}

# ---- the --preflight table of the runfile that fits -------------------------
rf_run /tmp/pre.log /opt/topo-ok.run --preflight
expect_rc 0
for row in "LLCs $TOPO_LLCS" "NUMA nodes $TOPO_NODES" "cores per LLC $TOPO_CPL" \
    "threads per core $TOPO_TPC"; do
    what=${row% *} val=${row##* }
    have=$(preflight_row /tmp/pre.log "$what")
    [ "$have" = "$val" ] || fail "--preflight: $what = '$have', kernel shows $val"
done
[ "$(enable_seq)" = "$SEQ0" ] || fail "--preflight attached a scheduler"

# ---- needs 2/2/2/2: runs -----------------------------------------------------
rf_run /tmp/ok.log /opt/topo-ok.run
expect_rc 0
expect_verdict /tmp/ok.log PASS
expect_topology /tmp/ok.log
expect_record "$REC/test.result" sched_ok 1
expect_record "$REC/test.result" first_state enabled
expect_record "$REC/test.result" workers_ok 1
seq1=$(enable_seq)
[ "$seq1" = $((SEQ0 + 1)) ] || fail "enable_seq $SEQ0 -> $seq1 for one run"
assert_clean_host

# ---- too much: stopped in the checks, nothing extracted or started ----------
# too_much RUNFILE MESSAGE
too_much() {
    rm -rf "$REC" && mkdir -p "$REC"
    rf_run "/tmp/$1.log" "/opt/$1.run"
    expect_rc 1
    expect_verdict "/tmp/$1.log" "ERROR (checks: $2)"
    expect_line "/tmp/$1.log" "$RF_NAME: error: $2"
    expect_topology "/tmp/$1.log"
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
pass "stub topology = kernel topology ($TOPO_TEXT); 2/2/2/2 runs; 3 LLCs and 4 threads/core refused before extraction"
