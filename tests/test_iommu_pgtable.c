// SPDX-License-Identifier: MIT
/*
 * The simulated IOMMU's page tables in RAM, its walker's coherence, its
 * IOTLB and its permissions, read back as bytes from DRAM.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define RAM 0x40000000ULL

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x40000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	csmmu: iommu@fd900000 { compatible = \"arm,mmu-500\"; #iommu-cells = <1>;\n"
	"		dma-coherent; dmakit,input-address-bits = <32>; };\n"
	"	a { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	b { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; };\n"
	"	c { compatible = \"dmakit,generic-master\"; iommus = <&csmmu 0x1>; }; };\n"
	"};\n";

struct env {
	struct dk_soc *soc;
	struct dk_simdev *a, *b, *c;
};

static struct env boot(void)
{
	struct dk_soc_opts o = testsoc_policy(DK_EVICT_NEVER, 1, 0);
	struct env e;

	e.soc = testsoc_load(tree, &o);
	e.a = dk_soc_find_dev(e.soc, "a");
	e.b = dk_soc_find_dev(e.soc, "b");
	e.c = dk_soc_find_dev(e.soc, "c");
	dk_sim_iommu_enable(e.a, true);
	dk_sim_iommu_enable(e.b, true);
	dk_sim_iommu_enable(e.c, true);
	return e;
}

/* A descriptor as the walker would see it: from DRAM. */
static u64 dram_pte(struct dk_soc *soc, phys_addr_t table, unsigned int i)
{
	u64 v;

	memcpy(&v, (u8 *)dk_sim_dram_ptr(soc, table) + 8 * i, 8);
	return v;
}

/* Fault @i's reason, or -1 if there is no such fault. */
static int reason(struct dk_soc *soc, size_t i)
{
	const struct dk_fault *f = dk_soc_fault(soc, i);

	return f ? (int)f->reason : -1;
}

static phys_addr_t next_table(u64 pte)
{
	return pte & 0x000ffffffffff000ULL;
}

