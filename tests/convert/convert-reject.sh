#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# convert-reject.sh - what ktstr-pack --from-run cannot map exactly stops
# it: exit 1, "FILE:LINE: reason" naming the line, and no output file.
# Each case damages a good 0.6.0 fixture in one way.
set -eu
. "$(dirname "$0")/lib.sh"
cv_setup

good() { fixture "$T/good.run" --scheduler "$SCHED_PROBE" --sched-name fake \
    --config-file "$T/sched.cfg" --sched-arg x; }

# damaged SED-SCRIPT: $T/bad.run from the good fixture, converted
damaged() {
    good
    edit "$T/good.run" "$T/bad.run" "$1"
    convert "$T/bad.run"
}

# launch_is TEXT: the good fixture with this launch line, converted
launch_is() {
    good
    L=$1 awk '/^"\$DIR\/scheduler" / { print ENVIRON["L"]; next } { print }' "$T/good.run" \
        > "$T/bad.run"
    convert "$T/bad.run"
}

launch_line() { line_of "$T/good.run" '^"\$DIR/scheduler" '; }

# ---- the frozen block --------------------------------------------------------
case_unknown_variable() {
    damaged '/^TEST_WATCHDOG_SECS=/a EXTRA_KNOB=1'
    expect_refused bad.run "$(( $(line_of "$T/good.run" '^TEST_WATCHDOG_SECS=') + 1 ))" \
        "unknown variable EXTRA_KNOB in the frozen test specification"
}

case_missing_variable() {
    damaged '/^NEED_NUMA_NODES=/d'
    # reported where the block ends: the blank line after it
    expect_refused bad.run "$(line_of "$T/good.run" '^TEST_WATCHDOG_SECS=')" \
        "the frozen test specification lacks NEED_NUMA_NODES"
}

case_variable_twice() {
    damaged '/^NEED_LLCS=/a NEED_LLCS=2'
    expect_refused bad.run "$(( $(line_of "$T/good.run" '^NEED_LLCS=') + 1 ))" \
        "NEED_LLCS is set twice (first on line $(line_of "$T/good.run" '^NEED_LLCS='))"
}

case_bad_quoting() {
    damaged "s/^KTSTR_TEST_NAME=.*/KTSTR_TEST_NAME='conv_test/"
    expect_refused bad.run "$(line_of "$T/good.run" '^KTSTR_TEST_NAME=')" \
        "KTSTR_TEST_NAME: unterminated single quote"
    # quoted where shell_quote writes the bare word: not a 0.6.0 value
    damaged "s/^KTSTR_SCHED_NAME=.*/KTSTR_SCHED_NAME='fake'/"
    expect_refused bad.run "$(line_of "$T/good.run" '^KTSTR_SCHED_NAME=')" \
        "KTSTR_SCHED_NAME: the value is quoted as 0.6.0 never quotes it (it writes fake)"
    damaged 's/^KTSTR_GIT_HASH=.*/KTSTR_GIT_HASH=a"b/'
    expect_refused bad.run "$(line_of "$T/good.run" '^KTSTR_GIT_HASH=')" \
        "KTSTR_GIT_HASH: unquoted '\"' in the value"
}

case_unmappable_values() {
    damaged 's/^TEST_DURATION_SECS=.*/TEST_DURATION_SECS=0/'
    expect_refused bad.run "$(line_of "$T/good.run" '^TEST_DURATION_SECS=')" \
        "TEST_DURATION_SECS=0 cannot be mapped: the native spec holds 1..604800"
    damaged 's/^NEED_LLCS=.*/NEED_LLCS=02/'
    expect_refused bad.run "$(line_of "$T/good.run" '^NEED_LLCS=')" \
        "NEED_LLCS must be a decimal number, not '02'"
    damaged "s#^KTSTR_TEST_NAME=.*#KTSTR_TEST_NAME='a b/c'#"
    expect_refused bad.run "$(line_of "$T/good.run" '^KTSTR_TEST_NAME=')" \
        "KTSTR_TEST_NAME cannot be mapped: a name must be 1..255 printable bytes without '/'"
}

