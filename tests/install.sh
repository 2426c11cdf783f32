#!/bin/sh
# Install into a scratch prefix, build the example against it through
# pkg-config, and check what it prints with and without cache maintenance.
set -u
. "$(dirname "$0")/check.sh"
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s install PREFIX="$dest/usr" >/dev/null
check "make install" $?
for f in lib/libdmakit.a lib/libdmakit.so lib/libdmakit.so.0 \
	lib/libdmakit.so.0.1.0 include/dmakit/soc.h \
	include/dmakit/models/m2m_dma.h lib/pkgconfig/dmakit.pc bin/dmakit \
	share/dmakit/dts/default.dts share/doc/dmakit/LICENSE \
	share/doc/dmakit/NEWS share/doc/dmakit/cache-model.md \
	share/doc/dmakit/examples/m2m_copy.c share/man/man1/dmakit.1 \
	share/man/man1/dmakit-stories.1; do
	test -e "$dest/usr/$f"
	check "installed $f" $?
done
# The API reference, when make docs built it (tests/docs.sh, before this).
if [ -d build/docs/html ]; then
	test -s "$dest/usr/share/doc/dmakit/html/index.html" &&
		test -s "$dest/usr/share/doc/dmakit/html/dma-mapping_8h.html"
	check "installed share/doc/dmakit/html (make docs)" $?
fi
[ "$(readlink "$dest/usr/lib/libdmakit.so")" = libdmakit.so.0 ] &&
	[ "$(readlink "$dest/usr/lib/libdmakit.so.0")" = libdmakit.so.0.1.0 ]
check "libdmakit.so -> .so.0 -> .so.0.1.0" $?
objdump -p "$dest/usr/lib/libdmakit.so.0.1.0" | grep -q 'SONAME *libdmakit.so.0$'
check "the soname is libdmakit.so.0" $?

# Exactly what the installed headers declare is exported: every name of
# the version script is defined, and nothing else is visible.
exported=$(nm -D --defined-only "$dest/usr/lib/libdmakit.so.0.1.0" |
	awk '$2 ~ /^[TDBR]$/ { sub(/@.*/, "", $3); print $3 }' | sort)
declared=$(sed -n 's/^\t\([A-Za-z_][A-Za-z0-9_]*\);$/\1/p' build/dmakit.map | sort)
[ -n "$exported" ] && [ "$exported" = "$declared" ]
check "exports are exactly the installed headers' declarations ($(echo "$exported" | wc -l))" $?
case "$exported" in *dk_dbg_report*|*dk_line_clean*|*dk_zero*) r=1 ;; *) r=0 ;; esac
check "internal functions are not exported" $r

# A multiarch, staged install and its uninstall.
stage=$(mktemp -d)
make -s install DESTDIR="$stage" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu >/dev/null &&
	test -e "$stage/usr/lib/x86_64-linux-gnu/libdmakit.so.0" &&
	grep -q '^libdir=/usr/lib/x86_64-linux-gnu$' "$stage/usr/lib/x86_64-linux-gnu/pkgconfig/dmakit.pc"
check "DESTDIR and a multiarch LIBDIR" $?
make -s uninstall DESTDIR="$stage" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu >/dev/null &&
	[ -z "$(find "$stage" -type f -o -type l)" ]
