// SPDX-License-Identifier: MIT
/*
 * The checker's count of streaming mappings per cache line, for a
 * mapping whose lines lie in several of the table's stripes: each line
 * is counted once per mapping and uncounted at its unmap, and a line's
 * counter that went back to nothing is reused from zero.
 */
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define BIG (16 * 1024)		/* 256 lines of 64 bytes: four runs or more */

static dma_addr_t map(struct device *dev, void *p, size_t n)
{
	dma_addr_t h = dma_map_single(dev, p, n, DMA_FROM_DEVICE);

	CHECK_EQ(dma_mapping_error(dev, h), 0);
	return h;
}

TEST(debug_lines_counted_across_stripes)
{
	struct testrig r = testrig_boot(NULL, -1, -1, "master@10010000");
	struct device *dev = r.dev;
	struct device *dev2 = dk_machine_find_device(r.t.m, "master32@10020000");
	u8 *buf = kmalloc(BIG, GFP_KERNEL);
	const struct dk_dma_finding *f;
	dma_addr_t big, tail, head;
	char want[200];
	int round;

	for (round = 0; round < 2; round++) {
		big = map(dev, buf, BIG);
		/* Its last lines and its first: one overlap each. */
		tail = map(dev2, buf + BIG - 128, 128);
		head = map(dev2, buf, 128);
		CHECK_EQ(dk_dma_debug_nfindings(), 2);
		f = dk_dma_debug_finding(0);
		snprintf(want, sizeof(want),
			 "cacheline tracking EEXIST, overlapping mappings aren't supported [device address=0x%016llx] [size=128 bytes]",
			 (unsigned long long)tail);
		CHECK_EQ(f ? f->check : DK_CHK_NR, DK_CHK_CACHELINE_OVERLAP);
		CHECK_STR(f ? f->message : NULL, want);
		f = dk_dma_debug_finding(1);
		CHECK_EQ(f ? f->check : DK_CHK_NR, DK_CHK_CACHELINE_OVERLAP);
		CHECK_EQ(f ? f->dev_addr : 0, head);
		dma_unmap_single(dev2, tail, 128, DMA_FROM_DEVICE);
		dma_unmap_single(dev2, head, 128, DMA_FROM_DEVICE);
		dma_unmap_single(dev, big, BIG, DMA_FROM_DEVICE);
		dk_dma_debug_clear();
		/* Every line is back to no mapping: these overlap nothing. */
		tail = map(dev2, buf + BIG - 128, 128);
		head = map(dev2, buf + BIG / 2, 128);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		dma_unmap_single(dev2, tail, 128, DMA_FROM_DEVICE);
		dma_unmap_single(dev2, head, 128, DMA_FROM_DEVICE);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
	}
	kfree(buf);
	testrig_done(&r);
}
