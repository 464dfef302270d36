#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-basic.sh - the runfile passes, forwards exit codes, runs EEVDF tests,
# passes argv byte for byte, and leaves a clean host.
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

case_pass_with_scheduler() {
    sample_conf expect_sched=fake
    sched_conf attach_delay_ms=30 enabling_ms=20
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "PASS"
    grep -qx 'sched_ok=1' "$HDIR/test.result" || fail "test saw sched_ext detached"
    grep -qx 'workers_ok=1' "$HDIR/test.result" || fail "a worker got no CPU"
    [ "$(cat "$HDIR/sched.exit")" = term ] || fail "scheduler was not stopped with SIGTERM"
    expect_clean
}

case_eevdf() {
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "PASS"
    [ ! -e "$HDIR/sched.argv" ] || fail "a scheduler was started"
    expect_clean
}

case_exit_code_forwarded() {
    sample_conf expect_sched=none exit_code=7
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_rc 7
    expect_err "FAIL (test exited 7)"
    expect_clean
}

case_killed_by_signal() {
    sample_conf expect_sched=none kill_self=6
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 134
    expect_err "FAIL (test killed by SIGABRT)"
    expect_clean
}

run_case pass-with-scheduler case_pass_with_scheduler
run_case eevdf case_eevdf
run_case exit-code-forwarded case_exit_code_forwarded
run_case killed-by-signal case_killed_by_signal
finish
