#!/usr/bin/env bash
# All tests: the build with the plugins and `make check` (unit, ABI, configure and
# real-cluster tests), the unit tests again under ASan + UBSan, and `make distcheck`.
# Run as root on Debian 12; everything it needs is installed on the way.  Ends with
# one line "tests: N passed, M failed" over every test file run.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
status=0

run() { # builddir, make target, configure arguments...
	local builddir=$1 target=$2
	shift 2
	echo "=== $target in ${builddir#"$top"/} $*"
	if ! "$top/contrib/build.sh" "$builddir" "$@"; then
		echo "build failed in $builddir"
		status=1
		return
	fi
	if ! make -C "$builddir" -s "$target"; then
		status=1
		# automake keeps each failed test's output in its .log.
		find "$builddir/tests" -name '*.trs' -exec grep -l 'test-result: FAIL\|test-result: ERROR' {} + |
			while read -r trs; do
				echo "--- ${trs%.trs}.log"
				cat "${trs%.trs}.log"
			done
	fi
}

run "$top/_build" check
run "$top/_build-asan" check --enable-sanitizers
run "$top/_build" distcheck

passed=$(cat "$top"/_build/tests/{,*/}*.trs "$top"/_build-asan/tests/{,*/}*.trs 2>/dev/null | grep -c ':test-result: PASS')
failed=$(cat "$top"/_build/tests/{,*/}*.trs "$top"/_build-asan/tests/{,*/}*.trs 2>/dev/null | grep -c ':test-result: \(FAIL\|ERROR\|XPASS\|SKIP\)')
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "tests: $passed passed, $failed failed"
exit "$status"
