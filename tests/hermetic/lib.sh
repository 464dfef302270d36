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
#
# Environment (set by the Makefile; defaults for a run from the build dir):
#   KTSTR_PACK, KTSTR_HELPERS (dir of sample-test, fake-scheduler, mktopo)

: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
SAMPLE_TEST=$KTSTR_HELPERS/sample-test
FAKE_SCHED=$KTSTR_HELPERS/fake-scheduler
MKTOPO=$KTSTR_HELPERS/mktopo
HDIR=/run/ktstr-test            # helper exchange dir (see tests/helpers/helper.h)
CASES_RUN=0
CASES_FAILED=0
FAILED_NAMES=

skip() { echo "SKIP: $*"; exit 77; }

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
    KTSTR_PACK=/run/bin/${KTSTR_PACK##*/} SAMPLE_TEST=/run/bin/sample-test
    FAKE_SCHED=/run/bin/fake-scheduler MKTOPO=/run/bin/mktopo
    mount -t cgroup2 cgroup2 /run/cg || skip "cannot mount cgroup2"
    CG_TEST=/run/cg/ktstr-hermetic-$$-$RANDOM
    mkdir "$CG_TEST"
    umount -R /sys/fs/cgroup 2>/dev/null || umount -l /sys/fs/cgroup 2>/dev/null || true
    mount --bind "$CG_TEST" /sys/fs/cgroup
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
        [ -e "$CG_TEST/cgroup.kill" ] && echo 1 > "$CG_TEST/cgroup.kill" 2>/dev/null
        umount /sys/fs/cgroup 2>/dev/null
        find "$CG_TEST" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null
        sleep 0.05
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

# argv_lines FILE: a NUL-separated argv, one element per line, quoted
argv_lines() { tr '\0' '\n' < "$1" | sed 's/.*/<&>/'; }

# expect_clean: what every run must leave behind: nothing
expect_clean() {
    local left
    left=$(find /tmp -maxdepth 1 -name 'ktstr-run-*' 2>/dev/null)
    [ -z "$left" ] || fail "temp dir left: $left" || return 1
    [ ! -e /sys/fs/cgroup/ktstr ] || fail "cgroup /sys/fs/cgroup/ktstr left" || return 1
    for p in /proc/[0-9]*; do
        [ "${p#/proc/}" = 1 ] || [ "${p#/proc/}" = "$$" ] && continue
        case "$(cat "$p/comm" 2>/dev/null)" in
        ktstr|scheduler|sample-test|fake-scheduler)
            fail "process left: ${p#/proc/} $(cat "$p/comm")"; return 1 ;;
        esac
    done
    if [ -f /sys/kernel/sched_ext/state ]; then
        [ "$(cat /sys/kernel/sched_ext/state)" = disabled ] ||
            fail "sched_ext state is $(cat /sys/kernel/sched_ext/state)" || return 1
    fi
}

# reset between cases: helper files, runs' leftovers
case_reset() {
    rm -rf "${HDIR:?}"/* "$WORK"/sample-test.conf
    sched_ext_setup state
}

run_case() {
    local name=$1; shift
    CASES_RUN=$((CASES_RUN + 1))
    case_reset
    # not in an `if`: set -e is ignored in a condition's compound commands
    set +e
    ( set -e; "$@" )
    local rc=$?
    set -e
    if [ "$rc" = 0 ]; then
        echo "ok   $name"
    else
        echo "FAIL $name"
        CASES_FAILED=$((CASES_FAILED + 1))
        FAILED_NAMES="$FAILED_NAMES $name"
        # leave nothing for the next case
        rm -rf /tmp/ktstr-run-* 2>/dev/null
        [ -d /sys/fs/cgroup/ktstr ] && { echo 1 > /sys/fs/cgroup/ktstr/cgroup.kill; sleep 0.1;
            find /sys/fs/cgroup/ktstr -depth -type d -exec rmdir {} + 2>/dev/null; }
    fi
}

finish() {
    echo "$CASES_RUN cases, $CASES_FAILED failed${FAILED_NAMES:+:$FAILED_NAMES}"
    [ "$CASES_FAILED" = 0 ]
}
