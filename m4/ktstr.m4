# SPDX-License-Identifier: GPL-2.0-only
# m4/ktstr.m4 - configure checks of ktstr-pack.

# KTSTR_CHECK_C11: the compiler accepts -std=gnu11.
AC_DEFUN([KTSTR_CHECK_C11], [
  AC_MSG_CHECKING([whether $CC accepts -std=gnu11])
  ktstr_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS -std=gnu11"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[_Static_assert(1, "c11");]], [[]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no]); AC_MSG_ERROR([$CC does not accept -std=gnu11: install gcc])])
  CFLAGS=$ktstr_save_CFLAGS
])

# KTSTR_REQUIRE_PKG(VAR, MODULE, DEBIAN-PACKAGE)
# PKG_CHECK_MODULES that fails with the name of the Debian package to install.
AC_DEFUN([KTSTR_REQUIRE_PKG], [
  PKG_CHECK_MODULES([$1], [$2], [],
    [AC_MSG_ERROR([library $2 not found by pkg-config ($$1_PKG_ERRORS).
Install the Debian package $3 (apt-get install $3), then re-run configure.])])
])

# KTSTR_CHECK_STATIC_ARCHIVE(LIB, FUNCTION, DEBIAN-PACKAGE)
# The static archive libLIB.a exists and defines FUNCTION.
AC_DEFUN([KTSTR_CHECK_STATIC_ARCHIVE], [
  AC_MSG_CHECKING([for static lib$1.a (for the -static runfile stub)])
  ktstr_save_LIBS=$LIBS
  ktstr_save_LDFLAGS=$LDFLAGS
  LIBS="-l$1 $STUB_LIBS"
  LDFLAGS="$LDFLAGS -static"
  AC_LINK_IFELSE([AC_LANG_CALL([], [$2])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([the static archive lib$1.a (symbol $2) is missing or unusable.
The runfile stub is linked -static and needs it: install the Debian package $3.])])
  LIBS=$ktstr_save_LIBS
  LDFLAGS=$ktstr_save_LDFLAGS
])

# KTSTR_CHECK_STATIC_LINK(LIBS): a -static program using LIBS links.
AC_DEFUN([KTSTR_CHECK_STATIC_LINK], [
  AC_MSG_CHECKING([whether a -static program links with $1])
  ktstr_save_LIBS=$LIBS
  ktstr_save_LDFLAGS=$LDFLAGS
  LIBS="$1"
  LDFLAGS="$LDFLAGS -static"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <stdlib.h>]], [[return 0;]])],
    [AC_MSG_RESULT([yes])],
    [AC_MSG_RESULT([no])
     AC_MSG_ERROR([cannot link a static program (is libc6-dev installed?)])])
  LIBS=$ktstr_save_LIBS
  LDFLAGS=$ktstr_save_LDFLAGS
])

# KTSTR_WARNINGS: the warning set, and --enable-werror.
AC_DEFUN([KTSTR_WARNINGS], [
  AC_ARG_ENABLE([werror],
    [AS_HELP_STRING([--enable-werror], [treat compiler warnings as errors])],
    [], [enable_werror=no])
  KTSTR_CFLAGS_WARN="-Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter"
  AS_IF([test "x$enable_werror" = xyes],
        [KTSTR_CFLAGS_WARN="$KTSTR_CFLAGS_WARN -Werror"])
  AC_SUBST([KTSTR_CFLAGS_WARN])
])

# KTSTR_SANITIZERS: --enable-sanitizers builds everything with ASan+UBSan.
# ASan cannot be linked -static with glibc, so the stub is then linked
# dynamically (configure.ac: the default of --enable-static-stub follows
# --enable-sanitizers; both given explicitly are refused).
AC_DEFUN([KTSTR_SANITIZERS], [
  AC_ARG_ENABLE([sanitizers],
    [AS_HELP_STRING([--enable-sanitizers],
      [build with AddressSanitizer and UndefinedBehaviorSanitizer (implies --disable-static-stub)])],
    [], [enable_sanitizers=no])
  KTSTR_CFLAGS_SAN=""
  KTSTR_LDFLAGS_SAN=""
  AS_IF([test "x$enable_sanitizers" = xyes], [
    AS_IF([test "x$enable_static_stub" = xyes],
      [AC_MSG_ERROR([--enable-sanitizers cannot be combined with --enable-static-stub (ASan cannot link -static): drop --enable-static-stub])])
    KTSTR_CFLAGS_SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    KTSTR_LDFLAGS_SAN="-fsanitize=address,undefined"
    ktstr_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS $KTSTR_CFLAGS_SAN"
    ktstr_save_LDFLAGS=$LDFLAGS
    LDFLAGS="$LDFLAGS $KTSTR_LDFLAGS_SAN"
    AC_MSG_CHECKING([whether $CC supports -fsanitize=address,undefined])
    AC_LINK_IFELSE([AC_LANG_PROGRAM([], [[return 0;]])],
      [AC_MSG_RESULT([yes])],
      [AC_MSG_RESULT([no]); AC_MSG_ERROR([the compiler cannot build with ASan+UBSan (install libasan/libubsan: gcc)])])
    CFLAGS=$ktstr_save_CFLAGS
    LDFLAGS=$ktstr_save_LDFLAGS
  ])
  AC_SUBST([KTSTR_CFLAGS_SAN])
  AC_SUBST([KTSTR_LDFLAGS_SAN])
  AM_CONDITIONAL([SANITIZERS], [test "x$enable_sanitizers" = xyes])
])
