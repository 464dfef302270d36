#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# harden-faults.sh - faults around a run: the disk fills up during the
# extraction, TMPDIR is noexec, read-only or too small, a stale temp dir
# left by a SIGKILLed run (and things that only look like one), two
# runfiles at once, the scheduler crashing mid-test, a test that hangs
# past duration + watchdog + margin, and a cgroup the cleanup cannot
# empty.  Each ends with a precise message, the right exit status and a
# clean host.  (SIGKILL of the stub itself, live and foreign stale dirs:
# stub-signals.sh; a test killed by a signal: stub-basic.sh.)
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

# small_tmpfs DIR OPTIONS: a fresh tmpfs, removed by the case itself
small_tmpfs() {
    mkdir -p "$1"
    mount -t tmpfs -o "mode=1777,$2" tmpfs "$1"
}

# pack_many OUT N: the EEVDF sample test with N one-byte include files:
# its tar counts 1 KiB per include, the disk a whole page
pack_many() {
    local out=$1 n=$2 i args=()
    mkdir -p "$WORK/inc"
    for i in $(seq "$n"); do
        printf 'x' > "$WORK/inc/f$i"
        args+=(--include "$WORK/inc/f$i")
    done
    sample_conf expect_sched=none
    pack "$out" "${args[@]}"
}

# tar_bytes FILE: the payload's tar size (what the free-space check needs)
tar_bytes() {
    "$KTSTR_PACK" --inspect "$1" | awk '
        /^archive members/ { m = 1; next }
        m && NF == 3 { n += 1024 + int(($2 + 511) / 512) * 512 - 512 }
        m && NF != 3 { m = 0 }
        END { print n + 1024 }'
}

# the disk fills while the runner is written: the check before extraction
# passes (it counts tar bytes, the filesystem counts pages), the write fails
case_disk_full_during_extraction() {
    local need
    pack_many "$WORK/t.run" 60
    need=$(tar_bytes "$WORK/t.run")
    small_tmpfs /run/full "size=$(( (need + 4095) / 4096 * 4096 + 4096 ))"
    TMPDIR=/run/full run_rf "$WORK/t.run" --preflight
    grep -E '^free space .* yes$' "$OUT" > /dev/null ||
        fail "the free-space check already refuses: $(grep '^free space' "$OUT")"
    TMPDIR=/run/full run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: cannot write ktstr: No space left on device"
    expect_err "t.run: ERROR (extraction: cannot write ktstr: No space left on device)"
    [ ! -e "$HDIR/test.argv" ] || fail "the test ran"
    [ -z "$(ls -A /run/full)" ] || fail "left in TMPDIR: $(ls -A /run/full)"
    TMPDIR=/run/full expect_clean
    umount /run/full
}

# out of inodes (a tmpfs with nr_inodes): creating a member fails
case_inodes_full_during_extraction() {
    pack_many "$WORK/t.run" 60
    small_tmpfs /run/full "nr_inodes=24"
    TMPDIR=/run/full run_rf "$WORK/t.run"
    expect_rc 1
    grep -qE '^t\.run: error: cannot create include/f[0-9]+: No space left on device$' "$ERR" ||
        fail "no 'cannot create include/fN: No space left on device'"
    expect_err "t.run: ERROR (extraction: cannot create include/f"
    [ ! -e "$HDIR/test.argv" ] || fail "the test ran"
    [ -z "$(ls -A /run/full)" ] || fail "left in TMPDIR: $(ls -A /run/full)"
    TMPDIR=/run/full expect_clean
    umount /run/full
}

# too small by the count of the check itself: refused before extracting
case_tmpdir_too_small() {
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    small_tmpfs /run/small "size=256k"
    TMPDIR=/run/small run_rf "$WORK/t.run"
    expect_rc 1
    grep -qE '^t\.run: error: /run/small has 0 MiB free, the payload needs [0-9]+ MiB$' "$ERR" ||
        fail "no free-space message"
    expect_err "t.run: hint: free some space or point TMPDIR at a larger filesystem"
    expect_err "t.run: ERROR (checks: /run/small has 0 MiB free"
    [ -z "$(ls -A /run/small)" ] || fail "something was extracted: $(ls -A /run/small)"
    expect_clean
    umount /run/small
}

