#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# convert-equiv.sh - a bash runfile in the `cargo ktstr export` 0.6.0 format
# and its conversion (ktstr-pack --from-run) run side by side in the
# hermetic harness, with the same sample test and the same fake scheduler
# (sched-probe, which notes whether the config files its arguments name
# exist, then becomes fake-scheduler).  The argv each passes to the
# scheduler and to the test (extraction directory written <DIR>), the exit
# status and what is left behind must be the same, and as expected; the one
# intended difference is the repaired inline config.
. "$(dirname "$0")/../hermetic/lib.sh"
MKBASHRUN=$KTSTR_HELPERS/mkbashrun
SCHED_PROBE=$KTSTR_HELPERS/sched-probe
HERMETIC_EXTRA_BINS="$MKBASHRUN $SCHED_PROBE"
hermetic_enter "$@"
MKBASHRUN=/run/bin/mkbashrun SCHED_PROBE=/run/bin/sched-probe
for tool in bash base64 tar gzip sed mktemp seq xargs sort find id grep; do
    command -v "$tool" > /dev/null || skip "the bash runfile needs $tool"
done
T=$WORK
printf 'cell_size=4\nmode="a b"\n' > "$T/sched.cfg"
printf '{"layers": [{"name": "batch"}]}\n' > "$T/layers.json"

# sconf KEY=VALUE...: the sample test's behaviour; fewer, longer-running
# workers than its defaults, so that a loaded machine still gives each of
# them CPU time (the comparison is about argv, status and cleanup)
sconf() { sample_conf workers=2 duration_ms=500 "$@"; }

# pair [mkbashrun options]: $WORK/orig.run (0.6.0 format) and its
# conversion $WORK/conv.run
pair() {
    [ -f "$WORK/sample-test.conf" ] || sconf expect_sched=none
    "$MKBASHRUN" -o "$WORK/orig.run" --runner "$SAMPLE_TEST" \
        --include "$WORK/sample-test.conf" "$@"
    if [ -n "${LAUNCH:-}" ]; then
        # a hand-written launch line: shell forms 0.6.0 itself does not write
        L=$LAUNCH awk '/^"\$DIR\/scheduler" / { print ENVIRON["L"]; next } { print }' \
            "$WORK/orig.run" > "$WORK/orig.tmp"
        mv "$WORK/orig.tmp" "$WORK/orig.run"
        chmod 755 "$WORK/orig.run"
    fi
    "$KTSTR_PACK" --from-run "$WORK/orig.run" -o "$WORK/conv.run" 2> "$WORK/convert.err" ||
        { cat "$WORK/convert.err" >&2; return 1; }
}

# normalize ARGV-FILE: the extraction directory (the dir of argv[0]) as <DIR>
normalize() {
    local a0 dir
    a0=$(head -zn1 "$1" | tr -d '\0')
    dir=${a0%/*}
    [[ "$dir" =~ ^/tmp/ktstr-(export-[A-Za-z0-9]{6}|run-[0-9]+-[A-Za-z0-9]{6})$ ]] ||
        { fail "argv[0] $a0 is not in a temporary extraction directory"; return 1; }
    sed -z "s#$dir#<DIR>#g" "$1" > "$1.n" && mv "$1.n" "$1"
}

# side TAG RUNFILE [args]: run it; keep the records as $WORK/TAG.*; the
# host must be as clean as before
side() {
    local tag=$1 f; shift
    rm -f "$HDIR"/sched.argv "$HDIR"/sched.exit "$HDIR"/sched.pid "$HDIR"/sched.stamp \
        "$HDIR"/test.* "$HDIR"/probe.*
    run_rf "$@"
    echo "$RC" > "$WORK/$tag.rc"
    cp "$ERR" "$WORK/$tag.err"
    for f in sched.argv test.argv test.result sched.exit probe.list; do
        rm -f "$WORK/$tag.$f"
        [ ! -e "$HDIR/$f" ] || cp "$HDIR/$f" "$WORK/$tag.$f"
    done
    for f in "$HDIR"/probe.[0-9]*; do
        [ ! -e "$f" ] || cp "$f" "$WORK/$tag.${f##*/}"
    done
    for f in sched.argv test.argv; do
        [ ! -e "$WORK/$tag.$f" ] || normalize "$WORK/$tag.$f"
    done
    expect_clean
    f=$(find /tmp -maxdepth 1 -name 'ktstr-export-*')
    [ -z "$f" ] || fail "$tag left $f"
}

# both [runfile args]: run the original and the conversion
both() {
    side bash "$WORK/orig.run" "$@"
    side native "$WORK/conv.run" "$@"
}

