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
# shellcheck source-path=SCRIPTDIR source=cache-lib.sh
. "$(dirname "$(readlink -f "$0")")/cache-lib.sh"
cache_setup /var/tmp/ktstr-vm "$@"
case "$KSUITE" in
trixie*) SUITE=${SUITE:-trixie} ;;
*)       SUITE=${SUITE:-$KSUITE} ;;
esac
host_mirror() {   # the Debian archive the host's apt already uses
    { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n' |
          grep -m1 '/debian/\{0,1\}$'; } ||
        awk '$1 == "deb" && $2 ~ /^http/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null
}
MIRROR=${MIRROR:-$(host_mirror || true)}
if [ -z "$MIRROR" ]; then
    # a proxy or local mirror under another path: try the public archive;
    # the probe below skips the tier with a reason when it is unreachable
    MIRROR=http://deb.debian.org/debian
    log "no Debian mirror (a URI ending in /debian) in the host's apt sources: trying $MIRROR (set MIRROR= to choose)"
fi
MIRROR=${MIRROR%/}
[ "$(id -u)" = 0 ] || die "must run as root (debootstrap + chroot)"
[ "$(uname -m)" = x86_64 ] || die "x86_64 host required"

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
for s in $SUITE $KSUITE; do
    probe_url "$MIRROR/dists/$s/InRelease" || probe_url "$MIRROR/dists/$s/Release" ||
        offline "cannot fetch $MIRROR/dists/$s/InRelease"
done

cache_lock

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
umount_below() {   # unmount everything mounted under $1, deepest first
    local m
    awk -v p="$1/" 'index($2 "/", p) == 1 {print $2}' /proc/self/mounts | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
chroot_traps

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
chroot_proc

t=$(date +%s)
if ! capt update > "$CACHE/apt-update.log" 2>&1; then
    grep -E '^(E|W):' "$CACHE/apt-update.log" | head -5 >&2 || true
    probe_url "$MIRROR/dists/$KSUITE/InRelease" || offline "apt-get update in the chroot failed"
    die "apt-get update in the chroot failed (see $CACHE/apt-update.log)"
fi
log "chroot apt-get update in $(( $(date +%s) - t ))s"

# ---- resolve the kernel --------------------------------------------------
resolve_kernel linux-image-amd64 "" ""

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
B=/build/$KREL            # inside the chroot
HB=$CHROOT$B
rm -rf "$CHROOT/build"; mkdir -p "$HB/dl" "$HB/out"
linux_source "$HB"

# ---- kernel + busybox download ---------------------------------------------
download_kernel ""
KCONFIG_SCX=unknown
if check_kconfig; then KCONFIG_SCX=y; fi
in_chroot sh -c "$B/scripts/extract-vmlinux $B/dl/x/${VMLINUZ#"$HB/dl/x/"} > $B/vmlinux" 2>/dev/null ||
    die "extract-vmlinux failed"
check_btf "$B/vmlinux"
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
install_programs "" strip "" static
mv -f "$HB/vmlinux" "$CACHE/vmlinux"
if [ -n "$KCONFIG" ]; then cp "$KCONFIG" "$CACHE/config"; else rm -f "$CACHE/config"; fi

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
CLANG_VER=$(pkg_version clang)
GCC_VER=$(pkg_version gcc)
LIBC_VER=$(pkg_version libc6-dev)
LIBELF_VER=$(pkg_version libelf-dev)
LIBZSTD_VER=$(pkg_version libzstd-dev)
ZLIB_VER=$(pkg_version zlib1g-dev)
BPFTOOL_VER=$(pkg_version bpftool)
LIBBPF_SRC=$(awk '/define LIBBPF_MAJOR_VERSION/{M=$3} /define LIBBPF_MINOR_VERSION/{m=$3} END{print M "." m}' "$HB/tools/lib/bpf/libbpf_version.h")
EOF
cache_done "$HB/dl" "$HB/out"
