#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ux-inspect.sh - the runfile's flags that need no root, run as `nobody`
# (when the suite runs as root; as the current user otherwise), each with
# its output checked: --inspect [--json] (and that `ktstr-pack --inspect`
# prints the same bytes), --verify, --extract DIR, --version, --help, the
# usage errors, and the verdict of a run without the needed privilege.
set -u
: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
for t in jq tar gzip zstd sha256sum script; do
    command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done

T=$(mktemp -d /tmp/ux-inspect.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
# everything the unprivileged user runs or reads lives in $T
cp "$KTSTR_PACK" "$T/ktstr-pack"
cp "$KTSTR_HELPERS/sample-test" "$KTSTR_HELPERS/fake-scheduler" "$T/"
PACK=$T/ktstr-pack
if [ "$(id -u)" = 0 ]; then
    AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    USER_UID=65534
else
    AS_USER=()
    USER_UID=$(id -u)
fi
# shellcheck source-path=SCRIPTDIR source=../lib/cases.sh
. "$(dirname "$0")/../lib/cases.sh"

fail() {
    echo "    FAIL: $*"
    [ -s "${ERR:-/dev/null}" ] && sed 's/^/    | /' "$ERR" | tail -n 15
    return 1
}
# as_user CMD...: run it unprivileged; stdout in $OUT, stderr in $ERR, RC
as_user() {
    OUT=$T/out ERR=$T/err
    "${AS_USER[@]}" "$@" > "$OUT" 2> "$ERR" && RC=0 || RC=$?
}
expect_rc() { [ "$RC" = "$1" ] || fail "exit status $RC, expected $1"; }
expect_out() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }
expect_out_line() { grep -qxF -- "$1" "$OUT" || fail "stdout lacks the line: $1"; }

# run_case NAME FUNCTION (KTSTR_CASES="NAME..." runs only those, when debugging)
run_case() {
    case_selected "$1" || return 0
    case_run "$@"
}

# the runfiles every case reads (packed once, as the invoking user)
printf 'expect_sched=none\nrecord_dir=%s/rec\n' "$T" > "$T/sample-test.conf"
printf 'cfg = 1\n' > "$T/my config.toml"
head -c 300000 /dev/urandom > "$T/blob.bin"
pack() { "$PACK" --runner "$T/sample-test" --include "$T/sample-test.conf" "$@" 2>> "$T/pack.err"; }
pack -o "$T/eevdf.run" --git-hash 0123abc sample || exit 99
pack -o "$T/sched.run" --scheduler "$T/fake-scheduler" --sched-name fake \
    --config-file "$T/my config.toml" --cgroup-parent /ktstr.slice \
    --sched-arg --verbose --extra-sched-arg '--slice-us=20 000' --include "$T/blob.bin" \
    --llcs 2 --cores-per-llc 3 --threads-per-core 2 --numa-nodes 2 \
    --duration 7 --watchdog 11 --attach-timeout 13 sched_case || exit 99
pack -o "$T/zstd.run" --compress zstd --include "$T/blob.bin" zstd_case || exit 99
pack -o "$T/none.run" --compress none --scheduler "$T/fake-scheduler" none_case || exit 99
RUNFILES="eevdf sched zstd none"

# ---------------------------------------------------------------------------

case_same_as_packer() {
    local f
    for f in $RUNFILES; do
        as_user "$PACK" --inspect "$T/$f.run"
        expect_rc 0
        mv "$OUT" "$T/pack.txt"
        as_user "$T/$f.run" --inspect
        expect_rc 0
        cmp -s "$T/pack.txt" "$OUT" ||
            fail "$f: ktstr-pack --inspect and --inspect differ: $(diff "$T/pack.txt" "$OUT")"
        as_user "$PACK" --inspect "$T/$f.run" --json
        mv "$OUT" "$T/pack.json"
        as_user "$T/$f.run" --inspect --json
        expect_rc 0
        cmp -s "$T/pack.json" "$OUT" || fail "$f: the JSON forms differ: $(diff "$T/pack.json" "$OUT")"
    done
    # the name as given: relative, and found through PATH (then the real path)
    ( cd "$T" && as_user ./sched.run --inspect && mv "$OUT" pack.txt &&
        as_user "$PACK" --inspect ./sched.run && cmp -s pack.txt "$OUT" ) ||
        fail "relative paths differ"
    as_user env PATH="$T" sched.run --inspect
    expect_rc 0
    expect_out_line "runfile:        $T/sched.run ($(stat -c %s "$T/sched.run") bytes, format 1)"
}

