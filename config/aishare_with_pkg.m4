# AISHARE_WITH_PKG(NAME, VAR, PKG-SPEC, HEADER, PROLOGUE)
# --with-NAME=yes|no|check (default check).  With "yes", a missing or unsuitable
# NAME stops configure; with "check" it is used when found.  PROLOGUE is compiled
# with the package's flags so that version ceilings can be checked with the
# preprocessor.  Sets VAR_CFLAGS, VAR_LIBS, VAR_VERSION, aishare_have_NAME and the
# conditional HAVE_VAR.  GPL-2.0-or-later.
AC_DEFUN([AISHARE_WITH_PKG], [
AC_ARG_WITH([$1],
	[AS_HELP_STRING([--with-$1], [require $1 ($3); default: use it when found])],
	[], [with_$1=check])
aishare_have_$1=no
$2_VERSION=
AS_IF([test "$with_$1" != no], [
	PKG_CHECK_MODULES([$2], [$3], [aishare_have_$1=yes], [aishare_have_$1=no])
	AS_IF([test "$aishare_have_$1" = yes], [
		aishare_save_CPPFLAGS=$CPPFLAGS
		CPPFLAGS="$CPPFLAGS $$2_CFLAGS"
		AC_MSG_CHECKING([whether $4 is usable])
		AC_PREPROC_IFELSE([AC_LANG_SOURCE([$5])],
			[AC_MSG_RESULT([yes])],
			[AC_MSG_RESULT([no]); aishare_have_$1=no])
		CPPFLAGS=$aishare_save_CPPFLAGS
		$2_VERSION=`$PKG_CONFIG --modversion $1 2>/dev/null`])
	AS_IF([test "$with_$1" = yes && test "$aishare_have_$1" != yes],
		[AC_MSG_ERROR([$1 was requested with --with-$1 but $3 with a usable $4 was not found])])
])
AC_SUBST([$2_VERSION])
AM_CONDITIONAL([HAVE_$2], [test "$aishare_have_$1" = yes])
])
