#!/bin/sh
# contrib/slurm-aishare.spec parses (rpmspec, from Debian's rpm package), has the
# release of VERSION, pins Slurm exactly, and packages every manual page and
# plugin the build installs.  It is not built here: that needs an RPM-based
# system with SchedMD's Slurm packages.  Needs AISHARE_SRCDIR.
set -u
srcdir=${AISHARE_SRCDIR:?}
spec=$srcdir/contrib/slurm-aishare.spec
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

if ! command -v rpmspec >/dev/null; then
	echo "FAIL: rpmspec not found (contrib/install-deps.sh installs rpm)"
	exit 1
fi
if ! parsed=$(rpmspec -P "$spec" 2>&1); then
	echo "$parsed"
	echo "FAIL: rpmspec -P $spec"
	exit 1
fi
echo "ok: rpmspec parses ${spec#"$srcdir"/}"

version=$(rpmspec -q --qf '%{VERSION}\n' "$spec" 2>/dev/null | head -n 1)
[ "$version" = "$(cat "$srcdir/VERSION")" ] ||
	fail "the spec's Version $version is not VERSION's $(cat "$srcdir/VERSION")"
echo "$parsed" | grep -q '^Requires: *slurm(.*) = [0-9]' || fail "the spec does not pin Slurm with Requires: slurm = VERSION"
for page in aishare.1 aishare-params.5 preempt_aishare.8 site_factor_aishare.8 \
	job_submit_aishare.8 spank_aishare.8 preempt_aishare.so site_factor_aishare.so \
	job_submit_aishare.so spank_aishare.so; do
	echo "$parsed" | grep -q "/$page" || fail "the spec's %files lacks $page"
done
[ "$failures" -eq 0 ] && echo "ok: version, Slurm pin and %files"
[ "$failures" -eq 0 ]
