# shellcheck shell=bash disable=SC2154  # me, CACHE, B, HB...: the caller's
# SPDX-License-Identifier: GPL-2.0-only
#
# cache-lib.sh - what build-cache.sh (the x86_64 VM cache, and the build
# chroot) and build-cache-arm64.sh (the aarch64 cache, built in that same
# chroot) share: arguments and environment, the locks, the chroot helpers,
# and the steps that differ only by the Debian architecture: resolving the
# kernel, linux-source, the downloads, the checks, installing into CACHE.
#
# The caller sets `me` and sources this file; the steps after
# resolve_kernel use B (the build directory inside the chroot) and HB (the
# same seen from the host, $CHROOT$B).  Q is "" for the chroot's own
# architecture (amd64) or ":arm64": it qualifies the package names.
#
# Functions:
#   log MSG, die MSG (exit 1), skip MSG (exit 77: callers SKIP)
#   cache_setup DEFAULT-CACHE "$@"
#                  -h/--help and usage errors; sets CACHE, KSUITE, CHROOT,
#                  SCHEDS, FORCE, OFFLINE_OK (environment or defaults) and
#                  T_START
#   cache_lock     one build per cache and per chroot at a time
#   cache_complete the cache has versions.env, vmlinuz, busybox, SCHEDS
#   offline WHY    keep a complete cache (OFFLINE_OK=1, exit 0) or SKIP
#   in_chroot CMD..., capt APT-GET-ARGS..., acache APT-CACHE-ARGS...
#   chroot_traps   unmount the chroot's /proc at exit if chroot_proc
#                  mounted it; signals exit 128+N
#   chroot_proc    mount /proc in the chroot
#   resolve_kernel META Q LABEL
#                  META (linux-image-amd64) in KSUITE -> KREL, KPKG_VER,
#                  KMAJMIN, KBIN_PKG; exits 0 when the cache already
#                  holds that kernel (not with FORCE=1)
#   linux_source DEST [PATH...]
#                  linux-source of KPKG_VER into the chroot, and its
#                  tools/, scripts/, include/uapi/ and PATHs unpacked into
#                  DEST (a host path); sets SRC_PKG, SRC_VER
#   download_kernel Q
#                  the kernel, its config and busybox-static into HB/dl/x;
#                  sets VMLINUZ, KCONFIG (empty when not found), BB_VER
#   check_kconfig  KCONFIG has CONFIG_SCHED_CLASS_EXT=y (dies if not);
#                  returns 1 when there is no KCONFIG
#   check_btf FILE the kernel's BTF in FILE (in the chroot) has struct
#                  sched_ext_ops
#   install_programs Q STRIP MACHINE KIND
#                  the built SCHEDS, vmlinuz, vmlinux.h and busybox into
#                  CACHE; each program must be static (and for MACHINE,
#                  readelf's name, when given); KIND names that in errors
#   pkg_version PKG  the chroot's installed version of PKG, or "?"
#   cache_done DIR...
#                  versions.env.new becomes versions.env (the mark of a
#                  complete cache); the build directories DIR go

log() { echo "[$me $(date +%T)] $*" >&2; }
die() { echo "$me: error: $*" >&2; exit 1; }
skip() { echo "$me: SKIP: $*" >&2; exit 77; }

cache_setup() {
    local def=$1
    shift
    case "${1:-}" in
    -h|--help) sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "$me: unknown option $1 (usage: $me [CACHE])" >&2; exit 2 ;;
    esac
    [ $# -le 1 ] || { echo "usage: $me [CACHE]" >&2; exit 2; }
    CACHE=$(realpath -m "${1:-$def}")
    KSUITE=${KSUITE:-trixie-backports}
    CHROOT=${CHROOT:-/var/tmp/ktstr-vm-chroot-$KSUITE}
    SCHEDS=${SCHEDS:-scx_simple}
    FORCE=${FORCE:-0}
    OFFLINE_OK=${OFFLINE_OK:-1}
    T_START=$(date +%s)
}

cache_lock() {
    mkdir -p "$CACHE"
    exec 8> "$CACHE/.build.lock"
    flock -w 1800 8 || die "timed out waiting for $CACHE/.build.lock"
    exec 9> "$CHROOT.lock"
    flock -w 1800 9 || die "timed out waiting for $CHROOT.lock"
}

cache_complete() {
    [ -f "$CACHE/versions.env" ] && [ -s "$CACHE/vmlinuz" ] && [ -x "$CACHE/busybox" ] || return 1
    local s
    for s in $SCHEDS; do [ -x "$CACHE/$s" ] || return 1; done
}