check "make uninstall removes every file it installed" $?
rm -rf "$stage"
export PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig"
export LD_LIBRARY_PATH="$dest/usr/lib"
flags=$(pkg-config --cflags --libs --static dmakit)
check "pkg-config knows dmakit" $?
cc -Wall -Wextra -Werror examples/m2m_copy.c -o "$dest/m2m_copy" $flags
check "example builds against the installed library" $?
# Every header stands on its own in C, and all of them together in C++.
r=0
for h in "$dest"/usr/include/dmakit/*.h "$dest"/usr/include/dmakit/models/*.h; do
	rel=${h#"$dest"/usr/include/}
	printf '#include <%s>\n' "$rel" |
		cc -std=c11 -Wall -Wextra -Werror $flags -fsyntax-only -x c - ||
		{ echo "not self-contained: $rel"; r=1; }
done
check "each installed header compiles on its own (C11)" $r
n=$(ls "$dest"/usr/include/dmakit/*.h "$dest"/usr/include/dmakit/models/*.h | wc -l)
m=$(grep -c '^#include <dmakit/' tests/cxx_smoke.cpp)
[ "$n" = "$m" ]
check "the C++ test includes all $n public headers" $?
${CXX:-clang++} -std=c++17 -Wall -Wextra -Werror tests/cxx_smoke.cpp \
	-o "$dest/cxx_smoke" $flags && "$dest/cxx_smoke" | grep -q '^C++: ok$'
check "C++ includes every header and runs a DMA round trip" $?
# The example driver: bound by compatible, pool descriptors, streaming
# buffers, an interrupt; clean with the checker on, and its bug shows.
cc -std=gnu11 -Wall -Wextra -Werror examples/m2m_driver.c -o "$dest/m2m_driver" $flags
check "the example driver builds against the installed library" $?
out=$("$dest/m2m_driver" 2>"$dest/err")
[ $? = 0 ] && [ "$out" = "copied 16384 bytes in 4 descriptors: ok (0 differ)" ] &&
	[ ! -s "$dest/err" ]
check "the example driver copies exactly, with nothing on stderr" $?
out=$("$dest/m2m_driver" no-unmap)
[ $? = 2 ] && [ "$out" = "copied 16384 bytes in 4 descriptors: STALE (16320 differ)" ]
check "reading before the unmap sees the stale lines" $?

# The sanitizer promise with the installed, uninstrumented library: a
# driver built with -fsanitize=address (or run under Valgrind) is stopped
# at its store into a device-owned buffer, with the owning mapping named.
${CC_ASAN:-clang} -g -O1 -fsanitize=address -fno-omit-frame-pointer -rdynamic \
	tests/poison_demo.c -o "$dest/demo-asan" $flags
check "an ASan driver builds against the installed library" $?
ASAN_OPTIONS=detect_leaks=0 "$dest/demo-asan" >"$dest/asan.txt" 2>&1
r=$?
grep -q "ERROR: AddressSanitizer: use-after-poison" "$dest/asan.txt" &&
	grep -q "WRITE of size 1" "$dest/asan.txt" &&
	grep -q "in main .*poison_demo.c" "$dest/asan.txt" &&
	grep -qF "DMA-API: the address is inside a DMA buffer owned by device /soc/master@10010000" "$dest/asan.txt" &&
	[ $r != 0 ]
check "ASan stops it at the faulting line and names the owning mapping" $?
cc -g -O1 tests/poison_demo.c -o "$dest/demo" $flags
valgrind -q --error-exitcode=99 "$dest/demo" >"$dest/vg.txt" 2>&1
r=$?
[ $r = 99 ] && grep -q "Invalid write of size 1" "$dest/vg.txt" &&
	grep -qF "inside a DMA buffer owned by device /soc/master@10010000" "$dest/vg.txt"
check "Valgrind stops it too, naming the owning device" $?

# A driver file written against Linux, through dmakit-linux.pc: its own
# includes are <linux/...> only; each compat header stands alone and
# beside the C library's.
lflags=$(pkg-config --cflags dmakit-linux)
r=0
for f in tests/linux/txd.c tests/linux/rxsg.c tests/linux/rxdesc.c; do
	! grep -q '^#include <dmakit/' "$f" &&
		cc -std=gnu11 -Wall -Wextra -Werror $lflags -c "$f" \
			-o "$dest/$(basename "$f" .c).o" || { echo "does not build: $f"; r=1; }
done
check "<linux/...>-only driver files build through dmakit-linux.pc with -Wextra" $r
# A platform driver, with the README's flags: every name it needs is
# exported by the installed shared library.
cc -std=gnu11 -Wall -Wno-unused-parameter -Wno-sign-compare -Werror -fPIC \
	$lflags -c tests/linux/eerd.c -o "$dest/eerd.o" &&
	cc -shared "$dest/eerd.o" -o "$dest/eerd.so" -Wl,--no-undefined \
		$(pkg-config --libs dmakit)
check "a platform driver links against the installed library alone" $?
r=0
for h in $(cd "$dest/usr/include/dmakit/linux-compat" && find linux -name '*.h'); do
	printf '#include <%s>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <pthread.h>\n#include <%s>\n' "$h" "$h" |
		cc -std=gnu11 -Wall -Wextra -Werror $lflags -fsyntax-only -x c - ||
		{ echo "does not stand with the C library: $h"; r=1; }
	printf '#include <stdio.h>\n#include <sys/param.h>\n#include <errno.h>\n#include <%s>\n' "$h" |
		cc -std=gnu11 -Wall -Wextra -Werror $lflags -fsyntax-only -x c - ||
		{ echo "does not follow the C library: $h"; r=1; }
done
check "each <linux/...> header compiles alone, before and after the C library's" $r

# The README's tour, exactly as printed.
awk '/^## A short tour/ { t = 1 } t && /^```c$/ { c = 1; next }
	c && /^```$/ { exit } c' README.md >"$dest/tour.c"
[ -s "$dest/tour.c" ] &&
	cc -std=gnu11 -Wall -Wextra -Werror "$dest/tour.c" -o "$dest/tour" $flags &&
	[ "$("$dest/tour")" = "hello from the device" ]
check "the README tour compiles as printed and prints the device's bytes" $?
# And with the very command the README prints (shared library, no flags).
(cd "$dest" && cc tour.c $(pkg-config --cflags --libs dmakit) -o tour-as-printed) &&
	[ "$("$dest/tour-as-printed")" = "hello from the device" ]
check "the tour builds with the README's own cc line" $?
out=$("$dest/m2m_copy")
check "example copies correctly" $?
case "$out" in *"copied 4096 bytes: ok (0 differ)"*) r=0 ;; *) r=1 ;; esac
check "example reports ok" $r
out=$("$dest/m2m_copy" skip-clean)
[ $? = 2 ]
check "without cleaning the source the copy is corrupt" $?
case "$out" in *"CORRUPT (4080 differ)"*) r=0 ;; *) r=1; echo "$out" ;; esac
check "the stale bytes are exactly the ones the CPU had not written back" $r
summary
