#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-topology.sh - the frozen topology against synthetic sysfs trees:
# every short dimension reported as "host has X <thing>, test needs Y",
# counted over online CPUs, as minimums over all LLCs and cores.
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

# pack_topo NODES LLCS CORES THREADS: an EEVDF runfile needing that
pack_topo() {
    pack "$WORK/t.run" --numa-nodes "$1" --llcs "$2" --cores-per-llc "$3" \
        --threads-per-core "$4"
}

expect_pass() {
    expect_rc 0
    expect_err "t.run: PASS"
    [ -s "$HDIR/test.argv" ] || fail "the test did not run"
    expect_clean
}

# expect_short "LINE"...: exactly these topology errors, in this order,
# then the verdict naming the first; nothing extracted or run
expect_short() {
    local got want
    expect_rc 1
    got=$(grep -E '^t\.run: error: host has ' "$ERR" || true)
    want=$(printf 't.run: error: %s\n' "$@")
    [ "$got" = "$want" ] || fail "topology errors:
$got
      expected:
$want"
    expect_verdict "t.run: ERROR (checks: $1)"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# 2 NUMA nodes x 2 LLCs each x 2 cores x 2 threads: 16 CPUs
topo_2x2x2x2() { topo_setup --nodes 2 --llcs 4 --cores 2 --threads 2; }

case_2x2x2x2_fits() {
    topo_2x2x2x2
    pack_topo 2 4 2 2
    run_rf "$WORK/t.run"
    expect_err "t.run: host topology: 16 CPUs online (0-15), 4 LLCs (L3: 0-3 | L3: 4-7 | L3: 8-11 | L3: 12-15), 8 cores, 2 NUMA nodes (node0: 0-7 | node1: 8-15), min 2 cores per LLC, min 2 threads per core"
    expect_pass
}

case_each_shortfall() {
    topo_2x2x2x2
    pack_topo 2 5 2 2
    run_rf "$WORK/t.run"
    expect_short "host has 4 LLCs, test needs 5"
    pack_topo 3 4 2 2
    run_rf "$WORK/t.run"
    expect_short "host has 2 NUMA nodes, test needs 3"
    pack_topo 2 4 3 2
    run_rf "$WORK/t.run"
    expect_short "host has 2 cores per LLC, test needs 3"
    pack_topo 2 4 2 3
    run_rf "$WORK/t.run"
    expect_short "host has 2 threads per core, test needs 3"
}

case_all_short_at_once() {
    topo_2x2x2x2
    pack_topo 4 8 4 4
    run_rf "$WORK/t.run" --quiet
    expect_short "host has 4 LLCs, test needs 8" "host has 2 NUMA nodes, test needs 4" \
        "host has 2 cores per LLC, test needs 4" "host has 2 threads per core, test needs 4"
}

case_two_short() {
    topo_2x2x2x2
    pack_topo 1 6 1 4
    run_rf "$WORK/t.run"
    expect_short "host has 4 LLCs, test needs 6" "host has 2 threads per core, test needs 4"
}

# offline CPUs do not count: one offline sibling leaves a 1-thread core
# (in the second LLC: cpu0's core and LLC are whole)
case_offline_thread() {
    topo_setup --nodes 1 --llcs 2 --cores 2 --threads 2 --offline 5
    pack_topo 1 2 2 2
    run_rf "$WORK/t.run"
    expect_short "host has 1 threads per core, test needs 2"
    expect_err "t.run: host topology: 7 CPUs online (0-4,6-7)"
    pack_topo 1 2 2 1
    run_rf "$WORK/t.run"
    expect_pass
}

# a whole offline LLC, and a node whose CPUs are all offline
case_offline_llc_and_node() {
    topo_setup --nodes 2 --llcs 2 --cores 2 --threads 1 --offline 2-3
    pack_topo 2 2 2 1
    run_rf "$WORK/t.run"
    expect_short "host has 1 LLCs, test needs 2" "host has 1 NUMA nodes, test needs 2"
    pack_topo 1 1 2 1
    run_rf "$WORK/t.run"
    expect_pass
}

# unequal LLCs: the minimum counts, whichever LLC cpu0 is in
case_unequal_llcs() {
    topo_setup --nodes 1 --llc-cores 3,2 --threads 1
    pack_topo 1 2 3 1
    run_rf "$WORK/t.run"
    expect_short "host has 2 cores per LLC, test needs 3"
    topo_setup --nodes 1 --llc-cores 2,3,4 --threads 2
    run_rf "$WORK/t.run"
    expect_short "host has 2 cores per LLC, test needs 3"
    pack_topo 1 3 2 2
    run_rf "$WORK/t.run"
    expect_err "min 2 cores per LLC, min 2 threads per core"
    expect_pass
}

case_no_cache_info() {
    topo_setup --nodes 1 --llcs 1 --cores 2 --threads 1 --no-cache
    pack_topo 1 1 1 1
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: topology: no cache information in sysfs for cpu0 ("
    expect_err "): cannot count LLCs"
    # a cache directory without any unified or data cache says so too
    topo_setup --nodes 1 --llcs 1 --cores 2 --threads 1 --l3-type Instruction
    rm -r /sys/devices/system/cpu/cpu*/cache/index[02]
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: topology: no cache information in sysfs for cpu0 (cpu/cpu0/cache has no unified or data cache): cannot count LLCs"
    expect_verdict_prefix "t.run: ERROR (checks: topology: no cache information in sysfs for cpu0 "
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# no node/ directory (a kernel without NUMA): one node
case_no_numa_dir() {
    topo_setup --nodes 1 --llcs 1 --cores 2 --threads 1 --no-node
    pack_topo 2 1 1 1
    run_rf "$WORK/t.run"
    expect_short "host has 1 NUMA nodes, test needs 2"
    pack_topo 1 1 2 1
    run_rf "$WORK/t.run"
    expect_pass
}

run_case 2x2x2x2-fits case_2x2x2x2_fits
run_case each-shortfall case_each_shortfall
run_case all-short-at-once case_all_short_at_once
run_case two-short case_two_short
run_case offline-thread case_offline_thread
run_case offline-llc-and-node case_offline_llc_and_node
run_case unequal-llcs case_unequal_llcs
run_case no-cache-info case_no_cache_info
run_case no-numa-dir case_no_numa_dir
finish
