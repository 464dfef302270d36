#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-attach.sh - starting the scheduler and waiting for it to attach:
# "enabled" in state where the kernel has the file (root/ops while
# "enabling" is not attached), a non-empty root/ops where it has not; an
# early exit and a timeout are distinct errors; the attach timeout comes
# from the packer (--attach-timeout) or the operator.
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

# expect_attach_error MESSAGE: exit 1, the error, the verdict, no test
expect_attach_error() {
    expect_rc 1
    expect_err "t.run: error: $1"
    expect_verdict "t.run: ERROR (attach: $1)"
    [ -s "$HDIR/sched.argv" ] || fail "the scheduler was not started"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# the test started after the scheduler was attached (both CLOCK_MONOTONIC)
expect_test_after_attach() {
    [ -s "$HDIR/sched.stamp" ] || fail "the scheduler never attached"
    [ "$(cat "$HDIR/test.stamp")" -ge "$(cat "$HDIR/sched.stamp")" ] ||
        fail "the test started before the scheduler was attached"
}

case_exit_before_attach() {
    sample_conf expect_sched=fake
    sched_conf mode=exit-early attach_delay_ms=20 exit_code=3
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run"
    expect_attach_error "the scheduler exited before attaching (it exited with status 3)"
    expect_no_err "did not attach"
    # its own stderr is passed through
    expect_err "fake-scheduler: failing on purpose before attaching"
}

case_exit_zero_before_attach() {
    sched_conf mode=exit-early attach_delay_ms=0 exit_code=0
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_attach_error "the scheduler exited before attaching (it exited with status 0)"
}

case_never_attaches() {
    sample_conf expect_sched=fake
    sched_conf mode=never-attach
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run"
    expect_attach_error "the scheduler did not attach within 1 s (state=disabled, ops=none; it is still running)"
    expect_err "t.run: hint: check the kernel log (dmesg) for BPF verifier or load errors, or allow more time with --attach-timeout SECS"
    expect_no_err "exited before attaching"
    [ "$(cat "$HDIR/sched.exit")" = term ] || fail "the scheduler was not stopped with SIGTERM"
}

# the operator's --attach-timeout wins over the packed one, both ways
case_runfile_attach_timeout() {
    sample_conf expect_sched=fake
    sched_conf mode=never-attach
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" --attach-timeout 1
    expect_attach_error "the scheduler did not attach within 1 s (state=disabled, ops=none; it is still running)"

    sched_conf attach_delay_ms=1300 enabling_ms=20
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run" --attach-timeout 3
    expect_rc 0
    expect_err "t.run: PASS"
    expect_test_after_attach
    expect_clean
}

# root/ops is set while state is still "enabling": not attached yet.  The
# sample test fails when it sees state != enabled at any time.
case_enabling_is_not_attached() {
    sample_conf expect_sched=fake
    sched_conf attach_delay_ms=20 enabling_ms=700
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "t.run: PASS"
    grep -qx 'bad_samples=0' "$HDIR/test.result" || fail "the test saw sched_ext not enabled"
    expect_test_after_attach
    expect_clean
}

# stuck in "enabling" (root/ops set) for longer than the timeout: a timeout
case_stuck_enabling_times_out() {
    sample_conf expect_sched=fake
    sched_conf attach_delay_ms=0 enabling_ms=4000
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run"
    expect_attach_error "the scheduler did not attach within 1 s (state=enabling, ops=fake; it is still running)"
}

# kernels without a state file: a non-empty root/ops is attached
case_no_state_file_ops_counts() {
    sched_ext_setup nostate
    sample_conf expect_sched=fake
    sched_conf attach_delay_ms=150
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "t.run: PASS"
    grep -qx 'last_state=n/a' "$HDIR/test.result" || fail "the test saw a state file"
    grep -qx 'sched_ok=1' "$HDIR/test.result" || fail "the test saw sched_ext detached"
    expect_test_after_attach
    expect_clean
}

case_no_state_file_never_attaches() {
    sched_ext_setup nostate
    sched_conf mode=never-attach
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run"
    expect_attach_error "the scheduler did not attach within 1 s (state=n/a, ops=none; it is still running)"
}

# the scheduler dies during the test, which still passes: FAIL
case_scheduler_dies_during_test() {
    sample_conf expect_sched=fake exit_code=0
    sched_conf mode=crash crash_after_ms=100 exit_code=5
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: warning: the scheduler exited with status 5 during the test"
    expect_verdict "t.run: FAIL (the scheduler exited with status 5 during the test)"
    expect_clean
}

# ... and a failing test's own status wins
case_scheduler_dies_test_fails() {
    sample_conf expect_sched=fake exit_code=4
    sched_conf mode=crash crash_after_ms=50 exit_code=5
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 4
    expect_verdict "t.run: FAIL (test exited 4)"
    expect_clean
}

# the scheduler's stdin is /dev/null; its stdout and stderr are the runfile's
case_scheduler_stdio() {
    local pid
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    echo "not for the scheduler" > "$WORK/in"
    OUT=$WORK/out ERR=$WORK/err
    "$WORK/t.run" --duration 1 < "$WORK/in" > "$OUT" 2> "$ERR" &
    BG_PID=$!
    wait_for test -s "$HDIR/test.stamp"
    pid=$(cat "$HDIR/sched.pid")
    [ "$(readlink "/proc/$pid/fd/0")" = /dev/null ] || fail "scheduler stdin: $(readlink "/proc/$pid/fd/0")"
    [ "$(readlink "/proc/$pid/fd/1")" = "$OUT" ] || fail "scheduler stdout: $(readlink "/proc/$pid/fd/1")"
    [ "$(readlink "/proc/$pid/fd/2")" = "$ERR" ] || fail "scheduler stderr: $(readlink "/proc/$pid/fd/2")"
    # none of the stub's own descriptors leaks into it (the runfile, the
    # lock, the signalfd, the work dir; what the harness passed, passes)
    ls -l "/proc/$pid/fd" | grep -E 't\.run|ktstr-runfile\.lock|signalfd|ktstr-run-|eventfd' &&
        fail "the stub's descriptors leaked into the scheduler"
    wait_rf
    expect_rc 0
    expect_clean
}

run_case exit-before-attach case_exit_before_attach
run_case exit-zero-before-attach case_exit_zero_before_attach
run_case never-attaches case_never_attaches
run_case runfile-attach-timeout case_runfile_attach_timeout
run_case enabling-is-not-attached case_enabling_is_not_attached
run_case stuck-enabling-times-out case_stuck_enabling_times_out
run_case no-state-file-ops-counts case_no_state_file_ops_counts
run_case no-state-file-never-attaches case_no_state_file_never_attaches
run_case scheduler-dies-during-test case_scheduler_dies_during_test
run_case scheduler-dies-test-fails case_scheduler_dies_test_fails
run_case scheduler-stdio case_scheduler_stdio
finish
