#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-1-scx-simple.sh - check-vm case 1, run INSIDE the VM (busybox ash):
# the sample test packed with the real scx_simple passes, sched_ext was
# enabled with root/ops "simple" for the whole test (the sample test samples
# it every 20 ms and records the result), and afterwards the scheduler has
# detached cleanly, the cgroups, the extraction directory and every process
# of the run are gone.
#
# Files in /opt (check-vm.sh): sample.run (sample test + scx_simple,
# include/sample-test.conf: expect_sched=simple record_dir=/tmp/rec).
#
# Exit status: 0 "CASE1: PASS", 1 "CASE1: FAIL: why".
CASE=CASE1
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

LOG=/tmp/rf.log

case_begin
rf_run "$LOG" /opt/sample.run --duration 1
expect_rc 0
expect_verdict "$LOG" PASS
expect_line "$LOG" "$RF_NAME: scheduler scx_simple attached"
expect_no_line "$LOG" "$RF_NAME: warning:"

# what the test saw while it ran: sampled as soon as it started (on this
# kernel root/ops is set while state is still "enabling": starting the test
# then would be too early) and then every 20 ms for 1 s
expect_samples simple enabled simple
# the contract's argv, and the extraction directory it ran from
argv=$(tr '\0' ' ' < "$REC/test.argv")
case "$argv" in
/tmp/ktstr-run-*/ktstr\ run\ --ktstr-test-fn\ sample\ --duration\ 1\ ) ;;
*) fail "test argv: '$argv'" ;;
esac
dir=${argv%%/ktstr *}
[ ! -e "$dir" ] || fail "extraction directory $dir still exists"

# after the run: detached by the stub (SIGTERM -> the scheduler unregisters)
[ "$(sched_state)" = disabled ] || fail "state is $(sched_state) after the run"
ops=$(cat "$SCX/root/ops" 2>/dev/null)
[ -z "$ops" ] || fail "root/ops is '$ops' after the run"
seq1=$(enable_seq)
[ "$seq1" = $((SEQ0 + 1)) ] || fail "enable_seq went from $SEQ0 to $seq1, want one attach"
dmesg | grep -q 'sched_ext: BPF scheduler "simple" disabled (unregistered from user space)' ||
    fail "dmesg does not show a clean unregistration: $(dmesg | grep sched_ext | tail -n 2)"
assert_clean_host
pass "exit 0, state enabled + ops simple in $SAMPLES/$SAMPLES samples, detached and clean"
