#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# harden-malformed.sh - the run path of every malformed variant that can
# execute (its stub is intact): as root, with a real cgroup2 and a
# synthetic sched_ext, each must stop with its specific message, end with
# an ERROR verdict (ERROR (load: ...) for a file it cannot read) and exit 1,
# execute nothing from the payload (the sample test and the fake scheduler
# record their argv when they run), write nothing outside its temp dir,
# and leave no temp dir, cgroup or process.  The readers that need no root
# are checked on the same variants by tests/harden/malformed.sh.
# MB_ONLY=REGEX runs only the matching variants.
MKBAD=$(dirname "${KTSTR_PACK:-$PWD/ktstr-pack}")/tests/harden/ktstr-mkbad
# shellcheck disable=SC2034   # read by lib.sh, and by lib-malformed.sh
HERMETIC_EXTRA_BINS=$MKBAD
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../harden/lib-malformed.sh"
hermetic_enter "$@"
MKBAD=/run/bin/ktstr-mkbad
# shellcheck disable=SC2034
MB_DIR=$WORK

# What the attacks aim at, made safe to aim at: a copy of /etc/passwd over
# the real one and an empty /etc/cron.d (a bug here must not reach the host)
cp /etc/passwd /run/passwd.copy
mount --bind /run/passwd.copy /etc/passwd
PASSWD_SUM=$(cksum < /etc/passwd)
[ -d /etc/cron.d ] && mount -t tmpfs -o size=1m tmpfs /etc/cron.d
# a filesystem too small for the honestly declared 8 GiB payload
mkdir -p /run/small
mount -t tmpfs -o size=64m tmpfs /run/small
mb_good "$WORK/good.run"

# case_variant: run $WORK/v.run, made by mb_make (MB_* say what to expect)
case_variant() {
    local tmp=/tmp before
    [ "$MB_BIG" = 1 ] && tmp=/run/small
    before=$(ls -A /tmp "$tmp")
    mkdir -p "$WORK/cwd"
    run_rf env -C "$WORK/cwd" TMPDIR=$tmp "$WORK/v.run"
    expect_rc 1
    expect_err "$MB_MSG"
    if [ "$MB_LEVEL" = load ]; then
        # refused when the runfile is opened, yet a run: it ends with its verdict
        expect_err "cannot read this runfile: "
        expect_verdict_prefix "v.run: ERROR (load: "
        tail -n1 "$ERR" | grep -qF -- "$MB_MSG" || fail "the verdict lacks: $MB_MSG"
    else
        expect_err "ERROR ("
    fi
    expect_no_err "PASS"
    ! grep -qE 'Sanitizer|runtime error|Segmentation' "$ERR" || fail "the stub crashed"
    # nothing from the payload ran
    [ ! -e "$HDIR/test.argv" ] || fail "the test binary was executed"
    [ ! -e "$HDIR/sched.argv" ] || fail "the scheduler was executed"
    expect_clean
    [ "$(ls -A /tmp "$tmp")" = "$before" ] || fail "files appeared: $(ls -A /tmp "$tmp")"
    [ -z "$(ls -A "$WORK/cwd")" ] || fail "written in the current directory: $(ls -A "$WORK/cwd")"
    [ "$(cksum < /etc/passwd)" = "$PASSWD_SUM" ] || fail "/etc/passwd was written"
    [ -z "$(ls -A /etc/cron.d 2>/dev/null)" ] || fail "/etc/cron.d was written"
    mb_sentinels || fail "$MB_WHY"
    if [ "$MB_BIG" = 1 ]; then
        # --extract checks the free space too, and leaves nothing behind
        run_rf "$WORK/v.run" --extract /run/small/x
        expect_rc 1
        expect_err "$MB_MSG"
        [ -z "$(ls -A /run/small)" ] || fail "--extract left: $(ls -A /run/small)"
    fi
}

# the variants' source itself runs: what they fail on is their own damage
case_good() {
    run_rf "$WORK/good.run"
    expect_rc 0
    expect_err "PASS"
    expect_clean
}

# the 127 cuts inside the footer take one path: one case runs them all
case_footer_cuts() {
    local c
    for c in $(mkbad --list | grep -E -- '^trunc-footer-[0-9]+$'); do
        mb_make "$WORK/good.run" "$c" "$WORK/v.run" || fail "ktstr-mkbad $c failed" || return 1
        case_variant || fail "(in $c)" || return 1
    done
}

run_case good-runfile-passes case_good
run_case trunc-footer-1..127 case_footer_cuts
for c in $(mkbad --list | grep -vE -- '^trunc-footer-[0-9]+$' | grep -E -- "${MB_ONLY:-.}"); do
    if ! mb_make "$WORK/good.run" "$c" "$WORK/v.run"; then
        run_case "$c" fail "ktstr-mkbad failed"
        continue
    fi
    [ "$MB_EXEC" = 1 ] || continue     # a cut stub: only ktstr-pack reads it
    run_case "$c" case_variant
done
finish
