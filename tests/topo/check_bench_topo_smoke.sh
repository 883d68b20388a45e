#!/bin/sh
# Smoke run of bench/bench_topo (64 nodes, 200 queries) so that the benchmark
# keeps building and running; its figures are printed, not judged.  The full run
# is `bench/bench_topo --srcdir .` (4096 nodes, 10,000 queries).  GPL-2.0-or-later.
set -u
"${AISHARE_BUILDDIR:?}/bench/bench_topo" --srcdir "${AISHARE_SRCDIR:?}" --nodes 64 --queries 200
rc=$?
if [ $rc -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $rc
