#!/bin/sh
# The Debian package: contrib/make-deb.sh builds it from this build tree; it
# depends on the exact installed Slurm; dpkg installs it; the cluster harness
# loads the *installed* plugins and command (test_plugins_load.py and
# test_status_formats.py, pointed at Debian's Slurm plugin directory and
# /usr/bin/aishare); dpkg removes it without a trace.
#
# Installs into the system, so it runs as root, in CI only (make check), and
# removes the package even when it fails.  Needs AISHARE_SRCDIR, AISHARE_BUILDDIR.
set -u
srcdir=${AISHARE_SRCDIR:?}
builddir=${AISHARE_BUILDDIR:?}
python=${PYTHON:-/usr/bin/python3}
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

if [ "$(id -u)" -ne 0 ]; then
	echo "FAIL: installs a package: run as root (contrib/run-tests.sh does)"
	exit 1
fi
if dpkg-query -W -f='${Status}' slurm-aishare 2>/dev/null | grep -q installed; then
	echo "FAIL: slurm-aishare is already installed; remove it first (dpkg -r slurm-aishare)"
	exit 1
fi

outdir=$(mktemp -d)
cleanup() {
	dpkg -r slurm-aishare >/dev/null 2>&1
	rm -rf "$outdir"
}
trap cleanup EXIT

deb=$("$srcdir/contrib/make-deb.sh" "$builddir" "$outdir" | tail -n 1)
if [ ! -f "$deb" ]; then
	echo "FAIL: contrib/make-deb.sh made no package"
	exit 1
fi
echo "ok: built ${deb##*/} ($(du -k "$deb" | cut -f1) KiB)"

slurm=$(dpkg-query -W -f='${Version}' slurm-wlm-basic-plugins)
depends=$(dpkg-deb -f "$deb" Depends)
case $depends in
*"slurm-wlm-basic-plugins (= $slurm)"*"libslurm"*"(= $slurm)"*) echo "ok: depends on Slurm $slurm exactly" ;;
*) fail "Depends does not pin Slurm $slurm: $depends" ;;
esac

plugin_dir=$(sed -n 's/^SLURM_PLUGIN_DIR = //p' "$builddir/Makefile")
expected="/usr/bin/aishare /usr/share/man/man1/aishare.1.gz /usr/share/man/man5/aishare-params.5.gz"
for plugin in preempt_aishare site_factor_aishare job_submit_aishare spank_aishare; do
	expected="$expected $plugin_dir/$plugin.so /usr/share/man/man8/$plugin.8.gz"
done

if ! dpkg -i "$deb" >"$outdir/dpkg.log" 2>&1; then
	cat "$outdir/dpkg.log"
	echo "FAIL: dpkg -i ${deb##*/}"
	exit 1
fi
echo "ok: dpkg -i"
for path in $expected; do
	dpkg -S "$path" >/dev/null 2>&1 || fail "the package does not install $path"
done
/usr/bin/aishare version | grep -q "slurm-aishare" || fail "/usr/bin/aishare version"
man --warnings -l /usr/share/man/man5/aishare-params.5.gz >/dev/null 2>"$outdir/man.log" &&
	[ ! -s "$outdir/man.log" ] || fail "man -l aishare-params.5.gz: $(cat "$outdir/man.log")"

# The plugins Slurm finds in its own directory (all four load; jobs and steps
# run through the SPANK plugin), and the installed command reading the
# installed preempt plugin's state (aishare status in its three formats).
for test in test_plugins_load.py test_status_formats.py; do
	if AISHARE_PLUGIN_DIR=$plugin_dir AISHARE_TOOL=/usr/bin/aishare \
		"$python" "$srcdir/tests/cluster/$test" >"$outdir/cluster.log" 2>&1; then
		echo "ok: $test with the installed package ($(tail -n 1 "$outdir/cluster.log"))"
	else
		cat "$outdir/cluster.log"
		fail "$test with the installed package"
	fi
done

if dpkg -r slurm-aishare >"$outdir/dpkg.log" 2>&1; then
	for path in $expected; do
		[ ! -e "$path" ] || fail "dpkg -r left $path behind"
	done
	echo "ok: dpkg -r"
else
	cat "$outdir/dpkg.log"
	fail "dpkg -r slurm-aishare"
fi
[ "$failures" -eq 0 ]
