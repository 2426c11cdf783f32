#!/bin/sh
# Ownership poisoning end to end: the same buggy driver under ASan, under
# Valgrind and in a plain build. Expects build/ and build-asan/ to exist
# (tests/run-all.sh builds them first).
set -u
. "$(dirname "$0")/check.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

has() {
	grep -qF -- "$2" "$1"
	check "$3" $?
}

cc=${CC_ASAN:-clang}
$cc -Iinclude -g -O1 -rdynamic -fsanitize=address,undefined \
	-fno-omit-frame-pointer tests/poison_demo.c build-asan/libdmakit.a \
	-lfdt -ldw -lelf -lpthread -o "$out/demo-asan"
check "ASan demo builds" $?
ASAN_OPTIONS=detect_leaks=0 "$out/demo-asan" >"$out/asan.txt" 2>&1
[ $? != 0 ]
check "ASan stops the program" $?
has "$out/asan.txt" "ERROR: AddressSanitizer: use-after-poison" \
	"ASan reports use-after-poison"
has "$out/asan.txt" "WRITE of size 1" "ASan names the write"
has "$out/asan.txt" "in main" "ASan points at the faulting line's function"
has "$out/asan.txt" \
	"DMA-API: the address is inside a DMA buffer owned by device /soc/master@10010000" \
	"the report names the owning device"
has "$out/asan.txt" "[mapped with DMA_FROM_DEVICE]" "and the direction"
has "$out/asan.txt" "poison_demo_map" "and the backtrace of the mapping call"

ASAN_OPTIONS=detect_leaks=0 "$out/demo-asan" coherent-uaf >"$out/asan-uaf.txt" 2>&1
[ $? != 0 ]
check "ASan stops a store into freed coherent memory" $?
has "$out/asan-uaf.txt" "ERROR: AddressSanitizer: use-after-poison" \
	"ASan reports the freed alias as poisoned"
has "$out/asan-uaf.txt" "in coherent_use_after_free" \
	"ASan points at the store's function"

gcc -Iinclude -g -O1 -rdynamic tests/poison_demo.c build/libdmakit.a \
	-lfdt -ldw -lelf -lpthread -o "$out/demo"
check "plain demo builds" $?
valgrind -q --error-exitcode=99 "$out/demo" >"$out/vg.txt" 2>&1
[ $? = 99 ]
check "Valgrind fails the program" $?
has "$out/vg.txt" "Invalid write of size 1" "memcheck reports the write"
has "$out/vg.txt" \
	"inside a DMA buffer owned by device /soc/master@10010000" \
	"memcheck names the owning device"
has "$out/vg.txt" "poison_demo_map" \
	"memcheck shows where the mapping was made"

valgrind -q --error-exitcode=99 "$out/demo" coherent-uaf >"$out/vg-uaf.txt" 2>&1
[ $? = 99 ]
check "Valgrind fails a store into freed coherent memory" $?
has "$out/vg-uaf.txt" "Invalid write of size 1" "memcheck reports that write"
has "$out/vg-uaf.txt" "coherent_use_after_free" "at the store's function"

DMAKIT_DMA_DEBUG=all "$out/demo" >"$out/plain.txt" 2>&1
check "the plain build runs to the end" $?
has "$out/plain.txt" \
	"DMA-API: (no driver) /soc/master@10010000: CPU wrote to 1 cache line(s) the device owns" \
	"the checker finds the dirty line at unmap"
DMAKIT_DMA_DEBUG=off "$out/demo" >"$out/off.txt" 2>&1
! grep -q "DMA-API" "$out/off.txt"
check "DMAKIT_DMA_DEBUG=off silences it" $?

DMAKIT_DMA_DEBUG=abort "$out/demo" >"$out/abort.txt" 2>&1
[ $? = 134 ]
check "DMAKIT_DMA_DEBUG=abort aborts at the first report" $?
has "$out/abort.txt" "CPU wrote to 1 cache line(s) the device owns" \
	"after printing it"

summary
