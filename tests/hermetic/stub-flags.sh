#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-flags.sh - the runfile's command line: --quiet, -h/--help, the
# frozen --cpus/--topology/--affinity, unknown arguments, bad numbers, the
# banner and the status lines.
. "$(dirname "$0")/lib.sh"
need jq setpriv
hermetic_enter "$@"

# expect_nothing_ran: no scheduler or test was started, and the host is clean
expect_nothing_ran() {
    [ ! -e "$HDIR/sched.argv" ] || fail "a scheduler was started"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# the lines the stub itself wrote to stderr (helpers write their own)
stub_lines() { grep "^$1: " "$ERR" || true; }

case_banner_and_status() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --git-hash 0123abcd
    run_rf "$WORK/t.run"
    expect_rc 0
    local sha
    sha=$("$KTSTR_PACK" --inspect "$WORK/t.run" --json | jq -r .payload_sha256)
    expect_err "ktstr runfile: test=sample scheduler=fake git=0123abcd payload=sha256:${sha:0:16}"
    expect_err "t.run: launching scheduler fake"
    expect_err "t.run: scheduler fake attached"
    expect_err "t.run: running test sample"
    grep -Eq '^t\.run: phases: checks [0-9.]+ ms, extraction [0-9.]+ ms, attach [0-9.]+ ms, test [0-9.]+ ms, cleanup [0-9.]+ ms, total [0-9.]+ ms$' "$ERR" ||
        fail "no phase times line"
    [ "$(tail -n1 "$ERR")" = "t.run: PASS" ] || fail "the verdict is not the last line"
    [ ! -s "$OUT" ] || fail "the stub wrote to stdout"
    expect_clean
}

case_quiet_pass() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_rc 0
    # only the verdict, and the helpers' own output
    [ "$(stub_lines t.run)" = "t.run: PASS" ] ||
        fail "--quiet printed more than the verdict: $(stub_lines t.run)"
    expect_no_err "ktstr runfile:"
    expect_err "sample-test: sample: sched_ok=1"
    [ -s "$HDIR/test.argv" ] || fail "the test did not run"
    expect_clean
}

case_quiet_short() {
    sample_conf expect_sched=none exit_code=3
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" -q
    expect_rc 3
    [ "$(stub_lines t.run)" = "t.run: FAIL (test exited 3)" ] ||
        fail "-q: $(stub_lines t.run)"
    expect_no_err "ktstr runfile:"
    expect_clean
}

case_quiet_errors_still_print() {
    sched_ext_setup none
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_rc 1
    expect_no_err "ktstr runfile:"
    expect_err "t.run: error: the kernel lacks sched_ext support (no /sys/kernel/sched_ext)"
    expect_err "t.run: hint: boot a kernel built with CONFIG_SCHED_CLASS_EXT=y"
    expect_verdict "t.run: ERROR (checks: the kernel lacks sched_ext support (no /sys/kernel/sched_ext))"
    expect_no_err "phases:"
    expect_nothing_ran
}

case_help() {
    local opt
    pack_sched "$WORK/t.run" --numa-nodes 2 --llcs 4 --cores-per-llc 3 --threads-per-core 2 \
        --duration 5 --watchdog 9 --attach-timeout 7
    # the host need not be able to run it: --help looks at nothing
    sched_ext_setup none
    # as in the original, --help ends the parsing
    for opt in -h --help "--quiet --help" "--help --cpus 3" "--help --bogus extra"; do
        # shellcheck disable=SC2086
        run_rf "$WORK/t.run" $opt
        expect_rc 0
        [ ! -s "$ERR" ] || fail "$opt wrote to stderr"
        expect_out "Usage: t.run [--quiet] [--duration SECS] [--watchdog-timeout SECS]"
        expect_out "Reproduces ktstr test 'sample'"
        expect_out "Frozen (re-export to change):"
        expect_out "  scheduler          fake"
        expect_out "  topology           2 NUMA nodes / 4 LLCs / 3 cores per LLC / 2 threads per core"
        expect_out "  --cpus, --topology, --affinity are refused"
        expect_out "Overridable:"
        expect_out "  --duration SECS          workload duration (default 5)"
        expect_out "  --watchdog-timeout SECS  scheduler watchdog (default 9)"
        expect_out "  --attach-timeout SECS    wait this long for the scheduler to attach (default 7)"
        expect_out "  -q, --quiet "
        expect_out "Requirements:"
        expect_out "CAP_SYS_ADMIN"
        expect_out "Exit status:"
        expect_out "  0      the test passed"
        expect_out "  1      a check, the extraction, the scheduler attach or the run failed"
        expect_out "  N      the test exited with status N"
        expect_out "  128+N  the test (or the run, before the test started) was killed by signal N"
        expect_nothing_ran
    done
}

