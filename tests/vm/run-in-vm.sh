#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-in-vm.sh - boot the cached sched_ext-capable kernel in QEMU with a
# busybox-only initramfs (no bash in the guest), run GUEST_SCRIPT inside it,
# and exit with the guest script's exit status. Does not need root.
#
# Usage:
#   run-in-vm.sh [options] CACHE GUEST_SCRIPT [FILE...]
#
#   CACHE         directory filled by build-cache.sh (vmlinuz, busybox, ...)
#   GUEST_SCRIPT  POSIX sh script run by busybox ash in the guest after the
#                 standard mounts (proc, sysfs, devtmpfs, cgroup2 with all
#                 controllers enabled, tmpfs /tmp and /run, bpffs, debugfs,
#                 tracefs); cwd=/opt, PATH starts with /opt. It can source
#                 /guest-lib.sh (this directory's guest-lib.sh).
#   FILE...       files/directories copied (dereferenced) into the guest's /opt
#
# Options:
#   --smp SPEC        qemu -smp value (default 2), e.g. 8,sockets=2,cores=2,threads=2
#   --mem MB          guest RAM in MiB (default 1024, or 1024*N with --numa N)
#   --numa N          N NUMA nodes: CPUs split into N equal contiguous ranges,
#                     RAM split equally (one memory-backend-ram per node)
#   --numa SPEC       anything that is not a plain number is passed verbatim as
#                     "-numa SPEC" (repeatable; add memdevs with --qemu-arg)
#   --qemu-arg ARG    append one raw argument to the qemu command line (repeatable)
#   --append ARGS     extra kernel command line
#   --env K=V         exported in the guest before GUEST_SCRIPT runs (repeatable)
#   --timeout SEC     wall-clock limit for the whole VM (default 300)
#   --boot-timeout SEC
#                     the guest /init must print its VM-BOOT line within SEC
#                     (default 120, env VM_BOOT_TIMEOUT): a boot that hangs
#                     before it (seen once in many hundred TCG boots on a
#                     loaded host: no console output at all) is killed and
#                     booted again, once; its console is kept in LOG.hung
#   --accel A         qemu -accel value (also env VM_ACCEL). Default: kvm when
#                     /dev/kvm can be opened read-write AND a KVM guest boots
#                     this kernel (probed once per host boot, remembered in
#                     $TMPDIR/run-in-vm-kvm-probe.<uid>), else tcg,thread=single
#                     (multi-threaded TCG randomly oopses these kernels when
#                     they patch their own code). kvm* implies -cpu host, TCG
#                     -cpu max,vendor=GenuineIntel (override with env VM_CPU).
#   --kernel PATH     kernel image (default CACHE/vmlinuz)
#   --arch A          guest architecture: x86_64 (default) or aarch64 (also
#                     env VM_ARCH). aarch64 boots qemu-system-aarch64
#                     -machine virt -cpu max,pauth-impdef=on, console
#                     ttyAMA0, under TCG unless --accel says otherwise;
#                     its CACHE comes from build-cache-arm64.sh
#   --log FILE        also keep the console log in FILE
#   --keep            keep the temporary work dir (initramfs, console log)
#   -h, --help        this text
#
# Environment: QEMU (default qemu-system-x86_64, or qemu-system-aarch64 with
# --arch aarch64), BUSYBOX (default CACHE/busybox), GUEST_LIB (default
# guest-lib.sh next to this script), VM_ACCEL, VM_ARCH, VM_CPU, TMPDIR.
#
# Exit status: the guest script's exit status, taken from the last
# "VM-EXIT=<n>" line the guest /init prints on the serial console;
# 124 timeout (no marker within --timeout); 125 the VM ended without a
# marker (kernel panic or oops, init crash, qemu error); 130 interrupted by
# a signal (SIGINT/SIGTERM/SIGHUP to this script or to its process group:
# qemu is stopped first); 2 usage or setup error.
set -euo pipefail

