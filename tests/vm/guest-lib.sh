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
#   expect_samples SCHED STATE OPS
#                         the sample test (its REC/test.result) expected SCHED
#                         and found it (sched_ok=1): sched_ext in STATE with
#                         root/ops OPS from its first sample to its last, no
#                         sample otherwise, at least 10 of them (SAMPLES:
#                         how many); its workers ran
#   case_begin            how every case starts: sched_ext in this kernel,
#                         no bash, a clean host, the sample test's record
#                         directory REC (default /tmp/rec, its record_dir in
#                         check-vm.sh's runfiles) made; SEQ0 is enable_seq
#   rf_start LOG RUNFILE [ARG...]
#                         start RUNFILE in the background, its output in LOG
#                         only; sets RF_PID and RF_NAME.  Set ON_FAIL=rf_stop
#                         to show LOG and kill it when the case fails
#   rf_wait_for WHAT CMD...
#                         poll CMD (every 50 ms) until it succeeds; fail if
#                         the runfile ends first or after 60 s
#   rf_wait               wait for the runfile; sets RF_RC, clears RF_PID
#
# Topology (cases 3 and a64: the stub must report what the kernel shows):
#   cpulist_expand LIST   one CPU number per line ("0-2,5" -> 0 1 2 5)
#   kernel_topology WANT  compute the topology from the kernel's own files as
#                         the stub reads them (an LLC: a distinct
#                         shared_cpu_list of a CPU's highest-level unified or
#                         data cache; a core: a distinct thread_siblings_list;
#                         a node: a node*/cpulist with CPUs), print it, and
#                         fail unless CPUs/LLCs/min cores per LLC/min threads
#                         per core/nodes is WANT ("8/2/2/2/2": what qemu was
#                         asked for).  Sets TOPO_LLCS, TOPO_CPL, TOPO_TPC,
#                         TOPO_NODES and TOPO_TEXT, the stub's "host
#                         topology:" text
#   expect_topology LOG   fail unless the runfile's "RF_NAME: host topology:"
#                         line in LOG is TOPO_TEXT
#
# Exit status (of a script using fail/pass): 0 PASS, 1 FAIL.

CASE=${CASE:-GUEST}
SCX=${SCX:-/sys/kernel/sched_ext}
REC=${REC:-/tmp/rec}

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

expect_samples() {
    _gl_r=$REC/test.result
    expect_record "$_gl_r" expect_sched "$1"
    expect_record "$_gl_r" sched_ok 1
    expect_record "$_gl_r" bad_samples 0
    expect_record "$_gl_r" workers_ok 1
    expect_record "$_gl_r" first_state "$2"
    expect_record "$_gl_r" last_state "$2"
    expect_record "$_gl_r" last_ops "$3"
    SAMPLES=$(sed -n 's/^samples=//p' "$_gl_r")
    [ "${SAMPLES:-0}" -ge 10 ] || fail "the test took only '$SAMPLES' samples of sched_ext"
}

case_begin() {
    [ -d "$SCX" ] || fail "$SCX missing: this kernel has no sched_ext"
    assert_no_bash
    assert_clean_host
    mkdir -p "$REC"
    # shellcheck disable=SC2034  # for the case
    SEQ0=$(enable_seq)
}

rf_start() {
    _gl_rflog=$1
    shift
    RF_NAME=${1##*/}
    echo "guest# $* &"
    "$@" > "$_gl_rflog" 2>&1 &
    RF_PID=$!
}

# shellcheck disable=SC2317  # run by fail() through $ON_FAIL
rf_stop() {
    echo "--- runfile output"
    cat "$_gl_rflog" 2>/dev/null
    [ -z "${RF_PID:-}" ] || { kill -KILL "$RF_PID" 2>/dev/null; wait "$RF_PID" 2>/dev/null; }
}

rf_wait_for() {
    _gl_what=$1
    shift
    _gl_t0=$(now_ms)
    until "$@"; do
        kill -0 "$RF_PID" 2>/dev/null || fail "the runfile ended before $_gl_what"
        [ $(( $(now_ms) - _gl_t0 )) -lt 60000 ] || fail "not after 60 s: $_gl_what"
        sleep 0.05
    done
}

rf_wait() {
    wait "$RF_PID"
    RF_RC=$?
    RF_PID=
}

cpulist_expand() {
    echo "$1" | tr ',' '\n' | while IFS=- read -r _gl_a _gl_b; do
        [ -n "$_gl_a" ] || continue
        _gl_i=$_gl_a
        while [ "$_gl_i" -le "${_gl_b:-$_gl_a}" ]; do echo "$_gl_i"; _gl_i=$((_gl_i + 1)); done
    done
}

_gl_rd() { cat "$1" 2>/dev/null; }

# _gl_llc_of CPU: "LEVEL LIST" of the CPU's highest-level unified (or data) cache
_gl_llc_of() {
    _gl_best=0 _gl_list=
    for _gl_i in /sys/devices/system/cpu/cpu"$1"/cache/index*; do
        case "$(_gl_rd "$_gl_i/type")" in Unified|Data) ;; *) continue ;; esac
        _gl_lv=$(_gl_rd "$_gl_i/level")
        if [ "$_gl_lv" -gt "$_gl_best" ]; then
            _gl_best=$_gl_lv
            _gl_list=$(_gl_rd "$_gl_i/shared_cpu_list")
        fi
    done
    echo "$_gl_best $_gl_list"
}

