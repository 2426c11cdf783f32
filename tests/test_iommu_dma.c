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

/* Two masters behind the SMMU: one wired to all 64 address bits. */
static const char wide_tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	wide { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x11>; };\n"
	"	mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>;\n"
	"		dmakit,address-bits = <32>; }; };\n"
	"};\n";

/* Map, let the device write through the IOVA, unmap: exact bytes. */
static dma_addr_t round_trip(struct device *dev, struct dk_simdev *sdev,
			     u8 *buf, size_t len, int v)
{
	static u8 in[16384];
	dma_addr_t h;

	memset(buf, 0, len);
	memset(in, v, len);
	h = dma_map_single(dev, buf, len, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK_EQ(dk_dev_dma_write(sdev, h, in, len), 0);
	dma_unmap_single(dev, h, len, DMA_FROM_DEVICE);
	CHECK_MEM(buf, in, len);
	return h;
}

TEST(iommu_dma_iovas_span_the_whole_mask_inside_the_aperture)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(wide_tree, NULL, &mo);
	struct device *wide = dk_machine_find_device(t.m, "wide");
	struct dk_simdev *swide = dk_soc_find_dev(t.soc, "wide");
	struct iommu_domain *d = wide->iommu_domain;
	u8 *buf = kmalloc(16384, GFP_KERNEL);
	dma_addr_t h;

	dk_dma_debug_clear();
	CHECK_EQ((unsigned long)buf % PAGE_SIZE, 0);
	CHECK_EQ(d->geometry.aperture_start, 0);
	CHECK_EQ(d->geometry.aperture_end, DMA_BIT_MASK(48));
	CHECK(d->geometry.force_aperture);
	CHECK_EQ(d->pgsize_bitmap, 0x1000 | 0x200000 | 0x40000000);
	/* The default 32-bit mask, then 40, then 64 bits: the top of each.
	 * (Each size once: a freed range is cached and comes back for the
	 * next mapping of its size that it fits under.) */
	h = round_trip(wide, swide, buf, 4096, 0x31);
	CHECK_EQ(h, 0xfffff000);
	CHECK_EQ(dma_set_mask_and_coherent(wide, DMA_BIT_MASK(40)), 0);
	h = round_trip(wide, swide, buf, 8192, 0x32);
	CHECK_EQ(h, DMA_BIT_MASK(40) - 8191);
	CHECK_EQ(dma_set_mask_and_coherent(wide, DMA_BIT_MASK(64)), 0);
	h = round_trip(wide, swide, buf, 16384, 0x33);
	CHECK_EQ(h, DMA_BIT_MASK(48) - 16383);	/* the aperture bounds it */
	/* Two pages again: the 40-bit step's range, from the magazine. */
	h = round_trip(wide, swide, buf + 100, 5000, 0x35);
	CHECK_EQ(h, DMA_BIT_MASK(40) - 8191 + 100);
	/* A 24-bit master behind an IOMMU probes, and stays above 1 MiB. */
	CHECK_EQ(dma_set_mask_and_coherent(wide, DMA_BIT_MASK(24)), 0);
	h = round_trip(wide, swide, buf, 4096, 0x34);
	CHECK(h <= DMA_BIT_MASK(24) - 4095 && h >= 0x100000);
	/* Any mask is taken; one below the first free MiB maps nothing. */
	CHECK_EQ(dma_set_mask_and_coherent(wide, DMA_BIT_MASK(16)), 0);
	h = dma_map_single(wide, buf, 64, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(wide, h), -ENOMEM);
	CHECK_STR(dk_last_error(), "/soc/wide: no 1 free IOVA pages below 0xffff");
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	testmachine_shutdown(&t);
}

/* Live mappings of random sizes under a 36-bit mask: in range and
 * pairwise disjoint, and each device reaches only its own bytes. */
