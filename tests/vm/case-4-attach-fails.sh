#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-4-attach-fails.sh - check-vm case 4, run INSIDE the VM (busybox ash):
# a scheduler that cannot attach. scx_simple parses its options with
# getopt("fvh") after opening its skeleton; an unknown option makes it print
# its usage and exit 1 before it loads anything. The runfile must say the
# scheduler "exited before attaching" with that status, exit 1, never start
# the test, and leave a clean host.
#
# Files in /opt (check-vm.sh): badopt.run (sample test + scx_simple with
# --sched-arg=--bogus-option-xyz, record_dir=/tmp/rec).
#
# Exit status: 0 "CASE4: PASS", 1 "CASE4: FAIL: why".
CASE=CASE4
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

LOG=/tmp/rf.log

case_begin
rf_run "$LOG" /opt/badopt.run
expect_rc 1
msg="the scheduler exited before attaching (it exited with status 1)"
expect_verdict "$LOG" "ERROR (attach: $msg)"
expect_line "$LOG" "$RF_NAME: error: $msg"
# the scheduler's own complaint reached the operator (its stderr is passed through)
expect_line "$LOG" "Usage: scheduler"
expect_no_line "$LOG" "running test"
[ ! -e "$REC/test.stamp" ] || fail "the test was started"
[ "$(enable_seq)" = "$SEQ0" ] || fail "enable_seq changed: something attached"
assert_clean_host
pass "scheduler exit status 1 reported before attach, exit 1, clean host"