me=${0##*/}
here=$(dirname "$(readlink -f "$0")")
die() { echo "$me: $*" >&2; exit 2; }
usage() {   # usage RC: the header comment, on stderr unless RC is 0
    if [ "${1:-2}" = 0 ]; then exec 3>&1; else exec 3>&2; fi
    sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&3
    exit "${1:-2}"
}

SMP=2 MEM="" NUMA_N="" TIMEOUT=300 APPEND="" KERNEL="" LOG="" KEEP=0
BOOT_TIMEOUT=${VM_BOOT_TIMEOUT:-120}
ACCEL=${VM_ACCEL:-}
ARCH=${VM_ARCH:-x86_64}
NUMA_RAW=() QEMU_EXTRA=() ENVS=()
while [ $# -gt 0 ]; do
    case "$1" in
    --smp)      SMP=${2:?--smp needs a value}; shift 2 ;;
    --mem|-m)   MEM=${2:?--mem needs a value}; shift 2 ;;
    --numa)     if [[ ${2:?--numa needs a value} =~ ^[0-9]+$ ]]; then NUMA_N=$2; else NUMA_RAW+=("$2"); fi
                shift 2 ;;
    --qemu-arg) QEMU_EXTRA+=("${2?--qemu-arg needs a value}"); shift 2 ;;
    --append)   APPEND="$APPEND ${2?--append needs a value}"; shift 2 ;;
    --env)      [[ ${2:-} == [A-Za-z_]*=* ]] || die "--env wants K=V"; ENVS+=("$2"); shift 2 ;;
    --timeout)  TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --boot-timeout) BOOT_TIMEOUT=${2:?--boot-timeout needs a value}; shift 2 ;;
    --accel)    ACCEL=${2:?--accel needs a value}; shift 2 ;;
    --kernel)   KERNEL=${2:?--kernel needs a value}; shift 2 ;;
    --arch)     ARCH=${2:?--arch needs a value}; shift 2 ;;
    --log)      LOG=${2:?--log needs a value}; shift 2 ;;
    --keep)     KEEP=1; shift ;;
    -h|--help)  usage 0 ;;
    --)         shift; break ;;
    -*)         die "unknown option $1 (see --help)" ;;
    *)          break ;;
    esac
done
[ $# -ge 2 ] || usage 2
CACHE=$1 GUEST=$2; shift 2
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "--timeout wants whole seconds"
[[ $BOOT_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--boot-timeout wants whole seconds (> 0)"
[[ -z $MEM || $MEM =~ ^[0-9]+$ ]] || die "--mem wants MiB"
KERNEL=${KERNEL:-$CACHE/vmlinuz}
[ -r "$KERNEL" ] || die "no kernel at $KERNEL (run build-cache.sh first)"
[ -r "$GUEST" ] || die "guest script $GUEST not readable"
GUEST_LIB=${GUEST_LIB:-$here/guest-lib.sh}
[ -r "$GUEST_LIB" ] || die "guest library $GUEST_LIB not readable"
for f in "$@"; do [ -e "$f" ] || die "no such file: $f"; done

# per guest architecture: qemu binary, its Debian package, board, console
case "$ARCH" in
x86_64)  QEMU=${QEMU:-qemu-system-x86_64} QEMU_PKG=qemu-system-x86 MACHINE=() CONSOLE=ttyS0 ;;
aarch64) QEMU=${QEMU:-qemu-system-aarch64} QEMU_PKG=qemu-system-arm MACHINE=(-machine virt)
         CONSOLE=ttyAMA0 ;;
*)       die "--arch $ARCH: x86_64 or aarch64" ;;
esac
command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install -t <host release> $QEMU_PKG)"
command -v cpio >/dev/null || die "cpio not found (apt-get install -t <host release> cpio)"
BUSYBOX=${BUSYBOX:-}
if [ -z "$BUSYBOX" ]; then
    for b in "$CACHE/busybox" /bin/busybox /usr/bin/busybox; do
        [ -x "$b" ] && { BUSYBOX=$b; break; }
    done
fi
[ -n "$BUSYBOX" ] || die "no busybox (run build-cache.sh, or install busybox-static)"
if ldd "$BUSYBOX" >/dev/null 2>&1; then
    die "$BUSYBOX is dynamically linked; use busybox-static or set BUSYBOX="
fi

