// SPDX-License-Identifier: MIT
/* The simulated IOMMU on the interconnect path. */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/platform.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	a { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; dmakit,address-bits = <40>; };\n"
	"	a2 { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	b { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; };\n"
	"	plain { compatible = \"dmakit,generic-master\"; }; };\n"
	"};\n";

TEST(sim_iommu_translates_faults_and_bypasses)
{
	struct dk_soc_opts o = testsoc_policy(DK_EVICT_NEVER, 1, 0);
	struct dk_soc *soc = testsoc_load(tree, &o);
	struct dk_simdev *a = dk_soc_find_dev(soc, "a");
	struct dk_simdev *a2 = dk_soc_find_dev(soc, "a2");
	struct dk_simdev *b = dk_soc_find_dev(soc, "b");
	struct dk_simdev *plain = dk_soc_find_dev(soc, "plain");
	u8 *ram = dk_sim_dram_ptr(soc, 0x80000000), pkt[16], got[16];
	const struct dk_fault *f;
	phys_addr_t pa;

	memset(pkt, 0x5d, sizeof(pkt));
	/* Not enabled: bypass, the device address is physical. */
	CHECK_EQ(dk_dev_dma_write(a, 0x80001000, pkt, 16), 0);
	CHECK_EQ(ram[0x1000], 0x5d);
	CHECK_EQ(dk_sim_iommu_enable(a, true), 0);
	/* IOVA 0x10000000 -> 0x80004000, two pages, read-write. */
	CHECK_EQ(dk_sim_iommu_map(a, 0x10000000, 0x80004000, 0x2000,
				  DK_IOMMU_READ | DK_IOMMU_WRITE), 0);
	CHECK_EQ(dk_dev_dma_write(a, 0x10000ff8, pkt, 16), 0);	/* spans */
	CHECK_EQ(ram[0x4ff8], 0x5d);
	CHECK_EQ(ram[0x5007], 0x5d);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(a, 0x10001234, &pa), 0);
	CHECK_EQ(pa, 0x80005234);
	/* Truncation to 40 bits comes first. */
	CHECK_EQ(dk_dev_dma_read(a, 0x10010000000ULL, got, 16), 0);
	CHECK_MEM(got, ram + 0x4000, 16);
	/* The same stream shares the context; another stream does not. */
	CHECK_EQ(dk_dev_dma_read(a2, 0x10000000, got, 16), 0);
	CHECK_EQ(dk_dev_dma_read(b, 0x80004000, got, 16), 0);	/* bypass */
	/* Unmapped IOVA: a fault, nothing moved. */
	CHECK_EQ(dk_dev_dma_write(a, 0x80001000, pkt, 16), -EFAULT);
	f = dk_soc_fault(soc, 0);
	CHECK(f && f->reason == DK_FAULT_IOMMU_UNMAPPED);
	CHECK_EQ(f->bus_addr, 0x80001000);
	CHECK(!strcmp(f->device, "/soc/a"));
	CHECK_STR(dk_last_error(), "/soc/a: DMA write of 16 bytes at 0x80001000 (bus 0x80001000, IOMMU stream 0x10): IOMMU: no translation for the address");
	/* Read-only: writes refused, reads fine. */
	CHECK_EQ(dk_sim_iommu_map(a, 0x20000000, 0x80008000, 0x1000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_dev_dma_read(a, 0x20000000, got, 16), 0);
	CHECK_EQ(dk_dev_dma_write(a, 0x20000000, pkt, 16), -EFAULT);
	CHECK_EQ(dk_soc_fault(soc, 1)->reason, DK_FAULT_IOMMU_PERMISSION);
	CHECK_EQ(ram[0x8000], 0);
	/* A write that runs from a mapped page into an unmapped one moves
	 * nothing at all. */
	CHECK_EQ(dk_dev_dma_write(a, 0x10001ff8, pkt, 16), -EFAULT);
	CHECK_EQ(ram[0x5ff8], 0);
	/* Unmap, remap, errors. */
	CHECK_EQ(dk_sim_iommu_unmap(a, 0x10000000, 0x2000), 0x2000);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(a, 0x10000000, &pa), -ENOENT);
	CHECK_EQ(dk_sim_iommu_map(a, 0x20000000, 0x80009000, 0x1000,
				  DK_IOMMU_READ), -EEXIST);
	CHECK_EQ(dk_sim_iommu_map(a, 0x20000100, 0x80009000, 0x1000,
				  DK_IOMMU_READ), -EINVAL);
	CHECK_EQ(dk_sim_iommu_map(plain, 0, 0x80009000, 0x1000, DK_IOMMU_READ),
		 -ENODEV);
	CHECK_EQ(dk_sim_iommu_enable(NULL, true), -EINVAL);
	/* Many pages: the table grows and every page still translates. */
	CHECK_EQ(dk_sim_iommu_map(a, 0x40000000, 0x80100000, 0x400000,
				  DK_IOMMU_READ | DK_IOMMU_WRITE), 0);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(a, 0x403ff000, &pa), 0);
	CHECK_EQ(pa, 0x804ff000);
	CHECK_EQ(dk_sim_iommu_unmap(a, 0x40000000, 0x200000), 0x200000);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(a, 0x40200000, &pa), 0);
	CHECK_EQ(pa, 0x80300000);
	/* Disabled again: bypass. */
	CHECK_EQ(dk_sim_iommu_enable(a, false), 0);
	CHECK_EQ(dk_dev_dma_write(a, 0x80002000, pkt, 16), 0);
	CHECK_EQ(ram[0x2000], 0x5d);
	dk_soc_free(soc);
}

