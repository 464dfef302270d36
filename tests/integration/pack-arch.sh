#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-arch.sh - ktstr-pack picks the stub by the ELF machine of the runner,
# checks the scheduler and the ELF programs among the includes against it,
# and refuses a non-ELF runner, mismatched machines and a machine without
# a stub with a message naming each file and its machine; --arch and
# --stub override the choice.  Foreign machines are synthetic ELF headers
# (ktstr-pack reads nothing else of them), so this runs in every build;
# with an aarch64 stub built in (configure --enable-stubs=x86_64,aarch64)
# the aarch64 cases pack for real.
. "$(dirname "$0")/lib.sh"

# the stubs this ktstr-pack carries
STUBS=$("$KTSTR_PACK" --version | sed -n 's/.*stubs: \(.*\))$/\1/p')
case "$(uname -m)" in
x86_64) ;;
*) skip "the cases assume an x86_64 host (native stub x86_64)" ;;
esac
has_a64() { case ", $STUBS," in *", aarch64,"*) return 0 ;; esac; return 1; }
A64_STUB=$(dirname "$KTSTR_PACK")/stub-aarch64/ktstr-stub-aarch64.stripped

# mkelf FILE CLASS(1|2) DATA(1 LE|2 BE) TYPE MACHINE: a 64-byte ELF header
mkelf() {
    local f=$1 cls=$2 data=$3 type=$4 mach=$5 t m
    if [ "$data" = 1 ]; then
        t=$(printf '\\x%02x\\x%02x' $((type & 255)) $((type >> 8)))
        m=$(printf '\\x%02x\\x%02x' $((mach & 255)) $((mach >> 8)))
    else
        t=$(printf '\\x%02x\\x%02x' $((type >> 8)) $((type & 255)))
        m=$(printf '\\x%02x\\x%02x' $((mach >> 8)) $((mach & 255)))
    fi
    { printf "\\x7fELF\\x$(printf %02x "$cls")\\x$(printf %02x "$data")\\x01"
      head -c 9 /dev/zero; printf "%b%b" "$t" "$m"; head -c 44 /dev/zero; } > "$f"
    chmod 0755 "$f"
}
ET_REL=1 ET_EXEC=2 ET_DYN=3
EM_386=3 EM_PPC64=21 EM_AARCH64=183 EM_BPF=247

# files in $WORK: x86-test (the real sample test), a64-test, a64-lib.so,
# a64-obj.o, bpf-obj.o, i386-tool, script.sh, note.txt
files() {
    cp "$RUNNER" x86-test
    mkelf a64-test 2 1 $ET_EXEC $EM_AARCH64
    mkelf a64-sched 2 1 $ET_EXEC $EM_AARCH64
    mkelf a64-lib.so 2 1 $ET_DYN $EM_AARCH64
    mkelf a64-obj.o 2 1 $ET_REL $EM_AARCH64
    mkelf bpf-obj.o 2 1 $ET_REL $EM_BPF
    mkelf i386-tool 1 1 $ET_EXEC $EM_386
    mkelf ppc64-test 2 2 $ET_EXEC $EM_PPC64
    mkelf arm32-test 1 1 $ET_EXEC 40
    printf '#!/bin/sh\nexit 0\n' > script.sh
    chmod 0755 script.sh
    printf 'note\n' > note.txt
}

# stub_arch FILE.run: what --inspect says the stub is built for
stub_arch() { json "$1" 'j["stub_arch"]'; }

case_native_runner() {
    files
    pack --runner x86-test --include ./note.txt --include ./bpf-obj.o --include ./a64-obj.o \
        --include ./i386-tool -o t.run t
    expect_ok "x86_64 runner with data includes" || return
    [ "$(stub_arch t.run)" = x86_64 ] || fail "stub is $(stub_arch t.run), not x86_64"
    "$KTSTR_PACK" --inspect t.run | grep -q '^stub: .* bytes, x86_64$' ||
        fail "--inspect does not show the x86_64 stub: $("$KTSTR_PACK" --inspect t.run | grep '^stub')"
}

case_aarch64_runner() {
    files
    pack --runner a64-test -o t.run t
    if has_a64; then
        expect_ok "aarch64 runner" || return
        [ "$(stub_arch t.run)" = aarch64 ] || fail "stub is $(stub_arch t.run), not aarch64"
        "$KTSTR_PACK" --inspect t.run | grep -q '^stub: .* bytes, aarch64$' ||
            fail "--inspect does not show the aarch64 stub"
        if [ -f "$A64_STUB" ]; then
            cmp -s -n "$(stat -c %s "$A64_STUB")" t.run "$A64_STUB" ||
                fail "t.run does not start with $A64_STUB"
        fi
        pack --runner a64-test --scheduler a64-sched --include ./a64-lib.so -o t2.run t
        expect_ok "aarch64 runner, scheduler and library" &&
            { [ "$(stub_arch t2.run)" = aarch64 ] || fail "t2.run: stub $(stub_arch t2.run)"; }
    else
        expect_error "runner a64-test is built for aarch64 (ELF machine 183), and this" \
            "ktstr-pack has stubs for $STUBS only" "--enable-stubs=x86_64,aarch64"
    fi
    [ ! -e t.run ] || has_a64 || fail "t.run written after an error"
}

