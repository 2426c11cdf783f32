// SPDX-License-Identifier: MIT
/*
 * The checker keeps the mapping a thread made last out of its indexes
 * until a lookup needs it: each kind of lookup must still find that
 * mapping, with the same findings as any other.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sdev;
	FILE *sink;
	u8 *buf;
};

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	r.dev = dk_machine_find_device(r.t.m, "master@10010000");
	r.sdev = dk_soc_find_dev(r.t.soc, "master@10010000");
	r.sink = testdebug_start();
	r.buf = kmalloc(4096, GFP_KERNEL);
	return r;
}

static void done(struct rig *r)
{
	kfree(r->buf);
	testmachine_shutdown(&r->t);
	testdebug_end(r->sink);
}

static dma_addr_t map(struct rig *r, size_t off, size_t len,
		      enum dma_data_direction dir)
{
	dma_addr_t h = dma_map_single(r->dev, r->buf + off, len, dir);

	CHECK_EQ(dma_mapping_error(r->dev, h), 0);
	return h;
}

/* Device accesses, syncs and a mistaken unmap, each of the mapping just
 * made, then of one that is no longer the newest. */
TEST(debug_newest_mapping_found_by_every_lookup)
{
	struct rig r = rig();
	u8 pkt[64] = { 0x5a };
	dma_addr_t a, b;
	char want[200];

	a = map(&r, 0, 256, DMA_FROM_DEVICE);
	/* The device-side check walks the indexes by physical address. */
	CHECK_EQ(dk_dev_dma_write(r.sdev, a + 64, pkt, sizeof(pkt)), 0);
	dma_sync_single_for_cpu(r.dev, a, 256, DMA_FROM_DEVICE);
	CHECK_EQ(r.buf[64], 0x5a);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_sync_single_for_device(r.dev, a, 256, DMA_FROM_DEVICE);

	/* a is indexed now: b is the newest, and a sync out of b's range
	 * names b. */
	b = map(&r, 1024, 128, DMA_TO_DEVICE);
	dma_sync_single_for_device(r.dev, b + 64, 128, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver syncs DMA memory outside allocated range [device address=0x%016llx] [allocation size=128 bytes] [sync offset+size=192]",
		 (unsigned long long)b);
	testdebug_only(DK_CHK_SYNC_OUT_OF_RANGE, want);

	/* An unmap of the newest with the wrong size finds it all the
	 * same, through the walk. */
	dma_unmap_single(r.dev, b, 64, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver frees DMA memory with different size [device address=0x%016llx] [map size=128 bytes] [unmap size=64 bytes]",
		 (unsigned long long)b);
	testdebug_only(DK_CHK_FREE_SIZE, want);

	/* a is no one's newest: the tree gives it up cleanly. */
	dma_unmap_single(r.dev, a, 256, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(dk_dev_dma_write(r.sdev, a, pkt, sizeof(pkt)), 0);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_UNMAPPED_ACCESS), 1);
	done(&r);
}

/* The dump of the newest mapping, and kfree() of its buffer. */
TEST(debug_newest_mapping_seen_by_free_and_dump)
{
	struct rig r = rig();
	u8 *p = kmalloc(256, GFP_KERNEL);
	dma_addr_t h = dma_map_single(r.dev, p, 256, DMA_TO_DEVICE);
	struct dk_dma_debug_stats st;
	char want[200], *text = NULL;
	size_t n = 0;
	FILE *f;

	CHECK_EQ(dma_mapping_error(r.dev, h), 0);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 1);
	f = open_memstream(&text, &n);
	CHECK(f != NULL);
	if (f) {
		dk_dma_debug_dump(r.dev, f);
		fclose(f);
	}
	snprintf(want, sizeof(want),
		 "(no driver) %s: [device address=0x%016llx] [size=256 bytes] [single] [DMA_TO_DEVICE]\n",
		 dev_name(r.dev), (unsigned long long)h);
	CHECK_STR(text, want);
	CHECK_EQ(text ? strlen(text) : 0, strlen(want));
	free(text);
	kfree(p);
	snprintf(want, sizeof(want),
		 "device driver frees kmalloc memory it still has mapped for DMA [addr=%p] [size=256]",
		 (void *)p);
	testdebug_only(DK_CHK_FREE_MAPPED, want);
	dma_unmap_single(r.dev, h, 256, DMA_TO_DEVICE);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	done(&r);
}
