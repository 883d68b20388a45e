# AISHARE_SLURM: find the Slurm installation the plugins are for (--with-slurm=PREFIX,
# default Debian's packages under /usr) and the exact source of its release, and
# check that they match.  Non-SPANK plugins include Slurm's internal headers (job and
# partition records), whose layout changes between releases, so a plugin built
# against another release's headers would corrupt slurmctld's memory.
#
# Sets and substitutes SLURM_PREFIX, SLURM_SOURCE, SLURM_VERSION, SLURMCTLD_VERSION,
# SLURM_PLUGIN_DIR, SLURM_CPPFLAGS (internal headers, for the slurmctld plugins),
# SLURM_API_CPPFLAGS and SLURM_API_LIBS (libslurm's public API, for the command,
# the benchmarks and the tests).  GPL-2.0-or-later.
AC_DEFUN([AISHARE_SLURM], [
AC_ARG_WITH([slurm],
	[AS_HELP_STRING([--with-slurm=PREFIX],
		[the Slurm installation the plugins are for: its slurmctld, libslurm, headers
		 and plugin directory (default: Debian's packages under /usr)])],
	[], [with_slurm=/usr])
AS_CASE([$with_slurm],
	[yes|no|""], [AC_MSG_ERROR([--with-slurm needs the prefix of a Slurm installation, e.g. --with-slurm=/opt/slurm/26.05.3])])
SLURM_PREFIX=$with_slurm
AS_IF([test "$SLURM_PREFIX" = /usr],
	[SLURM_API_CPPFLAGS=
	 SLURM_API_LIBS=-lslurm],
	[AS_IF([test ! -f "$SLURM_PREFIX/include/slurm/slurm.h"],
		[AC_MSG_ERROR([--with-slurm=$SLURM_PREFIX holds no include/slurm/slurm.h: not a Slurm installation])])
	 SLURM_API_CPPFLAGS="-I$SLURM_PREFIX/include"
	 SLURM_API_LIBS="-L$SLURM_PREFIX/lib -Wl,-rpath,$SLURM_PREFIX/lib -lslurm"])

AC_ARG_WITH([slurm-source],
	[AS_HELP_STRING([--with-slurm-source=DIR],
		[configured source tree of the exact Slurm release that will load the plugins
		 (contrib/install-deps.sh prints it); --without-slurm-source builds only the core])],
	[], [with_slurm_source=missing])
AC_ARG_WITH([slurm-plugindir],
	[AS_HELP_STRING([--with-slurm-plugindir=DIR],
		[where Slurm loads plugins from (default: the directory of the installed ones)])],
	[SLURM_PLUGIN_DIR=$withval], [SLURM_PLUGIN_DIR=])

SLURM_VERSION=none
SLURMCTLD_VERSION=none
SLURM_SOURCE=none
AS_CASE([$with_slurm_source],
[missing|yes], [AC_MSG_ERROR([--with-slurm-source=DIR is required: the plugins must be built against the exact Slurm release that runs them.
  On Debian, contrib/install-deps.sh fetches and prepares it and prints DIR;
  use --without-slurm-source to build only the core and its unit tests.])],
[no], [],
[
	SLURM_SOURCE=`cd "$with_slurm_source" 2>/dev/null && pwd`
	AS_IF([test -z "$SLURM_SOURCE" || test ! -f "$SLURM_SOURCE/META"],
		[AC_MSG_ERROR([--with-slurm-source=$with_slurm_source is not a Slurm source tree (no META file)])])
	AS_IF([test ! -f "$SLURM_SOURCE/config.h" || test ! -f "$SLURM_SOURCE/slurm/slurm_version.h"],
		[AC_MSG_ERROR([the Slurm source in $SLURM_SOURCE is not configured (no config.h): run its ./configure once])])
	AS_IF([test ! -f "$SLURM_SOURCE/src/slurmctld/slurmctld.h"],
		[AC_MSG_ERROR([$SLURM_SOURCE lacks src/slurmctld/slurmctld.h: not a full Slurm source tree])])
	AC_MSG_CHECKING([Slurm release of $SLURM_SOURCE])
	SLURM_VERSION=`sed -n 's/^ *Version:[[ 	]]*//p' "$SLURM_SOURCE/META" | head -n 1`
	AC_MSG_RESULT([$SLURM_VERSION])

	dnl Slurm 22.05 is the first release with the hooks the plugins use; 26.05 the
	dnl newest they are tested on.
	aishare_slurm_release=`echo "$SLURM_VERSION" | sed -n 's/^\([[0-9]][[0-9]]*\)\.\([[0-9]][[0-9]]*\).*/\1\2/p'`
	AS_IF([test -z "$aishare_slurm_release" || test "$aishare_slurm_release" -lt 2205 || test "$aishare_slurm_release" -gt 2605],
		[AC_MSG_ERROR([Slurm $SLURM_VERSION is not supported: slurm-aishare supports the releases 22.05 to 26.05])])

	AS_IF([test "$SLURM_PREFIX" = /usr],
		[AC_PATH_PROG([SLURMCTLD], [slurmctld], [], [$PATH$PATH_SEPARATOR/usr/sbin$PATH_SEPARATOR/usr/local/sbin])],
		[AS_IF([test -z "$SLURMCTLD"], [SLURMCTLD=$SLURM_PREFIX/sbin/slurmctld])
		 AS_IF([test ! -x "$SLURMCTLD"], [SLURMCTLD=])])
	AS_IF([test -z "$SLURMCTLD"],
		[AC_MSG_ERROR([slurmctld not found under $SLURM_PREFIX: the plugins must match the installed Slurm; install it, give --with-slurm=PREFIX or set SLURMCTLD=PATH])])
	AC_MSG_CHECKING([release of the installed slurmctld])
	SLURMCTLD_VERSION=`"$SLURMCTLD" -V 2>/dev/null | sed -n 's/^slurm[[^ ]]* //p' | head -n 1`
	AC_MSG_RESULT([$SLURMCTLD_VERSION])
	AS_IF([test "$SLURM_VERSION" != "$SLURMCTLD_VERSION"],
		[AC_MSG_ERROR([Slurm source version $SLURM_VERSION ($SLURM_SOURCE) differs from installed slurmctld version $SLURMCTLD_VERSION ($SLURMCTLD).
  Build against the source of the release that runs the plugins (apt-get source slurm-wlm on Debian).])])

	AC_MSG_CHECKING([Slurm plugin directory])
	AS_IF([test -z "$SLURM_PLUGIN_DIR" && test "$SLURM_PREFIX" != /usr], [
		AS_IF([test -f "$SLURM_PREFIX/lib/slurm/auth_munge.so"], [SLURM_PLUGIN_DIR=$SLURM_PREFIX/lib/slurm])])
	AS_IF([test -z "$SLURM_PLUGIN_DIR"], [
		for dir in /usr/lib/x86_64-linux-gnu/slurm-wlm /usr/lib/aarch64-linux-gnu/slurm-wlm \
			   /usr/lib64/slurm /usr/lib/slurm /usr/local/lib/slurm; do
			AS_IF([test -f "$dir/preempt_none.so"], [SLURM_PLUGIN_DIR=$dir; break])
		done])
	AS_IF([test -z "$SLURM_PLUGIN_DIR"],
		[AC_MSG_ERROR([cannot find the installed Slurm plugins; give --with-slurm-plugindir=DIR])])
	AC_MSG_RESULT([$SLURM_PLUGIN_DIR])
])
SLURM_CPPFLAGS="-I$SLURM_SOURCE"
AS_IF([test "$SLURM_SOURCE" = none],
	[AISHARE_DISTCHECK_FLAGS="--without-slurm-source"],
	[AISHARE_DISTCHECK_FLAGS="--with-slurm=$SLURM_PREFIX --with-slurm-source=$SLURM_SOURCE --with-slurm-plugindir='\$\${libdir}/slurm' --disable-cluster-tests"])
AC_SUBST([AISHARE_DISTCHECK_FLAGS])
AC_SUBST([SLURM_SOURCE])
AC_SUBST([SLURM_VERSION])
AC_SUBST([SLURMCTLD_VERSION])
AC_SUBST([SLURM_PLUGIN_DIR])
AC_SUBST([SLURM_CPPFLAGS])
AC_SUBST([SLURM_PREFIX])
AC_SUBST([SLURM_API_CPPFLAGS])
AC_SUBST([SLURM_API_LIBS])
])
