#!/usr/bin/env bash
# The demo: build slurm-aishare, start a 16-node emulated GPU cluster on loopback
# with the plugins loaded, run a mixed workload and print the report.  Run as root
# on Debian 12; everything it needs is installed on the way.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/contrib/build.sh" "$top/_build"
export AISHARE_PLUGIN_DIR=$top/_build/plugin/.libs AISHARE_BUILDDIR=$top/_build
exec /usr/bin/python3 "$top/tests/cluster/demo.py" "$@"
