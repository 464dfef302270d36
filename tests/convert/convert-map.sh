#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# convert-map.sh - ktstr-pack --from-run maps a `cargo ktstr export` 0.6.0
# runfile exactly: the frozen spec, the scheduler argv segment by segment
# ($DIR becomes the extraction directory), the members byte for byte, the
# repaired inline config; and the fixture itself has the 0.6.0 layout.
set -eu
. "$(dirname "$0")/lib.sh"
cv_setup

# json_field FILE.run KEY: the line of --inspect --json holding "KEY":
json_field() { "$KTSTR_PACK" --inspect "$1" --json | grep -F "\"$2\":"; }

expect_json() {
    local got
    got=$(json_field "$1" "$2")
    [ "$got" = "$3" ] || fail "--inspect --json $2:
      got      $got
      expected $3"
}

case_fixture_format() {
    local m n bad
    full_fixture "$T/f.run"
    # the frozen block: every value as shell_quote writes it
    sed -n '/^KTSTR_TEST_NAME=/,/^$/p' "$T/f.run" > "$T/block"
    printf '%s\n' KTSTR_TEST_NAME=conv_test KTSTR_SCHED_NAME=fake KTSTR_GIT_HASH=0123abc \
        NEED_LLCS=2 NEED_CORES_PER_LLC=3 NEED_THREADS_PER_CORE=2 NEED_NUMA_NODES=1 \
        TEST_DURATION_SECS=7 TEST_WATCHDOG_SECS=11 '' > "$T/block.want"
    cmp -s "$T/block" "$T/block.want" || fail "frozen block: $(diff "$T/block.want" "$T/block")"
    # the launch line: config additions, cgroup parent, own args, extra args
    sed -n '/^"\$DIR\/scheduler" /,/ &$/p' "$T/f.run" > "$T/launch"
    cat > "$T/launch.want" <<'EOF'
"$DIR/scheduler" --config "$DIR/include/sched.cfg" --layers="$DIR/include/layers.json" --strict --cell-parent-cgroup /ktstr-cells 'with space' 'it'\''s' '$HOME' 'back\slash' '' 'naïve ✓' 'two
lines' --slice-us=20:x+y &
EOF
    cmp -s "$T/launch" "$T/launch.want" || fail "launch line: $(diff "$T/launch.want" "$T/launch")"
    # the archive: __ARCHIVE__, then base64 in 76-column lines
    m=$(marker_line "$T/f.run")
    n=$(wc -l < "$T/f.run")
    bad=$(sed -n "$((m + 1)),$((n - 1))p" "$T/f.run" | awk 'length($0) != 76' | wc -l)
    [ "$bad" = 0 ] || fail "$bad base64 lines are not 76 columns"
    [ "$(tail -n1 "$T/f.run" | awk '{ print length($0) }')" -le 76 ] || fail "last line too long"
    sed "1,${m}d" "$T/f.run" | base64 -d | tar -tvzf - | awk '{ print $1, $6 }' > "$T/members"
    printf '%s\n' "-rwxr-xr-x ktstr" "-rwxr-xr-x scheduler" "-rwxr-xr-x include/sample-test.conf" \
        "-rwxr-xr-x include/sched.cfg" > "$T/members.want"
    head -n4 "$T/members" | cmp -s - "$T/members.want" &&
        sed -n 5p "$T/members" | grep -qxE -- '-rwxr-xr-x include/ktstr-export-config-[0-9a-f]{16}-layers.json' &&
        [ "$(wc -l < "$T/members")" = 5 ] || fail "archive members: $(tr '\n' ';' < "$T/members")"
}

# the scheduler argv of full_fixture, as --inspect --json shows it
FULL_ARGS='  "scheduler_args": [[{"literal": "--config"}], [{"dir": true}, {"literal": "/include/sched.cfg"}], [{"literal": "--layers="}, {"dir": true}, {"literal": "/include/layers.json"}], [{"literal": "--strict"}], [{"literal": "--cell-parent-cgroup"}], [{"literal": "/ktstr-cells"}], [{"literal": "with space"}], [{"literal": "it'"'"'s"}], [{"literal": "$HOME"}], [{"literal": "back\\slash"}], [], [{"literal": "na\u00efve \u2713"}], [{"literal": "two\nlines"}], [{"literal": "--slice-us=20:x+y"}]],'

