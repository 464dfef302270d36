#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-aarch64.sh - the cross-built aarch64 stub, with aarch64 builds of the
# sample test and the fake scheduler (tests/helpers/aarch64.mk), runs under
# qemu-user in the same namespace harness as the native stub: a pass with
# a scheduler, EEVDF, exit-code forwarding, a topology shortfall, a
# corrupted payload, SIGTERM cleanup.  ktstr-pack picks the aarch64 stub by
# itself, from the runner's ELF machine.
#
# The aarch64 programs run through a binfmt_misc entry for
# qemu-aarch64-static that this script registers for its own run (F flag:
# the kernel opens qemu at registration, so it works in any mount
# namespace) and removes at exit; binfmt_misc is mounted when it is not,
# and unmounted again if this script mounted it and left it empty.
# Skips (77) without an aarch64 stub in ktstr-pack, on an aarch64 host
# (the other scripts run that stub natively), without root, without
# qemu-user-static, or when the entry cannot be registered.
. "$(dirname "$0")/lib.sh"

# the aarch64 helpers in place of the native ones (ns_setup copies these)
A64=$KTSTR_HELPERS/aarch64
SAMPLE_TEST=$A64/sample-test
FAKE_SCHED=$A64/fake-scheduler
QEMU_A64=${QEMU_AARCH64:-/usr/bin/qemu-aarch64-static}
BINFMT=/proc/sys/fs/binfmt_misc
BINFMT_NAME=ktstr-test-aarch64-$$
# ELF64, little-endian, e_machine EM_AARCH64 (183), e_type EXEC or DYN:
# the pattern of QEMU's own qemu-binfmt-conf.sh
A64_MAGIC='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
A64_MASK='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
BINFMT_MOUNTED=

binfmt_register() {
    if [ ! -e "$BINFMT/register" ]; then
        mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null || return 1
        BINFMT_MOUNTED=1
    fi
    printf ':%s:M::%s:%s:%s:F\n' "$BINFMT_NAME" "$A64_MAGIC" "$A64_MASK" "$QEMU_A64" \
        > "$BINFMT/register" 2>/dev/null
}

binfmt_unregister() {
    [ -e "$BINFMT/$BINFMT_NAME" ] && echo -1 > "$BINFMT/$BINFMT_NAME"
    if [ -n "$BINFMT_MOUNTED" ] &&
       [ -z "$(find "$BINFMT" -mindepth 1 -maxdepth 1 ! -name register ! -name status)" ]; then
        umount "$BINFMT" 2>/dev/null
    fi
    return 0
}

if [ -z "${KTSTR_IN_NS:-}" ]; then
    grep -q 'stubs:.*aarch64' <<< "$("$KTSTR_PACK" --version)" ||
        skip "this ktstr-pack has no aarch64 stub (configure --enable-stubs=x86_64,aarch64)"
    [ "$(uname -m)" != aarch64 ] || skip "aarch64 host: the other scripts run this stub natively"
    for f in "$SAMPLE_TEST" "$FAKE_SCHED"; do
        [ -x "$f" ] || { echo "missing $f (make check builds it)" >&2; exit 99; }
    done
    [ "$(id -u)" = 0 ] || skip "needs root (binfmt_misc, namespaces)"
    [ -x "$QEMU_A64" ] || skip "no $QEMU_A64 (apt-get install qemu-user-static)"
    # what the runfiles must start with: the stripped stub ktstr-pack embeds
    stub=$(dirname "$KTSTR_PACK")/stub-aarch64/ktstr-stub-aarch64.stripped
    [ -f "$stub" ] || { echo "missing $stub" >&2; exit 99; }
    A64_STUB_LEN=$(stat -c %s "$stub")
    A64_STUB_SHA=$(sha256sum < "$stub" | cut -d' ' -f1)
    export A64_STUB_LEN A64_STUB_SHA
    trap binfmt_unregister EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    binfmt_register || skip "cannot register a binfmt_misc entry for $QEMU_A64"
    # the harness re-executes this script inside its namespaces: wait for it
    # here, where the entry is removed afterwards
    rc=0
    ( hermetic_enter "$@" ) || rc=$?
    exit "$rc"
