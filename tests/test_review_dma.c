// SPDX-License-Identifier: MIT
/*
 * Review of the DMA API layer and the checker: one test per bug found,
 * each asserting the exact bytes, findings or errors Linux's semantics
 * call for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

/* RAM below and above 4 GiB, a 64-bit and a 32-bit-wired master. */
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
	"		w32 { compatible = \"dmakit,generic-master\"; dmakit,address-bits = <32>; };\n"
	"	};\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *nc, *w32;
	struct dk_simdev *snc, *sw32;
	FILE *sink;
};

static struct rig rig(const struct dk_machine_opts *mo)
{
	struct dk_soc_opts so = testsoc_policy(DK_EVICT_ADVERSARIAL, 7, 50);
	struct rig r = { .t = testmachine_boot(tree, &so, mo) };

	if (!r.t.m)
		return r;
	r.nc = dk_machine_find_device(r.t.m, "nc");
	r.w32 = dk_machine_find_device(r.t.m, "w32");
	r.snc = dk_soc_find_dev(r.t.soc, "nc");
	r.sw32 = dk_soc_find_dev(r.t.soc, "w32");
	dma_set_mask_and_coherent(r.nc, DMA_BIT_MASK(64));
	r.sink = fopen("/dev/null", "w");
	dk_dma_debug_set_output(r.sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	return r;
}

static void done(struct rig *r)
{
	testmachine_shutdown(&r->t);
	dk_dma_debug_set_output(NULL);
	if (r->sink)
		fclose(r->sink);
	dk_dma_debug_clear();
}

static struct page *high_pages(struct rig *r, unsigned int npages)
{
	phys_addr_t pa;

