#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-libtest.sh - self-test of /guest-lib.sh, run INSIDE the VM by
# run-in-vm.sh (busybox ash, POSIX sh). Checks that each helper works and
# that assert_clean_host / assert_no_bash really detect every kind of leak
# (each negative case runs in a subshell, whose fail must exit 1 with the
# expected message).
#
# Usage (on the host):
#   run-in-vm.sh CACHE tests/vm/guest-libtest.sh
#
# Exit status: 0 "LIBTEST: PASS", 1 "LIBTEST: FAIL: why".
CASE=LIBTEST
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

# expect_fail WHAT PATTERN CMD...: CMD, run in a subshell, must fail and
# print a line matching PATTERN
expect_fail() {
    _what=$1 _pat=$2
    shift 2
    _out=$( (CASE=INNER; "$@") 2>&1 ) && fail "$_what: did not fail"
    echo "$_out" | grep -q "^INNER: FAIL: .*$_pat" || fail "$_what: unexpected output: $_out"
    echo "ok: $_what -> ${_out#INNER: FAIL: }"
}

t0=$(now_ms)
case "$t0" in ''|*[!0-9]*) fail "now_ms gave '$t0'" ;; esac
sleep 1
t1=$(now_ms)
if [ $((t1 - t0)) -lt 900 ] || [ $((t1 - t0)) -gt 3000 ]; then
    fail "now_ms: 1 s sleep took $((t1 - t0)) ms"
fi
echo "ok: now_ms ($t0 -> $t1)"

[ "$(sched_state)" = disabled ] || fail "sched_state is '$(sched_state)', want disabled"
ms=$(wait_state disabled 1000) || fail "wait_state disabled timed out"
echo "ok: sched_state, wait_state disabled after $ms ms"
wait_state enabled 300 > /dev/null && fail "wait_state enabled succeeded with no scheduler"
echo "ok: wait_state times out"
SCX=/nonexistent
[ "$(sched_state)" = missing ] || fail "sched_state without sysfs: '$(sched_state)'"
SCX=/sys/kernel/sched_ext
echo "ok: sched_state missing"

assert_no_bash
assert_clean_host
echo "ok: clean host passes"

ln -s busybox /bin/bash
expect_fail "/bin/bash present" "bash found" assert_no_bash
rm -f /bin/bash

mkdir /sys/fs/cgroup/ktstr
expect_fail "cgroup left" "/sys/fs/cgroup/ktstr exists" assert_clean_host
rmdir /sys/fs/cgroup/ktstr

mkdir /tmp/ktstr-run.abc123
expect_fail "temp dir left" "/tmp/ktstr-run.abc123 left behind" assert_clean_host
rmdir /tmp/ktstr-run.abc123

for name in scheduler scx_simple ktstr; do
    printf '#!/bin/sh\nsleep 30\n' > "/tmp/$name"
    chmod +x "/tmp/$name"
    "/tmp/$name" &
    p=$!
    sleep 0.2
    expect_fail "process $name left" "process $p ($name) still exists" assert_clean_host
    kill "$p"
    wait "$p" 2>/dev/null
    rm -f "/tmp/$name"
done

if [ -x /opt/scx_simple ]; then
    /opt/scx_simple > /dev/null 2>&1 &
    p=$!
    wait_state enabled 30000 > /dev/null || fail "scx_simple did not attach"
    expect_fail "scheduler attached" "sched_ext state is enabled" assert_clean_host
    kill "$p"
    wait "$p" 2>/dev/null
    wait_state disabled 10000 > /dev/null || fail "scx_simple did not detach"
fi

[ "$(cpulist_expand 0-2,5,7-8 | tr '\n' ' ')" = "0 1 2 5 7 8 " ] ||
    fail "cpulist_expand 0-2,5,7-8: '$(cpulist_expand 0-2,5,7-8 | tr '\n' ' ')'"
echo "ok: cpulist_expand"
expect_fail "kernel_topology, other topology" "VM topology is cpus/LLCs/.* want 0/0/0/0/0" \
    kernel_topology 0/0/0/0/0
dims=$( (CASE=INNER; kernel_topology 0/0/0/0/0) | sed -n 's/^INNER: FAIL: VM topology is .* = \(.*\), want .*/\1/p')
kernel_topology "$dims" > /dev/null
case "$TOPO_TEXT" in
"$(nproc) CPUs online ("*", $TOPO_LLCS LLCs ("*" threads per core") ;;
*) fail "kernel_topology: TOPO_TEXT '$TOPO_TEXT'" ;;
esac
echo "ok: kernel_topology $dims ($TOPO_TEXT)"

rf_start /tmp/rf.log sh -c 'echo started; sleep 0.3; exit 3'
[ "$RF_NAME" = sh ] || fail "rf_start: RF_NAME '$RF_NAME'"
rf_wait_for "started was printed" grep -q started /tmp/rf.log
rf_wait
[ "$RF_RC" = 3 ] || fail "rf_wait: RF_RC '$RF_RC', want 3"
[ -z "$RF_PID" ] || fail "rf_wait: RF_PID '$RF_PID' left set"
# (in expect_fail's subshell: only the parent of the runfile reaps it, and
# a zombie still answers kill -0)
# shellcheck disable=SC2317  # run by expect_fail
gone_before() { rf_start /tmp/rf.log true; rf_wait_for never false; }
expect_fail "rf_wait_for, runfile gone" "the runfile ended before never" gone_before
echo "ok: rf_start, rf_wait_for, rf_wait"

assert_clean_host
pass "all helpers behave"