TEST(iommu_dma_live_iovas_never_overlap)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(wide_tree, NULL, &mo);
	struct device *wide = dk_machine_find_device(t.m, "wide");
	struct dk_simdev *swide = dk_soc_find_dev(t.soc, "wide");
	static u8 *bufs[200];
	static dma_addr_t hs[200];
	static size_t lens[200];
	unsigned long long x = 0x5eed;
	int i, k, bad = 0;

	CHECK_EQ(dma_set_mask(wide, DMA_BIT_MASK(36)), 0);
	for (i = 0; i < 200; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		lens[i] = 1 + x % 70000;
		bufs[i] = kmalloc(lens[i], GFP_KERNEL);
		memset(bufs[i], i, lens[i] < 64 ? lens[i] : 64);
		hs[i] = dma_map_single(wide, bufs[i], lens[i], DMA_TO_DEVICE);
		bad += dma_mapping_error(wide, hs[i]) != 0;
		bad += hs[i] + lens[i] - 1 > DMA_BIT_MASK(36);
	}
	for (i = 0; i < 200; i++)
		for (k = 0; k < i; k++)
			bad += hs[i] < hs[k] + lens[k] && hs[k] < hs[i] + lens[i];
	CHECK_EQ(bad, 0);
	for (i = 0; i < 200; i += 37) {
		u8 got[64];

		CHECK_EQ(dk_dev_dma_read(swide, hs[i], got,
					 lens[i] < 64 ? lens[i] : 64), 0);
		CHECK(all(got, i, lens[i] < 64 ? lens[i] : 64));
	}
	for (i = 0; i < 200; i++) {
		dma_unmap_single(wide, hs[i], lens[i], DMA_TO_DEVICE);
		kfree(bufs[i]);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&t);
}

/* dma-api-howto.rst: a coherent buffer's DMA address is aligned to the
 * smallest PAGE_SIZE order that holds it. */
TEST(iommu_dma_coherent_iovas_are_aligned_to_their_size_order)
{
	static const size_t sizes[] = { 4096, 65536, 8192, 12288, 100000,
					1 << 20, 4096, 65536 };
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(wide_tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
	void *c[8];
	dma_addr_t h[8];
	u8 in[64], got[64];
	unsigned int i;

	dk_dma_debug_clear();
	memset(in, 0x5a, sizeof(in));
	for (i = 0; i < 8; i++) {
		c[i] = dma_alloc_coherent(mmc, sizes[i], &h[i], GFP_KERNEL);
		CHECK(c[i] != NULL);
		CHECK_EQ(h[i] % (PAGE_SIZE << get_order(sizes[i])), 0);
		CHECK(h[i] + sizes[i] - 1 <= DMA_BIT_MASK(32));
		/* The last bytes are the device's to reach. */
		CHECK_EQ(dk_dev_dma_write(smmc, h[i] + sizes[i] - 64, in, 64),
			 0);
		CHECK_MEM((u8 *)c[i] + sizes[i] - 64, in, 64);
		CHECK_EQ(dk_dev_dma_read(smmc, h[i], got, 64), 0);
		CHECK(all(got, 0, 64));
	}
	for (i = 0; i < 8; i++)
		dma_free_coherent(mmc, sizes[i], c[i], h[i]);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&t);
}

/* A 21-bit mask leaves 1 MiB of IOVAs (the first MiB is kept out): when
 * they are all taken a mapping fails cleanly, and works again after an
 * unmap. */