TEST(iommu_pgtable_every_leaf_size_is_in_dram_and_walked)
{
	struct env e = boot();
	struct dk_sim_iommu_stats st;
	phys_addr_t root, l1, l2, l3, pa;
	u8 got[16], *ram = dk_sim_dram_ptr(e.soc, RAM);

	/* 4 KiB, 2 MiB and 1 GiB leaves, chosen by alignment and size. */
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x1000, RAM + 0x5000, 0x1000,
				  DK_IOMMU_READ | DK_IOMMU_WRITE), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x200000, RAM + 0x200000, 0x200000,
				  DK_IOMMU_READ | DK_IOMMU_WRITE), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x40000000, RAM, 0x40000000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_sim_iommu_table_base(e.a, &root), 0);
	CHECK(root >= RAM && root < 2 * RAM && root % 4096 == 0);
	/* 48 input bits: four levels from level 0. */
	CHECK_EQ(dram_pte(e.soc, root, 0) & 3, 3);	/* table */
	CHECK_EQ(dram_pte(e.soc, root, 1), 0);
	l1 = next_table(dram_pte(e.soc, root, 0));
	CHECK_EQ(dram_pte(e.soc, l1, 1), RAM | 1 << 2 | 1);	/* 1 GiB block */
	l2 = next_table(dram_pte(e.soc, l1, 0));
	CHECK_EQ(dram_pte(e.soc, l2, 1), (RAM + 0x200000) | 3 << 2 | 1);
	l3 = next_table(dram_pte(e.soc, l2, 0));
	CHECK_EQ(dram_pte(e.soc, l3, 0), 0);
	CHECK_EQ(dram_pte(e.soc, l3, 1), (RAM + 0x5000) | 3 << 2 | 3);
	/* The device reaches each through a walk, then through the IOTLB. */
	memcpy(ram + 0x5010, "four KiB page..", 16);
	memcpy(ram + 0x3ffff0, "two MiB block..", 16);
	memcpy(ram + 0x12345670, "one GiB block..", 16);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x1010, got, 16), 0);
	CHECK_MEM(got, "four KiB page..", 16);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x3ffff0, got, 16), 0);
	CHECK_MEM(got, "two MiB block..", 16);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x52345670, got, 16), 0);
	CHECK_MEM(got, "one GiB block..", 16);
	CHECK_EQ(dk_sim_iommu_stats(e.a, &st), 0);
	CHECK_EQ(st.walks, 3);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x7ffffff0, got, 16), 0);	/* same block */
	CHECK_EQ(dk_sim_iommu_stats(e.a, &st), 0);
	CHECK_EQ(st.walks, 3);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x7ffffff0, &pa), 0);
	CHECK_EQ(pa, RAM + 0x3ffffff0);
	/* Unmapping a page of the 2 MiB block splits it into a table. */
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x201000, 0x1000), 0x1000);
	CHECK_EQ(dram_pte(e.soc, l2, 1) & 3, 3);
	l3 = next_table(dram_pte(e.soc, l2, 1));
	CHECK_EQ(dram_pte(e.soc, l3, 0), (RAM + 0x200000) | 3 << 2 | 3);
	CHECK_EQ(dram_pte(e.soc, l3, 1), 0);
	CHECK_EQ(dram_pte(e.soc, l3, 2), (RAM + 0x202000) | 3 << 2 | 3);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x201000, &pa), -ENOENT);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x3ff008, &pa), 0);
	CHECK_EQ(pa, RAM + 0x3ff008);
	/* Overlaps, and IOVAs past the input size. */
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x7fe00000, RAM, 0x1000, 1), -EEXIST);
	CHECK_EQ(dk_sim_iommu_map(e.a, 1ULL << 48, RAM, 0x1000, 1), -ERANGE);
	CHECK_EQ(dk_dev_dma_read(e.a, 1ULL << 48, got, 4), -EFAULT);
	CHECK_EQ(reason(e.soc, 0), DK_FAULT_IOMMU_ADDRESS_SIZE);
	CHECK(dk_soc_fault(e.soc, 0) && dk_soc_fault(e.soc, 0)->stream == 0x10);
	/* Unmapping everything returns what was mapped, blocks whole. */
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0, 1ULL << 40),
		 0x1000 + 0x1ff000 + 0x40000000);
	/* A block replaces the emptied table; a page inside it is refused. */
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x200000, RAM + 0x400000, 0x200000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dram_pte(e.soc, l2, 1), (RAM + 0x400000) | 1 << 2 | 1);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x3ff000, RAM, 0x1000, 1), -EEXIST);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x1000, RAM, 0x1000, 1), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0, RAM, 0x200000, 1), -EEXIST);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0, &pa), -ENOENT);
	dk_soc_free(e.soc);
}

/* Clean every table page on the way to @iova, as the driver should. */
static void clean_walk(struct dk_soc *soc, phys_addr_t table, u64 iova,
		       int levels)
{
	int l;

	for (l = 0; l < levels; l++) {
		u64 pte;
		unsigned int shift = 12 + 9 * (levels - 1 - l);

		dk_sim_cache_clean(soc, table, 4096);
		memcpy(&pte, (u8 *)dk_sim_cpu_ptr(soc, table) +
				     8 * (iova >> shift & 511), 8);
		table = next_table(pte);
	}
}