case_unsupported_machines() {
    files
    pack --runner ppc64-test -o t.run t
    expect_error "runner ppc64-test is built for big-endian 64-bit ppc64 (ELF machine 21)," \
        "has stubs for $STUBS only" "--stub PATH"
    pack --runner arm32-test -o t.run t
    expect_error "runner arm32-test is built for 32-bit arm (ELF machine 40)," \
        "has stubs for $STUBS only"
    [ ! -e t.run ] || fail "t.run written after an error"
}

case_mismatched_scheduler() {
    files
    pack --runner x86-test --scheduler a64-sched -o t.run t
    expect_error "scheduler a64-sched is built for aarch64 (ELF machine 183), but runner" \
        "x86-test is built for x86_64 (ELF machine 62)" "same architecture"
    if has_a64; then
        pack --runner a64-test --scheduler x86-test -o t.run t
        expect_error "scheduler x86-test is built for x86_64 (ELF machine 62), but runner" \
            "a64-test is built for aarch64 (ELF machine 183)"
    fi
    # a scheduler that is no ELF file (a script) is not checked
    pack --runner x86-test --scheduler script.sh -o t.run t
    expect_ok "script as scheduler"
}

case_mismatched_include() {
    files
    pack --runner x86-test --include ./a64-lib.so -o t.run t
    expect_error "include ./a64-lib.so is built for aarch64 (ELF machine 183), but runner" \
        "x86-test is built for x86_64 (ELF machine 62)"
    pack --runner x86-test --include ./note.txt --include "$PWD/a64-test" -o t.run t
    expect_error "include $PWD/a64-test is built for aarch64 (ELF machine 183)"
    [ ! -e t.run ] || fail "t.run written after an error"
}

case_non_elf_runner() {
    files
    pack --runner script.sh -o t.run t
    expect_error "runner script.sh is not an ELF file, so it names no architecture" "--arch"
    pack --runner note.txt -o t.run t
    expect_error "runner note.txt is not an ELF file"
    [ ! -e t.run ] || fail "t.run written after an error"
    pack --runner script.sh --arch x86_64 -o t.run t
    expect_ok "non-ELF runner with --arch x86_64" || return
    [ "$(stub_arch t.run)" = x86_64 ] || fail "stub is $(stub_arch t.run), not x86_64"
    # --arch picks the stub; ELF files must still match it
    pack --runner script.sh --arch x86_64 --scheduler a64-sched -o t2.run t
    expect_error "scheduler a64-sched is built for aarch64 (ELF machine 183), but --arch" \
        "asks for x86_64 (ELF machine 62)"
}

case_arch_option() {
    files
    pack --runner x86-test --arch riscv -o t.run t
    [ "$RC" = 1 ] || fail "--arch riscv: exit $RC"
    grep -qF -- "--arch riscv: x86_64 or aarch64" "$WORK/err" || fail "stderr: $(cat "$WORK/err")"
    pack --runner x86-test --arch amd64 -o t.run t
    expect_ok "--arch amd64 (Debian's name)"
    pack --runner x86-test --arch aarch64 -o t2.run t
    if has_a64; then
        expect_error "runner x86-test is built for x86_64 (ELF machine 62), but --arch asks" \
            "for aarch64 (ELF machine 183)"
        pack --runner script.sh --arch arm64 -o t3.run t
        expect_ok "non-ELF runner with --arch arm64" &&
            { [ "$(stub_arch t3.run)" = aarch64 ] || fail "stub is $(stub_arch t3.run)"; }
    else
        expect_error "--arch asks for aarch64 (ELF machine 183), and this ktstr-pack has" \
            "stubs for $STUBS only"
    fi
}

case_stub_option() {
    files
    pack --runner x86-test --stub note.txt -o t.run t
    expect_error "stub note.txt: not an ELF file" "ktstr-stub-<arch>"
    pack --runner x86-test --stub a64-obj.o -o t.run t
    expect_error "stub a64-obj.o is an ELF file but no program"
    pack --runner x86-test --stub a64-test -o t.run t
    expect_error "runner x86-test is built for x86_64 (ELF machine 62), but stub a64-test" \
        "is built for aarch64 (ELF machine 183)"
    pack --runner x86-test --stub "$KTSTR_STUB" --arch aarch64 -o t.run t
    expect_error "stub $KTSTR_STUB is built for x86_64 (ELF machine 62), but --arch asks for" \
        "aarch64 (ELF machine 183)"
    [ ! -e t.run ] || fail "t.run written after an error"
    # a stub for a machine no stub is built in for: the runfile carries it
    pack --runner a64-test --scheduler a64-sched --stub a64-test -o t.run t
    expect_ok "--stub for the runner's machine" || return
    cmp -s -n 64 t.run a64-test || fail "t.run does not start with the given stub"
    [ "$(stub_arch t.run)" = aarch64 ] || fail "stub is $(stub_arch t.run)"
    pack --runner x86-test --stub "$KTSTR_STUB" --arch x86_64 -o t2.run t
    expect_ok "--stub with a matching --arch" &&
        { cmp -s -n "$(stat -c %s "$KTSTR_STUB")" t2.run "$KTSTR_STUB" ||
            fail "t2.run does not start with $KTSTR_STUB"; }
}

run_case native-runner case_native_runner
run_case aarch64-runner case_aarch64_runner
run_case unsupported-machines case_unsupported_machines
run_case mismatched-scheduler case_mismatched_scheduler
run_case mismatched-include case_mismatched_include
run_case non-elf-runner case_non_elf_runner
run_case arch-option case_arch_option
run_case stub-option case_stub_option
finish