/* The same hardware through the platform ops the DMA layers will use. */
TEST(sim_iommu_through_platform_ops)
{
	struct dk_soc *soc = testsoc_load(tree, NULL);
	struct dk_platform pl;
	u8 pkt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	dk_platform_sim(soc, &pl);
	CHECK_EQ(pl.ops->iommu_enable(pl.ctx, "/soc/b", true), 0);
	CHECK_EQ(pl.ops->iommu_map(pl.ctx, "b", 0x1000, 0x80010000, 0x1000, 3), 0);
	CHECK_EQ(dk_dev_dma_write(dk_soc_find_dev(soc, "b"), 0x1004, pkt, 8), 0);
	CHECK_MEM((u8 *)dk_sim_dram_ptr(soc, 0x80010004), pkt, 8);
	CHECK_EQ(pl.ops->iommu_unmap(pl.ctx, "b", 0x1000, 0x1000), 0x1000);
	CHECK_EQ(pl.ops->iommu_map(pl.ctx, "nope", 0, 0x80010000, 0x1000, 3),
		 -ENODEV);
	CHECK_EQ(pl.ops->iommu_enable(pl.ctx, "plain", true), -ENODEV);
	dk_soc_free(soc);
}

/* The handle ops: no look-up by name, and an unmap that also invalidates
 * the IOTLB over its range when asked, in the same call. */
TEST(sim_iommu_handle_ops_unmap_and_invalidate_in_one_call)
{
	struct dk_soc *soc = testsoc_load(tree, NULL);
	struct dk_simdev *b = dk_soc_find_dev(soc, "b");
	struct dk_platform pl;
	u8 got[4];
	void *hw;

	dk_platform_sim(soc, &pl);
	CHECK(!pl.ops->iommu_hw(pl.ctx, "plain"));
	CHECK_STR(dk_last_error(), "plain has no \"iommus\"");
	CHECK(!pl.ops->iommu_hw(pl.ctx, "nope"));
	hw = pl.ops->iommu_hw(pl.ctx, "/soc/b");
	CHECK(hw != NULL);
	CHECK_EQ(pl.ops->iommu_enable(pl.ctx, "b", true), 0);
	CHECK_EQ(pl.ops->iommu_map_hw(pl.ctx, hw, 0x1000, 0x80010000, 0x2000,
				      3), 0);
	CHECK_EQ(pl.ops->iommu_map_hw(pl.ctx, hw, 0x3001, 0x80030000, 0x1000,
				      3), -EINVAL);
	CHECK_EQ(pl.ops->iommu_map_hw(pl.ctx, hw, 0x2000, 0x80020000, 0x1000,
				      3), -EEXIST);
	CHECK_STR(dk_last_error(), "b: IOVA range 0x2000 + 0x1000 is already mapped in part");
	CHECK_EQ(dk_dev_dma_read(b, 0x1000, got, 4), 0);
	CHECK_EQ(dk_dev_dma_read(b, 0x2000, got, 4), 0);
	/* Without @inval the IOTLB still holds the translation... */
	CHECK_EQ(pl.ops->iommu_unmap_hw(pl.ctx, hw, 0x1000, 0x1000, false),
		 0x1000);
	CHECK_EQ(dk_dev_dma_read(b, 0x1000, got, 4), 0);
	/* ...with it, the range is gone, and only the range. */
	CHECK_EQ(pl.ops->iommu_unmap_hw(pl.ctx, hw, 0x2000, 0x1000, true),
		 0x1000);
	CHECK_EQ(dk_dev_dma_read(b, 0x2000, got, 4), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(b, 0x1000, got, 4), 0);
	CHECK_EQ(pl.ops->iommu_unmap_hw(pl.ctx, hw, 0x2000, 0x1000, true), 0);
	dk_soc_free(soc);
}
