#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# format-doc.sh - docs/FORMAT.md says what the code does: its constants
# table, footer table and tag table against common/ and packer/ sources.
. "$(dirname "$0")/lib.sh"

DOC=$KTSTR_SRCDIR/docs/FORMAT.md
HEADERS="common/footer.h common/spec.h common/spec.c packer/compress.h"
[ -f "$DOC" ] || { echo "missing $DOC" >&2; exit 99; }

# Every `#define NAME number-expression` of the sources, as shell variables
# (C integer suffixes dropped), so that $((NAME)) evaluates like C does,
# including defines built from other defines and octal 0755.
load_defines() {
    local f name val
    for f in $HEADERS; do
        while read -r name val; do
            val=${val%%/\**}
            val=$(printf '%s' "$val" | sed 's/\([0-9]\)[uUlL]\{1,3\}\b/\1/g')
            case $val in
                *[!0-9A-Za-z_\ \(\)+\<-]*|'') continue ;;   # strings, macros with args
            esac
            printf -v "DEF_$name" '%s' "$val"
            eval "$name=\$val"
        done < <(sed -n 's/^#define \([A-Z0-9_]*\) \(.*\)$/\1 \2/p' "$KTSTR_SRCDIR/$f")
    done
}

case_constants() {
    local name want got n=0
    load_defines
    while read -r name want; do
        n=$((n + 1))
        if [ -z "$(eval "echo \${DEF_$name:-}")" ]; then
            fail "FORMAT.md names $name, which no source defines"
            continue
        fi
        got=$(($name))
        [ "$got" = "$want" ] || fail "FORMAT.md: $name = $want, the code says $got"
    done < <(sed -n 's/^| `\([A-Z0-9_]*\)` | *\([0-9]*\) |$/\1 \2/p' "$DOC")
    [ "$n" -ge 40 ] || fail "only $n constants found in the appendix"
    # and every field offset of the footer is in the table
    for name in $(sed -n 's/^#define \(FOOTER_OFF_[A-Z0-9_]*\) .*/\1/p' "$KTSTR_SRCDIR/common/footer.h"); do
        grep -q "^| \`$name\` |" "$DOC" || fail "FORMAT.md lacks $name"
    done
}

# The footer table: rows tile 0..128, at the FOOTER_OFF_* offsets.
case_footer_table() {
    local off size field end=0 offs=
    load_defines
    while IFS='|' read -r _ off size field _; do
        off=${off// /}
        size=${size// /}
        [ "$off" = "$end" ] || fail "footer field '$field' at $off, the previous one ends at $end"
        end=$((off + size))
        offs="$offs $off"
    done < <(sed -n '/^## 1. Footer/,/^## 2/p' "$DOC" | grep -E '^\| +[0-9]+ \| +[0-9]+ \|')
    [ "$end" = "$RUNFILE_FOOTER_SIZE" ] || fail "the footer table ends at $end"
    for name in $(sed -n 's/^#define \(FOOTER_OFF_[A-Z0-9_]*\) .*/\1/p' "$KTSTR_SRCDIR/common/footer.h"); do
        case " $offs " in *" $((name)) "*) ;; *) fail "no footer row at $name = $((name))" ;; esac
    done
}

# The tag table: numbers and names as enum spec_tag and tag_names[].
case_tag_table() {
    local tag name code enum n=0
    while IFS='|' read -r _ tag name _; do
        tag=${tag// /}
        name=$(printf '%s' "$name" | sed 's/^ *//; s/ *$//')
        n=$((n + 1))
        enum=$(sed -n "s/^\t\(SPEC_TAG_[A-Z_]*\) = $tag,\$/\1/p" "$KTSTR_SRCDIR/common/spec.h")
        [ -n "$enum" ] || { fail "no tag $tag in spec.h"; continue; }
        code=$(sed -n "s/^\t\[$enum\] = \"\(.*\)\",\$/\1/p" "$KTSTR_SRCDIR/common/spec.c")
        [ "$code" = "$name" ] || fail "tag $tag ($enum) is '$name' in FORMAT.md, '$code' in spec.c"
    done < <(sed -n '/^### 2.2 Records/,/^### 2.3/p' "$DOC" | grep -E '^\| +[0-9]+ \| [a-z]')
    [ "$n" = "$(grep -cE '^[[:space:]]+SPEC_TAG_[A-Z_]+ = [0-9]+,$' "$KTSTR_SRCDIR/common/spec.h")" ] ||
        fail "FORMAT.md has $n tags, spec.h another number"
}

run_case constants case_constants
run_case footer-table case_footer_table
run_case tag-table case_tag_table
finish
