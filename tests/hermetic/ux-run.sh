#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ux-run.sh - what an operator sees of a run: the one-line verdict as the
# last line of stderr (PASS, FAIL (test exited N), FAIL (test killed by
# SIGNAME), ERROR (<stage>: <reason>), also ERROR (load: ...) for a
# runfile it cannot read), the phase times unless --quiet,
# --keep, --attach-timeout, the progress line on a terminal only, and the
# command lines --inspect shows being the ones that run, byte for byte.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

PHASES_RE='^[^ ]+: phases: checks [0-9.]+ ms, extraction [0-9.]+ ms, attach [0-9.]+ ms, test [0-9.]+ ms, cleanup [0-9.]+ ms, total [0-9.]+ ms$'

# in_pty OUTFILE CMD...: run CMD with stdin/stdout/stderr on a terminal
# (script(1) from util-linux); RC is its exit status, OUTFILE the raw bytes
in_pty() {
    local out=$1 cmd="" a
    shift
    for a in "$@"; do cmd+=" $(printf '%q' "$a")"; done
    set +e
    script -qfec "$cmd" /dev/null > "$out" 2>&1 < /dev/null
    # shellcheck disable=SC2034  # read by expect_rc
    RC=$?
    set -e
}

case_pass_phases() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_verdict "t.run: PASS"
    # the line before the verdict: each phase of a run with a scheduler
    tail -n2 "$ERR" | head -n1 | grep -qE "$PHASES_RE" ||
        fail "no phase times before the verdict: $(tail -n2 "$ERR" | head -n1)"
    expect_err "ktstr runfile: test=sample scheduler=fake"
    expect_clean
}

case_quiet() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_rc 0
    # the stub's own lines (the test's output passes through)
    [ "$(grep -v '^sample-test: ' "$ERR")" = "t.run: PASS" ] ||
        fail "--quiet stderr is not just the verdict"
    sample_conf expect_sched=fake exit_code=4
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" -q
    expect_rc 4
    [ "$(grep -v '^sample-test: ' "$ERR")" = "t.run: FAIL (test exited 4)" ] ||
        fail "-q stderr is not just the verdict"
    expect_clean
}

case_fail_exit() {
    sample_conf expect_sched=none exit_code=3
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 3
    expect_verdict "t.run: FAIL (test exited 3)"
    tail -n2 "$ERR" | head -n1 | grep -q ': phases: checks ' || fail "no phase times"
    expect_clean
}

case_fail_signal() {
    sample_conf expect_sched=none kill_self=11
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 139
    expect_verdict "t.run: FAIL (test killed by SIGSEGV)"
    expect_clean
}

case_error_checks() {
    sched_ext_setup none
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_verdict "t.run: ERROR (checks: the kernel lacks sched_ext support (no /sys/kernel/sched_ext))"
    # the phases that ran, and only those
    tail -n2 "$ERR" | head -n1 | grep -qE '^t.run: phases: checks [0-9.]+ ms, total [0-9.]+ ms$' ||
        fail "phase line: $(tail -n2 "$ERR" | head -n1)"
    run_rf "$WORK/t.run" --quiet
    expect_rc 1
    expect_verdict "t.run: ERROR (checks: the kernel lacks sched_ext support (no /sys/kernel/sched_ext))"
    expect_no_err "phases:"
    expect_clean
}