# same WHAT...: the records must be identical on both sides (or absent on both)
same() {
    local f
    for f in "$@"; do
        if [ -e "$WORK/bash.$f" ] || [ -e "$WORK/native.$f" ]; then
            [ -e "$WORK/bash.$f" ] || fail "only the conversion wrote $f" || return 1
            [ -e "$WORK/native.$f" ] || fail "only the bash runfile wrote $f" || return 1
            cmp -s "$WORK/bash.$f" "$WORK/native.$f" ||
                fail "$f differs: bash <$(argv_lines "$WORK/bash.$f" | tr '\n' ' ')> native <$(argv_lines "$WORK/native.$f" | tr '\n' ' ')>" ||
                return 1
        fi
    done
}

# expect_argv_is TAG.FILE ELEMENT...: the normalized argv, exactly
expect_argv_is() {
    local rec=$WORK/$1; shift
    printf '%s\0' "$@" > "$WORK/expected.argv"
    expect_argv "$rec" "$WORK/expected.argv"
}

test_argv() { expect_argv_is "$1.test.argv" "<DIR>/ktstr" run --ktstr-test-fn "${2:-conv_test}"; }

case_pass() {
    sconf expect_sched=fake
    sched_conf attach_delay_ms=30 enabling_ms=0
    pair --name conv_test --scheduler "$SCHED_PROBE" --sched-name fake --sched-arg -v
    both
    same rc sched.argv test.argv sched.exit
    [ "$(cat "$WORK/bash.rc")" = 0 ] || fail "the bash runfile exited $(cat "$WORK/bash.rc")"
    expect_argv_is bash.sched.argv "<DIR>/scheduler" -v
    test_argv bash
    grep -qx sched_ok=1 "$WORK/native.test.result" || fail "the test saw no scheduler"
    grep -qx sched_ok=1 "$WORK/bash.test.result" || fail "the test saw no scheduler (bash)"
    [ "$(cat "$WORK/native.sched.exit")" = term ] || fail "scheduler not stopped by SIGTERM"
}

case_eevdf() {
    sconf expect_sched=none
    pair --name conv_test
    both
    same rc test.argv
    [ "$(cat "$WORK/native.rc")" = 0 ] || fail "exit status $(cat "$WORK/native.rc")"
    [ ! -e "$WORK/bash.sched.argv" ] && [ ! -e "$WORK/native.sched.argv" ] ||
        fail "a scheduler was started for EEVDF"
    test_argv native
    grep -q '"has_scheduler": false' <("$KTSTR_PACK" --inspect "$WORK/conv.run" --json) ||
        fail "the conversion has a scheduler"
}

case_config_file() {
    sconf expect_sched=fake
    sched_conf attach_delay_ms=10 enabling_ms=0
    pair --name conv_test --scheduler "$SCHED_PROBE" --sched-name fake \
        --config-file "$T/sched.cfg" --sched-arg x
    both
    same rc sched.argv test.argv probe.list probe.2
    expect_argv_is native.sched.argv "<DIR>/scheduler" --config "<DIR>/include/sched.cfg" x
    grep -qx '2 present' "$WORK/native.probe.list" || fail "the config file is missing"
    cmp -s "$WORK/native.probe.2" "$T/sched.cfg" || fail "the config file differs"
}

case_inline_config() {
    sconf expect_sched=fake
    sched_conf attach_delay_ms=10 enabling_ms=0
    pair --name conv_test --scheduler "$SCHED_PROBE" --sched-name fake \
        --config-content "$T/layers.json" --config-template '--layers={file} --strict' \
        --config-guest-path /include-files/layers.json --sched-arg x
    grep -qF 'repaired the inline scheduler config' "$WORK/convert.err" ||
        fail "the conversion did not say it repaired the inline config"
    both
    same rc sched.argv test.argv
    expect_argv_is native.sched.argv "<DIR>/scheduler" "--layers=<DIR>/include/layers.json" \
        --strict x
    # the intended difference: 0.6.0's scheduler cannot find its config...
    [ "$(cat "$WORK/bash.probe.list")" = "1 missing" ] ||
        fail "the bash runfile's scheduler found its config: $(cat "$WORK/bash.probe.list")"
    # ...the conversion's finds it, with the inline content
    [ "$(cat "$WORK/native.probe.list")" = "1 present" ] ||
        fail "the converted scheduler did not find its config"
    cmp -s "$WORK/native.probe.1" "$T/layers.json" || fail "the config content differs"
}

