// SPDX-License-Identifier: MIT
/*
 * Streaming DMA mappings on a non-coherent SoC: a correct driver gets exact
 * bytes in every direction and flavour under every eviction policy; swiotlb
 * bounces what a device cannot reach; bad arguments are refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

/* bank0 below 4 GiB, bank1 above; a 32-bit-wired master; a coherent one;
 * one behind a bus whose dma-ranges move RAM to bus address 0. */
static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	cpus { #address-cells = <1>; #size-cells = <0>;\n"
	"		cpu@0 { device_type = \"cpu\"; reg = <0>; d-cache-line-size = <64>; }; };\n"
	"	dmakit { dma-minalign = <128>; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x10000000>; };\n"
	"	memory@100000000 { device_type = \"memory\"; reg = <1 0 0 0x10000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"		nc2 { compatible = \"dmakit,generic-master\"; };\n"
	"		coh { compatible = \"dmakit,generic-master\"; dma-coherent; };\n"
	"		w32 { compatible = \"dmakit,generic-master\"; dmakit,address-bits = <32>; };\n"
	"		regs@10000000 { compatible = \"dmakit,m2m-dma\"; reg = <0 0x10000000 0 0x1000>; };\n"
	"		sub { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>;\n"
	"			ranges; dma-ranges = <0x0 0x0 0x80000000 0x10000000>;\n"
	"			ofs { compatible = \"dmakit,generic-master\"; };\n"
	"		};\n"
	"	};\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *nc, *nc2, *coh, *w32, *ofs;
	struct dk_simdev *snc, *snc2, *scoh, *sw32, *sofs;
};

static struct rig rig(int policy, const struct dk_machine_opts *mo)
{
	struct dk_soc_opts so = testsoc_policy(policy, 7, 50);
	struct rig r = { .t = testmachine_boot(tree, &so, mo) };

	if (!r.t.m)
		return r;
	r.nc = dk_machine_find_device(r.t.m, "nc");
	r.nc2 = dk_machine_find_device(r.t.m, "nc2");
	r.coh = dk_machine_find_device(r.t.m, "coh");
	r.w32 = dk_machine_find_device(r.t.m, "w32");
	r.ofs = dk_machine_find_device(r.t.m, "ofs");
	r.snc = dk_soc_find_dev(r.t.soc, "nc");
	r.snc2 = dk_soc_find_dev(r.t.soc, "nc2");
	r.scoh = dk_soc_find_dev(r.t.soc, "coh");
	r.sw32 = dk_soc_find_dev(r.t.soc, "w32");
	r.sofs = dk_soc_find_dev(r.t.soc, "ofs");
	dma_set_mask_and_coherent(r.nc, DMA_BIT_MASK(64));
	dma_set_mask_and_coherent(r.nc2, DMA_BIT_MASK(64));
	dma_set_mask_and_coherent(r.coh, DMA_BIT_MASK(64));
	return r;
}

static void pattern(u8 *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(i * 131 + seed);
}

static bool is_pattern(const u8 *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (u8)(i * 131 + seed))
			return false;
	return true;
}

#define FOR_EACH_POLICY(p) for (int p = DK_EVICT_NEVER; p <= DK_EVICT_RANDOM; p++)

TEST(dma_boot_configures_devices_like_of_dma_configure)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	struct device *fresh;

	CHECK(r.nc && r.coh && r.w32 && r.ofs);
	CHECK(!dev_is_dma_coherent(r.nc));
	CHECK(dev_is_dma_coherent(r.coh));
	fresh = dk_machine_find_device(r.t.m, "/soc/w32");
	CHECK_EQ(dma_get_mask(fresh), DMA_BIT_MASK(32));	/* default */
	CHECK_EQ(r.ofs->bus_dma_limit, 0x0fffffff);
	CHECK_EQ(phys_to_dma(r.ofs, 0x80001000), 0x1000);
	CHECK_EQ(dma_to_phys(r.ofs, 0x1000), 0x80001000);
	CHECK_EQ(phys_to_dma(r.ofs, 0x100000000ULL), DMA_MAPPING_ERROR);
	CHECK_EQ(dma_get_cache_alignment(), 128);
	CHECK(!dk_machine_find_device(r.t.m, "nope"));
	testmachine_shutdown(&r.t);
}

