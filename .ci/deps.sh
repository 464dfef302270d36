# SPDX-License-Identifier: GPL-2.0-only
# .ci/deps.sh - install what building and testing ktstr-pack needs, from the
# host's own Debian release only (never another suite: see README).
# Sourced by .ci/main and .ci/test; `ci_deps [extra packages]`.

# Build: compiler, autotools, pkg-config, the libraries (with their static
# archives, which the -dev packages carry).
CI_BUILD_PKGS="gcc make autoconf automake pkg-config libc6-dev file
  zlib1g-dev libarchive-dev libcap-dev libcgroup-dev check nettle-dev
  libzstd-dev libdeflate-dev"
# Tests: namespaces, capabilities, standard tools the tests compare with.
CI_TEST_PKGS="util-linux libcap2-bin tar gzip zstd bash coreutils findutils
  jq bsdutils python3"
# Hardening (.ci/test fuzz, valgrind): libFuzzer (clang and its runtime),
# valgrind memcheck.
CI_HARDEN_PKGS="clang-14 libclang-rt-14-dev valgrind"
# The real-kernel tier (the kernel and scx_simple come from a debootstrap
# chroot; the host only runs qemu).
CI_VM_PKGS="qemu-system-x86 debootstrap cpio busybox-static ca-certificates"
# The aarch64 stage (.ci/test aarch64, after `dpkg --add-architecture
# arm64`): the cross compiler, the arm64 static archives the stub links,
# qemu-user for the hermetic tests and qemu-system-arm for the arm64 VM.
CI_AARCH64_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross libarchive-dev:arm64
  libcap-dev:arm64 libzstd-dev:arm64 zlib1g-dev:arm64 nettle-dev:arm64
  libdeflate-dev:arm64 qemu-user-static qemu-system-arm"

ci_log() { printf '\n==== %s [%s]\n' "$*" "$(date +%T)"; }

ci_deps() {
    local rel missing=
    rel=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    for p in "$@"; do
        dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    ci_log "installing:$missing"
    [ "$(id -u)" = 0 ] || { echo "need root to install:$missing" >&2; return 1; }
    export DEBIAN_FRONTEND=noninteractive
    # other configured repositories may be unreachable: their errors do not
    # matter as long as the Debian archive answers
    apt-get update -q >/dev/null 2>&1 || true
    # The host's release is its codename and the -updates and -security
    # suites: a new arm64 -dev package (Multi-Arch: same) must have the
    # version of its installed amd64 twin, often a security update that
    # `-t $rel` alone would not prefer.
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends ${rel:+-t "/^$rel(-updates|-security)?\$/"} \
        $missing
}

# ci_no_skips [TEST...]: after `make check` in the current build dir, fail
# when a test other than the TESTs named (those that need what this stage
# lacks on purpose) reported SKIP: a hermetic test skips when namespaces or
# cgroup2 are unavailable, and a stage whose tests all skipped must not pass.
ci_no_skips() {
    local trs t skipped=
    while IFS= read -r trs; do
        grep -q '^:test-result: SKIP' "$trs" || continue
        t=${trs#./}
        t=${t%.trs}
        case " $* " in *" $t "* | *" $t.sh "*) ;; *) skipped="$skipped $t" ;; esac
    done < <(find . -name '*.trs' | sort)
    [ -z "$skipped" ] && return 0
    echo "ci: these tests were skipped in a stage that must run them:$skipped" >&2
    for t in $skipped; do tail -n 3 "$t.log" >&2; done
    return 1
}