TEST(iommu_dma_exhausted_iova_space_fails_cleanly)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(wide_tree, NULL, &mo);
	struct device *wide = dk_machine_find_device(t.m, "wide");
	struct dk_simdev *swide = dk_soc_find_dev(t.soc, "wide");
	/* 16 KiB at a time: 64 mappings fill the 256 pages (under Valgrind
	 * each mapping's poisoning prints its stack, so fewer is faster). */
	static dma_addr_t hs[64];
	u8 *buf = kmalloc(4 * PAGE_SIZE, GFP_KERNEL), got[16];
	dma_addr_t h, hc;
	void *c;
	int i, bad = 0;

	dk_dma_debug_clear();
	memset(buf, 0x77, 4 * PAGE_SIZE);
	CHECK_EQ(dma_set_mask_and_coherent(wide, DMA_BIT_MASK(21)), 0);
	for (i = 0; i < 64; i++) {
		hs[i] = dma_map_single(wide, buf, 4 * PAGE_SIZE, DMA_TO_DEVICE);
		bad += dma_mapping_error(wide, hs[i]) != 0;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(hs[63], 0x100000);
	h = dma_map_single(wide, buf, 16, DMA_TO_DEVICE);
	CHECK_EQ(h, DMA_MAPPING_ERROR);
	CHECK_EQ(dma_mapping_error(wide, h), -ENOMEM);
	CHECK_STR(dk_last_error(), "/soc/wide: no 1 free IOVA pages below 0x1fffff");
	c = dma_alloc_attrs(wide, PAGE_SIZE, &hc, GFP_KERNEL, DMA_ATTR_NO_WARN);
	CHECK(c == NULL);
	/* One back, one more; the device reads the buffer through it. */
	dma_unmap_single(wide, hs[25], 4 * PAGE_SIZE, DMA_TO_DEVICE);
	h = dma_map_single(wide, buf, 4 * PAGE_SIZE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(wide, h));
	CHECK_EQ(h, hs[25]);
	CHECK_EQ(dk_dev_dma_read(swide, h, got, sizeof(got)), 0);
	CHECK(all(got, 0x77, sizeof(got)));
	hs[25] = h;
	for (i = 0; i < 64; i++)
		dma_unmap_single(wide, hs[i], 4 * PAGE_SIZE, DMA_TO_DEVICE);
	/* All free again, the cached pages too: two 512 KiB ranges fit
	 * (each aligned to its size), a third does not. */
	{
		struct page *pg = alloc_pages(GFP_KERNEL, 7);
		dma_addr_t big[2];

		for (i = 0; i < 2; i++) {
			big[i] = dma_map_page(wide, pg, 0, 512 << 10,
					      DMA_TO_DEVICE);
			CHECK(!dma_mapping_error(wide, big[i]));
			CHECK_EQ(big[i] % (512 << 10), 0);
		}
		/* 1 and 1.5 MiB, in the order the caches let the tree
		 * find them. */
		CHECK_EQ(big[0] + big[1], 5 << 19);
		CHECK(big[0] != big[1]);
		h = dma_map_page(wide, pg, 0, 512 << 10, DMA_TO_DEVICE);
		CHECK_EQ(dma_mapping_error(wide, h), -ENOMEM);
		for (i = 0; i < 2; i++)
			dma_unmap_page(wide, big[i], 512 << 10, DMA_TO_DEVICE);
		__free_pages(pg, 7);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	testmachine_shutdown(&t);
}

/* ---- scatterlists merged into one IOVA range */

struct ent {
	int page;		/* index into the test's pages */
	unsigned int off, len;
};

/* Six entries over pages of their own, out of physical order: the
 * first starts inside its page, the fourth ends inside its page, the
 * sixth does both. */
static const struct ent ents[] = {
	{ 5, 512, 3584 }, { 0, 0, 4096 }, { 2, 0, 8192 },
	{ 1, 0, 1000 }, { 7, 0, 4096 }, { 4, 100, 200 },
};
#define NENTS 6

static u8 pattern(size_t i)
{
	return (u8)(i * 7 + 3);
}

static void set_list(struct sg_table *sgt, struct page *pg)
{
	struct scatterlist *sg;
	int i;

	CHECK_EQ(sg_alloc_table(sgt, NENTS, GFP_KERNEL), 0);
	for_each_sg(sgt->sgl, sg, NENTS, i)
		sg_set_page(sg, pg + ents[i].page, ents[i].len, ents[i].off);
}

/* The DMA segments as (address offset from the first, length). */
static void check_segments(struct sg_table *sgt, int n, const u64 *off,
			   const unsigned int *len)
{
	struct scatterlist *sg;
	dma_addr_t base = sg_dma_address(sgt->sgl);
	int i;

	CHECK_EQ(sgt->nents, n);
	for_each_sg(sgt->sgl, sg, NENTS, i) {
		if (i < n) {
			CHECK_EQ(sg_dma_address(sg) - base, off[i]);
			CHECK_EQ(sg_dma_len(sg), len[i]);
		} else {
			CHECK_EQ(sg_dma_address(sg), DMA_MAPPING_ERROR);
			CHECK_EQ(sg_dma_len(sg), 0);
		}
	}
}

TEST(iommu_dma_sg_merges_entries_into_one_iova_range)
{
	static const unsigned int len[] = { 3584 + 4096 + 8192 + 1000, 4096,
					    200 };
	static u8 in[16872 + 4096 + 200], got[sizeof(in)];

	for (int p = DK_EVICT_NEVER; p <= DK_EVICT_RANDOM; p++) {
		struct dk_machine_opts mo = { .iommu_dma = true };
		struct dk_soc_opts so = testsoc_policy(p, 7, 50);
		struct testmachine t = testmachine_boot(wide_tree, &so, &mo);
		struct device *mmc = dk_machine_find_device(t.m, "mmc");
		struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
		struct page *pg = alloc_pages(GFP_KERNEL, 3);
		u8 *mem = page_address(pg);
		struct scatterlist *sg;
		struct sg_table sgt;
		u64 want_off[3];
		size_t k = 0;
		unsigned int j;
		int i;

		dk_dma_debug_clear();
		CHECK_EQ(dma_get_merge_boundary(mmc), 0xfff);
		for (i = 0; i < (int)sizeof(in); i++)
			in[i] = pattern(i);
		/* Device to memory: one write per segment. */
		memset(mem, 0xee, 8 * PAGE_SIZE);
		set_list(&sgt, pg);
		CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_FROM_DEVICE, 0), 0);
		/* Segment 0 starts 512 into its page; five pages later the
		 * fifth entry; one page on, the sixth at its offset 100. */
		want_off[0] = 0;
		want_off[1] = 5 * 4096 - 512;
		want_off[2] = 6 * 4096 - 512 + 100;
		check_segments(&sgt, 3, want_off, len);
		CHECK_EQ(sg_dma_address(sgt.sgl) % PAGE_SIZE, 512);
		/* 7 pages, aligned to 8. */
		CHECK_EQ((sg_dma_address(sgt.sgl) - 512) % (8 * PAGE_SIZE), 0);
		for_each_sgtable_dma_sg(&sgt, sg, j) {
			CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sg),
						  in + k, sg_dma_len(sg)), 0);
			k += sg_dma_len(sg);
		}
		dma_unmap_sgtable(mmc, &sgt, DMA_FROM_DEVICE, 0);
		k = 0;
		for_each_sg(sgt.sgl, sg, NENTS, i) {
			u8 *b = mem + ents[i].page * PAGE_SIZE;

			CHECK_MEM(b + ents[i].off, in + k, ents[i].len);
			k += ents[i].len;
			/* Not a byte beside an entry changed. */
			CHECK(all(b, 0xee, ents[i].off));
			CHECK(all(b + ents[i].off + ents[i].len, 0xee,
				  PAGE_ALIGN(ents[i].off + ents[i].len) -
					  ents[i].off - ents[i].len));
		}
		/* After the unmap the range faults, all of it. */
		CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sgt.sgl), in, 1),
			 -EFAULT);
		/* Memory to device: the segments read back as the entries'
		 * bytes in list order. */
		k = 0;
		for_each_sg(sgt.sgl, sg, NENTS, i) {
			memcpy(mem + ents[i].page * PAGE_SIZE + ents[i].off,
			       in + k, ents[i].len);
			k += ents[i].len;
		}
		CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_TO_DEVICE, 0), 0);
		CHECK_EQ(sgt.nents, 3);
		k = 0;
		for_each_sgtable_dma_sg(&sgt, sg, j) {
			CHECK_EQ(dk_dev_dma_read(smmc, sg_dma_address(sg),
						 got + k, sg_dma_len(sg)), 0);
			k += sg_dma_len(sg);
		}
		CHECK_EQ(k, sizeof(in));
		CHECK_MEM(got, in, sizeof(in));
		/* TO_DEVICE is read-only for the device, merged or not. */
		CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sgt.sgl) + 4000,
					  in, 8), -EFAULT);
		dma_unmap_sgtable(mmc, &sgt, DMA_TO_DEVICE, 0);
		sg_free_table(&sgt);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		__free_pages(pg, 3);
		testmachine_shutdown(&t);
	}
}

