#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ux-preflight.sh - `NAME.run --preflight` on each synthetic host of the
# harness: the whole table (check / host / needed / ok) with the expected
# rows, every failing check reported at once, exit 0/1, nothing from the
# payload run, and as `nobody` wherever no root is needed.  The run lock
# row says what a run would meet at /run/ktstr-runfile.lock (free, held by
# another runfile, or not creatable) without taking it or creating it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
CHECKS="capabilities|sched_ext|cgroup v2|no other scheduler|LLCs|NUMA nodes|cores per LLC|threads per core|temp dir|free space|run lock"

# table_row CHECK: "check|host|needed|ok" of that row of the last output
# (cells are separated by two or more spaces)
table_row() {
    awk -v c="$1" 'BEGIN { FS = "  +" } $1 == c { print $1 "|" $2 "|" $3 "|" $4 }' "$OUT"
}

# expect_row CHECK HOST NEEDED OK: HOST may be a glob pattern
expect_row() {
    local got want
    got=$(table_row "$1")
    want="$1|$2|$3|$4"
    # shellcheck disable=SC2053  # $want is a pattern on purpose
    [[ "$got" == $want ]] || fail "row '$1' is '$got', expected '$want'"
}

# expect_table: the header and every check, in order, and nothing else
expect_table() {
    local checks
    grep -qE '^CHECK +HOST +NEEDED +OK$' "$OUT" || fail "no table header"
    checks=$(awk 'BEGIN { FS = "  +" } /^CHECK /, /^$/ { if ($1 != "CHECK" && $0 != "") print $1 }' \
        "$OUT" | paste -sd'|')
    [ "$checks" = "$CHECKS" ] || fail "table checks are '$checks', expected '$CHECKS'"
}

LOCK_NEED="not held, writable"
LOCK=/run/ktstr-runfile.lock

# the rows of a host where the default runfile can run
expect_good_rows() {
    expect_row "sched_ext" "present" "/sys/kernel/sched_ext" yes
    expect_row "cgroup v2" "cgroup2" "cgroup2 at /sys/fs/cgroup" yes
    expect_row "no other scheduler" "state=disabled no ops" "none attached" yes
    expect_row "LLCs" 1 ">= 1" yes
    expect_row "NUMA nodes" 1 ">= 1" yes
    expect_row "cores per LLC" 2 ">= 1" yes
    expect_row "threads per core" 1 ">= 1" yes
    expect_row "temp dir" "/tmp: writable, exec" "writable dir, exec mount" yes
    expect_row "free space" "* MiB in /tmp" ">= * MiB" yes
}

# expect_nothing_ran: no extraction directory, no helper ever started
expect_nothing_ran() {
    [ -z "$(find /tmp -maxdepth 1 -name 'ktstr-*' 2>/dev/null)" ] ||
        fail "preflight created an extraction directory"
    [ ! -e "$HDIR/sched.argv" ] || fail "preflight started the scheduler"
    [ ! -e "$HDIR/test.argv" ] || fail "preflight started the test"
    [ "$(cat /sys/kernel/sched_ext/state 2>/dev/null || echo none)" != enabled ] ||
        fail "sched_ext was attached"
}

case_good_host_root() {
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    rm -f "$LOCK"
    run_rf "$WORK/t.run" --preflight
    expect_rc 0
    expect_table
    expect_row "capabilities" "CAP_SYS_ADMIN effective (uid 0)" "CAP_SYS_ADMIN" yes
    expect_good_rows
    expect_row "run lock" "free (/run writable, no lock file yet)" "$LOCK_NEED" yes
    [ ! -e "$LOCK" ] || fail "preflight created the run lock"
    expect_out "this host can run sample"
    expect_out "host topology: 2 CPUs online (0-1), 1 LLCs"
    [ ! -s "$ERR" ] || fail "stderr is not empty"
    expect_nothing_ran
    expect_clean
}

