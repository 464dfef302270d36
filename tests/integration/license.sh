#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# license.sh - GPL-2.0-only everywhere: COPYING is the GPL version 2, and
# every source file of the tree (C, headers, assembler, shell, make and
# autoconf fragments, CI scripts) names the license in an SPDX line among
# its first three lines.  Generated files (configure, Makefile.in,
# aclocal.m4, config.h.in, build-aux/) and build trees are not ours.
. "$(dirname "$0")/lib.sh"

SRC=$KTSTR_SRCDIR

# sources: the files whose name says they are code, below SRC, without
# the build trees (any directory with a config.status, or distcheck's)
sources() {
    find "$SRC" \( -name .git -o -name autom4te.cache -o -name build-aux -o -name _build \
        -o -name _inst -o -name corpus -o -exec test -e '{}/config.status' ';' \) -prune -o \
        -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.S.in' -o -name '*.sh' \
        -o -name '*.mk' -o -name '*.m4' -o -name Makefile.am -o -name configure.ac \
        -o -path "$SRC/.ci/*" \) -print |
        grep -v -e '/aclocal\.m4$' -e '~$' | sort
}

case_copying_is_gpl2() {
    [ -f "$SRC/COPYING" ] || { fail "no COPYING in $SRC"; return; }
    grep -q 'GNU GENERAL PUBLIC LICENSE' "$SRC/COPYING" &&
        grep -q 'Version 2, June 1991' "$SRC/COPYING" ||
        fail "COPYING is not the GPL version 2: $(head -n 3 "$SRC/COPYING")"
}

case_every_source_has_spdx() {
    local f n=0 missing=
    while IFS= read -r f; do
        n=$((n + 1))
        head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-only' ||
            missing="$missing ${f#"$SRC"/}"
    done < <(sources)
    # the walk itself must have found the tree (a wrong SRC finds nothing)
    [ "$n" -ge 100 ] || fail "only $n source files found under $SRC"
    [ -z "$missing" ] || fail "no 'SPDX-License-Identifier: GPL-2.0-only' in the first lines of:$missing"
    echo "  $n source files checked"
}

case_checker_sees_a_missing_line() {
    # the check above must be able to fail: a file without the line is found
    local f=$WORK/x.c
    printf '/* no license line */\nint x;\n' > "$f"
    SRC=$WORK
    sources | grep -qx "$f" || fail "sources() does not list $f"
    ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier' || fail "the test file has the line"
}

run_case copying-is-gpl2 case_copying_is_gpl2
run_case every-source-has-spdx case_every_source_has_spdx
run_case checker-sees-a-missing-line case_checker_sees_a_missing_line
finish
