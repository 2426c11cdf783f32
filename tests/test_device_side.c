// SPDX-License-Identifier: MIT
/*
 * The checker's view of the device side under every cache policy: CPU
 * stores into lines a device owns are reported even when the policy's own
 * write-back erases them, and device accesses against a mapping's
 * direction are reported.
 */
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sdev;
	FILE *sink;
};

static struct rig rig(int policy)
{
	struct dk_soc_opts so = testsoc_policy(policy, 7, 50);
	struct rig r = { .t = testmachine_boot(NULL, &so, NULL) };

	r.dev = dk_machine_find_device(r.t.m, "master@10010000");
	r.sdev = dk_soc_find_dev(r.t.soc, "master@10010000");
	r.sink = testdebug_start();
	return r;
}

static void done(struct rig *r)
{
	testmachine_shutdown(&r->t);
	testdebug_end(r->sink);
}

static const struct dk_dma_finding *only(enum dk_dma_check c)
{
	const struct dk_dma_finding *f = dk_dma_debug_finding(0);

	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	CHECK(f && f->check == c);
	return f;
}

static const int policies[] = { DK_EVICT_NEVER, DK_EVICT_ADVERSARIAL,
				DK_EVICT_RANDOM };

/*
 * The CPU stores into a FROM_DEVICE buffer the device owns, then the
 * device writes it. Under adversarial the write-back lands the stale byte
 * on the packet and leaves no dirty line behind: the finding must come
 * from the write-back itself. Every policy reports exactly once.
 */
TEST(device_side_cpu_store_into_device_owned_every_policy)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct rig r = rig(policies[i]);
		u8 *buf = kmalloc(512, GFP_KERNEL), pkt[512], v = 0x11;
		dma_addr_t h = dma_map_single(r.dev, buf, 512, DMA_FROM_DEVICE);
		const struct dk_dma_finding *f;
		char first[64];

		CHECK(!dma_mapping_error(r.dev, h));
		snprintf(first, sizeof(first), "first at 0x%llx ",
			 (unsigned long long)(virt_to_phys(buf + 130) & ~63ULL));
		dk_sim_poke(buf + 130, &v, 1);
		memset(pkt, 0xee, sizeof(pkt));
		CHECK_EQ(dk_dev_dma_write(r.sdev, h, pkt, sizeof(pkt)), 0);
		if (policies[i] == DK_EVICT_ADVERSARIAL) {
			f = only(DK_CHK_CPU_TOUCH_DEVICE_OWNED);
			CHECK_STR(f ? f->message : NULL,
				  "the cache wrote them back over the device's data");
		}
		dma_unmap_single(r.dev, h, 512, DMA_FROM_DEVICE);
		f = only(DK_CHK_CPU_TOUCH_DEVICE_OWNED);
		CHECK_STR(f ? f->message : NULL,
			  "CPU wrote to 1 cache line(s) the device owns, ");
		CHECK_STR(f ? f->message : NULL, first);
		CHECK_STR(f ? f->message : NULL, "[mapped with DMA_FROM_DEVICE]");
		if (policies[i] == DK_EVICT_ADVERSARIAL)
			CHECK_EQ(buf[130], 0x11);	/* the packet lost */
		kfree(buf);
		done(&r);
	}
}

/* A correct driver's device writes give no finding under any policy. */
TEST(device_side_clean_driver_no_write_back_finding)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct rig r = rig(policies[i]);
		u8 *buf = kmalloc(4096, GFP_KERNEL), pkt[4096];
		dma_addr_t h;

		memset(buf, 0x5a, 4096);	/* dirty before the map */
		h = dma_map_single(r.dev, buf, 4096, DMA_FROM_DEVICE);
		CHECK(!dma_mapping_error(r.dev, h));
		memset(pkt, 0xc3, sizeof(pkt));
		CHECK_EQ(dk_dev_dma_write(r.sdev, h, pkt, sizeof(pkt)), 0);
		dma_unmap_single(r.dev, h, 4096, DMA_FROM_DEVICE);
		CHECK_MEM(buf, pkt, 4096);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		kfree(buf);
		done(&r);
	}
}

