#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-format.sh - what ktstr-pack writes, read back with --inspect (text
# and JSON) and with standard tools only: tail/head cut the payload, tar
# lists and extracts it, sha256sum checks the footer's digests, file(1)
# sees a static stub.
. "$(dirname "$0")/lib.sh"

ARCH=$(uname -m)
STRIPPED=$(dirname "$KTSTR_STUB")/ktstr-stub.stripped

# full_pack ARGS...: every input kind, gzip unless ARGS say otherwise
full_pack() {
    inputs
    pack --runner in/ktstr-test --scheduler in/scx_fake --include in/data.txt \
        --config-file in/cfg.json --sched-arg 'a b' --git-hash abc1234 -o t.run "$@" t
    expect_ok "pack"
}

# check_members FILE.run: tar lists exactly the members, in order, with the
# fixed metadata, and extracts them byte for byte
check_members() {
    local rf=$1 want got line
    want=$'scheduler\ninclude/data.txt\ninclude/cfg.json\nktstr'
    got=$(untar "$rf" -tf -) || fail "tar cannot list the payload of $rf"
    [ "$got" = "$want" ] || fail "tar lists '$got', expected '$want'"
    # mode 0755, owner 0:0, mtime 0, regular files only
    while read -r line; do
        [[ $line =~ ^-rwxr-xr-x\ 0/0\ +[0-9]+\ 1970-01-01\ 00:00:00\ [a-z/._-]+$ ]] ||
            fail "member metadata: '$line'"
    done < <(untar "$rf" --numeric-owner --full-time -tvf -)
    mkdir -p "$WORK/x"
    untar "$rf" -xf - -C "$WORK/x" || fail "tar cannot extract the payload"
    cmp -s "$WORK/x/ktstr" in/ktstr-test || fail "ktstr differs from the runner"
    cmp -s "$WORK/x/scheduler" in/scx_fake || fail "scheduler differs"
    cmp -s "$WORK/x/include/data.txt" in/data.txt || fail "include/data.txt differs"
    cmp -s "$WORK/x/include/cfg.json" in/cfg.json || fail "include/cfg.json differs"
    for f in ktstr scheduler include/data.txt include/cfg.json; do
        [ "$(stat -c %a "$WORK/x/$f")" = 755 ] || fail "$f extracted with mode $(stat -c %a "$WORK/x/$f")"
    done
    rm -rf "$WORK/x"
}

# check_layout FILE.run: the regions tile the file; the digests are right
check_layout() {
    local rf=$1 size stub off len soff slen
    size=$(stat -c %s "$rf")
    stub=$(json "$rf" 'j["stub_length"]')
    off=$(json "$rf" 'j["payload_offset"]')
    len=$(json "$rf" 'j["payload_length"]')
    soff=$(json "$rf" 'j["spec_offset"]')
    slen=$(json "$rf" 'j["spec_length"]')
    [ "$(json "$rf" 'j["size"]')" = "$size" ] || fail "JSON size differs from the file's $size"
    [ "$off" = "$stub" ] || fail "payload at $off, the stub is $stub bytes"
    [ "$soff" = $((off + len)) ] || fail "spec at $soff, payload ends at $((off + len))"
    [ "$size" = $((soff + slen + 128)) ] || fail "file is $size bytes, regions + footer $((soff + slen + 128))"
    # the footer itself: magic first, fields little-endian
    [ "$(tail -c 128 "$rf" | head -c 8)" = KTSTRRUN ] || fail "no KTSTRRUN magic in the last 128 bytes"
    [ "$(tail -c 128 "$rf" | od -v --endian=little -An -tu8 -j16 -N8 | tr -d ' ')" = "$off" ] ||
        fail "footer bytes 16..23 are not the payload offset"
    [ "$(tail -c 128 "$rf" | od -v --endian=little -An -tu8 -j40 -N8 | tr -d ' ')" = "$slen" ] ||
        fail "footer bytes 40..47 are not the spec length"
    # digests, with sha256sum over byte ranges cut by standard tools
    [ "$(payload "$rf" | sha256sum | cut -d' ' -f1)" = "$(json "$rf" 'j["payload_sha256"]')" ] ||
        fail "sha256sum of the payload range differs from the footer's digest"
    [ "$(tail -c +$((soff + 1)) "$rf" | head -c "$slen" | sha256sum | cut -d' ' -f1)" = \
        "$(json "$rf" 'j["spec_sha256"]')" ] || fail "sha256sum of the spec range differs"
    [ "$(tail -c 128 "$rf" | od -v -An -tx1 -j48 -N32 | tr -d ' \n')" = \
        "$(json "$rf" 'j["payload_sha256"]')" ] || fail "footer bytes 48..79 are not the payload digest"
}