# ---- the scheduler launch line -------------------------------------------------
case_launch_syntax() {
    local l
    launch_is '"$DIR/scheduler" -a $(id) &'
    l=$(launch_line)
    expect_refused bad.run "$l" "scheduler launch line, column 21: unquoted '\$' (an expansion"
    launch_is '"$DIR/scheduler" -a | tee log &'
    expect_refused bad.run "$l" "column 21: unquoted '|' is shell syntax this conversion cannot map"
    launch_is '"$DIR/scheduler" -a *.cfg &'
    expect_refused bad.run "$l" "column 21: unquoted '*' is shell syntax"
    launch_is '"$DIR/scheduler" -a ~/x &'
    expect_refused bad.run "$l" "column 21: unquoted '~' is shell syntax"
    launch_is '"$DIR/scheduler" --x="$HOME/y" &'
    expect_refused bad.run "$l" "column 23: '\$' in double quotes expands something other than \$DIR"
    launch_is '"$DIR/scheduler" -a `id` &'
    expect_refused bad.run "$l" "column 21: unquoted '\`' is shell syntax"
    launch_is "\"\$DIR/scheduler\" -a 'open &"
    expect_refused bad.run "$l" "column 21: unterminated single quote"
    launch_is '"$DIR/scheduler" -a'
    expect_refused bad.run "$l" "the launch line ends without '&'"
    launch_is '"$DIR/scheduler" -a & echo started'
    expect_refused bad.run "$l" "text after the '&' of the scheduler launch line"
    launch_is '"$DIR/scheduler" -a && b &'
    expect_refused bad.run "$l" "column 21: '&&' after the scheduler command cannot be mapped"
}

case_launch_names_missing_file() {
    damaged 's#include/sched.cfg#include/nope.cfg#'
    expect_refused bad.run "$(launch_line)" \
        "a scheduler argument names \$DIR/include/nope.cfg, which is not in the archive"
    launch_is '"$DIR/scheduler" --log="$DIR/logs/x" &'
    expect_refused bad.run "$(launch_line)" \
        "a scheduler argument names \$DIR/logs/x, which is not in the archive"
}

case_second_launch() {
    damaged '/^"\$DIR\/scheduler" /p'
    expect_refused bad.run "$(( $(launch_line) + 1 ))" \
        "a second scheduler launch line (the first is on line $(launch_line))"
}

case_test_invocation_edited() {
    damaged 's#^"\$DIR/ktstr" .*#"$DIR/ktstr" "${RUN_ARGS[@]}" --verbose#'
    expect_refused bad.run "$(line_of "$T/good.run" '^"\$DIR/ktstr" ')" \
        "the test is started with other arguments than 0.6.0's"
    damaged 's#^RUN_ARGS=(.*#RUN_ARGS=("run" "--ktstr-test-fn" "other")#'
    expect_refused bad.run "$(line_of "$T/good.run" '^RUN_ARGS=(')" \
        "the test's argv (RUN_ARGS) differs from 0.6.0's"
}

case_scheduler_mismatch() {
    # a launch line, but no scheduler in the archive
    fixture "$T/e.run"
    awk '/^RUN_ARGS=\(/ { print "\"$DIR/scheduler\" x &" } { print }' "$T/e.run" > "$T/bad.run"
    convert "$T/bad.run"
    expect_refused bad.run "$(line_of "$T/bad.run" '^"\$DIR/scheduler" ')" \
        "the script starts \$DIR/scheduler but the archive has no such member"
    # a scheduler in the archive that the script never starts (tiny runner:
    # the member's header is on the archive's first line)
    printf '\177ELF' > "$T/tiny"
    "$MKBASHRUN" -o "$T/bad.run" --name conv_test --runner "$T/tiny" \
        --extra-member "scheduler=$T/sched.cfg"
    convert "$T/bad.run"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "the archive holds a scheduler but the script never starts it (EEVDF)"
}

# ---- the archive ---------------------------------------------------------------
tiny_fixture() {
    printf '\177ELF' > "$T/tiny"
    "$MKBASHRUN" -o "$T/bad.run" --name conv_test --runner "$T/tiny" "$@"
    convert "$T/bad.run"
}

