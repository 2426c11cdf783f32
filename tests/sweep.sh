#!/bin/sh
# The hostile-input sweep: every public function must have a case, and
# every case must end with its documented result.
#
#   sh tests/sweep.sh BUILD-DIR...     (run from the repository root)
#
# The inventory lists every function declared in include/dmakit/ (gcc's
# -aux-info: prototypes and static inlines) and every function-like macro
# named in lower case, and compares it with the functions the case table
# names (dmakit-sweep --list). Then each build's dmakit-sweep runs the
# table. The last line is "N passed, N failed".
set -u
if [ $# -lt 1 ]; then
	echo "usage: sh tests/sweep.sh BUILD-DIR..." >&2
	exit 2
fi
CC=${CC:-gcc}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-sweep.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0

# ---- the inventory
for h in include/dmakit/*.h include/dmakit/models/*.h; do
	echo "#include <${h#include/}>"
done >"$TMP/all.c"
if ! $CC -std=gnu11 -Iinclude -fsyntax-only -aux-info "$TMP/aux" "$TMP/all.c"; then
	echo "FAIL inventory: the headers do not compile"
	FAILED=$((FAILED + 1))
fi
# "/* include/dmakit/x.h:12:NC */ extern int name (args);" -> name
sed -n 's|^/\* include/dmakit/[^ ]* \*/ \(.*\)$|\1|p' "$TMP/aux" |
	sed 's/ (.*//; s/.*[ *]//' >"$TMP/declared"
grep -ho '^#define [a-z_][a-z0-9_]*(' include/dmakit/*.h \
	include/dmakit/models/*.h | sed 's/^#define //; s/($//' \
	>>"$TMP/declared"
sort -u "$TMP/declared" -o "$TMP/declared"
"$1/dmakit-sweep" --list | sort -u >"$TMP/covered"
comm -23 "$TMP/declared" "$TMP/covered" >"$TMP/missing"
comm -13 "$TMP/declared" "$TMP/covered" >"$TMP/unknown"
if [ -s "$TMP/missing" ] || [ -s "$TMP/unknown" ] ||
   [ ! -s "$TMP/declared" ]; then
	echo "FAIL inventory: $(wc -l <"$TMP/declared") public functions and macros"
	sed 's/^/    no sweep case: /' "$TMP/missing"
	sed 's/^/    a case names no public function: /' "$TMP/unknown"
	FAILED=$((FAILED + 1))
else
	echo "ok   inventory: all $(wc -l <"$TMP/declared") public functions and macros have cases"
	PASSED=$((PASSED + 1))
fi

# ---- the cases, in each build
for b in "$@"; do
	echo "== $b/dmakit-sweep"
	"$b/dmakit-sweep" >"$TMP/out" 2>&1
	rc=$?
	grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $b/dmakit-sweep: no summary (exit $rc)"
		FAILED=$((FAILED + 1))
		continue
	fi
	echo "   $b: $line"
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	[ "$rc" -ne 0 ] && [ "$f" = 0 ] && f=1
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