case_gzip() {
    full_pack
    grep -qF 'wrote t.run (4 files)' "$WORK/err" || fail "no 'wrote' line: $(cat "$WORK/err")"
    [ "$(stat -c %a t.run)" = 755 ] || fail "t.run has mode $(stat -c %a t.run)"
    [ "$(json t.run 'j["payload_codec"]')" = gzip ] || fail "codec is not gzip"
    [ "$(json t.run 'j["format_version"]')" = 1 ] || fail "format version is not 1"
    [ "$(json t.run 'j["stub_arch"]')" = "$ARCH" ] || fail "stub arch is not $ARCH"
    check_layout t.run
    check_members t.run
    # the payload is one valid multi-member gzip stream
    payload t.run | gzip -t || fail "gzip -t rejects the payload"
    # the stub: the built-in stripped stub, statically linked
    head -c "$(json t.run 'j["stub_length"]')" t.run > stub.bin
    cmp -s stub.bin "$STRIPPED" || fail "the runfile does not start with $STRIPPED"
    # (unless configure --disable-static-stub, for sanitizer builds)
    if ! grep -q '^STUB_LDFLAGS = -static' "$(dirname "$KTSTR_PACK")/Makefile" 2> /dev/null; then
        echo "  (the stub of this build is not static: file(1) check skipped)"
    elif command -v file > /dev/null; then
        file stub.bin | grep -q 'statically linked' || fail "file(1): $(file stub.bin)"
        file t.run | grep -q 'ELF.*statically linked' || fail "file(1) on the runfile: $(file t.run)"
    else
        fail "file(1) is not installed (Debian package file)"
    fi
}

case_zstd() {
    command -v zstd > /dev/null || { echo "  (zstd not installed: case skipped)"; return; }
    full_pack --compress zstd --level 3
    [ "$(json t.run 'j["payload_codec"]')" = zstd ] || fail "codec is not zstd"
    check_layout t.run
    check_members t.run
    payload t.run | zstd -tq || fail "zstd -t rejects the payload"
}

case_none() {
    full_pack --compress none
    [ "$(json t.run 'j["payload_codec"]')" = none ] || fail "codec is not none"
    check_layout t.run
    check_members t.run
}

# The text report shows the layout, and its "list payload" line is a
# command that works as printed, for each codec.
case_inspect_text() {
    local codec cmd
    for codec in gzip zstd none; do
        [ $codec = zstd ] && ! command -v zstd > /dev/null && continue
        full_pack --compress $codec
        "$KTSTR_PACK" --inspect t.run > text || fail "--inspect failed"
        grep -qE "^payload: +offset $(json t.run 'j["payload_offset"]'), $(json t.run 'j["payload_length"]') bytes, $codec, [0-9]+ chunks, sha256 $(json t.run 'j["payload_sha256"]')\$" text ||
            fail "no payload line for $codec: $(grep payload: text)"
        grep -qE "^spec: +offset $(json t.run 'j["spec_offset"]'), $(json t.run 'j["spec_length"]') bytes" text ||
            fail "no spec line"
        grep -qE "^footer: +offset $(($(stat -c %s t.run) - 128)), 128 bytes" text || fail "no footer line"
        grep -qE '^test: +t$' text || fail "no test line"
        grep -qE '^git: +abc1234$' text || fail "no git line"
        cmd=$(sed -n 's/^list payload: *//p' text)
        [ -n "$cmd" ] || { fail "no 'list payload' line"; continue; }
        [ "$(bash -c "$cmd" | awk '{print $NF}')" = $'scheduler\ninclude/data.txt\ninclude/cfg.json\nktstr' ] ||
            fail "the printed command '$cmd' does not list the members"
        [ "$(json t.run 'j["list_payload_command"]')" = "$cmd" ] ||
            fail "JSON and text give different list commands"
    done
    # a missing or broken file is an error naming it
    pack --inspect nothing.run
    expect_error "nothing.run"
    head -c 1000 t.run > cut.run
    pack --inspect cut.run
    expect_error "cut.run"
}

