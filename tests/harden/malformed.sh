#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# malformed.sh - every malformed variant ktstr-mkbad makes (truncations,
# footer fields, specs, flipped bytes, hostile tar members, bombs) fed to
# every reader that needs no root: ktstr-pack --inspect and the runfile's
# --inspect, --verify and --extract.  Each must refuse with the specific
# message (exit 1), crash nowhere, and write nothing outside its directory;
# a failed --extract leaves nothing behind.  The run path of the same
# variants is tests/hermetic/harden-malformed.sh.  MB_ONLY=REGEX runs only
# the matching variants.
set -euo pipefail
: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
MKBAD=$(dirname "$KTSTR_PACK")/tests/harden/ktstr-mkbad
SAMPLE_TEST=$KTSTR_HELPERS/sample-test
FAKE_SCHED=$KTSTR_HELPERS/fake-scheduler
for f in "$KTSTR_PACK" "$MKBAD" "$SAMPLE_TEST" "$FAKE_SCHED"; do
    [ -x "$f" ] || { echo "missing $f (build first: make check builds it)" >&2; exit 99; }
done
. "$(dirname "$0")/lib-malformed.sh"

MB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ktstr-malformed.XXXXXX")
trap 'rm -rf "$MB_DIR"' EXIT
mkdir "$MB_DIR/s"
mb_good "$MB_DIR/good.run"

# the good file passes every reader: the failures below are the variants'
"$KTSTR_PACK" --inspect "$MB_DIR/good.run" > /dev/null
"$MB_DIR/good.run" --verify > /dev/null
(cd "$MB_DIR/s" && ../good.run --extract x > /dev/null && rm -r x)

passed=0 failed=0 names=
for c in $(mkbad --list | grep -E -- "${MB_ONLY:-.}"); do
    if mb_make "$MB_DIR/good.run" "$c" "$MB_DIR/v.run" &&
       mb_readers "$MB_DIR/v.run" "$MB_DIR/s" && mb_sentinels; then
        passed=$((passed + 1))
    else
        echo "FAIL $c ($MB_LEVEL): ${MB_WHY:-generator failed}"
        failed=$((failed + 1)) names="$names $c"
        rm -rf "${MB_DIR:?}/s" && mkdir "$MB_DIR/s"
    fi
done
echo "malformed runfiles: $passed passed, $failed failed${names:+:$names}"
[ "$failed" = 0 ]
