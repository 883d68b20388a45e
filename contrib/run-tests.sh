#!/usr/bin/env bash
# All tests: the build with the plugins and `make check` (unit, ABI, configure and
# real-cluster tests), the unit tests again under ASan + UBSan and under valgrind,
# a short run of each fuzz target, and `make distcheck`.  Run as root on Debian 12;
# everything it needs is installed on the way.  Ends with one line
# "tests: N passed, M failed" over every test file, valgrind run and fuzz target.
# AISHARE_FUZZ_SECONDS sets the fuzzing time per target (default 15).
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
	# Compiling uses every core; the tests themselves run one at a time, since
	# the cluster tests time Slurm's daemons.  distcheck compiles and runs only
	# unit tests, so it takes every core throughout.
	local parallel=()
	if [ "$target" = distcheck ]; then
		parallel=(-j"$(nproc)")
	elif ! make -C "$builddir" -s -j"$(nproc)" check TESTS= >/dev/null; then
		status=1
	fi
	if ! make -C "$builddir" -s "${parallel[@]}" "$target"; then
		status=1
		# automake keeps each failed test's output in its .log.
		find "$builddir/tests" -name '*.trs' -exec grep -l 'test-result: FAIL\|test-result: ERROR' {} + |
			while read -r trs; do
				echo "--- ${trs%.trs}.log"
				cat "${trs%.trs}.log"
			done
	fi
}

extra_passed=0
extra_failed=0
count() { # exit status of one extra check
	if [ "$1" -eq 0 ]; then extra_passed=$((extra_passed + 1)); else extra_failed=$((extra_failed + 1)); status=1; fi
}

run "$top/_build" check
run "$top/_build-asan" check --enable-sanitizers

echo "=== valgrind: unit tests"
for test in "$top"/_build/tests/unit/check_*; do
	if [ ! -f "$test" ] || [ ! -x "$test" ]; then continue; fi
	AISHARE_SRCDIR=$top CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect "$test" >"$test.valgrind.log" 2>&1
	rc=$?
	count $rc
	if [ $rc -eq 0 ]; then echo "PASS: valgrind ${test##*/}"; else echo "FAIL: valgrind ${test##*/}"; cat "$test.valgrind.log"; fi
done

echo "=== fuzz: ${AISHARE_FUZZ_SECONDS:-15} s per target"
"$top/tests/fuzz/run-fuzz.sh" "${AISHARE_FUZZ_SECONDS:-15}" | tee "$top/_build/fuzz.log"
fuzz_passed=$(grep -c '^PASS:' "$top/_build/fuzz.log")
fuzz_failed=$(grep -c '^FAIL:' "$top/_build/fuzz.log")
extra_passed=$((extra_passed + fuzz_passed))
extra_failed=$((extra_failed + fuzz_failed))
[ "$fuzz_failed" -eq 0 ] && [ "$fuzz_passed" -gt 0 ] || status=1

run "$top/_build" distcheck

passed=$(cat "$top"/_build/tests/{,*/}*.trs "$top"/_build-asan/tests/{,*/}*.trs 2>/dev/null | grep -c ':test-result: PASS')
failed=$(cat "$top"/_build/tests/{,*/}*.trs "$top"/_build-asan/tests/{,*/}*.trs 2>/dev/null | grep -c ':test-result: \(FAIL\|ERROR\|XPASS\|SKIP\)')
passed=$((passed + extra_passed))
failed=$((failed + extra_failed))
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "tests: $passed passed, $failed failed"
exit "$status"