TEST(dma_mask_that_reaches_no_ram_is_eio)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);

	/* No RAM below 2 GiB on this SoC: 24 bits reach nothing. */
	CHECK_EQ(dma_set_mask(r.w32, DMA_BIT_MASK(24)), -EIO);
	CHECK_STR(dk_last_error(), "reaches no RAM");
	CHECK_EQ(dma_get_mask(r.w32), DMA_BIT_MASK(32));
	CHECK_EQ(dma_set_mask_and_coherent(r.w32, DMA_BIT_MASK(32)), 0);
	CHECK(dma_addressing_limited(r.w32));
	CHECK(!dma_addressing_limited(r.nc));
	CHECK_EQ(dma_max_mapping_size(r.w32), 256 * 1024);
	CHECK_EQ(dma_max_mapping_size(r.nc), SIZE_MAX);
	/* Through dma-ranges, bus address 0 is RAM: 24 bits do reach it. */
	CHECK_EQ(dma_set_mask(r.ofs, DMA_BIT_MASK(24)), 0);
	CHECK_EQ(dma_set_mask(NULL, DMA_BIT_MASK(32)), -EINVAL);
	testmachine_shutdown(&r.t);
}

TEST(dma_map_single_every_direction_every_policy)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, NULL);
		u8 *buf = kmalloc(4096, GFP_KERNEL), got[4096], in[4096];
		dma_addr_t h;
		int i;

		/* TO_DEVICE: the device reads what the CPU wrote. */
		pattern(buf, 4096, 1);
		h = dma_map_single(r.nc, buf, 4096, DMA_TO_DEVICE);
		CHECK(!dma_mapping_error(r.nc, h));
		CHECK_EQ(dk_dev_dma_read(r.snc, h, got, 4096), 0);
		CHECK(is_pattern(got, 4096, 1));
		dma_unmap_single(r.nc, h, 4096, DMA_TO_DEVICE);

		/* FROM_DEVICE over stale dirty lines of an earlier life. */
		memset(buf, 0xee, 4096);
		h = dma_map_single(r.nc, buf, 4096, DMA_FROM_DEVICE);
		dma_mapping_error(r.nc, h);
		pattern(in, 4096, 2);
		CHECK_EQ(dk_dev_dma_write(r.snc, h, in, 4096), 0);
		dma_unmap_single(r.nc, h, 4096, DMA_FROM_DEVICE);
		CHECK(is_pattern(buf, 4096, 2));

		/* BIDIRECTIONAL: device reads, adds one, writes back. */
		pattern(buf, 4096, 3);
		h = dma_map_single(r.nc, buf, 4096, DMA_BIDIRECTIONAL);
		dma_mapping_error(r.nc, h);
		dk_dev_dma_read(r.snc, h, got, 4096);
		for (i = 0; i < 4096; i++)
			got[i]++;
		dk_dev_dma_write(r.snc, h, got, 4096);
		dma_unmap_single(r.nc, h, 4096, DMA_BIDIRECTIONAL);
		CHECK(is_pattern(buf, 4096, 4));
		kfree(buf);
		testmachine_shutdown(&r.t);
	}
}

TEST(dma_map_page_with_offset_and_partial_syncs)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, NULL);
		struct page *pg = alloc_pages(GFP_KERNEL, 1);
		u8 *va = page_address(pg), chunk[512];
		dma_addr_t h;

		memset(va, 0x55, 2 * PAGE_SIZE);
		h = dma_map_page(r.nc, pg, 256, 4096, DMA_FROM_DEVICE);
		dma_mapping_error(r.nc, h);
		CHECK_EQ(h, page_to_phys(pg) + 256);
		/* The device fills the buffer piece by piece; the driver
		 * takes each piece with a partial sync. */
		for (int k = 0; k < 8; k++) {
			pattern(chunk, 512, 10 + k);
			dk_dev_dma_write(r.snc, h + k * 512, chunk, 512);
			dma_sync_single_range_for_cpu(r.nc, h, k * 512, 512,
						      DMA_FROM_DEVICE);
			CHECK(is_pattern(va + 256 + k * 512, 512, 10 + k));
			dma_sync_single_range_for_device(r.nc, h, k * 512, 512,
							 DMA_FROM_DEVICE);
		}
		dma_unmap_page(r.nc, h, 4096, DMA_FROM_DEVICE);
		for (int k = 0; k < 8; k++)
			CHECK(is_pattern(va + 256 + k * 512, 512, 10 + k));
		/* Bytes outside the mapping keep what the CPU wrote. */
		CHECK_EQ(va[0], 0x55);
		CHECK_EQ(va[255], 0x55);
		CHECK_EQ(va[256 + 4096], 0x55);
		__free_pages(pg, 1);
		testmachine_shutdown(&r.t);
	}
}

