#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-checks.sh - the host checks before anything is extracted: the
# CAP_SYS_ADMIN capability (not the uid), sched_ext present, cgroup v2 at
# /sys/fs/cgroup, no other sched_ext scheduler attached.
. "$(dirname "$0")/lib.sh"
need setpriv capsh
hermetic_enter "$@"

NOBODY="--reuid=65534 --regid=65534 --clear-groups"

expect_nothing_ran() {
    [ ! -e "$HDIR/sched.argv" ] || fail "a scheduler was started"
    [ ! -e "$HDIR/test.argv" ] || fail "the test was started"
    expect_clean
}

# expect_check_error MESSAGE: a failed check: exit 1, the error, and the
# verdict naming the checks stage with the same message, as the last line
expect_check_error() {
    expect_rc 1
    expect_err "t.run: error: $1"
    expect_verdict "t.run: ERROR (checks: $1)"
    expect_nothing_ran
}

case_root_without_cap_sys_admin() {
    pack_sched "$WORK/t.run"
    run_rf setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin "$WORK/t.run"
    expect_check_error "CAP_SYS_ADMIN is not in the effective capability set (uid 0): attaching a sched_ext scheduler and managing cgroups need it"
    expect_err "t.run: hint: run it as root (sudo) with the full capability set"
    # capsh, the other common way, and the banner still shows (not --quiet)
    run_rf capsh --drop=cap_sys_admin -- -c "exec $WORK/t.run"
    expect_check_error "CAP_SYS_ADMIN is not in the effective capability set (uid 0): attaching a sched_ext scheduler and managing cgroups need it"
    expect_err "ktstr runfile: test=sample"
}

case_nonroot_without_caps() {
    pack "$WORK/t.run"
    # shellcheck disable=SC2086
    run_rf setpriv $NOBODY --inh-caps=-all "$WORK/t.run"
    expect_check_error "CAP_SYS_ADMIN is not in the effective capability set (uid 65534): attaching a sched_ext scheduler and managing cgroups need it"
}

# A non-root process with CAP_SYS_ADMIN passes the capability check, and
# (given the permissions such a delegated setup has) runs the test.
case_nonroot_with_cap_sys_admin() {
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    # what uid 65534 needs besides the capability: the exchange dir, the
    # run lock's directory, and a delegated cgroup: it owns /sys/fs/cgroup,
    # and runs from a cgroup below it (the common ancestor of every move)
    chmod 777 "$HDIR"
    chmod 1777 /run
    rm -f /run/ktstr-runfile.lock
    chown 65534 /sys/fs/cgroup /sys/fs/cgroup/cgroup.procs
    mkdir /sys/fs/cgroup/harness
    # shellcheck disable=SC2086
    run_rf bash -c 'echo $$ > /sys/fs/cgroup/harness/cgroup.procs &&
        exec setpriv '"$NOBODY"' --inh-caps=+sys_admin --ambient-caps=+sys_admin "$0"' "$WORK/t.run"
    rmdir /sys/fs/cgroup/harness
    rm -f /run/ktstr-runfile.lock
    expect_no_err "CAP_SYS_ADMIN is not"
    expect_rc 0
    expect_err "t.run: PASS"
    [ "$(stat -c %u "$HDIR/test.argv")" = 65534 ] || fail "the test did not run as uid 65534"
    expect_clean
}

case_no_sched_ext() {
    sched_ext_setup none
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_check_error "the kernel lacks sched_ext support (no /sys/kernel/sched_ext)"
    expect_err "t.run: hint: boot a kernel built with CONFIG_SCHED_CLASS_EXT=y"
    # a file where the directory should be is no sched_ext either
    echo x > /sys/kernel/sched_ext
    run_rf "$WORK/t.run"
    rm /sys/kernel/sched_ext
    expect_check_error "the kernel lacks sched_ext support (no /sys/kernel/sched_ext)"
}

case_cgroup_tmpfs() {
    pack "$WORK/t.run"
    mount -t tmpfs tmpfs /sys/fs/cgroup
    run_rf "$WORK/t.run"
    umount /sys/fs/cgroup
    expect_check_error "/sys/fs/cgroup is a tmpfs mount, not cgroup2 (a cgroup v1 or hybrid layout)"
    expect_err "t.run: hint: mount cgroup v2 there"
}

