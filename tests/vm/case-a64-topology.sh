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

[ "$(uname -m)" = aarch64 ] || fail "this guest is $(uname -m), not aarch64"
case_begin
kernel_topology 2/1/2/1/2

# ---- needs what the VM has: runs ---------------------------------------------
rf_run /tmp/ok.log /opt/topo-ok.run
expect_rc 0
expect_verdict /tmp/ok.log PASS
expect_topology /tmp/ok.log
expect_record "$REC/test.result" expect_sched none
expect_record "$REC/test.result" workers_ok 1
assert_clean_host

# ---- needs 2 LLCs: stopped in the checks ----------------------------------------
rm -rf "$REC" && mkdir -p "$REC"
rf_run /tmp/2llc.log /opt/topo-2llc.run
expect_rc 1
expect_verdict /tmp/2llc.log "ERROR (checks: host has 1 LLCs, test needs 2)"
expect_line /tmp/2llc.log "$RF_NAME: error: host has 1 LLCs, test needs 2"
expect_topology /tmp/2llc.log
[ ! -e "$REC/test.stamp" ] || fail "topo-2llc: the test was started"
[ "$(enable_seq)" = "$SEQ0" ] || fail "a scheduler was attached"
assert_clean_host
pass "aarch64 stub topology = kernel topology ($TOPO_TEXT); 2 CPUs/1 LLC/2 nodes runs; 2 LLCs refused"