# ---- topology --------------------------------------------------------------
# number of vCPUs: leading number of the -smp spec, else the product of
# sockets*dies*clusters*cores*threads
ncpus=${SMP%%,*}
if ! [[ $ncpus =~ ^[0-9]+$ ]]; then
    ncpus=1
    for k in sockets dies clusters cores threads; do
        if [[ ,$SMP, =~ ,$k=([0-9]+), ]]; then ncpus=$((ncpus * BASH_REMATCH[1])); fi
    done
fi
NUMA_ARGS=()
if [ -n "$NUMA_N" ]; then
    [ "$NUMA_N" -ge 1 ] || die "--numa N needs N >= 1"
    [ $((ncpus % NUMA_N)) -eq 0 ] || die "$ncpus CPUs do not split evenly into $NUMA_N nodes"
    MEM=${MEM:-$((1024 * NUMA_N))}
    [ $((MEM % NUMA_N)) -eq 0 ] || die "--mem $MEM does not split evenly into $NUMA_N nodes"
    per=$((ncpus / NUMA_N))
    for ((n = 0; n < NUMA_N; n++)); do
        NUMA_ARGS+=(-object "memory-backend-ram,id=vmmem$n,size=$((MEM / NUMA_N))M"
                    -numa "node,nodeid=$n,cpus=$((n * per))-$((n * per + per - 1)),memdev=vmmem$n")
    done
fi
for s in ${NUMA_RAW[@]+"${NUMA_RAW[@]}"}; do NUMA_ARGS+=(-numa "$s"); done
MEM=${MEM:-1024}

work=$(mktemp -d "${TMPDIR:-/tmp}/run-in-vm.XXXXXX")
probe_pid=
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    if [ -n "$probe_pid" ]; then kill -KILL "$probe_pid" 2>/dev/null || true; fi
    if [ "$KEEP" = 1 ]; then echo "$me: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---- accelerator -------------------------------------------------------------
# /dev/kvm opening read-write is necessary but not sufficient: under broken
# nested virtualisation KVM_CREATE_VM works and the guest then dies with "KVM
# internal error ... emulation failure" and qemu hangs, paused. So the first
# time on each host boot, boot this kernel under KVM with a trivial init and
# remember whether it reached userspace.
kvm_opens() { [ -c /dev/kvm ] && ( exec 3<>/dev/kvm ) 2>/dev/null; }
kvm_boots() {
    local key state p=$work/kvm-probe t=0 verdict=fail
    key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $(stat -L -c %d:%i:%s:%Y "$KERNEL") $QEMU"
    state=${TMPDIR:-/tmp}/run-in-vm-kvm-probe.$(id -u)
    if [ -f "$state" ] && [ "$(sed -n 1p "$state")" = "$key" ]; then
        [ "$(sed -n 2p "$state")" = ok ]
        return
    fi
    mkdir -p "$p/root/bin" "$p/root/dev" "$p/root/proc"
    cp "$BUSYBOX" "$p/root/bin/busybox"
    ln -s busybox "$p/root/bin/sh"
    printf '%s\n' '#!/bin/sh' '/bin/busybox mount -t devtmpfs devtmpfs /dev' \
        'exec </dev/console >/dev/console 2>&1' '/bin/busybox echo KVM-PROBE-OK' \
        '/bin/busybox poweroff -f' > "$p/root/init"
    chmod 0755 "$p/root/init"
    (cd "$p/root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 > "$p/initrd.gz"
    "$QEMU" -accel kvm -cpu host -m 256 -smp 1 -kernel "$KERNEL" -initrd "$p/initrd.gz" \
        -append "console=ttyS0 quiet panic=-1" -nodefaults -display none -monitor none \
        -serial "file:$p/console" -no-reboot < /dev/null > "$p/qemu.err" 2>&1 &
    probe_pid=$!
    while [ "$t" -lt 300 ]; do          # 30 s at most
        if grep -q KVM-PROBE-OK "$p/console" 2>/dev/null; then verdict=ok; break; fi
        grep -q 'KVM internal error\|emulation failure' "$p/qemu.err" && break
        kill -0 "$probe_pid" 2>/dev/null || break
        sleep 0.1; t=$((t + 1))
    done
    kill -KILL "$probe_pid" 2>/dev/null || true
    wait "$probe_pid" 2>/dev/null || true
    probe_pid=
    printf '%s\n%s\n' "$key" "$verdict" > "$state.$$" && mv -f "$state.$$" "$state"
    echo "$me: KVM probe: $verdict after $((t / 10)).$((t % 10))s" \
        "($(grep -m1 -o 'KVM internal error.*\|emulation failure' "$p/qemu.err" || echo "guest reached /init"))" >&2
    [ "$verdict" = ok ]
}
if [ -z "$ACCEL" ]; then
    # (the probe boots an x86 guest: KVM runs a guest of the host's own kind only)
    if [ "$ARCH" = x86_64 ] && [ "$(uname -m)" = x86_64 ] && kvm_opens && kvm_boots; then
        ACCEL=kvm
    else
        ACCEL=tcg,thread=single
    fi
fi
case "$ACCEL:$ARCH" in
kvm*)          CPU=${VM_CPU:-host} ;;
# pauth-impdef: QEMU's own pointer-authentication hash instead of the
# architected QARMA one, which TCG emulates slowly (boot 16 s -> 4 s here)
*:aarch64)     CPU=${VM_CPU:-max,pauth-impdef=on} ;;
*)             CPU=${VM_CPU:-max,vendor=GenuineIntel} ;;   # Intel: L3 per socket/die
esac