# _gl_siblings CPU: its thread_siblings_list (the CPUs of its core)
_gl_siblings() { _gl_rd "/sys/devices/system/cpu/cpu$1/topology/thread_siblings_list"; }

kernel_topology() {
    _gl_want=$1
    _gl_online=$(_gl_rd /sys/devices/system/cpu/online)
    _gl_ncpu=$(cpulist_expand "$_gl_online" | wc -l | tr -d ' ')
    _gl_llcs='' _gl_llc_desc='' TOPO_LLCS=0 _gl_cores='' _gl_ncore=0
    for _gl_c in $(cpulist_expand "$_gl_online"); do
        # shellcheck disable=SC2046  # "LEVEL LIST" into $1 $2
        set -- $(_gl_llc_of "$_gl_c")
        [ -n "${2:-}" ] || fail "cpu$_gl_c has no unified/data cache information"
        case " $_gl_llcs " in
        *" $2 "*) ;;
        *) _gl_llcs="$_gl_llcs $2"; TOPO_LLCS=$((TOPO_LLCS + 1)); _gl_llc_desc="$_gl_llc_desc | L$1: $2" ;;
        esac
        _gl_sib=$(_gl_siblings "$_gl_c")
        case " $_gl_cores " in
        *" $_gl_sib "*) ;;
        *) _gl_cores="$_gl_cores $_gl_sib"; _gl_ncore=$((_gl_ncore + 1)) ;;
        esac
    done
    # min cores per LLC: distinct sibling lists among each LLC's CPUs
    TOPO_CPL=
    for _gl_l in $_gl_llcs; do
        _gl_n=$(for _gl_c in $(cpulist_expand "$_gl_l"); do _gl_siblings "$_gl_c"; done |
            sort -u | wc -l | tr -d ' ')
        if [ -z "$TOPO_CPL" ] || [ "$_gl_n" -lt "$TOPO_CPL" ]; then TOPO_CPL=$_gl_n; fi
    done
    TOPO_TPC=
    for _gl_s in $_gl_cores; do
        _gl_n=$(cpulist_expand "$_gl_s" | wc -l | tr -d ' ')
        if [ -z "$TOPO_TPC" ] || [ "$_gl_n" -lt "$TOPO_TPC" ]; then TOPO_TPC=$_gl_n; fi
    done
    TOPO_NODES=0 _gl_node_desc=
    for _gl_d in $(for _gl_x in /sys/devices/system/node/node[0-9]*; do
                       [ -e "$_gl_x" ] && echo "${_gl_x##*/node}"; done | sort -n); do
        _gl_l=$(_gl_rd "/sys/devices/system/node/node$_gl_d/cpulist")
        [ -n "$_gl_l" ] || continue
        TOPO_NODES=$((TOPO_NODES + 1))
        _gl_node_desc="$_gl_node_desc | node$_gl_d: $_gl_l"
    done
    TOPO_TEXT="$_gl_ncpu CPUs online ($_gl_online), $TOPO_LLCS LLCs (${_gl_llc_desc# | }), $_gl_ncore cores,"
    TOPO_TEXT="$TOPO_TEXT $TOPO_NODES NUMA nodes (${_gl_node_desc# | }), min $TOPO_CPL cores per LLC,"
    TOPO_TEXT="$TOPO_TEXT min $TOPO_TPC threads per core"
    echo "kernel topology: $TOPO_TEXT"
    _gl_have="$_gl_ncpu/$TOPO_LLCS/$TOPO_CPL/$TOPO_TPC/$TOPO_NODES"
    [ "$_gl_have" = "$_gl_want" ] ||
        fail "VM topology is cpus/LLCs/cores per LLC/threads/nodes = $_gl_have, want $_gl_want"
}

expect_topology() {
    _gl_have=$(sed -n "s/^$RF_NAME: host topology: //p" "$1")
    [ "$_gl_have" = "$TOPO_TEXT" ] || fail "stub reports '$_gl_have', kernel shows '$TOPO_TEXT'"
}
