#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# test-binary.sh - ktstr-pack NAME --test-binary BIN: runs the binary's own
# exporter (a fake one: mkbashrun answering --ktstr-export-test=NAME) in a
# new private directory, converts what it writes, removes the directory
# whatever happens, and explains each way it can fail.
set -eu
. "$(dirname "$0")/lib.sh"
cv_setup
BIN=$T/bin/my-tests
mkdir "$T/bin"
cp "$MKBASHRUN" "$BIN"

# exporter [mkbashrun options]: what the fake test binary will export
exporter() {
    printf '%s\0' --name my_test --runner "$SAMPLE_TEST" --include "$T/sample-test.conf" \
        --fake-record "$T/record" "$@" > "$BIN.args"
}

# pack_from NAME [ktstr-pack options]: sets RC, ERR
pack_from() {
    local name=$1; shift
    ERR=$T/err
    rm -f "$T/record"
    set +e
    "$KTSTR_PACK" "$name" --test-binary "$BIN" "$@" > "$T/out" 2> "$ERR"
    RC=$?
    set -e
}

# the exporter ran in a private (0700) new directory that is gone now
expect_private_dir_removed() {
    local dir mode
    [ -f "$T/record" ] || fail "the test binary did not run" || return 1
    dir=$(sed -n 1p "$T/record")
    mode=$(sed -n 2p "$T/record")
    [[ "$dir" == "${TMPDIR:-/tmp}"/ktstr-pack-export-* ]] ||
        fail "it ran in $dir, not in a new ktstr-pack-export-* directory" || return 1
    [ "$mode" = 700 ] || fail "its directory had mode $mode, not 700" || return 1
    [ ! -e "$dir" ] || fail "its directory $dir was left behind"
}

expect_failed() {
    [ "$RC" = 1 ] || fail "exit status $RC, expected 1" || return 1
    grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1" || return 1
    [ -z "$(ls -A "$T/o")" ] || fail "files left: $(ls -A "$T/o")"
}

case_converts() {
    exporter --scheduler "$SCHED_PROBE" --sched-name fake --git-hash 4567def --sched-arg 'a b'
    pack_from my_test -o "$T/o/my_test.run"
    [ "$RC" = 0 ] || fail "exit status $RC"
    expect_private_dir_removed
    "$KTSTR_PACK" --inspect "$T/o/my_test.run" --json > "$T/json"
    grep -qF '"test": "my_test",' "$T/json" || fail "wrong test"
    grep -qF '"git_hash": "4567def",' "$T/json" || fail "git hash not kept"
    grep -qF '"scheduler_args": [[{"literal": "a b"}]],' "$T/json" || fail "scheduler args"
    grep -qF '(from cargo ktstr export)' "$T/json" || fail "packer string"
    mkdir "$T/new"
    "$T/o/my_test.run" --extract "$T/new" > /dev/null
    cmp -s "$T/new/ktstr" "$SAMPLE_TEST" || fail "the runner differs"
    cmp -s "$T/new/scheduler" "$SCHED_PROBE" || fail "the scheduler differs"
    [ "$(ls -A "$T/o")" = my_test.run ] || fail "other files: $(ls -A "$T/o")"
}

case_default_output_and_git() {
    # the exporter ran outside any checkout: its "unknown" git hash is
    # replaced by HEAD of the checkout ktstr-pack runs in
    exporter
    mkdir -p "$T/o/.git/refs/heads"
    echo 'ref: refs/heads/main' > "$T/o/.git/HEAD"
    echo 89abcdef0123456789abcdef0123456789abcdef > "$T/o/.git/refs/heads/main"
    ERR=$T/err
    (cd "$T/o" && "$KTSTR_PACK" my_test --test-binary "$BIN") 2> "$ERR" || fail "failed"
    [ -x "$T/o/my_test.run" ] || fail "no my_test.run in the current directory"
    "$KTSTR_PACK" --inspect "$T/o/my_test.run" --json | grep -qF '"git_hash": "89abcde",' ||
        fail "git hash: $("$KTSTR_PACK" --inspect "$T/o/my_test.run" --json | grep git_hash)"
    grep -qF "git hash: 89abcde" "$ERR" || fail "the git hash fill was not reported"
    rm -rf "$T/o/.git"
}

case_unknown_name() {
    exporter
    pack_from other_test -o "$T/o/x.run"
    expect_failed "has no test named 'other_test' (it says: no registered test named 'other_test')"
    expect_private_dir_removed
}

case_binary_fails() {
    exporter --fake-mode fail
    pack_from my_test -o "$T/o/x.run"
    expect_failed "--ktstr-export-test=my_test exited 1"
    grep -qxE '  \| +fake exporter failing on purpose' "$ERR" || fail "its output was not shown"
    expect_private_dir_removed
}

