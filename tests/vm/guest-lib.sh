# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-lib.sh - POSIX-sh helpers for guest scripts run by run-in-vm.sh inside
# the busybox-only VM (no bash there). run-in-vm.sh copies this file into
# the initramfs as /guest-lib.sh; a guest script uses it with
#
#     CASE=SMOKE          # prefix of the verdict lines (default GUEST)
#     . /guest-lib.sh
#
# Helpers:
#   fail MSG...           print "CASE: FAIL: MSG" and exit 1 (runs the
#                         command named in $ON_FAIL first, if set)
#   pass [MSG...]         print "CASE: PASS[: MSG]" and exit 0
#   now_ms                milliseconds since boot (/proc/uptime, 10 ms steps)
#   sched_state           /sys/kernel/sched_ext/state, or "missing"
#   wait_state WANT TIMEOUT_MS
#                         poll sched_state every 10 ms until it reads WANT;
#                         prints the elapsed ms and returns 0, or returns 1
#                         after TIMEOUT_MS
#   assert_no_bash        fail if bash is on PATH or /bin/bash exists
#   assert_clean_host     fail unless the host is as a runfile must leave it:
#                         sched_ext state disabled (no ops attached on
#                         kernels without "state"), no /sys/fs/cgroup/ktstr,
#                         no process whose comm is scheduler, scx_simple or
#                         ktstr, no /tmp/ktstr-run* directory
#   enable_seq            /sys/kernel/sched_ext/enable_seq (how many times a
#                         scheduler was enabled since boot), or "missing"
#
# Runfile helpers (the check-vm cases, tests/vm/case-*.sh):
#   rf_run LOG RUNFILE [ARG...]
#                         run RUNFILE with stdout and stderr merged, shown on
#                         the console (after a "guest# RUNFILE ARG..." line)
#                         and kept in LOG; sets RF_RC (its exit
#                         status) and RF_NAME (its basename, the prefix of
#                         the stub's lines)
#   expect_rc WANT        fail unless RF_RC is WANT
#   expect_verdict LOG PATTERN
#                         fail unless LOG's last line (the stub prints its
#                         verdict last) is "RF_NAME: PATTERN" (a sh pattern:
#                         "PASS", "ERROR (checks: *)")
#   expect_line LOG TEXT  fail unless a line of LOG contains TEXT (fixed string)
#   expect_no_line LOG TEXT
#                         fail if a line of LOG contains TEXT
#   expect_record FILE KEY VALUE
#                         fail unless FILE has the line KEY=VALUE (the sample
#                         test's test.result)
#
# Exit status (of a script using fail/pass): 0 PASS, 1 FAIL.

CASE=${CASE:-GUEST}
SCX=${SCX:-/sys/kernel/sched_ext}

fail() {
    echo "$CASE: FAIL: $*"
    if [ -n "${ON_FAIL:-}" ]; then
        $ON_FAIL || :
    fi
    exit 1
}

pass() {
    if [ $# -gt 0 ]; then echo "$CASE: PASS: $*"; else echo "$CASE: PASS"; fi
    exit 0
}

# No fork: read the first field of /proc/uptime ("123.45") and scale it.
now_ms() {
    read -r _gl_up _gl_idle < /proc/uptime
    _gl_frac=${_gl_up#*.}
    _gl_frac=${_gl_frac#0}       # "05" -> "5": no octal in $(( ))
    echo $(( ${_gl_up%.*} * 1000 + ${_gl_frac:-0} * 10 ))
}

sched_state() {
    if [ -r "$SCX/state" ] && { read -r _gl_st < "$SCX/state"; } 2>/dev/null; then
        echo "$_gl_st"
    else
        echo missing
    fi
}

wait_state() {
    _gl_t0=$(now_ms)
    while :; do
        _gl_now=$(now_ms)
        if [ "$(sched_state)" = "$1" ]; then
            echo $(( _gl_now - _gl_t0 ))
            return 0
        fi
        [ $(( _gl_now - _gl_t0 )) -ge "$2" ] && return 1
        sleep 0.01
    done
}

assert_no_bash() {
    if _gl_b=$(command -v bash 2>/dev/null); then
        fail "bash found in the guest: $_gl_b"
    fi
    for _gl_b in /bin/bash /usr/bin/bash; do
        [ -e "$_gl_b" ] && fail "bash found in the guest: $_gl_b"
    done
    :
}

assert_clean_host() {
    _gl_bad=
    if [ -e "$SCX/state" ]; then
        _gl_st=$(sched_state)
        [ "$_gl_st" = disabled ] || _gl_bad="$_gl_bad; sched_ext state is $_gl_st"
    else
        _gl_ops=$(cat "$SCX/root/ops" 2>/dev/null)
        [ -z "$_gl_ops" ] || _gl_bad="$_gl_bad; sched_ext ops '$_gl_ops' attached"
    fi
    [ -e /sys/fs/cgroup/ktstr ] && _gl_bad="$_gl_bad; /sys/fs/cgroup/ktstr exists"
    for _gl_c in /proc/[0-9]*/comm; do
        { read -r _gl_comm < "$_gl_c"; } 2>/dev/null || continue
        case "$_gl_comm" in
        scheduler|scx_simple|ktstr)
            _gl_pid=${_gl_c#/proc/}
            _gl_pid=${_gl_pid%/comm}
            _gl_bad="$_gl_bad; process $_gl_pid ($_gl_comm) still exists" ;;
        esac
    done
    for _gl_d in /tmp/ktstr-run*; do
        [ -e "$_gl_d" ] && _gl_bad="$_gl_bad; $_gl_d left behind"
    done
    [ -z "$_gl_bad" ] || fail "host not clean: ${_gl_bad#; }"
}

enable_seq() {
    if [ -r "$SCX/enable_seq" ] && { read -r _gl_seq < "$SCX/enable_seq"; } 2>/dev/null; then
        echo "$_gl_seq"
    else
        echo missing
    fi
}

# No pipefail in ash: the runfile's status travels through a file.
rf_run() {
    _gl_log=$1
    shift
    RF_NAME=${1##*/}
    echo "guest# $*"
    { "$@"; echo "$?" > "$_gl_log.rc"; } 2>&1 | tee "$_gl_log"
    RF_RC=
    read -r RF_RC < "$_gl_log.rc" || fail "no exit status recorded for $*"
    rm -f "$_gl_log.rc"
}

expect_rc() {
    [ "$RF_RC" = "$1" ] || fail "$RF_NAME exited $RF_RC, want $1"
}

expect_verdict() {
    _gl_last=$(tail -n 1 "$1")
    # shellcheck disable=SC2254  # $2 is a pattern on purpose
    case "$_gl_last" in
    "$RF_NAME: "$2) ;;
    *) fail "last line of $RF_NAME is '$_gl_last', want '$RF_NAME: $2'" ;;
    esac
}

expect_line() {
    grep -qF -- "$2" "$1" || fail "no line of $1 contains '$2'"
}

expect_no_line() {
    _gl_l=$(grep -F -- "$2" "$1" | head -n 1)
    [ -z "$_gl_l" ] || fail "unexpected line in $1: $_gl_l"
}

expect_record() {
    [ -f "$1" ] || fail "$1 missing (the test did not record its result)"
    grep -qxF -- "$2=$3" "$1" ||
        fail "$1: want $2=$3, have '$(grep "^$2=" "$1" || echo "no $2")'"
}
