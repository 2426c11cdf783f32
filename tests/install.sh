#!/bin/sh
# Install into a scratch prefix, build the example against it through
# pkg-config, and check what it prints with and without cache maintenance.
set -u
pass=0
fail=0
check() {
	if [ "$2" = 0 ]; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		echo "FAIL - $1"
		fail=$((fail + 1))
	fi
}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s install PREFIX="$dest/usr" >/dev/null
check "make install" $?
for f in lib/libdmakit.a lib/libdmakit.so include/dmakit/soc.h \
	include/dmakit/models/m2m_dma.h lib/pkgconfig/dmakit.pc bin/dmakit; do
	test -e "$dest/usr/$f"
	check "installed $f" $?
done
export PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig"
export LD_LIBRARY_PATH="$dest/usr/lib"
flags=$(pkg-config --cflags --libs --static dmakit)
check "pkg-config knows dmakit" $?
cc -Wall -Wextra -Werror examples/m2m_copy.c -o "$dest/m2m_copy" $flags
check "example builds against the installed library" $?
out=$("$dest/m2m_copy")
check "example copies correctly" $?
case "$out" in *"copied 4096 bytes: ok (0 differ)"*) r=0 ;; *) r=1 ;; esac
check "example reports ok" $r
out=$("$dest/m2m_copy" skip-clean)
[ $? = 2 ]
check "without cleaning the source the copy is corrupt" $?
case "$out" in *"CORRUPT (4080 differ)"*) r=0 ;; *) r=1; echo "$out" ;; esac
check "the stale bytes are exactly the ones the CPU had not written back" $r
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
