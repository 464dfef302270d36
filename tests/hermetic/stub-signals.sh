#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-signals.sh - SIGTERM, SIGINT and SIGHUP sent to the runfile: during
# the test they are forwarded to it, the scheduler is stopped (TERM, then
# KILL after the grace period), cgroups and the temp dir are removed, and
# the exit status is the test's (128+N); during the attach wait they stop
# the run with ERROR and 128+N.  A SIGKILLed runfile takes its children
# with it (PR_SET_PDEATHSIG), and the next run still works.
. "$(dirname "$0")/lib.sh"
need nohup
hermetic_enter "$@"

# signal_during_test SIG NUM: the whole sequence for one signal
signal_during_test() {
    local sig=$1 num=$2
    sample_conf expect_sched=fake duration_ms=20000
    pack_sched "$WORK/t.run"
    start_rf "$WORK/t.run"
    wait_for test -s "$HDIR/test.stamp"
    wait_for test -d /sys/fs/cgroup/ktstr/b
    kill "-$sig" "$BG_PID"
    wait_rf
    expect_rc $((128 + num))
    expect_err "t.run: received SIG$sig: stopping the test"
    expect_verdict "t.run: FAIL (test killed by SIG$sig)"
    [ ! -e "$HDIR/test.result" ] || fail "the test finished instead of being stopped"
    [ "$(cat "$HDIR/sched.exit")" = term ] || fail "the scheduler was not stopped with SIGTERM"
    expect_clean
}

case_sigterm_during_test() { signal_during_test TERM 15; }
case_sigint_during_test() { signal_during_test INT 2; }
case_sighup_during_test() { signal_during_test HUP 1; }

# a test that handles the signal decides its own exit status
case_test_handles_signal() {
    sample_conf expect_sched=none duration_ms=20000 exit_on_term=9
    pack "$WORK/t.run"
    start_rf "$WORK/t.run" --quiet
    wait_for test -s "$HDIR/test.stamp"
    kill -TERM "$BG_PID"
    wait_rf
    expect_rc 9
    expect_verdict "t.run: FAIL (test exited 9)"
    expect_clean
}

# a scheduler that ignores SIGTERM is killed after the grace period, and
# the stub waits for sched_ext to be detached before it exits
case_scheduler_ignores_term() {
    local detacher
    sample_conf expect_sched=fake duration_ms=20000
    sched_conf ignore_term=1
    pack_sched "$WORK/t.run"
    start_rf "$WORK/t.run"
    wait_for test -s "$HDIR/test.stamp"
    kernel_detach_when_gone &
    detacher=$!
    kill -TERM "$BG_PID"
    wait_rf
    wait "$detacher"
    expect_rc 143
    [ -e "$HDIR/sched.term" ] || fail "the scheduler did not get SIGTERM first"
    [ ! -e "$HDIR/sched.exit" ] || fail "the scheduler exited by itself"
    expect_no_err "warning: sched_ext still reports"
    expect_verdict "t.run: FAIL (test killed by SIGTERM)"
    expect_clean
}

# signal_during_attach SIG NUM
signal_during_attach() {
    local sig=$1 num=$2 dir
    sample_conf expect_sched=fake
    sched_conf mode=never-attach
    pack_sched "$WORK/t.run"
    start_rf "$WORK/t.run"
    wait_for test -s "$HDIR/sched.pid"
    # the scheduler starts once the whole payload is extracted and verified:
    # with the test binary whole, the stub is in the attach wait
    dir=$(extraction_dir "$HDIR/sched.argv")
    wait_for eval '[ "$(stat -c %s "$dir/ktstr" 2>/dev/null)" = "$(stat -c %s "$SAMPLE_TEST")" ]'
    sleep 0.1
    kill "-$sig" "$BG_PID"
    wait_rf
    expect_rc $((128 + num))
    expect_verdict "t.run: ERROR (attach: interrupted by SIG$sig during the scheduler attach)"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    [ "$(cat "$HDIR/sched.exit")" = term ] || fail "the scheduler was not stopped with SIGTERM"
    expect_clean
}

case_sigterm_during_attach() { signal_during_attach TERM 15; }
case_sigint_during_attach() { signal_during_attach INT 2; }
case_sighup_during_attach() { signal_during_attach HUP 1; }

