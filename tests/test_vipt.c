// SPDX-License-Identifier: MIT
/*
 * An aliasing (virtually indexed) cache, dmakit,cache-aliasing: a vmalloc
 * or vmap mapping has lines of its own. Its stores reach DRAM only after
 * flush_kernel_vmap_range() (or when it is unmapped), and it sees a
 * device's writes only after invalidate_kernel_vmap_range(); the DMA
 * API's maintenance through the linear map does neither. Without the
 * option the vmap and the linear map share lines.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/gfp.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

#define TREE(cpu)							\
	"/dts-v1/;\n"							\
	"/ {\n"								\
	"	#address-cells = <2>; #size-cells = <2>;\n"		\
	"	cpus { #address-cells = <1>; #size-cells = <0>;\n"	\
	"		cpu@0 { device_type = \"cpu\"; reg = <0>; " cpu " };\n" \
	"	};\n"							\
	"	dmakit { eviction-policy = \"adversarial\"; };\n"	\
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n" \
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n" \
	"		nc { compatible = \"dmakit,generic-master\"; };\n"	\
	"	};\n"							\
	"};\n"

static const char aliasing[] = TREE("dmakit,cache-aliasing;");
static const char pipt[] = TREE("");

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sd;
};

static struct rig rig(const char *tree)
{
	struct rig r = { .t = testmachine_boot(tree, NULL, NULL) };

	r.dev = dk_machine_find_device(r.t.m, "nc");
	r.sd = dk_soc_find_dev(r.t.soc, "nc");
	return r;
}

/* What the device reads of @p's page after a TO_DEVICE map of it. */
static void device_reads(struct rig *r, const void *p, u8 *got, size_t n)
{
	struct page *pg = vmalloc_to_page(p);
	dma_addr_t h = dma_map_page(r->dev, pg, 0, PAGE_SIZE, DMA_TO_DEVICE);

	CHECK(!dma_mapping_error(r->dev, h));
	CHECK_EQ(dk_dev_dma_read(r->sd, h, got, n), 0);
	dma_unmap_page(r->dev, h, PAGE_SIZE, DMA_TO_DEVICE);
}

TEST(vipt_vmalloc_stores_reach_dram_only_after_flush_kernel_vmap_range)
{
	struct rig r = rig(aliasing);
	FILE *sink = testdebug_start();
	u8 *v = vzalloc(2 * PAGE_SIZE), got[128];
	struct page *pg = vmalloc_to_page(v + PAGE_SIZE);
	const struct dk_dma_finding *f;
	char want[320];

	memset(v + PAGE_SIZE, 0x5a, 128);
	CHECK(bytes_are(page_address(pg), 0, 128));	/* other lines */
	device_reads(&r, v + PAGE_SIZE, got, 128);
	CHECK(bytes_are(got, 0, 128));		/* the map cleaned nothing */
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	f = dk_dma_debug_finding(0);
	CHECK_EQ(f->check, DK_CHK_DEVICE_READ_VMAP_DIRTY);
	CHECK_STR(dk_dma_check_name(f->check), "device-read-vmap-dirty");
	snprintf(want, sizeof(want),
		 "device read 128 bytes at physical 0x%llx that a vmap of the page holds newer in cache lines of its own (virtually indexed cache): flush_kernel_vmap_range() before handing the pages to the device",
		 (unsigned long long)page_to_phys(pg));
	CHECK(!strcmp(f->message, want));
	CHECK_STR(f->backtrace, "device_reads (tests/test_vipt.c:");
	flush_kernel_vmap_range(v + PAGE_SIZE, 128);
	device_reads(&r, v + PAGE_SIZE, got, 128);
	CHECK(bytes_are(got, 0x5a, 128));
	CHECK(bytes_are(v + PAGE_SIZE, 0x5a, 128));	/* refilled */
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	vfree(v);
	testdebug_end(sink);
	testmachine_shutdown(&r.t);
}

TEST(vipt_vmalloc_reads_after_dma_need_invalidate_kernel_vmap_range)
{
	struct rig r = rig(aliasing);
	u8 *v = vzalloc(PAGE_SIZE), in[64];
	struct page *pg = vmalloc_to_page(v);
	dma_addr_t h;

	CHECK(bytes_are(v, 0, 64));		/* the vmap's lines are filled */
	h = dma_map_page(r.dev, pg, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r.dev, h));
	memset(in, 0xc7, 64);
	CHECK_EQ(dk_dev_dma_write(r.sd, h + 64, in, 64), 0);
	dma_unmap_page(r.dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	CHECK(bytes_are((u8 *)page_address(pg) + 64, 0xc7, 64));
	CHECK(bytes_are(v + 64, 0, 64));	/* stale vmap lines */
	invalidate_kernel_vmap_range(v, PAGE_SIZE);
	CHECK(bytes_are(v + 64, 0xc7, 64));
	CHECK(bytes_are(v, 0, 64));
	vfree(v);
	testmachine_shutdown(&r.t);
}

TEST(vipt_invalidate_drops_stores_never_flushed_and_vunmap_writes_back)
{
	struct rig r = rig(aliasing);
	struct page *pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u8 *v = vmap(&pg, 1, 0, 0);
	const u8 *dram = dk_sim_dram_ptr(r.t.soc, page_to_phys(pg));

	memset(v, 0x33, 64);
	invalidate_kernel_vmap_range(v, 64);
	CHECK(bytes_are(v, 0, 64));		/* the store is lost */
	memset(v + 128, 0x44, 64);
	CHECK(bytes_are(dram + 128, 0, 64));
	vunmap(v);				/* a torn-down vmap is flushed */
	CHECK(bytes_are(dram + 128, 0x44, 64));
	__free_page(pg);
	testmachine_shutdown(&r.t);
}

TEST(vipt_physically_indexed_cache_shares_the_linear_lines)
{
	struct rig r = rig(pipt);
	u8 *v = vzalloc(PAGE_SIZE), got[64];

	memset(v, 0x5a, 64);
	CHECK(bytes_are(page_address(vmalloc_to_page(v)), 0x5a, 64));
	device_reads(&r, v, got, 64);
	CHECK(bytes_are(got, 0x5a, 64));
	CHECK_EQ(dk_sim_vmap_sync(r.t.soc, v, 64, true), 0);
	vfree(v);
	testmachine_shutdown(&r.t);
}

TEST(vipt_soc_show_says_the_cache_aliases)
{
	struct dk_soc *soc = testsoc_load(aliasing, NULL);
	char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	dk_soc_show(soc, f);
	fclose(f);
	CHECK_STR(buf, "\ncache: virtually indexed, aliasing: vmap and vmalloc mappings have lines of their own\npolicy: ");
	dk_soc_free(soc);
}

TEST(vipt_vmap_sync_refuses_what_is_not_an_aliasing_vmap)
{
	struct rig r = rig(aliasing);
	u8 *v = vmalloc(PAGE_SIZE), k[8];

	CHECK_EQ(dk_sim_vmap_sync(r.t.soc, NULL, 64, true), -EINVAL);
	CHECK_EQ(dk_sim_vmap_sync(r.t.soc, v, 0, true), -EINVAL);
	CHECK_EQ(dk_sim_vmap_sync(r.t.soc, k, 8, false), 0);
	CHECK_EQ(dk_sim_vmap_sync(r.t.soc, v, PAGE_SIZE + 1, true), 0);
	CHECK_EQ(dk_sim_vmap_sync(r.t.soc, v + 64, 64, true), 1);
	CHECK_EQ(dk_sim_vmap_sync(NULL, v, 64, true), -EINVAL);
	vfree(v);
	testmachine_shutdown(&r.t);
}