case_text_content() {
    local f=$T/sched.run size j
    size=$(stat -c %s "$f")
    as_user "$f" --inspect --json
    j=$(cat "$OUT")
    as_user "$f" --inspect
    expect_rc 0
    [ ! -s "$ERR" ] || fail "stderr not empty"
    jf() { jq -r "$1" <<< "$j"; }
    expect_out_line "runfile:        $f ($size bytes, format 1)"
    expect_out_line "stub:           offset 0, $(jf .payload_offset) bytes, $(jf .stub_arch)"
    expect_out_line "payload:        offset $(jf .payload_offset), $(jf .payload_length) bytes, gzip, $(jf .payload_chunks) chunks, sha256 $(jf .payload_sha256)"
    expect_out_line "spec:           offset $(jf .spec_offset), $(jf .spec_length) bytes, sha256 $(jf .spec_sha256)"
    expect_out_line "footer:         offset $((size - 128)), 128 bytes"
    expect_out_line "test:           sched_case"
    expect_out_line "scheduler:      fake"
    expect_out_line "topology needs: 2 LLCs, 3 cores per LLC, 2 threads per core, 2 NUMA nodes"
    expect_out_line "duration:       7 s (--duration SECS overrides)"
    expect_out_line "watchdog:       11 s (--watchdog-timeout SECS overrides)"
    expect_out_line "attach timeout: 13 s (--attach-timeout SECS overrides)"
    expect_out_line "cgroup parent:  /ktstr.slice"
    expect_out_line "  scheduler:    \"\${DIR}\"/scheduler --config \"\${DIR}\"'/include/my config.toml' --cell-parent-cgroup /ktstr.slice --verbose '--slice-us=20 000' </dev/null"
    expect_out_line "  test:         \"\${DIR}\"/ktstr run --ktstr-test-fn sched_case"
    expect_out "removes:      the cgroups under /sys/fs/cgroup/ktstr, and those the run created under /sys/fs/cgroup/ktstr.slice"
    # the members, with the real sizes and modes
    expect_out_line "$(printf '  0755 %12d  scheduler' "$(stat -c %s "$T/fake-scheduler")")"
    expect_out_line "$(printf '  0755 %12d  include/sample-test.conf' "$(stat -c %s "$T/sample-test.conf")")"
    expect_out_line "$(printf '  0755 %12d  include/blob.bin' 300000)"
    expect_out_line "$(printf '  0755 %12d  include/my config.toml' "$(stat -c %s "$T/my config.toml")")"
    expect_out_line "$(printf '  0755 %12d  ktstr' "$(stat -c %s "$T/sample-test")")"
    # the digests are those of the bytes at the offsets shown
    [ "$(tail -c +$(($(jf .payload_offset) + 1)) "$f" | head -c "$(jf .payload_length)" |
        sha256sum | cut -d' ' -f1)" = "$(jf .payload_sha256)" ] || fail "payload sha256 is not the payload's"
    [ "$(tail -c +$(($(jf .spec_offset) + 1)) "$f" | head -c "$(jf .spec_length)" |
        sha256sum | cut -d' ' -f1)" = "$(jf .spec_sha256)" ] || fail "spec sha256 is not the spec's"
    [ "$(head -c "$(jf .early_prefix_length)" < <(tail -c +$(($(jf .payload_offset) + 1)) "$f") |
        sha256sum | cut -d' ' -f1)" = "$(jf .early_prefix_sha256)" ] || fail "early prefix sha256"
}