offline() {
    if [ "$OFFLINE_OK" = 1 ] && [ "$FORCE" != 1 ] && cache_complete; then
        log "warning: $1; using the existing cache $CACHE as is" \
            "($(sed -n 's/^KREL=//p' "$CACHE/versions.env"), not checked for a newer kernel)"
        exit 0
    fi
    skip "Debian archive unreachable: $1"
}

in_chroot() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive chroot "$CHROOT" "$@"
}
capt() { in_chroot apt-get -q -o APT::Sandbox::User=root "$@"; }
acache() { in_chroot apt-cache -o APT::Default-Release="$KSUITE" "$@"; }

chroot_traps() {
    mounted=0
    trap 'if [ "$mounted" = 1 ]; then umount "$CHROOT/proc" 2>/dev/null || true; fi' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}

chroot_proc() {
    if ! mountpoint -q "$CHROOT/proc"; then mount -t proc proc "$CHROOT/proc"; mounted=1; fi
}

# META in KSUITE -> linux-image-<krel> -> (new packaging) linux-binary-<krel>
# holds the vmlinuz (linux-image-<krel> itself on old packaging).  Nothing
# is pinned: the newest wins.
resolve_kernel() {
    local meta=$1 q=$2 label=$3
    KREL=$(acache depends "$meta$q" |
           sed -n 's/^ *Depends: linux-image-\([0-9][^ :]*\)\(:[a-z0-9]*\)\{0,1\}$/\1/p' | head -n 1)
    [ -n "$KREL" ] || die "cannot resolve $meta in $KSUITE"
    KPKG_VER=$(acache policy "linux-image-$KREL$q" | sed -n 's/^ *Candidate: //p')
    case "$KPKG_VER" in ""|"(none)") die "no candidate for linux-image-$KREL$q" ;; esac
    KMAJMIN=$(echo "$KREL" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
    if acache show "linux-binary-$KREL$q" >/dev/null 2>&1; then
        KBIN_PKG=linux-binary-$KREL
    else
        KBIN_PKG=linux-image-$KREL
    fi
    log "newest ${label}kernel in $KSUITE: $KBIN_PKG $KPKG_VER (release $KREL)"
    if [ "$FORCE" != 1 ] && cache_complete &&
       grep -qxF "KPKG_VER=$KPKG_VER" "$CACHE/versions.env" &&
       grep -qxF "KREL=$KREL" "$CACHE/versions.env" &&
       grep -qxF "KSUITE=$KSUITE" "$CACHE/versions.env" &&
       grep -qxF "SCHEDS=\"$SCHEDS\"" "$CACHE/versions.env"; then
        log "cache $CACHE is up to date ($KREL, $KPKG_VER) after $(( $(date +%s) - T_START ))s; FORCE=1 rebuilds"
        exit 0
    fi
    # From here on the cache is being replaced: it is incomplete until
    # versions.env is written again at the very end.
    rm -f "$CACHE/versions.env"
}

# Only the directories the schedulers need are unpacked, but xz still has
# to decompress the whole ~160 MB stream (~12 s).
linux_source() {
    local dest=$1 t p d pats=()
    shift
    t=$(date +%s)
    SRC_PKG=linux-source-$KMAJMIN
    if acache madison "$SRC_PKG" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | grep -qxF "$KPKG_VER"; then
        p="$SRC_PKG=$KPKG_VER"
    else
        p=$SRC_PKG
        log "warning: $SRC_PKG $KPKG_VER not in the archive, using the candidate version"
    fi
    capt install -y --no-install-recommends -t "$KSUITE" "$p" >> "$CACHE/apt-install.log" 2>&1 ||
        { tail -20 "$CACHE/apt-install.log" >&2; die "cannot install $p"; }
    SRC_VER=$(in_chroot dpkg-query -W -f "\${Version}" "$SRC_PKG")
    for d in tools scripts include/uapi "$@"; do pats+=("$SRC_PKG/$d/*"); done
    tar -xJf "$CHROOT/usr/src/$SRC_PKG.tar.xz" -C "$dest" --strip-components=1 \
        --wildcards "${pats[@]}"
    log "linux-source $SRC_VER unpacked in $(( $(date +%s) - t ))s"
}

