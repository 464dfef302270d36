# SPDX-License-Identifier: GPL-2.0-only
# report.sh - turn bench/run.sh's samples into the markdown report: the
# exec -> test start table, the targets of issue 6 with their verdicts, and
# the detail tables.  Sourced by run.sh; reads $SAMPLES ("METRIC<TAB>VALUE").

# stats METRIC: "median min p95 n" of the metric's values ("n/a n/a n/a 0"
# if none); 4 significant digits, whole numbers from 10000 on
stats() {
    awk -F '\t' -v m="$1" '$1 == m { print $2 }' "$SAMPLES" | sort -g |
        awk 'function f(x) { return x >= 10000 ? sprintf("%.0f", x) : sprintf("%.4g", x) }
             { v[NR] = $1 }
             END {
                 if (!NR) { print "n/a n/a n/a 0"; exit }
                 med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                 p = int(0.95 * NR + 0.999999); if (p < 1) p = 1
                 print f(med), f(v[1]), f(v[p]), NR
             }'
}

# median / min of one metric
median() { stats "$1" | cut -d' ' -f1; }
minimum() { stats "$1" | cut -d' ' -f2; }

# calc EXPR: awk arithmetic, 3 significant digits; n/a if an operand is
calc() {
    case "$*" in *n/a*) echo "n/a"; return ;; esac
    awk "BEGIN { printf \"%.3g\", $* }"
}

# verdict VALUE OP LIMIT: "met" or "**missed**"
verdict() {
    [ "$1" != n/a ] || { echo "not measured"; return; }
    if awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then echo met; else echo "**missed**"; fi
}

# machine: the host as seen outside the namespaces (lscpu cannot read the
# synthetic sysfs trees), written by run.sh before entering them
machine() {
    cat "$BENCH_XCHG/machine.md"
    echo "- packer: $(cat "$BENCH_XCHG/pack-version"); 0.6.0 bash runfiles: tests/helpers/mkbashrun"
    echo "- the whole run at nice ${BENCH_NICE:--20}, so that other work on the machine yields to it"
}

e2t_table() {
    local size cpus sched g z b
    echo "| payload | CPUs | scheduler | bash 0.6.0 | ours, gzip | ours, zstd | gzip / bash | zstd / bash |"
    echo "|---|---|---|---|---|---|---|---|"
    for size in $SIZES; do
        for cpus in 2 256; do
            for sched in no yes; do
                b=$(median "e2t/bash/$size/$cpus/$sched")
                g=$(median "e2t/gzip/$size/$cpus/$sched")
                z=$(median "e2t/zstd/$size/$cpus/$sched")
                printf '| %s MiB | %s | %s | %s (%s) | %s (%s) | %s (%s) | %s | %s |\n' \
                    "$size" "$cpus" "$( [ "$sched" = yes ] && echo "attach 50 ms" || echo none)" \
                    "$b" "$(minimum "e2t/bash/$size/$cpus/$sched")" \
                    "$g" "$(minimum "e2t/gzip/$size/$cpus/$sched")" \
                    "$z" "$(minimum "e2t/zstd/$size/$cpus/$sched")" \
                    "$(calc "$g / $b")" "$(calc "$z / $b")"
            done
        done
    done
}

