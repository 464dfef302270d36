#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-atomic.sh - ktstr-pack writes NAME.run atomically: a pack that fails
# early or halfway, or is killed by SIGINT, SIGTERM or SIGHUP, leaves no
# output and no temporary file, an existing output stays as it was, and a
# new one replaces it whole, mode 0755.
. "$(dirname "$0")/lib.sh"

# unpriv CMD...: CMD without the capabilities that bypass file permissions
# (root drops them from its bounding set); returns 99 when impossible
unpriv() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v setpriv > /dev/null &&
        setpriv --bounding-set -dac_override,-dac_read_search true 2> /dev/null; then
        setpriv --bounding-set -dac_override,-dac_read_search "$@"
    else
        return 99
    fi
}

# permissions_bite: unpriv really cannot read a mode-000 file here
permissions_bite() {
    local rc=0
    printf 'secret' > "$WORK/probe"
    chmod 000 "$WORK/probe"
    unpriv cat "$WORK/probe" > /dev/null 2>&1 || rc=$?
    [ "$rc" != 0 ] && [ "$rc" != 99 ]
}

# nothing_written DIR [NAME]: no NAME (default t.run) and no temporary file
nothing_written() {
    [ ! -e "$1/${2:-t.run}" ] || fail "$1/${2:-t.run} exists after a failed pack"
    no_temp_files "$1"
}

case_unreadable_include() {
    inputs
    permissions_bite || { echo "  (cannot drop file permission bypass: case skipped)"; return; }
    printf 'secret' > in/secret
    chmod 000 in/secret
    RC=0
    unpriv "$KTSTR_PACK" --runner in/ktstr-test --include in/secret t \
        > "$WORK/out" 2> "$WORK/err" || RC=$?
    expect_error "cannot open in/secret: Permission denied"
    nothing_written "$WORK"
}

case_output_dir_not_writable() {
    inputs
    pack --runner in/ktstr-test -o missing-dir/t.run t
    expect_error "missing-dir/t.run" "No such file or directory"
    [ ! -e missing-dir ] || fail "the output directory was created"
    permissions_bite || { echo "  (cannot drop file permission bypass: rest skipped)"; return; }
    mkdir ro
    chmod 555 ro
    RC=0
    unpriv "$KTSTR_PACK" --runner in/ktstr-test -o ro/t.run t > "$WORK/out" 2> "$WORK/err" || RC=$?
    expect_error "cannot create a temporary file next to ro/t.run" "Permission denied"
    nothing_written ro
}

# A member whose bytes end before its stat size (sysfs reports 4096 for a
# few bytes): the failure comes after the temporary file was started.
case_member_shrinks() {
    local f=/sys/devices/system/cpu/online
    inputs
    [ -f $f ] && [ "$(stat -c %s $f)" -gt "$(wc -c < $f)" ] ||
        { echo "  (no sysfs file larger than its content: case skipped)"; return; }
    pack --runner in/ktstr-test --scheduler in/scx_fake --include $f -o t.run t
    expect_error "$f shrank while it was being packed" "cannot write t.run"
    nothing_written "$WORK"
}

# A member that has more bytes than its stat size (procfs says 0).
case_member_grows() {
    inputs
    [ -f /proc/version ] && [ "$(stat -c %s /proc/version)" = 0 ] ||
        { echo "  (no /proc/version of size 0: case skipped)"; return; }
    pack --runner in/ktstr-test --include /proc/version -o t.run t
    expect_error "/proc/version grew while it was being packed"
    nothing_written "$WORK"
}

# The spec is written after the payload: a spec over its 1 MiB bound fails
# last, when the temporary file holds the stub and the whole payload.
case_spec_too_large() {
    local big
    inputs
    big=$(head -c 120000 /dev/zero | tr '\0' a)
    pack --runner in/ktstr-test --scheduler in/scx_fake --sched-arg "$big" --sched-arg "$big" \
        --sched-arg "$big" --sched-arg "$big" --sched-arg "$big" --sched-arg "$big" \
        --sched-arg "$big" --sched-arg "$big" --sched-arg "$big" -o t.run t
    expect_error "cannot write t.run" "the spec would be" "(max 1048576)"
    nothing_written "$WORK"
}

case_existing_output_untouched() {
    local f=/sys/devices/system/cpu/online
    inputs
    printf 'previous runfile\n' > t.run
    chmod 640 t.run
    touch -d '2001-01-01' t.run
    stat -c '%a %s %Y %i' t.run > before
    pack --runner in/ktstr-test --include in/missing t
    expect_error "include in/missing"
    if [ -f $f ] && [ "$(stat -c %s $f)" -gt "$(wc -c < $f)" ]; then
        pack --runner in/ktstr-test --include $f t   # fails halfway
        expect_error "shrank"
    fi
    [ "$(cat t.run)" = "previous runfile" ] || fail "the existing output was changed"
    [ "$(stat -c '%a %s %Y %i' t.run)" = "$(cat before)" ] || fail "its metadata changed"
    no_temp_files "$WORK"
}

