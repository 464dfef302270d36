#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-6-sigterm.sh - check-vm case 6, run INSIDE the VM (busybox ash):
# SIGTERM to the runfile while the test runs (--duration 60, its workers
# busy in /sys/fs/cgroup/ktstr/{a,b}). The runfile forwards it: the test and
# its workers and the scheduler stop, sched_ext returns to "disabled", the
# cgroups (still populated when the test dies) and the extraction directory
# are removed, and the runfile exits 128+15 with the test's fate as verdict.
#
# Files in /opt (check-vm.sh): sample.run (sample test + scx_simple,
# expect_sched=simple record_dir=/tmp/rec).
#
# Exit status: 0 "CASE6: PASS", 1 "CASE6: FAIL: why".
CASE=CASE6
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

LOG=/tmp/rf.log
ON_FAIL=rf_stop

# workers_running: the test runs, its 4 workers inside their cgroups
# shellcheck disable=SC2317  # run by rf_wait_for
workers_running() {
    workers=$(cat /sys/fs/cgroup/ktstr/a/cgroup.procs /sys/fs/cgroup/ktstr/b/cgroup.procs \
        2>/dev/null) && [ "$(echo "$workers" | wc -w)" -ge 4 ]
}

case_begin
rf_start "$LOG" /opt/sample.run --duration 60
rf_wait_for "the test's workers were in their cgroups" workers_running
[ "$(sched_state)" = enabled ] || fail "state $(sched_state) while the test runs"
dir=$(tr '\0' '\n' < "$REC/test.argv" | head -n 1)
dir=${dir%/ktstr}
[ -d "$dir" ] || fail "extraction directory '$dir' not found while the test runs"
sleep 0.5
echo "test running with workers $(echo "$workers" | tr '\n' ' ')in $dir; sending SIGTERM to the runfile (pid $RF_PID)"

t1=$(now_ms)
kill -TERM "$RF_PID"
rf_wait
t2=$(now_ms)
cat "$LOG"
echo "runfile exited $RF_RC, $((t2 - t1)) ms after SIGTERM"

expect_rc 143
expect_verdict "$LOG" "FAIL (test killed by SIGTERM)"
expect_line "$LOG" "$RF_NAME: received SIGTERM: stopping the test"
expect_no_line "$LOG" "$RF_NAME: warning:"
[ ! -e "$REC/test.result" ] || fail "the test finished instead of being stopped"
# everything is gone the moment the runfile has exited
[ "$(sched_state)" = disabled ] || fail "state $(sched_state) after the runfile exited"
[ ! -e /sys/fs/cgroup/ktstr ] || fail "/sys/fs/cgroup/ktstr still exists"
[ ! -e "$dir" ] || fail "$dir still exists"
for w in $workers; do
    [ ! -e "/proc/$w" ] || fail "worker $w ($(cat "/proc/$w/comm" 2>/dev/null)) still exists"
done
dmesg | grep -q 'sched_ext: BPF scheduler "simple" disabled (unregistered from user space)' ||
    fail "dmesg does not show a clean unregistration: $(dmesg | grep sched_ext | tail -n 2)"
assert_clean_host
pass "SIGTERM: exit 143 after $((t2 - t1)) ms; test, workers, scheduler, cgroups, temp dir gone"
