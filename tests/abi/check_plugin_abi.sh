#!/bin/sh
# ABI test: each plugin .so exports exactly the symbols Slurm's loader looks up,
# links libstdc++ (the C++ core needs it), and imports no glibc error(3) in place of
# Slurm's error().  These catch the traps of out-of-tree Slurm plugins: C++ const
# symbols with internal linkage ("not a Slurm plugin"), a C link of a C++ core
# (dlopen fails), hidden visibility of plugin symbols.  GPL-2.0-or-later.
set -u
dir=${AISHARE_PLUGIN_DIR:?AISHARE_PLUGIN_DIR must name the directory of the built plugins}
failures=0
checks=0

expect() {
	name=$1
	so=$dir/$name
	shift
	want=$(printf '%s\n' "$@" | sort)
	checks=$((checks + 1))
	if [ ! -f "$so" ]; then
		echo "FAIL: $so: missing"
		failures=$((failures + 1))
		return
	fi
	got=$(nm -D --defined-only "$so" | awk '{print $3}' | sed 's/@.*//' | sort)
	if [ "$got" != "$want" ]; then
		echo "FAIL: $name exports differ from the plugin interface:"
		printf '%s\n' "$want" >"$dir/.abi-want"
		printf '%s\n' "$got" | diff "$dir/.abi-want" - | sed 's/^/    /'
		rm -f "$dir/.abi-want"
		failures=$((failures + 1))
	else
		echo "PASS: $name exports exactly its $# plugin symbols"
	fi
	checks=$((checks + 1))
	if objdump -p "$so" | grep -q 'NEEDED *libstdc++'; then
		echo "PASS: $name links libstdc++"
	else
		echo "FAIL: $name does not link libstdc++ (C link of the C++ core)"
		failures=$((failures + 1))
	fi
	# The simulator (src/sim) belongs to the aishare command, not to slurmctld:
	# none of its symbols, not even local ones, may be linked into a plugin.
	checks=$((checks + 1))
	sim=$(nm -C "$so" 2>/dev/null | grep -E 'aishare_sim_|aishare::sim|aishare_jain' | head -3)
	if [ -n "$sim" ]; then
		echo "FAIL: $name carries simulator symbols:"
		echo "$sim" | sed 's/^/    /'
		failures=$((failures + 1))
	elif ! nm "$so" >/dev/null 2>&1 || [ "$(nm "$so" 2>/dev/null | wc -l)" -eq 0 ]; then
		echo "FAIL: $name has no symbol table to check for simulator symbols (stripped?)"
		failures=$((failures + 1))
	else
		echo "PASS: $name carries no simulator symbol"
	fi
	checks=$((checks + 1))
	if nm -D --undefined-only "$so" | grep -q ' error@GLIBC'; then
		echo "FAIL: $name imports glibc's error(3) instead of Slurm's error()"
		failures=$((failures + 1))
	else
		echo "PASS: $name does not import glibc's error(3)"
	fi
}

common="plugin_name plugin_type plugin_version"
# shellcheck disable=SC2086
expect preempt_aishare.so $common init fini \
	preempt_p_job_preempt_check preempt_p_preemptable preempt_p_get_data
# shellcheck disable=SC2086
expect site_factor_aishare.so $common init fini \
	site_factor_p_reconfig site_factor_p_set site_factor_p_update
# shellcheck disable=SC2086
expect job_submit_aishare.so $common init fini job_submit job_modify
# shellcheck disable=SC2086
expect spank_aishare.so $common spank_plugin_version \
	slurm_spank_init slurm_spank_init_post_opt slurm_spank_task_init slurm_spank_exit

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
