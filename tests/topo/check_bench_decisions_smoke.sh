#!/bin/sh
# Smoke run of bench/bench_decisions (256 nodes, 1,000 pending jobs, few samples):
# it must exit 0 and print a row for every decision, each with a finite p99, and
# the share-of-one-core summary.  Its figures are not judged: it is a benchmark.
# The full run is `bench/bench_decisions` (256 nodes with 1k pending, 1024 with
# 10k, 4096 with 50k: about a minute; --grid for all nine pairs).
# GPL-2.0-or-later.
set -u
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"${AISHARE_BUILDDIR:?}/bench/bench_decisions" --smoke --srcdir "${AISHARE_SRCDIR:?}" >"$out"
rc=$?
cat "$out"
passed=0 failed=0
check() { # what, then a command that must succeed
	what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
	else
		echo "FAIL: $what"
		failed=$((failed + 1))
	fi
}
check "exit status 0 (was $rc)" test "$rc" -eq 0
# plugin decision: every decision the four adapters take, once each.
for row in "preempt ledger_update" "preempt may_preempt" "preempt victim_rank" \
	"preempt find_preemptable" "job_submit ledger_update" "job_submit nodes_to_avoid" \
	"job_submit place_plan" "job_submit submission" "job_submit watch_pass_idle" \
	"job_submit watch_pass_start" "site_factor prio_model_update" \
	"site_factor prio_model_job" "site_factor prio_model_state" "site_factor recalc_pass" \
	"site_factor state_save" \
	"spank task_binding_compute"; do
	set -- $row
	# columns: plugin decision nodes pending calls p50_us p99_us p99/base p50/base per...
	check "$row: one row with calls > 0 and a finite p99 > 0" awk -v p="$1" -v d="$2" '
		$1 == p && $2 == d { rows++
			if ($5 > 0 && $7 ~ /^[0-9]+\.[0-9]+$/ && $7 + 0 > 0 && $7 + 0 >= $6 + 0) good++ }
		END { exit !(rows == 1 && good == 1) }' "$out"
done
check "share-of-one-core summary" grep -q '^share of one core at 256 nodes / 1000 pending' "$out"
# The watcher's measure ran: a placement line per pass with a multi-node start.
check "placement lines written by the watcher passes" awk '
	/^# 256 nodes/ { for (i = 1; i < NF; i++) if ($(i + 1) == "placement") n = $i }
	END { exit !(n > 0) }' "$out"
echo "$passed passed, $failed failed"
test "$failed" -eq 0
