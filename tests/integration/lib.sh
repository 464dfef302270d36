# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - shared by the integration tests: run the built ktstr-pack (no
# root needed) and check what it writes with --inspect and standard tools.
#
# A test sources this file, defines case functions, runs each with
# `run_case NAME FUNCTION` and ends with `finish` (tests/lib/cases.sh).
# Every case gets a fresh $WORK directory; everything is removed at exit.
#
# Environment (set by `make check`; defaults for a run from the build dir):
#   KTSTR_PACK, KTSTR_STUB, KTSTR_HELPERS, KTSTR_SRCDIR

set -u
: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_STUB:=$PWD/stub/ktstr-stub}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
: "${KTSTR_SRCDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
RUNNER=$KTSTR_HELPERS/sample-test
SCHED=$KTSTR_HELPERS/fake-scheduler
export LC_ALL=C TZ=UTC

for f in "$KTSTR_PACK" "$RUNNER" "$SCHED"; do
    [ -x "$f" ] || { echo "missing $f (build first)" >&2; exit 99; }
done

TOP=$(mktemp -d "${TMPDIR:-/tmp}/ktstr-integ.XXXXXX") || exit 99
trap 'rm -rf "$TOP"' EXIT
# shellcheck source-path=SCRIPTDIR source=../lib/cases.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cases.sh"

skip() { echo "SKIP: $*"; exit 77; }

# fail MESSAGE: the current case fails; it goes on, to report everything.
# Cases run in a subshell, so the failure is a mark file in $WORK.
fail() { echo "  FAIL: $*"; : > "$WORK/.failed"; }

# run_case NAME FUNCTION: FUNCTION in a subshell, in a fresh $WORK
# (KTSTR_CASES="NAME..." runs only those, for debugging)
run_case() {
    local name=$1 fn=$2
    case_selected "$name" || return 0
    WORK=$TOP/case-$((CASES_RUN + 1))
    mkdir -p "$WORK"
    echo "--- $name"
    # only fail() decides: a check's own status is not the case's verdict
    (cd "$WORK" && "$fn") || true
    if [ -e "$WORK/.failed" ]; then case_done "$name" 1; else case_done "$name" 0; fi
}

# pack ARGS...: run ktstr-pack; stdout/stderr in $WORK/out, $WORK/err, rc in $RC
pack() {
    RC=0
    "$KTSTR_PACK" "$@" > "$WORK/out" 2> "$WORK/err" || RC=$?
}

# expect_ok WHAT: the last pack succeeded
expect_ok() {
    [ "$RC" = 0 ] || { fail "$1: ktstr-pack exited $RC: $(cat "$WORK/err")"; return 1; }
}

# expect_error TEXT...: the last pack failed, and stderr holds every TEXT
# (fixed strings) on an "error:" or "hint:" line
expect_error() {
    local t
    [ "$RC" != 0 ] || { fail "ktstr-pack succeeded, expected an error with '$1'"; return 1; }
    grep -q '^ktstr-pack: error: ' "$WORK/err" ||
        fail "no 'ktstr-pack: error:' line in: $(cat "$WORK/err")"
    for t in "$@"; do
        grep -qF -- "$t" "$WORK/err" || fail "stderr lacks '$t': $(cat "$WORK/err")"
    done
}

# inputs: a runner, a scheduler and two includes in $WORK/in
inputs() {
    mkdir -p "$WORK/in"
    cp "$RUNNER" "$WORK/in/ktstr-test"
    cp "$SCHED" "$WORK/in/scx_fake"
    printf 'include one\n' > "$WORK/in/data.txt"
    printf '{"cells": 2}\n' > "$WORK/in/cfg.json"
    chmod 0644 "$WORK/in/data.txt" "$WORK/in/cfg.json"
}

# have_python: python3 is there (KTSTR_TEST_NO_PYTHON=1 tests the fallback)
have_python() {
    [ -z "${KTSTR_TEST_NO_PYTHON:-}" ] && command -v python3 > /dev/null
}

# inspect_json FILE.run: $JSON_FILE holds its `--inspect --json` report,
# made again only when the file changed (inode, size, mtime)
inspect_json() {
    local key
    key=$(stat -c '%i %s %y %z' "$1") || { fail "no $1"; return 1; }
    mkdir -p "$WORK/.cache"
    JSON_FILE=$WORK/.cache/$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' _)
    [ -f "$JSON_FILE" ] && [ "$(cat "$JSON_FILE.key")" = "$key" ] && return 0
    "$KTSTR_PACK" --inspect "$1" --json > "$JSON_FILE" ||
        { fail "ktstr-pack --inspect $1 --json failed"; return 1; }
    printf '%s\n' "$key" > "$JSON_FILE.key"
}

# json FILE.run EXPR: a value of `ktstr-pack --inspect --json`, printed as
# Python does (True/False/None; lists and objects as JSON).  With python3
# EXPR is any Python expression over `j`; without, only j["KEY"] of a
# top-level KEY works (the report has one key per line).
json() {
    local rf=$1 expr=$2 key
    inspect_json "$rf" || return 1
    if have_python; then
        python3 -c '
import json, sys
j = json.load(sys.stdin)
v = eval(sys.argv[1])
print(json.dumps(v) if isinstance(v, (list, dict)) else v)' "$expr" < "$JSON_FILE"
        return
    fi
    key=${expr#j\[\"}
    key=${key%\"\]}
    case $key in
        *[!a-z0-9_]*) fail "json: '$expr' needs python3"; return 1 ;;
    esac
    sed -n "s/^  \"$key\": \(.*\)\$/\1/p" "$JSON_FILE" |
        sed 's/,$//; s/^"\(.*\)"$/\1/; s/^true$/True/; s/^false$/False/; s/^null$/None/'
}

# payload FILE.run: the payload bytes, cut out with the documented
# tail/head pipeline, on stdout
payload() {
    local off len
    off=$(json "$1" 'j["payload_offset"]')
    len=$(json "$1" 'j["payload_length"]')
    tail -c +"$((off + 1))" "$1" | head -c "$len"
}

# untar FILE.run ARGS...: tar ARGS over the decompressed payload
untar() {
    local rf=$1 codec
    shift
    codec=$(json "$rf" 'j["payload_codec"]')
    case $codec in
        gzip) payload "$rf" | tar -z "$@" ;;
        zstd) payload "$rf" | zstd -dcq | tar "$@" ;;
        none) payload "$rf" | tar "$@" ;;
        *) fail "unknown codec '$codec'"; return 1 ;;
    esac
}

# no_temp_files DIR: no temporary file of ktstr-pack is left in DIR
no_temp_files() {
    local left
    left=$(find "$1" -maxdepth 1 -name '*.tmp-*' | head -n 3)
    [ -z "$left" ] || fail "temporary files left behind: $left"
}