TEST(dma_map_sg_every_policy)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, NULL);
		struct sg_table sgt;
		struct scatterlist *sg;
		u8 *bufs[3], in[1024];
		unsigned int i;

		CHECK_EQ(sg_alloc_table(&sgt, 3, GFP_KERNEL), 0);
		for_each_sgtable_sg(&sgt, sg, i) {
			bufs[i] = kmalloc(1024, GFP_KERNEL);
			memset(bufs[i], 0x11, 1024);
			sg_set_buf(sg, bufs[i], 1000 + i);
		}
		CHECK_EQ(dma_map_sgtable(r.nc, &sgt, DMA_FROM_DEVICE, 0), 0);
		CHECK_EQ(sgt.nents, 3);
		for_each_sgtable_dma_sg(&sgt, sg, i) {
			CHECK_EQ(sg_dma_len(sg), 1000 + i);
			pattern(in, sg_dma_len(sg), 20 + i);
			dk_dev_dma_write(r.snc, sg_dma_address(sg), in,
					 sg_dma_len(sg));
		}
		dma_sync_sgtable_for_cpu(r.nc, &sgt, DMA_FROM_DEVICE);
		for (i = 0; i < 3; i++)
			CHECK(is_pattern(bufs[i], 1000 + i, 20 + i));
		dma_unmap_sgtable(r.nc, &sgt, DMA_FROM_DEVICE, 0);
		for (i = 0; i < 3; i++) {
			CHECK(is_pattern(bufs[i], 1000 + i, 20 + i));
			kfree(bufs[i]);
		}
		sg_free_table(&sgt);
		testmachine_shutdown(&r.t);
	}
}

/* Two devices share a TO_DEVICE buffer: the second mapping skips the
 * cache work the first already did (talk 002). */
