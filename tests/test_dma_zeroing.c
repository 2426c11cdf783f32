// SPDX-License-Identifier: MIT
/*
 * Memory the library hands out zeroed, and bounce slots it fills, must read
 * as such from the device too. The model finds dirty lines by comparing
 * the CPU view with the last-filled copy, so a zeroing memset over stale
 * lines that already read zero would reach no DRAM: each case below makes
 * exactly that state (a device wrote DRAM behind clean zero lines) and
 * checks what the next owner sees from both sides.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>
#include <dmakit/gfp.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	dmakit { dma-minalign = <128>; eviction-policy = \"never\"; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x8000000>; };\n"
	"	reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		pool: pool@86000000 { compatible = \"shared-dma-pool\"; no-map;\n"
	"			reg = <0 0x86000000 0 0x10000>; };\n"
	"	};\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"		pooled { compatible = \"dmakit,generic-master\"; memory-region = <&pool>; };\n"
	"	};\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sdev;
};

static struct rig rig(const char *node, const struct dk_machine_opts *mo)
{
	struct rig r = { .t = testmachine_boot(tree, NULL, mo) };

	r.dev = dk_machine_find_device(r.t.m, node);
	r.sdev = dk_soc_find_dev(r.t.soc, node);
	CHECK(r.dev && r.sdev);
	return r;
}

/* The device's view of @n bytes at @h is all zero. */
static bool device_sees_zero(struct rig *r, dma_addr_t h, size_t n)
{
	static u8 got[8192];

	CHECK(n <= sizeof(got));
	memset(got, 0x55, n);
	CHECK_EQ(dk_dev_dma_read(r->sdev, h, got, n), 0);
	return mem_all(got, 0, n);
}

static void device_fills(struct rig *r, dma_addr_t h, size_t n)
{
	static u8 ab[8192];

	memset(ab, 0xab, sizeof(ab));
	CHECK_EQ(dk_dev_dma_write(r->sdev, h, ab, n), 0);
}

/* alloc, device writes 0xab, free, alloc again: the same pages, zeroed. */
static void realloc_after_device_wrote(const char *node, unsigned long attrs)
{
	struct rig r = rig(node, NULL);
	dma_addr_t h1, h2;
	u8 *p = dma_alloc_attrs(r.dev, 4096, &h1, GFP_KERNEL, attrs), *q;

	CHECK(p != NULL);
	device_fills(&r, h1, 4096);
	dma_free_attrs(r.dev, 4096, p, h1, attrs);
	q = dma_alloc_attrs(r.dev, 4096, &h2, GFP_KERNEL, attrs);
	CHECK(q != NULL);
	CHECK_EQ(h2, h1);		/* the previous owner's pages */
	CHECK(mem_all(q, 0, 4096));
	CHECK(device_sees_zero(&r, h2, 4096));
	dma_free_attrs(r.dev, 4096, q, h2, attrs);
	testmachine_shutdown(&r.t);
}

TEST(zeroing_dma_alloc_coherent_hides_previous_device_data)
{
	realloc_after_device_wrote("nc", 0);
}

TEST(zeroing_dma_alloc_wc_hides_previous_device_data)
{
	realloc_after_device_wrote("nc", DMA_ATTR_WRITE_COMBINE);
}

TEST(zeroing_per_device_pool_hides_previous_device_data)
{
	realloc_after_device_wrote("pooled", 0);
}

/* The previous owner freed a pages/noncoherent buffer the device owned. */
TEST(zeroing_dma_alloc_pages_and_noncoherent_freed_device_owned)
{
	struct rig r = rig("nc", NULL);
	dma_addr_t h1, h2;
	struct page *pg;
	u8 *p;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	pg = dma_alloc_pages(r.dev, 8192, &h1, DMA_FROM_DEVICE, GFP_KERNEL);
	CHECK(pg != NULL);
	dma_sync_single_for_device(r.dev, h1, 8192, DMA_FROM_DEVICE);
	device_fills(&r, h1, 8192);
	dma_free_pages(r.dev, 8192, pg, h1, DMA_FROM_DEVICE);

	p = dma_alloc_noncoherent(r.dev, 8192, &h2, DMA_TO_DEVICE, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(h2, h1);
	CHECK(mem_all(p, 0, 8192));
	dma_sync_single_for_device(r.dev, h2, 8192, DMA_TO_DEVICE);
	CHECK(device_sees_zero(&r, h2, 8192));
	dma_free_noncoherent(r.dev, 8192, p, h2, DMA_TO_DEVICE);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	testmachine_shutdown(&r.t);
}

/* kzalloc and __GFP_ZERO pages over a buffer a device wrote unsynced. */
TEST(zeroing_kzalloc_and_gfp_zero_pages_reach_dram)
{
	struct rig r = rig("nc", NULL);
	dma_addr_t h;
	struct page *pg;
	u8 *p, *q;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	p = kzalloc(1024, GFP_KERNEL);
	h = dma_map_single(r.dev, p, 1024, DMA_FROM_DEVICE);
	device_fills(&r, h, 1024);
	kfree(p);		/* never unmapped: the lines stay stale */
	q = kzalloc(1024, GFP_KERNEL);
	CHECK(q == p);
	CHECK(mem_all(q, 0, 1024));
	h = dma_map_single(r.dev, q, 1024, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h));
	CHECK(device_sees_zero(&r, h, 1024));
	dma_unmap_single(r.dev, h, 1024, DMA_TO_DEVICE);
	kfree(q);

	pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	p = page_address(pg);
	h = dma_map_single(r.dev, p, 8192, DMA_FROM_DEVICE);
	device_fills(&r, h, 8192);
	__free_pages(pg, 1);
	pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	CHECK(page_address(pg) == p);
	h = dma_map_single(r.dev, p, 8192, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h));
	CHECK(device_sees_zero(&r, h, 8192));
	dma_unmap_single(r.dev, h, 8192, DMA_TO_DEVICE);
	__free_pages(pg, 1);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	testmachine_shutdown(&r.t);
}

