#!/bin/sh
# make check: every build variant and test runner, summed into one line.
# Each stage prints its own "N passed, N failed"; a stage that dies before
# printing one counts as one failure.
set -u
J=${J:-2}
PASSED=0
FAILED=0
LOG=${LOG:-build/check-logs}
mkdir -p "$LOG"
: >"$LOG/stages"

# DMAKIT_QUICK=1 is the fresh-debian stage's inner run: every stage still
# builds and runs its own tools (which is what proves the packages), but
# on every 8th unit test and with a second of fuzzing; the outer run has
# already run them all.
if [ -n "${DMAKIT_QUICK:-}" ]; then
	DMAKIT_TEST_SAMPLE=8
	FUZZ_SECONDS=1
	export DMAKIT_TEST_SAMPLE FUZZ_SECONDS
	echo "quick mode: every 8th unit test, ${FUZZ_SECONDS} s of fuzzing a target"
fi

stage() {
	name=$1
	shift
	echo "== $name"
	t0=$(date +%s)
	"$@" >"$LOG/$name.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG/$name.log" | tail -n 1)
	grep -E -B6 -A6 '^FAIL' "$LOG/$name.log" | head -n 60
	if [ -n "$summary" ]; then
		p=${summary%% passed*}
		f=${summary#*passed, }
		f=${f%% failed*}
		[ $rc -ne 0 ] && [ "$f" = 0 ] && f=1
	else
		p=0
		f=1
		tail -n 30 "$LOG/$name.log"
	fi
	echo "   $name: $p passed, $f failed (log: $LOG/$name.log, ${secs} s)"
	echo "$name $p $f" >>"$LOG/stages"
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
}

build() {
	make -s -j"$J" "$@" all
}

run_build() {
	bdir=$1
	shift
	build BUILD="$bdir" "$@" && "./$bdir/dmakit-tests"
}

stage gcc run_build build WERROR=-Werror CC=gcc
stage clang run_build build-clang WERROR=-Werror CC=clang
stage asan-ubsan env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	sh -c 'make -s -j'"$J"' BUILD=build-asan CC=clang OPT="-O1 -g" SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all && ./build-asan/dmakit-tests'
# Every public function against hostile input, in the plain and the ASan
# build (a memory error is a failure too, not only a signal or a hang).
stage sweep env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	sh tests/sweep.sh build build-asan
# Every public function's kernel-doc contract, then the reference built
# from them (make docs: doxygen, every warning an error).
# Every <linux/...> header alone and beside the C library's.
stage compat-headers sh tests/compat_headers.sh gcc clang
# The folders under src/ are layers: no include or call loop between them.
stage layers sh tests/layers.sh build
stage contracts sh tests/contracts.sh
stage docs sh tests/docs.sh
# Every test under ThreadSanitizer; the threaded ones (threads_*, and any
# that start threads) are what it checks. One report fails the stage.
stage tsan env TSAN_OPTIONS="halt_on_error=1:exitcode=66:suppressions=$(pwd)/tests/tsan.supp" \
	sh -c 'make -s -j'"$J"' BUILD=build-tsan CC=clang OPT="-O1 -g" SAN="-fsanitize=thread" all && ./build-tsan/dmakit-tests --no-fork'
stage valgrind valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite ./build/dmakit-tests --no-fork
stage harness sh tests/harness.sh build
stage soak sh tests/soak.sh
stage poison sh tests/poison.sh
stage cli sh tests/cli.sh ./build/dmakit
stage stories sh tests/stories.sh ./build/dmakit
stage pictures sh tests/pictures.sh ./build/dmakit
stage install sh tests/install.sh
stage fuzz sh tests/fuzz.sh
# The host platform over VFIO against QEMU's edu device (and e1000e for
# MSI-X) behind an emulated Intel IOMMU, then a short boot without the
# IOMMU (tests/vm/vm-check.sh). It fails, not
# skips, when the guest cannot be had (no network and no cache): only an
# explicit DMAKIT_SKIP_VM skips it, as the fresh-debian stage's inner run
# does (this run boots the guest already).
if [ -z "${DMAKIT_SKIP_VM:-}" ]; then
	stage vm-check sh -c 'make -s -j'"$J"' BUILD=build build/vm-guest-tests build/dmakit && sh tests/vm/vm-check.sh build'
else
	echo "== vm-check skipped (DMAKIT_SKIP_VM is set: $DMAKIT_SKIP_VM)"
fi
# Last: it repeats the README's commands in a bare Debian root and compares
# their result with the stages above. Its own inner run skips it.
if [ -z "${DMAKIT_SKIP_FRESH_DEBIAN:-}" ]; then
	stage fresh-debian sh tests/fresh_debian.sh "$LOG"
else
	echo "== fresh-debian skipped (DMAKIT_SKIP_FRESH_DEBIAN is set)"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
