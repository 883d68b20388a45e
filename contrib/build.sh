#!/usr/bin/env bash
# Install the dependencies (contrib/install-deps.sh) and build slurm-aishare in a
# build directory (default _build in the source tree).  Prints nothing but
# progress; the plugins end up in BUILDDIR/plugin/.libs.  Run as root.
# AISHARE_SLURM names the Slurm release to build for (22.05, Debian's, by default;
# 24.11, 25.11 or 26.05 are built from source once, see install-deps.sh).
#
# Usage: contrib/build.sh [BUILDDIR [extra configure arguments...]]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-$top/_build}
shift || true

slurm=$("$top/contrib/install-deps.sh" --slurm "${AISHARE_SLURM:-22.05}" | tail -n 2)
slurm_prefix=$(echo "$slurm" | head -n 1)
slurm_source=$(echo "$slurm" | tail -n 1)
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	./autogen.sh >/dev/null
fi
mkdir -p "$builddir"
cd "$builddir"
# Reconfigure when the arguments change, so one tree can serve demo and tests.
args="--with-slurm=$slurm_prefix --with-slurm-source=$slurm_source --with-hwloc --with-pmix --with-check $*"
if [ ! -f Makefile ] || [ "$(cat .aishare-configure-args 2>/dev/null)" != "$args" ]; then
	# shellcheck disable=SC2086
	"$top/configure" -q $args
	echo "$args" >.aishare-configure-args
fi
make -s -j"$(nproc)" >/dev/null
