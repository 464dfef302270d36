#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-cache.sh - fill the real-kernel VM cache used by run-in-vm.sh: the
# newest Debian kernel with sched_ext, a static scx_simple built from that
# kernel's own tools/sched_ext, and a static busybox.
#
# Usage: build-cache.sh [CACHE]            (default /var/tmp/ktstr-vm)
#
# What it does:
#   1. checks that the Debian archive ($MIRROR) answers (else exit 77);
#   2. installs the host packages the VM tier needs when missing
#      (debootstrap, qemu-system-x86, cpio), from the host's OWN release only
#      (apt-get -t <host codename>); other suites are never added to the
#      host's apt sources;
#   3. debootstraps a build chroot of $SUITE (once) whose apt sees $SUITE,
#      $SUITE-updates and $KSUITE; everything from other suites happens there;
#   4. resolves, at run time, linux-image-amd64 in $KSUITE -> <krel> ->
#      linux-binary-<krel> (linux-image-<krel> on old packaging). If CACHE
#      already holds that exact kernel package version and the schedulers,
#      it stops here (a few seconds);
#   5. otherwise downloads the kernel and busybox-static, extracts vmlinux,
#      checks CONFIG_SCHED_CLASS_EXT=y (config from linux-base-<krel>, or
#      linux-image-<krel> on old packaging) and struct sched_ext_ops in its
#      BTF, unpacks linux-source of the same version and builds $SCHEDS
#      statically with tools/sched_ext's Makefile (libbpf.a from that tree,
#      BPF object embedded through a skeleton).
#
# Environment (all optional):
#   KSUITE   suite giving kernel, linux-source, bpftool, libelf
#            (default trixie-backports; sid also works)
#   SUITE    base suite of the build chroot (default: trixie when KSUITE is
#            trixie*, else KSUITE)
#   CHROOT   build chroot (default /var/tmp/ktstr-vm-chroot-$KSUITE; ~1.6 GB)
#   MIRROR   Debian archive URI (default: the first Debian URI of the host's
#            apt sources)
#   SCHEDS   schedulers from tools/sched_ext (default "scx_simple"; any of
#            scx_simple scx_cpu0 scx_qmap scx_central scx_flatcg scx_userland
#            scx_pair scx_sdt)
#   FORCE=1  rebuild even when the cache is current
#   APT_IGNORE_VALID_UNTIL=auto|0|1  accept expired Release files in the
#            chroot (auto: follow the host's Acquire::Check-Valid-Until)
#   OFFLINE_OK=1|0  when the archive is unreachable but CACHE is complete,
#            keep using it and exit 0 with a warning (default 1); with 0, or
#            with an incomplete cache, exit 77
#
# Output in CACHE: vmlinuz, vmlinux (with .BTF), vmlinux.h, config (kernel
# config, when the packages carry it), the static schedulers, busybox,
# versions.env (written last: its presence marks a complete cache), and the
# logs debootstrap.log, apt-install.log, build.log.
#
# Exit status: 0 cache ready; 77 the Debian archive is unreachable (one line
# on stderr saying why; callers should SKIP, not FAIL); 2 usage error;
# 1 any other error (not root, build failure, kernel without sched_ext, ...).
set -euo pipefail

me=${0##*/}
log() { echo "[$me $(date +%T)] $*" >&2; }
die() { echo "$me: error: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

case "${1:-}" in
-h|--help) sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
-*) echo "$me: unknown option $1 (usage: $me [CACHE])" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "usage: $me [CACHE]" >&2; exit 2; }

CACHE=$(realpath -m "${1:-/var/tmp/ktstr-vm}")
KSUITE=${KSUITE:-trixie-backports}
case "$KSUITE" in
trixie*) SUITE=${SUITE:-trixie} ;;
*)       SUITE=${SUITE:-$KSUITE} ;;
esac
CHROOT=${CHROOT:-/var/tmp/ktstr-vm-chroot-$KSUITE}
host_mirror() {   # the Debian archive the host's apt already uses
    { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n' |
          grep -m1 '/debian/\{0,1\}$'; } ||
        awk '$1 == "deb" && $2 ~ /^http/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null
}
MIRROR=${MIRROR:-$(host_mirror || true)}
MIRROR=${MIRROR%/}
SCHEDS=${SCHEDS:-scx_simple}
FORCE=${FORCE:-0}
OFFLINE_OK=${OFFLINE_OK:-1}
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap + chroot)"
[ "$(uname -m)" = x86_64 ] || die "x86_64 host required"
[ -n "$MIRROR" ] || die "no Debian mirror found in the host's apt sources; set MIRROR="
T_START=$(date +%s)