case_member_outside_layout() {
    tiny_fixture --extra-member "etc/passwd=$T/sched.cfg"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member 'etc/passwd' is outside the layout (ktstr, scheduler, include/<basename>)"
    tiny_fixture --extra-member "../evil=$T/sched.cfg"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member '../evil' is outside the layout"
    tiny_fixture --extra-member "include/a/b=$T/sched.cfg"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member 'include/a/b' is outside the layout"
    tiny_fixture --extra-symlink include/link=/etc/passwd
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member include/link is a symbolic link; the layout holds regular files only"
    tiny_fixture --include "$T/sched.cfg" --member-mode include/sched.cfg=0644
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member include/sched.cfg has mode 0644; 0.6.0 packs 0755"
    tiny_fixture --include "$T/sched.cfg" --extra-member "include/sched.cfg=$T/layers.json"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member include/sched.cfg appears twice"
    # after a large member: reported further down, where it is encoded
    good
    "$MKBASHRUN" -o "$T/bad.run" --name conv_test --runner "$SAMPLE_TEST" \
        --extra-member "etc/passwd=$T/sched.cfg"
    convert "$T/bad.run"
    local l
    l=$(sed -n 's/.*bad\.run:\([0-9]*\): archive member .etc\/passwd. is outside.*/\1/p' "$ERR")
    [ -n "$l" ] && [ "$l" -gt "$(( $(marker_line "$T/bad.run") + 1 ))" ] &&
        [ "$l" -le "$(wc -l < "$T/bad.run")" ] || fail "line '$l' is not inside the archive text"
}

case_bad_base64() {
    local m
    good
    m=$(marker_line "$T/good.run")
    edit "$T/good.run" "$T/bad.run" "$((m + 3))s/^\(.........\)./\1*/"
    convert "$T/bad.run"
    expect_refused bad.run $((m + 3)) "'*' at column 10 is not base64"
    edit "$T/good.run" "$T/bad.run" "$((m + 5))s/^\(.........\)./\1=/"
    convert "$T/bad.run"
    expect_refused bad.run $((m + 5)) "padding '=' at column 10 before the last line"
    edit "$T/good.run" "$T/bad.run" "$((m + 2))s/\$/\r/"
    convert "$T/bad.run"
    expect_refused bad.run $((m + 2)) "carriage return at column 77"
    edit "$T/good.run" "$T/bad.run" "$((m + 4))s/^.//"
    convert "$T/bad.run"
    expect_refused bad.run $((m + 4)) "base64 line of 75 characters: the format wraps at 76"
    edit "$T/good.run" "$T/bad.run" '$s/.*/AA==AAAA/'
    convert "$T/bad.run"
    expect_refused bad.run "$(wc -l < "$T/good.run")" "base64 data after padding at column 5"
    edit "$T/good.run" "$T/bad.run" '$s/.*/AB==/'
    convert "$T/bad.run"
    expect_refused bad.run "$(wc -l < "$T/good.run")" \
        "non-canonical padding at column 4 (unused bits set)"
    edit "$T/good.run" "$T/bad.run" '$s/.*/A===/'
    convert "$T/bad.run"
    expect_refused bad.run "$(wc -l < "$T/good.run")" "too much padding at column 4"
    edit "$T/good.run" "$T/bad.run" '$s/.*/AAA/'
    convert "$T/bad.run"
    expect_refused bad.run "$(wc -l < "$T/good.run")" \
        "the base64 text stops inside a 4-character group"
}

case_data_after_gzip() {
    local m size
    good
    m=$(marker_line "$T/good.run")
    size=$(sed "1,${m}d" "$T/good.run" | base64 -d | wc -c)
    { sed -n "1,${m}p" "$T/good.run"
      { sed "1,${m}d" "$T/good.run" | base64 -d; printf xyz; } | base64 -w 76; } > "$T/bad.run"
    convert "$T/bad.run"
    # reported where the first extra byte is encoded
    expect_refused bad.run $((m + 1 + size / 3 * 4 / 76)) \
        "3 bytes follow the end of the archive's gzip stream"
}