case_good_host_nobody() {
    pack_sched "$WORK/t.run"
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "capabilities" "no CAP_SYS_ADMIN (uid 65534)" "CAP_SYS_ADMIN" NO
    expect_good_rows
    expect_out "this host cannot run sample"
    # nor could this user create the run lock a run takes in /run (0755)
    expect_row "run lock" "/run: not writable by this user" "$LOCK_NEED" NO
    expect_err "error: CAP_SYS_ADMIN is not in the effective capability set (uid 65534)"
    expect_err "hint: run it as root"
    expect_err "error: cannot create the run lock $LOCK: Permission denied"
    expect_err "hint: run it as root: a run creates and locks $LOCK"
    [ "$(grep -c ': error: ' "$ERR")" = 2 ] || fail "expected exactly two error lines"
    expect_nothing_ran
}

case_topology_shortfall() {
    topo_setup --nodes 2 --llcs 4 --cores 2 --threads 2
    pack "$WORK/t.run" --llcs 8 --numa-nodes 2 --cores-per-llc 3 --threads-per-core 2
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "LLCs" 4 ">= 8" NO
    expect_row "NUMA nodes" 2 ">= 2" yes
    expect_row "cores per LLC" 2 ">= 3" NO
    expect_row "threads per core" 2 ">= 2" yes
    expect_out "host topology: 16 CPUs online (0-15), 4 LLCs"
    expect_err "error: host has 4 LLCs, test needs 8"
    expect_err "error: host has 2 cores per LLC, test needs 3"
    expect_no_err "NUMA nodes, test needs"
}

case_topology_unequal_offline() {
    # LLCs of 4 and 2 cores: the minimum counts; an offline thread makes
    # its core single-threaded
    topo_setup --nodes 1 --llc-cores 4,2 --threads 2 --offline 3
    pack "$WORK/t.run" --llcs 2 --cores-per-llc 3 --threads-per-core 2 --numa-nodes 2
    run_rf "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "LLCs" 2 ">= 2" yes
    expect_row "NUMA nodes" 1 ">= 2" NO
    expect_row "cores per LLC" 2 ">= 3" NO
    expect_row "threads per core" 1 ">= 2" NO
    expect_err "error: host has 1 NUMA nodes, test needs 2"
    expect_err "error: host has 1 threads per core, test needs 2"
}

case_no_sched_ext() {
    sched_ext_setup none
    pack_sched "$WORK/t.run"
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "sched_ext" "missing" "/sys/kernel/sched_ext" NO
    expect_row "no other scheduler" "n/a (no sched_ext)" "none attached" n/a
    expect_row "cgroup v2" "cgroup2" "cgroup2 at /sys/fs/cgroup" yes
    expect_err "error: the kernel lacks sched_ext support (no /sys/kernel/sched_ext)"
    expect_err "hint: boot a kernel built with CONFIG_SCHED_CLASS_EXT=y"
}

case_cgroup_v1() {
    pack "$WORK/t.run"
    # a v1/hybrid layout: a tmpfs at /sys/fs/cgroup with hierarchies below
    mount -t tmpfs -o mode=0755 tmpfs /sys/fs/cgroup
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "cgroup v2" "tmpfs" "cgroup2 at /sys/fs/cgroup" NO
    expect_err "error: /sys/fs/cgroup is a tmpfs mount, not cgroup2 (a cgroup v1 or hybrid layout)"
    expect_err "hint: mount cgroup v2 there"
    # nothing mounted there at all
    while umount /sys/fs/cgroup 2>/dev/null; do :; done
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "cgroup v2" "not mounted" "cgroup2 at /sys/fs/cgroup" NO
    expect_err "error: nothing is mounted at /sys/fs/cgroup"
    # a named cgroup v1 hierarchy right at /sys/fs/cgroup, where the kernel
    # still offers v1 (a real v1-only host looks like this to the check)
    if mount -t cgroup -o none,name=ktstr-ux cgroup /sys/fs/cgroup 2>/dev/null; then
        run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
        umount /sys/fs/cgroup
        expect_rc 1
        expect_row "cgroup v2" "cgroup" "cgroup2 at /sys/fs/cgroup" NO
        expect_err "error: /sys/fs/cgroup is a cgroup mount, not cgroup2"
    else
        echo "    note: this kernel cannot mount a cgroup v1 hierarchy; tmpfs and unmounted checked"
    fi
}

