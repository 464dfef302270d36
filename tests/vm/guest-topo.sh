#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-topo.sh - print the CPU / cache / NUMA topology the guest kernel sees
# and check it; run INSIDE the VM by run-in-vm.sh (busybox ash, POSIX sh;
# uses /guest-lib.sh).
#
# Usage (on the host):
#   run-in-vm.sh --smp 8,sockets=2,cores=2,threads=2 --numa 2 \
#       --env REQUIRE_LLCS=2 --env REQUIRE_NODES=2 CACHE tests/vm/guest-topo.sh
#
# Optional guest environment (--env): REQUIRE_LLCS, REQUIRE_NODES,
# REQUIRE_CPUS, REQUIRE_CORES (total physical cores), REQUIRE_THREADS (per
# core). An LLC is a distinct shared_cpu_list of the highest cache level.
#
# Exit status: 0 "TOPO: PASS" (every REQUIRE_* met), 1 "TOPO: FAIL: why".
CASE=TOPO
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

S=/sys/devices/system/cpu
rd() { cat "$1" 2>/dev/null || echo -; }
count_lines() { sed '/^$/d' | wc -l | tr -d ' '; }

assert_no_bash
echo "vendor: $(sed -n 's/^vendor_id[^:]*: //p' /proc/cpuinfo | sort -u)"
echo "model:  $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | sort -u)"
echo "online: $(rd $S/online)"
printf '%-5s %-4s %-4s %-5s %-5s %-8s %-9s %s\n' cpu node pkg die core thr_sibs pkg_cpus \
    "cache[index: level type shared_cpu_list]"
for d in "$S"/cpu[0-9]*; do
    c=${d##*/cpu}
    node=-
    for n in "$d"/node[0-9]*; do [ -e "$n" ] && node=${n##*/node}; done
    t=$d/topology
    printf '%-5s %-4s %-4s %-5s %-5s %-8s %-9s' "$c" "$node" "$(rd "$t"/physical_package_id)" \
        "$(rd "$t"/die_id)" "$(rd "$t"/core_id)" "$(rd "$t"/thread_siblings_list)" \
        "$(rd "$t"/package_cpus_list)"
    for i in "$d"/cache/index*; do
        [ -d "$i" ] || continue
        printf ' %s:L%s/%s/%s' "${i##*/index}" "$(rd "$i"/level)" "$(rd "$i"/type)" \
            "$(rd "$i"/shared_cpu_list)"
    done
    echo
done | sort -n

echo "numa nodes:"
nnode=0
for n in /sys/devices/system/node/node[0-9]*; do
    [ -d "$n" ] || continue
    nnode=$((nnode + 1))
    echo "  ${n##*/}: cpus=$(rd "$n"/cpulist)" \
        "mem=$(awk '/MemTotal/{print $4 $5}' "$n"/meminfo) distance=$(rd "$n"/distance)"
done

# distinct last-level caches = distinct shared_cpu_list of the highest
# unified (or, failing that, any) cache level
llc_level=$(cat "$S"/cpu*/cache/index*/level 2>/dev/null | sort -n | tail -n 1)
llcs=$(for i in "$S"/cpu*/cache/index*; do
    [ "$(rd "$i"/level)" = "$llc_level" ] && rd "$i"/shared_cpu_list
done | sort -u)
nllc=$(echo "$llcs" | count_lines)
ncore=$(for d in "$S"/cpu[0-9]*; do
    echo "$(rd "$d"/topology/physical_package_id):$(rd "$d"/topology/core_id)"
done | sort -u | count_lines)
ncpu=$(nproc)
nthr=$(( ncpu / (ncore > 0 ? ncore : 1) ))
echo "summary: cpus=$ncpu cores=$ncore threads/core=$nthr" \
    "LLC(L$llc_level)=$nllc [$(echo "$llcs" | tr '\n' ';' | sed 's/;$//')] numa_nodes=$nnode"

if [ -d /sys/kernel/debug/sched/domains/cpu0 ]; then
    echo "sched domains of cpu0:"
    for dom in /sys/kernel/debug/sched/domains/cpu0/domain*; do
        echo "  ${dom##*/}: $(rd "$dom"/name) flags=$(rd "$dom"/flags)"
    done
fi

why=
check() {   # check WHAT WANT HAVE
    [ -z "$2" ] || [ "$2" = "$3" ] || why="$why; want $2 $1, have $3"
}
check LLCs "${REQUIRE_LLCS:-}" "$nllc"
check "NUMA nodes" "${REQUIRE_NODES:-}" "$nnode"
check CPUs "${REQUIRE_CPUS:-}" "$ncpu"
check cores "${REQUIRE_CORES:-}" "$ncore"
check threads/core "${REQUIRE_THREADS:-}" "$nthr"
[ -z "$why" ] || fail "${why#; }"
pass "cpus=$ncpu cores=$ncore threads/core=$nthr LLCs=$nllc nodes=$nnode"
