#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# valgrind.sh - the stub's main paths under valgrind memcheck: no error and
# no definite, indirect or possible leak (make check-valgrind; .ci/test valgrind).
# Needs a dynamically linked stub (configure --disable-static-stub):
# memcheck finds leaks through its malloc, which a static binary does not
# call.  Only the stub runs under valgrind (--trace-children=no); the run
# paths need root and run in the namespace harness of tests/hermetic.
. "$(dirname "$0")/../hermetic/lib.sh"
command -v valgrind > /dev/null || skip "valgrind is not installed"
file -L "$KTSTR_PACK" | grep -q 'dynamically linked' ||
    skip "ktstr-pack is static; build with --disable-static-stub"
hermetic_enter "$@"

VG_LOG=$WORK/vg.log
# vg FILE ARGS...: run FILE (a runfile) under memcheck; sets RC, OUT, ERR
vg() {
    run_rf valgrind -q --log-file="$VG_LOG" --error-exitcode=99 --leak-check=full \
        --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
        --trace-children=no --child-silent-after-fork=yes "$@"
    # the stub under test is dynamic: otherwise memcheck would see no malloc
    [ "$RC" != 99 ] && [ ! -s "$VG_LOG" ] || fail "memcheck: $(head -c 3000 "$VG_LOG")"
}

stub_is_dynamic() {
    file -L "$1" | grep -q 'dynamically linked' || fail "$1 has a static stub: memcheck sees no malloc"
}

case_run_pass_scheduler() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    stub_is_dynamic "$WORK/t.run"
    vg "$WORK/t.run"
    expect_rc 0
    expect_err "t.run: PASS"
    expect_clean
}

case_run_pass_eevdf() {
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    vg "$WORK/t.run" --quiet
    expect_rc 0
    expect_err "t.run: PASS"
    expect_clean
}

case_run_test_fails() {
    sample_conf expect_sched=none exit_code=5
    pack "$WORK/t.run"
    vg "$WORK/t.run"
    expect_rc 5
    expect_err "t.run: FAIL (test exited 5)"
    expect_clean
}

case_inspect_verify_extract() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --sched-arg=--x
    vg "$WORK/t.run" --inspect
    expect_rc 0
    expect_out "archive members"
    vg "$WORK/t.run" --inspect --json
    expect_rc 0
    vg "$WORK/t.run" --verify
    expect_rc 0
    expect_out "OK: footer, spec and payload digests match"
    vg "$WORK/t.run" --extract "$WORK/x"
    expect_rc 0
    cmp "$WORK/x/ktstr" "$SAMPLE_TEST" || fail "extracted runner differs"
    vg "$WORK/t.run" --preflight
    expect_rc 0
    vg "$WORK/t.run" --help
    expect_rc 0
}

# a corrupted payload: the run, --verify and --extract refuse it
case_corrupted_payload() {
    local off
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    off=$("$KTSTR_PACK" --inspect "$WORK/t.run" --json | sed -n 's/.*"payload_offset": *\([0-9]*\).*/\1/p')
    [ -n "$off" ] || fail "no payload offset"
    printf '\377' | dd of="$WORK/t.run" bs=1 seek=$((off + 5000)) conv=notrunc status=none
    vg "$WORK/t.run"
    expect_rc 1
    expect_err "digest mismatch"
    expect_clean
    vg "$WORK/t.run" --verify
    expect_rc 1
    vg "$WORK/t.run" --extract "$WORK/y"
    expect_rc 1
    [ ! -e "$WORK/y" ] || fail "--extract left $WORK/y"
}

# a damaged footer: refused on load
case_truncated() {
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    truncate -s -1 "$WORK/t.run"
    vg "$WORK/t.run"
    expect_rc 1
    expect_err "cannot read this runfile: no runfile footer (bad magic)"
    expect_clean
}

case_topology_shortfall() {
    sample_conf expect_sched=none
    pack "$WORK/t.run" --llcs 4
    vg "$WORK/t.run"
    expect_rc 1
    expect_err "host has 1 LLCs, test needs 4"
    expect_clean
}

run_case run-pass-scheduler case_run_pass_scheduler
run_case run-pass-eevdf case_run_pass_eevdf
run_case run-test-fails case_run_test_fails
run_case inspect-verify-extract case_inspect_verify_extract
run_case corrupted-payload case_corrupted_payload
run_case truncated case_truncated
run_case topology-shortfall case_topology_shortfall
finish
