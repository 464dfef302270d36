#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-errors.sh - every refusal of ktstr-pack (issue 2, section 3): the
# message names the file or value and says what is wrong; nothing is
# written.  Also --help, --version, and --stub.
. "$(dirname "$0")/lib.sh"

# refuse TEXT -- ARGS...: ktstr-pack ARGS fails with TEXT and writes nothing
refuse() {
    local want=()
    while [ "$1" != -- ]; do want+=("$1"); shift; done
    shift
    pack "$@"
    expect_error "${want[@]}"
    [ ! -s "$WORK/out" ] || fail "stdout not empty: $(cat "$WORK/out")"
    [ -z "$(find "$WORK" -maxdepth 1 -name '*.run*')" ] ||
        fail "files written: $(find "$WORK" -maxdepth 1 -name '*.run*')"
}

case_runner() {
    inputs
    refuse "--runner PATH is required" -- t
    refuse "runner /nonexistent/ktstr: No such file or directory" "hint: check the path" -- \
        --runner /nonexistent/ktstr t
    refuse "runner /dev/null is not a regular file" -- --runner /dev/null t
    refuse "runner in is a directory: only regular files can be packed" -- --runner in t
    refuse "runner path is empty" -- --runner '' t
    printf 'not a program\n' > in/text
    refuse "runner in/text" "not an ELF file" -- --runner in/text t
}

case_scheduler() {
    inputs
    refuse "scheduler in/nope: No such file or directory" -- --runner in/ktstr-test --scheduler in/nope t
    refuse "scheduler /dev/null is not a regular file" -- --runner in/ktstr-test --scheduler /dev/null t
    refuse "scheduler in is a directory" -- --runner in/ktstr-test --scheduler in t
    refuse "scheduler name 'a/b' must be 1..255 printable bytes without '/'" -- \
        --runner in/ktstr-test --scheduler in/scx_fake --sched-name a/b t
}

case_includes() {
    inputs
    refuse "include in/nope: No such file or directory" "hint:" -- --runner in/ktstr-test --include in/nope t
    refuse "include /dev/null is not a regular file" -- --runner in/ktstr-test --include /dev/null t
    refuse "include $WORK/in is a directory: only regular files can be packed" \
        "recursive directory packing is not supported" -- --runner in/ktstr-test --include "$WORK/in" t
    # two includes, or an include and a config file, with one basename
    mkdir -p other
    printf 'other\n' > other/data.txt
    refuse "two files would be packed as include/data.txt (in/data.txt and other/data.txt)" \
        "rename one of them" -- --runner in/ktstr-test --include in/data.txt --include other/data.txt t
    refuse "two files would be packed as include/cfg.json" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --include in/cfg.json --config-file in/cfg.json t
    refuse "two files would be packed as include/data.txt" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --include in/data.txt --config-content in/cfg.json \
        --config-arg '--c {file}' --config-name data.txt t
}

# Bare names are looked up in PATH: executable regular files only.
case_bare_include() {
    inputs
    mkdir -p bin1 bin2 bin2/tooldir
    printf '#!/bin/sh\n' > bin1/tool
    chmod 644 bin1/tool
    PATH=$WORK/bin1:$WORK/bin2:/usr/bin:/bin refuse \
        "include 'tool' was not found in PATH as an executable regular file" \
        "install it, or give a path (./tool or an absolute path)" -- \
        --runner in/ktstr-test --include tool t
    PATH=$WORK/bin2:/usr/bin:/bin refuse "include 'tooldir' was not found in PATH" -- \
        --runner in/ktstr-test --include tooldir t
    PATH=/usr/bin:/bin refuse "include 'no-such-tool-ktstr' was not found in PATH" -- \
        --runner in/ktstr-test --include no-such-tool-ktstr t
    # found once executable, in a later PATH entry; archived by basename
    cp bin1/tool bin2/tool
    chmod 755 bin2/tool
    PATH=$WORK/bin1:$WORK/bin2:/usr/bin:/bin pack --runner in/ktstr-test --include tool t
    expect_ok "bare include in PATH"
    [ "$(untar t.run -tf -)" = $'include/tool\nktstr' ] || fail "members: $(untar t.run -tf -)"
    mkdir x && untar t.run -xf - -C x && cmp -s x/include/tool bin2/tool ||
        fail "the packed tool is not bin2/tool"
}

