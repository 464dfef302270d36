# shellcheck shell=bash disable=SC2154  # me, here, CACHE...: the caller's
# SPDX-License-Identifier: GPL-2.0-only
#
# host-lib.sh - the host side that check-vm.sh (x86_64) and
# check-vm-aarch64.sh share: the cache step, the sample test's runfiles, one
# fresh VM per case with its timing line, and the summary.  The two tiers
# differ only in their cache builder, their cases and the VM's architecture.
#
# The caller sets, then sources this file:
#   me, here       its name and directory (usage prints its header)
#   CACHE PACK SAMPLE OUT TIMEOUT   its options
#   VM_ARCH        "" (run-in-vm.sh's default, x86_64) or aarch64: the
#                  VM's --arch, and the stub every packed runfile must carry
#   CASE_FMT       printf format of the "case N NAME:" columns of a line
# and T_START=$(date +%s.%N) once its arguments are checked.
#
# Functions:
#   die MSG, usage [STATUS], elapsed T0
#   vm_cache TIER BUILDER [VAR=VALUE...]
#                  empty OUT; make CACHE ready (as root BUILDER builds or
#                  refreshes it; without root a complete cache is used as
#                  is); SKIP (exit 0) without one; sets KREL and T_CACHE
#   sample_confs   OUT/conf-simple and OUT/conf-none, the sample test's
#                  includes (expect scx_simple / no scheduler), and OUT/rf
#   pack OUT CONF [ktstr-pack options]
#                  the sample test into OUT/rf/OUT
#   vm_case C NAME SCRIPT VERDICT OPTS FILES
#                  SCRIPT in a fresh VM; one line into VM_LINES (a case
#                  that cannot run adds its own, and counts in VM_FAILED)
#   vm_summary     the lines, the total; exit 1 if a case failed

die() { echo "$me: error: $*" >&2; exit 2; }
usage() {
    sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
    exit "${1:-0}"
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

VM_LINES=()
VM_FAILED=0

cache_complete() {
    [ -f "$CACHE/versions.env" ] && [ -s "$CACHE/vmlinuz" ] && [ -x "$CACHE/busybox" ] &&
        [ -x "$CACHE/scx_simple" ]
}

vm_cache() {
    local tier=$1 builder=$2 rc reason
    shift 2
    rm -rf "$OUT"
    mkdir -p "$OUT"
    if [ "$(id -u)" = 0 ]; then
        echo "$me: VM cache $CACHE ($builder, log in $OUT/build-cache.log)"
        set +e
        env "$@" "$here/$builder" "$CACHE" 2>&1 | tee "$OUT/build-cache.log"
        rc=${PIPESTATUS[0]}
        set -e
        if [ "$rc" = 77 ]; then
            reason=$(sed -n 's/.*SKIP: //p' "$OUT/build-cache.log" | tail -n 1)
            echo "$me: SKIP: the $tier needs its VM cache: ${reason:-$builder exit 77}"
            exit 0
        fi
        if [ "$rc" != 0 ]; then
            echo "$me: FAIL: $builder failed (exit $rc): $(tail -n 1 "$OUT/build-cache.log")"
            exit 1
        fi
    elif cache_complete; then
        echo "$me: not root: using the VM cache $CACHE as it is (not refreshed)"
    else
        echo "$me: SKIP: no complete VM cache at $CACHE and building it needs root"
        exit 0
    fi
    cache_complete || die "the cache $CACHE is incomplete after $builder"
    T_CACHE=$(elapsed "$T_START")
    # shellcheck disable=SC1091
    KREL=$(. "$CACHE/versions.env" && echo "$KREL")
}

sample_confs() {
    mkdir -p "$OUT/rf" "$OUT/conf-simple" "$OUT/conf-none"
    printf '%s\n' expect_sched=simple record_dir=/tmp/rec > "$OUT/conf-simple/sample-test.conf"
    printf '%s\n' expect_sched=none record_dir=/tmp/rec > "$OUT/conf-none/sample-test.conf"
}

# With VM_ARCH set, ktstr-pack picks the stub from the runner's ELF
# machine: check that it picked that one.
pack() {
    local out=$1 conf=$2 arch
    shift 2
    "$PACK" --runner "$SAMPLE" --include "$OUT/conf-$conf/sample-test.conf" \
        -o "$OUT/rf/$out" "$@" sample > "$OUT/pack.log" 2>&1 ||
        { cat "$OUT/pack.log" >&2; die "ktstr-pack failed for $out"; }
    [ -n "$VM_ARCH" ] || return 0
    arch=$("$PACK" --inspect "$OUT/rf/$out" | sed -n 's/^stub: .* bytes, //p')
    [ "$arch" = "$VM_ARCH" ] || die "$out carries a stub for '$arch', not $VM_ARCH"
}

# vm_case C NAME SCRIPT VERDICT OPTS FILES: run the guest SCRIPT with
# run-in-vm.sh options OPTS and FILES in /opt (word lists); its console goes
# to OUT/case-C.log; VERDICT is the prefix of its "VERDICT: PASS" line.  The
# summary line: "case C NAME: PASS|FAIL  boot Xs  attach Y ms  VM Zs" (boot:
# uptime when the guest /init starts; attach: the stub's attach phase in the
# first run that had one; VM: run-in-vm.sh wall time).
vm_case() {
    local c=$1 name=$2 script=$3 verdict=$4 opts=$5 files=$6
    local log=$OUT/case-$c.log t0 rc=0 wall clean boot attach seen res line
    echo
    echo "==== ${VM_ARCH:+$VM_ARCH }case $c $name: ${script##*/}"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086  # opts and files are word lists
    "$here/run-in-vm.sh" ${VM_ARCH:+--arch "$VM_ARCH"} --timeout "$TIMEOUT" $opts --log "$log" \
        "$CACHE" "$script" $files < /dev/null || rc=$?
    wall=$(elapsed "$t0")
    clean=$(tr -d '\r' < "$log" 2>/dev/null || true)
    boot=$(sed -n 's/^VM-BOOT: .* uptime=\([0-9.]*\)s$/\1/p' <<< "$clean" | tail -n 1)
    # the first runfile run that attached a scheduler
    attach=$(sed -n 's/^[^ ]*: phases: .* attach \([0-9.]*\) ms,.*/\1/p' <<< "$clean" | head -n 1)
    seen=$(grep -E "^$verdict: (PASS|FAIL)" <<< "$clean" | tail -n 1 || true)
    if [ "$rc" = 0 ]; then res=PASS; else res=FAIL; VM_FAILED=$((VM_FAILED + 1)); fi
    # shellcheck disable=SC2059  # CASE_FMT is the caller's format
    line=$(printf "$CASE_FMT %s  boot %5ss  attach %8s ms  VM %5ss" "$c" "$name:" "$res" \
        "${boot:--}" "${attach:--}" "$wall")
    [ "$res" = PASS ] || line="$line  (run-in-vm.sh exit $rc: ${seen:-no verdict line}; see $log)"
    VM_LINES+=("$line")
    echo "$me: $line"
}

vm_summary() {
    echo
    echo "==== ${me%.sh} summary (kernel $KREL, cache ${T_CACHE}s, total $(elapsed "$T_START")s)"
    printf '%s\n' "${VM_LINES[@]}"
    if [ "$VM_FAILED" -gt 0 ]; then
        echo "$me: FAIL: $VM_FAILED case(s) failed"
        exit 1
    fi
    echo "$me: PASS"
}
