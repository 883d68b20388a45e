#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each one for
# SECONDS (default 20) over its seed corpus.  CI runs it for 15 s a target
# (contrib/run-tests.sh).  A long run, for the figures a release quotes, picks
# the targets (AISHARE_FUZZ_TARGETS) and keeps its work (AISHARE_FUZZ_DIR: the
# binaries, grown corpora, logs with libFuzzer's final stats), at low priority:
#   AISHARE_FUZZ_DIR=/tmp/fuzz AISHARE_FUZZ_TARGETS="params ledger_state" \
#     nice -n 19 tests/fuzz/run-fuzz.sh 900
# Prints one "PASS:"/"FAIL:" line per target with its executions and exec/s, and
# exits 1 on any crash, leak or sanitizer report.  GPL-2.0-or-later.
set -u
seconds=${1:-20}
targets=${AISHARE_FUZZ_TARGETS:-params ledger_state node_xml node_profile topology_conf job_request}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
work=${AISHARE_FUZZ_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/aishare-fuzz.XXXXXX")}
cxx=${CLANGXX:-clang++}
flags="-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
# The core reads node topologies through hwloc.
hwloc_libs=$(pkg-config --libs hwloc)

# The core is compiled once, a file per core at a time, and linked into every target.
mkdir -p "$work/core"
core=""
# Every room's C++ files (src/*/*.cpp); their base names are unique.
for source in "$srcdir"/src/*/*.cpp; do
	core="$core $work/core/$(basename "$source" .cpp).o"
done
# shellcheck disable=SC2016
if ! printf '%s\n' "$srcdir"/src/*/*.cpp | xargs -P "$(nproc)" -I{} sh -c \
	'$0 $1 -c -I"$2/src" -I"$2/src/capi" "$3" -o "$4/core/$(basename "$3" .cpp).o"' \
	"$cxx" "$flags" "$srcdir" {} "$work" 2>>"$work/core.build.log"; then
	echo "FAIL: fuzz: the core does not build"
	cat "$work/core.build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
passed=0
failed=0

for target in $targets; do
	bin=$work/fuzz_$target
	# shellcheck disable=SC2086
	if ! $cxx $flags -I"$srcdir/src" -I"$srcdir/src/capi" \
		"$srcdir/tests/fuzz/fuzz_$target.cpp" $core $hwloc_libs -o "$bin" 2>"$work/$target.build.log"; then
		echo "FAIL: fuzz_$target: build failed"
		cat "$work/$target.build.log"
		failed=$((failed + 1))
		continue
	fi
	# Node XMLs are tens of KiB, encoded profiles a few; the other inputs are short
	# lines.  hwloc may take seconds on a damaged XML (more under ASan): the worker
	# gives it 20 s (hwloc_worker_time_limit) before refusing the file, which is
	# what fuzz_node_xml must see, so its own timeout is longer.
	timeout=10
	case $target in
	node_xml) max_len=65536 timeout=30 ;;
	node_profile) max_len=8192 ;;
	*) max_len=4096 ;;
	esac
	mkdir -p "$work/corpus_$target"
	cp "$srcdir/tests/fuzz/corpus/$target/"* "$work/corpus_$target/" 2>/dev/null
	if "$bin" -artifact_prefix="$work/" -max_total_time="$seconds" -max_len=$max_len -timeout=$timeout -rss_limit_mb=2048 \
		-print_final_stats=1 "$work/corpus_$target" >"$work/$target.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
		runs=${runs:-0}
		echo "PASS: fuzz_$target: $runs executions in ${seconds}s ($((runs / seconds)) exec/s), no crash"
		passed=$((passed + 1))
	else
		echo "FAIL: fuzz_$target:"
		tail -40 "$work/$target.log"
		failed=$((failed + 1))
	fi
done
[ -n "${AISHARE_FUZZ_DIR:-}" ] || rm -rf "$work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
