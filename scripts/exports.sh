#!/bin/sh
# The shared library's linker version script: every function and variable
# the installed headers declare, and nothing else. The compiler lists the
# declarations (-aux-info), so a new public function is exported as soon
# as its header declares it, and an internal one never is.
# scripts/public-api.sh lists the functions.
# Usage: scripts/exports.sh CC OUT
set -eu
cc=$1
out=$2
{
	echo "DMAKIT_0 {"
	echo "global:"
	sh scripts/public-api.sh extern "$cc" | sed -e 's/.*/	&;/'
	# The <linux/...> tree's own functions (src/linux) too.
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-exports.XXXXXX")
	(cd include/linux-compat && find linux -name '*.h' | sort) |
		sed 's/.*/#include <&>/' >"$tmp/all.c"
	"$cc" -std=gnu11 -Iinclude/linux-compat -Iinclude -fsyntax-only \
		-aux-info "$tmp/aux" "$tmp/all.c"
	grep '^/\* include/linux-compat/' "$tmp/aux" | grep ' \*/ extern ' |
		sed -e 's/ *(.*//' -e 's/.*[ *]//' | sort -u |
		sed -e 's/.*/	&;/'
	rm -rf "$tmp"
	grep -h '^extern [^(]*;' include/dmakit/*.h include/dmakit/*/*.h |
		sed -e 's/;.*//' -e 's/.*[ *]//' | sort -u |
		sed -e 's/.*/	&;/'
	echo "local:"
	echo "	*;"
	echo "};"
} >"$out.tmp"
mv "$out.tmp" "$out"