case_full_mapping() {
    local launch m
    full_fixture "$T/f.run"
    convert "$T/f.run"
    [ "$RC" = 0 ] || fail "conversion failed"
    launch=$(line_of "$T/f.run" '^"\$DIR/scheduler" ')
    grep -qF "f.run:$launch: repaired the inline scheduler config" "$ERR" ||
        fail "no repair notice for line $launch"
    grep -qF "it is packed as include/layers.json" "$ERR" || fail "the notice names no member"
    expect_json "$T/o/new.run" test '  "test": "conv_test",'
    expect_json "$T/o/new.run" scheduler '  "scheduler": "fake",'
    expect_json "$T/o/new.run" git_hash '  "git_hash": "0123abc",'
    json_field "$T/o/new.run" packer | grep -qE '"ktstr-pack [0-9.]+ \(from cargo ktstr export\)"' ||
        fail "packer string: $(json_field "$T/o/new.run" packer)"
    expect_json "$T/o/new.run" topology \
        '  "topology": {"llcs": 2, "cores_per_llc": 3, "threads_per_core": 2, "numa_nodes": 1},'
    expect_json "$T/o/new.run" duration_secs '  "duration_secs": 7,'
    expect_json "$T/o/new.run" watchdog_secs '  "watchdog_secs": 11,'
    expect_json "$T/o/new.run" attach_timeout_secs '  "attach_timeout_secs": 10,'
    expect_json "$T/o/new.run" cgroup_parent '  "cgroup_parent": "/ktstr-cells",'
    expect_json "$T/o/new.run" scheduler_args "$FULL_ARGS"
    # members byte for byte: what bash's own extraction gives, the inline
    # config under the name its argument uses
    m=$(marker_line "$T/f.run")
    mkdir "$T/orig" "$T/new"
    sed "1,${m}d" "$T/f.run" | base64 -d | tar -xzf - -C "$T/orig"
    "$T/o/new.run" --extract "$T/new" > /dev/null
    for f in ktstr scheduler include/sample-test.conf include/sched.cfg; do
        cmp -s "$T/orig/$f" "$T/new/$f" || fail "member $f differs"
    done
    cmp -s "$T/orig/include/ktstr-export-config-"*-layers.json "$T/new/include/layers.json" ||
        fail "the inline config differs"
    [ "$(cd "$T/new" && find . -type f | sort | tr '\n' ' ')" = "./include/layers.json ./include/sample-test.conf ./include/sched.cfg ./ktstr ./scheduler " ] ||
        fail "extracted: $(cd "$T/new" && find . -type f | sort | tr '\n' ' ')"
}

case_eevdf() {
    fixture "$T/e.run"
    convert "$T/e.run"
    [ "$RC" = 0 ] || fail "conversion failed"
    expect_json "$T/o/new.run" has_scheduler '  "has_scheduler": false,'
    expect_json "$T/o/new.run" scheduler '  "scheduler": "eevdf",'
    expect_json "$T/o/new.run" scheduler_args '  "scheduler_args": [],'
    expect_json "$T/o/new.run" git_hash '  "git_hash": "unknown",'
    ! grep -q repaired "$ERR" || fail "a repair was reported for a file without inline config"
}

case_no_args() {
    # '"$DIR/scheduler"  &': a scheduler with no arguments at all
    fixture "$T/n.run" --scheduler "$SCHED_PROBE"
    grep -qx '"\$DIR/scheduler"  &' "$T/n.run" || fail "fixture has no bare launch line"
    convert "$T/n.run"
    [ "$RC" = 0 ] || fail "conversion failed"
    expect_json "$T/o/new.run" scheduler_args '  "scheduler_args": [],'
    expect_json "$T/o/new.run" has_scheduler '  "has_scheduler": true,'
    expect_json "$T/o/new.run" scheduler '  "scheduler": "sched-probe",'
}