targets_table() {
    local v r g b z t2 t256 att ex lim sz sb stub rss pk tar
    echo "| target | measured | limit | verdict |"
    echo "|---|---|---|---|"
    for f in gzip zstd; do
        v=$(median "e2t/$f/1/2/no")
        echo "| 1 MiB, 2 CPUs, no scheduler ($f), exec -> test start (median; min $(minimum "e2t/$f/1/2/no") ms) | $v ms | <= 5 ms | $(verdict "$v" '<=' 5) |"
    done
    b=$(median "e2t/bash/64/256/yes")
    for f in gzip zstd; do
        g=$(median "e2t/$f/64/256/yes")
        r=$(calc "$g / $b")
        lim=$( [ $f = gzip ] && echo 0.25 || echo 0.12)
        echo "| 64 MiB, 256 CPUs, scheduler: $f / bash (medians; mins: $(calc "$(minimum "e2t/$f/64/256/yes") / $(minimum e2t/bash/64/256/yes)")) | $g / $b ms = $r | <= $lim | $(verdict "$r" '<=' "$lim") |"
    done
    t2=$(median topo/2) t256=$(median topo/256)
    v=$(calc "($t256 - $t2) / 1000")
    echo "| topology parse, 256 CPUs minus 2 CPUs (bench-topo: common/topology.c) | $t256 - $t2 us = $v ms | <= 2 ms | $(verdict "$v" '<=' 2) |"
    t2=$(median checks/gzip/2) t256=$(median checks/gzip/256)
    v=$(calc "$t256 - $t2")
    echo "| the stub's whole checks phase, 256 CPUs minus 2 CPUs (its phase line) | $t256 - $t2 ms = $v ms | <= 2 ms | $(verdict "$v" '<=' 2) |"
    att=$(awk -F '\t' '$1 ~ /^attachseries\// { print $2 }' "$SAMPLES" | sort -g |
          awk '{ v[NR] = $1 } END { p = int(0.95 * NR + 0.999999); if (NR) printf "%.3g", v[p]; else print "n/a" }')
    echo "| attach detection, state write -> test start, p95 | $att ms | <= 2 ms | $(verdict "$att" '<=' 2) |"
    ex=$(median extract/stub-gzip) lim=$(median extract/gzip-dc)
    r=$(calc "$ex / $lim")
    echo "| extraction (64 MiB, digest in the same pass) / gzip -dc | $ex / $lim ms = $r | <= 1.15 | $(verdict "$r" '<=' 1.15) |"
    sz=$(median size/gzip) sb=$(median size/bash)
    r=$(calc "$sz / $sb")
    echo "| runfile size, 64 MiB case, gzip / bash | $sz / $sb B = $r | <= 0.80 | $(verdict "$r" '<=' 0.80) |"
    stub=$(median size/stub-stripped)
    v=$(calc "$stub / 1048576")
    echo "| stub, stripped | $stub B = $v MiB | <= 1.5 MiB | $(verdict "$v" '<=' 1.5) |"
    for f in gzip zstd; do
        rss=$(median "rss/$f")
        v=$(calc "$rss / 1024")
        echo "| peak RSS extracting 256 MiB ($f) | $v MiB | <= 16 MiB | $(verdict "$v" '<=' 16) |"
    done
    for f in gzip zstd; do
        rss=$(median "rss8/$f")
        v=$(calc "$rss / 1024")
        echo "| peak RSS extracting 256 MiB ($f, 8 workers: bench-extract) | $v MiB | <= 16 MiB | $(verdict "$v" '<=' 16) |"
    done
    pk=$(median pack/ktstr-pack) tar=$(median pack/tar-czf)
    r=$(calc "$tar / $pk")
    echo "| packing throughput, ktstr-pack / tar czf | $(calc "$(median pack/bytes) / 1048576 / $pk * 1000") / $(calc "$(median pack/bytes) / 1048576 / $tar * 1000") MiB/s = $r | >= 0.9 | $(verdict "$r" '>=' 0.9) |"
}

