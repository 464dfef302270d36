# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - the hermetic harness: run the real stub as root in a private
# mount and pid namespace, with a real cgroup2 at /sys/fs/cgroup and
# synthetic /sys/kernel/sched_ext and /sys/devices/system trees.
#
# A test script sources this file, calls `hermetic_enter "$@"` (which
# re-executes the script inside the namespaces, or exits 77 when that is
# impossible), then runs cases with `run_case NAME FUNCTION`, and ends with
# `finish`.  Nothing here changes the host: every mount is private, the
# cgroup2 tree is a per-test child of the real hierarchy, removed at exit.
# Scripts run in parallel (make -j): each has its own namespaces, /run,
# /tmp and cgroup (checked at setup).
#
# Cases run in subshells and must not leak into each other: run_case
# resets the mounts, the synthetic sysfs, the helper files and snapshots
# the cgroups first, and scrubs after a failed case; every case ends with
# expect_clean (no temp dir, no new cgroup, no live process, sched_ext
# detached).  Helpers: pack/pack_sched, run_rf (foreground) or
# start_rf/wait_rf (background), expect_rc/expect_err/expect_out,
# expect_verdict/expect_verdict_prefix (the last line of stderr),
# expect_argv (NUL-separated argv, byte for byte), extraction_dir,
# wait_for, alive, kernel_detach_when_gone, need.
#
# Environment (set by the Makefile; defaults for a run from the build dir):
#   KTSTR_PACK, KTSTR_HELPERS (dir of sample-test, fake-scheduler, mktopo)

: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
SAMPLE_TEST=$KTSTR_HELPERS/sample-test
FAKE_SCHED=$KTSTR_HELPERS/fake-scheduler
MKTOPO=$KTSTR_HELPERS/mktopo
EXEC_STAMP=$KTSTR_HELPERS/exec-stamp   # optional (benchmarks)
HDIR=/run/ktstr-test            # helper exchange dir (see tests/helpers/helper.h)
# run_case's counting and `finish`; sourced here, before hermetic_enter
# mounts a tmpfs over /tmp (where the source tree may be)
# shellcheck source-path=SCRIPTDIR source=../lib/cases.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cases.sh"

skip() { echo "SKIP: $*"; exit 77; }

# need PROGRAM...: the tools a script uses besides the harness's own
need() { local c; for c; do command -v "$c" > /dev/null || skip "$c is not installed"; done; }

# hermetic_enter "$@": re-exec inside private namespaces (root only).
hermetic_enter() {
    if [ -z "${KTSTR_IN_NS:-}" ]; then
        [ "$(id -u)" = 0 ] || skip "needs root (mount namespaces, cgroup2)"
        command -v unshare >/dev/null || skip "unshare(1) not installed"
        for f in "$KTSTR_PACK" "$SAMPLE_TEST" "$FAKE_SCHED" "$MKTOPO"; do
            [ -x "$f" ] || { echo "missing $f (build first)" >&2; exit 99; }
        done
        unshare -m -p --fork --mount-proc true 2>/dev/null ||
            skip "cannot create mount+pid namespaces here"
        KTSTR_IN_NS=1 exec unshare -m -p --fork --mount-proc --propagation private \
            bash "$0" "$@"
    fi
    ns_setup
}