/* The device's maximum segment and segment boundary split the range. */
TEST(iommu_dma_sg_merging_respects_max_segment_and_boundary)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(wide_tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
	struct page *pg = alloc_pages(GFP_KERNEL, 3);
	static const unsigned int len8k[] = { 7680, 8192, 1000, 4096, 200 };
	static const unsigned int len16k[] = { 15872, 1000, 4096, 200 };
	static const unsigned int len_pad[] = { 4096, 8192 };
	u64 off8k[] = { 0, 2 * 4096 - 512, 4 * 4096 - 512, 5 * 4096 - 512,
			6 * 4096 - 512 + 100 };
	u64 off16k[] = { 0, 4 * 4096 - 512, 5 * 4096 - 512,
			 6 * 4096 - 512 + 100 };
	u64 off_pad[] = { 0, 2 * 4096 };
	struct scatterlist *sg;
	struct sg_table sgt;
	u8 in[64], got[64];
	unsigned int j;

	dk_dma_debug_clear();
	memset(in, 0x4d, sizeof(in));
	/* 8 KiB segments: the first two entries fit one, the 8 KiB entry
	 * fills the next, the 1000 bytes after it start a third. */
	CHECK_EQ(dma_set_max_seg_size(mmc, 8192), 0);
	set_list(&sgt, pg);
	CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_BIDIRECTIONAL, 0), 0);
	check_segments(&sgt, 5, off8k, len8k);
	for_each_sgtable_dma_sg(&sgt, sg, j)
		CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sg), in, 1), 0);
	dma_unmap_sgtable(mmc, &sgt, DMA_BIDIRECTIONAL, 0);
	/* A 16 KiB boundary: the fourth entry's IOVA is on one. */
	CHECK_EQ(dma_set_max_seg_size(mmc, 65536), 0);
	CHECK_EQ(dma_set_seg_boundary(mmc, 0x3fff), 0);
	CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_BIDIRECTIONAL, 0), 0);
	check_segments(&sgt, 4, off16k, len16k);
	dma_unmap_sgtable(mmc, &sgt, DMA_BIDIRECTIONAL, 0);
	sg_free_table(&sgt);
	/* An 8 KiB boundary: an 8 KiB entry after a 4 KiB one would cross
	 * it, so it moves up to the boundary and stays a segment apart. */
	CHECK_EQ(dma_set_seg_boundary(mmc, 0x1fff), 0);
	CHECK_EQ(sg_alloc_table(&sgt, 2, GFP_KERNEL), 0);
	sg_set_page(sgt.sgl, pg + 6, 4096, 0);
	sg_set_page(sg_next(sgt.sgl), pg + 2, 8192, 0);
	CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_BIDIRECTIONAL, 0), 0);
	CHECK_EQ(sgt.nents, 2);
	for (j = 0; j < 2; j++) {
		struct scatterlist *s = j ? sg_next(sgt.sgl) : sgt.sgl;

		CHECK_EQ(sg_dma_address(s) - sg_dma_address(sgt.sgl),
			 off_pad[j]);
		CHECK_EQ(sg_dma_len(s), len_pad[j]);
	}
	/* The page between them is no one's: it faults. */
	CHECK_EQ(dk_dev_dma_read(smmc, sg_dma_address(sgt.sgl) + 4096, got, 8),
		 -EFAULT);
	CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sg_next(sgt.sgl)) +
					8192 - 64, in, 64), 0);
	dma_unmap_sgtable(mmc, &sgt, DMA_BIDIRECTIONAL, 0);
	CHECK_MEM((u8 *)page_address(pg + 3) + 4096 - 64, in, 64);
	sg_free_table(&sgt);
	/* Only the deliberate fault above; the checker saw correct use. */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	__free_pages(pg, 3);
	testmachine_shutdown(&t);
}

