#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-2-eevdf.sh - check-vm case 2, run INSIDE the VM (busybox ash): the
# same sample test packed without a scheduler runs under EEVDF: exit 0,
# sched_ext never enabled (the test samples state/ops every 20 ms and
# records it; enable_seq is unchanged), clean host afterwards.
#
# Files in /opt (check-vm.sh): eevdf.run (sample test, no scheduler,
# include/sample-test.conf: expect_sched=none record_dir=/tmp/rec).
#
# Exit status: 0 "CASE2: PASS", 1 "CASE2: FAIL: why".
CASE=CASE2
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

LOG=/tmp/rf.log

case_begin
[ "$SEQ0" != missing ] || fail "$SCX/enable_seq missing"
rf_run "$LOG" /opt/eevdf.run --duration 1
expect_rc 0
expect_verdict "$LOG" PASS
expect_no_line "$LOG" "launching scheduler"
expect_no_line "$LOG" "$RF_NAME: warning:"

expect_samples none disabled ""

seq1=$(enable_seq)
[ "$seq1" = "$SEQ0" ] || fail "enable_seq went from $SEQ0 to $seq1: a scheduler was enabled"
if dmesg | grep -q 'sched_ext: BPF scheduler'; then
    fail "dmesg shows a BPF scheduler: $(dmesg | grep 'sched_ext: BPF scheduler' | head -n 1)"
fi
assert_clean_host
pass "exit 0 under EEVDF, sched_ext disabled in $SAMPLES/$SAMPLES samples, enable_seq $SEQ0 -> $seq1"