# signals ignored by whoever starts the runfile stay ignored (nohup, a
# script's background job), for the stub and for the test
case_ignored_signals_stay_ignored() {
    sample_conf expect_sched=fake duration_ms=1000
    pack_sched "$WORK/t.run"
    OUT=$WORK/out ERR=$WORK/err
    nohup "$WORK/t.run" > "$OUT" 2> "$ERR" &     # SIGHUP ignored, and SIGINT (script '&')
    BG_PID=$!
    wait_for test -s "$HDIR/test.stamp"
    kill -HUP "$BG_PID"
    kill -INT "$BG_PID"
    kill -HUP "-$(cat "$HDIR/sched.pid")" 2>/dev/null || true
    wait_rf
    expect_rc 0
    expect_no_err "received SIG"
    expect_verdict "t.run: PASS"
    grep -qx 'sched_ok=1' "$HDIR/test.result" || fail "the scheduler did not stay attached"
    expect_clean
}

# SIGKILL: nothing can clean up, but no child may outlive the stub, and
# the next run still works (and removes the dead run's temp dir)
case_sigkill_stub() {
    local spid tpid wpid line detacher stale
    sample_conf expect_sched=fake duration_ms=20000
    pack_sched "$WORK/t.run"
    start_rf "$WORK/t.run"
    wait_for test -s "$HDIR/test.stamp"
    wait_for test -d /sys/fs/cgroup/ktstr/b
    spid=$(cat "$HDIR/sched.pid")
    wait_for grep -q . /sys/fs/cgroup/ktstr/a/cgroup.procs
    wpid=$(head -n1 /sys/fs/cgroup/ktstr/a/cgroup.procs)
    read -r line < "/proc/$wpid/stat"
    line=${line##*) }; tpid=${line#* }; tpid=${tpid%% *}   # the worker's parent
    [ "$(cat "/proc/$tpid/comm")" = ktstr ] || fail "pid $tpid is not the test"
    stale=$(find /tmp -maxdepth 1 -name 'ktstr-run-*')
    [ -n "$stale" ] || fail "no extraction directory during the run"
    kernel_detach_when_gone &
    detacher=$!
    kill -KILL "$BG_PID"
    wait_rf
    expect_rc 137
    # the scheduler, the test and the test's workers all go
    wait_for eval '! alive "$spid"'
    wait_for eval '! alive "$tpid"'
    wait_for eval '! alive "$wpid"'
    wait "$detacher"
    wait_for eval '[ -z "$(stray_pids)" ]'
    [ "$(cat /sys/fs/cgroup/ktstr/a/cgroup.procs /sys/fs/cgroup/ktstr/b/cgroup.procs)" = "" ] ||
        fail "tasks left in the test's cgroups"

    # the next run works, and cleans what the killed one left
    rm -f "$HDIR"/*
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "t.run: PASS"
    expect_err "t.run: removed 1 stale extraction directory of killed runs"
    [ ! -e "$stale" ] || fail "the stale $stale is still there"
    expect_clean
}

# a temp dir of a run that still lives, or that is not ours, stays
case_stale_dirs_kept() {
    local live
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    sleep 100 & live=$!
    mkdir "/tmp/ktstr-run-$live-AbCdEf" "/tmp/ktstr-run-99999-short"
    mkdir "/tmp/ktstr-run-99998-XyZ123"
    chown 65534 "/tmp/ktstr-run-99998-XyZ123"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_no_err "stale"
    [ -d "/tmp/ktstr-run-$live-AbCdEf" ] || fail "removed the temp dir of a live run"
    [ -d "/tmp/ktstr-run-99998-XyZ123" ] || fail "removed another user's directory"
    [ -d "/tmp/ktstr-run-99999-short" ] || fail "removed a directory not named like ours"
    kill "$live"; wait "$live" 2>/dev/null || true
    rm -rf /tmp/ktstr-run-*
    expect_clean
}

run_case sigterm-during-test case_sigterm_during_test
run_case sigint-during-test case_sigint_during_test
run_case sighup-during-test case_sighup_during_test
run_case test-handles-signal case_test_handles_signal
run_case scheduler-ignores-term case_scheduler_ignores_term
run_case sigterm-during-attach case_sigterm_during_attach
run_case sigint-during-attach case_sigint_during_attach
run_case sighup-during-attach case_sighup_during_attach
run_case ignored-signals-stay-ignored case_ignored_signals_stay_ignored
run_case sigkill-stub case_sigkill_stub
run_case stale-dirs-kept case_stale_dirs_kept
finish
