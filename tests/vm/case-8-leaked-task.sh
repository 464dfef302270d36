#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-8-leaked-task.sh - check-vm case 8, run INSIDE the VM (busybox ash):
# a task left in the test's cgroup tree is killed and the tree removed. While
# the EEVDF sample test runs, this script moves a busy loop that ignores
# SIGTERM/SIGHUP/SIGINT, and is no child of the test or of the runfile (so
# neither signals nor PR_SET_PDEATHSIG reach it), into
# /sys/fs/cgroup/ktstr/a: the test's rmdir of its cgroups then fails, and
# only the runfile's cleanup (cgroup.kill, on a real kernel) can empty them.
# Want: exit 0, the loop killed by SIGKILL, /sys/fs/cgroup/ktstr gone, no
# warning, clean host.
#
# Files in /opt (check-vm.sh): eevdf.run (sample test, no scheduler,
# expect_sched=none record_dir=/tmp/rec).
#
# Exit status: 0 "CASE8: PASS", 1 "CASE8: FAIL: why".
CASE=CASE8
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

LOG=/tmp/rf.log

lpid=
# shellcheck disable=SC2317  # run by fail() through $ON_FAIL
on_fail() {
    rf_stop
    [ -z "$lpid" ] || kill -KILL "$lpid" 2>/dev/null
}
ON_FAIL=on_fail

case_begin
rf_start "$LOG" /opt/eevdf.run --duration 2
rf_wait_for "the test made /sys/fs/cgroup/ktstr/a" [ -r /sys/fs/cgroup/ktstr/a/cgroup.procs ]
sh -c 'trap "" TERM HUP INT; while :; do :; done' &
lpid=$!
echo "$lpid" > /sys/fs/cgroup/ktstr/a/cgroup.procs || fail "cannot move $lpid into ktstr/a"
grep -qx "$lpid" /sys/fs/cgroup/ktstr/a/cgroup.procs || fail "$lpid is not in ktstr/a"
echo "moved a SIGTERM-proof busy loop (pid $lpid) into /sys/fs/cgroup/ktstr/a"

rf_wait
cat "$LOG"
expect_rc 0
expect_verdict "$LOG" PASS
expect_no_line "$LOG" "$RF_NAME: warning:"
expect_record "$REC/test.result" sched_ok 1
# the runfile has exited: the loop must be dead already (bounded: a
# surviving loop must fail the case, not hang it)
kill -0 "$lpid" 2>/dev/null && sleep 1
kill -0 "$lpid" 2>/dev/null && fail "the leaked loop (pid $lpid) is still alive"
wait "$lpid"
lrc=$?
lpid=
[ "$lrc" = 137 ] || fail "the leaked loop ended with status $lrc, want 137 (SIGKILL)"
[ ! -e /sys/fs/cgroup/ktstr ] || fail "/sys/fs/cgroup/ktstr still exists"
assert_clean_host
pass "the leaked task was SIGKILLed and the cgroup tree removed; exit 0"
