#!/bin/sh
# Fuzz the device-tree loader for about $FUZZ_SECONDS (default 20) seconds
# with libFuzzer under ASan+UBSan, seeded with every tree in dts/ and the
# malformed trees of tests/malformed/. Ends with "1 passed, 0 failed" or
# "0 passed, 1 failed"; a crash, leak, timeout or OOM input is kept in
# build-fuzz/crashes/.
set -u
cd "$(dirname "$0")/.." || exit 1

B=build-fuzz
SECONDS_TO_RUN=${FUZZ_SECONDS:-20}
SEEDS=$B/seeds
CORPUS=$B/corpus
CRASHES=$B/crashes

result() {
	if [ "$1" = 0 ]; then
		echo "1 passed, 0 failed"
		exit 0
	fi
	echo "0 passed, 1 failed"
	exit 1
}

if ! make -s BUILD=$B CC=clang OPT="-O1 -g" \
	SAN="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	$B/fuzz-soc-loader; then
	echo "fuzz: cannot build $B/fuzz-soc-loader (needs clang with libFuzzer)"
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
	echo "fuzz: the fuzzer exited with $rc; reproducer(s) in $CRASHES/:"
	ls -t "$CRASHES" | head -n 5
fi
result $rc
