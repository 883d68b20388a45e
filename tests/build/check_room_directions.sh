#!/bin/sh
# The rooms of src/ depend on each other one way only, as README's
# "Architecture" section draws them: a room includes another's header only where
# the table below allows it, no room includes the C API that sits on top of them,
# and what is outside the core (plugins, the command, benchmarks) sees the core
# only through capi/aishare.h.  GPL-2.0-or-later.
set -u
srcdir=${AISHARE_SRCDIR:?}
failures=0

# room: the rooms it may include (besides itself).
allowed() {
	case $1 in
	base | params) echo "" ;;
	topology | fabric) echo "base" ;;
	ledger | priority) echo "base params" ;;
	placement) echo "base params fabric topology" ;;
	binding) echo "base topology" ;;
	sim) echo "base params ledger priority placement fabric topology" ;;
	capi) echo "base params ledger priority placement fabric topology binding sim" ;;
	*) echo "UNKNOWN" ;;
	esac
}

for dir in "$srcdir"/src/*/; do
	room=$(basename "$dir")
	case $room in cli | libslurm) continue ;; esac
	may=$(allowed "$room")
	if [ "$may" = UNKNOWN ]; then
		echo "FAIL: src/$room is no room of the architecture (add it to README and here)"
		failures=$((failures + 1))
		continue
	fi
	for file in "$dir"*.cpp "$dir"*.hpp; do
		[ -f "$file" ] || continue
		for used in $(sed -n 's|^#[[:space:]]*include[[:space:]]*"\([a-z_]*\)/.*|\1|p' "$file" | sort -u); do
			[ "$used" = "$room" ] && continue
			case " $may " in
			*" $used "*) ;;
			*)
				echo "FAIL: src/$room/$(basename "$file") includes $used/: $room may use only: ${may:-nothing}"
				failures=$((failures + 1))
				;;
			esac
		done
		if [ "$room" != capi ] && grep -q '^#[[:space:]]*include[[:space:]]*"aishare.h"' "$file"; then
			echo "FAIL: src/$room/$(basename "$file") includes the C API (aishare.h), which sits on top of the rooms"
			failures=$((failures + 1))
		fi
	done
done

# Outside the core, only the public header.
outside=$(grep -rnE '^#[[:space:]]*include[[:space:]]*"(base|params|ledger|topology|fabric|placement|priority|binding|sim|capi)/' \
	"$srcdir/plugin" "$srcdir/src/cli" "$srcdir/src/libslurm" "$srcdir/bench" --include='*.c' --include='*.h' 2>/dev/null)
if [ -n "$outside" ]; then
	echo "FAIL: a core header is included outside the core (use aishare.h):"
	echo "$outside" | sed "s|$srcdir/||; s/^/    /"
	failures=$((failures + 1))
fi

if [ "$failures" -eq 0 ]; then
	echo "PASS: every room includes only the rooms it may use; outside the core only aishare.h"
	echo "1 passed, 0 failed"
	exit 0
fi
echo "0 passed, 1 failed"
exit 1