case_replace_whole() {
    inputs
    printf 'previous runfile\n' > t.run
    chmod 600 t.run
    ln t.run old-link.run
    pack --runner in/ktstr-test t
    expect_ok "pack over an existing file"
    [ "$(stat -c %a t.run)" = 755 ] || fail "replaced t.run has mode $(stat -c %a t.run)"
    # renamed into place, never rewritten in place: the old inode is intact
    [ "$(cat old-link.run)" = "previous runfile" ] || fail "the old file was overwritten in place"
    [ "$(json t.run 'j["test"]')" = t ] || fail "the new t.run is not a runfile"
    no_temp_files "$WORK"
}

case_mode_ignores_umask() {
    inputs
    (umask 077 && "$KTSTR_PACK" --runner in/ktstr-test t 2> /dev/null) || fail "pack failed"
    [ "$(stat -c %a t.run)" = 755 ] || fail "with umask 077 t.run has mode $(stat -c %a t.run)"
}

# one_cpu: a taskset prefix that puts ktstr-pack and all its compression
# threads on one CPU, when taskset can; nothing otherwise
one_cpu() {
    local cpu
    command -v taskset > /dev/null || return 0
    cpu=$(taskset -cp $$ 2> /dev/null | sed 's/.*: *//; s/[-,].*//')
    [ -n "$cpu" ] && taskset -c "$cpu" true 2> /dev/null && echo "taskset -c $cpu"
}

# interrupted SIG: a pack killed by SIG while it writes leaves no temporary
# file, dies of SIG (status 128+N) and leaves t.run, if there was one, as
# it was.  The pack is stopped (SIGSTOP) as soon as its temporary file
# exists, SIG is queued, then it goes on: how fast the host compresses does
# not matter, only that the pack lasts longer than one poll (a 30 MB
# runner at level 12 on one CPU takes seconds).
interrupted() {
    local sig=$1 pin pid rc=0 i before=
    inputs
    for i in $(seq 32); do cat in/ktstr-test; done > in/big
    chmod 755 in/big
    [ -e t.run ] && before=$(stat -c '%a %s %Y %i' t.run)
    pin=$(one_cpu)
    # a background job of a script ignores SIGINT, and so would ktstr-pack
    # shellcheck disable=SC2086
    (trap - INT; exec $pin "$KTSTR_PACK" --runner in/big --level 12 -o t.run t 2> "$WORK/err") &
    pid=$!
    for ((i = 0; i < 1000; i++)); do
        [ -n "$(compgen -G 't.run.tmp-*')" ] && break
        kill -0 $pid 2> /dev/null || break
        sleep 0.01
    done
    kill -STOP $pid 2> /dev/null
    if [ -z "$(compgen -G 't.run.tmp-*')" ]; then
        fail "no t.run.tmp-* while packing (ktstr-pack ended or never started): $(cat "$WORK/err")"
        kill -KILL $pid 2> /dev/null
        wait $pid 2> /dev/null
        return
    fi
    kill -"$sig" $pid
    kill -CONT $pid
    wait $pid 2> /dev/null || rc=$?
    [ "$rc" = $((128 + $(kill -l "$sig"))) ] ||
        fail "killed by SIG$sig, ktstr-pack exited $rc, not $((128 + $(kill -l "$sig")))"
    no_temp_files "$WORK"
    if [ -n "$before" ]; then
        [ "$(cat t.run)" = "previous runfile" ] || fail "SIG$sig: the existing t.run was changed"
        [ "$(stat -c '%a %s %Y %i' t.run)" = "$before" ] || fail "SIG$sig: its metadata changed"
    else
        [ ! -e t.run ] || fail "SIG$sig: t.run exists after an interrupted pack"
    fi
}

case_interrupted_int() {
    printf 'previous runfile\n' > t.run
    touch -d '2001-01-01' t.run
    interrupted INT
}

case_interrupted_term() {
    interrupted TERM
}

case_interrupted_hup() {
    printf 'previous runfile\n' > t.run
    interrupted HUP
}

run_case unreadable-include case_unreadable_include
run_case output-dir-not-writable case_output_dir_not_writable
run_case member-shrinks case_member_shrinks
run_case member-grows case_member_grows
run_case spec-too-large case_spec_too_large
run_case existing-output-untouched case_existing_output_untouched
run_case replace-whole case_replace_whole
run_case mode-ignores-umask case_mode_ignores_umask
run_case interrupted-int case_interrupted_int
run_case interrupted-term case_interrupted_term
run_case interrupted-hup case_interrupted_hup
finish
