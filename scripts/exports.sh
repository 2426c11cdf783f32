#!/bin/sh
# The shared library's linker version script: every function and variable
# the installed headers declare, and nothing else. The compiler lists the
# declarations (-aux-info), so a new public function is exported as soon
# as its header declares it, and an internal one never is.
# Usage: scripts/exports.sh CC OUT
set -eu
cc=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in include/dmakit/*.h include/dmakit/*/*.h; do
	echo "#include <${h#include/}>"
done >"$tmp/all.c"
"$cc" -Iinclude -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c"
{
	echo "DMAKIT_0 {"
	echo "global:"
	# "/* include/dmakit/x.h:12:NC */ extern int name (args);"
	grep '^/\* include/dmakit/' "$tmp/aux" | grep ' \*/ extern ' |
		sed -e 's/ *(.*//' -e 's/.*[ *]//' | sort -u |
		sed -e 's/.*/	&;/'
	grep -h '^extern [^(]*;' include/dmakit/*.h include/dmakit/*/*.h |
		sed -e 's/;.*//' -e 's/.*[ *]//' | sort -u |
		sed -e 's/.*/	&;/'
	echo "local:"
	echo "	*;"
	echo "};"
} >"$out.tmp"
mv "$out.tmp" "$out"
