# SPDX-License-Identifier: GPL-2.0-only
# m4/ktstr-stubs.m4 - which runfile stubs ktstr-pack embeds: the native one,
# and others cross-built (configure --enable-stubs=x86_64,aarch64).

# The Debian packages a cross-built aarch64 stub needs (README: Architectures).
m4_define([KTSTR_AARCH64_DEBS],
  [gcc-aarch64-linux-gnu libc6-dev-arm64-cross libarchive-dev:arm64 libcap-dev:arm64 libzstd-dev:arm64 zlib1g-dev:arm64 nettle-dev:arm64 libdeflate-dev:arm64])

# KTSTR_CROSS_ARCHIVE(LIB, FUNCTION, DEBIAN-PACKAGE)
# With the cross compiler in $CC: the static archive libLIB.a exists for
# the target and defines FUNCTION.
AC_DEFUN([KTSTR_CROSS_ARCHIVE], [
  AC_MSG_CHECKING([for static lib$1.a for aarch64])
  LIBS="-l$1 $STUB_LIBS"
  AC_LINK_IFELSE([AC_LANG_CALL([], [$2])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([the aarch64 stub is linked -static and needs lib$1.a for arm64 (symbol $2),
which $CC_AARCH64 cannot link. Install the Debian package $3:
    dpkg --add-architecture arm64 && apt-get update
    apt-get install KTSTR_AARCH64_DEBS
or configure without aarch64 in --enable-stubs.])])
])

# KTSTR_CROSS_STUB_AARCH64: the cross compiler and every arm64 static
# archive the stub links; sets CC_AARCH64, STRIP_AARCH64, CFLAGS_AARCH64,
# STUB_AARCH64_CFLAGS.
AC_DEFUN([KTSTR_CROSS_STUB_AARCH64], [
  AC_ARG_VAR([CC_AARCH64], [C compiler of the cross-built aarch64 stub (default aarch64-linux-gnu-gcc)])
  AC_ARG_VAR([CFLAGS_AARCH64], [its C compiler flags (default -g -O2)])
  AC_ARG_VAR([LDFLAGS_AARCH64], [its linker flags, e.g. -L for other arm64 archives])
  AC_ARG_VAR([STRIP_AARCH64], [strip for the aarch64 stub (default aarch64-linux-gnu-strip)])
  AC_ARG_VAR([PKG_CONFIG_LIBDIR_AARCH64],
    [where the arm64 .pc files are (default /usr/lib/aarch64-linux-gnu/pkgconfig)])
  AC_CHECK_PROGS([CC_AARCH64], [aarch64-linux-gnu-gcc])
  AC_CHECK_PROGS([STRIP_AARCH64], [aarch64-linux-gnu-strip])
  # (a preset CC_AARCH64 or STRIP_AARCH64 is taken as is: check it runs)
  AS_IF([test -z "$CC_AARCH64" || test -z "$STRIP_AARCH64" ||
         ! command -v ${CC_AARCH64%% *} >/dev/null || ! command -v ${STRIP_AARCH64%% *} >/dev/null],
    [AC_MSG_ERROR([--enable-stubs with aarch64 needs the cross compiler aarch64-linux-gnu-gcc
and aarch64-linux-gnu-strip. On Debian 12:
    dpkg --add-architecture arm64 && apt-get update
    apt-get install KTSTR_AARCH64_DEBS
or configure without aarch64 in --enable-stubs.])])
  : "${CFLAGS_AARCH64=-g -O2}"
  : "${PKG_CONFIG_LIBDIR_AARCH64=/usr/lib/aarch64-linux-gnu/pkgconfig}"

  # the arm64 -dev packages (Multi-Arch: same) put their .pc files there
  AC_MSG_CHECKING([for the arm64 libraries in $PKG_CONFIG_LIBDIR_AARCH64])
  ktstr_aarch64_mods="libarchive >= 3.4, libcap >= 2.25, nettle >= 3.4, libzstd >= 1.4, libdeflate >= 1.8, zlib"
  AS_IF([ktstr_aarch64_err=`PKG_CONFIG_LIBDIR=$PKG_CONFIG_LIBDIR_AARCH64 $PKG_CONFIG --print-errors --exists "$ktstr_aarch64_mods" 2>&1`],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([the aarch64 stub needs the arm64 development packages ($ktstr_aarch64_err).
On Debian 12:
    dpkg --add-architecture arm64 && apt-get update
    apt-get install KTSTR_AARCH64_DEBS
or configure without aarch64 in --enable-stubs.])])
  STUB_AARCH64_CFLAGS=`PKG_CONFIG_LIBDIR=$PKG_CONFIG_LIBDIR_AARCH64 $PKG_CONFIG --cflags "$ktstr_aarch64_mods"`
  AC_SUBST([STUB_AARCH64_CFLAGS])

  # link checks with the cross compiler in place of $CC
  ktstr_save_CC=$CC ktstr_save_CFLAGS=$CFLAGS ktstr_save_CPPFLAGS=$CPPFLAGS
  ktstr_save_LDFLAGS=$LDFLAGS ktstr_save_LIBS=$LIBS
  CC=$CC_AARCH64 CFLAGS=$CFLAGS_AARCH64 CPPFLAGS=$STUB_AARCH64_CFLAGS LIBS=
  LDFLAGS="$LDFLAGS_AARCH64 -static"
  AC_MSG_CHECKING([whether $CC_AARCH64 links a static aarch64 program])
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <stdlib.h>
#ifndef __aarch64__
#error not aarch64
#endif]], [[return 0;]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([$CC_AARCH64 cannot link a static aarch64 program: install libc6-dev-arm64-cross
(apt-get install KTSTR_AARCH64_DEBS), or configure without aarch64 in --enable-stubs.])])
  KTSTR_CROSS_ARCHIVE([archive], [archive_read_new],   [libarchive-dev:arm64])
  KTSTR_CROSS_ARCHIVE([deflate], [libdeflate_alloc_decompressor], [libdeflate-dev:arm64])
  KTSTR_CROSS_ARCHIVE([zstd],    [ZSTD_decompress],    [libzstd-dev:arm64])
  KTSTR_CROSS_ARCHIVE([z],       [crc32],              [zlib1g-dev:arm64])
  KTSTR_CROSS_ARCHIVE([nettle],  [nettle_sha256_init], [nettle-dev:arm64])
  KTSTR_CROSS_ARCHIVE([cap],     [cap_get_proc],       [libcap-dev:arm64])
  CC=$ktstr_save_CC CFLAGS=$ktstr_save_CFLAGS CPPFLAGS=$ktstr_save_CPPFLAGS
  LDFLAGS=$ktstr_save_LDFLAGS LIBS=$ktstr_save_LIBS
])