# the "list payload" command runs as shown, with standard tools, and lists
# what the members table says
case_list_command() {
    local f cmd
    for f in $RUNFILES; do
        as_user "$T/$f.run" --inspect
        cmd=$(sed -n 's/^list payload:   //p' "$OUT")
        [ -n "$cmd" ] || fail "$f: no list payload line"
        ( cd "$T" && bash -o pipefail -c "$cmd" ) > "$T/list" 2> "$T/list.err" ||
            fail "$f: '$cmd' failed: $(cat "$T/list.err")"
        # size and name (names may hold spaces)
        awk '{ s = $3; for (i = 1; i <= 5; i++) $i = ""; sub(/^ +/, ""); print s, $0 }' \
            "$T/list" | sort > "$T/list.tar"
        sed -n '/^archive members/,$p' "$OUT" |
            awk 'NR > 1 { s = $2; $1 = $2 = ""; sub(/^ +/, ""); print s, $0 }' | sort > "$T/list.inspect"
        cmp -s "$T/list.tar" "$T/list.inspect" ||
            fail "$f: tar lists $(cat "$T/list.tar"), --inspect $(cat "$T/list.inspect")"
        awk '{ print $1 }' "$T/list" | sort -u | grep -qvx -- '-rwxr-xr-x' &&
            fail "$f: a member is not -rwxr-xr-x"
    done
    return 0
}

