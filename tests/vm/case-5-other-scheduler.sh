#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-5-other-scheduler.sh - check-vm case 5, run INSIDE the VM (busybox
# ash): another sched_ext scheduler is already attached (this script starts
# scx_simple itself and waits for "enabled"). The runfile must refuse in its
# checks, naming "simple", and leave that scheduler untouched: same process
# still running, state still enabled, ops still "simple", no new enable.
# Then this script stops it and checks the host is clean.
#
# Files in /opt (check-vm.sh): sample.run (sample test + scx_simple,
# record_dir=/tmp/rec), scx_simple.
#
# Exit status: 0 "CASE5: PASS", 1 "CASE5: FAIL: why".
CASE=CASE5
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

RF=/opt/sample.run
LOG=/tmp/rf.log

pid=
# shellcheck disable=SC2317  # run by fail() through $ON_FAIL
stop_first() {
    [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
}
ON_FAIL=stop_first

case_begin
/opt/scx_simple > /tmp/first.log 2>&1 < /dev/null &
pid=$!
ms=$(wait_state enabled 30000) || fail "the first scx_simple did not attach (state $(sched_state))"
echo "first scheduler (pid $pid) enabled after $ms ms"
[ "$(cat "$SCX/root/ops")" = simple ] || fail "root/ops is '$(cat "$SCX/root/ops")'"
seq_first=$(enable_seq)

rf_run "$LOG" "$RF"
expect_rc 1
msg="another sched_ext scheduler 'simple' is already attached (state=enabled)"
expect_verdict "$LOG" "ERROR (checks: $msg)"
expect_line "$LOG" "$RF_NAME: error: $msg"
expect_no_line "$LOG" "launching scheduler"
[ ! -e "$REC/test.stamp" ] || fail "the test was started"
[ ! -e /sys/fs/cgroup/ktstr ] || fail "/sys/fs/cgroup/ktstr exists"
for d in /tmp/ktstr-run*; do [ ! -e "$d" ] || fail "$d exists"; done

# the first scheduler is untouched
kill -0 "$pid" 2>/dev/null || fail "the first scheduler (pid $pid) is gone"
[ "$(sched_state)" = enabled ] || fail "state is $(sched_state), want enabled"
[ "$(cat "$SCX/root/ops")" = simple ] || fail "root/ops is now '$(cat "$SCX/root/ops")'"
[ "$(enable_seq)" = "$seq_first" ] || fail "enable_seq went from $seq_first to $(enable_seq)"
sleep 1
kill -0 "$pid" 2>/dev/null || fail "the first scheduler died after the runfile ran"
[ "$(sched_state)" = enabled ] || fail "state is $(sched_state) a second later"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "the first scheduler exited $rc on SIGTERM"
wait_state disabled 10000 > /dev/null || fail "state $(sched_state) after the first scheduler ended"
grep -q 'local=' /tmp/first.log || fail "the first scheduler printed no stats: $(cat /tmp/first.log)"
assert_clean_host
pass "refused naming 'simple'; the first scheduler kept running and attached"
