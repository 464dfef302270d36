#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# configure-options.sh - configure's options.  --enable-sanitizers alone
# links the stub dynamically (ASan cannot link -static); with an explicit
# --enable-static-stub it is refused.  --enable-stubs: unknown architectures
# and --disable-stubs are refused; with aarch64 requested on an x86_64
# host, a missing cross compiler, missing arm64 -dev packages and a missing
# arm64 static archive each stop configure with a message naming the
# Debian packages; the default stays native only.  Nothing on the host
# changes: a nonexistent CC_AARCH64, an empty PKG_CONFIG_LIBDIR_AARCH64
# and an empty libcap.a found first through LDFLAGS_AARCH64 stand for the
# missing pieces.  The cases that need the real cross toolchain skip
# without it.
. "$(dirname "$0")/lib.sh"

CONFIGURE=$KTSTR_SRCDIR/configure
[ -x "$CONFIGURE" ] || skip "no configure in $KTSTR_SRCDIR (run autoreconf -fi)"
[ ! -f "$KTSTR_SRCDIR/config.status" ] || skip "$KTSTR_SRCDIR is configured in-tree"
[ "$(uname -m)" = x86_64 ] || skip "the cases assume an x86_64 host"
DEBS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libarchive-dev:arm64 libcap-dev:arm64"
have_cross() {
    command -v aarch64-linux-gnu-gcc > /dev/null &&
        [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/libarchive.pc ]
}

# run_configure DIR ARGS...: configure in DIR (its output in DIR/log),
# the compiler checks cached in $TOP/cache across cases (without the
# pkg-config results, the cross tools and the precious variables, which
# differ between the cases)
run_configure() {
    local dir=$1
    shift
    mkdir -p "$dir"
    [ -f "$TOP/cache" ] && sed '/pkg_cv_\|_AARCH64\|ac_cv_env_/d' "$TOP/cache" > "$dir/cache"
    (cd "$dir" && "$CONFIGURE" -q --cache-file=cache "$@" > log 2>&1)
    local rc=$?
    [ -f "$TOP/cache" ] || cp "$dir/cache" "$TOP/cache" 2>/dev/null
    return $rc
}

# expect_refused DIR TEXT...: configure failed, its log holds every TEXT
expect_refused() {
    local dir=$1 t
    shift
    [ "$RC" != 0 ] || { fail "configure succeeded in $dir"; return; }
    for t in "$@"; do
        grep -qF -- "$t" "$dir/log" || fail "configure log lacks '$t': $(tail -n 6 "$dir/log")"
    done
}

case_default_native_only() {
    RC=0
    run_configure "$WORK/b" || RC=$?
    [ "$RC" = 0 ] || { fail "default configure failed: $(tail -n 5 "$WORK/b/log")"; return; }
    grep -q '^#define STUB_ARCHES "x86_64"$' "$WORK/b/config.h" ||
        fail "STUB_ARCHES: $(grep STUB_ARCHES "$WORK/b/config.h")"
    grep -q '^#define HAVE_STUB_X86_64 1' "$WORK/b/config.h" || fail "no HAVE_STUB_X86_64"
    ! grep -q '^#define HAVE_STUB_AARCH64' "$WORK/b/config.h" || fail "HAVE_STUB_AARCH64 in a native build"
    ! grep -qi 'aarch64-linux-gnu-gcc' "$WORK/b/log" || fail "the default build looked for a cross compiler"
}

case_bad_lists() {
    RC=0
    run_configure "$WORK/r" --enable-stubs=x86_64,riscv || RC=$?
    expect_refused "$WORK/r" "--enable-stubs: unknown architecture 'riscv' (x86_64, aarch64)"
    RC=0
    run_configure "$WORK/n" --disable-stubs || RC=$?
    expect_refused "$WORK/n" "--disable-stubs: ktstr-pack needs at least its native (x86_64) stub"
}

