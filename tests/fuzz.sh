#!/bin/sh
# Fuzz for about $FUZZ_SECONDS (default 10) seconds per target with
# libFuzzer under ASan+UBSan: the device-tree loader, seeded with every tree
# in dts/ and the malformed trees of tests/malformed/, then DMA API call
# sequences (tests/fuzz_dma_api.c). Ends with "N passed, N failed", one per
# target; a crash, leak, timeout or OOM input is kept in build-fuzz/crashes/
# (a DMA API one also when a byte, a finding or a missed misuse was wrong).
set -u
cd "$(dirname "$0")/.." || exit 1

B=build-fuzz
SECONDS_TO_RUN=${FUZZ_SECONDS:-10}
SEEDS=$B/seeds
CORPUS=$B/corpus
CRASHES=$B/crashes

PASSED=0
FAILED=0

result() {
	[ "$1" = 0 ] && PASSED=$((PASSED + 1)) || FAILED=$((FAILED + 1))
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
	exit
}

if ! make -s BUILD=$B CC=clang OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	$B/fuzz-soc-loader $B/fuzz-dma-api; then
	echo "fuzz: cannot build the fuzz targets (needs clang with libFuzzer)"
	result 1
fi

rm -rf "$SEEDS"
mkdir -p "$SEEDS" "$CORPUS" "$CRASHES"
nseeds=0
for f in dts/*.dts tests/malformed/*.dts; do
	[ -f "$f" ] || continue
	name=$(echo "$f" | tr '/' '_')
	if dtc -q -I dts -O dtb -o "$SEEDS/$name.dtb" "$f" 2>/dev/null; then
		nseeds=$((nseeds + 1))
	else
		rm -f "$SEEDS/$name.dtb"
	fi
done
echo "fuzz: $nseeds seed trees, ${SECONDS_TO_RUN}s"
if [ "$nseeds" = 0 ]; then
	echo "fuzz: no seed tree compiled (is dtc installed?)"
	result 1
fi

# Words the loader looks for, so mutations reach deep into it.
DICT=$B/soc-loader.dict
cat >"$DICT" <<'EOF'
"memory"
"device_type"
"reg"
"ranges"
"dma-ranges"
"#address-cells"
"#size-cells"
"reserved-memory"
"shared-dma-pool"
"reusable"
"no-map"
"size"
"alignment"
"alloc-ranges"
"linux,cma-default"
"memory-region"
"iommus"
"#iommu-cells"
"dmakit,iommu"
"simple-bus"
"compatible"
"status"
"okay"
"disabled"
"interrupts"
"dma-channels"
"dma-coherent"
"dmakit,m2m-dma"
"dmakit,generic-master"
"dmakit,firewall"
"dmakit,secure-ranges"
"dmakit,secure-master"
"dmakit,address-bits"
"dmakit,hw-coherent"
"dmakit,hw-noncoherent"
"dmakit,write-allocate"
"d-cache-line-size"
"writeback-granule"
"dma-minalign"
"eviction-policy"
"eviction-seed"
"eviction-rate"
"edge-policy"
"adversarial"
"random"
"never"
"clean-invalidate"
"invalidate"
"phandle"
"\xd0\x0d\xfe\xed"
EOF

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	./$B/fuzz-soc-loader -max_total_time="$SECONDS_TO_RUN" \
	-rss_limit_mb=4096 -timeout=10 -max_len=65536 \
	-dict="$DICT" -artifact_prefix="$CRASHES/" -print_final_stats=1 \
	"$CORPUS" "$SEEDS"
rc=$?
if [ $rc != 0 ]; then
	echo "fuzz: the loader fuzzer exited with $rc; reproducer(s) in $CRASHES/:"
	ls -t "$CRASHES" | head -n 5
	FAILED=$((FAILED + 1))
else
	PASSED=$((PASSED + 1))
fi

echo "fuzz: DMA API call sequences, ${SECONDS_TO_RUN}s"
mkdir -p $B/corpus-dma-api
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	./$B/fuzz-dma-api -max_total_time="$SECONDS_TO_RUN" \
	-rss_limit_mb=4096 -timeout=30 -max_len=4096 \
	-artifact_prefix="$CRASHES/dma-api-" -print_final_stats=1 \
	$B/corpus-dma-api
rc=$?
if [ $rc != 0 ]; then
	echo "fuzz: the DMA API fuzzer exited with $rc; reproducer in $CRASHES/ (run ./$B/fuzz-dma-api FILE)"
	ls -t "$CRASHES" | head -n 5
fi
result $rc