TEST(iommu_pgtable_non_coherent_walker_misses_an_uncleaned_entry)
{
	struct env e = boot();
	u8 got[8], *ram = dk_sim_dram_ptr(e.soc, RAM);
	phys_addr_t root, pa;

	memcpy(ram + 0x7000, "mapped!", 8);
	/* The writer forgets its clean: the entry is in the CPU cache only. */
	CHECK_EQ(dk_sim_iommu_forget_clean(e.a, true), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x3000, RAM + 0x7000, 0x1000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x3000, &pa), 0);	/* CPU */
	CHECK_EQ(dk_sim_iommu_table_base(e.a, &root), 0);
	CHECK_EQ(dram_pte(e.soc, root, 0), 0);
	CHECK(dk_sim_line_dirty(e.soc, root));
	CHECK_EQ(dk_dev_dma_read(e.a, 0x3000, got, 8), -EFAULT);
	CHECK_EQ(reason(e.soc, 0), DK_FAULT_IOMMU_UNMAPPED);
	/* Cleaned: the walker finds it. */
	clean_walk(e.soc, root, 0x3000, 4);
	CHECK_EQ(dram_pte(e.soc, root, 0) & 3, 3);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x3000, got, 8), 0);
	CHECK_MEM(got, "mapped!", 8);
	CHECK_EQ(dk_sim_iommu_forget_clean(e.a, false), 0);
	/* A dma-coherent walker snoops the cache: no clean needed. The
	 * 32-bit unit starts its walk at level 1 with four entries. */
	CHECK_EQ(dk_sim_iommu_forget_clean(e.c, true), 0);
	CHECK_EQ(dk_sim_iommu_map(e.c, 0xc0000000, RAM + 0x7000, 0x1000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_sim_iommu_table_base(e.c, &root), 0);
	CHECK_EQ(dram_pte(e.soc, root, 3), 0);
	CHECK_EQ(dk_dev_dma_read(e.c, 0xc0000000, got, 8), 0);
	CHECK_MEM(got, "mapped!", 8);
	CHECK_EQ(dk_sim_iommu_map(e.c, 0x100000000ULL, RAM, 0x1000, 1),
		 -ERANGE);
	dk_soc_free(e.soc);
}

TEST(iommu_pgtable_iotlb_keeps_an_unmapped_page_until_invalidated)
{
	struct env e = boot();
	u8 got[8], *ram = dk_sim_dram_ptr(e.soc, RAM);
	struct dk_sim_iommu_stats st;

	memcpy(ram + 0x10000, "page P1", 8);
	memcpy(ram + 0x20000, "page P2", 8);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x5000, RAM + 0x10000, 0x1000,
				  DK_IOMMU_READ | DK_IOMMU_WRITE), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), 0);
	/* Unmapped in the tables, still cached: the device gets through. */
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x5000, 0x1000), 0x1000);
	CHECK_EQ(dk_dev_dma_write(e.a, 0x5004, "XYZ", 3), 0);
	CHECK_MEM(ram + 0x10000, "pageXYZ", 8);
	/* Another stream's context does not share the entry. */
	CHECK_EQ(dk_dev_dma_read(e.b, 0x5000, got, 8), -EFAULT);
	/* Invalidating elsewhere leaves it; invalidating it ends it. */
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.a, 0x6000, 0x1000), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), 0);
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.a, 0x5000, 0x1000), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), -EFAULT);
	/* Remapped elsewhere without an invalidation: the old page. */
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x5000, RAM + 0x10000, 0x1000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), 0);
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x5000, 0x1000), 0x1000);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x5000, RAM + 0x20000, 0x1000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), 0);
	CHECK_MEM(got, "pageXYZ", 8);
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.a, 0, 0), 0);	/* the whole context */
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), 0);
	CHECK_MEM(got, "page P2", 8);
	CHECK_EQ(dk_sim_iommu_stats(e.a, &st), 0);
	CHECK_EQ(st.invalidations, 3);
	CHECK_EQ(st.walks, 4);	/* first, after inval (fault), remap, P2 */
	CHECK(st.tlb_hits >= 3);
	dk_soc_free(e.soc);
}