/* Entries that are neighbours in memory too: one device access crosses
 * from one into the next, and the syncs of a merged list move exactly
 * their entries' bytes. */
TEST(iommu_dma_sg_merged_access_and_syncs_over_adjacent_entries)
{
	for (int p = DK_EVICT_NEVER; p <= DK_EVICT_RANDOM; p++) {
		struct dk_machine_opts mo = { .iommu_dma = true };
		struct dk_soc_opts so = testsoc_policy(p, 11, 50);
		struct testmachine t = testmachine_boot(wide_tree, &so, &mo);
		struct device *mmc = dk_machine_find_device(t.m, "mmc");
		struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
		struct page *pg = alloc_pages(GFP_KERNEL, 2);
		u8 *mem = page_address(pg);
		static u8 in[3 * 4096];
		struct scatterlist *sg;
		struct sg_table sgt;
		int i;

		dk_dma_debug_clear();
		memset(mem, 0, 4 * PAGE_SIZE);
		CHECK_EQ(sg_alloc_table(&sgt, 3, GFP_KERNEL), 0);
		for_each_sg(sgt.sgl, sg, 3, i)
			sg_set_page(sg, pg + i, 4096, 0);
		CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_FROM_DEVICE, 0), 0);
		CHECK_EQ(sgt.nents, 1);
		CHECK_EQ(sg_dma_len(sgt.sgl), 3 * 4096);
		memset(in, 0x61, sizeof(in));
		CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sgt.sgl), in,
					  sizeof(in)), 0);
		dma_sync_sgtable_for_cpu(mmc, &sgt, DMA_FROM_DEVICE);
		CHECK(all(mem, 0x61, 3 * 4096));
		dma_sync_sgtable_for_device(mmc, &sgt, DMA_FROM_DEVICE);
		/* Straddling the first two entries, 100 bytes each side. */
		memset(in, 0x62, 200);
		CHECK_EQ(dk_dev_dma_write(smmc, sg_dma_address(sgt.sgl) + 3996,
					  in, 200), 0);
		dma_unmap_sgtable(mmc, &sgt, DMA_FROM_DEVICE, 0);
		CHECK(all(mem + 3996, 0x62, 200));
		CHECK(all(mem + 4196, 0x61, 2 * 4096 - 100));
		CHECK(all(mem + 3 * 4096, 0, 4096));
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		sg_free_table(&sgt);
		__free_pages(pg, 2);
		testmachine_shutdown(&t);
	}
}

