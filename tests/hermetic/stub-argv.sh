#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# stub-argv.sh - the scheduler's and the test's argv, byte for byte, as the
# contract says: config additions, --cell-parent-cgroup, the scheduler's
# args, the test's extra args; hostile bytes kept as they are; config files
# at the path the scheduler gets; --duration/--watchdog-timeout overrides.
. "$(dirname "$0")/lib.sh"
need cmp
hermetic_enter "$@"

# argv_file OUT ARG...: the NUL-separated argv a program should record
argv_file() { local out=$1; shift; printf '%s\0' "$@" > "$out"; }

# Arguments a shell would mangle; each must arrive as one element, intact.
HOSTILE=('a b' "it's" '"dq"' '$HOME' '${DIR}' '"${DIR}"' '{file}' 'back\slash'
    $'line1\nline2' $'\xff\xfe\x80 not utf-8' '' '-leading' '--' $'\ttab\r' '*' '$(id)'
    '`id`' ';|&<>' '  ')

# run_pass FILE [args]: a run that must pass; the test saw the scheduler
run_pass() {
    run_rf "$@"
    expect_rc 0
    expect_err "t.run: PASS"
    expect_clean
}

case_hostile_sched_args() {
    local a dir
    local -a opts=()
    for a in "${HOSTILE[@]}"; do opts+=(--sched-arg "$a"); done
    opts+=(--extra-sched-arg '' --extra-sched-arg '--x=$y z' --extra-sched-arg $'\n')
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" "${opts[@]}"
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    argv_file "$WORK/want" "$dir/scheduler" "${HOSTILE[@]}" '' '--x=$y z' $'\n'
    expect_argv "$HDIR/sched.argv" "$WORK/want"
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn sample
    expect_argv "$HDIR/test.argv" "$WORK/want"
}

# the '=' forms of the packer's options give the same bytes
case_sched_args_equals_form() {
    local dir
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --sched-arg=--slice-us=20000 --sched-arg= --sched-arg=-- \
        --extra-sched-arg=-v
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    argv_file "$WORK/want" "$dir/scheduler" --slice-us=20000 '' -- -v
    expect_argv "$HDIR/sched.argv" "$WORK/want"
}

case_no_sched_args() {
    local dir
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run"
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    argv_file "$WORK/want" "$dir/scheduler"
    expect_argv "$HDIR/sched.argv" "$WORK/want"
}

case_hostile_test_name() {
    local dir name=$'it\'s a "test" $x \\ `y` *'
    sample_conf expect_sched=none
    "$KTSTR_PACK" --runner "$SAMPLE_TEST" --include "$WORK/sample-test.conf" \
        -o "$WORK/t.run" -- "$name" 2> "$WORK/pack.err" || { cat "$WORK/pack.err"; return 1; }
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/test.argv")
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn "$name"
    expect_argv "$HDIR/test.argv" "$WORK/want"
    grep -qxF "test_fn=$name" "$HDIR/test.result" || fail "the test did not see its name"
}

case_config_file() {
    local dir
    printf 'slice=5\n\0binary\xff bytes\n' > "$WORK/my sched.conf"
    sample_conf expect_sched=fake
    sched_conf record_files=1
    pack_sched "$WORK/t.run" --config-file "$WORK/my sched.conf" --sched-arg -v
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    argv_file "$WORK/want" "$dir/scheduler" --config "$dir/include/my sched.conf" -v
    expect_argv "$HDIR/sched.argv" "$WORK/want"
    cmp "$HDIR/sched.file.2" "$WORK/my sched.conf" ||
        fail "the scheduler's --config file does not hold the packed bytes"
}

# an inline config: the template split at whitespace, {file} replaced also
# inside a larger word, and several times in one word
case_config_template() {
    local dir f
    printf '{"layers": [1, 2]}\n' > "$WORK/content"
    sample_conf expect_sched=fake
    sched_conf record_files=1
    pack_sched "$WORK/t.run" --config-content "$WORK/content" --config-name layers.json \
        --config-arg $'--layers-json={file}  pre-{file}-mid-{file}-post\tplain' \
        --sched-arg own
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    f=$dir/include/layers.json
    argv_file "$WORK/want" "$dir/scheduler" "--layers-json=$f" "pre-$f-mid-$f-post" plain own
    expect_argv "$HDIR/sched.argv" "$WORK/want"
    cmp "$HDIR/sched.file.1" "$WORK/content" || fail "--layers-json= file content differs"
}

