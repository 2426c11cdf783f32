#!/bin/sh
# The pictures: dmakit stories NAME --svg/--trace and DMAKIT_TRACE, checked
# with a real XML parser and a JSON parser (tests/pictures.py): rows,
# columns and marks where the run put them. Rendering in a browser is
# tests/render.sh (make check-render).
set -u
DK=${1:-./build/dmakit}
. "$(dirname "$0")/check.sh"
PY="python3 $(dirname "$0")/pictures.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$DK" stories two-are-better-than-one --svg "$out/s.svg" \
	--trace "$out/s.json" >"$out/table.txt" 2>"$out/err.txt"
check "stories NAME --svg --trace exits 0" $?
[ ! -s "$out/err.txt" ]
check "nothing on stderr" $?
$PY story "$out/s.svg"
check "the story's picture: buggy and fixed, where the data was lost" $?
$PY json "$out/s.json" 2
check "the story's trace-event JSON" $?

for s in $("$DK" stories --list | awk '{print $1}'); do
	"$DK" stories "$s" --policy random --svg "$out/$s.svg" >/dev/null 2>&1 &&
		$PY svg "$out/$s.svg" 2 >"$out/$s.log"
	r=$?
	check "story $s under random: a well-formed two-panel picture" $r
	[ $r = 0 ] || grep FAIL "$out/$s.log"
done

"$DK" stories --svg "$out/x.svg" >/dev/null 2>&1
[ $? = 2 ]
check "--svg without a story is a usage error" $?
"$DK" stories buffer-shambler --svg "$out/no/such/dir.svg" >/dev/null 2>"$out/err.txt"
[ $? = 1 ] && grep -q "no/such/dir.svg" "$out/err.txt"
check "an unwritable --svg fails and names the file" $?

# A program of one's own: every machine it boots is a panel.
DMAKIT_TRACE="$out/env.json" "$DK" stories streaming-vs-coherent \
	>/dev/null 2>"$out/err.txt"
check "DMAKIT_TRACE=FILE.json: the program runs as before" $?
$PY json "$out/env.json" 6 >"$out/env.log"
check "DMAKIT_TRACE=FILE.json: six machines, six processes" $?
DMAKIT_TRACE="$out/env.svg" "$DK" stories streaming-vs-coherent \
	--policy never >/dev/null 2>&1
$PY svg "$out/env.svg" 2 >"$out/env.log"
check "DMAKIT_TRACE=FILE: an SVG of each machine" $?
summary