TEST(iommu_pgtable_permissions_and_attributes)
{
	struct env e = boot();
	u8 got[8], *ram = dk_sim_dram_ptr(e.soc, RAM);
	u8 *cpu = dk_sim_cpu_ptr(e.soc, RAM);

	CHECK_EQ(dk_sim_iommu_map(e.a, 0x1000, RAM + 0x1000, 0x1000,
				  DK_IOMMU_READ), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x2000, RAM + 0x2000, 0x1000,
				  DK_IOMMU_WRITE), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x3000, RAM + 0x3000, 0x1000,
				  DK_IOMMU_READ | DK_IOMMU_WRITE | DK_IOMMU_PRIV),
		 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x4000, RAM + 0x4000, 0x1000,
				  DK_IOMMU_READ | DK_IOMMU_NOEXEC), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x5000, RAM + 0x4000, 0x1000,
				  DK_IOMMU_READ | DK_IOMMU_CACHE), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x6000, RAM + 0x4000, 0x1000,
				  DK_IOMMU_READ | DK_IOMMU_CACHE | DK_IOMMU_MMIO),
		 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x7000, RAM, 0x1000, 0x40), -EINVAL);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x1000, got, 8), 0);
	CHECK_EQ(dk_dev_dma_write(e.a, 0x1000, "w", 1), -EFAULT);
	CHECK_EQ(reason(e.soc, 0), DK_FAULT_IOMMU_PERMISSION);
	CHECK(dk_soc_fault(e.soc, 0) && dk_soc_fault(e.soc, 0)->write);
	CHECK_EQ(dk_dev_dma_write(e.a, 0x2000, "w", 1), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x2000, got, 1), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x3000, got, 1), -EFAULT);	/* PRIV */
	CHECK_EQ(dk_dev_dma_write(e.a, 0x3000, "w", 1), -EFAULT);
	CHECK_EQ(dk_soc_nfaults(e.soc), 4);
	CHECK_EQ(ram[0x3000], 0);
	/* The CPU's dirty line: plain and MMIO reads see DRAM, CACHE snoops. */
	memcpy(ram + 0x4000, "in dram", 8);
	memcpy(cpu + 0x4000, "cpu new", 8);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x4000, got, 8), 0);
	CHECK_MEM(got, "in dram", 8);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x5000, got, 8), 0);
	CHECK_MEM(got, "cpu new", 8);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x6000, got, 8), 0);
	CHECK_MEM(got, "in dram", 8);
	dk_soc_free(e.soc);
}

TEST(iommu_pgtable_tree_errors_and_freed_tables)
{
	static const char bad[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x1000000>; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>;\n"
		"		dmakit,input-address-bits = <52>; }; };\n"
		"};\n";
	struct env e = boot();
	struct dk_soc *none = NULL;
	phys_addr_t root, pa;

	CHECK_EQ(testsoc_try(bad, NULL, &none), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "node /soc/iommu@fd800000: property \"dmakit,input-address-bits\": 52 is not in 32..48");
	/* Off and empty: the table pages go back to the allocator. */
	CHECK_EQ(dk_sim_iommu_map(e.b, 0x1000, RAM, 0x1000, 1), 0);
	CHECK_EQ(dk_sim_iommu_table_base(e.b, &root), 0);
	CHECK_EQ(dk_sim_iommu_enable(e.b, false), 0);
	CHECK_EQ(dk_sim_iommu_table_base(e.b, &pa), 0);	/* still mapped */
	CHECK_EQ(dk_sim_iommu_unmap(e.b, 0x1000, 0x1000), 0x1000);
	CHECK_EQ(dk_sim_iommu_table_base(e.b, &pa), -ENOENT);
	CHECK_EQ(dk_sim_iommu_map(e.b, 0x1000, RAM, 0x1000, 1), 0);
	CHECK_EQ(dk_sim_iommu_table_base(e.b, &pa), 0);
	CHECK_EQ(pa, root);	/* the same page, handed out again */
	dk_soc_free(e.soc);
}

/*
 * The writer goes straight to the level-3 table it used last: a block
 * that replaced that (emptied) table, or tables freed with translation
 * off, must send it the long way again.
 */
TEST(iommu_pgtable_a_block_over_an_emptied_table_and_freed_tables)
{
	struct env e = boot();
	u8 *dram = dk_sim_dram_ptr(e.soc, RAM), got[8];
	phys_addr_t pa;

	CHECK_EQ(dk_sim_iommu_map(e.a, 0x200000, RAM, 0x1000, 3), 0);
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x200000, 0x1000), 0x1000);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x200000, RAM + 0x400000, 0x200000, 3),
		 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x201000, RAM, 0x1000, 3), -EEXIST);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x201008, &pa), 0);
	CHECK_EQ(pa, RAM + 0x401008);
	/* A page out of the block splits it. */
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x201000, 0x1000), 0x1000);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x201000, &pa), -ENOENT);
	CHECK_EQ(dk_sim_iommu_iova_to_phys(e.a, 0x202000, &pa), 0);
	CHECK_EQ(pa, RAM + 0x402000);
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.a, 0, 0), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x202010, got, 8), 0);
	CHECK_MEM(got, dram + 0x402010, 8);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x201010, got, 8), -EFAULT);
	/* Off and empty: new tables for the next map, walked as such. */
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x200000, 0x200000), 0x1ff000);
	CHECK_EQ(dk_sim_iommu_enable(e.a, false), 0);
	CHECK_EQ(dk_sim_iommu_table_base(e.a, &pa), -ENOENT);
	CHECK_EQ(dk_sim_iommu_enable(e.a, true), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x203000, RAM + 0x3000, 0x1000, 3), 0);
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x204000, RAM + 0x4000, 0x1000, 3), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x204010, got, 8), 0);
	CHECK_MEM(got, dram + 0x4010, 8);
	dk_soc_free(e.soc);
}

