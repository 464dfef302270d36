#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-cache-arm64.sh - fill the aarch64 real-kernel VM cache used by
# `run-in-vm.sh --arch aarch64`: Debian's arm64 kernel with sched_ext, a
# static arm64 scx_simple cross-built from that kernel's own
# tools/sched_ext, and a static arm64 busybox.
#
# Usage: build-cache-arm64.sh [CACHE]      (default /var/tmp/ktstr-vm-arm64)
#
# What it does (the conventions of build-cache.sh, which it runs first):
#   1. runs build-cache.sh for the x86_64 cache ($AMD64_CACHE): that gives
#      the $KSUITE build chroot with clang, bpftool, python3 and
#      linux-source (and exits 77 when the Debian archive is unreachable);
#   2. inside that chroot only (never on the host) adds the arm64
#      architecture and installs the cross compiler and the arm64 static
#      libraries scx_simple links (gcc-aarch64-linux-gnu,
#      libc6-dev-arm64-cross, libelf-dev:arm64, zlib1g-dev:arm64,
#      libzstd-dev:arm64) from $KSUITE;
#   3. resolves linux-image-arm64 in $KSUITE -> <krel> -> linux-binary-<krel>
#      (linux-image-<krel> on old packaging); stops if CACHE is current;
#   4. downloads the kernel, its config (linux-base-<krel>) and
#      busybox-static:arm64; refuses a kernel whose config lacks
#      CONFIG_SCHED_CLASS_EXT=y or whose BTF lacks struct sched_ext_ops;
#   5. takes the kernel's BTF out of the arm64 Image (an uncompressed Image
#      is no ELF file, so bpftool cannot read it as a vmlinux; the .BTF
#      blob sits in it as is) and cross-builds $SCHEDS with tools/sched_ext's
#      Makefile (ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-).
#
# Environment (all optional): KSUITE, SUITE, CHROOT, MIRROR, FORCE=1,
# OFFLINE_OK, APT_IGNORE_VALID_UNTIL as for build-cache.sh (and passed to
# it); AMD64_CACHE (default /var/tmp/ktstr-vm); SCHEDS (default scx_simple).
#
# Output in CACHE: vmlinuz (the arm64 Image), btf (the kernel's raw BTF),
# vmlinux.h, config, the static schedulers, busybox, versions.env (written
# last: its presence marks a complete cache), and the logs.
#
# Exit status: 0 cache ready; 77 the Debian archive is unreachable (callers
# SKIP); 2 usage error; 1 any other error.
set -euo pipefail

me=${0##*/}
here=$(dirname "$(readlink -f "$0")")
log() { echo "[$me $(date +%T)] $*" >&2; }
die() { echo "$me: error: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

case "${1:-}" in
-h|--help) sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
-*) echo "$me: unknown option $1 (usage: $me [CACHE])" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "usage: $me [CACHE]" >&2; exit 2; }

CACHE=$(realpath -m "${1:-/var/tmp/ktstr-vm-arm64}")
AMD64_CACHE=${AMD64_CACHE:-/var/tmp/ktstr-vm}
export KSUITE=${KSUITE:-trixie-backports}
export CHROOT=${CHROOT:-/var/tmp/ktstr-vm-chroot-$KSUITE}
SCHEDS=${SCHEDS:-scx_simple}
FORCE=${FORCE:-0}
OFFLINE_OK=${OFFLINE_OK:-1}
[ "$(id -u)" = 0 ] || die "must run as root (chroot)"
T_START=$(date +%s)

# ---- 1. the build chroot (and the x86_64 cache) ----------------------------
rc=0
"$here/build-cache.sh" "$AMD64_CACHE" || rc=$?
case $rc in
0) ;;
77) skip "build-cache.sh could not reach the Debian archive" ;;
*) die "build-cache.sh $AMD64_CACHE failed (exit $rc)" ;;
esac
[ -e "$CHROOT/.debootstrap-ok" ] || die "no build chroot at $CHROOT after build-cache.sh"

mkdir -p "$CACHE"
# the same locks as build-cache.sh: one build per cache and per chroot
exec 8> "$CACHE/.build.lock"
flock -w 1800 8 || die "timed out waiting for $CACHE/.build.lock"
exec 9> "$CHROOT.lock"
flock -w 1800 9 || die "timed out waiting for $CHROOT.lock"

