/* SPDX-License-Identifier: MIT */
/*
 * <linux/map_benchmark.h> for code built against dmakit: the ioctl of
 * Linux's DMA map benchmark (kernel/dma/map_benchmark.c and its user
 * program in tools/testing/selftests/dma), an ABI: the layout is
 * Linux's.
 */
#ifndef DMAKIT_COMPAT_LINUX_MAP_BENCHMARK_H
#define DMAKIT_COMPAT_LINUX_MAP_BENCHMARK_H

#include <sys/ioctl.h>

#include <linux/types.h>

/* Limits the benchmark driver enforces. */
#define DMA_MAP_MAX_THREADS		1024
#define DMA_MAP_MAX_SECONDS		300
#define DMA_MAP_MAX_TRANS_DELAY		(10 * 1000000)	/* 10 ms, in ns */

/* map_benchmark.dma_dir */
#define DMA_MAP_BIDIRECTIONAL		0
#define DMA_MAP_TO_DEVICE		1
#define DMA_MAP_FROM_DEVICE		2

/** struct map_benchmark - the benchmark's parameters and results. */
struct map_benchmark {
	/** @avg_map_100ns: result: mean map time, in 100 ns */
	__u64 avg_map_100ns;
	/** @map_stddev: result: its standard deviation */
	__u64 map_stddev;
	/** @avg_unmap_100ns: result: mean unmap time, in 100 ns */
	__u64 avg_unmap_100ns;
	/** @unmap_stddev: result: its standard deviation */
	__u64 unmap_stddev;
	/** @threads: threads mapping at once */
	__u32 threads;
	/** @seconds: how long it runs */
	__u32 seconds;
	/** @node: the NUMA node to run on, or -1 */
	__s32 node;
	/** @dma_bits: the DMA mask to set, in bits */
	__u32 dma_bits;
	/** @dma_dir: DMA_MAP_* */
	__u32 dma_dir;
	/** @dma_trans_ns: delay between map and unmap, as for a transfer */
	__u32 dma_trans_ns;
	/** @granule: pages per mapping */
	__u32 granule;
	/** @expansion: reserved */
	__u8 expansion[76];
};

#define DMA_MAP_BENCHMARK		_IOWR('d', 1, struct map_benchmark)

#endif