# a runfile the stub cannot read: a run still ends with its verdict (no
# phase line: no phase began), also with --quiet; --preflight, --inspect,
# --verify, --extract and --help are not runs: their error and hint are
# the whole answer, with no verdict
case_error_load() {
    local opt
    pack "$WORK/t.run"
    printf 'x' >> "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_verdict_prefix "t.run: ERROR (load: no runfile footer (bad magic): the file is truncated"
    expect_err "t.run: error: cannot read this runfile: no runfile footer (bad magic)"
    tail -n2 "$ERR" | head -n1 | grep -q '^t\.run: hint: nothing was extracted or run' ||
        fail "the line before the verdict: $(tail -n2 "$ERR" | head -n1)"
    expect_no_err "phases:"
    expect_no_err "ktstr runfile:"
    run_rf "$WORK/t.run" --quiet --duration 2
    expect_rc 1
    [ "$(wc -l < "$ERR")" = 3 ] || fail "--quiet: expected error, hint and verdict"
    expect_verdict_prefix "t.run: ERROR (load: no runfile footer (bad magic)"
    for opt in --preflight --inspect --verify "--extract=$WORK/x" --help; do
        run_rf "$WORK/t.run" "$opt"
        expect_rc 1
        expect_err "t.run: error: cannot read this runfile: no runfile footer (bad magic)"
        expect_no_err "ERROR ("
        [ ! -s "$OUT" ] || fail "$opt: stdout for an unreadable runfile"
    done
    [ ! -e "$WORK/x" ] || fail "--extract created its directory"
    expect_clean
}

case_attach_timeout_override() {
    sched_conf mode=never-attach
    pack_sched "$WORK/t.run" --attach-timeout 60
    run_rf "$WORK/t.run" --attach-timeout 1
    expect_rc 1
    expect_verdict_prefix "t.run: ERROR (attach: the scheduler did not attach within 1 s ("
    expect_err "error: the scheduler did not attach within 1 s"
    [ ! -e "$HDIR/test.argv" ] || fail "the test ran without a scheduler"
    expect_clean
    # the spec's value when not overridden (and it shows in --inspect)
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run" --inspect
    expect_out "attach timeout: 1 s (--attach-timeout SECS overrides)"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "error: the scheduler did not attach within 1 s"
    # and an override that lets a slow scheduler attach
    sched_conf attach_delay_ms=1500
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --attach-timeout 1
    run_rf "$WORK/t.run" --attach-timeout 5
    expect_rc 0
    expect_verdict "t.run: PASS"
    expect_clean
}

case_error_scheduler_exits() {
    sched_conf mode=exit-early exit_code=5
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_verdict "t.run: ERROR (attach: the scheduler exited before attaching (it exited with status 5))"
    expect_clean
}

case_keep() {
    local dir line
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" --keep --quiet
    expect_rc 0
    line=$(grep ': kept the extraction directory ' "$ERR") ||
        fail "--keep --quiet did not print the directory"
    dir=${line##* }
    [[ "$dir" =~ ^/tmp/ktstr-keep-[0-9]+-[A-Za-z0-9]{6}$ ]] || fail "kept dir name '$dir'"
    [ "$(stat -c %a "$dir")" = 700 ] || fail "kept dir mode $(stat -c %a "$dir")"
    cmp -s "$dir/ktstr" "$SAMPLE_TEST" || fail "kept ktstr differs from the packed runner"
    cmp -s "$dir/scheduler" "$FAKE_SCHED" || fail "kept scheduler differs"
    cmp -s "$dir/include/sample-test.conf" "$WORK/sample-test.conf" || fail "kept include differs"
    [ "$(head -zn1 "$HDIR/sched.argv" | tr -d '\0')" = "$dir/scheduler" ] ||
        fail "the scheduler did not run from $dir"
    expect_verdict "t.run: PASS"
    # the next run must not take it for a killed run's leftover
    run_rf "$WORK/t.run"
    expect_rc 0
    [ -x "$dir/ktstr" ] || fail "the next run removed the kept directory"
    expect_no_err "kept the extraction directory"
    expect_clean
    # announced at the start too when not quiet
    rm -rf "$dir"
    run_rf "$WORK/t.run" --keep
    expect_rc 0
    expect_err "extracting into /tmp/ktstr-keep-"
    dir=$(sed -n 's/.*: kept the extraction directory //p' "$ERR")
    [ -d "$dir" ] || fail "kept dir $dir missing"
    rm -rf "$dir"
    expect_clean
}

case_progress_tty() {
    head -c $((24 << 20)) /dev/urandom > "$WORK/big.bin"
    sample_conf expect_sched=none
    pack "$WORK/t.run" --include "$WORK/big.bin"
    in_pty "$WORK/pty.out" "$WORK/t.run"
    expect_rc 0
    grep -qa 't.run: PASS' "$WORK/pty.out" || fail "no verdict on the terminal"
    grep -qaE $'\rt.run: extracting [0-9.]+ / 2[45]\\.[0-9] MiB' "$WORK/pty.out" ||
        fail "no progress line on a terminal: $(tr '\r' '~' < "$WORK/pty.out" | head -c 600)"
    # erased before the next line, so the log stays readable
    grep -qa $'\r\e\[K' "$WORK/pty.out" || fail "progress line not erased"
    # not on a file...
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_no_err "extracting"
    ! grep -q $'\r' "$ERR" || fail "a carriage return went to a file"
    # ...and not with --quiet on a terminal
    in_pty "$WORK/pty.out" "$WORK/t.run" --quiet
    expect_rc 0
    ! grep -qa 'extracting' "$WORK/pty.out" || fail "progress line despite --quiet"
    # a small payload never shows one
    pack "$WORK/small.run"
    in_pty "$WORK/pty.out" "$WORK/small.run"
    expect_rc 0
    ! grep -qa 'extracting' "$WORK/pty.out" || fail "progress line for a small payload"
    rm -f "$WORK/big.bin"
    expect_clean
}

# the scheduler and test command lines of --inspect, evaluated by bash
# with DIR set, are exactly the argvs that run
case_inspect_command_is_exact() {
    local dir cmd
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --cgroup-parent /ux.slice \
        --sched-arg '' --sched-arg $'two words\ttab' --sched-arg "it's \"q\" \\ \$HOME \`x\`" \
        --sched-arg $'\e[31mred\e[0m\x7f\x01' --sched-arg $'\xff\xfe not utf-8' \
        --sched-arg 'é ü 漢 😀' --extra-sched-arg '--flag=*.?[a]' --extra-sched-arg '~'
    run_rf "$WORK/t.run" --duration 3 --watchdog-timeout 9
    expect_rc 0
    dir=$(extraction_dir "$HDIR/sched.argv")
    cmd=$("$WORK/t.run" --inspect --json | jq -r .scheduler_command)
    # shellcheck disable=SC2034  # DIR is read by the eval'd command line
    (DIR=$dir; eval "set -- $cmd"; printf '%s\0' "$@") > "$WORK/sched.expected"
    expect_argv "$HDIR/sched.argv" "$WORK/sched.expected"
    cmd=$("$WORK/t.run" --inspect --json | jq -r .test_command)
    # shellcheck disable=SC2034
    (DIR=$dir; eval "set -- $cmd --duration 3 --watchdog-timeout 9"; printf '%s\0' "$@") \
        > "$WORK/test.expected"
    expect_argv "$HDIR/test.argv" "$WORK/test.expected"
    # the text form shows the same line, with its stdin
    "$WORK/t.run" --inspect | grep -qxF "  scheduler:    $("$WORK/t.run" --inspect --json |
        jq -r .scheduler_command) </dev/null" || fail "text and JSON command lines differ"
    expect_clean
}

run_case pass-phases case_pass_phases
run_case quiet case_quiet
run_case fail-exit case_fail_exit
run_case fail-signal case_fail_signal
run_case error-checks case_error_checks
run_case error-scheduler-exits case_error_scheduler_exits
run_case error-load case_error_load
run_case attach-timeout-override case_attach_timeout_override
run_case keep case_keep
run_case progress-tty case_progress_tty
run_case inspect-command-is-exact case_inspect_command_is_exact
finish