# ---- is the archive reachable? ---------------------------------------------
# Probe the Release files the chroot will need, with apt's own HTTP client
# (honours the host's apt proxy settings), bounded in time.
probe_url() {
    local url=$1 out rc=0
    out=$(mktemp)
    if [ -x /usr/lib/apt/apt-helper ]; then
        timeout 60 /usr/lib/apt/apt-helper -o Debug::NoLocking=1 \
            -o Acquire::http::Timeout=20 -o Acquire::Retries=1 \
            download-file "$url" "$out" >/dev/null 2>&1 || rc=$?
    elif command -v curl >/dev/null; then
        timeout 60 curl -fsS -m 50 -o "$out" "$url" >/dev/null 2>&1 || rc=$?
    else
        timeout 60 wget -q -T 20 -O "$out" "$url" >/dev/null 2>&1 || rc=$?
    fi
    [ -s "$out" ] || rc=1
    rm -f "$out"
    return "$rc"
}
cache_complete() {
    [ -f "$CACHE/versions.env" ] && [ -s "$CACHE/vmlinuz" ] && [ -x "$CACHE/busybox" ] || return 1
    local s
    for s in $SCHEDS; do [ -x "$CACHE/$s" ] || return 1; done
}
offline() {   # $1: reason
    if [ "$OFFLINE_OK" = 1 ] && [ "$FORCE" != 1 ] && cache_complete; then
        log "warning: $1; using the existing cache $CACHE as is" \
            "($(sed -n 's/^KREL=//p' "$CACHE/versions.env"), not checked for a newer kernel)"
        exit 0
    fi
    skip "Debian archive unreachable: $1"
}
for s in $SUITE $KSUITE; do
    probe_url "$MIRROR/dists/$s/InRelease" || probe_url "$MIRROR/dists/$s/Release" ||
        offline "cannot fetch $MIRROR/dists/$s/InRelease"
done

mkdir -p "$CACHE"
# One build per cache and per chroot at a time.
exec 8> "$CACHE/.build.lock"
flock -w 1800 8 || die "timed out waiting for $CACHE/.build.lock"
exec 9> "$CHROOT.lock"
flock -w 1800 9 || die "timed out waiting for $CHROOT.lock"

# ---- host prerequisites ------------------------------------------------------
# Only from the host's own release: other suites may be configured (e.g. at
# the same pin priority) and must never upgrade the host.
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v cpio >/dev/null || need+=(cpio)
if [ ${#need[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "missing ${need[*]} and no apt-get"
    rel=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"' | head -n 1)
    [ -n "$rel" ] || die "cannot tell the host's release codename (/etc/os-release)"
    log "installing on the host from $rel: ${need[*]}"
    hinst() {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            -t "$rel" "${need[@]}" > "$CACHE/host-apt.log" 2>&1
    }
    if ! hinst; then
        # stale lists: refresh (other configured sources may fail; that is fine)
        apt-get update -q >> "$CACHE/host-apt.log" 2>&1 || true
        hinst || { tail -5 "$CACHE/host-apt.log" >&2; die "cannot install ${need[*]} on the host"; }
    fi
fi

# ---- chroot --------------------------------------------------------------
in_chroot() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive chroot "$CHROOT" "$@"
}
capt() { in_chroot apt-get -q -o APT::Sandbox::User=root "$@"; }
umount_below() {   # unmount everything mounted under $1, deepest first
    local m
    awk -v p="$1/" 'index($2 "/", p) == 1 {print $2}' /proc/self/mounts | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
mounted=0
cleanup() { if [ "$mounted" = 1 ]; then umount "$CHROOT/proc" 2>/dev/null || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ ! -e "$CHROOT/.debootstrap-ok" ]; then
    if [ -e "$CHROOT" ]; then
        # an interrupted debootstrap may have left proc/sys mounted inside
        umount_below "$CHROOT"
        rm -rf --one-file-system "$CHROOT"
    fi
    log "debootstrap $SUITE -> $CHROOT ($MIRROR)"
    t=$(date +%s)
    if ! debootstrap --variant=minbase --components=main "$SUITE" "$CHROOT" "$MIRROR" \
            > "$CACHE/debootstrap.log" 2>&1; then
        umount_below "$CHROOT"
        probe_url "$MIRROR/dists/$SUITE/InRelease" || offline "debootstrap could not download from $MIRROR"
        tail -20 "$CACHE/debootstrap.log" >&2
        die "debootstrap failed (see $CACHE/debootstrap.log)"
    fi
    touch "$CHROOT/.debootstrap-ok"
    log "debootstrap done in $(( $(date +%s) - t ))s"
fi
suites="$SUITE"
case "$SUITE" in sid|unstable) ;; *) suites="$suites $SUITE-updates" ;; esac
[ "$KSUITE" = "$SUITE" ] || suites="$suites $KSUITE"
rm -f "$CHROOT/etc/apt/sources.list"
mkdir -p "$CHROOT/etc/apt/sources.list.d" "$CHROOT/etc/apt/apt.conf.d"
cat > "$CHROOT/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $suites
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
# A frozen/snapshot mirror serves Release files past their Valid-Until (sid
# and *-backports carry one). Follow the host's apt policy unless told.
if [ "${APT_IGNORE_VALID_UNTIL:-auto}" = auto ]; then
    if apt-config dump 2>/dev/null | grep -c '^Acquire::Check-Valid-Until "false";' >/dev/null; then
        APT_IGNORE_VALID_UNTIL=1
    else
        APT_IGNORE_VALID_UNTIL=0
    fi