case_config() {
    inputs
    refuse "config file in/nope: No such file or directory" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --config-file in/nope t
    refuse "config file in is a directory" -- --runner in/ktstr-test --scheduler in/scx_fake \
        --config-file in t
    refuse "config content in/nope: No such file or directory" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --config-content in/nope --config-arg '--c {file}' \
        --config-name c.json t
    refuse "config content in is a directory" -- --runner in/ktstr-test --scheduler in/scx_fake \
        --config-content in --config-arg '--c {file}' --config-name c.json t
    # the three --config-* options go together
    refuse "--config-content, --config-arg and --config-name go together" -- \
        --runner in/ktstr-test --scheduler in/scx_fake --config-content in/cfg.json t
    refuse "--config-content, --config-arg and --config-name go together" -- \
        --runner in/ktstr-test --scheduler in/scx_fake --config-arg '--c {file}' t
    refuse "--config-content, --config-arg and --config-name go together" -- \
        --runner in/ktstr-test --scheduler in/scx_fake --config-content in/cfg.json \
        --config-name c.json t
    refuse "--config-arg '--config x' does not contain {file}" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --config-content in/cfg.json --config-arg '--config x' \
        --config-name c.json t
    refuse "--config-name 'a/b' must be a plain file name" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --config-content in/cfg.json --config-arg '{file}' --config-name a/b t
}

# Scheduler arguments, a cgroup parent or a config need a scheduler.
case_needs_scheduler() {
    local msg="need --scheduler (without one the test runs under EEVDF)"
    inputs
    refuse "$msg" -- --runner in/ktstr-test --sched-arg --x t
    refuse "$msg" -- --runner in/ktstr-test --extra-sched-arg --x t
    refuse "$msg" -- --runner in/ktstr-test --cgroup-parent /cells t
    refuse "$msg" -- --runner in/ktstr-test --config-file in/cfg.json t
    refuse "$msg" -- --runner in/ktstr-test --config-content in/cfg.json \
        --config-arg '{file}' --config-name c t
    refuse "cgroup parent 'cells' must be an absolute path" -- --runner in/ktstr-test \
        --scheduler in/scx_fake --cgroup-parent cells t
    refuse "cgroup parent '/a/../b' has an empty, '.' or '..' component" -- \
        --runner in/ktstr-test --scheduler in/scx_fake --cgroup-parent /a/../b t
}

case_name() {
    inputs
    refuse "missing the test NAME" "Try 'ktstr-pack --help'" -- --runner in/ktstr-test
    refuse "the test NAME is empty" -- --runner in/ktstr-test ''
    refuse "invalid test NAME 'a/b': at most 255 printable bytes, no '/'" -- --runner in/ktstr-test a/b
    refuse "invalid test NAME '..'" -- --runner in/ktstr-test ..
    refuse "invalid test NAME" -- --runner in/ktstr-test $'tab\there'
    refuse "invalid test NAME" -- --runner in/ktstr-test "$(head -c 256 /dev/zero | tr '\0' n)"
    refuse "one test NAME only (got 'u' too)" -- --runner in/ktstr-test t u
    # 255 bytes is fine; -o is needed, the file name would be too long
    pack --runner in/ktstr-test -o long.run "$(head -c 255 /dev/zero | tr '\0' n)"
    expect_ok "a 255-byte name"
    rm -f long.run
}

# --git-hash follows the spec's rule (1..64 of [0-9A-Za-z._+-]) and is
# checked where it is parsed: a usage error before any file is read, not a
# spec encoding failure after the whole payload was compressed.
case_git_hash() {
    local bad long
    inputs
    long=$(head -c 64 /dev/zero | tr '\0' a)
    for bad in '' 'abc def' abc/def 'abc;def' "${long}a" $'\xc3\xa9' "'quoted'"; do
        refuse "invalid value '$bad' for --git-hash: must be 1..64 characters of 0-9, A-Z, a-z and . _ + -" \
            "Try 'ktstr-pack --help'" -- --runner in/ktstr-test --git-hash "$bad" t
        [ "$RC" = 1 ] || fail "--git-hash '$bad': exit status $RC, not 1"
    done
    refuse "for --git-hash: must be 1..64 characters" -- --runner in/ktstr-test --git-hash $'a\nb' t
    # the value is refused first: the runner is not even looked at
    refuse "invalid value 'x y' for --git-hash" -- --runner /nonexistent/ktstr --git-hash 'x y' t
    ! grep -q nonexistent "$WORK/err" || fail "the runner was checked before --git-hash"
    for ok in 0123abc v1.2.3-4-gabcdef+dirty unknown A_b.c "$long"; do
        pack --runner in/ktstr-test --git-hash "$ok" -o t.run t
        expect_ok "--git-hash $ok"
        [ "$(json t.run 'j["git_hash"]')" = "$ok" ] || fail "--git-hash $ok: packed $(json t.run 'j["git_hash"]')"
        rm -f t.run
    done
}