# The kernel config: /usr/lib/modules/<krel>/config in linux-base-<krel>
# (7.x packaging, 1 MB), /boot/config-<krel> in linux-image-<krel> (old).
download_kernel() {
    local q=$1 dl d t
    t=$(date +%s)
    dl="'$KBIN_PKG$q=$KPKG_VER' busybox-static$q"
    if [ "$KBIN_PKG" != "linux-image-$KREL" ] && acache show "linux-base-$KREL$q" >/dev/null 2>&1; then
        dl="$dl 'linux-base-$KREL$q=$KPKG_VER'"
    fi
    mkdir -p "$HB/dl/x"
    in_chroot sh -c "cd $B/dl && apt-get -q -o APT::Sandbox::User=root download $dl" \
        > "$CACHE/download.log" 2>&1 ||
        { tail -5 "$CACHE/download.log" >&2; die "cannot download $KBIN_PKG$q / busybox-static$q"; }
    for d in "$HB"/dl/*.deb; do dpkg-deb -x "$d" "$HB/dl/x"; done
    VMLINUZ=$(find "$HB/dl/x" -type f \( -name vmlinuz -o -name "vmlinuz-$KREL" \) | head -n 1)
    [ -n "$VMLINUZ" ] || die "no vmlinuz in $KBIN_PKG$q"
    # shellcheck disable=SC2034  # for the caller's versions.env
    BB_VER=$(dpkg-deb -f "$HB"/dl/busybox-static_*.deb Version)
    log "kernel and busybox downloaded in $(( $(date +%s) - t ))s"
    KCONFIG=$(find "$HB/dl/x" -type f \( -path "*/boot/config-$KREL" -o -path "*/modules/$KREL/config" \) |
              head -n 1)
}

check_kconfig() {
    [ -n "$KCONFIG" ] || return 1
    grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$KCONFIG" ||
        die "$KREL: CONFIG_SCHED_CLASS_EXT is not =y in ${KCONFIG#"$HB/dl/x"}"
}

# (grep -c, not -q: an early-exiting grep would SIGPIPE bpftool under pipefail)
check_btf() {
    in_chroot bpftool btf dump file "$1" format raw | grep -c "STRUCT 'sched_ext_ops'" >/dev/null ||
        die "$KREL has no sched_ext (struct sched_ext_ops missing from its BTF)"
}

# is_static PATH [MACHINE]: PATH (in the chroot) is an ELF program without
# a program interpreter (and for MACHINE)
is_static() {
    local h
    h=$(in_chroot readelf -lh "$1") || return 1
    if [ -n "${2:-}" ]; then
        echo "$h" | grep -c "Machine:.*$2" >/dev/null || return 1
    fi
    ! echo "$h" | grep -c 'Requesting program interpreter' >/dev/null
}

# install_new MODE FILE NAME: CACHE/NAME replaced at once (a running VM
# may read the old one)
install_new() {
    install -m "$1" "$2" "$CACHE/$3.new" && mv -f "$CACHE/$3.new" "$CACHE/$3"
}

install_programs() {
    local q=$1 strip=$2 mach=$3 kind=$4 s bb
    for s in $SCHEDS; do
        [ -x "$HB/out/build/bin/$s" ] || die "$s was not built"
        is_static "$B/out/build/bin/$s" "$mach" || die "$s is not $kind"
        in_chroot "$strip" --strip-debug -o "$B/out/$s.stripped" "$B/out/build/bin/$s"
        install_new 0755 "$HB/out/$s.stripped" "$s"
    done
    install_new 0644 "$VMLINUZ" vmlinuz
    cp "$HB/out/build/include/vmlinux.h" "$CACHE/vmlinux.h"
    bb=$(find "$HB/dl/x" -type f -name busybox -perm -u+x | head -n 1)
    [ -n "$bb" ] || die "no busybox binary in busybox-static$q"
    is_static "${bb#"$CHROOT"}" "$mach" || die "busybox from busybox-static$q is not $kind"
    install_new 0755 "$bb" busybox
}

# (one line: a Multi-Arch: same package installed for both architectures,
# as arm64 libraries make libc6-dev, has one version but two entries)
pkg_version() {
    local v
    # shellcheck disable=SC2016  # dpkg-query's ${Version}, not the shell's
    v=$(in_chroot dpkg-query -W -f '${Version}\n' "$1" 2>/dev/null | sed -n 1p) || v=
    echo "${v:-?}"
}

cache_done() {
    mv -f "$CACHE/versions.env.new" "$CACHE/versions.env"
    rm -rf "$@"
    log "done in $(( $(date +%s) - T_START ))s: $CACHE"
    ls -l "$CACHE" >&2
}
