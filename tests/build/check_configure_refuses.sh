#!/bin/sh
# configure must refuse a Slurm source tree of another release than the installed
# slurmctld, naming both versions, a release it does not support, a prefix that is
# no Slurm installation, and a tree that is not configured.
# GPL-2.0-or-later.
set -u
srcdir=${AISHARE_SRCDIR:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/aishare-configure.XXXXXX")
trap 'rm -rf "$work"' EXIT
installed=$(slurmctld -V | sed -n 's/^slurm[^ ]* //p')
passed=0
failed=0

# A Slurm tree that looks complete but is of another release.
fake=$work/slurm-23.02.1
mkdir -p "$fake/slurm" "$fake/src/slurmctld"
printf '  Name:\t\tslurm\n  Version:\t23.02.1\n' >"$fake/META"
touch "$fake/config.h" "$fake/slurm/slurm_version.h" "$fake/src/slurmctld/slurmctld.h"

refused() { # name, expected text..., -- configure arguments
	name=$1
	shift
	mkdir -p "$work/$name" && cd "$work/$name" || exit 1
	want=""
	while [ "$1" != -- ]; do want="$want
$1"; shift; done
	shift
	if "$srcdir/configure" "$@" >out.txt 2>&1; then
		echo "FAIL: $name: configure accepted $*"
		failed=$((failed + 1))
		return
	fi
	ok=yes
	echo "$want" | while IFS= read -r text; do
		[ -z "$text" ] || grep -qF -- "$text" out.txt || { echo "FAIL: $name: no '$text' in:"; tail -3 out.txt; exit 1; }
	done || ok=no
	if [ $ok = yes ]; then
		echo "PASS: $name: $(grep 'error:' out.txt | head -n 1)"
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

refused wrong-version "Slurm source version 23.02.1" "installed slurmctld version $installed" \
	-- --with-slurm-source="$fake"
# Releases outside 22.05..26.05 are refused by name, whatever is installed.
for old_or_new in 21.08.8 26.11.0; do
	sed -i "s/Version:.*/Version:\t$old_or_new/" "$fake/META"
	refused "unsupported-$old_or_new" "Slurm $old_or_new is not supported" \
		"supports the releases 22.05 to 26.05" -- --with-slurm-source="$fake"
done
refused not-an-installation "--with-slurm=$work holds no include/slurm/slurm.h" \
	-- --with-slurm="$work" --with-slurm-source="$fake"
rm "$fake/config.h"
refused unconfigured "is not configured" -- --with-slurm-source="$fake"
refused not-slurm "not a Slurm source tree" -- --with-slurm-source="$work"
refused missing-option "--with-slurm-source=DIR is required" --
refused missing-hwloc "hwloc was requested with --with-hwloc" \
	-- --without-slurm-source --with-hwloc PKG_CONFIG_PATH=/nonexistent PKG_CONFIG_LIBDIR=/nonexistent

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
