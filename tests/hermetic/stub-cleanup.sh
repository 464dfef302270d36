#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-cleanup.sh - what a run leaves: nothing.  Tasks a test left in its
# cgroups are killed and /sys/fs/cgroup/ktstr removed; under the spec's
# cgroup parent, what the run created is removed and what existed stays.
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

expect_pass_clean() {
    expect_rc 0
    expect_err "t.run: PASS"
    expect_no_err "warning:"
    expect_clean
}

# the test leaves a busy task in ktstr/leak (its own session: only the
# cgroup kill reaches it) and its cgroups behind
case_test_left_tasks() {
    sample_conf expect_sched=fake leave_task=1
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_pass_clean
}

case_test_left_tasks_eevdf() {
    sample_conf expect_sched=none leave_task=1
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --quiet
    expect_pass_clean
}

# the test fails and leaves tasks: its status, and a clean host
case_test_fails_leaves_tasks() {
    sample_conf expect_sched=none leave_task=1 exit_code=6
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 6
    expect_no_err "warning:"
    expect_clean
}

# a cgroup parent that did not exist: everything the run created under it
# goes, tasks included, also the parent's own missing ancestors
case_cgroup_parent_created() {
    local dir
    sample_conf expect_sched=fake
    sched_conf cell_cgroup=cell0/sub cell_task=1
    pack_sched "$WORK/t.run" --cgroup-parent /x
    run_rf "$WORK/t.run"
    [ -s "$HDIR/sched.stamp" ] || fail "the scheduler did not attach"
    expect_pass_clean
    [ ! -e /sys/fs/cgroup/x ] || fail "/sys/fs/cgroup/x left"
}

case_cgroup_parent_nested_created() {
    sample_conf expect_sched=fake
    sched_conf cell_cgroup=cell0 cell_task=1
    pack_sched "$WORK/t.run" --cgroup-parent /x/y/cells
    run_rf "$WORK/t.run"
    expect_pass_clean
    [ ! -e /sys/fs/cgroup/x ] || fail "/sys/fs/cgroup/x left: $(cd /sys/fs/cgroup && find x -type d)"
}

# a parent that existed, with a child cgroup holding a task: both stay, the
# task lives; the run's cell cgroup and its task go
case_cgroup_parent_existed() {
    local keeper
    mkdir -p /sys/fs/cgroup/x/keep
    sleep 1000 &
    keeper=$!
    echo "$keeper" > /sys/fs/cgroup/x/keep/cgroup.procs
    cgroup_list > /run/cgroups.before
    sample_conf expect_sched=fake
    sched_conf cell_cgroup=cell0 cell_task=1
    pack_sched "$WORK/t.run" --cgroup-parent /x
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_no_err "warning:"
    [ -d /sys/fs/cgroup/x/keep ] || fail "the pre-existing /x/keep was removed"
    [ ! -e /sys/fs/cgroup/x/cell0 ] || fail "the run's /x/cell0 was left"
    alive "$keeper" || fail "the task in the pre-existing /x/keep was killed"
    grep -qx "$keeper" /sys/fs/cgroup/x/keep/cgroup.procs || fail "the task left /x/keep"
    kill "$keeper"; wait "$keeper" 2>/dev/null || true
    expect_clean
    rmdir /sys/fs/cgroup/x/keep /sys/fs/cgroup/x
}

# the parent's ancestor existed, the parent did not
case_cgroup_parent_partly_existed() {
    mkdir -p /sys/fs/cgroup/x/other
    cgroup_list > /run/cgroups.before
    sample_conf expect_sched=fake
    sched_conf cell_cgroup=cell0 cell_task=1
    pack_sched "$WORK/t.run" --cgroup-parent /x/cells
    run_rf "$WORK/t.run"
    expect_pass_clean
    [ -d /sys/fs/cgroup/x/other ] || fail "the pre-existing /x/other was removed"
    rmdir /sys/fs/cgroup/x/other /sys/fs/cgroup/x
}

# cleanup after a failed attach removes what the scheduler made, too
case_cgroup_parent_after_failure() {
    sample_conf expect_sched=fake exit_code=2 leave_task=1
    sched_conf cell_cgroup=cell0 cell_task=1
    pack_sched "$WORK/t.run" --cgroup-parent /x
    run_rf "$WORK/t.run"
    expect_rc 2
    expect_no_err "warning:"
    expect_clean
}

# the temp dir goes also when the extraction is kept from running anything
case_temp_dir_under_tmpdir() {
    mkdir /tmp/alt
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    TMPDIR=/tmp/alt run_rf "$WORK/t.run"
    expect_pass_clean
    extraction_dir "$HDIR/sched.argv" > /dev/null 2>&1 && fail "not extracted under TMPDIR"
    TMPDIR=/tmp/alt extraction_dir "$HDIR/sched.argv" > /dev/null
    [ -z "$(ls -A /tmp/alt)" ] || fail "left in TMPDIR: $(ls -A /tmp/alt)"
    rmdir /tmp/alt
}

run_case test-left-tasks case_test_left_tasks
run_case test-left-tasks-eevdf case_test_left_tasks_eevdf
run_case test-fails-leaves-tasks case_test_fails_leaves_tasks
run_case cgroup-parent-created case_cgroup_parent_created
run_case cgroup-parent-nested-created case_cgroup_parent_nested_created
run_case cgroup-parent-existed case_cgroup_parent_existed
run_case cgroup-parent-partly-existed case_cgroup_parent_partly_existed
run_case cgroup-parent-after-failure case_cgroup_parent_after_failure
run_case temp-dir-under-tmpdir case_temp_dir_under_tmpdir
finish