TEST(device_side_write_into_to_device_mapping)
{
	struct rig r = rig(DK_EVICT_NEVER);
	u8 *buf = kmalloc(256, GFP_KERNEL), pkt[64] = { 1 };
	dma_addr_t h = dma_map_single(r.dev, buf, 256, DMA_TO_DEVICE);
	const struct dk_dma_finding *f;
	char want[160];

	CHECK(!dma_mapping_error(r.dev, h));
	CHECK_EQ(dk_dev_dma_write(r.sdev, h + 64, pkt, sizeof(pkt)), 0);
	f = only(DK_CHK_DEVICE_WRONG_DIRECTION);
	snprintf(want, sizeof(want),
		 "device wrote 64 bytes at physical 0x%llx of a buffer mapped DMA_TO_DEVICE only [device address=0x%016llx] [size=256 bytes] [mapped as single]",
		 (unsigned long long)virt_to_phys(buf + 64),
		 (unsigned long long)h);
	CHECK_STR(f ? f->message : NULL, want);
	CHECK_STR(f ? f->backtrace : NULL, "dma_map_single_attrs");
	CHECK(!strcmp(dk_dma_check_name(DK_CHK_DEVICE_WRONG_DIRECTION),
		      "device-access-wrong-direction"));
	/* Reading it is what TO_DEVICE is for. */
	dk_dma_debug_clear();
	CHECK_EQ(dk_dev_dma_read(r.sdev, h, pkt, sizeof(pkt)), 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_unmap_single(r.dev, h, 256, DMA_TO_DEVICE);
	kfree(buf);
	done(&r);
}

TEST(device_side_read_of_from_device_mapping)
{
	struct rig r = rig(DK_EVICT_NEVER);
	u8 *buf = kmalloc(256, GFP_KERNEL), pkt[32];
	dma_addr_t h = dma_map_single(r.dev, buf, 256, DMA_FROM_DEVICE);
	const struct dk_dma_finding *f;

	CHECK(!dma_mapping_error(r.dev, h));
	CHECK_EQ(dk_dev_dma_read(r.sdev, h, pkt, sizeof(pkt)), 0);
	f = only(DK_CHK_DEVICE_WRONG_DIRECTION);
	CHECK_STR(f ? f->message : NULL,
		  "device read 32 bytes at physical 0x");
	CHECK_STR(f ? f->message : NULL,
		  "of a buffer mapped DMA_FROM_DEVICE only");
	dma_unmap_single(r.dev, h, 256, DMA_FROM_DEVICE);
	kfree(buf);
	done(&r);
}

/* Either direction of a BIDIRECTIONAL mapping or a coherent allocation,
 * and a write covered by an overlapping FROM_DEVICE mapping, are fine. */
TEST(device_side_direction_allowed_by_any_covering_mapping)
{
	struct rig r = rig(DK_EVICT_NEVER);
	u8 *buf = kmalloc(256, GFP_KERNEL), pkt[32] = { 0 }, *c;
	dma_addr_t h = dma_map_single(r.dev, buf, 256, DMA_BIDIRECTIONAL), hc;

	CHECK(!dma_mapping_error(r.dev, h));
	CHECK_EQ(dk_dev_dma_read(r.sdev, h, pkt, sizeof(pkt)), 0);
	CHECK_EQ(dk_dev_dma_write(r.sdev, h, pkt, sizeof(pkt)), 0);
	dma_unmap_single(r.dev, h, 256, DMA_BIDIRECTIONAL);
	c = dma_alloc_coherent(r.dev, 4096, &hc, GFP_KERNEL);
	CHECK(c != NULL);
	CHECK_EQ(dk_dev_dma_read(r.sdev, hc, pkt, sizeof(pkt)), 0);
	CHECK_EQ(dk_dev_dma_write(r.sdev, hc, pkt, sizeof(pkt)), 0);
	dma_free_coherent(r.dev, 4096, c, hc);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	done(&r);
}

/*
 * One device access over two mappings that meet in memory is covered by
 * the pair (what a scatterlist merged by an IOMMU looks like from the
 * device side); one byte past them is not.
 */
TEST(device_side_access_over_adjacent_mappings_is_covered_by_both)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct rig r = rig(policies[i]);
		struct page *pg = alloc_pages(GFP_KERNEL, 2);
		dma_addr_t a, b;
		u8 pkt[8192 + 1];

		memset(pkt, 0x3c, sizeof(pkt));
		a = dma_map_page(r.dev, pg, 0, 4096, DMA_FROM_DEVICE);
		b = dma_map_page(r.dev, pg + 1, 0, 4096, DMA_FROM_DEVICE);
		CHECK(!dma_mapping_error(r.dev, a));
		CHECK(!dma_mapping_error(r.dev, b));
		CHECK_EQ(b, a + 4096);
		CHECK_EQ(dk_dev_dma_write(r.sdev, a + 100, pkt, 8092), 0);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		CHECK_EQ(dk_dev_dma_write(r.sdev, a, pkt, 8193), 0);
		only(DK_CHK_DEVICE_UNMAPPED_ACCESS);
		dma_unmap_page(r.dev, a, 4096, DMA_FROM_DEVICE);
		dma_unmap_page(r.dev, b, 4096, DMA_FROM_DEVICE);
		__free_pages(pg, 2);
		done(&r);
	}
}
