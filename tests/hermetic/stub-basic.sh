#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-basic.sh - the runfile passes, forwards exit codes, runs EEVDF tests,
# passes argv byte for byte, and leaves a clean host.
. "$(dirname "$0")/lib.sh"
need cmp
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

# nothing but the kernel: no environment, an empty PATH, a current
# directory nobody can write to, and no /usr, /etc, /var, /opt at all (so
# no shell, no libraries, no coreutils, no passwd); the runfile and the
# sysfs/proc/cgroup trees are all it has
case_bare_host() {
    local dir
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --sched-arg -v
    # a sanitizer build's stub is dynamic: it needs /usr, which is hidden here
    if ! file -L "$WORK/t.run" | grep -q 'statically linked'; then
        echo "    (skipped: the stub is linked dynamically)"
        return 0
    fi
    mkdir -p /run/ro && mount -t tmpfs -o ro,mode=0555 tmpfs /run/ro
    run_rf env -i PATH= /usr/bin/unshare -m --propagation private /bin/sh -c '
        for d in /etc /var /opt /usr; do /usr/bin/mount -t tmpfs -o ro tmpfs "$d" || exit 99; done
        cd /run/ro && exec "$0"' "$WORK/t.run"
    umount /run/ro
    expect_rc 0
    expect_err "t.run: PASS"
    grep -qx 'sched_ok=1' "$HDIR/test.result" || fail "test saw sched_ext detached"
    dir=$(extraction_dir "$HDIR/sched.argv")
    printf '%s\0' "$dir/scheduler" -v > "$WORK/want"
    expect_argv "$HDIR/sched.argv" "$WORK/want"
    printf '%s\0' "$dir/ktstr" run --ktstr-test-fn sample > "$WORK/want"
    expect_argv "$HDIR/test.argv" "$WORK/want"
    expect_clean
}

run_case pass-with-scheduler case_pass_with_scheduler
run_case eevdf case_eevdf
run_case exit-code-forwarded case_exit_code_forwarded
run_case killed-by-signal case_killed_by_signal
run_case bare-host case_bare_host
finish
