// SPDX-License-Identifier: MIT
/* The DMA API through an IOMMU (iommu-dma). */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

/* A 32-bit master behind an SMMU, RAM above 4 GiB. */
static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"memory@100000000 { device_type = \"memory\"; reg = <1 0 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>;\n"
	"		dmakit,address-bits = <32>; }; };\n"
	"};\n";

static bool all(const u8 *p, int v, size_t n)
{
	while (n--)
		if (*p++ != (u8)v)
			return false;
	return true;
}

TEST(iommu_dma_maps_high_memory_for_a_32_bit_master_without_bouncing)
{
	for (int p = DK_EVICT_NEVER; p <= DK_EVICT_RANDOM; p++) {
		struct dk_machine_opts mo = { .iommu_dma = true };
		struct dk_soc_opts so = testsoc_policy(p, 3, 50);
		struct testmachine t = testmachine_boot(tree, &so, &mo);
		struct device *mmc = dk_machine_find_device(t.m, "mmc");
		struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
		struct dk_swiotlb_stats st;
		phys_addr_t pa;
		dma_addr_t h, hc;
		u8 *buf, in[6000], *c;

		dk_dma_debug_clear();
		CHECK(mmc->iommu_domain != NULL);
		CHECK(!dma_addressing_limited(mmc));
		t.pl.ops->alloc_pages(t.pl.ctx, 2, 1, 0x100000000ULL, ~0ULL, &pa);
		buf = phys_to_virt(pa);
		memset(buf, 0x11, 8192);
		h = dma_map_single(mmc, buf + 100, 6000, DMA_FROM_DEVICE);
		CHECK(!dma_mapping_error(mmc, h));
		CHECK(h < 0x100000000ULL);		/* an IOVA the master can emit */
		CHECK_EQ(h % PAGE_SIZE, 100);		/* offset kept */
		CHECK_EQ(iommu_iova_to_phys(mmc->iommu_domain, h), pa + 100);
		memset(in, 0x6c, sizeof(in));
		CHECK_EQ(dk_dev_dma_write(smmc, h, in, sizeof(in)), 0);
		dma_unmap_single(mmc, h, 6000, DMA_FROM_DEVICE);
		CHECK(all(buf + 100, 0x6c, 6000));
		CHECK_EQ(buf[99], 0x11);
		CHECK_EQ(dk_swiotlb_stats(t.m, &st), 0);
		CHECK_EQ(st.bounced_maps, 0);
		/* After the unmap the IOVA faults: nothing is left mapped. */
		CHECK_EQ(dk_dev_dma_write(smmc, h, in, 16), -EFAULT);
		CHECK_EQ(dk_soc_fault(t.soc, 0)->reason, DK_FAULT_IOMMU_UNMAPPED);
		/* A TO_DEVICE mapping is read-only for the device. */
		h = dma_map_single(mmc, buf, 64, DMA_TO_DEVICE);
		dma_mapping_error(mmc, h);
		CHECK_EQ(dk_dev_dma_read(smmc, h, in, 64), 0);
		CHECK(all(in, 0x11, 64));
		CHECK_EQ(dk_dev_dma_write(smmc, h, in, 64), -EFAULT);
		CHECK_EQ(dk_soc_fault(t.soc, 1)->reason,
			 DK_FAULT_IOMMU_PERMISSION);
		dma_unmap_single(mmc, h, 64, DMA_TO_DEVICE);
		/* Coherent memory through the IOMMU too. */
		c = dma_alloc_coherent(mmc, 8192, &hc, GFP_KERNEL);
		CHECK(c && hc < 0x100000000ULL);
		CHECK_EQ(dk_dev_dma_write(smmc, hc + 4096, in, 64), 0);
		CHECK(all(c + 4096, 0x11, 64));
		dma_free_coherent(mmc, 8192, c, hc);
		CHECK_EQ(dk_dev_dma_read(smmc, hc, in, 8), -EFAULT);
		/* Only the deliberate faults: the checker saw correct use. */
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		testmachine_shutdown(&t);
	}
}

TEST(iommu_dma_sg_and_syncs)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
	struct sg_table sgt;
	struct scatterlist *sg;
	u8 *a = kmalloc(3000, GFP_KERNEL), *b = kmalloc(5000, GFP_KERNEL);
	u8 in[5000];
	unsigned int i;

	memset(in, 0x2b, sizeof(in));
	sg_alloc_table(&sgt, 2, GFP_KERNEL);
	sg_set_buf(sgt.sgl, a, 3000);
	sg_set_buf(sg_next(sgt.sgl), b, 5000);
	CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_FROM_DEVICE, 0), 0);
	for_each_sgtable_dma_sg(&sgt, sg, i)
		CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sg), in,
					  sg_dma_len(sg)), 0);
	dma_sync_sgtable_for_cpu(mmc, &sgt, DMA_FROM_DEVICE);
	CHECK(all(a, 0x2b, 3000));
	CHECK(all(b, 0x2b, 5000));
	dma_sync_sgtable_for_device(mmc, &sgt, DMA_FROM_DEVICE);
	dma_unmap_sgtable(mmc, &sgt, DMA_FROM_DEVICE, 0);
	sg_free_table(&sgt);
	dma_unmap_single(mmc, 0x12345000, 64, DMA_TO_DEVICE);	/* reported */
	testmachine_shutdown(&t);
}