TEST(dma_skip_cpu_sync_for_second_device)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL, NULL);
	u8 *buf = kmalloc(2048, GFP_KERNEL), got[2048];
	dma_addr_t a, b;

	pattern(buf, 2048, 5);
	a = dma_map_single(r.nc, buf, 2048, DMA_TO_DEVICE);
	dma_mapping_error(r.nc, a);
	b = dma_map_single_attrs(r.nc2, buf, 2048, DMA_TO_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
	dma_mapping_error(r.nc2, b);
	dk_dev_dma_read(r.snc, a, got, 2048);
	CHECK(is_pattern(got, 2048, 5));
	dk_dev_dma_read(r.snc2, b, got, 2048);
	CHECK(is_pattern(got, 2048, 5));
	dma_unmap_single_attrs(r.nc2, b, 2048, DMA_TO_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	dma_unmap_single(r.nc, a, 2048, DMA_TO_DEVICE);

	/* Skipping the sync on the first mapping is a bug the data shows. */
	pattern(buf, 2048, 6);
	a = dma_map_single_attrs(r.nc, buf, 2048, DMA_TO_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
	dma_mapping_error(r.nc, a);
	dk_dev_dma_read(r.snc, a, got, 2048);
	CHECK(is_pattern(got, 2048, 5));	/* stale: DRAM kept the old */
	dma_unmap_single(r.nc, a, 2048, DMA_TO_DEVICE);
	kfree(buf);
	testmachine_shutdown(&r.t);
}

TEST(dma_coherent_device_needs_no_maintenance)
{
	struct rig r = rig(DK_EVICT_ADVERSARIAL, NULL);
	u8 *buf = kmalloc(512, GFP_KERNEL), got[512];
	dma_addr_t h;

	pattern(buf, 512, 8);
	h = dma_map_single(r.coh, buf, 512, DMA_BIDIRECTIONAL);
	dma_mapping_error(r.coh, h);
	CHECK(dk_sim_line_dirty(r.t.soc, virt_to_phys(buf)));	/* no clean */
	dk_dev_dma_read(r.scoh, h, got, 512);
	CHECK(is_pattern(got, 512, 8));
	pattern(got, 512, 9);
	dk_dev_dma_write(r.scoh, h, got, 512);
	dk_sim_peek(got, buf, 512);		/* before any sync or unmap */
	CHECK(is_pattern(got, 512, 9));
	dma_unmap_single(r.coh, h, 512, DMA_BIDIRECTIONAL);
	kfree(buf);
	testmachine_shutdown(&r.t);
}

TEST(dma_ranges_translate_handles)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	u8 *buf = kmalloc(256, GFP_KERNEL), in[256];
	dma_addr_t h;

	h = dma_map_single(r.ofs, buf, 256, DMA_FROM_DEVICE);
	dma_mapping_error(r.ofs, h);
	CHECK_EQ(h, virt_to_phys(buf) - 0x80000000);
	pattern(in, 256, 12);
	CHECK_EQ(dk_dev_dma_write(r.sofs, h, in, 256), 0);
	dma_unmap_single(r.ofs, h, 256, DMA_FROM_DEVICE);
	CHECK(is_pattern(buf, 256, 12));
	testmachine_shutdown(&r.t);
}

static struct page *high_page(struct rig *r, unsigned int npages)
{
	phys_addr_t pa;

	if (r->t.pl.ops->alloc_pages(r->t.pl.ctx, npages, 1, 0x100000000ULL,
				     ~0ULL, &pa))
		return NULL;
	return phys_to_page(pa);
}

/* A 32-bit device and a buffer above 4 GiB: swiotlb makes it work. */
TEST(dma_swiotlb_bounces_beyond_mask_every_policy)
{
	FOR_EACH_POLICY(p) {
		struct rig r = rig(p, NULL);
		struct page *pg = high_page(&r, 2);
		u8 *va = page_address(pg), got[6000], in[6000];
		struct dk_swiotlb_stats st;
		dma_addr_t h;

		CHECK(page_to_phys(pg) >= 0x100000000ULL);
		pattern(va, 6000, 30);
		h = dma_map_page(r.w32, pg, 0, 6000, DMA_BIDIRECTIONAL);
		CHECK(!dma_mapping_error(r.w32, h));
		CHECK(h < 0x100000000ULL);
		CHECK_EQ(dk_swiotlb_stats(r.t.m, &st), 0);
		CHECK(h >= st.start && h + 6000 <= st.end);
		CHECK_EQ(st.used_slots, 3);	/* 6000 bytes, 2 KiB slots */
		CHECK_EQ(dk_dev_dma_read(r.sw32, h, got, 6000), 0);
		CHECK(is_pattern(got, 6000, 30));
		pattern(in, 6000, 31);
		CHECK_EQ(dk_dev_dma_write(r.sw32, h, in, 6000), 0);
		/* sync_for_cpu copies back without unmapping. */
		dma_sync_single_for_cpu(r.w32, h, 6000, DMA_BIDIRECTIONAL);
		CHECK(is_pattern(va, 6000, 31));
		pattern(va, 6000, 32);
		dma_sync_single_for_device(r.w32, h, 6000, DMA_BIDIRECTIONAL);
		dk_dev_dma_read(r.sw32, h, got, 6000);
		CHECK(is_pattern(got, 6000, 32));
		pattern(in, 6000, 33);
		dk_dev_dma_write(r.sw32, h, in, 6000);
		dma_unmap_page(r.w32, h, 6000, DMA_BIDIRECTIONAL);
		CHECK(is_pattern(va, 6000, 33));
		dk_swiotlb_stats(r.t.m, &st);
		CHECK_EQ(st.used_slots, 0);
		CHECK_EQ(st.bounced_maps, 1);
		CHECK_EQ(dk_soc_nfaults(r.t.soc), 0);
		testmachine_shutdown(&r.t);
	}
}

TEST(dma_swiotlb_full_returns_error_and_corrupts_nothing)
{
	struct dk_machine_opts mo = { .swiotlb_size = 256 * 1024 };
	struct rig r = rig(DK_EVICT_ADVERSARIAL, &mo);
	struct page *big = high_page(&r, 64), *one = high_page(&r, 1);
	u8 got[64];
	dma_addr_t a, b;
	struct dk_swiotlb_stats st;

	pattern(page_address(big), 256 * 1024, 40);
	a = dma_map_page(r.w32, big, 0, 256 * 1024, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.w32, a));
	b = dma_map_page(r.w32, one, 0, 4096, DMA_TO_DEVICE);
	dma_mapping_error(r.w32, b);
	CHECK_EQ(b, DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(),
		  "swiotlb buffer is full (sz: 4096 bytes), total 128 (slots), used 128 (slots)");
	/* The live bounce buffer still holds the first mapping's data. */
	dk_dev_dma_read(r.sw32, a + 200 * 1024, got, 64);
	CHECK(is_pattern(got, 64, (int)(40 + 200 * 1024 * 131)));
	dma_unmap_page(r.w32, a, 256 * 1024, DMA_TO_DEVICE);
	b = dma_map_page(r.w32, one, 0, 4096, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.w32, b));
	dma_unmap_page(r.w32, b, 4096, DMA_TO_DEVICE);
	/* Bigger than one segment can never be bounced. */
	b = dma_map_page(r.w32, big, 0, 256 * 1024 + 1, DMA_TO_DEVICE);
	dma_mapping_error(r.w32, b);
	CHECK_EQ(b, DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "over the 262144-byte maximum");
	dk_swiotlb_stats(r.t.m, &st);
	CHECK_EQ(st.used_slots, 0);
	CHECK_EQ(st.max_used_slots, 128);
	testmachine_shutdown(&r.t);
}

/*
 * Each area searches from just past its last allocation, as Linux's
 * rotating index does: a freed slot is not the next one handed out, and
 * the search wraps to the area's start when the end has no room.
 */