	if (r->t.pl.ops->alloc_pages(r->t.pl.ctx, npages, 1, 0x100000000ULL,
				     ~0ULL, &pa))
		return NULL;
	return phys_to_page(pa);
}

static void fill(u8 *p, size_t n, u8 v)
{
	memset(p, v, n);
}

static bool all(const u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * swiotlb with a min_align_mask above the slot size (NVMe's 0xfff) and a
 * mapping of a page or more whose original address has bit 11 set: only
 * odd slots keep the mask, but the page stride visited only even ones, so
 * an empty pool reported "swiotlb buffer is full".
 */
TEST(review_swiotlb_min_align_mask_page_sized_odd_slot)
{
	struct rig r = rig(NULL);
	struct page *pg = high_pages(&r, 2);
	u8 *va = page_address(pg), got[4096];
	struct dk_swiotlb_stats st;
	dma_addr_t h;

	dma_set_min_align_mask(r.w32, 0xfff);
	fill(va + 0x900, 4096, 0x5a);
	h = dma_map_page(r.w32, pg, 0x900, 4096, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.w32, h));
	CHECK_EQ(h & 0xfff, 0x900);
	CHECK_EQ(dk_dev_dma_read(r.sw32, h, got, 4096), 0);
	CHECK(all(got, 4096, 0x5a));
	dma_unmap_page(r.w32, h, 4096, DMA_TO_DEVICE);
	dk_swiotlb_stats(r.t.m, &st);
	CHECK_EQ(st.used_slots, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	done(&r);
}

/*
 * Unmapping a bounced FROM_DEVICE buffer with DMA_ATTR_SKIP_CPU_SYNC must
 * not copy the bounce slot back (Linux skips the bounce with the
 * attribute): the driver synced for the CPU, the CPU then wrote its own
 * data into the buffer, and the final unmap skips the sync. Copying the
 * slot back overwrote the CPU's data with stale slot bytes.
 */
TEST(review_swiotlb_unmap_skip_cpu_sync_does_not_copy_back)
{
	struct rig r = rig(NULL);
	struct page *pg = high_pages(&r, 1);
	u8 *va = page_address(pg), in[64];
	dma_addr_t h;

	fill(va, 4096, 0x11);
	h = dma_map_page_attrs(r.w32, pg, 0, 4096, DMA_FROM_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	CHECK(!dma_mapping_error(r.w32, h));
	/* The map did no cache work: hand the buffer over. */
	dma_sync_single_for_device(r.w32, h, 4096, DMA_FROM_DEVICE);
	fill(in, 64, 0x22);
	dk_dev_dma_write(r.sw32, h, in, 64);
	dma_sync_single_for_cpu(r.w32, h, 4096, DMA_FROM_DEVICE);
	CHECK(all(va, 64, 0x22));
	fill(va + 4096 - 320, 320, 0x44);	/* the CPU owns it all now */
	dma_unmap_page_attrs(r.w32, h, 4096, DMA_FROM_DEVICE,
			     DMA_ATTR_SKIP_CPU_SYNC);
	CHECK(all(va, 64, 0x22));
	CHECK(all(va + 64, 4096 - 64 - 320, 0x11));
	CHECK(all(va + 4096 - 320, 320, 0x44));
	done(&r);
}

/*
 * dma_map_sg() failing on a later entry unmaps the earlier ones itself;
 * the checker must not blame the driver for that clean-up ("frees DMA sg
 * list with different entry count [unmap count=-1]").
 */
TEST(review_map_sg_failure_cleanup_is_not_a_finding)
{
	struct dk_machine_opts mo = { .swiotlb_size = 256 * 1024 };
	struct rig r = rig(&mo);
	struct page *a = high_pages(&r, 1), *b = high_pages(&r, 64);
	struct dk_swiotlb_stats st;
	struct scatterlist sg[2];

	sg_init_table(sg, 2);
	sg_set_page(&sg[0], a, 4096, 0);
	sg_set_page(&sg[1], b, 256 * 1024, 0);
	CHECK_EQ(dma_map_sg(r.w32, sg, 2, DMA_FROM_DEVICE), 0);
	CHECK_STR(dk_last_error(), "swiotlb buffer is full");
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dk_swiotlb_stats(r.t.m, &st);
	CHECK_EQ(st.used_slots, 0);
	done(&r);
}

/*
 * One big receive buffer, packets not a multiple of the cache line: the
 * driver syncs each packet for the CPU as it arrives. Consecutive packets
 * share an edge line, which is not "syncing memory the CPU already owns".
 */
TEST(review_partial_syncs_sharing_an_edge_line_are_clean)
{
	struct rig r = rig(NULL);
	u8 *buf = kmalloc(4096, GFP_KERNEL), in[100];
	dma_addr_t h = dma_map_single(r.nc, buf, 4096, DMA_FROM_DEVICE);

	CHECK(!dma_mapping_error(r.nc, h));
	fill(in, 100, 0x41);
	dk_dev_dma_write(r.snc, h, in, 100);
	dma_sync_single_range_for_cpu(r.nc, h, 0, 100, DMA_FROM_DEVICE);
	CHECK(all(buf, 100, 0x41));
	fill(in, 100, 0x42);
	dk_dev_dma_write(r.snc, h + 100, in, 100);
	dma_sync_single_range_for_cpu(r.nc, h, 100, 100, DMA_FROM_DEVICE);
	CHECK(all(buf + 100, 100, 0x42));
	dma_sync_single_range_for_device(r.nc, h, 0, 100, DMA_FROM_DEVICE);
	dma_sync_single_range_for_device(r.nc, h, 100, 100, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Syncing the same packet twice is still reported. */
	dma_sync_single_range_for_cpu(r.nc, h, 0, 100, DMA_FROM_DEVICE);
	dma_sync_single_range_for_cpu(r.nc, h, 0, 100, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_SYNC_CPU_TWICE), 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	dma_unmap_single(r.nc, h, 4096, DMA_FROM_DEVICE);
	kfree(buf);
	done(&r);
}

/*
 * page_pool's pattern: map once with DMA_ATTR_SKIP_CPU_SYNC, then sync for
 * the device the part it may write, each time the buffer is posted. The
 * map did no cache work, so that first sync is the hand-over, not a
 * redundant one.
 */
TEST(review_skip_cpu_sync_map_then_sync_for_device_is_clean)
{
	struct rig r = rig(NULL);
	u8 *buf = kmalloc(4096, GFP_KERNEL), in[1536];
	dma_addr_t h;
	int round;

	h = dma_map_single_attrs(r.nc, buf, 4096, DMA_FROM_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
	CHECK(!dma_mapping_error(r.nc, h));
	for (round = 0; round < 2; round++) {
		dma_sync_single_for_device(r.nc, h, 1536, DMA_FROM_DEVICE);
		fill(in, sizeof(in), (u8)(0x60 + round));
		dk_dev_dma_write(r.snc, h, in, sizeof(in));
		dma_sync_single_for_cpu(r.nc, h, 1536, DMA_FROM_DEVICE);
		CHECK(all(buf, 1536, (u8)(0x60 + round)));
	}
	dma_unmap_single_attrs(r.nc, h, 4096, DMA_FROM_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	done(&r);
}

/*
 * The same buffer mapped twice for one device (a padding buffer behind two
 * descriptors), both handles checked after both maps: the two checks must
 * mark both mappings, not the newest one twice.
 */
TEST(review_mapping_error_marks_each_identical_mapping)
{
	struct rig r = rig(NULL);
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t a = dma_map_single(r.nc, buf, 256, DMA_TO_DEVICE);
	dma_addr_t b = dma_map_single(r.nc, buf, 256, DMA_TO_DEVICE);

	CHECK_EQ(a, b);
	CHECK(!dma_mapping_error(r.nc, a));
	CHECK(!dma_mapping_error(r.nc, b));
	dma_unmap_single(r.nc, b, 256, DMA_TO_DEVICE);
	dma_unmap_single(r.nc, a, 256, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_MAP_ERR_UNCHECKED), 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	done(&r);
}

/*
 * sg_alloc_table_from_pages() without a segment limit must still keep
 * each entry within what an unsigned int length holds (Linux passes
 * UINT_MAX rounded down to a page): 4 GiB + 8 KiB of contiguous pages
 * made one entry whose length wrapped to 8 KiB.
 */
TEST(review_sg_from_pages_caps_entries_at_uint_max)
{
	static const char big[] =
		"/dts-v1/;\n"
		"/ {\n"
		"	#address-cells = <2>; #size-cells = <2>;\n"
		"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x10000000>; };\n"
		"	memory@100000000 { device_type = \"memory\"; reg = <1 0 2 0>; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(big, NULL, NULL);
	unsigned int n = (1u << 20) + 2, i;
	struct page **pages = calloc(n, sizeof(*pages));
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned long long total = 0;

	CHECK(t.m && pages);
	if (!t.m || !pages)
		return;
	for (i = 0; i < n; i++)
		pages[i] = phys_to_page(0x100000000ULL + (u64)i * PAGE_SIZE);
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pages, n, 0,
					   (unsigned long)n * PAGE_SIZE,
					   GFP_KERNEL), 0);
	CHECK_EQ(sgt.orig_nents, 2);
	for_each_sgtable_sg(&sgt, sg, i)
		total += sg->length;
	CHECK_EQ(sgt.sgl[0].length, 0xfffff000u);
	CHECK_EQ(total, (unsigned long long)n * PAGE_SIZE);
	sg_free_table(&sgt);
	free(pages);
	testmachine_shutdown(&t);
}