# every byte an argument can hold: valid JSON, plain ASCII, exact bytes
case_json_hostile() {
    local args=() i all want got n
    # bytes 1..255 in one argument (0xff last: $(...) keeps the newline)
    # shellcheck disable=SC2046,SC2059  # the escapes are the format
    all=$(printf "$(printf '\\x%02x' $(seq 1 255))")
    # shellcheck disable=SC1003,SC2016  # literal bytes on purpose
    args=("$all" '' '"' '\' '\"' $'line1\nline2' $'\e]0;pwned\a\e[2J' $'\xc3' $'\xed\xa0\x80'
          $'\xf4\x90\x80\x80' 'é ü 漢 😀' $'\u2028\u2029' '$(reboot)' '`id`' "' ; rm -rf / '")
    local pargs=() a sh cmd
    for a in "${args[@]}"; do pargs+=(--sched-arg "$a"); done
    "$PACK" --runner "$T/sample-test" --scheduler "$T/fake-scheduler" \
        --sched-name $'s\xe9\xff' --cgroup-parent '/a b/c"d' "${pargs[@]}" \
        -o "$T/hostile.run" 'ho"st\ile' 2> "$T/pack.err" || fail "pack: $(cat "$T/pack.err")"
    as_user "$T/hostile.run" --inspect --json
    expect_rc 0
    jq -e . "$OUT" > /dev/null || fail "not valid JSON"
    LC_ALL=C grep -qP '[^\t\x20-\x7e]' "$OUT" && fail "JSON output has bytes outside printable ASCII"
    n=$(jq '.scheduler_args | length' "$OUT")
    [ "$n" = $((${#args[@]} + 2)) ] || fail "$n scheduler args, expected $((${#args[@]} + 2))"
    for i in "${!args[@]}"; do
        want=$(printf '%s' "${args[$i]}" | od -v -An -tx1 | tr -d ' \n')
        # "hex" when the bytes are not UTF-8, else the literal ('' has no segment)
        if jq -e --argjson i $((i + 2)) '.scheduler_args[$i] | any(has("hex"))' "$OUT" > /dev/null; then
            got=$(jq -r --argjson i $((i + 2)) '.scheduler_args[$i] | map(.hex) | join("")' "$OUT")
        else
            got=$(jq -j --argjson i $((i + 2)) '.scheduler_args[$i] | map(.literal) | join("")' \
                "$OUT" | od -v -An -tx1 | tr -d ' \n')
        fi
        [ "$got" = "$want" ] || fail "arg $i: JSON gives $got, expected $want"
    done
    jq -e '.test == "ho\"st\\ile" and .cgroup_parent == "/a b/c\"d"' "$OUT" > /dev/null ||
        fail "names not escaped right: $(jq -c '[.test, .cgroup_parent]' "$OUT")"
    # the text form: no control byte reaches the terminal
    as_user "$T/hostile.run" --inspect
    expect_rc 0
    LC_ALL=C grep -qP '[^\t\x20-\x7e]' "$OUT" && fail "text output has bytes outside printable ASCII"
    expect_out_line "scheduler:      s\\xe9\\xff"
    # the command line, run by a shell, gives the exact argv
    for sh in bash "busybox sh"; do
        command -v "${sh%% *}" > /dev/null || continue
        as_user "$T/hostile.run" --inspect --json
        cmd=$(jq -r .scheduler_command "$OUT")
        # shellcheck disable=SC2016
        $sh -c 'DIR=/D; eval "set -- $1"; for a; do printf "%s" "$a" | od -v -An -tx1 | tr -d " \n"; echo; done' \
            sh "$cmd" > "$T/argv.got"
        { printf '%s' /D/scheduler | od -v -An -tx1 | tr -d ' \n'; echo
          printf '%s' --cell-parent-cgroup | od -v -An -tx1 | tr -d ' \n'; echo
          printf '%s' '/a b/c"d' | od -v -An -tx1 | tr -d ' \n'; echo
          for a in "${args[@]}"; do printf '%s' "$a" | od -v -An -tx1 | tr -d ' \n'; echo; done
        } > "$T/argv.want"
        cmp -s "$T/argv.got" "$T/argv.want" || fail "$sh: the command line does not give the argv"
    done
    return 0
}

case_verify() {
    local j off
    as_user "$T/sched.run" --verify
    expect_rc 0
    j=$("$T/sched.run" --inspect --json)
    expect_out_line "sched.run: footer: format 1, $(stat -c %s "$T/sched.run") bytes, checksum ok"
    expect_out_line "sched.run: spec: $(jq -r .spec_length <<< "$j") bytes, sha256 $(jq -r .spec_sha256 <<< "$j") ok"
    expect_out_line "sched.run: early prefix: $(jq -r .early_prefix_length <<< "$j") bytes, sha256 $(jq -r .early_prefix_sha256 <<< "$j") ok"
    expect_out_line "sched.run: payload: $(jq -r .payload_length <<< "$j") bytes, sha256 $(jq -r .payload_sha256 <<< "$j") ok"
    expect_out_line "sched.run: OK: footer, spec and payload digests match"
    # one flipped byte: in the scheduler's part, in the rest, in the spec
    flip() {   # flip FILE OFFSET
        local b
        b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
        # shellcheck disable=SC2059  # the escape is the format
        printf "\\x$(printf %02x $((b ^ 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
    }
    cp "$T/sched.run" "$T/bad.run"
    flip "$T/bad.run" $(($(jq -r .payload_offset <<< "$j") + 100))
    as_user "$T/bad.run" --verify
    expect_rc 1
    expect_err "bad.run: error: payload digest mismatch in the scheduler's part: the runfile is corrupted"
    expect_err "bad.run: hint: get a fresh copy"
    expect_out_line "bad.run: spec: $(jq -r .spec_length <<< "$j") bytes, sha256 $(jq -r .spec_sha256 <<< "$j") ok"
    grep -q 'OK' "$OUT" && fail "OK printed for a corrupted runfile"
    cp "$T/sched.run" "$T/bad.run"
    off=$(($(jq -r .payload_offset <<< "$j") + $(jq -r .payload_length <<< "$j") - 10))
    flip "$T/bad.run" "$off"
    as_user "$T/bad.run" --verify
    expect_rc 1
    expect_err "bad.run: error: payload digest mismatch: the runfile is corrupted"
    expect_out "bad.run: early prefix: "
    cp "$T/sched.run" "$T/bad.run"
    flip "$T/bad.run" $(($(jq -r .spec_offset <<< "$j") + 20))
    as_user "$T/bad.run" --verify
    expect_rc 1
    expect_err "bad.run: error: cannot read this runfile: spec digest mismatch"
    [ ! -s "$OUT" ] || fail "stdout for an unreadable runfile"
    # --verify is not a run: its error is the answer, no verdict follows
    ! grep -q 'ERROR (' "$ERR" || fail "--verify printed a verdict: $(tail -n1 "$ERR")"
    # a run of it, attempted, ends with its verdict (before any check: the
    # load fails first, whatever the user's privileges)
    as_user "$T/bad.run"
    expect_rc 1
    expect_err "bad.run: error: cannot read this runfile: spec digest mismatch"
    [ "$(tail -n1 "$ERR")" = "bad.run: ERROR (load: spec digest mismatch: the runfile is corrupted)" ] ||
        fail "verdict: $(tail -n1 "$ERR")"
    head -c -1 "$T/sched.run" > "$T/bad.run"
    chmod 755 "$T/bad.run"
    as_user "$T/bad.run" --verify
    expect_rc 1
    expect_err "bad.run: error: cannot read this runfile: "
    expect_err "bad.run: hint: nothing was extracted or run; get a fresh copy of the runfile"
    ! grep -q 'ERROR (' "$ERR" || fail "--verify printed a verdict: $(tail -n1 "$ERR")"
    as_user "$T/bad.run" --quiet
    expect_rc 1
    expect_err "bad.run: hint: nothing was extracted or run; get a fresh copy of the runfile"
    tail -n1 "$ERR" | grep -q '^bad\.run: ERROR (load: .*truncated' ||
        fail "verdict: $(tail -n1 "$ERR")"
    rm -f "$T/bad.run"
}

case_extract() {
    local d=$T/x
    mkdir -m 1777 "$T/w"
    d=$T/w/new
    as_user "$T/sched.run" --extract "$d"
    expect_rc 0
    expect_out_line "sched.run: extracted and verified into $d"
    [ "$(stat -c '%a %u' "$d")" = "700 $USER_UID" ] || fail "DIR is $(stat -c '%a %u' "$d")"
    for m in "ktstr:sample-test" "scheduler:fake-scheduler" "include/blob.bin:blob.bin" \
        "include/my config.toml:my config.toml" "include/sample-test.conf:sample-test.conf"; do
        cmp -s "$d/${m%%:*}" "$T/${m#*:}" || fail "${m%%:*} differs from the packed file"
        [ "$(stat -c %a "$d/${m%%:*}")" = 755 ] || fail "${m%%:*} mode $(stat -c %a "$d/${m%%:*}")"
    done
    [ "$(cd "$d" && find . -type f | sort | tr '\n' ' ')" = "./include/blob.bin ./include/my config.toml ./include/sample-test.conf ./ktstr ./scheduler " ] ||
        fail "extracted files: $(cd "$d" && find . | sort | tr '\n' ' ')"
    [ ! -e "$T/rec" ] || fail "the test ran"
    # an existing empty directory is fine; a non-empty one is refused untouched
    mkdir -m 1777 "$T/w/empty"
    as_user "$T/eevdf.run" --extract "$T/w/empty"
    expect_rc 0
    [ -x "$T/w/empty/ktstr" ] || fail "nothing extracted into an existing empty dir"
    as_user "$T/eevdf.run" --extract "$d"
    expect_rc 1
    expect_err "eevdf.run: error: $d is not empty: --extract needs a new or empty directory"
    [ ! -s "$OUT" ] || fail "stdout for a refused extraction"
    cmp -s "$d/ktstr" "$T/sample-test" || fail "the refused extraction changed the directory"
    # not a directory, an unwritable parent, a missing parent
    as_user "$T/eevdf.run" --extract "$T/blob.bin"
    expect_rc 1
    expect_err "eevdf.run: error: cannot open $T/blob.bin: Not a directory"
    if [ ${#AS_USER[@]} -gt 0 ]; then
        as_user "$T/eevdf.run" --extract "$T/not-writable"
        expect_rc 1
        expect_err "eevdf.run: error: cannot create $T/not-writable: Permission denied"
    fi
    as_user "$T/eevdf.run" --extract "$T/w/no/such"
    expect_rc 1
    expect_err "eevdf.run: error: cannot create $T/w/no/such: No such file or directory"
    # a corrupted payload: an error, exit 1, nothing unverified left behind
    cp "$T/eevdf.run" "$T/bad.run"
    printf 'XXXX' | dd of="$T/bad.run" bs=1 seek=$(($("$T/eevdf.run" --inspect --json |
        jq -r '.payload_offset + .payload_length') - 40)) conv=notrunc status=none
    as_user "$T/bad.run" --extract "$T/w/bad"
    expect_rc 1
    expect_err "bad.run: error: payload digest mismatch"
    [ ! -s "$OUT" ] || fail "stdout for a failed extraction"
    [ ! -e "$T/w/bad" ] || fail "a failed extraction left $(ls -A "$T/w/bad")"
    rm -rf "$T/w" "$T/bad.run"
}

# a progress line on a terminal, for a big payload; none on a file
case_extract_progress() {
    head -c $((20 << 20)) /dev/urandom > "$T/big.bin"
    pack -o "$T/big.run" --include "$T/big.bin" big || fail "pack"
    chmod 1777 "$T"
    script -qfec "$(printf '%q ' "${AS_USER[@]}" "$T/big.run" --extract "$T/bx")" /dev/null \
        > "$T/pty.out" 2>&1 < /dev/null
    grep -qaE $'\rbig.run: extracting [0-9.]+ / 20\\.[0-9] MiB' "$T/pty.out" ||
        fail "no progress line: $(tr '\r' '~' < "$T/pty.out")"
    grep -qa $'\r\e\[K' "$T/pty.out" || fail "progress line not erased"
    grep -qa 'big.run: extracted and verified into' "$T/pty.out" || fail "no final line"
    as_user "$T/big.run" --extract "$T/by"
    expect_rc 0
    grep -q 'extracting' "$ERR" && fail "progress line on a file"
    script -qfec "$(printf '%q ' "${AS_USER[@]}" "$T/big.run" --quiet --extract "$T/bz")" /dev/null \
        > "$T/pty.out" 2>&1 < /dev/null
    grep -qa 'extracting' "$T/pty.out" && fail "progress line with --quiet"
    chmod 755 "$T"
    rm -rf "$T/bx" "$T/by" "$T/bz" "$T/big.run" "$T/big.bin"
}

case_version() {
    local v
    v=$("$PACK" --version | sed -n 's/^ktstr-pack \([^ ]*\) (runfile format \([0-9]*\),.*/\1, runfile format \2/p')
    as_user "$T/eevdf.run" --version
    expect_rc 0
    [ "$(cat "$OUT")" = "eevdf.run: ktstr-pack stub $v" ] ||
        fail "--version: '$(cat "$OUT")', expected 'eevdf.run: ktstr-pack stub $v'"
}

case_help() {
    as_user "$T/sched.run" --help
    expect_rc 0
    expect_out "Reproduces ktstr test 'sched_case'"
    expect_out "  scheduler          fake"
    expect_out "  --duration SECS          workload duration (default 7)"
    expect_out "  --watchdog-timeout SECS  scheduler watchdog (default 11)"
    expect_out "  --attach-timeout SECS    wait this long for the scheduler to attach (default 13)"
    expect_out "  --inspect [--json] "
    expect_out "  --preflight "
    expect_out "  --extract DIR "
    [ ! -s "$ERR" ] || fail "stderr not empty"
}

case_usage_errors() {
    local args msg
    while IFS='|' read -r args msg; do
        # shellcheck disable=SC2086
        as_user "$T/eevdf.run" $args
        expect_rc 1
        expect_err "eevdf.run: error: $msg"
        expect_err "Try 'eevdf.run --help' for more information."
        [ ! -s "$OUT" ] || fail "$args: stdout not empty"
    done <<'EOF'
--inspect --preflight|--inspect and --preflight cannot be combined
--verify --extract d|--verify and --extract cannot be combined
--keep --inspect|--keep applies to a run, not to --inspect
--preflight --attach-timeout 3|--attach-timeout applies to a run, not to --preflight
--extract d --duration 5|--duration applies to a run, not to --extract
--json|--json goes with --inspect
--preflight --json|--json goes with --inspect
--extract|option '--extract' needs a value
--inspect=yes|option '--inspect=yes' takes no value
--attach-timeout 0|invalid value '0' for --attach-timeout
-z|option '-z' is not known
EOF
}

# a run needs CAP_SYS_ADMIN: the verdict says so and nothing is extracted
case_run_unprivileged() {
    [ "$USER_UID" != 0 ] || { echo "    (root without setpriv: skipped)"; return 0; }
    mkdir -m 1777 "$T/tmp"
    TMPDIR=$T/tmp as_user "$T/eevdf.run"
    expect_rc 1
    [ "$(tail -n1 "$ERR")" = "eevdf.run: ERROR (checks: CAP_SYS_ADMIN is not in the effective capability set (uid $USER_UID): attaching a sched_ext scheduler and managing cgroups need it)" ] ||
        fail "verdict: $(tail -n1 "$ERR")"
    tail -n2 "$ERR" | head -n1 | grep -qE '^eevdf.run: phases: checks [0-9.]+ ms, total [0-9.]+ ms$' ||
        fail "phase line: $(tail -n2 "$ERR" | head -n1)"
    [ -z "$(ls -A "$T/tmp")" ] || fail "something was extracted: $(ls -A "$T/tmp")"
    rmdir "$T/tmp"
}

run_case same-as-packer case_same_as_packer
run_case text-content case_text_content
run_case list-command case_list_command
run_case json-hostile case_json_hostile
run_case verify case_verify
run_case extract case_extract
run_case extract-progress case_extract_progress
run_case version case_version
run_case help case_help
run_case usage-errors case_usage_errors
run_case run-unprivileged case_run_unprivileged
finish