case_other_scheduler() {
    pack_sched "$WORK/t.run"
    sched_ext_setup state enabled scx_other
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "sched_ext" "present" "/sys/kernel/sched_ext" yes
    expect_row "no other scheduler" "state=enabled scx_other" "none attached" NO
    expect_err "error: another sched_ext scheduler 'scx_other' is already attached (state=enabled)"
    # a kernel without the state file: a non-empty root/ops is the sign
    sched_ext_setup nostate "" scx_old
    run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "sched_ext" "present (no state file)" "/sys/kernel/sched_ext" yes
    expect_row "no other scheduler" "scx_old" "none attached" NO
    expect_err "error: another sched_ext scheduler 'scx_old' is already attached (state=n/a)"
    # ...and an empty one is a free host
    sched_ext_setup nostate
    run_rf "$WORK/t.run" --preflight
    expect_rc 0
    expect_row "no other scheduler" "no ops" "none attached" yes
}

case_noexec_tmpdir() {
    pack "$WORK/t.run"
    mkdir -p /run/noexec /run/ro
    mount -t tmpfs -o noexec,mode=1777 tmpfs /run/noexec
    mount -t tmpfs -o ro,mode=1777 tmpfs /run/ro
    TMPDIR=/run/noexec run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "temp dir" "/run/noexec: noexec mount" "writable dir, exec mount" NO
    expect_row "free space" "* MiB in /run/noexec" ">= * MiB" yes
    expect_err "error: /run/noexec is on a noexec filesystem: the extracted binaries could not run"
    expect_err "hint: point TMPDIR at a directory on a filesystem mounted with exec"
    TMPDIR=/run/ro run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "temp dir" "/run/ro: read-only mount" "writable dir, exec mount" NO
    # a directory this user cannot write to, and one that does not exist
    mkdir -m 0755 /run/rootonly
    TMPDIR=/run/rootonly run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "temp dir" "/run/rootonly: not writable by this user" "writable dir, exec mount" NO
    TMPDIR=/run/rootonly run_rf "$WORK/t.run" --preflight
    expect_rc 0
    expect_row "temp dir" "/run/rootonly: writable, exec" "writable dir, exec mount" yes
    TMPDIR=/run/missing run_rf "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "temp dir" "/run/missing: No such file or directory" "writable dir, exec mount" NO
    expect_row "free space" "n/a (no usable temp dir)" ">= * MiB" n/a
    umount /run/noexec /run/ro
    rmdir /run/noexec /run/ro /run/rootonly
}

case_small_tmpdir() {
    head -c $((24 << 20)) /dev/urandom > "$WORK/big.bin"
    pack "$WORK/t.run" --include "$WORK/big.bin" --compress none
    mkdir -p /run/small
    mount -t tmpfs -o size=4m,mode=1777 tmpfs /run/small
    TMPDIR=/run/small run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    umount /run/small
    expect_rc 1
    expect_row "temp dir" "/run/small: writable, exec" "writable dir, exec mount" yes
    expect_row "free space" "4 MiB in /run/small" ">= 2[4-6] MiB" NO
    expect_err "error: /run/small has 4 MiB free, the payload needs"
    rm -f "$WORK/big.bin"
}

