// SPDX-License-Identifier: MIT
/*
 * An unmap finds its mapping through a hash by device address (entry.c:
 * by_key), which grows as mappings are made: two mappings of one
 * address must still be met newest first after the table has grown
 * under them, as the tree walk met them.
 */
#include <stdio.h>

#include <dmakit/dma-debug.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define NFILL 600	/* past three doublings of the first table */

TEST(debug_bykey_same_address_newest_first_after_growth)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	FILE *sink = testdebug_start();
	u8 *buf = kmalloc(128, GFP_KERNEL), *fill = kmalloc(NFILL * 128,
							    GFP_KERNEL);
	dma_addr_t a, b, h[NFILL];
	char want[200];
	int i;

	a = dma_map_single(dev, buf, 128, DMA_TO_DEVICE);
	b = dma_map_single(dev, buf, 128, DMA_FROM_DEVICE);
	CHECK_EQ(a, b);
	for (i = 0; i < NFILL; i++) {
		h[i] = dma_map_single(dev, fill + i * 128, 128, DMA_TO_DEVICE);
		CHECK_EQ(dma_mapping_error(dev, h[i]), 0);
	}
	CHECK_EQ(dma_mapping_error(dev, a), 0);
	CHECK_EQ(dma_mapping_error(dev, b), 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* The newest, FROM_DEVICE, is the one taken. */
	dma_unmap_single(dev, a, 128, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver frees DMA memory with different direction [device address=0x%016llx] [size=128 bytes] [mapped with DMA_FROM_DEVICE] [unmapped with DMA_TO_DEVICE]",
		 (unsigned long long)a);
	testdebug_only(DK_CHK_FREE_DIR, want);
	dk_dma_debug_clear();
	/* What is left at that address is the TO_DEVICE one. */
	dma_unmap_single(dev, a, 128, DMA_TO_DEVICE);
	for (i = 0; i < NFILL; i++)
		dma_unmap_single(dev, h[i], 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(fill);
	kfree(buf);
	testmachine_shutdown(&t);
	testdebug_end(sink);
}
