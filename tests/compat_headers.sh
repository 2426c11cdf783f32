#!/bin/sh
# Every header of the <linux/...> tree (include/linux-compat) compiles on
# its own, twice over (include guards), and beside the C library's
# <stdio.h>, <string.h>, <stdlib.h>, <pthread.h>, <sys/param.h> and
# <errno.h>, before them and after them (kmalloc, readl, min/max,
# ERR_PTR, container_of and HZ must not clash), with gcc; then all of
# them in one file, as a driver includes a dozen, with each compiler.
#
#   sh tests/compat_headers.sh [CC...]    (from the repository root;
#                                          default: gcc clang)
set -u
[ $# -gt 0 ] || set -- gcc clang
flags="-std=gnu11 -Wall -Wextra -Werror -Iinclude/linux-compat -Iinclude -fsyntax-only -x c -"
libc='#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <pthread.h>
#include <sys/param.h>
#include <errno.h>'
PASSED=0
FAILED=0
headers=$(cd include/linux-compat && find linux -name '*.h' | sort)
for h in $headers; do
	r=0
	# First in its file (alone), again (guard), before the C library.
	printf '#include <%s>\n#include <%s>\n%s\n' "$h" "$h" "$libc" |
		$1 $flags || { echo "FAIL $1: $h alone or before the C library"; r=1; }
	printf '%s\n#include <%s>\n' "$libc" "$h" |
		$1 $flags || { echo "FAIL $1: $h after the C library"; r=1; }
	if [ $r = 0 ]; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
	fi
done
for cc in "$@"; do
	if echo "$headers" | sed 's/.*/#include <&>/' |
	   { cat; echo "$libc"; } | $cc $flags; then
		PASSED=$((PASSED + 1))
	else
		echo "FAIL $cc: all headers together"
		FAILED=$((FAILED + 1))
	fi
done
echo "ok   $(echo "$headers" | wc -l) headers"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
