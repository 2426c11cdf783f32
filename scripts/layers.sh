#!/bin/sh
# The library's folders as layers: which folder under SRC (default src)
# depends on which, by #include "../folder/..." in its sources and, with a
# build directory, by the symbols its objects take from another folder's
# objects. Prints the folders lowest first; exits 1 naming the loop if any
# folder depends, through any chain, on one that depends back on it.
#
#   sh scripts/layers.sh [SRC [BUILD]]
set -u
src=${1:-src}
build=${2:-}
[ -d "$src" ] || { echo "layers: $src: no such folder" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-layers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

for f in "$src"/*/*.[ch]; do
	from=$(basename "$(dirname "$f")")
	sed -n 's|^#include "\.\./\([A-Za-z0-9_]*\)/.*|\1|p' "$f" |
		while read -r to; do
			[ "$to" != "$from" ] && echo "$to $from"
		done
done >"$tmp/edges"

if [ -n "$build" ]; then
	# Objects whose source is gone (a file moved) are not the library.
	for o in "$build/$src"/*/*.o; do
		s=${o#"$build/"}
		[ -f "${s%.o}.c" ] || [ -f "${s%.o}.S" ] || continue
		echo "$o"
	done >"$tmp/objs"
	while read -r o; do
		dir=$(basename "$(dirname "$o")")
		nm -g --defined-only "$o" | awk -v d="$dir" 'NF == 3 { print $3, d }'
	done <"$tmp/objs" | sort -u >"$tmp/defs"
	while read -r o; do
		dir=$(basename "$(dirname "$o")")
		nm -u "$o" | awk -v d="$dir" '{ print $NF, d }'
	done <"$tmp/objs" | sort -u >"$tmp/uses"
	# "used-by user definer": the definer is below the user.
	join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $3, $2 }' \
		>>"$tmp/edges"
fi
# Folders with no edge at all still have a place.
for d in "$src"/*/; do
	d=$(basename "$d")
	echo "$d $d"
done >>"$tmp/edges"

sort -u "$tmp/edges" | tsort >"$tmp/order" 2>"$tmp/err"
if [ -s "$tmp/err" ]; then
	echo "layers: the folders under $src depend on each other in a loop:" >&2
	sed 's/^tsort: /  /' "$tmp/err" >&2
	exit 1
fi
tr '\n' ' ' <"$tmp/order" | sed 's/ $/\n/'
