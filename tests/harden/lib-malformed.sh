# shellcheck shell=bash disable=SC2034   # MB_* are read by the scripts
# SPDX-License-Identifier: GPL-2.0-only
# lib-malformed.sh - shared by tests/harden/malformed.sh (every reader but
# the run, no root needed) and tests/hermetic/harden-malformed.sh (the run
# path, as root in the namespace harness): make the good runfile, make a
# variant with ktstr-mkbad, and check what a reader says about it.
#
# Needs: KTSTR_PACK, MKBAD, SAMPLE_TEST, FAKE_SCHED, MB_DIR (a scratch dir).

mkbad() { "$MKBAD" "$@"; }

# mb_good OUT: a runfile with a scheduler, an include, a scheduler argument
# and an early prefix: every region and record kind a variant can break.
mb_good() {
    printf 'expect_sched=fake\n' > "$MB_DIR/sample-test.conf"
    "$KTSTR_PACK" --runner "$SAMPLE_TEST" --scheduler "$FAKE_SCHED" --sched-name fake \
        --include "$MB_DIR/sample-test.conf" --sched-arg=--foo -o "$1" sample \
        > /dev/null 2> "$MB_DIR/pack.err" || { cat "$MB_DIR/pack.err" >&2; return 1; }
}

# mb_make GOOD CASE OUT: write the variant; sets MB_LEVEL MB_EXEC
# MB_BIG MB_MSG MB_VERIFY from what ktstr-mkbad says is expected.
mb_make() {
    local k v
    MB_LEVEL='' MB_EXEC='' MB_BIG='' MB_MSG='' MB_VERIFY=''
    mkbad "$1" "$2" "$3" > "$MB_DIR/expect" || return 1
    while IFS='=' read -r k v; do
        case $k in
        level) MB_LEVEL=$v ;; exec) MB_EXEC=$v ;;
        big) MB_BIG=$v ;; msg) MB_MSG=$v ;; verify) MB_VERIFY=$v ;;
        esac
    done < "$MB_DIR/expect"
    [ -n "$MB_LEVEL" ] && [ -n "$MB_MSG" ]
}

MB_WHY=''
mb_fail() { MB_WHY="$*"; return 1; }

# mb_expect WHAT RC WANT-RC ERRFILE MESSAGE: the reader's status and message
mb_expect() {
    [ "$2" = "$3" ] || mb_fail "$1: exit status $2, expected $3: $(head -c 600 "$4")" || return 1
    [ -z "$5" ] || grep -qF -- "$5" "$4" ||
        mb_fail "$1: message lacks '$5': $(head -c 600 "$4")" || return 1
    # a refusal is one clean message, not a crash or a sanitizer report
    ! grep -qE 'Sanitizer|runtime error|Segmentation|core dumped|fatal: out of memory' "$4" ||
        mb_fail "$1: crashed: $(head -c 600 "$4")"
}

# mb_readers FILE SCRATCH: ktstr-pack --inspect, and the runfile's
# --inspect, --verify and --extract (in an empty SCRATCH, which must stay
# empty: a failed --extract removes what it wrote and the directory it made)
mb_readers() {
    local f=$1 s=$2 rc err=$MB_DIR/err out=$MB_DIR/out
    set +e
    "$KTSTR_PACK" --inspect "$f" > "$out" 2> "$err"; rc=$?
    set -e
    if [ "$MB_LEVEL" = load ]; then
        mb_expect "ktstr-pack --inspect" $rc 1 "$err" "$MB_MSG" || return 1
    else
        mb_expect "ktstr-pack --inspect" $rc 0 "$err" "" || return 1
        grep -q '^test: *sample$' "$out" || mb_fail "ktstr-pack --inspect: no test line" || return 1
    fi
    [ "$MB_EXEC" = 1 ] || return 0

    set +e
    (cd "$s" && TMPDIR=$s "$f" --inspect) > "$out" 2> "$err"; rc=$?
    set -e
    if [ "$MB_LEVEL" = load ]; then
        mb_expect "--inspect" $rc 1 "$err" "$MB_MSG" || return 1
        grep -qF 'error: cannot read this runfile: ' "$err" && grep -qF 'nothing was extracted or run' "$err" ||
            mb_fail "--inspect: not the load error with its hint: $(cat "$err")" || return 1
    else
        mb_expect "--inspect" $rc 0 "$err" "" || return 1
    fi

    set +e
    (cd "$s" && TMPDIR=$s "$f" --verify) > "$out" 2> "$err"; rc=$?
    set -e
    case $MB_LEVEL in
    load) mb_expect "--verify" $rc 1 "$err" "$MB_MSG" || return 1 ;;
    payload) mb_expect "--verify" $rc 1 "$err" "$MB_VERIFY" || return 1 ;;
    tar) mb_expect "--verify" $rc 0 "$err" "" || return 1
         grep -qF 'OK: footer, spec and payload digests match' "$out" ||
             mb_fail "--verify: no OK line" || return 1 ;;
    esac

    # an honestly declared 8 GiB payload is extracted for real where the
    # disk has room: only tests with a small filesystem try that one
    if [ "$MB_BIG" != 1 ]; then
        set +e
        (cd "$s" && TMPDIR=$s "$f" --extract x) > "$out" 2> "$err"; rc=$?
        set -e
        mb_expect "--extract" $rc 1 "$err" "$MB_MSG" || return 1
        [ -z "$(ls -A "$s")" ] || mb_fail "--extract left: $(ls -A "$s")" || return 1
    fi
    return 0
}

# mb_sentinels: what the attacks aim at must not exist afterwards
mb_sentinels() {
    local p
    for p in /tmp/ktstr-pwned /etc/cron.d/ktstr-pwned "$MB_DIR/ktstr-pwned"; do
        [ ! -e "$p" ] && [ ! -L "$p" ] || mb_fail "$p was written" || return 1
    done
}