case_everything_fails() {
    sched_ext_setup none
    topo_setup --nodes 1 --llcs 1 --cores 1 --threads 1
    pack "$WORK/t.run" --llcs 2
    mkdir -p /run/noexec
    mount -t tmpfs -o noexec,mode=1777 tmpfs /run/noexec
    mount -t tmpfs -o mode=0755 tmpfs /sys/fs/cgroup
    TMPDIR=/run/noexec run_rf "${NOBODY[@]}" "$WORK/t.run" --preflight
    umount /run/noexec
    expect_rc 1
    expect_table
    expect_row "capabilities" "no CAP_SYS_ADMIN (uid 65534)" "CAP_SYS_ADMIN" NO
    expect_row "sched_ext" "missing" "/sys/kernel/sched_ext" NO
    expect_row "cgroup v2" "tmpfs" "cgroup2 at /sys/fs/cgroup" NO
    expect_row "no other scheduler" "n/a (no sched_ext)" "none attached" n/a
    expect_row "LLCs" 1 ">= 2" NO
    expect_row "cores per LLC" 1 ">= 1" yes
    expect_row "temp dir" "/run/noexec: noexec mount" "writable dir, exec mount" NO
    expect_row "run lock" "/run: not writable by this user" "$LOCK_NEED" NO
    # one error line per failing row, all of them in one go
    [ "$(grep -c ': error: ' "$ERR")" = 6 ] ||
        fail "expected 6 error lines, got $(grep -c ': error: ' "$ERR")"
    expect_out "this host cannot run sample"
}

# A runfile that holds the run lock (its scheduler never attaches, so
# the lock is the only thing in the way): the row names its pid as the
# run's error does, and --preflight fails instead of promising a run that
# would stop with ERROR (lock: ...).  It takes nothing: the holder is
# undisturbed, and after it the lock is free again.
case_lock_held() {
    local holder hrc
    sched_conf mode=never-attach
    pack_sched "$WORK/t.run" --attach-timeout 60
    env --default-signal=INT,QUIT "$WORK/t.run" > /dev/null 2> "$WORK/holder.err" &
    holder=$!
    # the lock is taken before the scheduler starts
    wait_for test -s "$HDIR/sched.pid"
    run_rf "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "run lock" "held by pid $holder" "$LOCK_NEED" NO
    expect_row "no other scheduler" "state=disabled no ops" "none attached" yes
    expect_out "this host cannot run sample"
    expect_err "t.run: error: another runfile is running on this host (pid $holder holds $LOCK)"
    expect_err "t.run: hint: runs share /sys/fs/cgroup/ktstr and sched_ext: wait for it to finish"
    [ "$(grep -c ': error: ' "$ERR")" = 1 ] || fail "expected exactly one error line"
    # from another pid namespace the holder has no pid: say so, not "pid 0",
    # in the table and in the verdict of a run
    run_rf unshare -p --fork --mount-proc "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "run lock" "held by a process in another pid namespace" "$LOCK_NEED" NO
    expect_err "t.run: error: another runfile is running on this host (a process in another pid namespace holds $LOCK)"
    run_rf unshare -p --fork --mount-proc "$WORK/t.run"
    expect_rc 1
    expect_verdict "t.run: ERROR (lock: another runfile is running on this host (a process in another pid namespace holds $LOCK))"
    alive "$holder" || fail "the holder did not survive the preflight"
    kill -TERM "$holder"
    set +e; wait "$holder"; hrc=$?; set -e
    [ "$hrc" = 143 ] || fail "holder: exit status $hrc: $(cat "$WORK/holder.err")"
    grep -qF "t.run: ERROR (attach: interrupted by SIGTERM" "$WORK/holder.err" ||
        fail "holder: $(tail -n1 "$WORK/holder.err")"
    # its lock file stays, unlocked: free
    run_rf "$WORK/t.run" --preflight
    expect_rc 0
    expect_row "run lock" "free" "$LOCK_NEED" yes
    expect_clean
    rm -f "$LOCK"
}