# every source of scheduler args at once, given to the packer in the
# reverse of the contract's order: the argv follows the contract
case_sched_argv_order() {
    local dir
    printf 'a\n' > "$WORK/a.conf"
    printf 'b\n' > "$WORK/b.json"
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --extra-sched-arg e1 --sched-arg s1 --extra-sched-arg e2 \
        --sched-arg s2 --cgroup-parent /x/cells --config-content "$WORK/b.json" \
        --config-arg '--cfg {file}' --config-name b.json --config-file "$WORK/a.conf"
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    argv_file "$WORK/want" "$dir/scheduler" --config "$dir/include/a.conf" \
        --cfg "$dir/include/b.json" --cell-parent-cgroup /x/cells s1 s2 e1 e2
    expect_argv "$HDIR/sched.argv" "$WORK/want"
    [ ! -e /sys/fs/cgroup/x ] || fail "a cgroup parent nobody created was left"
}

case_cgroup_parent_only() {
    local dir
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --cgroup-parent '/a b/c'
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/sched.argv")
    argv_file "$WORK/want" "$dir/scheduler" --cell-parent-cgroup '/a b/c'
    expect_argv "$HDIR/sched.argv" "$WORK/want"
    # the test's argv does not get it (ktstr reads it only in a VM)
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn sample
    expect_argv "$HDIR/test.argv" "$WORK/want"
}

# the spec's duration and watchdog are the test's defaults: not passed;
# the operator's overrides are, duration first, whatever the order given
case_duration_watchdog() {
    local dir
    sample_conf expect_sched=fake
    pack_sched "$WORK/t.run" --duration 5 --watchdog 9 --sched-arg -v
    run_pass "$WORK/t.run"
    dir=$(extraction_dir "$HDIR/test.argv")
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn sample
    expect_argv "$HDIR/test.argv" "$WORK/want"

    run_pass "$WORK/t.run" --watchdog-timeout 7
    dir=$(extraction_dir "$HDIR/test.argv")
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn sample --watchdog-timeout 7
    expect_argv "$HDIR/test.argv" "$WORK/want"
    argv_file "$WORK/want" "$dir/scheduler" -v
    expect_argv "$HDIR/sched.argv" "$WORK/want"

    run_pass "$WORK/t.run" --watchdog-timeout=8 --quiet --duration=1
    dir=$(extraction_dir "$HDIR/test.argv")
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn sample --duration 1 \
        --watchdog-timeout 8
    expect_argv "$HDIR/test.argv" "$WORK/want"
    grep -q '^duration_ms=1[0-9][0-9][0-9]$' "$HDIR/test.result" ||
        fail "the test did not run for the 1 s it was given: $(grep duration_ms "$HDIR/test.result")"
    argv_file "$WORK/want" "$dir/scheduler" -v
    expect_argv "$HDIR/sched.argv" "$WORK/want"
}

case_duration_only() {
    local dir
    sample_conf expect_sched=none
    pack "$WORK/t.run"
    run_pass "$WORK/t.run" --duration 1
    dir=$(extraction_dir "$HDIR/test.argv")
    argv_file "$WORK/want" "$dir/ktstr" run --ktstr-test-fn sample --duration 1
    expect_argv "$HDIR/test.argv" "$WORK/want"
}

run_case hostile-sched-args case_hostile_sched_args
run_case sched-args-equals-form case_sched_args_equals_form
run_case no-sched-args case_no_sched_args
run_case hostile-test-name case_hostile_test_name
run_case config-file case_config_file
run_case config-template case_config_template
run_case sched-argv-order case_sched_argv_order
run_case cgroup-parent-only case_cgroup_parent_only
run_case duration-watchdog case_duration_watchdog
run_case duration-only case_duration_only
finish