in_chroot() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive chroot "$CHROOT" "$@"
}
capt() { in_chroot apt-get -q -o APT::Sandbox::User=root "$@"; }
acache() { in_chroot apt-cache -o APT::Default-Release="$KSUITE" "$@"; }
cache_complete() {
    [ -f "$CACHE/versions.env" ] && [ -s "$CACHE/vmlinuz" ] && [ -x "$CACHE/busybox" ] || return 1
    local s
    for s in $SCHEDS; do [ -x "$CACHE/$s" ] || return 1; done
}
mounted=0
cleanup() { if [ "$mounted" = 1 ]; then umount "$CHROOT/proc" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
if ! mountpoint -q "$CHROOT/proc"; then mount -t proc proc "$CHROOT/proc"; mounted=1; fi

# ---- 2. arm64 cross toolchain, inside the chroot ----------------------------
if ! in_chroot dpkg --print-foreign-architectures | grep -qx arm64; then
    in_chroot dpkg --add-architecture arm64
fi
t=$(date +%s)
if ! capt update > "$CACHE/apt-update.log" 2>&1; then
    grep -E '^(E|W):' "$CACHE/apt-update.log" | head -5 >&2 || true
    if [ "$OFFLINE_OK" = 1 ] && [ "$FORCE" != 1 ] && cache_complete; then
        log "warning: apt-get update failed in the chroot; using $CACHE as is"
        exit 0
    fi
    skip "apt-get update in the chroot failed (see $CACHE/apt-update.log)"
fi
log "chroot apt-get update (with arm64) in $(( $(date +%s) - t ))s"

# ---- 3. resolve the kernel -------------------------------------------------
KREL=$(acache depends linux-image-arm64:arm64 |
       sed -n 's/^ *Depends: linux-image-\([0-9][^ :]*\)\(:arm64\)\{0,1\}$/\1/p' | head -n 1)
[ -n "$KREL" ] || die "cannot resolve linux-image-arm64 in $KSUITE"
KPKG_VER=$(acache policy "linux-image-$KREL:arm64" | sed -n 's/^ *Candidate: //p')
case "$KPKG_VER" in ""|"(none)") die "no candidate for linux-image-$KREL:arm64" ;; esac
KMAJMIN=$(echo "$KREL" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
if acache show "linux-binary-$KREL:arm64" >/dev/null 2>&1; then
    KBIN_PKG=linux-binary-$KREL
else
    KBIN_PKG=linux-image-$KREL
fi
log "newest arm64 kernel in $KSUITE: $KBIN_PKG $KPKG_VER (release $KREL)"

if [ "$FORCE" != 1 ] && cache_complete &&
   grep -qxF "KPKG_VER=$KPKG_VER" "$CACHE/versions.env" &&
   grep -qxF "KREL=$KREL" "$CACHE/versions.env" &&
   grep -qxF "SCHEDS=\"$SCHEDS\"" "$CACHE/versions.env"; then
    log "cache $CACHE is up to date ($KREL, $KPKG_VER) after $(( $(date +%s) - T_START ))s; FORCE=1 rebuilds"
    exit 0
fi
rm -f "$CACHE/versions.env"

t=$(date +%s)
# libelf-dev:arm64 from $KSUITE like the amd64 one (Multi-Arch: same wants
# one version; trixie's 0.192 libelf.a is also unusable statically)
PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libelf-dev:arm64 zlib1g-dev:arm64
      libzstd-dev:arm64"
# shellcheck disable=SC2086
capt install -y --no-install-recommends -t "$KSUITE" $PKGS > "$CACHE/apt-install.log" 2>&1 ||
    { tail -20 "$CACHE/apt-install.log" >&2; die "cross toolchain install failed (see $CACHE/apt-install.log)"; }
log "chroot cross toolchain ready in $(( $(date +%s) - t ))s"

# ---- 4. kernel, config, busybox --------------------------------------------
B=/build-arm64/$KREL          # inside the chroot; build-cache.sh owns /build
HB=$CHROOT$B
rm -rf "$CHROOT/build-arm64"; mkdir -p "$HB/dl/x" "$HB/out" "$HB/src"
t=$(date +%s)
dl="'$KBIN_PKG:arm64=$KPKG_VER' busybox-static:arm64"
if [ "$KBIN_PKG" != "linux-image-$KREL" ] && acache show "linux-base-$KREL:arm64" >/dev/null 2>&1; then
    dl="$dl 'linux-base-$KREL:arm64=$KPKG_VER'"
fi
in_chroot sh -c "cd $B/dl && apt-get -q -o APT::Sandbox::User=root download $dl" \
    > "$CACHE/download.log" 2>&1 ||
    { tail -5 "$CACHE/download.log" >&2; die "cannot download $KBIN_PKG:arm64 / busybox-static:arm64"; }
for d in "$HB"/dl/*.deb; do dpkg-deb -x "$d" "$HB/dl/x"; done
VMLINUZ=$(find "$HB/dl/x" -type f \( -name vmlinuz -o -name "vmlinuz-$KREL" \) | head -n 1)
[ -n "$VMLINUZ" ] || die "no vmlinuz in $KBIN_PKG:arm64"
BB_VER=$(dpkg-deb -f "$HB"/dl/busybox-static_*.deb Version)
log "kernel and busybox downloaded in $(( $(date +%s) - t ))s"

KCONFIG=$(find "$HB/dl/x" -type f \( -path "*/boot/config-$KREL" -o -path "*/modules/$KREL/config" \) | head -n 1)
[ -n "$KCONFIG" ] || die "$KREL: no kernel config in linux-base-$KREL / $KBIN_PKG"
grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$KCONFIG" ||
    die "$KREL: CONFIG_SCHED_CLASS_EXT is not =y in ${KCONFIG#"$HB/dl/x"}"

# ---- 5. BTF, vmlinux.h, schedulers ------------------------------------------
# The .BTF section is a raw BTF blob: header magic 0xeb9f, version 1, a
# 24-byte header whose type and string sections follow back to back. Take
# the largest such blob (the kernel's own; it has all of vmlinux's types).
in_chroot python3 - "$B/dl/x/${VMLINUZ#"$HB/dl/x/"}" "$B/btf" <<'EOF' || die "no BTF found in the arm64 kernel image"
import struct, sys
data = open(sys.argv[1], "rb").read()
magic = b"\x9f\xeb\x01\x00\x18\x00\x00\x00"
best = None
i = data.find(magic)
while i >= 0:
    if i + 24 <= len(data):
        _, _, _, hlen, toff, tlen, soff, slen = struct.unpack_from("<HBBIIIII", data, i)
        end = i + hlen + soff + slen
        if toff == 0 and soff == tlen and slen and end <= len(data) and data[i + hlen + soff] == 0:
            if best is None or end - i > best[1] - best[0]:
                best = (i, end)
    i = data.find(magic, i + 1)
if best is None:
    sys.exit(1)
open(sys.argv[2], "wb").write(data[best[0]:best[1]])
EOF
# (grep -c, not -q: an early-exiting grep would SIGPIPE bpftool under pipefail)
in_chroot bpftool btf dump file "$B/btf" format raw | grep -c "STRUCT 'sched_ext_ops'" >/dev/null ||
    die "$KREL has no sched_ext (struct sched_ext_ops missing from its BTF)"
log "$KREL: CONFIG_SCHED_CLASS_EXT=y, struct sched_ext_ops in BTF ($(stat -c %s "$HB/btf") bytes)"

t=$(date +%s)
SRC_PKG=linux-source-$KMAJMIN
if acache madison "$SRC_PKG" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | grep -qxF "$KPKG_VER"; then
    SRC_SPEC="$SRC_PKG=$KPKG_VER"
else
    SRC_SPEC=$SRC_PKG
    log "warning: $SRC_PKG $KPKG_VER not in the archive, using the candidate version"
fi
capt install -y --no-install-recommends -t "$KSUITE" "$SRC_SPEC" >> "$CACHE/apt-install.log" 2>&1 ||
    { tail -20 "$CACHE/apt-install.log" >&2; die "cannot install $SRC_SPEC"; }
SRC_VER=$(in_chroot dpkg-query -W -f "\${Version}" "$SRC_PKG")
# libbpf's uapi headers include arch/arm64/include/uapi when ARCH=arm64
tar -xJf "$CHROOT/usr/src/$SRC_PKG.tar.xz" -C "$HB/src" --strip-components=1 \
    --wildcards "$SRC_PKG/tools/*" "$SRC_PKG/scripts/*" "$SRC_PKG/include/uapi/*" \
    "$SRC_PKG/arch/arm64/include/uapi/*"
log "linux-source $SRC_VER unpacked in $(( $(date +%s) - t ))s"

# Two steps: libbpf.a first with the plain cross compiler, because its
# sub-make also links libbpf.so, which a "-static" CC would break; then
# the schedulers with CC="aarch64-linux-gnu-gcc -static" (libbpf.a is then
# up to date and not rebuilt). The BPF side is clang -target bpf with
# -D__TARGET_ARCH_arm64 and vmlinux.h from this kernel's BTF.
t=$(date +%s)
mk() {
    in_chroot make -C "$B/src/tools/sched_ext" -j"$(nproc)" O="$B/out" ARCH=arm64 \
        CROSS_COMPILE=aarch64-linux-gnu- VMLINUX_BTF="$B/btf" BPFTOOL=/usr/sbin/bpftool "$@"
}
mk "$B/out/build/obj/libbpf/libbpf.a" > "$CACHE/build.log" 2>&1 ||
    { tail -30 "$CACHE/build.log" >&2; die "libbpf build failed (see $CACHE/build.log)"; }
# shellcheck disable=SC2086
mk CC="aarch64-linux-gnu-gcc -static" LDFLAGS="-lelf -lz -lzstd -lpthread" $SCHEDS \
    >> "$CACHE/build.log" 2>&1 ||
    { tail -30 "$CACHE/build.log" >&2; die "build failed (see $CACHE/build.log)"; }
log "built $SCHEDS for arm64 in $(( $(date +%s) - t ))s"

# ---- install into the cache ----------------------------------------------
is_static_arm64() {
    local h
    h=$(in_chroot readelf -lh "$1") || return 1
    echo "$h" | grep -c 'Machine:.*AArch64' >/dev/null &&
        ! echo "$h" | grep -c 'Requesting program interpreter' >/dev/null
}
for s in $SCHEDS; do
    [ -x "$HB/out/build/bin/$s" ] || die "$s was not built"
    is_static_arm64 "$B/out/build/bin/$s" || die "$s is not a static aarch64 program"
    in_chroot aarch64-linux-gnu-strip --strip-debug -o "$B/out/$s.stripped" "$B/out/build/bin/$s"
    install -m 0755 "$HB/out/$s.stripped" "$CACHE/$s.new" && mv -f "$CACHE/$s.new" "$CACHE/$s"
done
install -m 0644 "$VMLINUZ" "$CACHE/vmlinuz.new" && mv -f "$CACHE/vmlinuz.new" "$CACHE/vmlinuz"
mv -f "$HB/btf" "$CACHE/btf"
cp "$HB/out/build/include/vmlinux.h" "$CACHE/vmlinux.h"
cp "$KCONFIG" "$CACHE/config"
BB=$(find "$HB/dl/x" -type f -name busybox -perm -u+x | head -n 1)
[ -n "$BB" ] || die "no busybox binary in busybox-static:arm64"
is_static_arm64 "${BB#"$CHROOT"}" || die "busybox from busybox-static:arm64 is not a static aarch64 program"
install -m 0755 "$BB" "$CACHE/busybox.new" && mv -f "$CACHE/busybox.new" "$CACHE/busybox"

q() { in_chroot dpkg-query -W -f "\${Version}" "$1" 2>/dev/null || echo "?"; }
cat > "$CACHE/versions.env.new" <<EOF
# written by $me on $(date -u +%Y-%m-%dT%H:%M:%SZ)
ARCH=aarch64
KSUITE=$KSUITE
KREL=$KREL
KBIN_PKG=$KBIN_PKG
KPKG_VER=$KPKG_VER
KCONFIG_SCHED_CLASS_EXT=y
SRC_PKG=$SRC_PKG
SRC_VER=$SRC_VER
SCHEDS="$SCHEDS"
BUSYBOX_VER=$BB_VER
CROSS_GCC_VER=$(q gcc-aarch64-linux-gnu)
LIBC_CROSS_VER=$(q libc6-dev-arm64-cross)
LIBELF_VER=$(q libelf-dev:arm64)
LIBZSTD_VER=$(q libzstd-dev:arm64)
ZLIB_VER=$(q zlib1g-dev:arm64)
CLANG_VER=$(q clang)
BPFTOOL_VER=$(q bpftool)
EOF
mv -f "$CACHE/versions.env.new" "$CACHE/versions.env"
rm -rf "$CHROOT/build-arm64"
log "done in $(( $(date +%s) - T_START ))s: $CACHE"
ls -l "$CACHE" >&2
