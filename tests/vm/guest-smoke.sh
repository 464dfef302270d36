#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-smoke.sh - sched_ext smoke test, run INSIDE the VM by run-in-vm.sh
# (busybox ash, POSIX sh only; uses /guest-lib.sh).
#
# Usage (on the host):
#   run-in-vm.sh CACHE tests/vm/guest-smoke.sh CACHE/scx_simple
#
# Checks that the guest has no bash and starts clean, attaches the static
# scheduler /opt/scx_simple (override with --env SCHED=/opt/other), keeps it
# attached under CPU load (nproc+1 busy loops for LOAD_SECS, default 2),
# detaches it with SIGTERM and checks the state returns to disabled and the
# host is clean again. Prints attach/detach latencies and "SMOKE: PASS" or
# "SMOKE: FAIL: why".
#
# Exit status: 0 PASS, 1 FAIL.
CASE=SMOKE
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

SCHED=${SCHED:-/opt/scx_simple}
LOAD_SECS=${LOAD_SECS:-2}
ATTACH_TIMEOUT_MS=${ATTACH_TIMEOUT_MS:-30000}
DETACH_TIMEOUT_MS=${DETACH_TIMEOUT_MS:-10000}
SCHED_LOG=/tmp/sched.log

pid=
# shellcheck disable=SC2317  # run by fail() through $ON_FAIL
smoke_on_fail() {
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    if [ -f "$SCHED_LOG" ]; then
        echo "--- scheduler output"
        cat "$SCHED_LOG"
    fi
    echo "--- dmesg sched_ext"
    dmesg | grep -i sched_ext | tail -n 10
}
ON_FAIL=smoke_on_fail

echo "kernel $(uname -r), $(nproc) cpus"
assert_no_bash
[ -d "$SCX" ] || fail "$SCX missing (kernel without CONFIG_SCHED_CLASS_EXT?)"
[ -x "$SCHED" ] || fail "$SCHED not found or not executable"
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || fail "cgroup2 not mounted on /sys/fs/cgroup"
echo "state before: $(sched_state)"
assert_clean_host

"$SCHED" > "$SCHED_LOG" 2>&1 < /dev/null &
pid=$!
if attach_ms=$(wait_state enabled "$ATTACH_TIMEOUT_MS"); then
    echo "attach: state=enabled after ${attach_ms} ms"
else
    kill -0 "$pid" 2>/dev/null || fail "scheduler exited before enabling"
    fail "state=$(sched_state) after ${ATTACH_TIMEOUT_MS} ms"
fi
ops=$(cat "$SCX/root/ops" 2>/dev/null)
echo "root/ops: $ops"
[ -n "$ops" ] || fail "$SCX/root/ops empty or missing"
seq0=$(cat "$SCX/enable_seq" 2>/dev/null)

# CPU load: one busy loop per CPU plus one
n=$(( $(nproc) + 1 ))
echo "load: $n x busy loop for ${LOAD_SECS}s"
i=0 lpids=
while [ "$i" -lt "$n" ]; do
    timeout "$LOAD_SECS" sh -c 'while :; do :; done' &
    lpids="$lpids $!"
    i=$((i + 1))
done
for p in $lpids; do wait "$p" 2>/dev/null; done

[ "$(sched_state)" = enabled ] || fail "state=$(sched_state) after load, want enabled"
kill -0 "$pid" 2>/dev/null || fail "scheduler died during load"

t0=$(now_ms)
kill -TERM "$pid"
wait "$pid"
src=$?
pid=
t1=$(now_ms)
if detach_ms=$(wait_state disabled "$DETACH_TIMEOUT_MS"); then
    echo "detach: scheduler exited $(( t1 - t0 )) ms after SIGTERM (rc=$src)," \
        "state=disabled ${detach_ms} ms later"
else
    fail "state=$(sched_state) ${DETACH_TIMEOUT_MS} ms after the scheduler exited"
fi
echo "--- scheduler output (tail)"
tail -n 5 "$SCHED_LOG"
echo "--- dmesg sched_ext"
dmesg | grep -i sched_ext | tail -n 5
grep -q 'local=[1-9]\|global=[1-9]' "$SCHED_LOG" ||
    echo "note: no non-zero local/global dispatch counter in the scheduler output"
echo "enable_seq: $seq0, ops after detach: '$(cat "$SCX/root/ops" 2>/dev/null)'"
assert_clean_host
pass "attach ${attach_ms} ms, detach $(( t1 - t0 + detach_ms )) ms"
