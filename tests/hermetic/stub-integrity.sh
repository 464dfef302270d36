#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-integrity.sh - a damaged runfile runs nothing: a flipped byte in the
# payload, the spec or the footer, a truncated or extended file are each
# reported as such before any scheduler or test starts, the verdict last
# (ERROR (load: ...) for a file the stub cannot read); exit 1, clean host.
. "$(dirname "$0")/lib.sh"
need jq od dd
hermetic_enter "$@"

# layout KEY: a number from the runfile's --inspect --json
layout() { "$KTSTR_PACK" --inspect "$WORK/t.run" --json | jq -r ".$1"; }

# flip FILE OFFSET: invert the bits of one byte
flip() {
    local byte
    byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf '%03o' $((byte ^ 0xff)))" |
        dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# expect_refused MESSAGE: nothing extracted or run, exit 1, the message
expect_refused() {
    expect_rc 1
    expect_err "t.run: error: $1"
    [ ! -e "$HDIR/sched.argv" ] || fail "the scheduler was started"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# expect_unreadable MESSAGE: refused when the runfile is opened; still a
# run, so the verdict ends it, with no phase line (no phase began)
expect_unreadable() {
    expect_refused "cannot read this runfile: $1"
    expect_err "t.run: hint: nothing was extracted or run; get a fresh copy of the runfile"
    expect_no_err "ktstr runfile:"      # no banner from a file we cannot trust
    expect_verdict_prefix "t.run: ERROR (load: $1"
    expect_no_err "phases:"
}

pack_fake() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    cp "$WORK/t.run" "$WORK/good.run"
    # the good copy works: what breaks the others is the damage
    run_rf "$WORK/good.run" --quiet
    expect_rc 0
    expect_clean
    rm -f "$HDIR"/*
}

# a byte of the test binary's part of the payload, after the scheduler's
# part: the scheduler's own part verifies, but nothing may run before the
# whole payload has (a corrupted runfile is never executed), so neither
# the scheduler nor the test starts.
case_payload_byte_runner_part() {
    pack_fake
    flip "$WORK/t.run" $(( $(layout payload_offset) + $(layout payload_length) - 200 ))
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: payload digest mismatch: the runfile is corrupted"
    expect_err "t.run: hint: get a fresh copy of the runfile"
    expect_verdict_prefix "t.run: ERROR (extraction: payload digest mismatch: the runfile is corrupted"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    [ ! -e "$HDIR/sched.argv" ] || fail "the scheduler was started from a corrupted runfile"
    expect_clean
}

# a byte of the scheduler's part
case_payload_byte_scheduler_part() {
    pack_fake
    flip "$WORK/t.run" $(( $(layout payload_offset) + 100 ))
    run_rf "$WORK/t.run" --quiet
    expect_refused "payload digest mismatch: the runfile is corrupted"
}

# bytes all over the payload, and in an EEVDF runfile's: wherever the
# damage is, nothing runs
case_payload_byte_everywhere() {
    local off len i at
    pack_fake
    off=$(layout payload_offset) len=$(layout payload_length)
    for i in 0 1 2 3 4 5 6 7; do
        at=$(( (len - 1) * i / 7 ))
        cp "$WORK/good.run" "$WORK/t.run"
        rm -f "$HDIR"/*
        flip "$WORK/t.run" $(( off + at ))
        run_rf "$WORK/t.run" --quiet
        expect_refused "payload digest mismatch"
    done
    rm -f "$HDIR"/*
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    flip "$WORK/t.run" $(( $(layout payload_offset) + $(layout payload_length) / 2 ))
    run_rf "$WORK/t.run"
    expect_refused "payload digest mismatch: the runfile is corrupted"
}

case_spec_byte() {
    pack_fake
    flip "$WORK/t.run" $(( $(layout spec_offset) + 20 ))
    run_rf "$WORK/t.run"
    expect_unreadable "spec digest mismatch: the runfile is corrupted"
}

case_footer_bytes() {
    local foot
    pack_fake
    foot=$(( $(stat -c %s "$WORK/t.run") - 128 ))
    flip "$WORK/t.run" "$foot"                       # magic
    run_rf "$WORK/t.run"
    expect_unreadable "no runfile footer (bad magic): the file is truncated"
    cp "$WORK/good.run" "$WORK/t.run"
    printf '\143' | dd of="$WORK/t.run" bs=1 seek=$((foot + 8)) conv=notrunc status=none
    run_rf "$WORK/t.run"                             # version 99
    expect_unreadable "runfile format version 99 is not supported"
    cp "$WORK/good.run" "$WORK/t.run"
    flip "$WORK/t.run" $((foot + 50))                # inside the payload digest
    run_rf "$WORK/t.run"
    expect_unreadable "corrupt footer: checksum mismatch"
}

case_truncated() {
    local size n stub po
    pack_fake
    size=$(stat -c %s "$WORK/good.run")
    stub=$(layout stub_length) po=$(layout payload_offset)
    for n in $((size - 1)) $((size - 127)) $((size - 129)) $(layout spec_offset) \
        $((po + $(layout payload_length) / 2)) $((po + 1)) "$po" $((stub - 1)) 4096 100 0; do
        head -c "$n" "$WORK/good.run" > "$WORK/t.run"
        run_rf "$WORK/t.run"
        [ "$n" -ge "$stub" ] && {                   # the stub itself is whole
            expect_rc 1
            expect_err "t.run: error: cannot read this runfile: "
            expect_err "truncated"
            expect_verdict_prefix "t.run: ERROR (load: "
            [ ! -e "$HDIR/sched.argv" ] || fail "the scheduler was started ($n bytes)"
            [ ! -e "$HDIR/test.argv" ] || fail "the test was started ($n bytes)"
            expect_clean
        }
        # a truncated stub is the kernel's to refuse (or crash; or, for an
        # empty file, the shell's to run as an empty script)
        [ ! -e "$HDIR/sched.argv" ] || fail "the scheduler was started ($n bytes)"
    done
}

case_extended() {
    pack_fake
    printf 'x' >> "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_unreadable "no runfile footer (bad magic): the file is truncated"
}

run_case payload-byte-runner-part case_payload_byte_runner_part
run_case payload-byte-scheduler-part case_payload_byte_scheduler_part
run_case payload-byte-everywhere case_payload_byte_everywhere
run_case spec-byte case_spec_byte
run_case footer-bytes case_footer_bytes
run_case truncated case_truncated
run_case extended case_extended
finish