case_help_after_a_mistake() {
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --cpus 3 --help
    expect_rc 1
    expect_err "t.run: error: --cpus is frozen"
    [ ! -s "$OUT" ] || fail "usage printed after a refused option"
    run_rf "$WORK/t.run" --bogus --help
    expect_rc 1
    expect_err "t.run: error: option '--bogus' is not known"
    expect_nothing_ran
}

case_help_unprivileged() {
    pack "$WORK/t.run"
    run_rf setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
        --bounding-set=-all "$WORK/t.run" --help
    expect_rc 0
    expect_out "Exit status:"
    expect_nothing_ran
}

case_frozen() {
    local args opt
    pack_sched "$WORK/t.run"
    # ARGS|the option the message must name
    while IFS='|' read -r args opt; do
        # shellcheck disable=SC2086
        run_rf "$WORK/t.run" $args
        expect_rc 1
        expect_err "t.run: error: $opt"
        expect_err "is frozen for reproduction fidelity: re-export the test to change it"
        expect_no_err "ktstr runfile:"
        expect_nothing_ran
    done <<'EOF'
--cpus|--cpus is frozen
--cpus 3|--cpus is frozen
--cpus=3|--cpus=3 is frozen
--topology|--topology is frozen
--topology 2|--topology is frozen
--topology=1,2,2,1|--topology=1,2,2,1 is frozen
--affinity|--affinity is frozen
--affinity 0|--affinity is frozen
--affinity=0-3|--affinity=0-3 is frozen
--quiet --cpus=4|--cpus=4 is frozen
--duration 1 --affinity|--affinity is frozen
EOF
}

case_unknown_args() {
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run" --bogus
    expect_rc 1
    expect_err "t.run: error: option '--bogus' is not known"
    expect_err "Try 't.run --help' for more information."
    expect_nothing_ran
    run_rf "$WORK/t.run" -x
    expect_rc 1
    expect_err "t.run: error: option '-x' is not known"
    expect_nothing_ran
    run_rf "$WORK/t.run" extra
    expect_rc 1
    expect_err "t.run: error: unexpected argument 'extra'"
    expect_nothing_ran
    run_rf "$WORK/t.run" --quiet -- --cpus
    expect_rc 1
    expect_err "t.run: error: unexpected argument '--cpus'"
    expect_nothing_ran
    run_rf "$WORK/t.run" --duration
    expect_rc 1
    expect_err "t.run: error: option '--duration' needs a value"
    expect_nothing_ran
    run_rf "$WORK/t.run" --json
    expect_rc 1
    expect_err "t.run: error: --json goes with --inspect"
    expect_nothing_ran
}

case_bad_numbers() {
    local opt val
    pack_sched "$WORK/t.run"
    for opt in --duration --watchdog-timeout --attach-timeout; do
        for val in 0 -1 abc 1x 5.5 ' 5' +5 0x10 '' 99999999999999999999; do
            run_rf "$WORK/t.run" "$opt" "$val"
            expect_rc 1
            expect_err "t.run: error: invalid value '$val' for $opt: "
            expect_err "Try 't.run --help' for more information."
            expect_nothing_ran
        done
        run_rf "$WORK/t.run" "$opt=0"
        expect_rc 1
        expect_err "invalid value '0' for $opt: must be between 1 and "
        expect_nothing_ran
    done
    run_rf "$WORK/t.run" --duration 604801
    expect_err "invalid value '604801' for --duration: must be between 1 and 604800"
    run_rf "$WORK/t.run" --attach-timeout 3601
    expect_err "invalid value '3601' for --attach-timeout: must be between 1 and 3600"
    run_rf "$WORK/t.run" --duration abc
    expect_err "invalid value 'abc' for --duration: not a decimal number"
    expect_nothing_ran
}

case_version() {
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --version
    expect_rc 0
    grep -Eq '^t\.run: ktstr-pack stub [0-9.]+, runfile format [0-9]+$' "$OUT" ||
        fail "--version: $(cat "$OUT")"
    expect_nothing_ran
}

run_case banner-and-status case_banner_and_status
run_case quiet-pass case_quiet_pass
run_case quiet-short case_quiet_short
run_case quiet-errors-still-print case_quiet_errors_still_print
run_case help case_help
run_case help-after-a-mistake case_help_after_a_mistake
run_case help-unprivileged case_help_unprivileged
run_case frozen case_frozen
run_case unknown-args case_unknown_args
run_case bad-numbers case_bad_numbers
run_case version case_version
finish