case_truncated_archive() {
    local n
    good
    n=$(wc -l < "$T/good.run")
    head -n $((n - 3)) "$T/good.run" > "$T/bad.run"
    convert "$T/bad.run"
    expect_refused bad.run $((n - 3)) "the archive is truncated: its gzip stream ends early"
    head -c -30 "$T/good.run" > "$T/bad.run"
    convert "$T/bad.run"
    # the partial line after the last newline
    expect_refused bad.run "$(( $(wc -l < "$T/bad.run") + 1 ))" \
        "the last line has no newline: the file is cut short"
    sed "$(marker_line "$T/good.run")q" "$T/good.run" > "$T/bad.run"
    convert "$T/bad.run"
    expect_refused bad.run "$(marker_line "$T/good.run")" "no archive after the __ARCHIVE__ line"
}

case_corrupt_archive() {
    local m l
    good
    m=$(marker_line "$T/good.run")
    # a valid base64 character changed: the gzip check finds it
    edit "$T/good.run" "$T/bad.run" "$((m + 100))s/^\(.........\)[^Q]/\1Q/"
    convert "$T/bad.run"
    [ "$RC" = 1 ] && grep -qF "the archive's gzip data is corrupt" "$ERR" || fail "not refused"
    l=$(sed -n 's/.*bad\.run:\([0-9]*\): .*/\1/p' "$ERR")
    [ -n "$l" ] && [ "$l" -ge $((m + 100)) ] || fail "line '$l' is before the damage"
    [ -z "$(ls -A "$T/o")" ] || fail "files left"
}

case_missing_marker() {
    damaged '/^__ARCHIVE__$/d'
    expect_refused bad.run "$(wc -l < "$T/bad.run")" "no __ARCHIVE__ line"
}

case_not_a_bash_runfile() {
    printf 'echo hi\n__ARCHIVE__\n' > "$T/bad.run"
    convert "$T/bad.run"
    expect_refused bad.run 1 "the first line is not #!/bin/bash"
    fixture "$T/e.run"
    sed 's/$/\r/' "$T/e.run" > "$T/bad.run"
    convert "$T/bad.run"
    expect_refused bad.run 1 "the lines end in CR LF"
    # a native runfile given by mistake
    fixture "$T/e.run"
    "$KTSTR_PACK" --from-run "$T/e.run" -o "$T/native.run" 2> /dev/null
    cp "$T/native.run" "$T/bad.run"
    convert "$T/bad.run"
    expect_refused bad.run 1 "this is an ELF file (a native runfile?)"
}

case_existing_output_kept() {
    # a refused conversion does not touch an existing output either
    echo keep > "$T/o/new.run"
    damaged '/^NEED_LLCS=/a NEED_LLCS=2'
    [ "$RC" = 1 ] || fail "not refused"
    [ "$(cat "$T/o/new.run")" = keep ] || fail "the existing output was changed"
    [ "$(ls -A "$T/o")" = new.run ] || fail "files left: $(ls -A "$T/o")"
}

cv_case unknown-variable case_unknown_variable
cv_case missing-variable case_missing_variable
cv_case variable-twice case_variable_twice
cv_case bad-quoting case_bad_quoting
cv_case unmappable-values case_unmappable_values
cv_case launch-syntax case_launch_syntax
cv_case launch-names-missing-file case_launch_names_missing_file
cv_case second-launch-line case_second_launch
cv_case test-invocation-edited case_test_invocation_edited
cv_case scheduler-mismatch case_scheduler_mismatch
cv_case member-outside-layout case_member_outside_layout
cv_case bad-base64 case_bad_base64
cv_case data-after-gzip case_data_after_gzip
cv_case truncated-archive case_truncated_archive
cv_case corrupt-archive case_corrupt_archive
cv_case missing-archive-marker case_missing_marker
cv_case not-a-bash-runfile case_not_a_bash_runfile
cv_case existing-output-kept case_existing_output_kept
finish