/*
 * A slot left stale by an unmap that skipped the sync is refilled. The
 * pool is one segment and a second mapping takes every slot after the
 * first's, so the rotating search comes back to the stale slots.
 */
TEST(zeroing_swiotlb_slot_refill_reaches_dram)
{
	struct dk_machine_opts force = { .swiotlb_force = true,
					 .swiotlb_size = 256 * 1024 };
	struct rig r = rig("nc", &force);
	u8 *a = kzalloc(4096, GFP_KERNEL), *b = kzalloc(4096, GFP_KERNEL);
	u8 *rest = kzalloc(252 * 1024, GFP_KERNEL);
	dma_addr_t h1, h2, hr;

	h1 = dma_map_single(r.dev, a, 4096, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h1));
	hr = dma_map_single(r.dev, rest, 252 * 1024, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dev, hr));
	device_fills(&r, h1, 4096);
	dma_unmap_single_attrs(r.dev, h1, 4096, DMA_FROM_DEVICE,
			       DMA_ATTR_SKIP_CPU_SYNC);
	h2 = dma_map_single(r.dev, b, 4096, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h2));
	CHECK_EQ(h2, h1);		/* the same slots */
	CHECK(device_sees_zero(&r, h2, 4096));
	dma_unmap_single(r.dev, h2, 4096, DMA_TO_DEVICE);
	dma_unmap_single(r.dev, hr, 252 * 1024, DMA_TO_DEVICE);
	kfree(rest);
	kfree(a);
	kfree(b);
	testmachine_shutdown(&r.t);
}

/* dk_sim_store itself: both views, clean lines, and its refusals. */
TEST(zeroing_dk_sim_store_is_seen_by_cpu_and_device)
{
	struct rig r = rig("nc", NULL);
	u8 *p = kmalloc(256, GFP_KERNEL), src[256], got[256];
	phys_addr_t pa;

	CHECK_EQ(dk_sim_virt_to_phys(r.t.soc, p, &pa), 0);
	memset(src, 0x3c, sizeof(src));
	CHECK_EQ(dk_sim_store(r.t.soc, pa, src, 256), 0);
	CHECK(!dk_sim_line_dirty(r.t.soc, pa));
	CHECK_MEM(p, src, 256);
	memcpy(got, dk_sim_dram_ptr(r.t.soc, pa), 256);
	CHECK_MEM(got, src, 256);
	CHECK_EQ(dk_sim_store(r.t.soc, pa, NULL, 100), 0);
	CHECK(mem_all(p, 0, 100) && mem_all(p + 100, 0x3c, 156));
	CHECK(mem_all(dk_sim_dram_ptr(r.t.soc, pa), 0, 100));
	CHECK_EQ(dk_sim_store(r.t.soc, pa, src, 0), -EINVAL);
	CHECK_EQ(dk_sim_store(r.t.soc, 0x1000, src, 16), -EINVAL);
	CHECK_EQ(dk_sim_store(r.t.soc, ~0ULL - 4, src, 16), -EINVAL);
	kfree(p);
	testmachine_shutdown(&r.t);
}

/*
 * An uncached alias (and the device) wrote DRAM behind the cacheable
 * view's clean lines. Once the pages are freed, the next owner's stores
 * must reach the device even where they equal those stale lines: the
 * free drops them.
 */
TEST(zeroing_coherent_free_drops_stale_cacheable_lines)
{
	struct rig r = rig("nc", NULL);
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), *q;
	struct page *pg;

	CHECK(p != NULL);
	memset(p, 0xab, 4096);		/* through the uncached alias */
	dma_free_coherent(r.dev, 4096, p, h);
	pg = alloc_page(GFP_KERNEL);
	q = page_address(pg);
	CHECK_EQ(virt_to_phys(q), h);	/* the same page, now cacheable */
	memset(q, 0, 4096);		/* what the stale lines held */
	h = dma_map_single(r.dev, q, 4096, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h));
	CHECK(device_sees_zero(&r, h, 4096));
	dma_unmap_single(r.dev, h, 4096, DMA_TO_DEVICE);
	__free_page(pg);
	testmachine_shutdown(&r.t);
}
