#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make-seeds.sh - (re)write the seed corpora in tests/fuzz/corpus/ from
# real runfiles, made by the built ktstr-pack (and the conversion tests'
# mkbashrun for the bash format).  Run once, from the build directory;
# the seeds are checked in.  Small on purpose: the runfiles carry a
# 64-byte ELF header as their stub (--stub) and tiny members, so every
# byte of a seed is format, not program.
#   usage: make-seeds.sh SRCDIR   (in the build dir)
set -euo pipefail
SRC=${1:?usage: make-seeds.sh SRCDIR}
PACK=$PWD/ktstr-pack MKBASHRUN=$PWD/tests/helpers/mkbashrun
C=$SRC/tests/fuzz/corpus
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$C"/{footer,spec,runfile,extract,bashrun}

# a 64-byte ELF64 header for x86_64: what --stub needs, nothing else
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\076\000\001\000\000\000' > "$T/stub"
head -c 40 /dev/zero >> "$T/stub"
printf '#!/bin/sh\nexit 0\n' > "$T/runner"
printf 'sched\n' > "$T/sched"
printf 'cell_size=4\n' > "$T/cfg"
printf 'x' > "$T/inc"

n=0
seed() {   # seed NAME ktstr-pack-options...
    local name=$1 f=$T/$1.run size; shift
    "$PACK" --stub "$T/stub" --runner "$T/runner" -o "$f" "$@" t > /dev/null 2>&1
    size=$(stat -c %s "$f")
    # runfile, extract: [flags][file]; flags 3 = re-sign CRC, re-digest spec
    { printf '\003'; cat "$f"; } > "$C/runfile/$name"
    { printf '\003'; cat "$f"; } > "$C/extract/$name"
    # footer: [flags][file size, le64][footer]
    { printf '\001'; python3 -c "import sys; sys.stdout.buffer.write(($size).to_bytes(8, 'little'))"
      tail -c 128 "$f"; } > "$C/footer/$name"
    # spec: its bytes, located by the footer
    python3 - "$f" "$C/spec/$name" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
f = d[-128:]
off, ln = int.from_bytes(f[32:40], 'little'), int.from_bytes(f[40:48], 'little')
open(sys.argv[2], 'wb').write(d[off:off + ln])
PY
    n=$((n + 1))
}
seed eevdf-gzip
seed eevdf-none --compress none
seed eevdf-zstd --compress zstd
seed sched-args --scheduler "$T/sched" --sched-arg=-v --sched-arg='a b' --extra-sched-arg='' \
    --include "$T/inc" --duration 7 --watchdog 9 --llcs 2 --numa-nodes 2
seed sched-config --scheduler "$T/sched" --config-file "$T/cfg" --cgroup-parent /cells \
    --compress none
seed sched-inline --scheduler "$T/sched" --config-content "$T/cfg" \
    --config-arg '--cfg={file} -x' --config-name layers.json --compress zstd

# bash runfiles of cargo ktstr export 0.6.0
"$MKBASHRUN" -o "$C/bashrun/eevdf" --name t --runner "$T/runner"
"$MKBASHRUN" -o "$C/bashrun/sched" --name t --runner "$T/runner" --scheduler "$T/sched" \
    --sched-arg=-v --extra-sched-arg='a b' --cgroup-parent /cells --include "$T/inc"
"$MKBASHRUN" -o "$C/bashrun/config" --name t --runner "$T/runner" --scheduler "$T/sched" \
    --config-file "$T/cfg"
"$MKBASHRUN" -o "$C/bashrun/inline" --name t --runner "$T/runner" --scheduler "$T/sched" \
    --config-content "$T/cfg" --config-template '--cfg={file}' --config-guest-path /x/l.json
echo "wrote $n runfile seeds and 4 bash runfile seeds into $C"