TEST(dma_swiotlb_search_rotates_and_wraps)
{
	struct dk_machine_opts mo = { .swiotlb_size = 256 * 1024 };
	struct rig r = rig(DK_EVICT_NEVER, &mo);
	struct page *big = high_page(&r, 62), *one = high_page(&r, 1);
	struct dk_swiotlb_stats st;
	dma_addr_t a, b, c;

	CHECK_EQ(dk_swiotlb_stats(r.t.m, &st), 0);
	a = dma_map_page(r.w32, one, 0, 4096, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.w32, a), 0);
	CHECK_EQ(a, st.start);
	dma_unmap_page(r.w32, a, 4096, DMA_TO_DEVICE);
	b = dma_map_page(r.w32, one, 0, 4096, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.w32, b), 0);
	CHECK_EQ(b, st.start + 4096);	/* past the last, not the freed */
	/* 248 KiB takes slots 4..127: the index is back at the start. */
	c = dma_map_page(r.w32, big, 0, 248 * 1024, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.w32, c), 0);
	CHECK_EQ(c, st.start + 8192);
	a = dma_map_page(r.w32, one, 0, 4096, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.w32, a), 0);
	CHECK_EQ(a, st.start);
	dma_unmap_page(r.w32, a, 4096, DMA_TO_DEVICE);
	/* From slot 2 every slot is taken: found by wrapping round. */
	a = dma_map_page(r.w32, one, 0, 4096, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.w32, a), 0);
	CHECK_EQ(a, st.start);
	CHECK_EQ(dma_map_page(r.w32, one, 0, 2048, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(),
		  "swiotlb buffer is full (sz: 2048 bytes), total 128 (slots), used 128 (slots)");
	dma_unmap_page(r.w32, a, 4096, DMA_TO_DEVICE);
	dma_unmap_page(r.w32, b, 4096, DMA_TO_DEVICE);
	dma_unmap_page(r.w32, c, 248 * 1024, DMA_TO_DEVICE);
	dk_swiotlb_stats(r.t.m, &st);
	CHECK_EQ(st.used_slots, 0);
	CHECK_EQ(st.max_used_slots, 128);
	testmachine_shutdown(&r.t);
}

TEST(dma_swiotlb_keeps_min_align_mask)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	struct page *pg = high_page(&r, 1);
	dma_addr_t h;

	dma_set_min_align_mask(r.w32, 0xfff);
	h = dma_map_page(r.w32, pg, 0x5a8, 100, DMA_TO_DEVICE);
	dma_mapping_error(r.w32, h);
	CHECK_EQ(h & 0xfff, 0x5a8);
	dma_unmap_page(r.w32, h, 100, DMA_TO_DEVICE);
	testmachine_shutdown(&r.t);
}

/* The largest mapping dma_max_mapping_size() promises maps, at an
 * offset the min_align_mask keeps, with exact bytes; one more byte not. */
TEST(dma_max_mapping_size_counts_min_align_mask)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	struct page *pg = high_page(&r, 65);
	u8 *p = page_address(pg) + 0x10, *got = malloc(262144);
	size_t max;
	dma_addr_t h;
	unsigned int i;

	CHECK_EQ(dma_max_mapping_size(r.w32), 262144);
	dma_set_min_align_mask(r.w32, 0xfff);
	max = dma_max_mapping_size(r.w32);
	CHECK_EQ(max, 262144 - 4096);
	for (i = 0; i < max; i++)
		p[i] = i * 7;
	h = dma_map_single(r.w32, p, max, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.w32, h));
	CHECK_EQ(h & 0xfff, 0x10);
	CHECK_EQ(dk_dev_dma_read(r.sw32, h, got, max), 0);
	dma_unmap_single(r.w32, h, max, DMA_TO_DEVICE);
	CHECK_MEM(got, p, max);		/* the CPU's again */
	h = dma_map_single(r.w32, p, max + 1, DMA_TO_DEVICE);
	CHECK(dma_mapping_error(r.w32, h));
	CHECK_STR(dk_last_error(), "is over the 258048-byte maximum");
	dma_set_min_align_mask(r.w32, 0x7ff);
	CHECK_EQ(dma_max_mapping_size(r.w32), 262144 - 2048);
	free(got);
	testmachine_shutdown(&r.t);
}

TEST(dma_force_bounce_and_no_swiotlb)
{
	struct dk_machine_opts force = { .swiotlb_force = true };
	struct dk_machine_opts none = { .swiotlb_size = -1 };
	struct rig r = rig(DK_EVICT_NEVER, &force);
	u8 *buf = kmalloc(128, GFP_KERNEL);
	struct dk_swiotlb_stats st;
	dma_addr_t h;

	h = dma_map_single(r.nc, buf, 128, DMA_TO_DEVICE);
	dma_mapping_error(r.nc, h);
	CHECK(h != virt_to_phys(buf));
	dk_swiotlb_stats(r.t.m, &st);
	CHECK_EQ(st.bounced_maps, 1);
	dma_unmap_single(r.nc, h, 128, DMA_TO_DEVICE);
	testmachine_shutdown(&r.t);

	r = rig(DK_EVICT_NEVER, &none);
	CHECK_EQ(dk_swiotlb_stats(r.t.m, &st), -ENODEV);
	h = dma_map_page(r.w32, high_page(&r, 1), 0, 64, DMA_TO_DEVICE);
	dma_mapping_error(r.w32, h);
	CHECK_EQ(h, DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "there is no swiotlb");
	testmachine_shutdown(&r.t);
}

