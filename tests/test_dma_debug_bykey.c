// SPDX-License-Identifier: MIT
/*
 * An unmap finds its mapping through a hash by device address (entry.c:
 * by_key), which grows as mappings are made: two mappings of one
 * address must still be met newest first after the table has grown
 * under them, as the tree walk met them.
 */
#include <stdio.h>

#include <dmakit/dma-debug.h>
#include <dmakit/sim_device.h>
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

/*
 * A device access at a mapping's start is tried first on the mappings
 * starting there (through by_key); when none allows it, the walk goes on
 * to those that start before it.
 */
TEST(debug_bykey_device_access_at_a_start_falls_back_to_the_tree)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct dk_simdev *sdev = dk_soc_find_dev(t.soc, "master@10010000");
	FILE *sink = testdebug_start();
	u8 *buf = kmalloc(512, GFP_KERNEL), pkt[64] = { 0 };
	dma_addr_t whole, part;
	char want[300];

	whole = dma_map_single(dev, buf, 512, DMA_FROM_DEVICE);
	part = dma_map_single(dev, buf + 256, 128, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(dev, whole), 0);
	CHECK_EQ(dma_mapping_error(dev, part), 0);
	dk_dma_debug_clear();
	/* part forbids the write, whole (starting before) allows it. */
	CHECK_EQ(dk_dev_dma_write(sdev, part, pkt, sizeof(pkt)), 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_unmap_single(dev, whole, 512, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dev_dma_write(sdev, part, pkt, sizeof(pkt)), 0);
	snprintf(want, sizeof(want),
		 "device wrote 64 bytes at physical 0x%llx of a buffer mapped DMA_TO_DEVICE only [device address=0x%016llx] [size=128 bytes] [mapped as single]",
		 (unsigned long long)part, (unsigned long long)part);
	testdebug_only(DK_CHK_DEVICE_WRONG_DIRECTION, want);
	dma_unmap_single(dev, part, 128, DMA_TO_DEVICE);
	kfree(buf);
	testmachine_shutdown(&t);
	testdebug_end(sink);
}

/*
 * Mappings wait in by_key for the trees until a range lookup needs them,
 * a bounded number of them: a sync inside or past each mapping, of those
 * that went in when too many waited and of those still waiting, names
 * the right mapping.
 */
TEST(debug_bykey_waiting_mappings_found_by_range_lookups)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	FILE *sink = testdebug_start();
	u8 *fill = kmalloc(NFILL * 128, GFP_KERNEL);
	static const int probe[] = { 0, 1, 100, 400, NFILL - 2, NFILL - 1 };
	dma_addr_t h[NFILL];
	char want[200];
	size_t k;
	int i;

	for (i = 0; i < NFILL; i++) {
		h[i] = dma_map_single(dev, fill + i * 128, 128, DMA_TO_DEVICE);
		CHECK_EQ(dma_mapping_error(dev, h[i]), 0);
	}
	for (k = 0; k < sizeof(probe) / sizeof(probe[0]); k++) {
		dma_addr_t a = h[probe[k]];

		dma_sync_single_for_cpu(dev, a + 64, 64, DMA_TO_DEVICE);
		dma_sync_single_for_device(dev, a + 64, 64, DMA_TO_DEVICE);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		dma_sync_single_for_device(dev, a + 64, 128, DMA_TO_DEVICE);
		snprintf(want, sizeof(want),
			 "device driver syncs DMA memory outside allocated range [device address=0x%016llx] [allocation size=128 bytes] [sync offset+size=192]",
			 (unsigned long long)a);
		testdebug_only(DK_CHK_SYNC_OUT_OF_RANGE, want);
		/* More wait again before the next lookup. */
		dma_unmap_single(dev, h[NFILL - 1], 128, DMA_TO_DEVICE);
		h[NFILL - 1] = dma_map_single(dev, fill + (NFILL - 1) * 128,
					      128, DMA_TO_DEVICE);
		CHECK_EQ(dma_mapping_error(dev, h[NFILL - 1]), 0);
	}
	for (i = 0; i < NFILL; i++)
		dma_unmap_single(dev, h[i], 128, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(fill);
	testmachine_shutdown(&t);
	testdebug_end(sink);
}
