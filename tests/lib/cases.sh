# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
#
# cases.sh - the case runner that the test scripts of tests/integration,
# tests/convert and tests/hermetic share (each area's lib.sh sources it):
# every case is a function run in a subshell, reported on one line "ok
# NAME" or "FAIL NAME", and the script ends with `finish`, whose line "N
# cases, M failed[: NAMES]" and status are the script's.
#
#   case_selected NAME   false when KTSTR_CASES="NAME..." is set (to run
#                        some cases while debugging) and does not name it
#   case_run NAME CMD... CMD in a subshell under set -e (the caller's own
#                        set -e is kept); CASE_RC is its status.  Call it
#                        as a command of its own: set -e does nothing in a
#                        condition (`if`, `||`), not even in a subshell
#   case_done NAME RC    count a case that ran; RC 0: it passed
#   finish               the summary line; fails when a case failed

CASES_RUN=0
CASES_FAILED=0
FAILED_NAMES=

case_selected() {
    case " ${KTSTR_CASES:-$1} " in *" $1 "*) return 0 ;; esac
    return 1
}

case_done() {
    CASES_RUN=$((CASES_RUN + 1))
    if [ "$2" = 0 ]; then
        echo "ok   $1"
    else
        echo "FAIL $1"
        CASES_FAILED=$((CASES_FAILED + 1))
        FAILED_NAMES="$FAILED_NAMES $1"
    fi
}

case_run() {
    local name=$1 opts=$-
    shift
    set +e
    ( set -e; "$@" )
    CASE_RC=$?
    case $opts in *e*) set -e ;; esac
    case_done "$name" "$CASE_RC"
}

finish() {
    echo "$CASES_RUN cases, $CASES_FAILED failed${FAILED_NAMES:+:$FAILED_NAMES}"
    [ "$CASES_FAILED" = 0 ]
}
