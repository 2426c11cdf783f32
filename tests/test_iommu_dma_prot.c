// SPDX-License-Identifier: MIT
/*
 * The permissions iommu-dma writes into the page-table entries, read back
 * from DRAM: a dma-coherent master's mappings are cacheable (IOMMU_CACHE),
 * a non-coherent master's are not.
 */
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

/* A 32-bit input address space: the walk starts at level 1. */
static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>;\n"
	"		dmakit,input-address-bits = <32>; };\n"
	"	coh { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>;\n"
	"		dma-coherent; };\n"
	"	nc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; }; };\n"
	"};\n";

#define PTE_ADDR 0x000ffffffffff000ULL

static u64 dram_pte(struct dk_soc *soc, phys_addr_t table, u64 i)
{
	u64 v;

	memcpy(&v, (u8 *)dk_sim_dram_ptr(soc, table) + 8 * i, 8);
	return v;
}

/* The level-3 entry of @iova in @node's tables, as the walker reads it. */
static u64 leaf(struct testmachine *t, const char *node, u64 iova)
{
	phys_addr_t tbl;
	u64 pte;

	if (dk_sim_iommu_table_base(dk_soc_find_dev(t->soc, node), &tbl))
		return 0;
	pte = dram_pte(t->soc, tbl, iova >> 30 & 3);
	if ((pte & 3) != 3)
		return 0;
	pte = dram_pte(t->soc, pte & PTE_ADDR, iova >> 21 & 511);
	if ((pte & 3) != 3)
		return 0;
	return dram_pte(t->soc, pte & PTE_ADDR, iova >> 12 & 511);
}

TEST(iommu_dma_prot_cache_only_for_coherent_masters)
{
	struct dk_soc_opts so = testsoc_policy(DK_EVICT_NEVER, 1, 0);
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(tree, &so, &mo);
	struct device *coh = dk_machine_find_device(t.m, "coh");
	struct device *nc = dk_machine_find_device(t.m, "nc");
	u8 *buf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	u8 *page = (u8 *)(((uintptr_t)buf + PAGE_SIZE - 1) & PAGE_MASK);
	phys_addr_t pa = virt_to_phys(page);
	dma_addr_t h;
	void *c;

	CHECK(coh->dma_coherent && !nc->dma_coherent);
	/* Valid page (3) with READ | WRITE | CACHE (7) << 2. */
	h = dma_map_single(coh, page, 64, DMA_BIDIRECTIONAL);
	CHECK(!dma_mapping_error(coh, h));
	CHECK_EQ(leaf(&t, "coh", h), pa | 7 << 2 | 3);
	dma_unmap_single(coh, h, 64, DMA_BIDIRECTIONAL);
	h = dma_map_single(coh, page, 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(coh, h));
	CHECK_EQ(leaf(&t, "coh", h), pa | 5 << 2 | 3);
	dma_unmap_single(coh, h, 64, DMA_TO_DEVICE);
	/* The non-coherent master: READ | WRITE, WRITE, no CACHE. */
	h = dma_map_single(nc, page, 64, DMA_BIDIRECTIONAL);
	CHECK(!dma_mapping_error(nc, h));
	CHECK_EQ(leaf(&t, "nc", h), pa | 3 << 2 | 3);
	dma_unmap_single(nc, h, 64, DMA_BIDIRECTIONAL);
	h = dma_map_single(nc, page, 64, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(nc, h));
	CHECK_EQ(leaf(&t, "nc", h), pa | 2 << 2 | 3);
	dma_unmap_single(nc, h, 64, DMA_FROM_DEVICE);
	/* Coherent allocations too. */
	c = dma_alloc_coherent(coh, PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(c != NULL);
	CHECK_EQ(leaf(&t, "coh", h) & 0xfff, 7 << 2 | 3);
	dma_free_coherent(coh, PAGE_SIZE, c, h);
	c = dma_alloc_coherent(nc, PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(c != NULL);
	CHECK_EQ(leaf(&t, "nc", h) & 0xfff, 3 << 2 | 3);
	dma_free_coherent(nc, PAGE_SIZE, c, h);
	kfree(buf);
	testmachine_shutdown(&t);
}
