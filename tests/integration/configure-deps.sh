#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# configure-deps.sh - configure stops with a message naming the missing
# library and the Debian package to install.  Nothing on the host changes:
# a pkg-config wrapper hides one module, and an empty libcap.a found first
# through LDFLAGS=-L stands for a missing static archive.
. "$(dirname "$0")/lib.sh"

[ -x "$KTSTR_SRCDIR/configure" ] || skip "no configure in $KTSTR_SRCDIR (run autoreconf -fi)"
REAL_PKG_CONFIG=$(command -v pkg-config) || skip "pkg-config not installed"
# configure stops before it writes a file, so it needs only itself, its
# helpers and the file AC_CONFIG_SRCDIR names: a copy of those runs also
# when the source tree is configured in-tree (which makes every
# out-of-tree configure refuse to run)
mkdir -p "$TOP/src/stub"
cp -p "$KTSTR_SRCDIR/configure" "$TOP/src/"
cp -pR "$KTSTR_SRCDIR/build-aux" "$TOP/src/"
cp -p "$KTSTR_SRCDIR/stub/main.c" "$TOP/src/stub/"
CONFIGURE=$TOP/src/configure

# wrapper DIR: a pkg-config that knows nothing of $KTSTR_HIDE_MODULE
wrapper() {
    cat > "$1/pkg-config" <<EOF
#!/bin/bash
for a in "\$@"; do
    case \$a in
        "\$KTSTR_HIDE_MODULE"|"\$KTSTR_HIDE_MODULE "*)
            echo "Package \$KTSTR_HIDE_MODULE was not found in the pkg-config search path." >&2
            exit 1 ;;
    esac
done
exec "$REAL_PKG_CONFIG" "\$@"
EOF
    chmod 755 "$1/pkg-config"
}

# run_configure DIR ARGS...: configure in DIR (its output in DIR/log)
run_configure() {
    local dir=$1
    shift
    mkdir -p "$dir"
    (cd "$dir" && "$CONFIGURE" -q "$@" > log 2>&1)
}

# One run without cache fills config.cache with the compiler checks; the
# others reuse it (without the pkg-config results, which the cache keeps).
case_missing_pkg_config_modules() {
    local m mod pkg rc
    wrapper "$WORK"
    for m in check:check zlib:zlib1g-dev libarchive:libarchive-dev libcap:libcap-dev \
        libcgroup:libcgroup-dev nettle:nettle-dev libzstd:libzstd-dev libdeflate:libdeflate-dev; do
        mod=${m%%:*}
        pkg=${m#*:}
        [ -f cache ] && sed '/pkg_cv_/d' cache > "cache-$mod"
        rc=0
        KTSTR_HIDE_MODULE=$mod run_configure "$WORK/b-$mod" PKG_CONFIG="$WORK/pkg-config" \
            --cache-file="$WORK/cache-$mod" || rc=$?
        [ -f cache ] || cp "cache-$mod" cache
        [ "$rc" != 0 ] || { fail "configure succeeded without $mod"; continue; }
        grep -qF "library $mod" "$WORK/b-$mod/log" ||
            fail "configure without $mod does not name it: $(tail -n 3 "$WORK/b-$mod/log")"
        grep -qF "Install the Debian package $pkg (apt-get install $pkg)" "$WORK/b-$mod/log" ||
            fail "configure without $mod does not name $pkg: $(tail -n 3 "$WORK/b-$mod/log")"
    done
}

case_missing_static_archive() {
    local rc=0
    mkdir fakelib
    printf '!<arch>\n' > fakelib/libcap.a   # an archive without cap_get_proc
    run_configure "$WORK/b" LDFLAGS="-L$WORK/fakelib" || rc=$?
    [ "$rc" != 0 ] || { fail "configure succeeded without a usable libcap.a"; return; }
    grep -qF "the static archive libcap.a (symbol cap_get_proc) is missing or unusable" "$WORK/b/log" ||
        fail "no message about libcap.a: $(tail -n 3 "$WORK/b/log")"
    grep -qF "install the Debian package libcap-dev" "$WORK/b/log" ||
        fail "no package named: $(tail -n 3 "$WORK/b/log")"
}

run_case missing-pkg-config-modules case_missing_pkg_config_modules
run_case missing-static-archive case_missing_static_archive
finish