# ---- initramfs -------------------------------------------------------------
root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,opt,root,etc}
cp "$BUSYBOX" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
# /dev/console gives /init a stdin/stdout before devtmpfs is mounted; without
# root privileges there is none, and /init re-opens it after mounting.
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
install -m 0755 "$GUEST" "$root/guest.sh"
install -m 0644 "$GUEST_LIB" "$root/guest-lib.sh"
for f in "$@"; do cp -RL "$f" "$root/opt/"; done
: > "$root/etc/vm.env"
for e in ${ENVS[@]+"${ENVS[@]}"}; do   # POSIX single quoting for ash
    v=${e#*=}; printf "export %s='%s'\n" "${e%%=*}" "${v//\'/\'\\\'\'}" >> "$root/etc/vm.env"
done
cat > "$root/init" <<'EOF'
#!/bin/sh
# PID 1 of the test VM (busybox ash, no bash anywhere). Standard mounts, run
# /guest.sh, print the marker VM-EXIT=<status> on the console, power off.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s
# should a future busybox carry a "bash" applet, do not offer it
/bin/busybox rm -f /bin/bash /usr/bin/bash
export PATH=/opt:/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mkdir -p /sys/fs/cgroup /dev/pts /dev/shm
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
# make every cgroup2 controller available to child cgroups
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
    echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
done
ip link set lo up 2>/dev/null
. /etc/vm.env
echo "VM-BOOT: kernel=$(uname -r) cpus=$(nproc) uptime=$(cut -d' ' -f1 /proc/uptime)s"
cd /opt
/bin/sh /guest.sh
rc=$?
# the 8250 driver sends from an interrupt-driven buffer: let it drain before
# powering off so the marker is not cut off
echo "VM-EXIT=$rc"
sleep 0.2
poweroff -f
EOF
chmod 0755 "$root/init"
(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 > "$work/initrd.gz"

# ---- boot ------------------------------------------------------------------
log=$work/console.log
cmd=("$QEMU" ${MACHINE[@]+"${MACHINE[@]}"} -accel "$ACCEL" -cpu "$CPU" -m "$MEM" -smp "$SMP"
     ${NUMA_ARGS[@]+"${NUMA_ARGS[@]}"}
     -kernel "$KERNEL" -initrd "$work/initrd.gz"
     -append "console=$CONSOLE quiet panic=-1 oops=panic$APPEND"
     -nodefaults -display none -monitor none -serial stdio -no-reboot
     ${QEMU_EXTRA[@]+"${QEMU_EXTRA[@]}"})
echo "$me: ${cmd[*]}" >&2
t0=$(date +%s.%N)
# boot_once: one boot, its console in $log; sets qrc, and hung=1 when the
# guest printed no VM-BOOT line within BOOT_TIMEOUT (qemu then killed).
# qemu runs in the background so that a signal to this script is handled at
# once (a trap set on a foreground pipeline would wait for it to finish).
# --foreground keeps qemu in our process group: Ctrl-C reaches it directly.
# tee -p: keep writing the log when our stdout goes away.
boot_once() {
    rm -f "$work/console.fifo" "$work/boot-hung"
    mkfifo "$work/console.fifo"
    tee -p "$log" < "$work/console.fifo" &
    tee_pid=$!
    timeout --foreground -k 10 "$TIMEOUT" "${cmd[@]}" < /dev/null > "$work/console.fifo" 2>&1 &
    qpid=$!
    # the boot watchdog: a boot that never reaches /init is not the case's
    # failure but the emulator's; it is told apart by the VM-BOOT line
    (
        for _ in $(seq "$BOOT_TIMEOUT"); do
            sleep 1
            kill -0 "$qpid" 2>/dev/null || exit 0
            tr -d '\r' < "$log" 2>/dev/null | grep -q '^VM-BOOT: ' && exit 0
        done
        : > "$work/boot-hung"
        kill -TERM "$qpid" 2>/dev/null
    ) &
    watch_pid=$!
    while kill -0 "$qpid" 2>/dev/null; do
        wait "$qpid" || true      # returns early when a trapped signal arrives
    done
    qrc=0
    wait "$qpid" || qrc=$?        # bash keeps the status of a reaped child
    wait "$tee_pid" || true
    kill "$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
    hung=0
    [ -e "$work/boot-hung" ] && [ -z "$interrupted" ] && hung=1
    return 0
}
interrupted=
# shellcheck disable=SC2317  # run by the signal traps
on_signal() {
    interrupted=$1
    kill -TERM "$qpid" 2>/dev/null || true   # timeout forwards it to qemu
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP
boot_once
if [ "$hung" = 1 ]; then
    echo "$me: no VM-BOOT line within ${BOOT_TIMEOUT}s: the boot hung before /init" \
        "(console: $(tr -d '\r' < "$log" | wc -l) lines); booting again, once" >&2
    cp "$log" "$work/console-hung.log"
    [ -z "$LOG" ] || cp "$log" "$LOG.hung"
    boot_once
fi
trap - INT TERM HUP
t1=$(date +%s.%N)
[ -z "$LOG" ] || cp "$log" "$LOG"
if [ "$hung" = 1 ]; then
    echo "$me: TIMEOUT: the boot hung before /init twice (no VM-BOOT line within ${BOOT_TIMEOUT}s)" >&2
    exit 124
fi
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
boot=$(tr -d '\r' < "$log" | sed -n 's/^VM-BOOT: .* uptime=\([0-9.]*\)s$/\1/p' | tail -n 1)

if [ -n "$interrupted" ]; then
    echo "$me: interrupted by SIG$interrupted, qemu stopped (qemu rc=$qrc, ${secs}s wall)" >&2
    exit 130
fi
rc=$(tr -d '\r' < "$log" | sed -n 's/^VM-EXIT=\([0-9][0-9]*\)$/\1/p' | tail -n 1)
[ -n "$rc" ] || rc=$(tr -d '\r' < "$log" | sed -n 's/.*VM-EXIT=\([0-9][0-9]*\).*/\1/p' | tail -n 1)
if [ -n "$rc" ]; then
    echo "$me: guest exit status $rc (accel=$ACCEL, qemu rc=$qrc, ${secs}s wall," \
        "guest /init at ${boot:-?}s uptime)" >&2
    exit "$rc"
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
    echo "$me: TIMEOUT after ${TIMEOUT}s without a VM-EXIT marker" >&2
    exit 124
fi
if grep -q 'terminating on signal' "$log"; then   # e.g. a kill of our process group
    echo "$me: qemu was killed by a signal (${secs}s wall)" >&2
    exit 130
fi
echo "$me: VM ended without a VM-EXIT marker (accel=$ACCEL, qemu rc=$qrc, ${secs}s wall)" >&2
exit 125