case_binary_hangs() {
    local pid
    exporter --fake-mode hang
    pack_from my_test -o "$T/o/x.run" --test-binary-timeout 1
    expect_failed "--ktstr-export-test=my_test did not finish within 1 s and was killed"
    grep -qF "  | fake exporter: hanging" "$ERR" || fail "its output was not shown"
    expect_private_dir_removed
    pid=$(sed -n 3p "$T/record")
    ! kill -0 "$pid" 2> /dev/null || fail "the test binary $pid is still running"
}

case_interrupted() {
    # ktstr-pack stopped by a signal while the binary runs: the binary is
    # killed, the directory removed, and ktstr-pack dies of that signal
    local pid i
    exporter --fake-mode hang
    rm -f "$T/record"
    "$KTSTR_PACK" my_test --test-binary "$BIN" -o "$T/o/x.run" 2> "$T/err" &
    pid=$!
    for i in $(seq 500); do [ -s "$T/record" ] && break; sleep 0.01; done
    [ -s "$T/record" ] || fail "the test binary never started" || return 1
    sleep 0.1   # the record is written before the binary settles in pause()
    kill -TERM "$pid"
    set +e
    wait "$pid"
    RC=$?
    set -e
    [ "$RC" = 143 ] || fail "exit status $RC, expected 143 (SIGTERM)"
    expect_private_dir_removed
    ! kill -0 "$(sed -n 3p "$T/record")" 2> /dev/null || fail "the test binary is still running"
    [ -z "$(ls -A "$T/o")" ] || fail "files left: $(ls -A "$T/o")"
}

case_interrupted_converting() {
    # stopped by a signal after the binary has exported, while its file is
    # converted: the export directory (with NAME.run in it) and the
    # conversion's temporary output are removed, and ktstr-pack dies of it.
    # A big runner keeps the conversion busy; SIGSTOP holds ktstr-pack
    # while the signal is queued, so the machine's speed does not matter.
    local pid i tmp
    { cat "$SAMPLE_TEST"; head -c 24000000 /dev/urandom; } > "$T/big"
    printf '%s\0' --name my_test --runner "$T/big" --include "$T/sample-test.conf" \
        --fake-record "$T/record" > "$BIN.args"
    rm -f "$T/record"
    "$KTSTR_PACK" my_test --test-binary "$BIN" -o "$T/o/x.run" 2> "$T/err" &
    pid=$!
    tmp=
    for i in $(seq 3000); do
        tmp=$(find "$T/o" -name 'x.run.tmp-*' 2> /dev/null | head -n 1)
        [ -n "$tmp" ] && break
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.01
    done
    [ -n "$tmp" ] || { kill "$pid" 2> /dev/null; fail "the conversion's temporary file never appeared"; return 1; }
    kill -STOP "$pid"
    kill -TERM "$pid"
    kill -CONT "$pid"
    set +e
    wait "$pid"
    RC=$?
    set -e
    [ "$RC" = 143 ] || fail "exit status $RC, expected 143 (SIGTERM): $(cat "$T/err")"
    expect_private_dir_removed
    [ -z "$(ls -A "$T/o")" ] || fail "files left: $(ls -A "$T/o")"
}

case_binary_writes_nothing() {
    exporter --fake-mode nofile
    pack_from my_test -o "$T/o/x.run"
    expect_failed "exited 0 but wrote no my_test.run"
    expect_private_dir_removed
}

case_exported_file_refused() {
    # what the binary wrote cannot be mapped: the conversion's reason, located
    exporter --extra-member "etc/passwd=$T/sched.cfg"
    pack_from my_test -o "$T/o/x.run"
    expect_failed "converting the my_test.run that $BIN wrote: my_test.run:"
    grep -qF "archive member 'etc/passwd' is outside the layout" "$ERR" || fail "no reason"
    expect_private_dir_removed
}

case_usage() {
    exporter
    pack_from my_test --runner "$SAMPLE_TEST"
    expect_failed "--test-binary takes the whole test spec from the test"
    ERR=$T/err
    set +e
    "$KTSTR_PACK" --test-binary "$BIN" 2> "$ERR"; RC=$?
    set -e
    expect_failed "--test-binary needs exactly one test NAME"
    set +e
    "$KTSTR_PACK" my_test --test-binary "$T/bin/nonexistent" 2> "$ERR"; RC=$?
    set -e
    expect_failed "test binary $T/bin/nonexistent not found"
    set +e
    "$KTSTR_PACK" --from-run x.run --test-binary "$BIN" 2> "$ERR"; RC=$?
    set -e
    expect_failed "--from-run and --test-binary exclude each other"
}

cv_case converts case_converts
cv_case default-output-and-git-hash case_default_output_and_git
cv_case unknown-test-name case_unknown_name
cv_case binary-fails case_binary_fails
cv_case binary-hangs case_binary_hangs
cv_case interrupted case_interrupted
cv_case interrupted-converting case_interrupted_converting
cv_case binary-writes-nothing case_binary_writes_nothing
cv_case exported-file-refused case_exported_file_refused
cv_case usage case_usage
finish
