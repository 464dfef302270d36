#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ux-docs.sh - the options each program accepts (its getopt_long table and
# short option string in the source), the options its --help lists and the
# options its man page documents are the same set, for the runfile stub
# (stub/main.c, NAME.run --help, docs/ktstr-runfile.1) and for ktstr-pack
# (packer/main.c, ktstr-pack --help, docs/ktstr-pack.1).  An option added
# to a table without its help line and man page entry fails here.
set -u
: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
: "${KTSTR_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"

T=$(mktemp -d /tmp/ux-docs.XXXXXX)
trap 'rm -rf "$T"' EXIT
FAILED=0

# source_options FILE.c: "--name" per long_options entry, "-x" per letter
# of the getopt_long option string
source_options() {
    sed -n '/^static const struct option long_options\[\] = {/,/^};/p' "$1" |
        sed -n 's/^[[:space:]]*{ *"\([^"]*\)",.*/--\1/p'
    grep -o 'getopt_long(argc, argv, "[^"]*"' "$1" | sed 's/.*"\(.*\)"/\1/' |
        tr -d '+:' | grep -o . | sed 's/^/-/'
}

# help_options: the option column of --help on stdin: lines that start
# with blanks and a dash, up to the first run of two blanks
help_options() {
    grep -E '^[[:space:]]+-' | sed -E 's/^[[:space:]]+//; s/  .*//' |
        grep -oE '(^|[ ,[])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,[]//'
}

# usage_options: every option the Usage: synopsis of --help on stdin names
usage_options() {
    sed -n '/^Usage:/,/^$/p' | grep -oE '(^|[ [|])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ [|]//'
}

# roff_plain: man page text with \- as - and font escapes dropped
roff_plain() { sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/\\f\[[A-Z]*\]//g' "$1"; }

# man_options FILE.1: the tags (the line after .TP) of its OPTIONS section
man_options() {
    roff_plain "$1" | sed -n '/^\.SH OPTIONS/,/^\.SH /p' | awk 'prev == ".TP" { print } { prev = $1 }' |
        grep -oE '(^|[ ,"])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,"]//'
}

# man_synopsis_options FILE.1: every option its SYNOPSIS names
man_synopsis_options() {
    roff_plain "$1" | sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' |
        grep -oE '(^|[ [|])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ [|]//'
}

# same_set WHAT-A FILE-A WHAT-B FILE-B: both name the same options
same_set() {
    local only_a only_b
    sort -u "$2" > "$T/a"
    sort -u "$4" > "$T/b"
    only_a=$(comm -23 "$T/a" "$T/b" | tr '\n' ' ')
    only_b=$(comm -13 "$T/a" "$T/b" | tr '\n' ' ')
    if [ -n "$only_a$only_b" ]; then
        echo "    FAIL: $1 and $3 differ"
        [ -n "$only_a" ] && echo "      in $1 only: $only_a"
        [ -n "$only_b" ] && echo "      in $3 only: $only_b"
        return 1
    fi
}

# subset WHAT-A FILE-A WHAT-B FILE-B: every option of A is in B
subset() {
    local extra
    extra=$(sort -u "$2" | comm -23 - <(sort -u "$4") | tr '\n' ' ')
    [ -z "$extra" ] || { echo "    FAIL: $1 names options that $3 lacks: $extra"; return 1; }
}

# check PROGRAM SOURCE HELP-FILE MANPAGE
check() {
    local prog=$1 src=$2 help=$3 man=$4 ok=1 n
    source_options "$src" > "$T/$prog.src"
    help_options < "$help" > "$T/$prog.help"
    usage_options < "$help" > "$T/$prog.usage"
    man_options "$man" > "$T/$prog.man"
    man_synopsis_options "$man" > "$T/$prog.mansyn"
    n=$(sort -u "$T/$prog.src" | wc -l)
    # the parsers must find something, or the comparison proves nothing
    [ "$n" -ge 5 ] || { echo "    FAIL: only $n options found in $src"; ok=0; }
    same_set "${src#"$KTSTR_SRCDIR"/}" "$T/$prog.src" "$prog --help" "$T/$prog.help" || ok=0
    same_set "${src#"$KTSTR_SRCDIR"/}" "$T/$prog.src" "${man##*/} OPTIONS" "$T/$prog.man" || ok=0
    subset "the $prog --help usage line" "$T/$prog.usage" "${src#"$KTSTR_SRCDIR"/}" "$T/$prog.src" || ok=0
    subset "${man##*/} SYNOPSIS" "$T/$prog.mansyn" "${src#"$KTSTR_SRCDIR"/}" "$T/$prog.src" || ok=0
    if [ "$ok" = 1 ]; then
        echo "ok   $prog: $n options in the source, --help and ${man##*/} agree"
    else
        echo "FAIL $prog"
        FAILED=$((FAILED + 1))
    fi
}

# the runfile's --help needs a runfile
printf 'expect_sched=none\n' > "$T/sample-test.conf"
"$KTSTR_PACK" --runner "$KTSTR_HELPERS/sample-test" --include "$T/sample-test.conf" \
    -o "$T/t.run" sample 2> "$T/pack.err" || { cat "$T/pack.err"; exit 99; }
"$T/t.run" --help > "$T/stub.help" || { echo "t.run --help failed"; exit 99; }
"$KTSTR_PACK" --help > "$T/pack.help" || { echo "ktstr-pack --help failed"; exit 99; }

check NAME.run "$KTSTR_SRCDIR/stub/main.c" "$T/stub.help" "$KTSTR_SRCDIR/docs/ktstr-runfile.1"
check ktstr-pack "$KTSTR_SRCDIR/packer/main.c" "$T/pack.help" "$KTSTR_SRCDIR/docs/ktstr-pack.1"

# the man pages name the version they document
v=$("$KTSTR_PACK" --version | awk '{ print $2 }')
for m in ktstr-runfile.1 ktstr-pack.1; do
    if grep -q "^\.TH .* \"ktstr-pack $v\"" "$KTSTR_SRCDIR/docs/$m"; then
        echo "ok   $m documents version $v"
    else
        echo "FAIL $m: its .TH line does not name ktstr-pack $v"
        FAILED=$((FAILED + 1))
    fi
done
[ "$FAILED" = 0 ]