ns_setup() {
    set -u
    mount -t tmpfs -o mode=0755 tmpfs /run
    mkdir -p "$HDIR" /run/cg /run/bin
    # the build tree may be under /tmp, which gets a fresh tmpfs below
    cp "$KTSTR_PACK" "$SAMPLE_TEST" "$FAKE_SCHED" "$MKTOPO" /run/bin/
    # HERMETIC_EXTRA_BINS: more programs a script needs, copied the same way
    for f in ${HERMETIC_EXTRA_BINS:-}; do cp "$f" /run/bin/; done
    [ -x "$EXEC_STAMP" ] && cp "$EXEC_STAMP" /run/bin/
    KTSTR_PACK=/run/bin/${KTSTR_PACK##*/} SAMPLE_TEST=/run/bin/sample-test
    FAKE_SCHED=/run/bin/fake-scheduler MKTOPO=/run/bin/mktopo EXEC_STAMP=/run/bin/exec-stamp
    mount -t cgroup2 cgroup2 /run/cg || skip "cannot mount cgroup2"
    CG_TEST=/run/cg/ktstr-hermetic-$$-$RANDOM
    mkdir "$CG_TEST"
    umount -R /sys/fs/cgroup 2>/dev/null || umount -l /sys/fs/cgroup 2>/dev/null || true
    mount --bind "$CG_TEST" /sys/fs/cgroup
    # scripts run in parallel: each must see its own cgroup at /sys/fs/cgroup
    CG_ID=$(stat -c %d:%i "$CG_TEST")
    [ "$(stat -c %d:%i /sys/fs/cgroup)" = "$CG_ID" ] &&
        [ "$(findmnt -n -o FSTYPE --target /sys/fs/cgroup)" = cgroup2 ] ||
        { echo "/sys/fs/cgroup is not this script's cgroup $CG_TEST" >&2; exit 99; }
    mount -t tmpfs -o mode=1777 tmpfs /tmp
    WORK=$(mktemp -d /tmp/work.XXXXXX)
    chmod 755 "$WORK"
    mount -t tmpfs -o mode=0755 tmpfs /sys/kernel
    mount -t tmpfs -o mode=0755 tmpfs /sys/devices/system
    trap ns_teardown EXIT
    sched_ext_setup state
    topo_setup --nodes 1 --llcs 1 --cores 2 --threads 1
}

ns_teardown() {
    # the per-test cgroup lives in the real hierarchy: empty and remove it
    if [ -d "${CG_TEST:-}" ]; then
        local i
        [ -e "$CG_TEST/cgroup.kill" ] && echo 1 > "$CG_TEST/cgroup.kill" 2>/dev/null
        umount /sys/fs/cgroup 2>/dev/null
        # killed tasks take a moment to exit: rmdir fails until they have
        for i in $(seq 200); do
            grep -q '^populated 0' "$CG_TEST/cgroup.events" 2>/dev/null && break
            sleep 0.01
        done
        find "$CG_TEST" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null
        find "$CG_TEST" -depth -type d -exec rmdir {} + 2>/dev/null
    fi
}

# sched_ext_setup state|nostate|none [STATE] [OPS]
sched_ext_setup() {
    rm -rf /sys/kernel/sched_ext
    case "$1" in
    none) return 0 ;;
    state) mkdir -p /sys/kernel/sched_ext/root
           echo "${2:-disabled}" > /sys/kernel/sched_ext/state ;;
    nostate) mkdir -p /sys/kernel/sched_ext/root ;;
    esac
    printf '%s' "${3:-}" > /sys/kernel/sched_ext/root/ops
}

