#!/bin/sh
# Every manual page renders without a groff warning, and aishare-params(5), which
# the build writes from the parser's tables, lists exactly the tables' keys: none
# missing, none extra, each in its own section.  The commented examples in
# contrib/ must name every key too, and README's table must be the parser's
# table (param_page --markdown), so the prose cannot fall behind the code.
#
# Needs AISHARE_SRCDIR and AISHARE_BUILDDIR (make check sets both).
set -u
srcdir=${AISHARE_SRCDIR:?}
builddir=${AISHARE_BUILDDIR:?}
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

if ! command -v groff >/dev/null; then
	echo "FAIL: groff not found (contrib/install-deps.sh installs groff-base)"
	exit 1
fi

params_page=$builddir/doc/aishare-params.5
param_page=$builddir/doc/param_page
pages="$srcdir/doc/aishare.1 $srcdir/doc/preempt_aishare.8 $srcdir/doc/site_factor_aishare.8
	$srcdir/doc/job_submit_aishare.8 $srcdir/doc/spank_aishare.8 $params_page"

# -ww turns on every warning; -z discards the output.  Any line on stderr fails.
for page in $pages; do
	if [ ! -f "$page" ]; then
		fail "$page is missing"
		continue
	fi
	warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	if [ -n "$warnings" ]; then
		fail "${page##*/} renders with warnings:"
		echo "$warnings" | sed 's/^/    /'
	else
		echo "ok: ${page##*/} renders without warnings"
	fi
done

# Keys as the page shows them: "Key=type" entries under each PARAMETERS heading,
# read from the rendered text, not from the troff source.
keys_on_page() {
	groff -man -Tascii -P-cbu "$params_page" 2>/dev/null | awk '
		/^CONTROLLER PARAMETERS/ { table = "controller"; next }
		/^NODE PARAMETERS/ { table = "node"; next }
		/^[A-Z]/ { table = "" }
		table != "" && /^       [A-Za-z]+=[a-z]+ *$/ {
			sub(/^ +/, ""); sub(/=.*/, ""); print table, $0
		}'
}

if [ -f "$params_page" ] && [ -x "$param_page" ]; then
	expected=$("$param_page" --keys | sort)
	shown=$(keys_on_page | sort)
	if [ -z "$expected" ]; then
		fail "param_page --keys printed no keys"
	elif [ "$expected" != "$shown" ]; then
		fail "aishare-params(5) and the parser's tables disagree (< table, > page):"
		printf '%s\n' "$expected" >"$tmp/table"
		printf '%s\n' "$shown" >"$tmp/page"
		diff "$tmp/table" "$tmp/page" | sed 's/^/    /'
	else
		echo "ok: aishare-params(5) lists exactly the $(echo "$expected" | wc -l) keys of the tables"
	fi

	# Every controller key in the example slurm.conf and README, every node key
	# in the example plugstack.conf and README.
	echo "$expected" | while read -r table key; do
		case $table in
		controller) example=$srcdir/contrib/slurm.conf ;;
		*) example=$srcdir/contrib/plugstack.conf ;;
		esac
		grep -q "$key" "$example" || echo "FAIL: ${example#"$srcdir"/} does not mention $key"
		grep -q "\`$key" "$srcdir/README.md" || echo "FAIL: README.md does not document \`$key\`"
	done >"$tmp/mentions"
	if [ -s "$tmp/mentions" ]; then
		cat "$tmp/mentions"
		failures=$((failures + 1))
	else
		echo "ok: contrib/slurm.conf, contrib/plugstack.conf and README.md name every key"
	fi

	# README's parameter table is the parser's table, every default and range
	# included: written by param_page --markdown, compared line by line.
	sed -n '/^<!-- params:controller/,/^<!-- params:end -->/p' "$srcdir/README.md" |
		sed '1d;$d' >"$tmp/readme-table"
	"$param_page" --markdown controller >"$tmp/table-md"
	if [ ! -s "$tmp/readme-table" ]; then
		fail "README.md has no <!-- params:controller --> ... <!-- params:end --> table"
	elif ! diff -u "$tmp/table-md" "$tmp/readme-table" >"$tmp/table-diff"; then
		fail "README.md's parameter table differs from the parser's (- parser, + README);" \
			"replace it with the output of doc/param_page --markdown controller:"
		sed 's/^/    /' "$tmp/table-diff"
	else
		echo "ok: README.md's parameter table equals the parser's, defaults and ranges included"
	fi

	# The examples' strings are ones the parser accepts.
	example=$(sed -n 's/^PrioritySiteFactorParameters=//p' "$srcdir/contrib/slurm.conf")
	if "$param_page" --parse controller "$example"; then
		echo "ok: the parser accepts contrib/slurm.conf's PrioritySiteFactorParameters"
	else
		fail "contrib/slurm.conf: PrioritySiteFactorParameters is refused (above)"
	fi
	grep '^required .*spank_aishare.so' "$srcdir/contrib/plugstack.conf" | while read -r _ _ args; do
		# plugstack.conf arguments are separate words; the parser takes them
		# comma-separated, as the SPANK plugin joins them.
		"$param_page" --parse node "$(echo "$args" | tr ' ' ',')" || echo refused
	done >"$tmp/plugstack" 2>&1
	if [ -s "$tmp/plugstack" ]; then
		fail "contrib/plugstack.conf: arguments refused:"
		sed 's/^/    /' "$tmp/plugstack"
	else
		echo "ok: the parser accepts contrib/plugstack.conf's arguments"
	fi
	# The status schema lists the lending modes a pool can report: the LendMode
	# choices, in the same order.
	# shellcheck disable=SC2016 # the backquotes are the Markdown table's
	choices=$("$param_page" --markdown controller | sed -n 's/^| `LendMode` | choice | [^|]* | \(.*\) | how .*/\1/p' | sed 's/\\|/ /g')
	enum=$(python3 -c 'import json, sys
schema = json.load(open(sys.argv[1]))
def find(node):
    if isinstance(node, dict):
        if "lend_mode" in node and "enum" in node["lend_mode"]:
            return node["lend_mode"]["enum"]
        for value in node.values():
            found = find(value)
            if found:
                return found
    return None
print(" ".join(find(schema) or []))' "$srcdir/doc/aishare-status.schema.json")
	if [ -z "$choices" ] || [ "$choices" != "$enum" ]; then
		fail "doc/aishare-status.schema.json lend_mode enum ($enum) is not LendMode's choices ($choices)"
	else
		echo "ok: the status schema's lending modes are LendMode's choices ($choices)"
	fi
else
	fail "$params_page or $param_page is missing: run make first"
fi

[ "$failures" -eq 0 ]