fi
hermetic_enter "$@"

# the runfile carries the aarch64 stub, picked from the runner's machine
expect_aarch64_runfile() {
    local arch len
    arch=$("$KTSTR_PACK" --inspect "$1" --json | jq -r .stub_arch)
    len=$("$KTSTR_PACK" --inspect "$1" --json | jq -r .stub_length)
    [ "$arch" = aarch64 ] || fail "$1: the stub is $arch, not aarch64"
    if [ "$len" != "$A64_STUB_LEN" ] ||
       [ "$(head -c "$len" "$1" | sha256sum | cut -d' ' -f1)" != "$A64_STUB_SHA" ]; then
        fail "$1 does not start with the built aarch64 stub"
    fi
}

case_pass_with_scheduler() {
    sample_conf expect_sched=fake
    sched_conf attach_delay_ms=30 enabling_ms=20
    pack_sched "$WORK/t.run"
    expect_aarch64_runfile "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_verdict "t.run: PASS"
    grep -qx 'sched_ok=1' "$HDIR/test.result" || fail "the test saw sched_ext detached"
    grep -qx 'workers_ok=1' "$HDIR/test.result" || fail "a worker got no CPU"
    [ "$(cat "$HDIR/sched.exit")" = term ] || fail "the scheduler was not stopped with SIGTERM"
    expect_clean
}

case_eevdf() {
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    expect_aarch64_runfile "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_verdict "t.run: PASS"
    [ -s "$HDIR/test.argv" ] || fail "the test did not run"
    [ ! -e "$HDIR/sched.argv" ] || fail "a scheduler was started"
    expect_clean
}

case_exit_code_forwarded() {
    sample_conf expect_sched=none exit_code=7
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_rc 7
    expect_verdict "t.run: FAIL (test exited 7)"
    expect_clean
}

case_topology_shortfall() {
    topo_setup --nodes 1 --llcs 1 --cores 2 --threads 1
    pack "$WORK/t.run" --llcs 2
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: host has 1 LLCs, test needs 2"
    expect_verdict "t.run: ERROR (checks: host has 1 LLCs, test needs 2)"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# one byte of the test binary's part of the payload inverted
case_corrupted_payload() {
    local off byte
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    off=$(( $("$KTSTR_PACK" --inspect "$WORK/t.run" --json |
              jq -r '.payload_offset + .payload_length') - 200 ))
    byte=$(od -An -tu1 -j "$off" -N1 "$WORK/t.run" | tr -d ' ')
    printf "\\$(printf '%03o' $((byte ^ 0xff)))" |
        dd of="$WORK/t.run" bs=1 seek="$off" conv=notrunc status=none
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: payload digest mismatch: the runfile is corrupted"
    expect_verdict_prefix "t.run: ERROR (extraction: payload digest mismatch"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    [ ! -e "$HDIR/sched.stamp" ] || [ -e "$HDIR/sched.exit" ] || fail "the scheduler was not stopped"
    expect_clean
}

case_sigterm_cleanup() {
    sample_conf expect_sched=fake duration_ms=20000
    pack_sched "$WORK/t.run"
    start_rf "$WORK/t.run"
    wait_for test -s "$HDIR/test.stamp"
    wait_for test -d /sys/fs/cgroup/ktstr/b
    kill -TERM "$BG_PID"
    wait_rf
    expect_rc 143
    expect_err "t.run: received SIGTERM: stopping the test"
    expect_verdict "t.run: FAIL (test killed by SIGTERM)"
    [ ! -e "$HDIR/test.result" ] || fail "the test finished instead of being stopped"
    [ "$(cat "$HDIR/sched.exit")" = term ] || fail "the scheduler was not stopped with SIGTERM"
    expect_clean
}

run_case pass-with-scheduler case_pass_with_scheduler
run_case eevdf case_eevdf
run_case exit-code-forwarded case_exit_code_forwarded
run_case topology-shortfall case_topology_shortfall
run_case corrupted-payload case_corrupted_payload
run_case sigterm-cleanup case_sigterm_cleanup
finish
