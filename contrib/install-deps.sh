#!/usr/bin/env bash
# Install every build and test dependency of slurm-aishare on Debian 12 (run as root),
# then fetch and prepare the Slurm source that matches the installed slurm-wlm release.
#
# The prepared source lives in a cache directory (default /var/cache/slurm-aishare) and is
# reused on later runs; configure takes it with --with-slurm-source=DIR.  The script prints
# that directory as its last line.
#
# Usage: contrib/install-deps.sh [CACHE_DIR]
set -euo pipefail

cache_dir=${1:-${AISHARE_CACHE_DIR:-/var/cache/slurm-aishare}}

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
	# accounting tests
	mariadb-server mariadb-client
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
echo "$src_dir"