# noexec and read-only: found before extraction, with the way out
tmpdir_unusable() {
    local opt=$1 what=$2
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    small_tmpfs /run/bad "$opt"
    TMPDIR=/run/bad run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: error: /run/bad is on a $what filesystem: the extracted binaries could not run"
    expect_err "t.run: hint: point TMPDIR at a directory on a filesystem mounted with exec, e.g. TMPDIR=/var/tmp t.run"
    expect_err "t.run: ERROR (checks: /run/bad is on a $what filesystem"
    [ -z "$(ls -A /run/bad)" ] || fail "something was extracted: $(ls -A /run/bad)"
    [ ! -e "$HDIR/test.argv" ] || fail "the test ran"
    expect_clean
    umount /run/bad
}
case_noexec_tmpdir() { tmpdir_unusable noexec noexec; }
case_readonly_tmpdir() { tmpdir_unusable ro read-only; }

# a real stale dir (a SIGKILLed run of another runfile) goes; what only
# looks like one stays: a symlink or a file with the name, a name of
# another form, a --keep dir, the dir of a live run, another user's dir;
# and no link inside the stale dir is followed
case_stale_dir_safety() {
    local dead live stale victim=/run/victim
    sample_conf expect_sched=none duration_ms=20000
    pack "$WORK/killed.run"
    start_rf "$WORK/killed.run"
    wait_for test -s "$HDIR/test.stamp"
    stale=$(find /tmp -maxdepth 1 -name 'ktstr-run-*')
    [ -n "$stale" ] || fail "no extraction directory during the run"
    kill -KILL "$BG_PID"
    wait_rf 2> /dev/null     # (bash's "Killed" notice)
    expect_rc 137
    wait_for eval '[ -z "$(stray_pids)" ]'
    dead=$BG_PID
    # bait: a directory with files and a link inside the stale dir to it
    mkdir -p "$victim/sub"
    echo keep > "$victim/file"
    echo keep > "$victim/sub/file"
    ln -s "$victim" "$stale/link-to-victim"
    ln -s "$victim/file" "$stale/include/link-to-file"
    mkdir "$stale/include/sub"
    ln -s "$victim/sub" "$stale/include/sub/link"
    # look-alikes with a dead owner pid, and real ones of a live run and of
    # another user
    ln -s "$victim" "/tmp/ktstr-run-$dead-SyMlNk"
    echo keep > "/tmp/ktstr-run-$dead-AFiLe1"
    mkdir "/tmp/ktstr-run-$dead-toolong7" "/tmp/ktstr-run-x$dead-AbCdEf" "/tmp/ktstr-keep-$dead-KePt01"
    sleep 100 & live=$!
    mkdir "/tmp/ktstr-run-$live-LiVe01" "/tmp/ktstr-run-$dead-UsEr01"
    chown 65534 "/tmp/ktstr-run-$dead-UsEr01"
    rm -f "$HDIR"/*

    sample_conf expect_sched=none
    pack "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 0
    expect_err "t.run: removed 1 stale extraction directory of killed runs"
    expect_err "t.run: PASS"
    [ ! -e "$stale" ] || fail "the stale $stale is still there"
    [ "$(cat "$victim/file" "$victim/sub/file")" = "keep
keep" ] || fail "a link was followed: $(ls -lR "$victim")"
    [ -L "/tmp/ktstr-run-$dead-SyMlNk" ] || fail "removed a symlink named like a temp dir"
    [ -f "/tmp/ktstr-run-$dead-AFiLe1" ] || fail "removed a file named like a temp dir"
    for d in "ktstr-run-$dead-toolong7" "ktstr-run-x$dead-AbCdEf" "ktstr-keep-$dead-KePt01" \
             "ktstr-run-$live-LiVe01" "ktstr-run-$dead-UsEr01"; do
        [ -d "/tmp/$d" ] || fail "removed /tmp/$d"
    done
    kill "$live"; wait "$live" 2>/dev/null || true
    rm -rf /tmp/ktstr-run-* /tmp/ktstr-keep-* "$victim"
    expect_clean
}

# one runfile at a time: the second refuses, naming the first's pid, and
# does not disturb it
case_two_at_once() {
    local first
    sample_conf expect_sched=fake duration_ms=1500
    pack_sched "$WORK/t.run"
    start_rf "$WORK/t.run"
    first=$BG_PID
    wait_for test -s "$HDIR/test.stamp"
    cp "$WORK/t.run" "$WORK/second.run"
    ERR2=$WORK/err2
    set +e
    "$WORK/second.run" > /dev/null 2> "$ERR2"
    RC2=$?
    set -e
    [ "$RC2" = 1 ] || fail "second runfile: exit status $RC2"
    grep -qxF "second.run: error: another runfile is running on this host (pid $first holds /run/ktstr-runfile.lock)" "$ERR2" ||
        fail "second runfile: $(cat "$ERR2")"
    grep -qF "second.run: ERROR (lock: another runfile is running on this host (pid $first" "$ERR2" ||
        fail "second runfile: no ERROR (lock: ...) verdict"
    [ "$(find /tmp -maxdepth 1 -name 'ktstr-run-*' | wc -l)" = 1 ] ||
        fail "the second runfile made a temp dir"
    wait_rf
    expect_rc 0
    expect_err "t.run: PASS"
    grep -qx 'sched_ok=1' "$HDIR/test.result" || fail "the first run's scheduler was disturbed"
    expect_clean
}

# the scheduler dies while the test runs: a test that passes anyway is a
# FAIL of the run, with the scheduler's exit in the verdict
case_scheduler_crash_test_passes() {
    sample_conf expect_sched=fake duration_ms=1000 exit_code=0
    sched_conf mode=crash crash_after_ms=200 exit_code=3
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: warning: the scheduler exited with status 3 during the test"
    expect_err "t.run: FAIL (the scheduler exited with status 3 during the test)"
    grep -qx 'bad_samples=0' "$HDIR/test.result" && fail "the test never saw the scheduler go"
    expect_clean
}

# ... and a test that notices fails with its own status
case_scheduler_crash_test_fails() {
    sample_conf expect_sched=fake duration_ms=1000
    sched_conf mode=crash crash_after_ms=200 exit_code=3
    pack_sched "$WORK/t.run"
    run_rf "$WORK/t.run"
    expect_rc 1
    expect_err "t.run: warning: the scheduler exited with status 3 during the test"
    expect_err "t.run: FAIL (test exited 1)"
    grep -qx 'sched_ok=0' "$HDIR/test.result" || fail "the test did not see the crash"
    expect_clean
}

# a test that never ends (and ignores SIGTERM) is stopped after
# duration + watchdog + margin (25 %, at least 5 s), then SIGKILLed
case_test_hangs() {
    sample_conf expect_sched=none hang=1
    pack "$WORK/t.run"
    run_rf "$WORK/t.run" --duration 1 --watchdog-timeout 1
    expect_rc 1
    expect_err "t.run: error: the test was still running after duration 1 s + watchdog 1 s + margin 5 s; it was stopped"
    expect_err "t.run: ERROR (test: the test was still running after"
    [ -e "$HDIR/test.argv" ] || fail "the test never started"
    expect_clean
}

# cleanup that cannot finish: a task in /sys/fs/cgroup/ktstr that no
# signal from the stub can kill.  The init of a pid namespace ignores
# SIGKILL sent from inside its namespace (cgroup.kill included), and this
# script is that init: it moves itself into ktstr/stuck.  The stub waits
# (bounded), names the cgroup and its task, and the exit status is still
# the test's.
case_cgroup_stays_busy() {
    local home
    home=$(sed -n 's/^0:://p' /proc/1/cgroup)
    sample_conf expect_sched=none exit_code=7
    pack "$WORK/t.run"
    mkdir -p /sys/fs/cgroup/ktstr/stuck
    echo 1 > /sys/fs/cgroup/ktstr/stuck/cgroup.procs
    run_rf "$WORK/t.run"
    echo 1 > "/run/cg$home/cgroup.procs"
    expect_rc 7
    expect_err "t.run: warning: cleanup: cannot remove cgroup /sys/fs/cgroup/ktstr/stuck: it still has tasks (pids: 1)"
    expect_err "t.run: FAIL (test exited 7)"
    [ -z "$(find /tmp -maxdepth 1 -name 'ktstr-run-*')" ] || fail "temp dir left"
    rmdir /sys/fs/cgroup/ktstr/stuck /sys/fs/cgroup/ktstr
    expect_clean
}

run_case disk-full-during-extraction case_disk_full_during_extraction
run_case inodes-full-during-extraction case_inodes_full_during_extraction
run_case tmpdir-too-small case_tmpdir_too_small
run_case noexec-tmpdir case_noexec_tmpdir
run_case readonly-tmpdir case_readonly_tmpdir
run_case stale-dir-safety case_stale_dir_safety
run_case two-at-once case_two_at_once
run_case scheduler-crash-test-passes case_scheduler_crash_test_passes
run_case scheduler-crash-test-fails case_scheduler_crash_test_fails
run_case test-hangs case_test_hangs
run_case cgroup-stays-busy case_cgroup_stays_busy
finish
