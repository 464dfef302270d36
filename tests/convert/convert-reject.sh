#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# convert-reject.sh - what ktstr-pack --from-run cannot map exactly stops
# it: exit 1, "FILE:LINE: reason" naming the line, and no output file.
# Each case damages a good 0.6.0 fixture in one way, or builds a hostile
# archive (links, devices, lying sizes, gzip bombs) with mkbashrun.
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

case_frozen_variable_reassigned() {
    local nl
    nl=$(line_of "$T/good.run" '^NEED_LLCS=')
    # bash would check the host against 8 LLCs; the frozen block says 1
    damaged '/^QUIET=0$/a NEED_LLCS=8'
    expect_refused bad.run "$(( $(line_of "$T/good.run" '^QUIET=0$') + 1 ))" \
        "NEED_LLCS is assigned outside the frozen test specification (line $nl): bash would use the new value, the conversion keeps the frozen one"
    # indented, appended to, far from the block
    damaged '/^RUN_ARGS=(/i\    TEST_DURATION_SECS+=0'
    expect_refused bad.run "$(line_of "$T/good.run" '^RUN_ARGS=(')" \
        "TEST_DURATION_SECS is assigned outside the frozen test specification (line $(line_of "$T/good.run" '^TEST_DURATION_SECS='))"
    # other forms that can change a value; reads ($NAME, ${NAME}) stay fine
    damaged '/^QUIET=0$/a export TEST_WATCHDOG_SECS=99'
    expect_refused bad.run "$(( $(line_of "$T/good.run" '^QUIET=0$') + 1 ))" \
        "TEST_WATCHDOG_SECS is assigned outside the frozen test specification"
    damaged '/^QUIET=0$/a unset KTSTR_SCHED_NAME'
    expect_refused bad.run "$(( $(line_of "$T/good.run" '^QUIET=0$') + 1 ))" \
        "KTSTR_SCHED_NAME is named other than as \$KTSTR_SCHED_NAME outside the frozen test specification"
    damaged '/^QUIET=0$/a : "${NEED_NUMA_NODES:=4}" "${NEED_LLCS}"'
    expect_refused bad.run "$(( $(line_of "$T/good.run" '^QUIET=0$') + 1 ))" \
        "NEED_NUMA_NODES is named other than as \$NEED_NUMA_NODES outside the frozen test specification"
    damaged '/^QUIET=0$/a echo "$NEED_LLCS ${KTSTR_TEST_NAME}"'
    [ "$RC" = 0 ] || fail "reading the frozen variables was refused"
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

case_dir_quote_closed_early() {
    # "$DIR"/include/B names what "$DIR/include/B" names: checked the same
    launch_is '"$DIR/scheduler" --config "$DIR"/include/nope.cfg x &'
    expect_refused bad.run "$(launch_line)" \
        "a scheduler argument names \$DIR/include/nope.cfg, which is not in the archive"
    launch_is '"$DIR/scheduler" --config "${DIR}"/include/a/sched.cfg x &'
    expect_refused bad.run "$(launch_line)" \
        "a scheduler argument names \$DIR/include/a/sched.cfg, which the flat include/ layout cannot hold"
    launch_is '"$DIR/scheduler" --config "$DIR""/include/"'"'nope.cfg'"' x &'
    expect_refused bad.run "$(launch_line)" \
        "a scheduler argument names \$DIR/include/nope.cfg, which is not in the archive"
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

# ---- hostile tar members (docs/SECURITY.md): refused at their header ---------
# behind a tiny runner, each header is encoded on the archive's first line
hostile() {
    local text=$1; shift
    tiny_fixture "$@"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" "$text"
}

case_tar_absolute_path() {
    hostile "archive member '/etc/cron.d/evil' is outside the layout" \
        --extra-member "/etc/cron.d/evil=$T/sched.cfg"
    hostile "archive member '/ktstr' is outside the layout" --extra-member "/ktstr=$T/sched.cfg"
}

case_tar_hardlink_to_passwd() {
    hostile "archive member include/passwd is a hard link; the layout holds regular files only" \
        --extra-hardlink include/passwd=/etc/passwd
}

case_tar_hardlink_to_member() {
    hostile "archive member include/again is a hard link; the layout holds regular files only" \
        --extra-hardlink include/again=ktstr
}

case_tar_char_device() {
    hostile "archive member include/null is a character device; the layout holds regular files only" \
        --extra-node include/null=c
}

case_tar_block_device() {
    hostile "archive member include/sda is a block device; the layout holds regular files only" \
        --extra-node include/sda=b
}

case_tar_fifo() {
    hostile "archive member include/fifo is a FIFO; the layout holds regular files only" \
        --extra-node include/fifo=p
}

case_tar_symlink_to_parent() {
    hostile "archive member include/up is a symbolic link; the layout holds regular files only" \
        --extra-symlink include/up=..
}

case_tar_member_too_large() {
    # a header that claims 64 GiB + 1 (base-256 size field) over 4 bytes
    hostile "archive member include/big declares 68719476737 bytes, more than the 68719476736 a member may hold" \
        --extra-member "include/big=$T/sched.cfg" --declare-size include/big=68719476737
}

# ---- gzip bombs ------------------------------------------------------------------
# The packer holds the members in memory (not the tar stream): a bomb must be
# refused before it is inflated.  Under a 512 MiB address-space limit an
# implementation that inflates first dies of "out of memory" instead.
LIMIT_KIB=524288
can_limit() { ( ulimit -v $LIMIT_KIB && exec "$KTSTR_PACK" --help ) > /dev/null 2>&1; }

# convert_limited IN: convert, under the limit when this build can run under
# one (an ASan build reserves terabytes of address space: then without)
convert_limited() {
    ERR=$T/err
    set +e
    if can_limit; then
        ( ulimit -v $LIMIT_KIB && exec "$KTSTR_PACK" --from-run "$1" -o "$T/o/new.run" ) \
            > "$T/out" 2> "$ERR"
    else
        "$KTSTR_PACK" --from-run "$1" -o "$T/o/new.run" > "$T/out" 2> "$ERR"
    fi
    RC=$?
    set -e
}

case_gzip_bomb_member() {
    # an honest header over 2 GiB of zeros: 2 MiB of gzip, refused at the header
    can_limit || { echo "    (this build cannot run under ulimit -v, ASan?: skipped)"; return 0; }
    printf '\177ELF' > "$T/tiny"
    "$MKBASHRUN" -o "$T/bad.run" --name conv_test --runner "$T/tiny" \
        --zeros-member include/bomb=2147483648
    [ "$(wc -c < "$T/bad.run")" -lt 4000000 ] || fail "the bomb is not small"
    convert_limited "$T/bad.run"
    expect_refused bad.run "$(( $(marker_line "$T/bad.run") + 1 ))" \
        "archive member include/bomb declares 2147483648 bytes; with the 4 declared before it, that is more than the" || return 1
    grep -qF "bytes this conversion can hold in memory (3/4 of the room left under the address-space limit, ulimit -v)" "$ERR" ||
        fail "the message does not say what limits it"
    grep -qF "hint: the members are held in memory until the new runfile is written: free memory or raise the limit" "$ERR" ||
        fail "no hint"
}

case_gzip_bomb_after_tar() {
    # 2 GiB of zeros after the tar's end blocks, inside the gzip stream
    local l n
    printf '\177ELF' > "$T/tiny"
    "$MKBASHRUN" -o "$T/bad.run" --name conv_test --runner "$T/tiny" --trailing-zeros 2147483648
    convert_limited "$T/bad.run"
    [ "$RC" = 1 ] || fail "exit status $RC, expected 1" || return 1
    grep -qE "bad\.run:[0-9]+: the archive inflates past [0-9]+ bytes, more than the [0-9]+ its tar headers account for \(4 bytes of members and their tar structure\): a decompression bomb" "$ERR" ||
        fail "not refused as a bomb" || return 1
    # stopped within a window of the allowance (1 MiB of tar structure + 8 KiB a header)
    n=$(sed -n 's/.*inflates past \([0-9]*\) bytes.*/\1/p' "$ERR")
    [ "$n" -le $(( (1 << 20) + 3 * 8192 + 65536 )) ] || fail "inflated $n bytes before stopping"
    l=$(sed -n 's/.*bad\.run:\([0-9]*\): the archive inflates.*/\1/p' "$ERR")
    [ "$l" -gt "$(marker_line "$T/bad.run")" ] && [ "$l" -le "$(wc -l < "$T/bad.run")" ] ||
        fail "line $l is not inside the archive text"
    [ -z "$(ls -A "$T/o")" ] || fail "files left in the output dir: $(ls -A "$T/o")"
}

# ---- it never runs the input (issue 5) --------------------------------------------
case_never_runs_input() {
    local stamp=$T/ran
    good
    # a line that leaves a trace as soon as bash runs the script
    STAMP=$stamp awk '{ print } /^set -euo pipefail$/ { print ": > \"" ENVIRON["STAMP"] "\"" }' \
        "$T/good.run" > "$T/traced.run"
    chmod 755 "$T/traced.run"
    # the probe works: bash leaves the trace (and --help stops before any check)
    bash "$T/traced.run" --help > /dev/null 2>&1 || true
    [ -e "$stamp" ] || fail "the probe line leaves no trace when bash runs the file" || return 1
    rm -f "$stamp"
    convert "$T/traced.run"
    [ "$RC" = 0 ] || fail "the conversion of a file with an extra script line failed" || return 1
    [ ! -e "$stamp" ] || fail "the conversion ran the input"
    rm -f "$T/o/new.run"
    # commands where the conversion reads values: refused, never run
    launch_is "\"\$DIR/scheduler\" \"\$(: > $stamp)\" &"
    expect_refused bad.run "$(launch_line)" "column 19: '\$' in double quotes expands something other than \$DIR"
    [ ! -e "$stamp" ] || fail "the launch line was run"
    launch_is "\"\$DIR/scheduler\" \`: > $stamp\` &"
    expect_refused bad.run "$(launch_line)" "column 18: unquoted '\`' is shell syntax"
    [ ! -e "$stamp" ] || fail "the launch line was run"
    damaged "s#^KTSTR_GIT_HASH=.*#KTSTR_GIT_HASH=\$(: > $stamp)#"
    expect_refused bad.run "$(line_of "$T/good.run" '^KTSTR_GIT_HASH=')" \
        "KTSTR_GIT_HASH: unquoted '\$' in the value"
    [ ! -e "$stamp" ] || fail "a frozen value was run"
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
cv_case frozen-variable-reassigned case_frozen_variable_reassigned
cv_case bad-quoting case_bad_quoting
cv_case unmappable-values case_unmappable_values
cv_case launch-syntax case_launch_syntax
cv_case launch-names-missing-file case_launch_names_missing_file
cv_case dir-quote-closed-early case_dir_quote_closed_early
cv_case second-launch-line case_second_launch
cv_case test-invocation-edited case_test_invocation_edited
cv_case scheduler-mismatch case_scheduler_mismatch
cv_case member-outside-layout case_member_outside_layout
cv_case tar-absolute-path case_tar_absolute_path
cv_case tar-hardlink-to-passwd case_tar_hardlink_to_passwd
cv_case tar-hardlink-to-member case_tar_hardlink_to_member
cv_case tar-char-device case_tar_char_device
cv_case tar-block-device case_tar_block_device
cv_case tar-fifo case_tar_fifo
cv_case tar-symlink-to-parent case_tar_symlink_to_parent
cv_case tar-member-too-large case_tar_member_too_large
cv_case gzip-bomb-member case_gzip_bomb_member
cv_case gzip-bomb-after-tar case_gzip_bomb_after_tar
cv_case never-runs-the-input case_never_runs_input
cv_case bad-base64 case_bad_base64
cv_case data-after-gzip case_data_after_gzip
cv_case truncated-archive case_truncated_archive
cv_case corrupt-archive case_corrupt_archive
cv_case missing-archive-marker case_missing_marker
cv_case not-a-bash-runfile case_not_a_bash_runfile
cv_case existing-output-kept case_existing_output_kept
finish