# Runner larger than one chunk: several gzip members; the early prefix
# (scheduler and includes) is a whole number of them with its own digest.
case_chunks_and_early_prefix() {
    local early
    inputs
    cat "$RUNNER" > in/big
    find /usr/lib /usr/bin -maxdepth 2 -type f -size +200k 2>/dev/null | sort | head -n 30 |
        xargs cat >> in/big 2>/dev/null
    head -c $((5 << 20)) in/big > in/ktstr-test
    [ "$(stat -c %s in/ktstr-test)" -gt $((2 << 20)) ] || { fail "could not build a large runner"; return; }
    pack --runner in/ktstr-test --scheduler in/scx_fake --include in/data.txt \
        --config-file in/cfg.json -o t.run t
    expect_ok "pack"
    [ "$(json t.run 'j["payload_chunks"]')" -ge 3 ] || fail "a 5 MiB runner fits in < 3 chunks"
    check_layout t.run
    check_members t.run
    early=$(json t.run 'j["early_prefix_length"]')
    [ "$early" -gt 0 ] && [ "$early" -lt "$(json t.run 'j["payload_length"]')" ] ||
        fail "early prefix length '$early'"
    [ "$(payload t.run | head -c "$early" | sha256sum | cut -d' ' -f1)" = \
        "$(json t.run 'j["early_prefix_sha256"]')" ] || fail "early prefix digest differs"
    [ "$(payload t.run | head -c "$early" | gzip -dc | tar tf -)" = \
        $'scheduler\ninclude/data.txt\ninclude/cfg.json' ] ||
        fail "the early prefix is not the scheduler and includes, whole"
    # without a scheduler there is no early prefix
    pack --runner in/ktstr-test --include in/data.txt -o e.run e
    expect_ok "pack without scheduler"
    [ "$(json e.run 'j["early_prefix_length"]')" = None ] || fail "EEVDF runfile has an early prefix"
}

