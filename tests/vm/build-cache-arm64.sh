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
# shellcheck source-path=SCRIPTDIR source=cache-lib.sh
. "$here/cache-lib.sh"
cache_setup /var/tmp/ktstr-vm-arm64 "$@"
AMD64_CACHE=${AMD64_CACHE:-/var/tmp/ktstr-vm}
# build-cache.sh must use the same suite and chroot
export KSUITE CHROOT
[ "$(id -u)" = 0 ] || die "must run as root (chroot)"

# ---- 1. the build chroot (and the x86_64 cache) ----------------------------
rc=0
"$here/build-cache.sh" "$AMD64_CACHE" || rc=$?
case $rc in
0) ;;
77) skip "build-cache.sh could not reach the Debian archive" ;;
*) die "build-cache.sh $AMD64_CACHE failed (exit $rc)" ;;
esac
[ -e "$CHROOT/.debootstrap-ok" ] || die "no build chroot at $CHROOT after build-cache.sh"

cache_lock
chroot_traps
chroot_proc

# ---- 2. arm64 cross toolchain, inside the chroot ----------------------------
if ! in_chroot dpkg --print-foreign-architectures | grep -qx arm64; then
    in_chroot dpkg --add-architecture arm64
fi
t=$(date +%s)
if ! capt update > "$CACHE/apt-update.log" 2>&1; then
    grep -E '^(E|W):' "$CACHE/apt-update.log" | head -5 >&2 || true
    offline "apt-get update in the chroot failed (see $CACHE/apt-update.log)"
fi
log "chroot apt-get update (with arm64) in $(( $(date +%s) - t ))s"

# ---- 3. resolve the kernel -------------------------------------------------
resolve_kernel linux-image-arm64 :arm64 "arm64 "

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
rm -rf "$CHROOT/build-arm64"; mkdir -p "$HB/dl" "$HB/out" "$HB/src"
download_kernel :arm64
check_kconfig || die "$KREL: no kernel config in linux-base-$KREL / $KBIN_PKG"

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
check_btf "$B/btf"
log "$KREL: CONFIG_SCHED_CLASS_EXT=y, struct sched_ext_ops in BTF ($(stat -c %s "$HB/btf") bytes)"

# libbpf's uapi headers include arch/arm64/include/uapi when ARCH=arm64
linux_source "$HB/src" arch/arm64/include/uapi

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
install_programs :arm64 aarch64-linux-gnu-strip AArch64 "a static aarch64 program"
mv -f "$HB/btf" "$CACHE/btf"
cp "$KCONFIG" "$CACHE/config"

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
CROSS_GCC_VER=$(pkg_version gcc-aarch64-linux-gnu)
LIBC_CROSS_VER=$(pkg_version libc6-dev-arm64-cross)
LIBELF_VER=$(pkg_version libelf-dev:arm64)
LIBZSTD_VER=$(pkg_version libzstd-dev:arm64)
ZLIB_VER=$(pkg_version zlib1g-dev:arm64)
CLANG_VER=$(pkg_version clang)
BPFTOOL_VER=$(pkg_version bpftool)
EOF
cache_done "$CHROOT/build-arm64"