case_no_cross_compiler() {
    RC=0
    run_configure "$WORK/c" --enable-stubs=x86_64,aarch64 \
        CC_AARCH64=/nonexistent/aarch64-linux-gnu-gcc || RC=$?
    expect_refused "$WORK/c" "needs the cross compiler aarch64-linux-gnu-gcc" \
        "dpkg --add-architecture arm64" "apt-get install $DEBS"
}

case_no_arm64_dev_packages() {
    have_cross || skip_case "no cross toolchain" || return 0
    mkdir -p "$WORK/empty-pc"
    RC=0
    run_configure "$WORK/p" --enable-stubs=x86_64,aarch64 \
        PKG_CONFIG_LIBDIR_AARCH64="$WORK/empty-pc" || RC=$?
    expect_refused "$WORK/p" "the aarch64 stub needs the arm64 development packages" \
        "libarchive" "apt-get install $DEBS"
}

case_no_static_archive() {
    have_cross || skip_case "no cross toolchain" || return 0
    mkdir -p "$WORK/fake"
    aarch64-linux-gnu-ar rc "$WORK/fake/libcap.a"
    RC=0
    run_configure "$WORK/s" --enable-stubs=x86_64,aarch64 LDFLAGS_AARCH64="-L$WORK/fake" || RC=$?
    expect_refused "$WORK/s" "needs libcap.a for arm64 (symbol cap_get_proc)" \
        "Install the Debian package libcap-dev:arm64" "apt-get install $DEBS"
}

case_cross_ok() {
    have_cross || skip_case "no cross toolchain" || return 0
    RC=0
    run_configure "$WORK/ok" --enable-stubs=aarch64 || RC=$?
    [ "$RC" = 0 ] || { fail "configure with aarch64 failed: $(tail -n 5 "$WORK/ok/log")"; return; }
    grep -q '^#define STUB_ARCHES "x86_64, aarch64"$' "$WORK/ok/config.h" ||
        fail "STUB_ARCHES: $(grep STUB_ARCHES "$WORK/ok/config.h")"
    grep -q '^#define HAVE_STUB_AARCH64 1' "$WORK/ok/config.h" || fail "no HAVE_STUB_AARCH64"
    grep -q '^STUB_FILE_aarch64 = stub-aarch64/ktstr-stub-aarch64.stripped$' "$WORK/ok/Makefile" ||
        fail "STUB_FILE_aarch64: $(grep '^STUB_FILE_aarch64' "$WORK/ok/Makefile")"
}

case_sanitizers_alone() {
    RC=0
    run_configure "$WORK/asan" --enable-sanitizers || RC=$?
    [ "$RC" = 0 ] || { fail "configure --enable-sanitizers failed: $(tail -n 5 "$WORK/asan/log")"; return; }
    grep -q '^STUB_LDFLAGS = *$' "$WORK/asan/Makefile" ||
        fail "the stub is still linked statically: $(grep '^STUB_LDFLAGS' "$WORK/asan/Makefile")"
    grep -q '^KTSTR_CFLAGS_SAN = .*-fsanitize=address,undefined' "$WORK/asan/Makefile" ||
        fail "no sanitizer flags: $(grep '^KTSTR_CFLAGS_SAN' "$WORK/asan/Makefile")"
}

case_sanitizers_with_static_stub() {
    RC=0
    run_configure "$WORK/asan-static" --enable-sanitizers --enable-static-stub || RC=$?
    expect_refused "$WORK/asan-static" \
        "--enable-sanitizers cannot be combined with --enable-static-stub (ASan cannot link -static)"
}

# skip_case WHY: say so; the case passes (its check needs what is missing)
skip_case() { echo "  (skipped: $1)"; return 1; }

run_case default-native-only case_default_native_only
run_case sanitizers-alone case_sanitizers_alone
run_case sanitizers-with-static-stub case_sanitizers_with_static_stub
run_case bad-lists case_bad_lists
run_case no-cross-compiler case_no_cross_compiler
run_case no-arm64-dev-packages case_no_arm64_dev_packages
run_case no-static-archive case_no_static_archive
run_case cross-ok case_cross_ok
finish