# on_readonly_run [--lock-file] CMD...: run_rf CMD with a read-only tmpfs
# over /run (holding an unlocked lock file with --lock-file); /run is back
# before anything can fail
on_readonly_run() {
    local lock_file=0 ready=0
    [ "$1" = --lock-file ] && { lock_file=1; shift; }
    mount -t tmpfs -o mode=0755 tmpfs /run || { fail "cannot mount a tmpfs on /run"; return 1; }
    if { [ "$lock_file" = 0 ] || : > "$LOCK"; } && mount -o remount,ro /run; then
        ready=1
        run_rf "$@"
    fi
    umount /run
    [ "$ready" = 1 ] || fail "cannot make the tmpfs on /run read-only"
}

# /run read-only: a run could not create (or open for writing) its lock,
# so --preflight fails with the error the run stops on
case_lock_readonly_run() {
    pack "$WORK/t.run"
    on_readonly_run "$WORK/t.run" --preflight
    expect_rc 1
    expect_table
    expect_row "run lock" "/run: read-only mount" "$LOCK_NEED" NO
    expect_row "temp dir" "/tmp: writable, exec" "writable dir, exec mount" yes
    expect_out "this host cannot run sample"
    expect_err "t.run: error: cannot create the run lock $LOCK: Read-only file system"
    expect_err "t.run: hint: a run creates and locks $LOCK (one runfile at a time): /run must be a writable directory"
    [ "$(grep -c ': error: ' "$ERR")" = 1 ] || fail "expected exactly one error line"
    # the run it predicts
    on_readonly_run "$WORK/t.run"
    expect_rc 1
    expect_verdict "t.run: ERROR (lock: cannot open the run lock $LOCK: Read-only file system)"
    # a lock file already there (left by an earlier run) cannot be opened
    # for writing either
    on_readonly_run --lock-file "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "run lock" "$LOCK: read-only mount" "$LOCK_NEED" NO
    expect_err "t.run: error: cannot open the run lock $LOCK: Read-only file system"
    on_readonly_run --lock-file "$WORK/t.run"
    expect_rc 1
    expect_verdict "t.run: ERROR (lock: cannot open the run lock $LOCK: Read-only file system)"
    expect_clean
}

# a lock file that is not the run's own (another user's, or a directory):
# --preflight says so, and the run refuses it with the same message
case_lock_foreign_file() {
    pack "$WORK/t.run"
    : > "$LOCK"
    chown 65534 "$LOCK"
    run_rf "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "run lock" "$LOCK: not a regular file owned by uid 0" "$LOCK_NEED" NO
    expect_err "t.run: error: the run lock $LOCK is not a regular file owned by uid 0"
    expect_err "t.run: hint: remove $LOCK: no runfile holds it"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: hint: remove $LOCK: no runfile holds it"
    expect_verdict "t.run: ERROR (lock: the run lock $LOCK is not a regular file owned by uid 0)"
    [ "$(stat -c %u "$LOCK")" = 65534 ] || fail "the foreign lock file was changed"
    rm -f "$LOCK"
    mkdir "$LOCK"
    run_rf "$WORK/t.run" --preflight
    expect_rc 1
    expect_row "run lock" "$LOCK: not a regular file owned by uid 0" "$LOCK_NEED" NO
    rmdir "$LOCK"
    expect_clean
}

run_case preflight-good-host-root case_good_host_root
run_case preflight-good-host-nobody case_good_host_nobody
run_case preflight-topology-shortfall case_topology_shortfall
run_case preflight-topology-unequal-offline case_topology_unequal_offline
run_case preflight-no-sched-ext case_no_sched_ext
run_case preflight-cgroup-v1 case_cgroup_v1
run_case preflight-other-scheduler case_other_scheduler
run_case preflight-noexec-tmpdir case_noexec_tmpdir
run_case preflight-small-tmpdir case_small_tmpdir
run_case preflight-everything-fails case_everything_fails
run_case preflight-lock-held case_lock_held
run_case preflight-lock-readonly-run case_lock_readonly_run
run_case preflight-lock-foreign-file case_lock_foreign_file
finish
