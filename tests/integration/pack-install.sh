#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pack-install.sh - `make install DESTDIR=...` from the build directory
# installs ktstr-pack, both man pages and the stub; the installed
# ktstr-pack alone packs the same runfile as the one in the build tree.
. "$(dirname "$0")/lib.sh"

BUILDDIR=$(dirname "$KTSTR_PACK")
[ -f "$BUILDDIR/Makefile" ] || skip "no Makefile next to $KTSTR_PACK"
command -v make > /dev/null || skip "make not installed"

# the one installed file of NAME (a path pattern under DESTDIR)
installed() {
    local hits
    hits=$(find "$WORK/dest" -path "$1" -type f)
    [ "$(printf '%s\n' "$hits" | grep -c .)" = 1 ] || { fail "installed '$1': '$hits'"; return 1; }
    printf '%s\n' "$hits"
}

case_install() {
    local pack stub man1 man2
    # a make of its own: not the jobserver of the `make check` around us
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
        make -s -C "$BUILDDIR" install DESTDIR="$WORK/dest" > install.log 2>&1 ||
        { fail "make install failed: $(tail -n 20 install.log)"; return; }
    pack=$(installed '*/bin/ktstr-pack') || return
    stub=$(installed '*/ktstr-pack/ktstr-stub') || return
    man1=$(installed '*/man1/ktstr-pack.1') || return
    man2=$(installed '*/man1/ktstr-runfile.1') || return
    [ -x "$pack" ] || fail "$pack is not executable"
    [ -x "$stub" ] || fail "$stub is not executable"
    cmp -s "$stub" "$KTSTR_STUB" || fail "the installed stub is not the built one"
    cmp -s "$man1" "$KTSTR_SRCDIR/docs/ktstr-pack.1" || fail "ktstr-pack.1 differs from docs/"
    cmp -s "$man2" "$KTSTR_SRCDIR/docs/ktstr-runfile.1" || fail "ktstr-runfile.1 differs"
    if command -v file > /dev/null && file "$KTSTR_STUB" | grep -q 'statically linked'; then
        file "$stub" | grep -q 'statically linked' || fail "installed stub: $(file "$stub")"
    fi
    # nothing else is installed (no test helpers, no libcommon) but, in a
    # build with cross-built stubs (configure --enable-stubs), each of them
    # as ktstr-stub-<arch>, the very file built in stub-<arch>/
    local cross c
    cross=$(find "$WORK/dest" -type f -name 'ktstr-stub-*')
    for c in $cross; do
        cmp -s "$c" "$BUILDDIR/stub-${c##*/ktstr-stub-}/${c##*/}" ||
            fail "the installed $c is not the built one"
    done
    [ "$(find "$WORK/dest" -type f | wc -l)" = $((4 + $(printf '%s' "$cross" | grep -c .))) ] ||
        fail "installed files: $(find "$WORK/dest" -type f)"

    # one installed file is enough: the stub is inside ktstr-pack
    inputs
    cp "$pack" lonely-ktstr-pack
    ./lonely-ktstr-pack --version > version || fail "installed ktstr-pack --version"
    (./lonely-ktstr-pack --runner in/ktstr-test --git-hash 0 -o a.run t &&
        "$KTSTR_PACK" --runner in/ktstr-test --git-hash 0 -o b.run t) 2> /dev/null ||
        fail "packing failed"
    cmp -s a.run b.run || fail "the installed ktstr-pack writes other bytes"
}

run_case install case_install
finish
