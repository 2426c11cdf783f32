#!/bin/sh
# The folders under src/ are layers: none depends, by include or by a call
# its objects make, on a folder that depends back on it (scripts/layers.sh).
#
#   sh tests/layers.sh [BUILD]     (from the repository root; BUILD: build)
set -u
. "$(dirname "$0")/check.sh"
build=${1:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-layers-test.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

order=$(sh scripts/layers.sh src "$build" 2>"$tmp/err")
r=$?
[ $r = 0 ] || cat "$tmp/err"
check "src/ folders form layers, includes and calls alike: $order" $r

# The check itself: a loop through three folders is found and named.
mkdir -p "$tmp/src/a" "$tmp/src/b" "$tmp/src/c"
printf '#include "../b/b.h"\n' >"$tmp/src/a/a.c"
printf '#include "../c/c.h"\n' >"$tmp/src/b/b.c"
printf '#include "../a/a.h"\n' >"$tmp/src/c/c.c"
sh scripts/layers.sh "$tmp/src" >/dev/null 2>"$tmp/loop"
r=$?
[ $r = 1 ] && grep -q 'in a loop' "$tmp/loop" && grep -qx '  a' "$tmp/loop"
check "a folder loop is refused and named" $?
printf '/* no include */\n' >"$tmp/src/c/c.c"
out=$(sh scripts/layers.sh "$tmp/src")
[ "$out" = "c b a" ]
check "without the loop the layers are listed lowest first ($out)" $?
summary