# topo_setup MKTOPO-OPTIONS...: a fresh synthetic /sys/devices/system
topo_setup() {
    rm -rf /sys/devices/system/*
    "$MKTOPO" /sys/devices/system "$@"
}

# sched_conf KEY=VALUE...: the fake scheduler's behaviour
sched_conf() { printf '%s\n' "$@" > "$HDIR/sched.conf"; }

# sample_conf KEY=VALUE...: the sample test's behaviour, packed as include
sample_conf() { printf '%s\n' "$@" > "$WORK/sample-test.conf"; }

# pack OUT [ktstr-pack options]: the sample test (+ its conf) as runner
pack() {
    local out=$1; shift
    [ -f "$WORK/sample-test.conf" ] || sample_conf "expect_sched=none"
    "$KTSTR_PACK" --runner "$SAMPLE_TEST" --include "$WORK/sample-test.conf" \
        -o "$out" "$@" sample 2> "$WORK/pack.err" ||
        { cat "$WORK/pack.err" >&2; return 1; }
}

# pack_sched OUT [options]: with the fake scheduler
pack_sched() {
    local out=$1; shift
    pack "$out" --scheduler "$FAKE_SCHED" --sched-name fake "$@"
}

# run_rf FILE [args]: run a runfile; sets RC, and OUT/ERR files
run_rf() {
    OUT=$WORK/out ERR=$WORK/err
    set +e
    "$@" > "$OUT" 2> "$ERR"
    RC=$?
    set -e
}

fail() {
    echo "    FAIL: $*"
    echo "    --- stderr of the last run:"; sed 's/^/    | /' "${ERR:-/dev/null}" 2>/dev/null | tail -n 25
    return 1
}

expect_rc() { [ "$RC" = "$1" ] || fail "exit status $RC, expected $1"; }
expect_err() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }
expect_out() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
expect_no_err() { ! grep -qF -- "$1" "$ERR" || fail "stderr has: $1"; }

# expect_verdict LINE: the runfile's verdict, the last line of its stderr, is LINE
expect_verdict() {
    local last
    last=$(tail -n1 "$ERR")
    [ "$last" = "$1" ] || fail "last stderr line is '$last', expected '$1'"
}

# expect_verdict_prefix TEXT: the verdict line starts with TEXT
expect_verdict_prefix() {
    local last
    last=$(tail -n1 "$ERR")
    [ "${last#"$1"}" != "$last" ] || fail "last stderr line is '$last', expected '$1...'"
}

# argv_lines FILE: a NUL-separated argv, one element per line, quoted
argv_lines() { tr '\0' '\n' < "$1" | sed 's/.*/<&>/'; }

# stray_pids: live processes of this namespace other than pid 1 (the
# script) and the calling shell's ancestors: after a run, there must be none
stray_pids() {
    local p line anc=" " cur=$BASHPID
    while [ "$cur" -gt 1 ]; do
        anc="$anc$cur "
        read -r line 2>/dev/null < "/proc/$cur/stat" || break
        line=${line##*) }            # "STATE PPID ..." (comm may hold spaces)
        cur=${line#* }; cur=${cur%% *}
    done
    for p in /proc/[0-9]*; do         # the glob is a snapshot, taken before any fork
        p=${p#/proc/}
        [ "$p" = 1 ] && continue
        case "$anc" in *" $p "*) continue ;; esac
        read -r line 2>/dev/null < "/proc/$p/stat" || continue
        line=${line##*) }
        case "$line" in Z*|X*) continue ;; esac   # already dead
        echo "$p"
    done
}

# proc_desc PID: "PID (comm) cmdline" for messages
proc_desc() {
    printf '%s (%s) %s' "$1" "$(cat "/proc/$1/comm" 2>/dev/null)" \
        "$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null)"
}

# cgroup_list: every cgroup below /sys/fs/cgroup, sorted
cgroup_list() { (cd /sys/fs/cgroup && find . -mindepth 1 -type d | sort); }

# expect_clean: what every run must leave behind: nothing (no temp dir, no
# ktstr cgroup nor any cgroup the case did not start with, no process,
# sched_ext detached)
expect_clean() {
    local left p
    left=$(find /tmp "${TMPDIR:-/tmp}" -maxdepth 1 -name 'ktstr-run-*' 2>/dev/null)
    [ -z "$left" ] || fail "temp dir left: $left" || return 1
    [ ! -e /sys/fs/cgroup/ktstr ] || fail "cgroup /sys/fs/cgroup/ktstr left" || return 1
    left=$(cgroup_list | diff /run/cgroups.before - | sed -n 's/^[<>] //p' | tr '\n' ' ')
    [ -z "$left" ] || fail "cgroups differ from before the case: $left" || return 1
    left=$(stray_pids)
    if [ -n "$left" ]; then
        for p in $left; do fail "process left: $(proc_desc "$p")"; done
        return 1
    fi
    if [ -f /sys/kernel/sched_ext/state ]; then
        [ "$(cat /sys/kernel/sched_ext/state)" = disabled ] ||
            fail "sched_ext state is $(cat /sys/kernel/sched_ext/state)" || return 1
    fi
    [ ! -s /sys/kernel/sched_ext/root/ops ] ||
        fail "sched_ext root/ops is $(cat /sys/kernel/sched_ext/root/ops)" || return 1
}

# cgroup_restore: /sys/fs/cgroup back to this script's cgroup2 (a case may
# have mounted something else over it, or unmounted it)
cgroup_restore() {
    [ "$(stat -c %d:%i /sys/fs/cgroup)" = "$CG_ID" ] && return 0
    while umount /sys/fs/cgroup 2>/dev/null; do :; done
    mount --bind "$CG_TEST" /sys/fs/cgroup
}

# reset between cases: mounts, permissions, synthetic sysfs, helper files
case_reset() {
    cgroup_restore
    chmod 755 /run "$HDIR" /sys/fs/cgroup
    chown 0:0 /sys/fs/cgroup /sys/fs/cgroup/cgroup.procs
    rm -rf "${HDIR:?}"/* "$WORK"/sample-test.conf
    sched_ext_setup state
    topo_setup --nodes 1 --llcs 1 --cores 2 --threads 1
    cgroup_list > /run/cgroups.before
}

# leave nothing for the next case after a failed one
case_scrub() {
    local p
    for p in $(stray_pids); do kill -9 "$p" 2>/dev/null; done
    sleep 0.1
    rm -rf /tmp/ktstr-run-* 2>/dev/null
    cgroup_restore
    for p in $(cgroup_list | diff /run/cgroups.before - | sed -n 's/^> //p' | sort -r); do
        echo 1 > "/sys/fs/cgroup/$p/cgroup.kill" 2>/dev/null
    done
    sleep 0.1
    for p in $(cgroup_list | diff /run/cgroups.before - | sed -n 's/^> //p' | sort -r); do
        rmdir "/sys/fs/cgroup/$p" 2>/dev/null
    done
    return 0
}

run_case() {
    case_reset
    case_run "$@"
    [ "$CASE_RC" = 0 ] || case_scrub
}

# start_rf FILE [args]: start a runfile in the background (BG_PID); its
# output goes to OUT and ERR as with run_rf; collect it with wait_rf.
# A script's background job starts with SIGINT and SIGQUIT ignored; env
# puts them back to default, as for a command run in the foreground.
start_rf() {
    OUT=$WORK/out ERR=$WORK/err
    env --default-signal=INT,QUIT "$@" > "$OUT" 2> "$ERR" &
    BG_PID=$!
}

# wait_rf: wait for the background runfile; sets RC
wait_rf() {
    set +e
    wait "$BG_PID"
    RC=$?
    set -e
}

# wait_for COND-COMMAND...: poll (10 ms) until it succeeds, at most 10 s
wait_for() {
    local i
    for i in $(seq 1000); do
        "$@" && return 0
        sleep 0.01
    done
    fail "timed out waiting for: $*"
}

# alive PID: the process exists and is not a zombie
alive() {
    local line
    read -r line 2>/dev/null < "/proc/$1/stat" || return 1
    line=${line##*) }
    case "$line" in Z*|X*) return 1 ;; esac
}

# kernel_detach_when_gone: what the kernel does when a scheduler process
# dies without detaching (SIGKILL): sched_ext goes back to disabled.  The
# fake scheduler resets the files itself only when it stops cleanly.  Run
# it in the background once sched.pid exists; wait for it before checking.
kernel_detach_when_gone() {
    local pid
    pid=$(cat "$HDIR/sched.pid")
    while alive "$pid"; do sleep 0.005; done
    [ -f /sys/kernel/sched_ext/state ] && echo disabled > /sys/kernel/sched_ext/state
    : > /sys/kernel/sched_ext/root/ops
}

# extraction_dir ARGV-FILE: the <dir> of a recorded argv[0] (<dir>/NAME),
# after checking it has the stub's mkdtemp form
extraction_dir() {
    local a0
    a0=$(head -zn1 "$1" | tr -d '\0')
    [[ "$a0" =~ ^${TMPDIR:-/tmp}/ktstr-run-[0-9]+-[A-Za-z0-9]{6}/[a-z]+$ ]] ||
        { fail "argv[0] '$a0' is not in a ktstr-run-PID-XXXXXX directory"; return 1; }
    printf '%s' "${a0%/*}"
}

# expect_argv RECORDED EXPECTED: byte-for-byte equal NUL-separated argvs
expect_argv() {
    cmp -s "$1" "$2" && return 0
    fail "argv differs from the expected one (<elements>, as lines):
$(diff <(argv_lines "$2") <(argv_lines "$1") | sed 's/^/      /')"
}