# The spec in --inspect --json: names, needs, times, and the scheduler
# argv in its final order, byte for byte.
case_spec_contents() {
    have_python || { echo "  (python3 not installed: case skipped)"; return; }
    inputs
    printf 'inline config\n' > in/inline-src
    pack --runner in/ktstr-test --scheduler in/scx_fake --sched-name 'my sched' \
        --config-content in/inline-src --config-arg '--cfg={file}  --verbose' \
        --config-name inline.json --cgroup-parent /cells/a --sched-arg 'a b' \
        --sched-arg '' --sched-arg $'q\'"$HOME\\ \n\t\x80\xff' --sched-arg $'caf\xc3\xa9 \xe2\x9c\x93' \
        --extra-sched-arg=-x \
        --extra-sched-arg '--y=1' --llcs 2 --cores-per-llc 3 --threads-per-core 2 \
        --numa-nodes 4 --duration 30 --watchdog 9 --attach-timeout 20 --git-hash 0123abc \
        -o t.run 'name with space'
    expect_ok "pack"
    "$KTSTR_PACK" --inspect t.run --json > j.json || fail "--inspect --json failed"
    python3 - j.json <<'EOF' || fail "JSON spec differs (see above)"
import json, sys
j = json.load(open(sys.argv[1]))
def lit(s):   # UTF-8 as text; anything else exactly in "hex" too
    return bytes.fromhex(s["hex"]) if "hex" in s else s["literal"].encode("utf-8")
D = "DIR"
def arg(segs):
    return [D if s.get("dir") else lit(s) for s in segs]
want = [
    [b"--cfg=", D, b"/include/inline.json"], [b"--verbose"],
    [b"--cell-parent-cgroup"], [b"/cells/a"],
    [b"a b"], [], [b"q'\"$HOME\\ \n\t\x80\xff"], ["caf\u00e9 \u2713".encode()],
    [b"-x"], [b"--y=1"],
]
got = [arg(a) for a in j["scheduler_args"]]
ok = got == want
for k, v in [("test", "name with space"), ("scheduler", "my sched"), ("has_scheduler", True),
             ("git_hash", "0123abc"), ("cgroup_parent", "/cells/a"), ("duration_secs", 30),
             ("watchdog_secs", 9), ("attach_timeout_secs", 20),
             ("topology", {"llcs": 2, "cores_per_llc": 3, "threads_per_core": 2, "numa_nodes": 4})]:
    if j[k] != v:
        print(f"{k}: {j[k]!r}, expected {v!r}")
        ok = False
names = [m["name"] for m in j["members"]]
if names != ["scheduler", "include/inline.json", "ktstr"]:
    print("members:", names); ok = False
if any(m["mode"] != "0755" for m in j["members"]):
    print("modes:", j["members"]); ok = False
if not ok:
    print("args:", got)
sys.exit(0 if ok else 1)
EOF
    mkdir x
    untar t.run -xf - -C x
    cmp -s x/include/inline.json in/inline-src || fail "the inline config is not the file's bytes"
    [ "$(json t.run 'j["members"][1]["size"]')" = "$(stat -c %s in/inline-src)" ] ||
        fail "inline config size"
}

# Include names are bytes: spaces, UTF-8, non-UTF-8, 255 of them.  Names
# beyond ustar's 100 bytes or with bytes >= 0x80 get pax records (raw
# bytes, hdrcharset=BINARY), which GNU tar reads, with a warning.
case_odd_include_names() {
    local long n got want
    inputs
    long=$(head -c 255 /dev/zero | tr '\0' L)
    mkdir odd
    for n in 'with space' $'caf\xc3\xa9' $'bin\x80\xff' "$long" "-dash" "'q'"; do
        printf '%s' "$n" > "odd/$n"
    done
    pack --runner in/ktstr-test --include 'odd/with space' --include odd/$'caf\xc3\xa9' \
        --include odd/$'bin\x80\xff' --include "odd/$long" --include odd/-dash \
        --include "odd/'q'" -o t.run t
    expect_ok "pack odd names"
    mkdir x
    untar t.run --quoting-style=literal -tf - > list 2> /dev/null || fail "tar cannot list"
    printf 'include/%s\n' 'with space' $'caf\xc3\xa9' $'bin\x80\xff' "$long" -dash "'q'" > want
    echo ktstr >> want
    cmp -s list want || fail "tar lists other names: $(od -c list | head -n 5)"
    untar t.run -xf - -C x 2> /dev/null || fail "tar cannot extract"
    for n in 'with space' $'caf\xc3\xa9' $'bin\x80\xff' "$long" -dash "'q'"; do
        cmp -s "x/include/$n" "odd/$n" || fail "include/$n is not extracted as it was"
    done
    # JSON carries UTF-8 names exactly, others byte by byte as code points
    if have_python; then
        got=$(json t.run '"|".join(m["name"] for m in j["members"]).encode("utf-8").hex()')
        want=$(printf 'include/%s|' 'with space' $'caf\xc3\xa9' $'bin\xc2\x80\xc3\xbf' "$long" \
            -dash "'q'" | od -v -An -tx1 | tr -d ' \n')6b74737472
        [ "$got" = "$want" ] || fail "the spec's member names differ: $got, expected $want"
    fi
}

