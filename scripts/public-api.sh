#!/bin/sh
# The public API as the installed headers declare it, one name a line,
# sorted. gcc's -aux-info lists every declared function (prototypes and
# static inlines) with its header; clang has no -aux-info, so CC must be
# gcc whatever compiler builds.
#
#   sh scripts/public-api.sh [functions|extern] [CC]
#
# functions (the default): every function and every function-like macro
#   named in lower case, i.e. everything a caller can call; the hostile-
#   input sweep and the contract check (tests/contracts.sh) take this list.
# extern: only the functions the library defines, i.e. what the shared
#   library exports (scripts/exports.sh).
# Run from the repository root.
set -eu
what=${1:-functions}
cc=${2:-${CC:-gcc}}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmakit-api.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for h in include/dmakit/*.h include/dmakit/models/*.h; do
	echo "#include <${h#include/}>"
done >"$tmp/all.c"
if ! "$cc" -std=gnu11 -Iinclude -fsyntax-only -aux-info "$tmp/aux" "$tmp/all.c"; then
	echo "public-api.sh: the headers do not compile" >&2
	exit 1
fi
# "/* include/dmakit/x.h:12:NC */ extern int name (args);" -> name
case $what in
functions)
	{
		sed -n 's|^/\* include/dmakit/[^ ]* \*/ \(.*\)$|\1|p' "$tmp/aux" |
			sed 's/ (.*//; s/.*[ *]//'
		grep -ho '^#define [a-z_][a-z0-9_]*(' include/dmakit/*.h \
			include/dmakit/models/*.h | sed 's/^#define //; s/($//'
	} | sort -u
	;;
extern)
	grep '^/\* include/dmakit/' "$tmp/aux" | grep ' \*/ extern ' |
		sed -e 's/ *(.*//' -e 's/.*[ *]//' | sort -u
	;;
*)
	echo "usage: sh scripts/public-api.sh [functions|extern] [CC]" >&2
	exit 2
	;;
esac