/* An invalidation of one page drops a cached block covering it, and a
 * block is looked up once the IOTLB holds entries of that size. */
TEST(iommu_pgtable_page_invalidation_drops_the_block_holding_it)
{
	struct env e = boot();
	u8 got[8];

	CHECK_EQ(dk_sim_iommu_map(e.b, 0x1000, RAM, 0x1000, 3), 0);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x1000, got, 8), 0);
	CHECK_EQ(dk_sim_iommu_map(e.b, 0x400000, RAM + 0x400000, 0x200000, 3),
		 0);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x5ffff8, got, 8), 0);
	CHECK_EQ(dk_sim_iommu_unmap(e.b, 0x400000, 0x200000), 0x200000);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x400010, got, 8), 0);	/* stale */
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.b, 0x401000, 0x1000), 0);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x400010, got, 8), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x1000, got, 8), 0);
	dk_soc_free(e.soc);
}

/* Invalidating all of one stream's IOTLB entries leaves the other
 * stream's on the same unit, stale ones included, where they are. */
TEST(iommu_pgtable_invalidating_a_whole_stream_keeps_the_others)
{
	struct env e = boot();
	struct dk_sim_iommu_stats st;
	u8 got[8];

	CHECK_EQ(dk_sim_iommu_map(e.a, 0x1000, RAM, 0x1000, 3), 0);
	CHECK_EQ(dk_sim_iommu_map(e.b, 0x1000, RAM + 0x1000, 0x1000, 3), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x1000, got, 8), 0);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x1000, got, 8), 0);
	CHECK_EQ(dk_sim_iommu_unmap(e.a, 0x1000, 0x1000), 0x1000);
	CHECK_EQ(dk_sim_iommu_unmap(e.b, 0x1000, 0x1000), 0x1000);
	CHECK_EQ(dk_sim_iommu_stats(e.a, &st), 0);
	CHECK_EQ(st.invalidations, 0);
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.a, 0, 0), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x1000, got, 8), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x1000, got, 8), 0);	/* stale */
	CHECK_EQ(dk_sim_iommu_tlb_inval(e.b, 0, 0), 0);
	CHECK_EQ(dk_dev_dma_read(e.b, 0x1000, got, 8), -EFAULT);
	/* A new map of a's is walked and cached afresh. */
	CHECK_EQ(dk_sim_iommu_map(e.a, 0x1000, RAM + 0x2000, 0x1000, 3), 0);
	CHECK_EQ(dk_dev_dma_read(e.a, 0x1000, got, 8), 0);
	CHECK_MEM(got, (u8 *)dk_sim_dram_ptr(e.soc, RAM + 0x2000), 8);
	CHECK_EQ(dk_sim_iommu_stats(e.a, &st), 0);
	CHECK_EQ(st.invalidations, 2);
	dk_soc_free(e.soc);
}
