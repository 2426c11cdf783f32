// SPDX-License-Identifier: MIT
/* The two-step IOVA API: dma_iova_try_alloc, link, sync, unlink, free. */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	dev { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	plain { compatible = \"dmakit,generic-master\"; }; };\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sd;
	struct page *pg[3];
	FILE *sink;
};

static struct rig rig(void)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct rig r = { .t = testmachine_boot(tree, NULL, &mo) };
	int i;

	r.dev = dk_machine_find_device(r.t.m, "dev");
	r.sd = dk_soc_find_dev(r.t.soc, "dev");
	/* Three pages, every other one: not contiguous in RAM. */
	for (i = 0; i < 3; i++)
		r.pg[i] = alloc_pages(GFP_KERNEL, 1);
	r.sink = testdebug_start();
	return r;
}

static void done(struct rig *r)
{
	int i;

	testdebug_end(r->sink);
	for (i = 0; i < 3; i++)
		__free_pages(r->pg[i], 1);
	testmachine_shutdown(&r->t);
}

TEST(dma_iova_links_scattered_pages_into_one_range)
{
	struct rig r = rig();
	struct dk_dma_debug_stats st0, st;
	struct dma_iova_state state;
	u8 in[3 * PAGE_SIZE];
	int i;

	dk_dma_debug_stats(&st0);
	CHECK(dma_iova_try_alloc(r.dev, &state, page_to_phys(r.pg[0]),
				 sizeof(in)));
	CHECK(dma_use_iova(&state));
	CHECK_EQ(state.addr % (4 * PAGE_SIZE), 0);	/* size-aligned */
	for (i = 0; i < 3; i++)
		CHECK_EQ(dma_iova_link(r.dev, &state, page_to_phys(r.pg[i]),
				       i * PAGE_SIZE, PAGE_SIZE,
				       DMA_FROM_DEVICE, 0), 0);
	CHECK_EQ(dma_iova_sync(r.dev, &state, 0, sizeof(in)), 0);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, st0.live_entries + 3);
	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = (u8)(i / 7 + i / PAGE_SIZE);
	CHECK_EQ(dk_dev_dma_write(r.sd, state.addr, in, sizeof(in)), 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);	/* every byte is linked */
	dma_iova_destroy(r.dev, &state, sizeof(in), DMA_FROM_DEVICE, 0);
	CHECK(!dma_use_iova(&state));
	for (i = 0; i < 3; i++)
		CHECK_MEM(page_address(r.pg[i]), in + i * PAGE_SIZE,
			  PAGE_SIZE);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, st0.live_entries);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	done(&r);
}

TEST(dma_iova_unlink_leaves_the_range_and_the_checker_follows)
{
	struct rig r = rig();
	struct dma_iova_state state;
	phys_addr_t pa = page_to_phys(r.pg[1]);
	dma_addr_t at;
	u8 b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	CHECK(dma_iova_try_alloc(r.dev, &state, pa + 256, 2 * PAGE_SIZE));
	CHECK_EQ(state.addr % PAGE_SIZE, 256);	/* the offset is kept */
	/* The first link keeps the offset; one elsewhere must be whole. */
	CHECK_EQ(dma_iova_link(r.dev, &state, pa, 0, 64, DMA_TO_DEVICE, 0),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "is not at IOVA");
	CHECK_EQ(dma_iova_link(r.dev, &state, pa + 256, 2 * PAGE_SIZE - 255,
			       256, DMA_TO_DEVICE, 0), -EINVAL);
	CHECK_STR(dk_last_error(), "is outside the 0x2000-byte IOVA range");
	memcpy(page_address(r.pg[1]) + 256, b, sizeof(b));
	CHECK_EQ(dma_iova_link(r.dev, &state, pa + 256, 0, 64, DMA_TO_DEVICE,
			       0), 0);
	CHECK_EQ(dk_dev_dma_read(r.sd, state.addr, b, sizeof(b)), 0);
	CHECK_EQ(b[7], 8);
	/* Unlinked with another direction: the checker says so. */
	dma_iova_unlink(r.dev, &state, 0, 64, DMA_FROM_DEVICE, 0);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_DIR), 1);
	CHECK_STR(dk_dma_debug_finding(0)->message,
		  "[mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]");
	CHECK_STR(dk_dma_debug_finding(0)->map_type, "iova link");
	/* The page is gone for the device, the range stays reserved. */
	at = state.addr;
	CHECK_EQ(dk_dev_dma_read(r.sd, at, b, 8), -EFAULT);
	CHECK_EQ(dma_iova_link(r.dev, &state, pa + 256, 0, 64, DMA_TO_DEVICE,
			       0), 0);
	CHECK_EQ(state.addr, at);
	dma_iova_unlink(r.dev, &state, 0, 64, DMA_TO_DEVICE, 0);
	dma_iova_free(r.dev, &state);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	done(&r);
}

TEST(dma_iova_try_alloc_says_no_without_an_iommu)
{
	struct rig r = rig();
	struct device *plain = dk_machine_find_device(r.t.m, "plain");
	struct dma_iova_state state = { 1, 1 };

	CHECK(!dma_iova_try_alloc(plain, &state, 0x80000000, 4096));
	CHECK(!dma_use_iova(&state));
	CHECK_STR(dk_last_error(), "it does not map through an IOMMU");
	CHECK(!dma_iova_try_alloc(r.dev, &state, 0x80000000, 0));
	CHECK_EQ(dma_iova_link(r.dev, &state, 0x80000000, 0, 64,
			       DMA_TO_DEVICE, 0), -EINVAL);
	CHECK_STR(dk_last_error(), "no IOVA range");
	CHECK_EQ(dma_iova_sync(r.dev, NULL, 0, 64), -EINVAL);
	/* Exhausted below the mask: no range, cleanly. */
	CHECK_EQ(dma_set_mask(r.dev, DMA_BIT_MASK(20)), 0);
	CHECK(!dma_iova_try_alloc(r.dev, &state, 0x80000000, 4096));
	CHECK_STR(dk_last_error(), "no 1 free IOVA pages below 0xfffff");
	done(&r);
}
