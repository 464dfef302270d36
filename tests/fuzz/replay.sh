#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# replay.sh - every fuzz target over its corpus (tests/fuzz/corpus/TARGET:
# the seeds, and each input that once crashed a target, kept as a
# regression), built without libFuzzer by the project's own compiler and
# flags: in the sanitizer build, with ASan and UBSan.
set -euo pipefail
: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
B=$(dirname "$KTSTR_PACK")/tests/fuzz
passed=0 failed=0
for t in footer spec runfile extract bashrun; do
    if out=$("$B/replay-$t" "$KTSTR_SRCDIR/tests/fuzz/corpus/$t" 2>&1); then
        echo "ok   $t: $out"
        passed=$((passed + 1))
    else
        echo "FAIL $t:"; printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
        failed=$((failed + 1))
    fi
done
echo "fuzz corpora: $passed passed, $failed failed"
[ "$failed" = 0 ]
