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