case_defaults() {
    inputs
    pack --runner in/ktstr-test --scheduler in/scx_fake t
    expect_ok "pack"
    [ -f t.run ] || fail "no t.run in the current directory"
    [ "$(json t.run 'j["scheduler"]')" = scx_fake ] || fail "scheduler name is not the basename"
    [ "$(json t.run 'j["topology"]')" = '{"llcs": 1, "cores_per_llc": 1, "threads_per_core": 1, "numa_nodes": 1}' ] ||
        fail "default topology: $(json t.run 'j["topology"]')"
    [ "$(json t.run 'j["duration_secs"]') $(json t.run 'j["watchdog_secs"]') $(json t.run 'j["attach_timeout_secs"]')" = "2 4 10" ] ||
        fail "default times"
    [ "$(json t.run 'j["scheduler_args"]')" = '[]' ] || fail "default args"
    [ "$(json t.run 'j["packer"]')" = "ktstr-pack $("$KTSTR_PACK" --version | awk '{print $2; exit}')" ] ||
        fail "packer string"
    # no scheduler: EEVDF, no scheduler member, no scheduler command
    pack --runner in/ktstr-test e
    expect_ok "pack without scheduler"
    [ "$(json e.run 'j["scheduler"]')" = eevdf ] || fail "default scheduler name is not eevdf"
    [ "$(json e.run 'j["has_scheduler"]')" = False ] || fail "has_scheduler"
    [ "$(json e.run 'j["scheduler_command"]')" = None ] || fail "a scheduler command without scheduler"
    [ "$(untar e.run -tf -)" = ktstr ] || fail "EEVDF payload holds more than ktstr"
    grep -q 'the test runs under EEVDF' < <("$KTSTR_PACK" --inspect e.run) || fail "text does not say EEVDF"
}

# --git-hash defaults to HEAD of the checkout around the current directory,
# read without git; "unknown" outside one.
case_git_provenance() {
    local d outside=1
    inputs
    mkdir -p repo/.git/refs/heads repo/sub
    echo 'ref: refs/heads/main' > repo/.git/HEAD
    echo 89abcdef0123456789abcdef0123456789abcdef > repo/.git/refs/heads/main
    (cd repo/sub && "$KTSTR_PACK" --runner ../../in/ktstr-test -o ../../g.run g 2> /dev/null) ||
        fail "pack in the checkout"
    [ "$(json g.run 'j["git_hash"]')" = 89abcde ] || fail "git hash in a checkout: $(json g.run 'j["git_hash"]')"
    # outside any checkout (only checkable when no parent of $WORK is one)
    d=$WORK
    while [ "$d" != / ]; do
        [ -e "$d/.git" ] && outside=0
        d=$(dirname "$d")
    done
    if [ "$outside" = 1 ] && [ ! -e /.git ]; then
        pack --runner in/ktstr-test -o u.run u
        expect_ok "pack outside a checkout"
        [ "$(json u.run 'j["git_hash"]')" = unknown ] || fail "git hash outside a checkout"
    fi
}

# The runfile describes itself the same way (the stub's own --inspect).
case_runfile_self_inspect() {
    full_pack
    ./t.run --inspect > self 2>&1 || fail "./t.run --inspect exited $?: $(cat self)"
    grep -qF "$(json t.run 'j["payload_sha256"]')" self || fail "./t.run --inspect lacks the payload digest"
}

run_case gzip case_gzip
run_case zstd case_zstd
run_case none case_none
run_case inspect-text case_inspect_text
run_case chunks-and-early-prefix case_chunks_and_early_prefix
run_case spec-contents case_spec_contents
run_case odd-include-names case_odd_include_names
run_case defaults case_defaults
run_case git-provenance case_git_provenance
run_case runfile-self-inspect case_runfile_self_inspect
finish
