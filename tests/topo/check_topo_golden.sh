#!/bin/sh
# Golden tests of `aishare topo show|gres|check|bound|features` over every fixture in
# tests/data: the output (stdout, stderr and exit status, with the source path
# written as SRCDIR) must equal tests/golden/topo/CASE.out, and every --json
# output must parse.  After a deliberate change of output, regenerate with
#   AISHARE_UPDATE_GOLDEN=1 make check TESTS=topo/check_topo_golden.sh
# and review the diff.  GPL-2.0-or-later.
set -u
srcdir=${AISHARE_SRCDIR:?}
aishare=${AISHARE_BUILDDIR:?}/src/aishare
data=$srcdir/tests/data
golden=$srcdir/tests/golden/topo
work=$(mktemp -d "${TMPDIR:-/tmp}/aishare-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# case NAME ARGS...: run `aishare topo ARGS` and compare with the golden file.
case_() {
	name=$1
	shift
	out=$work/$name.out
	LC_ALL=C "$aishare" topo "$@" >"$out.stdout" 2>"$out.stderr"
	rc=$?
	{
		cat "$out.stdout"
		sed 's/^/stderr: /' "$out.stderr"
		echo "exit: $rc"
	} | sed "s|$srcdir|SRCDIR|g; s|$work|WORK|g" >"$out"
	# Output a shell or a file joins to the next line is a defect in itself.
	if [ -s "$out.stdout" ] && [ "$(tail -c 1 "$out.stdout" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo "FAIL: $name: stdout does not end with a newline"
		failed=$((failed + 1))
		return
	fi
	case " $* " in
	*" --json "*)
		if [ $rc -le 1 ] && [ -s "$out.stdout" ] && ! python3 -m json.tool "$out.stdout" >/dev/null 2>&1; then
			echo "FAIL: $name: --json output does not parse"
			failed=$((failed + 1))
			return
		fi ;;
	esac
	if [ -n "${AISHARE_UPDATE_GOLDEN:-}" ]; then
		cp "$out" "$golden/$name.out"
	fi
	if diff -u "$golden/$name.out" "$out" >"$out.diff" 2>&1; then
		echo "PASS: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name: output differs from tests/golden/topo/$name.out"
		cat "$out.diff"
		failed=$((failed + 1))
	fi
}

# Every node fixture alone, then all together (node classes, degraded nodes).
for xml in "$data"/hwloc/*.xml; do
	node=$(basename "$xml" .xml)
	case_ "show-$node" show "$xml"
	case_ "show-$node-json" show --json "$xml"
	case_ "gres-$node" gres "$xml"
	case_ "gres-$node-json" gres --json "$xml"
done
case_ show-all show "$data/hwloc"
case_ show-all-json show --json "$data/hwloc"

# The switch tree and slurm.conf against hwloc.
topo=$data/topology
case_ check-good check --topology "$topo/good-16.conf" --slurm-conf "$topo/slurm-16.conf"
case_ check-good-json check --json --topology "$topo/good-16.conf" --slurm-conf "$topo/slurm-16.conf"
case_ check-broken check --topology "$topo/broken.conf" --slurm-conf "$topo/slurm-16.conf"
case_ check-broken-json check --json --topology "$topo/broken.conf" --slurm-conf "$topo/slurm-16.conf"
# node01..node04 claim 4 GPUs in slurm.conf; their XML says otherwise.
mkdir -p "$work/xml"
cp "$data/hwloc/gpu8-nic8.xml" "$work/xml/node01.xml"
cp "$data/hwloc/gpu4-pcie.xml" "$work/xml/node02.xml"
cp "$data/hwloc/nvidiaDGX2.xml" "$work/xml/node99.xml"
case_ check-hwloc check --topology "$topo/good-16.conf" --slurm-conf "$topo/slurm-16.conf" "$work/xml"
case_ check-hwloc-json check --json --topology "$topo/good-16.conf" --slurm-conf "$topo/slurm-16.conf" "$work/xml"
case_ bound-lingjun-64 bound --topology "$topo/lingjun_847.conf" --nodes 64
case_ bound-lingjun-free bound --topology "$topo/lingjun_847.conf" --nodes 12 \
	--free "n[0001-0005,0009-0015,0300-0302]"
case_ bound-lingjun-free-json bound --json --topology "$topo/lingjun_847.conf" --nodes 12 \
	--free "n[0001-0005,0009-0015,0300-0302]"
case_ bound-too-many bound --topology "$topo/good-16.conf" --nodes 17
case_ features-good-16 features --topology "$topo/good-16.conf"
case_ features-lingjun features --topology "$topo/lingjun_847.conf"
case_ features-broken features --topology "$topo/broken.conf"
case_ features-usage features --topology "$topo/good-16.conf" extra.xml

# Bad input: each names the file and fails without a crash.
: >"$work/empty.xml"
head -c 3000 "$data/hwloc/gpu8-nic8.xml" >"$work/truncated.xml"
printf 'not xml at all\n' >"$work/junk.xml"
truncate -s 80M "$work/huge.xml"
# hwloc 2.9 itself segfaults on this one: its worker process dies, aishare does not.
crash=$srcdir/tests/fuzz/corpus/node_xml/cpuset-without-complete-cpuset.xml
# What hwloc 3 writes (format 3.0) is named as such, with the way to a 2.x file.
sed 's/<topology version="2.0">/<topology version="3.0">/' "$data/hwloc/gpu4-pcie.xml" >"$work/hwloc3.xml"
grep -q "<topology version=\"3.0\">" "$work/hwloc3.xml" || { echo "FAIL: could not make a format 3.0 file"; failed=$((failed + 1)); }
case_ bad-xml-newer-hwloc show "$work/hwloc3.xml"
case_ bad-xml show "$work/empty.xml" "$work/truncated.xml" "$work/junk.xml" "$work/huge.xml" \
	"$work/missing.xml" "$crash" "$data/hwloc/gpu4-pcie.xml"
: >"$work/empty.conf"
printf 'SwitchName=s1 Nodes=n[1-\n' >"$work/bad-hostlist.conf"
printf 'SwitchName=s1 Nodes=n1\nSwitchNme=s2 Nodes=n2\n' >"$work/typo.conf"
truncate -s 20M "$work/huge.conf"
case_ bad-topology-empty check --topology "$work/empty.conf" --slurm-conf "$topo/slurm-16.conf"
case_ bad-topology-hostlist bound --topology "$work/bad-hostlist.conf" --nodes 1
case_ bad-topology-typo bound --topology "$work/typo.conf" --nodes 1
case_ bad-topology-huge bound --topology "$work/huge.conf" --nodes 1
case_ bad-topology-missing bound --topology "$work/missing.conf" --nodes 1
case_ bad-usage bound --nodes 0 --topology "$topo/good-16.conf"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