/* With a small kmalloc alignment, Linux bounces small buffers a
 * non-coherent device writes, so they cannot share lines. */
TEST(dma_small_kmalloc_bounced_when_minalign_small)
{
	struct dk_machine_opts mo = { .kmalloc_minalign = 8 };
	struct rig r = rig(DK_EVICT_ADVERSARIAL, &mo);
	u8 *a = kmalloc(24, GFP_KERNEL), *b = kmalloc(24, GFP_KERNEL), in[24];
	struct dk_swiotlb_stats st;
	dma_addr_t h;

	CHECK_EQ(dk_kmalloc_minalign(), 8);
	CHECK_EQ(ksize(a), 32);
	CHECK_EQ(b - a, 32);		/* neighbours share a cache line */
	memset(b, 0x77, 24);		/* dirty neighbour data */
	h = dma_map_single(r.nc, a, 24, DMA_FROM_DEVICE);
	dma_mapping_error(r.nc, h);
	pattern(in, 24, 50);
	dk_dev_dma_write(r.snc, h, in, 24);
	dma_unmap_single(r.nc, h, 24, DMA_FROM_DEVICE);
	CHECK(is_pattern(a, 24, 50));
	for (int i = 0; i < 24; i++)
		CHECK_EQ(b[i], 0x77);
	dk_swiotlb_stats(r.t.m, &st);
	CHECK_EQ(st.bounced_maps, 1);
	/* TO_DEVICE never needs the bounce. */
	h = dma_map_single(r.nc, a, 24, DMA_TO_DEVICE);
	dma_mapping_error(r.nc, h);
	CHECK_EQ(h, virt_to_phys(a));
	dma_unmap_single(r.nc, h, 24, DMA_TO_DEVICE);
	testmachine_shutdown(&r.t);
}

TEST(dma_map_resource_is_for_mmio)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t h;

	h = dma_map_resource(r.nc, 0x10000000, 0x1000, DMA_BIDIRECTIONAL, 0);
	dma_mapping_error(r.nc, h);
	CHECK_EQ(h, 0x10000000);
	dma_unmap_resource(r.nc, h, 0x1000, DMA_BIDIRECTIONAL, 0);
	CHECK_EQ(dma_map_resource(r.nc, virt_to_phys(buf), 64, DMA_TO_DEVICE, 0),
		 DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "that is RAM, not MMIO");
	testmachine_shutdown(&r.t);
}