case_launch_variants() {
    # what bash reads the same: ${DIR} for $DIR, blanks after the '&'
    fixture "$T/v.run" --scheduler "$SCHED_PROBE" --config-file "$T/sched.cfg" --sched-arg x
    sed -e 's#^"\$DIR/scheduler" --config "\$DIR/#"$DIR/scheduler" --config "${DIR}/#' \
        -e 's#^\("\$DIR/scheduler" .*&\)$#\1  #' "$T/v.run" > "$T/w.run"
    grep -qx '"\$DIR/scheduler" --config "\${DIR}/include/sched.cfg" x &  ' "$T/w.run" ||
        fail "the launch line was not rewritten"
    convert "$T/w.run"
    [ "$RC" = 0 ] || fail "conversion failed"
    expect_json "$T/o/new.run" scheduler_args '  "scheduler_args": [[{"literal": "--config"}], [{"dir": true}, {"literal": "/include/sched.cfg"}], [{"literal": "x"}]],'
}

case_dir_quote_closed_early() {
    # "$DIR"/include/B (the quote closed before the path, a hand edit) means
    # what "$DIR/include/B" means to bash: the same argv, the same
    # include check, the same inline-config repair
    local launch
    full_fixture "$T/f.run"
    sed -e 's#"\$DIR/include/sched\.cfg"#"$DIR"/include/sched.cfg#' \
        -e 's#"\$DIR/include/layers\.json"#"${DIR}"/include/layers.json#' "$T/f.run" > "$T/q.run"
    grep -qF -- '--config "$DIR"/include/sched.cfg --layers="${DIR}"/include/layers.json --strict' \
        "$T/q.run" || fail "the launch line was not rewritten" || return 1
    convert "$T/q.run"
    [ "$RC" = 0 ] || fail "conversion failed" || return 1
    launch=$(line_of "$T/q.run" '^"\$DIR/scheduler" ')
    grep -qF "q.run:$launch: repaired the inline scheduler config" "$ERR" &&
        grep -qF "it is packed as include/layers.json" "$ERR" || fail "no repair for \"\${DIR}\"/include/B"
    expect_json "$T/o/new.run" scheduler_args "$FULL_ARGS"
    mkdir "$T/new"
    "$T/o/new.run" --extract "$T/new" > /dev/null
    cmp -s "$T/layers.json" "$T/new/include/layers.json" || fail "the inline config is not where the arg points"
}

case_big_members() {
    # a runner large enough for many inflate windows and tar blocks
    { cat "$SAMPLE_TEST"; head -c 3000000 /dev/urandom; } > "$T/big-ktstr"
    "$MKBASHRUN" -o "$T/b.run" --name big --runner "$T/big-ktstr" --scheduler "$SCHED_PROBE" \
        --include "$T/sample-test.conf" --sched-arg x
    convert "$T/b.run"
    [ "$RC" = 0 ] || fail "conversion failed"
    mkdir "$T/new"
    "$T/o/new.run" --extract "$T/new" > /dev/null
    cmp -s "$T/big-ktstr" "$T/new/ktstr" || fail "the big runner differs"
    cmp -s "$SCHED_PROBE" "$T/new/scheduler" || fail "the scheduler differs"
}

case_stub_choice() {
    # the stub comes from the archive's binaries, checked as for files on disk
    printf 'not a program\n' > "$T/text"
    "$MKBASHRUN" -o "$T/t.run" --name conv_test --runner "$T/text"
    convert "$T/t.run"
    [ "$RC" = 1 ] && grep -qF "t.run: archive member ktstr is not an ELF file" "$ERR" ||
        fail "a non-ELF runner was accepted"
    local arch other machine
    arch=$(uname -m)
    case "$arch" in
    x86_64) other=aarch64 machine='\267' ;;   # EM_AARCH64
    aarch64) other=x86_64 machine='\076' ;;   # EM_X86_64
    *) echo "    (no stub for $arch: --arch part skipped)"; return 0 ;;
    esac
    convert "$T/t.run" --arch "$arch"
    [ "$RC" = 0 ] || fail "--arch $arch was not taken"
    expect_json "$T/o/new.run" stub_arch "  \"stub_arch\": \"$arch\","
    rm -f "$T/o/new.run"
    # a scheduler for another machine than the runner's cannot run next to it
    printf "\\177ELF\\002\\001\\001\\000\\000\\000\\000\\000\\000\\000\\000\\000\\002\\000$machine\\000" \
        > "$T/other"
    "$MKBASHRUN" -o "$T/m.run" --name conv_test --runner "$SAMPLE_TEST" --scheduler "$T/other"
    convert "$T/m.run"
    [ "$RC" = 1 ] && grep -qF "$other" "$ERR" || fail "mismatched machines were accepted"
    [ -z "$(ls -A "$T/o")" ] || fail "files left: $(ls -A "$T/o")"
}

