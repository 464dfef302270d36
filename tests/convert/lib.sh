# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - helpers of the conversion tests (ktstr-pack --from-run and
# --test-binary) that need no namespace: a case runner (cv_case NAME
# FUNCTION, then `finish`: tests/lib/cases.sh), fixtures made by mkbashrun
# in the exact `cargo ktstr export` 0.6.0 format, and checks that a refused
# conversion says FILE:LINE: reason and leaves no file.
#
# Environment (set by the Makefile; defaults for a run from the build dir):
#   KTSTR_PACK, KTSTR_HELPERS (dir of mkbashrun, sample-test, sched-probe)

: "${KTSTR_PACK:=$PWD/ktstr-pack}"
: "${KTSTR_HELPERS:=$PWD/tests/helpers}"
MKBASHRUN=$KTSTR_HELPERS/mkbashrun
SAMPLE_TEST=$KTSTR_HELPERS/sample-test
SCHED_PROBE=$KTSTR_HELPERS/sched-probe
# shellcheck source-path=SCRIPTDIR source=../lib/cases.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cases.sh"

cv_setup() {
    local f
    for f in "$KTSTR_PACK" "$MKBASHRUN" "$SAMPLE_TEST" "$SCHED_PROBE"; do
        [ -x "$f" ] || { echo "missing $f (build first: make check)" >&2; exit 99; }
    done
    T=$(mktemp -d "${TMPDIR:-/tmp}/ktstr-convert-test.XXXXXX")
    trap 'rm -rf "$T"' EXIT
    printf 'expect_sched=fake\n' > "$T/sample-test.conf"
    printf 'cell_size=4\nmode="a b"\n' > "$T/sched.cfg"
    printf '{"layers": [{"name": "batch"}]}\n' > "$T/layers.json"
}

fail() {
    echo "    FAIL: $*"
    if [ -s "${ERR:-/dev/null}" ]; then
        echo "    --- stderr of the last command:"; sed 's/^/    | /' "$ERR" | tail -n 20
    fi
    return 1
}

# cv_case NAME FUNCTION: one case, with an empty output dir $T/o
cv_case() {
    rm -rf "$T/o" "$T/orig" "$T/new" && mkdir "$T/o"
    case_run "$@"
}

# fixture OUT [mkbashrun options]: a 0.6.0 runfile of the sample test
fixture() {
    local out=$1; shift
    "$MKBASHRUN" -o "$out" --name conv_test --runner "$SAMPLE_TEST" \
        --include "$T/sample-test.conf" "$@"
}

# full_fixture OUT [more options]: scheduler, config file, inline config
# with {file} inside a larger word, cgroup parent, args of every quoting form
full_fixture() {
    local out=$1; shift
    fixture "$out" --scheduler "$SCHED_PROBE" --sched-name fake --git-hash 0123abc \
        --llcs 2 --cores-per-llc 3 --threads-per-core 2 --numa-nodes 1 \
        --duration 7 --watchdog 11 \
        --config-file "$T/sched.cfg" \
        --config-content "$T/layers.json" --config-template '--layers={file} --strict' \
        --config-guest-path /include-files/layers.json \
        --cgroup-parent /ktstr-cells \
        --sched-arg 'with space' --sched-arg "it's" --sched-arg '$HOME' \
        --sched-arg 'back\slash' --sched-arg '' --sched-arg 'naïve ✓' \
        --sched-arg $'two\nlines' --extra-sched-arg --slice-us=20:x+y "$@"
}

# convert IN [ktstr-pack options]: ktstr-pack --from-run IN -o $T/o/new.run;
# sets RC, ERR
convert() {
    local in=$1; shift
    ERR=$T/err
    set +e
    "$KTSTR_PACK" --from-run "$in" -o "$T/o/new.run" "$@" > "$T/out" 2> "$ERR"
    RC=$?
    set -e
}

# line_of FILE PATTERN: the number of the first line matching (grep -n)
line_of() { grep -n -m1 -e "$2" "$1" | cut -d: -f1; }

# marker_line FILE: the number of the __ARCHIVE__ line
marker_line() { line_of "$1" '^__ARCHIVE__$'; }

# expect_refused FILE-NAME LINE TEXT: exit 1, "FILE:LINE: ...TEXT..." on
# stderr, and no output file (nor temporary file) left
expect_refused() {
    local file=$1 line=$2 text=$3
    [ "$RC" = 1 ] || fail "exit status $RC, expected 1" || return 1
    grep -qF -- "$file:$line: " "$ERR" || fail "stderr lacks the location $file:$line" ||
        return 1
    grep -qF -- "$text" "$ERR" || fail "stderr lacks: $text" || return 1
    [ -z "$(ls -A "$T/o")" ] || fail "files left in the output dir: $(ls -A "$T/o")"
}

# edit IN OUT SED-SCRIPT: a damaged copy
edit() { sed -e "$3" "$1" > "$2"; }