TEST(dma_map_bad_arguments)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	u8 *buf = kmalloc(64, GFP_KERNEL), stackbuf[64];
	static const u8 rodata[64] = { 1 };
	void *v = vmalloc(8192);
	struct scatterlist sg;

	CHECK_EQ(dma_map_single(NULL, buf, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "NULL device");
	CHECK_EQ(dma_map_single(r.nc, buf, 0, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "size 0");
	CHECK_EQ(dma_map_single(r.nc, buf, 64, DMA_NONE), DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "DMA_NONE is not a mapping direction");
	CHECK_EQ(dma_map_single(r.nc, buf, 64, (enum dma_data_direction)7),
		 DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "direction 7 is not a mapping direction (DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL)");
	CHECK_EQ(dma_map_single(r.nc, stackbuf, 64, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "not linear-map RAM");
	CHECK_EQ(dma_map_single(r.nc, (void *)rodata, 64, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	CHECK_EQ(dma_map_single(r.nc, v, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "rejecting DMA map of vmalloc memory");
	CHECK_EQ(dma_map_single(r.nc, buf, SIZE_MAX, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	CHECK_EQ(dma_map_page(r.nc, NULL, 0, 64, DMA_TO_DEVICE),
		 DMA_MAPPING_ERROR);
	CHECK_EQ(dma_mapping_error(r.nc, DMA_MAPPING_ERROR), -ENOMEM);
	CHECK_EQ(dma_mapping_error(r.nc, 0x1000), 0);
	sg_init_one(&sg, stackbuf, 64);		/* not a page of RAM */
	CHECK_EQ(dma_map_sg(r.nc, &sg, 1, DMA_TO_DEVICE), 0);
	/* Unmapping garbage is reported, not fatal. */
	dma_unmap_single(r.nc, 0x10, 64, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(r.nc, 0x10, 64, DMA_FROM_DEVICE);
	vfree(v);
	kfree(buf);
	testmachine_shutdown(&r.t);
}

/* barebox's off-by-one maintenance routine: a 129-byte frame's last byte
 * opens the third line, which the routine never reaches; 128 and 130
 * bytes are maintained whole. */
TEST(dma_maint_end_minus_one_skips_a_line_opened_by_the_last_byte)
{
	struct dk_machine_opts mo = { .maint_end_minus_one = true };
	struct rig r = rig(DK_EVICT_NEVER, &mo);
	u8 *a = kmalloc(256, GFP_KERNEL), out[256], in[129];
	dma_addr_t h;

	CHECK_EQ((unsigned long)virt_to_phys(a) % 128, 0);
	memset(a, 0xee, 256);
	h = dma_map_single(r.nc, a, 256, DMA_TO_DEVICE);	/* all clean */
	dma_mapping_error(r.nc, h);
	dma_unmap_single(r.nc, h, 256, DMA_TO_DEVICE);
	pattern(a, 129, 3);
	h = dma_map_single(r.nc, a, 129, DMA_TO_DEVICE);
	dma_mapping_error(r.nc, h);
	CHECK_EQ(dk_dev_dma_read(r.snc, h, out, 129), 0);
	dma_unmap_single(r.nc, h, 129, DMA_TO_DEVICE);
	CHECK(is_pattern(out, 128, 3));
	CHECK_EQ(out[128], 0xee);		/* the frame's last byte: stale */
	h = dma_map_single(r.nc, a, 130, DMA_TO_DEVICE);
	dma_mapping_error(r.nc, h);
	CHECK_EQ(dk_dev_dma_read(r.snc, h, out, 130), 0);
	dma_unmap_single(r.nc, h, 130, DMA_TO_DEVICE);
	CHECK(is_pattern(out, 129, 3));
	CHECK_EQ(out[129], 0xee);
	/* Receiving: the third line is neither cleaned nor invalidated. */
	a[128] = 0x11;
	h = dma_map_single(r.nc, a, 129, DMA_FROM_DEVICE);
	dma_mapping_error(r.nc, h);
	pattern(in, 129, 9);
	CHECK_EQ(dk_dev_dma_write(r.snc, h, in, 129), 0);
	dma_unmap_single(r.nc, h, 129, DMA_FROM_DEVICE);
	CHECK(is_pattern(a, 128, 9));
	CHECK_EQ(a[128], 0x11);			/* the CPU's stale line */
	kfree(a);
	testmachine_shutdown(&r.t);
}

TEST(dma_maint_correct_routine_covers_the_129th_byte)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	u8 *a = kmalloc(256, GFP_KERNEL), out[129];
	dma_addr_t h;

	memset(a, 0xee, 256);
	pattern(a, 129, 3);
	h = dma_map_single(r.nc, a, 129, DMA_TO_DEVICE);
	dma_mapping_error(r.nc, h);
	CHECK_EQ(dk_dev_dma_read(r.snc, h, out, 129), 0);
	dma_unmap_single(r.nc, h, 129, DMA_TO_DEVICE);
	CHECK(is_pattern(out, 129, 3));
	kfree(a);
	testmachine_shutdown(&r.t);
}

/*
 * The coherent device's fast path (checker off) hands back the physical
 * address only when the full path would: memory running off a bank and a
 * buffer beyond the device's mask still get the full path's answer.
 */
TEST(dma_coherent_fast_path_keeps_the_full_checks)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	enum dk_dma_debug_mode was = dk_dma_debug_get_mode();
	u8 *end = phys_to_virt(0x80000000ULL + 0x10000000ULL - 64);
	u8 *high = phys_to_virt(0x100000000ULL + 0x8000000ULL);
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	h = dma_map_single(r.coh, buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(h, virt_to_phys(buf));
	dma_unmap_single(r.coh, h, 256, DMA_TO_DEVICE);
	h = dma_map_single(r.coh, end, 128, DMA_TO_DEVICE);
	CHECK_EQ(h, DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "128): not linear-map RAM");
	CHECK_EQ(dma_set_mask_and_coherent(r.coh, DMA_BIT_MASK(32)), 0);
	h = dma_map_single(r.coh, high, 256, DMA_TO_DEVICE);
	CHECK(h != DMA_MAPPING_ERROR && h != virt_to_phys(high));
	CHECK(h + 255 <= DMA_BIT_MASK(32));	/* bounced below the mask */
	dma_unmap_single(r.coh, h, 256, DMA_TO_DEVICE);
	dk_dma_debug_set_mode(was);
	kfree(buf);
	testmachine_shutdown(&r.t);
}

/*
 * What the driver and the device see through one run of streaming maps
 * of a non-coherent device: the device's reads, the CPU's reads after
 * each unmap and the buffer's line states, each into @out.
 */
#define FAST_OUT (6 * 3 * 2 * (2 * 300 + 8))

static size_t fast_run(int policy, bool checker, u8 *out)
{
	static const size_t offs[] = { 0, 3, 64, 100, 128, 1000 };
	static const size_t lens[] = { 1, 129, 300 };
	struct rig r = rig(policy, NULL);
	enum dk_dma_debug_mode was = dk_dma_debug_get_mode();
	u8 *buf = kmalloc(4096, GFP_KERNEL), *o = out;
	FILE *sink = testdebug_start();
	size_t i, j, k;

	/* A buffer 3 bytes into its object shares its first line, which
	 * the checker says (into the sink); what happens must not differ. */
	dk_dma_debug_set_mode(checker ? DK_DMA_DEBUG_ALL : DK_DMA_DEBUG_OFF);
	for (i = 0; i < 6; i++)
		for (j = 0; j < 3; j++)
			for (k = 0; k < 2; k++) {
				enum dma_data_direction in = k ? DMA_BIDIRECTIONAL :
								DMA_FROM_DEVICE;
				u8 *p = buf + offs[i];
				size_t n = lens[j];
				dma_addr_t h;

				pattern(buf, 4096, (int)(i + j + k));
				h = dma_map_single(r.nc, p, n, DMA_TO_DEVICE);
				CHECK(!dma_mapping_error(r.nc, h));
				CHECK_EQ(dk_dev_dma_read(r.snc, h, o, n), 0);
				o += n;
				dma_unmap_single(r.nc, h, n, DMA_TO_DEVICE);
				h = dma_map_single(r.nc, p, n, in);
				CHECK(!dma_mapping_error(r.nc, h));
				memset(o, 0xa0 + (int)i, n);
				CHECK_EQ(dk_dev_dma_write(r.snc, h, o, n), 0);
				dma_unmap_single(r.nc, h, n, in);
				memcpy(o, p, n);
				o += n;
				CHECK_EQ(dk_sim_line_states(r.t.soc, virt_to_phys(buf),
							    8, o), 0);
				o += 8;
			}
	testdebug_end(sink);
	dk_dma_debug_set_mode(was);
	kfree(buf);
	testmachine_shutdown(&r.t);
	return (size_t)(o - out);
}

/*
 * A non-coherent device's maps with the checker off take the front end's
 * own direct path; with it on, the full one. Both must leave the device,
 * the CPU and every cache line exactly as the other does, under every
 * policy and at line edges.
 */
TEST(dma_noncoherent_fast_path_matches_the_full_path)
{
	u8 *fast = malloc(FAST_OUT), *full = malloc(FAST_OUT);

	FOR_EACH_POLICY(p) {
		size_t a = fast_run(p, false, fast), b = fast_run(p, true, full);

		CHECK_EQ(a, b);
		CHECK(a <= FAST_OUT);
		CHECK_MEM(fast, full, a);
	}
	free(fast);
	free(full);
}

/*
 * DMA_ATTR_SKIP_CPU_SYNC on the front end's direct path (checker off):
 * the map cleans nothing, so the device reads what DRAM held; the unmap
 * invalidates nothing, so the CPU keeps its own bytes.
 */
TEST(dma_noncoherent_fast_path_skips_the_sync_when_asked)
{
	struct rig r = rig(DK_EVICT_NEVER, NULL);
	enum dk_dma_debug_mode was = dk_dma_debug_get_mode();
	u8 *buf = kmalloc(256, GFP_KERNEL), got[256], dev[256];
	dma_addr_t h;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	pattern(buf, 256, 1);
	h = dma_map_single(r.nc, buf, 256, DMA_TO_DEVICE);	/* DRAM: 1 */
	dma_unmap_single(r.nc, h, 256, DMA_TO_DEVICE);
	pattern(buf, 256, 2);
	h = dma_map_single_attrs(r.nc, buf, 256, DMA_TO_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
	CHECK_EQ(h, virt_to_phys(buf));
	CHECK_EQ(dk_dev_dma_read(r.snc, h, got, 256), 0);
	CHECK(is_pattern(got, 256, 1));		/* not cleaned */
	dma_unmap_single_attrs(r.nc, h, 256, DMA_TO_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	h = dma_map_single_attrs(r.nc, buf, 256, DMA_FROM_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
	pattern(dev, 256, 3);
	CHECK_EQ(dk_dev_dma_write(r.snc, h, dev, 256), 0);
	dma_unmap_single_attrs(r.nc, h, 256, DMA_FROM_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	CHECK(is_pattern(buf, 256, 2));		/* not invalidated */
	/* Without the attribute both happen. */
	h = dma_map_single(r.nc, buf, 256, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dev_dma_write(r.snc, h, dev, 256), 0);
	dma_unmap_single(r.nc, h, 256, DMA_FROM_DEVICE);
	CHECK(is_pattern(buf, 256, 3));
	dk_dma_debug_set_mode(was);
	kfree(buf);
	testmachine_shutdown(&r.t);
}
