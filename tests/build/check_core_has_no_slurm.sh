#!/bin/sh
# The core (src/) must never include a Slurm header: what it needs from Slurm
# reaches it through its C API, so that it builds and is tested without Slurm and
# survives Slurm's internal changes.  Only the aishare command (src/cli/) and the
# glue over libslurm's public API (src/libslurm/) may use <slurm/slurm.h>.
# GPL-2.0-or-later.
srcdir=${AISHARE_SRCDIR:?}
hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](slurm/|src/(common|slurmctld|slurmd)/|slurm_xlator\.h|slurmctld\.h)' \
	"$srcdir/src" --include='*.c' --include='*.h' --include='*.cpp' --include='*.hpp' | grep -v '^[^:]*/src/\(cli\|libslurm\)/')
if [ -n "$hits" ]; then
	echo "FAIL: Slurm headers included in the core:"
	echo "$hits"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "PASS: no Slurm header under src/ (outside src/cli and src/libslurm, which use libslurm's public API)"
echo "1 passed, 0 failed"