# Each numeric option: below, above, and not a number.
case_numbers() {
    local opt max
    inputs
    for spec in llcs:65536 cores-per-llc:65536 threads-per-core:65536 numa-nodes:65536 \
        duration:604800 watchdog:604800 attach-timeout:3600; do
        opt=--${spec%%:*}
        max=${spec#*:}
        refuse "invalid value '0' for $opt: must be between 1 and $max" -- \
            --runner in/ktstr-test "$opt" 0 t
        refuse "invalid value '$((max + 1))' for $opt: must be between 1 and $max" -- \
            --runner in/ktstr-test "$opt" $((max + 1)) t
        refuse "invalid value '99999999999999999999' for $opt" -- \
            --runner in/ktstr-test "$opt" 99999999999999999999 t
        for junk in abc -1 1x ' 1' '' 0x10 1.5; do
            refuse "invalid value '$junk' for $opt: not a decimal number" -- \
                --runner in/ktstr-test "$opt" "$junk" t
        done
        pack --runner in/ktstr-test "$opt" "$max" -o t.run t
        expect_ok "$opt $max"
        rm -f t.run
    done
}

case_compression_options() {
    inputs
    refuse "unknown codec 'xz' (use gzip, zstd or none)" -- --runner in/ktstr-test --compress xz t
    refuse "--level 0 is outside 1..12 for gzip" -- --runner in/ktstr-test --level 0 t
    refuse "--level 13 is outside 1..12 for gzip" -- --runner in/ktstr-test --level 13 t
    refuse "--level 0 is outside 1..19 for zstd" -- --runner in/ktstr-test --compress zstd --level 0 t
    refuse "--level 20 is outside 1..19 for zstd" -- --runner in/ktstr-test --compress zstd --level 20 t
    refuse "--level 1 is outside 0..0 for none" -- --runner in/ktstr-test --compress none --level 1 t
    refuse "invalid value 'x' for --level" -- --runner in/ktstr-test --level x t
    for ok in "--level 1" "--level 12" "--compress zstd --level 19" "--compress none --level 0"; do
        # shellcheck disable=SC2086
        pack --runner in/ktstr-test $ok -o t.run t
        expect_ok "$ok"
        rm -f t.run
    done
}

case_usage() {
    inputs
    refuse "--json goes with --inspect" -- --runner in/ktstr-test --json t
    refuse "--inspect takes no other operand" -- --inspect a.run b.run
    refuse "unknown option or missing value" -- --no-such-option
    refuse "unknown option or missing value" -- --runner
    pack --help
    expect_ok "--help"
    grep -q '^Usage: ktstr-pack' "$WORK/out" || fail "--help has no usage line"
    grep -qi 'kernel-builtin schedulers' "$WORK/out" || fail "--help does not mention kernel-builtin schedulers"
    grep -qi 'not supported' "$WORK/out" || fail "--help does not say what is not supported"
    # every long option is in --help and in the man page
    for o in runner scheduler sched-name sched-arg extra-sched-arg cgroup-parent config-file \
        config-content config-arg config-name include llcs cores-per-llc threads-per-core \
        numa-nodes duration watchdog attach-timeout git-hash compress level stub output \
        inspect json version help; do
        grep -q -- "--$o\b" "$WORK/out" || fail "--help lacks --$o"
        sed 's/\\//g' "$KTSTR_SRCDIR/docs/ktstr-pack.1" | grep -q -- "--$o\b" ||
            fail "ktstr-pack.1 lacks --$o"
    done
    grep -qi 'kernel.builtin' "$KTSTR_SRCDIR/docs/ktstr-pack.1" ||
        fail "the man page does not mention kernel-builtin schedulers"
    pack --version
    expect_ok "--version"
    grep -qE '^ktstr-pack [0-9]+\.[0-9]+\.[0-9]+ \(runfile format 1, stubs: ' "$WORK/out" ||
        fail "--version: $(cat "$WORK/out")"
}

# --stub PATH: the runfile starts with exactly that file; not ELF: refused.
case_stub_override() {
    local len
    inputs
    cp "$SCHED" alt-stub        # any ELF of the right kind will do
    pack --runner in/ktstr-test --stub alt-stub -o t.run t
    expect_ok "--stub"
    len=$(stat -c %s alt-stub)
    cmp -s -n "$len" alt-stub t.run || fail "t.run does not start with alt-stub"
    [ "$(json t.run 'j["payload_offset"]')" = "$len" ] || fail "the payload does not follow the stub"
    [ "$(untar t.run -tf -)" = ktstr ] || fail "payload after a custom stub"
    rm t.run
    printf '#!/bin/sh\necho not ELF\n' > text-stub
    refuse "stub text-stub: not an ELF file" -- --runner in/ktstr-test --stub text-stub t
    refuse "stub missing-stub: No such file or directory" -- --runner in/ktstr-test --stub missing-stub t
    refuse "stub in is a directory" -- --runner in/ktstr-test --stub in t
}

run_case runner case_runner
run_case scheduler case_scheduler
run_case includes case_includes
run_case bare-include case_bare_include
run_case config case_config
run_case needs-scheduler case_needs_scheduler
run_case name case_name
run_case git-hash case_git_hash
run_case numbers case_numbers
run_case compression-options case_compression_options
run_case usage case_usage
run_case stub-override case_stub_override
finish