case_foreign_runner_stub() {
    # an aarch64 test in a bash runfile gets the aarch64 stub, as a packed
    # aarch64 runner does (in a build with that stub: configure
    # --enable-stubs=x86_64,aarch64, which also builds the aarch64 sample)
    local a64=$KTSTR_HELPERS/aarch64/sample-test
    if ! grep -q 'stubs:.*aarch64' <<< "$("$KTSTR_PACK" --version)" || [ ! -x "$a64" ] ||
        [ "$(uname -m)" != x86_64 ]; then
        echo "    (no aarch64 stub or sample in this build: case skipped)"
        return 0
    fi
    "$MKBASHRUN" -o "$T/a.run" --name conv_test --runner "$a64"
    convert "$T/a.run"
    [ "$RC" = 0 ] || fail "conversion of an aarch64 test failed: $(cat "$ERR")" || return 1
    expect_json "$T/o/new.run" stub_arch '  "stub_arch": "aarch64",'
    # and --arch cannot force the native stub onto it
    rm -f "$T/o/new.run"
    convert "$T/a.run" --arch x86_64
    [ "$RC" = 1 ] && grep -qF "aarch64" "$ERR" || fail "--arch x86_64 was taken for an aarch64 test"
    [ -z "$(ls -A "$T/o")" ] || fail "files left: $(ls -A "$T/o")"
}

case_default_output() {
    fixture "$T/o/orig.bash" --name my_test
    (cd "$T/o" && "$KTSTR_PACK" --from-run orig.bash) 2> "$T/err" || fail "conversion failed"
    [ -x "$T/o/my_test.run" ] || fail "no my_test.run in the current directory"
    # the default would replace the input: refused, input intact
    cp "$T/o/orig.bash" "$T/o/my_test.run"
    cp "$T/o/orig.bash" "$T/keep"
    ERR=$T/err
    set +e
    (cd "$T/o" && "$KTSTR_PACK" --from-run my_test.run) 2> "$T/err"
    RC=$?
    set -e
    [ "$RC" = 1 ] || fail "exit status $RC"
    grep -qF "the default output my_test.run is the input itself" "$T/err" || fail "no reason"
    cmp -s "$T/o/my_test.run" "$T/keep" || fail "the input was changed"
}

case_codec_and_usage() {
    fixture "$T/e.run"
    convert "$T/e.run" --compress zstd --level 3
    [ "$RC" = 0 ] || fail "conversion with zstd failed"
    expect_json "$T/o/new.run" payload_codec '  "payload_codec": "zstd",'
    rm -f "$T/o/new.run"
    convert "$T/e.run" --runner "$SAMPLE_TEST"
    [ "$RC" = 1 ] && grep -qF -- "--from-run takes the whole test spec from the test" "$ERR" ||
        fail "--from-run with --runner was not refused"
    convert "$T/e.run" --duration 9
    [ "$RC" = 1 ] && grep -qF -- "takes the whole test spec" "$ERR" || fail "--duration accepted"
    convert "$T/e.run" conv_test
    [ "$RC" = 1 ] && grep -qF -- "--from-run takes no NAME" "$ERR" || fail "NAME accepted"
    [ -z "$(ls -A "$T/o")" ] || fail "files left: $(ls -A "$T/o")"
    # not `--help | grep -q`: grep may exit before the last write (SIGPIPE)
    local help
    help=$("$KTSTR_PACK" --help)
    grep -qF -- "--from-run OLD.run" <<< "$help" || fail "--help lacks --from-run"
    grep -qF -- "--test-binary BIN" <<< "$help" || fail "--help lacks --test-binary"
}

cv_case fixture-format case_fixture_format
cv_case full-mapping case_full_mapping
cv_case eevdf case_eevdf
cv_case scheduler-without-args case_no_args
cv_case launch-variants case_launch_variants
cv_case dir-quote-closed-early case_dir_quote_closed_early
cv_case big-members case_big_members
cv_case stub-choice case_stub_choice
cv_case foreign-runner-stub case_foreign_runner_stub
cv_case default-output case_default_output
cv_case codec-and-usage case_codec_and_usage
finish
