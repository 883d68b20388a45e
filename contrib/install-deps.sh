#!/usr/bin/env bash
# Install every build and test dependency of slurm-aishare on Debian 12 (run as root),
# then prepare the Slurm release the plugins are built for and tested on:
#
#  - 22.05 (the default): Debian's slurm-wlm packages, and their exact source fetched
#    with apt-get source and configured once (Slurm's internal headers need config.h);
#  - 24.11, 25.11, 26.05: SchedMD's source of that release (24.11.7, 25.11.7, 26.05.3,
#    tarballs in $AISHARE_SLURM_TARBALLS, default ../shared/slurm beside the checkout),
#    configured with --enable-multiple-slurmd, built and installed into its own
#    prefix /opt/slurm/RELEASE, unpatched.
#
# Everything lives in a cache directory (default /var/cache/slurm-aishare) and is reused:
# a second run does nothing.  The script prints the prefix (/usr for Debian's), then the
# prepared source directory as its last line (configure's --with-slurm=PREFIX and
# --with-slurm-source=DIR).
#
# Usage: contrib/install-deps.sh [--slurm 22.05|24.11|25.11|26.05] [CACHE_DIR]
set -euo pipefail

release=${AISHARE_SLURM:-22.05}
if [ "${1:-}" = --slurm ]; then
	release=${2:?install-deps: --slurm needs a release (22.05, 24.11, 25.11 or 26.05)}
	shift 2
fi
case $release in
22.05) ;;
24.11) tag=24-11-7-1 ;;
25.11) tag=25-11-7-1 ;;
26.05) tag=26-05-3-1 ;;
*)
	echo "install-deps: Slurm $release is not supported (22.05, 24.11, 25.11, 26.05)" >&2
	exit 1
	;;
esac
cache_dir=${1:-${AISHARE_CACHE_DIR:-/var/cache/slurm-aishare}}
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (it uses apt-get)" >&2
	exit 1
fi

# deb-src is needed for `apt-get source slurm-wlm`.  Debian 12 uses deb822 sources.
sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$sources" ] && ! grep -q '^Types:.*deb-src' "$sources"; then
	sed -i 's/^Types: deb$/Types: deb deb-src/' "$sources"
	echo "install-deps: enabled deb-src in $sources" >&2
elif [ ! -f "$sources" ] && ! grep -qs '^deb-src' /etc/apt/sources.list; then
	sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/aishare-src.list
fi

export DEBIAN_FRONTEND=noninteractive
packages=(
	# build
	build-essential autoconf automake libtool pkg-config dpkg-dev
	clang libclang-rt-14-dev
	# Slurm: daemons, client, headers; munge for authentication
	slurmctld slurmd slurmdbd slurm-client libslurm-dev munge libmunge-dev
	# dependencies of the core and the SPANK plugin
	libhwloc-dev hwloc libpmix-dev libpmix-bin check
	# accounting tests; libmariadb-dev for the slurmdbd of a source release
	mariadb-server mariadb-client libmariadb-dev libmariadb-dev-compat
	# what a source release's configure looks for beside munge, hwloc and PMIx
	libjson-c-dev libyaml-dev liblz4-dev
	# tests, demo and packaging helpers
	python3 python3-matplotlib python3-jsonschema groff-base man-db valgrind procps iproute2 devscripts debhelper fakeroot rpm
)
stamp=/var/lib/slurm-aishare-deps.stamp
want=$(printf '%s\n' "${packages[@]}" | grep -v '^#' | sort | tr '\n' ' ')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${packages[@]}"
	echo "$want" >"$stamp"
fi

# The daemons must not run as system services: tests start private ones.
for svc in slurmctld slurmd slurmdbd mariadb munge; do
	if command -v systemctl >/dev/null && systemctl is-active -q "$svc" 2>/dev/null; then
		systemctl stop "$svc" || true
	fi
done

if [ "$release" != 22.05 ]; then
	# A source release: unpack, configure, build and install it once.
	version=${tag%-*}
	version=${version//-/.}
	prefix=/opt/slurm/$version
	src_dir="$cache_dir/slurm-$version"
	tarball=${AISHARE_SLURM_TARBALLS:-$top/../shared/slurm}/slurm-$tag.tar.gz
	if [ ! -f "$prefix/.aishare-installed" ] || [ ! -f "$src_dir/.aishare-prepared" ]; then
		if [ ! -f "$tarball" ]; then
			echo "install-deps: $tarball not found (set AISHARE_SLURM_TARBALLS to its folder)" >&2
			exit 1
		fi
		rm -rf "$src_dir" "$cache_dir/unpack"
		mkdir -p "$cache_dir/unpack"
		tar -xzf "$tarball" -C "$cache_dir/unpack"
		mv "$cache_dir/unpack/slurm-$tag" "$src_dir"
		rmdir "$cache_dir/unpack"
		log=$src_dir/.aishare-build.log
		echo "install-deps: building Slurm $version into $prefix (log: $log)" >&2
		# PMIx is left out unless configure is told where Debian puts it.
		(cd "$src_dir" && ./configure -q --prefix="$prefix" --sysconfdir="$prefix/etc" \
			--enable-multiple-slurmd --disable-debug \
			--with-pmix="$(pkg-config --variable=prefix pmix)" \
			--with-hwloc --with-munge &&
			make -j"$(nproc)" && make install) >"$log" 2>&1 || {
			echo "install-deps: building Slurm $version failed; see $log" >&2
			exit 1
		}
		touch "$src_dir/.aishare-prepared" "$prefix/.aishare-installed"
	fi
	echo "$prefix"
	echo "$src_dir"
	exit 0
fi

# Fetch the exact Slurm source of the installed release and run its configure once:
# our plugins include Slurm's internal headers, which need Slurm's generated config.h.
version=$(dpkg-query -W -f='${source:Version}' slurmctld)
upstream=${version%%-*}
src_dir="$cache_dir/slurm-$upstream"
if [ ! -f "$src_dir/.aishare-prepared" ]; then
	rm -rf "$src_dir" "$cache_dir/fetch"
	mkdir -p "$cache_dir/fetch"
	(cd "$cache_dir/fetch" && apt-get source -q --download-only "slurm-wlm=$version" >&2 &&
		dpkg-source --no-check -x ./*.dsc src >&2)
	mv "$cache_dir/fetch/src" "$src_dir"
	rm -rf "$cache_dir/fetch"
	(cd "$src_dir" && ./configure -q --prefix=/usr --sysconfdir=/etc/slurm \
		--disable-debug >"$src_dir/.aishare-configure.log" 2>&1) || {
		echo "install-deps: configure of the Slurm source failed; see $src_dir/.aishare-configure.log" >&2
		exit 1
	}
	touch "$src_dir/.aishare-prepared"
fi
echo /usr
echo "$src_dir"
