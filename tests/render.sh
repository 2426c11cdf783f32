#!/bin/sh
# The story's SVG in a real browser: headless Chromium renders it to a PNG
# that must have many colours and ink (tests/pictures.py decodes it with
# zlib), and an empty SVG must not pass the same check. Not part of make
# check: Chromium and what it pulls in are hundreds of megabytes, too much
# for the fresh-Debian stage's bare root. Run by "make check-render".
set -u
DK=${1:-./build/dmakit}
. "$(dirname "$0")/check.sh"
PY="python3 $(dirname "$0")/pictures.py"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

shot() {
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--screenshot="$2" --window-size="$3" "file://$1" \
		>"$out/chromium.log" 2>&1
}

if ! command -v chromium >/dev/null; then
	check "chromium is installed (make check-render installs it)" 1
	summary
	exit
fi
"$DK" stories two-are-better-than-one --svg "$out/s.svg" >/dev/null
check "the story's SVG" $?
size=$(sed -n 's/^<svg .* width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' \
	"$out/s.svg")
shot "$out/s.svg" "$out/s.png" "$size"
check "chromium renders it ($size)" $?
$PY png "$out/s.png"
check "the screenshot is a picture, not a blank page" $?
printf '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"/>\n' \
	>"$out/empty.svg"
shot "$out/empty.svg" "$out/empty.png" 400,300
! $PY png "$out/empty.png" >/dev/null
check "an empty SVG's screenshot fails that check" $?
summary
