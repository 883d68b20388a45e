#!/usr/bin/env bash
# Build a Debian package of slurm-aishare from a configured and built tree:
# the plugins in Debian's Slurm plugin directory, the aishare command, the
# manual pages, the JSON schema and the commented examples.  The package depends
# on the exact Slurm release it was built against (the plugins use Slurm's
# internal ABI, which changes between releases, Debian revisions included).
#
# Usage: contrib/make-deb.sh BUILDDIR [OUTDIR]      (or `make deb` in BUILDDIR)
# Prints the path of the .deb as its last line.  Needs dpkg-dev and fakeroot
# only for dpkg-shlibdeps; dpkg-deb --root-owner-group makes root the owner.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:?usage: make-deb.sh BUILDDIR [OUTDIR]}" && pwd)
outdir=$(mkdir -p "${2:-$builddir}" && cd "${2:-$builddir}" && pwd)

die() {
	echo "make-deb: $*" >&2
	exit 1
}
makefile_value() { # the value configure substituted for VARIABLE in BUILDDIR
	sed -n "s/^$1 = //p" "$builddir/Makefile" | head -n 1
}

[ -f "$builddir/Makefile" ] || die "$builddir is not a configured build directory"
version=$(makefile_value PACKAGE_VERSION)
slurm_upstream=$(makefile_value SLURM_VERSION)
plugin_dir=$(makefile_value SLURM_PLUGIN_DIR)
[ -n "$slurm_upstream" ] && [ -n "$plugin_dir" ] ||
	die "$builddir was configured without the plugins; configure it with --with-slurm-source=DIR"
case $plugin_dir in
/usr/lib/*/slurm-wlm) ;;
*) die "the plugin directory is $plugin_dir, not Debian's /usr/lib/<triplet>/slurm-wlm" ;;
esac

# The exact Debian version of the Slurm the plugins were built for: the
# installed one, which configure checked against the Slurm source.
slurm_deb=$(dpkg-query -W -f='${Version}' slurm-wlm-basic-plugins 2>/dev/null) ||
	die "slurm-wlm-basic-plugins is not installed (contrib/install-deps.sh installs it)"
[ "${slurm_deb%%-*}" = "$slurm_upstream" ] ||
	die "the build is for Slurm $slurm_upstream but Slurm $slurm_deb is installed; reconfigure and rebuild"
arch=$(dpkg --print-architecture)
revision=${AISHARE_DEB_REVISION:-1}
deb=$outdir/slurm-aishare_${version}-${revision}_${arch}.deb

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
# prefix=/usr on the command line: the package installs into the system, whatever
# prefix the build was configured with (the plugin directory is absolute).
if ! { make -s -C "$builddir" && make -s -C "$builddir" install-strip DESTDIR="$root" prefix=/usr; } \
	>"$stage/install.log" 2>&1; then
	cat "$stage/install.log" >&2
	die "make install failed in $builddir"
fi

for plugin in preempt_aishare site_factor_aishare job_submit_aishare spank_aishare; do
	[ -f "$root$plugin_dir/$plugin.so" ] || die "make install put no $plugin.so in $plugin_dir"
done
# Debian policy: manual pages compressed, documentation and examples under
# /usr/share/doc/PACKAGE, a copyright file there.
find "$root/usr/share/man" -type f -exec gzip -9n {} +
docdir=$root/usr/share/doc/slurm-aishare
mkdir -p "$docdir/examples"
install -m 644 "$top/README.md" "$top/NEWS" "$docdir/"
gzip -9n "$docdir/NEWS"
install -m 644 "$top"/contrib/{slurm.conf,plugstack.conf,topology.conf,gres.conf} "$docdir/examples/"
cat >"$docdir/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: slurm-aishare

Files: *
Copyright: 2026 The slurm-aishare authors
License: GPL-2+
 On Debian systems the full text of the GNU General Public License version 2
 is in /usr/share/common-licenses/GPL-2.
COPYRIGHT

# Library dependencies of the binaries, as dpkg-shlibdeps computes them (it
# wants a debian/control beside it), with libslurm pinned to Slurm's exact
# version: the aishare command uses libslurm's API of that release.
mkdir -p "$stage/shlibs/debian"
printf 'Source: slurm-aishare\n\nPackage: slurm-aishare\nArchitecture: any\n' \
	>"$stage/shlibs/debian/control"
binaries=$(find "$root" -type f \( -name '*.so' -o -path '*/bin/*' \))
# shellcheck disable=SC2086
shlibs=$(cd "$stage/shlibs" && dpkg-shlibdeps -O $binaries 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p' | sed -E "s/(libslurm[0-9]+) \([^)]*\)/\1 (= $slurm_deb)/")
case $shlibs in
*"libslurm"*"(= $slurm_deb)"*) ;;
*) die "dpkg-shlibdeps found no libslurm dependency: $shlibs" ;;
esac

mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: slurm-aishare
Version: ${version}-${revision}
Architecture: $arch
Maintainer: ${DEBFULLNAME:-slurm-aishare authors} <${DEBEMAIL:-root@localhost}>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: slurm-wlm-basic-plugins (= $slurm_deb), $shlibs
Breaks: slurmctld (<< $slurm_deb), slurmctld (>> $slurm_deb), slurmd (<< $slurm_deb), slurmd (>> $slurm_deb)
Section: admin
Priority: optional
Description: Slurm plugins that open GPU clusters to AI start-ups
 slurm-aishare guarantees start-up partitions a share of the GPU nodes while
 lending the idle part (preempt/aishare), orders start-up work by pool deficit,
 fair share and grant pacing (site_factor/aishare), places large training jobs
 on the fewest leaf switches (job_submit/aishare) and binds each task to its
 GPU, closest NIC and local cores (spank_aishare.so).  The aishare command
 shows the pools as text, JSON or Prometheus metrics.
 .
 Built for Slurm $slurm_deb: the plugins load only into that exact release.
CONTROL

dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