fi
if [ "$APT_IGNORE_VALID_UNTIL" = 1 ]; then
    echo 'Acquire::Check-Valid-Until "false";' > "$CHROOT/etc/apt/apt.conf.d/99no-valid-until"
else
    rm -f "$CHROOT/etc/apt/apt.conf.d/99no-valid-until"
fi
if ! mountpoint -q "$CHROOT/proc"; then mount -t proc proc "$CHROOT/proc"; mounted=1; fi

t=$(date +%s)
if ! capt update > "$CACHE/apt-update.log" 2>&1; then
    grep -E '^(E|W):' "$CACHE/apt-update.log" | head -5 >&2 || true
    probe_url "$MIRROR/dists/$KSUITE/InRelease" || offline "apt-get update in the chroot failed"
    die "apt-get update in the chroot failed (see $CACHE/apt-update.log)"
fi
log "chroot apt-get update in $(( $(date +%s) - t ))s"

# ---- resolve the kernel --------------------------------------------------
# linux-image-amd64 (metapackage) in KSUITE -> linux-image-<krel> -> (new
# packaging) linux-binary-<krel> holds the vmlinuz. Nothing is pinned.
acache() { in_chroot apt-cache -o APT::Default-Release="$KSUITE" "$@"; }
KREL=$(acache depends linux-image-amd64 | sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1)
[ -n "$KREL" ] || die "cannot resolve linux-image-amd64 in $KSUITE"
KPKG_VER=$(acache policy "linux-image-$KREL" | sed -n 's/^ *Candidate: //p')
case "$KPKG_VER" in ""|"(none)") die "no candidate for linux-image-$KREL" ;; esac
KMAJMIN=$(echo "$KREL" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
if acache show "linux-binary-$KREL" >/dev/null 2>&1; then
    KBIN_PKG=linux-binary-$KREL
else
    KBIN_PKG=linux-image-$KREL          # older packaging: vmlinuz in linux-image
fi
log "newest kernel in $KSUITE: $KBIN_PKG $KPKG_VER (release $KREL)"

cache_current() {
    [ "$FORCE" != 1 ] && cache_complete || return 1
    grep -qxF "KPKG_VER=$KPKG_VER" "$CACHE/versions.env" || return 1
    grep -qxF "KREL=$KREL" "$CACHE/versions.env" || return 1
    grep -qxF "KSUITE=$KSUITE" "$CACHE/versions.env" || return 1
    grep -qxF "SCHEDS=\"$SCHEDS\"" "$CACHE/versions.env" || return 1
}
if cache_current; then
    log "cache $CACHE is up to date ($KREL, $KPKG_VER) after $(( $(date +%s) - T_START ))s; FORCE=1 rebuilds"
    exit 0
fi
# From here on the cache is being replaced: it is incomplete until
# versions.env is written again at the very end.
rm -f "$CACHE/versions.env"

t=$(date +%s)
# -t KSUITE: libelf-dev (trixie's 0.192 libelf.a is unusable statically:
# undefined eu_search_tree_init), bpftool and linux-source come from KSUITE.
PKGS="gcc libc6-dev make pkg-config binutils clang llvm python3 xz-utils zstd
      ca-certificates libelf-dev zlib1g-dev libzstd-dev bpftool"
# shellcheck disable=SC2086
capt install -y --no-install-recommends -t "$KSUITE" $PKGS > "$CACHE/apt-install.log" 2>&1 ||
    { tail -20 "$CACHE/apt-install.log" >&2; die "toolchain install failed (see $CACHE/apt-install.log)"; }
log "chroot toolchain ready in $(( $(date +%s) - t ))s"

# ---- linux-source of the same version ------------------------------------
SRC_PKG=linux-source-$KMAJMIN
if acache madison "$SRC_PKG" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | grep -qxF "$KPKG_VER"; then
    SRC_SPEC="$SRC_PKG=$KPKG_VER"
else
    SRC_SPEC=$SRC_PKG
    log "warning: $SRC_PKG $KPKG_VER not in the archive, using the candidate version"
fi
t=$(date +%s)
capt install -y --no-install-recommends -t "$KSUITE" "$SRC_SPEC" >> "$CACHE/apt-install.log" 2>&1 ||
    { tail -20 "$CACHE/apt-install.log" >&2; die "cannot install $SRC_SPEC"; }
SRC_VER=$(in_chroot dpkg-query -W -f "\${Version}" "$SRC_PKG")

B=/build/$KREL            # inside the chroot
HB=$CHROOT$B
rm -rf "$CHROOT/build"; mkdir -p "$HB/dl" "$HB/out"
# only tools/, scripts/ and include/uapi are needed (xz still has to
# decompress the whole ~160 MB stream, ~12 s)
tar -xJf "$CHROOT/usr/src/$SRC_PKG.tar.xz" -C "$HB" --strip-components=1 \
    --wildcards "$SRC_PKG/tools/*" "$SRC_PKG/scripts/*" "$SRC_PKG/include/uapi/*"
log "linux-source $SRC_VER unpacked in $(( $(date +%s) - t ))s"

# ---- kernel + busybox download ---------------------------------------------
t=$(date +%s)
# The kernel config: /usr/lib/modules/<krel>/config in linux-base-<krel>
# (7.x packaging, 1 MB), /boot/config-<krel> in linux-image-<krel> (old).
dl="'$KBIN_PKG=$KPKG_VER' busybox-static"
if [ "$KBIN_PKG" != "linux-image-$KREL" ] && acache show "linux-base-$KREL" >/dev/null 2>&1; then
    dl="$dl 'linux-base-$KREL=$KPKG_VER'"
fi
in_chroot sh -c "cd $B/dl && apt-get -q -o APT::Sandbox::User=root download $dl" \
    > "$CACHE/download.log" 2>&1 ||
    { tail -5 "$CACHE/download.log" >&2; die "cannot download $KBIN_PKG / busybox-static"; }
mkdir -p "$HB/dl/x"
for d in "$HB"/dl/*.deb; do dpkg-deb -x "$d" "$HB/dl/x"; done
VMLINUZ=$(find "$HB/dl/x" -type f \( -name vmlinuz -o -name "vmlinuz-$KREL" \) | head -n 1)
[ -n "$VMLINUZ" ] || die "no vmlinuz in $KBIN_PKG"
BB_VER=$(dpkg-deb -f "$HB"/dl/busybox-static_*.deb Version)
log "kernel and busybox downloaded in $(( $(date +%s) - t ))s"

KCONFIG=$(find "$HB/dl/x" -type f \( -path "*/boot/config-$KREL" -o -path "*/modules/$KREL/config" \) | head -n 1)
KCONFIG_SCX=unknown
if [ -n "$KCONFIG" ]; then
    if grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$KCONFIG"; then
        KCONFIG_SCX=y
    else
        die "$KREL: CONFIG_SCHED_CLASS_EXT is not =y in ${KCONFIG#"$HB/dl/x"}"
    fi
fi
in_chroot sh -c "$B/scripts/extract-vmlinux $B/dl/x/${VMLINUZ#"$HB/dl/x/"} > $B/vmlinux" 2>/dev/null ||
    die "extract-vmlinux failed"
# (grep -c, not -q: an early-exiting grep would SIGPIPE bpftool under pipefail)
in_chroot bpftool btf dump file "$B/vmlinux" format raw | grep -c "STRUCT 'sched_ext_ops'" >/dev/null ||
    die "$KREL has no sched_ext (struct sched_ext_ops missing from its BTF)"
log "$KREL: struct sched_ext_ops in BTF, CONFIG_SCHED_CLASS_EXT=$KCONFIG_SCX"

# ---- build ---------------------------------------------------------------
# The stock tools/sched_ext Makefile builds libbpf.a from the same tree.
#  - BPFTOOL: the packaged bpftool of the same kernel version; building it
#    from the tree would also need libssl-dev (bpftool >= 7.7 signs programs).
#  - CC="gcc -static" links the schedulers statically; the libbpf sub-make
#    overrides CC with HOSTCC, so libbpf.so still links (LDFLAGS=-static would
#    leak into that link and fail).
#  - LDFLAGS replaces the Makefile's "-lelf -lz -lpthread": a static libelf
#    also needs -lzstd.
t=$(date +%s)
# shellcheck disable=SC2086
in_chroot make -C "$B/tools/sched_ext" -j"$(nproc)" O="$B/out" \
    VMLINUX_BTF="$B/vmlinux" BPFTOOL=/usr/sbin/bpftool \
    CC="gcc -static" LDFLAGS="-lelf -lz -lzstd -lpthread" $SCHEDS \
    > "$CACHE/build.log" 2>&1 || { tail -30 "$CACHE/build.log" >&2; die "build failed (see $CACHE/build.log)"; }
log "built $SCHEDS in $(( $(date +%s) - t ))s"

# ---- install into the cache ----------------------------------------------
is_static() { ! in_chroot readelf -l "$1" | grep -c 'Requesting program interpreter' >/dev/null; }
for s in $SCHEDS; do
    [ -x "$HB/out/build/bin/$s" ] || die "$s was not built"
    is_static "$B/out/build/bin/$s" || die "$s is not static"
    in_chroot strip --strip-debug -o "$B/out/$s.stripped" "$B/out/build/bin/$s"
    install -m 0755 "$HB/out/$s.stripped" "$CACHE/$s.new" && mv -f "$CACHE/$s.new" "$CACHE/$s"
done
install -m 0644 "$VMLINUZ" "$CACHE/vmlinuz.new" && mv -f "$CACHE/vmlinuz.new" "$CACHE/vmlinuz"
mv -f "$HB/vmlinux" "$CACHE/vmlinux"
cp "$HB/out/build/include/vmlinux.h" "$CACHE/vmlinux.h"
if [ -n "$KCONFIG" ]; then cp "$KCONFIG" "$CACHE/config"; else rm -f "$CACHE/config"; fi
BB=$(find "$HB/dl/x" -type f -name busybox -perm -u+x | head -n 1)
[ -n "$BB" ] || die "no busybox binary in busybox-static"
is_static "${BB#"$CHROOT"}" || die "busybox from busybox-static is not static"
install -m 0755 "$BB" "$CACHE/busybox.new" && mv -f "$CACHE/busybox.new" "$CACHE/busybox"

q() { in_chroot dpkg-query -W -f "\${Version}" "$1" 2>/dev/null || echo "?"; }
cat > "$CACHE/versions.env.new" <<EOF
# written by $me on $(date -u +%Y-%m-%dT%H:%M:%SZ)
KSUITE=$KSUITE
SUITE=$SUITE
MIRROR=$MIRROR
KREL=$KREL
KBIN_PKG=$KBIN_PKG
KPKG_VER=$KPKG_VER
KCONFIG_SCHED_CLASS_EXT=$KCONFIG_SCX
SRC_PKG=$SRC_PKG
SRC_VER=$SRC_VER
SCHEDS="$SCHEDS"
BUSYBOX_VER=$BB_VER
CLANG_VER=$(q clang)
GCC_VER=$(q gcc)
LIBC_VER=$(q libc6-dev)
LIBELF_VER=$(q libelf-dev)
LIBZSTD_VER=$(q libzstd-dev)
ZLIB_VER=$(q zlib1g-dev)
BPFTOOL_VER=$(q bpftool)
LIBBPF_SRC=$(awk '/define LIBBPF_MAJOR_VERSION/{M=$3} /define LIBBPF_MINOR_VERSION/{m=$3} END{print M "." m}' "$HB/tools/lib/bpf/libbpf_version.h")
EOF
mv -f "$CACHE/versions.env.new" "$CACHE/versions.env"
rm -rf "$HB/dl" "$HB/out"
log "done in $(( $(date +%s) - T_START ))s: $CACHE"
ls -l "$CACHE" >&2
