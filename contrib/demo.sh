#!/usr/bin/env bash
# The demo: build slurm-aishare, start a 16-node emulated GPU cluster on loopback
# with the plugins loaded, run a mixed workload and print the report.  Run as root
# on Debian 12; everything it needs is installed on the way.
#
# Usage: contrib/demo.sh [--slurm 22.05|24.11|25.11|26.05] [demo.py options...]
# (the release's daemons run the demo; 22.05 is Debian's, the others are built once)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export AISHARE_SLURM=22.05
if [ "${1:-}" = --slurm ]; then
	AISHARE_SLURM=${2:?demo: --slurm needs a release}
	shift 2
fi
builddir=$top/_build
[ "$AISHARE_SLURM" = 22.05 ] || builddir=$top/_build-slurm-$AISHARE_SLURM
"$top/contrib/build.sh" "$builddir"
AISHARE_SLURM_PREFIX=$("$top/contrib/install-deps.sh" --slurm "$AISHARE_SLURM" | tail -n 2 | head -n 1)
export AISHARE_SLURM_PREFIX AISHARE_PLUGIN_DIR=$builddir/plugin/.libs AISHARE_BUILDDIR=$builddir
exec /usr/bin/python3 "$top/tests/cluster/demo.py" "$@"