/* Unmapping a merged list with the mapped count instead of the entry
 * count is the classic mistake: reported as Linux's dma-debug does. */
TEST(iommu_dma_sg_unmap_with_the_mapped_count_is_reported)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(wide_tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct page *pg = alloc_pages(GFP_KERNEL, 3);
	struct sg_table sgt;
	int n;

	dk_dma_debug_clear();
	set_list(&sgt, pg);
	n = dma_map_sg(mmc, sgt.sgl, NENTS, DMA_TO_DEVICE);
	CHECK_EQ(n, 3);
	dma_unmap_sg(mmc, sgt.sgl, n, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_SG_COUNT), 3);
	CHECK_STR(dk_dma_debug_finding(0)->message,
		  "device driver frees DMA sg list with different entry count [map count=6] [unmap count=3]");
	CHECK_EQ(dk_dma_debug_nfindings(), 3);
	sg_free_table(&sgt);
	__free_pages(pg, 3);
	testmachine_shutdown(&t);
}

/*
 * Coherent memory from scattered pages: the device sees one IOVA range
 * aligned to the size order, the CPU one virtual range, the checker every
 * piece (so device access to any page is covered), the table each block.
 */
TEST(iommu_dma_coherent_from_scattered_pages_is_one_iova_range)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
	phys_addr_t holes[16], pa;
	struct sg_table sgt;
	u8 in[8 * 4096], *c;
	FILE *sink = testdebug_start();
	int i, pieces = 1;
	dma_addr_t h;

	/* Every other page of the lowest free ones: holes of one page. */
	for (i = 0; i < 16; i++)
		CHECK_EQ(t.pl.ops->alloc_pages(t.pl.ctx, 1, 1, 0, ~0ULL,
					       &holes[i]), 0);
	for (i = 0; i < 16; i += 2)
		t.pl.ops->free_pages(t.pl.ctx, holes[i], 1);
	c = dma_alloc_attrs(mmc, sizeof(in), &h, GFP_KERNEL,
			    DMA_ATTR_ALLOC_SINGLE_PAGES);
	CHECK(c != NULL);
	CHECK_EQ(h % sizeof(in), 0);
	for (i = 0; i < 8; i++) {
		pa = iommu_iova_to_phys(mmc->iommu_domain, h + i * 4096);
		CHECK_EQ(pa, holes[2 * i]);
		pieces += i && pa != iommu_iova_to_phys(mmc->iommu_domain,
							h + (i - 1) * 4096) + 4096;
	}
	CHECK_EQ(pieces, 8);
	CHECK(bytes_are(c, 0, sizeof(in)));
	for (i = 0; i < (int)sizeof(in); i++)
		in[i] = (u8)(i * 7 + i / 4096);
	CHECK_EQ(dk_dev_dma_write(smmc, h, in, sizeof(in)), 0);
	CHECK_MEM(c, in, sizeof(in));
	c[5000] = 0x5a;
	CHECK_EQ(dk_dev_dma_read(smmc, h + 5000, in, 1), 0);
	CHECK_EQ(in[0], 0x5a);
	CHECK_EQ(dma_get_sgtable(mmc, &sgt, c, h, sizeof(in)), 0);
	CHECK_EQ(sgt.orig_nents, 8);
	CHECK_EQ(sg_phys(sg_next(sgt.sgl)), holes[2]);
	sg_free_table(&sgt);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_free_attrs(mmc, sizeof(in), c, h, DMA_ATTR_ALLOC_SINGLE_PAGES);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(dk_dev_dma_read(smmc, h + 4096, in, 8), -EFAULT);
	for (i = 1; i < 16; i += 2)
		t.pl.ops->free_pages(t.pl.ctx, holes[i], 1);
	testdebug_end(sink);
	testmachine_shutdown(&t);
}