details() {
    local f c s
    echo "### Attach detection: the fake scheduler's state write -> test start (ms)"
    echo
    echo "| runs | format | p50 | p95 | min | n |"
    echo "|---|---|---|---|---|---|"
    for f in gzip zstd; do
        read -r m mn p n <<< "$(stats "attachseries/$f")"
        echo "| series (1 MiB, 2 CPUs) | $f | $m | $p | $mn | $n |"
    done
    for f in $FORMATS; do
        for s in $SIZES; do
            for c in 2 256; do
                read -r m mn p n <<< "$(stats "attach/$f/$s/$c")"
                echo "| cells ($s MiB, $c CPUs) | $f | $m | $p | $mn | $n |"
            done
        done
    done
    echo
    echo "In every format the scheduler starts only after the whole payload is"
    echo "extracted (ours: and its digest has matched, stub/run.c; bash: its tar -x"
    echo "has ended), so no extraction runs after the attach: in the 64 MiB cells"
    echo "as in the 1 MiB ones, the figure is the detection and the test's start."
    echo
    echo "### The stub's checks phase (its phase line), median ms"
    echo
    echo "| CPUs | gzip | zstd |"
    echo "|---|---|---|"
    for c in 2 256; do
        echo "| $c | $(median "checks/gzip/$c") | $(median "checks/zstd/$c") |"
    done
    echo
    echo "### Topology parse (bench-topo, common/topology.c, 200 warm calls), median us"
    echo
    echo "| 2 CPUs | 256 CPUs ($TOPO_BIG) |"
    echo "|---|---|"
    echo "| $(median topo/2) | $(median topo/256) |"
    echo
    echo "### Extraction of the 64 MiB payload to tmpfs, median (min) ms"
    echo
    echo "| gzip -dc > file | stub --extract (gzip) | zstd -dc > file | stub --extract (zstd) |"
    echo "|---|---|---|---|"
    echo "| $(median extract/gzip-dc) ($(minimum extract/gzip-dc)) | $(median extract/stub-gzip) ($(minimum extract/stub-gzip)) | $(median extract/zstd-dc) ($(minimum extract/zstd-dc)) | $(median extract/stub-zstd) ($(minimum extract/stub-zstd)) |"
    echo
    echo "The stub's figure is the whole process: footer and spec, every chunk read,"
    echo "inflated, hashed (SHA-256 of the payload, checked before it returns) and"
    echo "written as files; gzip -dc / zstd -dc only inflate one stream to one file."
    echo
    echo "### Inflate, one core, the 64 MiB payload's chunks (bench-inflate), MiB/s"
    echo
    echo "| zlib (gzip) | libdeflate (gzip) | zstd | SHA-256 of compressed bytes |"
    echo "|---|---|---|---|"
    echo "| $(median inflate/gzip/zlib) | $(median inflate/gzip/libdeflate) | $(median inflate/zstd/zstd) | $(median inflate/gzip/sha256) |"
    echo
    echo "### Sizes (64 MiB case, with scheduler), bytes"
    echo
    echo "| runner | bash 0.6.0 runfile | ours, gzip | ours, zstd | stub (stripped) |"
    echo "|---|---|---|---|---|"
    echo "| $(median size/runner-64) | $(median size/bash) | $(median size/gzip) | $(median size/zstd) | $(median size/stub-stripped) |"
    echo
    echo "### Packing the 64 MiB set ($(median pack/bytes) bytes), median (min) ms"
    echo
    echo "| ktstr-pack (gzip, all CPUs) | tar czf |"
    echo "|---|---|"
    echo "| $(median pack/ktstr-pack) ($(minimum pack/ktstr-pack)) | $(median pack/tar-czf) ($(minimum pack/tar-czf)) |"
}

report() {
    echo "# Performance"
    echo
    echo "Measured by \`$BENCH_CMD\` (bench/run.sh), as root, in the hermetic"
    echo "namespace harness: synthetic sched_ext and sysfs topology trees on tmpfs, a"
    echo "real cgroup2, the fake scheduler (attach 50 ms after its start, 2 ms in"
    echo "\"enabling\") and the sample test.  Every format runs the same padded runner"
    echo "(the sample test followed by ELF bytes from /usr/lib, 1 or 64 MiB), the same"
    echo "scheduler and include, on the same trees, interleaved, $BENCH_REPS repetitions."
    echo "Times: CLOCK_MONOTONIC just before exec of the runfile (bench-launch) to"
    echo "the sample test's first instruction (its test.stamp)."
    echo
    echo "## Machine"
    echo
    machine
    echo
    echo "## Exec -> test start, ms: median (min)"
    echo
    e2t_table
    echo
    echo "## Targets (issue 6), ratios from the same run"
    echo
    targets_table
    echo
    echo "## Details"
    echo
    details
}