# KTSTR_STUB_ARCHES: --enable-stubs=LIST. The native stub is always built
# (the tests run it); aarch64 is cross-built on another host. Sets
# NATIVE_STUB_ARCH, STUB_FILE_<arch> (relative to the build directory),
# STUB_ARCHES, HAVE_STUB_<ARCH> and the conditionals STUB_X86_64,
# STUB_AARCH64 (embedded) and CROSS_STUB_AARCH64 (cross-built).
AC_DEFUN([KTSTR_STUB_ARCHES], [
  AC_REQUIRE([AC_CANONICAL_HOST])
  AC_ARG_ENABLE([stubs],
    [AS_HELP_STRING([--enable-stubs=LIST],
      [the runfile stubs ktstr-pack embeds, comma-separated: x86_64, aarch64.
       The native one is always built; others are cross-built (README:
       Architectures). Default: the native one only])],
    [], [enable_stubs=native])
  case "$host_cpu" in
    x86_64)  NATIVE_STUB_ARCH=x86_64 ;;
    aarch64) NATIVE_STUB_ARCH=aarch64 ;;
    *) AC_MSG_ERROR([no runfile stub for $host_cpu: ktstr-pack supports x86_64 and aarch64]) ;;
  esac
  AC_SUBST([NATIVE_STUB_ARCH])
  ktstr_stub_x86_64=no
  ktstr_stub_aarch64=no
  AS_CASE([$NATIVE_STUB_ARCH],
    [x86_64], [ktstr_stub_x86_64=yes],
    [aarch64], [ktstr_stub_aarch64=yes])
  AS_IF([test "x$enable_stubs" = xno],
    [AC_MSG_ERROR([--disable-stubs: ktstr-pack needs at least its native ($NATIVE_STUB_ARCH) stub])])
  for ktstr_a in `echo "$enable_stubs" | tr ',' ' '`; do
    case $ktstr_a in
      native|yes) ;;
      x86_64|amd64) ktstr_stub_x86_64=yes ;;
      aarch64|arm64) ktstr_stub_aarch64=yes ;;
      *) AC_MSG_ERROR([--enable-stubs: unknown architecture '$ktstr_a' (x86_64, aarch64)]) ;;
    esac
  done
  AS_IF([test $ktstr_stub_x86_64 = yes && test $NATIVE_STUB_ARCH != x86_64],
    [AC_MSG_ERROR([cross-building the x86_64 stub on $host_cpu is not supported: build
ktstr-pack on an x86_64 host, or pack with ktstr-pack --stub PATH])])
  ktstr_cross_aarch64=no
  AS_IF([test $ktstr_stub_aarch64 = yes && test $NATIVE_STUB_ARCH != aarch64],
    [ktstr_cross_aarch64=yes
     KTSTR_CROSS_STUB_AARCH64])

  STUB_FILE_x86_64=
  STUB_FILE_aarch64=
  STUB_ARCHES=
  AS_IF([test $ktstr_stub_x86_64 = yes],
    [STUB_FILE_x86_64=stub/ktstr-stub.stripped
     STUB_ARCHES=x86_64
     AC_DEFINE([HAVE_STUB_X86_64], [1], [x86_64 stub embedded])])
  AS_IF([test $ktstr_stub_aarch64 = yes],
    [AS_IF([test $ktstr_cross_aarch64 = yes],
       [STUB_FILE_aarch64=stub-aarch64/ktstr-stub-aarch64.stripped],
       [STUB_FILE_aarch64=stub/ktstr-stub.stripped])
     STUB_ARCHES="${STUB_ARCHES:+$STUB_ARCHES, }aarch64"
     AC_DEFINE([HAVE_STUB_AARCH64], [1], [aarch64 stub embedded])])
  AC_SUBST([STUB_FILE_x86_64])
  AC_SUBST([STUB_FILE_aarch64])
  AC_SUBST([STUB_ARCHES])
  AC_DEFINE_UNQUOTED([STUB_ARCHES], ["$STUB_ARCHES"], [architectures of the embedded stubs])
  AM_CONDITIONAL([STUB_X86_64], [test $ktstr_stub_x86_64 = yes])
  AM_CONDITIONAL([STUB_AARCH64], [test $ktstr_stub_aarch64 = yes])
  AM_CONDITIONAL([CROSS_STUB_AARCH64], [test $ktstr_cross_aarch64 = yes])
])