# A real cgroup v1 hierarchy (a named one: no controller is taken from the
# host), as a v1-only host has at /sys/fs/cgroup.
case_cgroup_v1() {
    local name=ktstrtest-${CG_TEST##*-}
    pack "$WORK/t.run"
    mount -t cgroup -o "none,name=$name" cgroup /sys/fs/cgroup ||
        { echo "    (no cgroup v1 here: named hierarchy not mountable; tmpfs case covers it)"; return 0; }
    grep -q " /sys/fs/cgroup .* - cgroup cgroup " /proc/self/mountinfo ||
        fail "the v1 mount is not visible"
    run_rf "$WORK/t.run"
    umount /sys/fs/cgroup
    expect_check_error "/sys/fs/cgroup is a cgroup mount, not cgroup2 (a cgroup v1 or hybrid layout)"
}

# Hybrid layout: a tmpfs at /sys/fs/cgroup with cgroup2 at .../unified below.
case_cgroup_hybrid() {
    pack "$WORK/t.run"
    mount -t tmpfs tmpfs /sys/fs/cgroup
    mkdir /sys/fs/cgroup/unified
    mount --bind "$CG_TEST" /sys/fs/cgroup/unified
    run_rf "$WORK/t.run"
    umount /sys/fs/cgroup/unified
    umount /sys/fs/cgroup
    expect_check_error "/sys/fs/cgroup is a tmpfs mount, not cgroup2 (a cgroup v1 or hybrid layout)"
}

case_cgroup_not_mounted() {
    pack "$WORK/t.run"
    umount /sys/fs/cgroup
    [ "$(stat -c %d:%i /sys/fs/cgroup)" != "$CG_ID" ] || fail "cannot unmount the cgroup"
    run_rf "$WORK/t.run"
    cgroup_restore
    expect_check_error "nothing is mounted at /sys/fs/cgroup: cgroup v2 must be mounted there"
}

case_other_scheduler_enabled() {
    sched_ext_setup state enabled scx_other
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    sched_ext_setup state
    expect_check_error "another sched_ext scheduler 'scx_other' is already attached (state=enabled)"
    expect_err "t.run: hint: detach it first"
}

case_other_scheduler_enabling() {
    sched_ext_setup state enabling scx_starting
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    sched_ext_setup state
    expect_check_error "another sched_ext scheduler 'scx_starting' is already attached (state=enabling)"
}

# an EEVDF test is not exempt: the other scheduler would run its workload
case_other_scheduler_eevdf_test() {
    sched_ext_setup state enabled scx_other
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    sched_ext_setup state
    expect_check_error "another sched_ext scheduler 'scx_other' is already attached (state=enabled)"
}

# kernels before the state file: a non-empty root/ops is an attached scheduler
case_other_scheduler_no_state_file() {
    sched_ext_setup nostate "" scx_legacy
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    sched_ext_setup state
    expect_check_error "another sched_ext scheduler 'scx_legacy' is already attached (state=n/a)"
}

# ... and an empty one is not
case_no_state_file_free() {
    sched_ext_setup nostate
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "t.run: PASS"
    expect_clean
}

run_case root-without-cap-sys-admin case_root_without_cap_sys_admin
run_case nonroot-without-caps case_nonroot_without_caps
run_case nonroot-with-cap-sys-admin case_nonroot_with_cap_sys_admin
run_case no-sched-ext case_no_sched_ext
run_case cgroup-tmpfs case_cgroup_tmpfs
run_case cgroup-v1 case_cgroup_v1
run_case cgroup-hybrid case_cgroup_hybrid
run_case cgroup-not-mounted case_cgroup_not_mounted
run_case other-scheduler-enabled case_other_scheduler_enabled
run_case other-scheduler-enabling case_other_scheduler_enabling
run_case other-scheduler-eevdf-test case_other_scheduler_eevdf_test
run_case other-scheduler-no-state-file case_other_scheduler_no_state_file
run_case no-state-file-free case_no_state_file_free
finish
