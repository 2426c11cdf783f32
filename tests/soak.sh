#!/bin/sh
# The random differential soak, short: $SOAK_OPS steps (default 300000)
# with the gcc build, and a tenth of that under ASan+UBSan, where the
# checker's poisoning is live and a correct workload must not trip it.
# make soak runs a long one. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
OPS=${SOAK_OPS:-300000}
passed=0
failed=0

run() {
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	[ $rc -ne 0 ] && [ "$f" = 0 ] && f=1
	passed=$((passed + p))
	failed=$((failed + f))
}

run ./build/dmakit-soak --ops "$OPS" --seed 1
if make -s -j"${J:-2}" BUILD=build-asan CC=clang OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	build-asan/dmakit-soak; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		run ./build-asan/dmakit-soak --ops $((OPS / 10)) --seed 1001
else
	echo "soak: cannot build the ASan soak"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