case_hostile_args() {
    local name="it's a \$test"
    local -a args=('with space' "it's" "'" '$HOME' '$(id)' '`id`' 'back\slash' '\' ''
                   'naïve ✓' $'two\nlines' $'tab\tx' '*' '~' '#hash' '!bang' '"dq"'
                   '--plain=1:2' '-' '' 'a=b')
    local -a opts=() a
    for a in "${args[@]}"; do opts+=(--sched-arg "$a"); done
    sconf expect_sched=fake
    sched_conf attach_delay_ms=10 enabling_ms=0
    pair --name "$name" --scheduler "$SCHED_PROBE" --sched-name 'fake sched' "${opts[@]}" \
        --extra-sched-arg "it's extra"
    both
    same rc sched.argv test.argv
    [ "$(cat "$WORK/native.rc")" = 0 ] || fail "exit status $(cat "$WORK/native.rc")"
    expect_argv_is native.sched.argv "<DIR>/scheduler" "${args[@]}" "it's extra"
    test_argv native "$name"
}

case_shell_forms() {
    # bash is the judge of how these split: backslash escapes, quotes glued
    # together, escapes inside double quotes, ${DIR}, the quote closed
    # before the path ("$DIR"/include/B), a line continuation
    sconf expect_sched=fake
    sched_conf attach_delay_ms=10 enabling_ms=0
    LAUNCH='"$DIR/scheduler" a\ b "x\"y\$z\\w\q" "${DIR}/include/sched.cfg" --c=\
d '"'e'"'"f"g \'"'"' "" "$DIR"/include/sched.cfg &' \
        pair --name conv_test --scheduler "$SCHED_PROBE" --config-file "$T/sched.cfg"
    both
    same rc sched.argv test.argv probe.list probe.3
    expect_argv_is native.sched.argv "<DIR>/scheduler" "a b" 'x"y$z\w\q' \
        "<DIR>/include/sched.cfg" --c=d efg "'" "" "<DIR>/include/sched.cfg"
}

case_cgroup_parent() {
    sconf expect_sched=fake
    sched_conf attach_delay_ms=10 enabling_ms=0
    # a parent that exists before the run stays, on both sides
    mkdir /sys/fs/cgroup/ktstr-cells
    cgroup_list > /run/cgroups.before
    pair --name conv_test --scheduler "$SCHED_PROBE" --sched-name fake \
        --cgroup-parent /ktstr-cells --sched-arg --foo
    both
    same rc sched.argv test.argv
    expect_argv_is native.sched.argv "<DIR>/scheduler" --cell-parent-cgroup /ktstr-cells --foo
    grep -q '"cgroup_parent": "/ktstr-cells"' <("$KTSTR_PACK" --inspect "$WORK/conv.run" --json) ||
        fail "the conversion lost the cgroup parent"
    [ -d /sys/fs/cgroup/ktstr-cells ] || fail "the existing cgroup parent was removed"
    rmdir /sys/fs/cgroup/ktstr-cells
}

case_exit_code() {
    sconf expect_sched=none exit_code=7
    pair --name conv_test
    both
    same rc test.argv
    [ "$(cat "$WORK/native.rc")" = 7 ] || fail "exit status $(cat "$WORK/native.rc"), not 7"
}

case_killed_test() {
    sconf expect_sched=none kill_self=6
    pair --name conv_test
    both
    same rc test.argv
    [ "$(cat "$WORK/native.rc")" = 134 ] || fail "exit status $(cat "$WORK/native.rc"), not 134"
}

case_overrides() {
    sconf expect_sched=fake
    sched_conf attach_delay_ms=10 enabling_ms=0
    pair --name conv_test --scheduler "$SCHED_PROBE" --sched-name fake --duration 5 --watchdog 6
    both --duration 1 --watchdog-timeout 9
    same rc sched.argv test.argv
    expect_argv_is native.test.argv "<DIR>/ktstr" run --ktstr-test-fn conv_test \
        --duration 1 --watchdog-timeout 9
    both --watchdog-timeout 3
    same rc test.argv
    expect_argv_is native.test.argv "<DIR>/ktstr" run --ktstr-test-fn conv_test \
        --watchdog-timeout 3
}

case_scheduler_fails() {
    sconf expect_sched=fake
    sched_conf mode=exit-early exit_code=3
    pair --name conv_test --scheduler "$SCHED_PROBE" --sched-name fake
    both
    same rc sched.argv
    [ "$(cat "$WORK/native.rc")" = 1 ] || fail "exit status $(cat "$WORK/native.rc"), not 1"
    [ ! -e "$WORK/bash.test.argv" ] && [ ! -e "$WORK/native.test.argv" ] ||
        fail "the test ran without its scheduler"
}

run_case pass case_pass
run_case eevdf case_eevdf
run_case config-file case_config_file
run_case inline-config-repaired case_inline_config
run_case hostile-args case_hostile_args
run_case shell-forms case_shell_forms
run_case cgroup-parent case_cgroup_parent
run_case exit-code-forwarded case_exit_code
run_case killed-test case_killed_test
run_case duration-watchdog-overrides case_overrides
run_case scheduler-exits-early case_scheduler_fails
finish
