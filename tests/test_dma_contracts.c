// SPDX-License-Identifier: MIT
/*
 * The contracts of Linux's own DMA API documentation (dma-api.rst,
 * dma-api-howto.rst, dma-attributes.rst, kernel/dma/mapping.c): inputs
 * Linux refuses, direction errors its dma-debug reports, the error codes
 * of dma_map_sgtable(), __GFP_NOWARN, the default segment boundary, the
 * documented queries and helpers, the dma_mmap_*() rules of talk 002
 * ("Dissecting the Linux DMA API"), and every attribute with its exact
 * effect.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

/*
 * RAM below and above 4 GiB; a non-coherent and a coherent master; 32-bit
 * wired masters (one coherent); two masters behind an SMMU (one
 * coherent); one behind a bus whose dma-ranges put bank 0 at bus 0.
 */
static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	dmakit { dma-minalign = <128>; eviction-policy = \"never\"; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"	memory@100000000 { device_type = \"memory\"; reg = <1 0 0 0x4000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"		coh { compatible = \"dmakit,generic-master\"; dma-coherent; };\n"
	"		w32 { compatible = \"dmakit,generic-master\"; dmakit,address-bits = <32>; };\n"
	"		w32coh { compatible = \"dmakit,generic-master\"; dmakit,address-bits = <32>; dma-coherent; };\n"
	"		mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>;\n"
	"			dmakit,address-bits = <32>; };\n"
	"		mmccoh { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x11>;\n"
	"			dma-coherent; };\n"
	"		sub { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>;\n"
	"			ranges; dma-ranges = <0x0 0x0 0x80000000 0x10000000>;\n"
	"			ofs { compatible = \"dmakit,generic-master\"; };\n"
	"		};\n"
	"	};\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *nc, *coh, *w32, *w32coh, *mmc, *mmccoh, *ofs;
	struct dk_simdev *snc, *scoh, *smmc;
};

static struct rig rig_opts(const struct dk_machine_opts *mo)
{
	struct dk_machine_opts dflt = { .iommu_dma = true };
	struct rig r = { .t = testmachine_boot(tree, NULL, mo ? mo : &dflt) };

	if (!r.t.m)
		return r;
	r.nc = dk_machine_find_device(r.t.m, "nc");
	r.coh = dk_machine_find_device(r.t.m, "coh");
	r.w32 = dk_machine_find_device(r.t.m, "w32");
	r.w32coh = dk_machine_find_device(r.t.m, "w32coh");
	r.mmc = dk_machine_find_device(r.t.m, "mmc");
	r.mmccoh = dk_machine_find_device(r.t.m, "mmccoh");
	r.ofs = dk_machine_find_device(r.t.m, "ofs");
	r.snc = dk_soc_find_dev(r.t.soc, "nc");
	r.scoh = dk_soc_find_dev(r.t.soc, "coh");
	r.smmc = dk_soc_find_dev(r.t.soc, "mmc");
	dma_set_mask_and_coherent(r.nc, DMA_BIT_MASK(64));
	dma_set_mask_and_coherent(r.coh, DMA_BIT_MASK(64));
	dma_set_mask_and_coherent(r.w32, DMA_BIT_MASK(32));
	dma_set_mask_and_coherent(r.w32coh, DMA_BIT_MASK(32));
	dma_set_mask_and_coherent(r.mmccoh, DMA_BIT_MASK(64));
	dk_dma_debug_clear();
	return r;
}

static struct rig rig(void)
{
	return rig_opts(NULL);
}

/* @n pages of RAM above 4 GiB. */
static struct page *high_pages(struct rig *r, size_t n)
{
	phys_addr_t pa = 0;

	CHECK_EQ(r->t.pl.ops->alloc_pages(r->t.pl.ctx, n, 1, 0x100000000ULL,
					  ~0ULL, &pa), 0);
	return phys_to_page(pa);
}

static void free_high(struct rig *r, struct page *pg, size_t n)
{
	r->t.pl.ops->free_pages(r->t.pl.ctx, page_to_phys(pg), n);
}

static unsigned long live(void)
{
	struct dk_dma_debug_stats st;

	dk_dma_debug_stats(&st);
	return st.live_entries;
}

/* The only finding so far is of class @check; its message, or "". */
static const char *only(enum dk_dma_check check)
{
	const struct dk_dma_finding *f;

	if (dk_dma_debug_nfindings() != 1) {
		dk_test_fail(__FILE__, __LINE__, "%zu findings, expected one %s",
			     dk_dma_debug_nfindings(), dk_dma_check_name(check));
		return "";
	}
	f = dk_dma_debug_finding(0);
	if (f->check != check) {
		dk_test_fail(__FILE__, __LINE__, "finding %s, expected %s: %s",
			     dk_dma_check_name(f->check),
			     dk_dma_check_name(check), f->message);
		return "";
	}
	return f->message;
}

/* ---- inputs Linux refuses with a WARN and NULL */

TEST(contracts_dma_alloc_pages_and_noncoherent_refuse_gfp_dma_zones)
{
	struct rig r = rig();
	static const gfp_t zones[] = { GFP_DMA, GFP_DMA32 };
	char log[512];
	dma_addr_t h = 0;

	for (size_t i = 0; i < 2; i++) {
		struct capture c = capture_start();

		CHECK(!dma_alloc_pages(r.nc, 4096, &h, DMA_TO_DEVICE,
				       GFP_KERNEL | zones[i]));
		CHECK(err_is("/soc/nc: dma_alloc_pages: GFP_DMA and GFP_DMA32 are not allowed; the coherent mask chooses the memory"));
		CHECK(!dma_alloc_noncoherent(r.nc, 4096, &h, DMA_FROM_DEVICE,
					     zones[i]));
		CHECK(err_is("/soc/nc: dma_alloc_noncoherent: GFP_DMA and GFP_DMA32 are not allowed; the coherent mask chooses the memory"));
		capture_end(&c, log, sizeof(log));
		CHECK_STR(log, "WARNING: /soc/nc: dma_alloc_pages: GFP_DMA and GFP_DMA32 are not allowed");
		CHECK_STR(log, "WARNING: /soc/nc: dma_alloc_noncoherent: GFP_DMA and GFP_DMA32 are not allowed");
	}
	CHECK_EQ(live(), 0);
	/* The same calls without a zone succeed. */
	struct page *pg = dma_alloc_pages(r.nc, 4096, &h, DMA_TO_DEVICE,
					  GFP_KERNEL);

	CHECK(pg != NULL);
	dma_free_pages(r.nc, 4096, pg, h, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_dma_alloc_noncontiguous_takes_only_single_pages_attr)
{
	struct rig r = rig();
	struct sg_table *sgt;
	char log[512];
	struct capture c = capture_start();

	CHECK(!dma_alloc_noncontiguous(r.nc, 8192, DMA_FROM_DEVICE, GFP_KERNEL,
				       DMA_ATTR_WRITE_COMBINE));
	CHECK(err_is("/soc/nc: dma_alloc_noncontiguous: attrs 0x4; only DMA_ATTR_ALLOC_SINGLE_PAGES is allowed"));
	CHECK(!dma_alloc_noncontiguous(r.nc, 8192, DMA_FROM_DEVICE, GFP_KERNEL,
				       DMA_ATTR_ALLOC_SINGLE_PAGES |
				       DMA_ATTR_SKIP_CPU_SYNC));
	CHECK(err_is("/soc/nc: dma_alloc_noncontiguous: attrs 0xa0; only DMA_ATTR_ALLOC_SINGLE_PAGES is allowed"));
	/* GFP_DMA is refused below it, by dma_alloc_pages. */
	CHECK(!dma_alloc_noncontiguous(r.nc, 8192, DMA_FROM_DEVICE, GFP_DMA32,
				       0));
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "WARNING: /soc/nc: dma_alloc_noncontiguous: attrs 0x4; only DMA_ATTR_ALLOC_SINGLE_PAGES is allowed");
	CHECK_STR(log, "WARNING: /soc/nc: dma_alloc_pages: GFP_DMA and GFP_DMA32");
	CHECK_EQ(live(), 0);
	for (unsigned long attrs = 0; attrs <= DMA_ATTR_ALLOC_SINGLE_PAGES;
	     attrs += DMA_ATTR_ALLOC_SINGLE_PAGES) {
		sgt = dma_alloc_noncontiguous(r.nc, 8192, DMA_FROM_DEVICE,
					      GFP_KERNEL, attrs);
		CHECK(sgt != NULL);
		if (sgt)
			dma_free_noncontiguous(r.nc, 8192, sgt, DMA_FROM_DEVICE);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

/* ---- direction errors Linux's dma-debug reports */

TEST(contracts_free_noncoherent_or_pages_in_other_direction_is_reported)
{
	struct rig r = rig();
	dma_addr_t h;
	void *v = dma_alloc_noncoherent(r.nc, 4096, &h, DMA_FROM_DEVICE,
					GFP_KERNEL);
	struct page *pg;
	char want[256];

	CHECK(v != NULL);
	dma_free_noncoherent(r.nc, 4096, v, h, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver frees DMA memory with different direction [device address=0x%016llx] [size=4096 bytes] [mapped with DMA_FROM_DEVICE] [unmapped with DMA_TO_DEVICE]",
		 (unsigned long long)h);
	CHECK_STR(only(DK_CHK_FREE_DIR), want);
	dk_dma_debug_clear();

	pg = dma_alloc_pages(r.nc, 8192, &h, DMA_BIDIRECTIONAL, GFP_KERNEL);
	CHECK(pg != NULL);
	dma_free_pages(r.nc, 8192, pg, h, DMA_FROM_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver frees DMA memory with different direction [device address=0x%016llx] [size=8192 bytes] [mapped with DMA_BIDIRECTIONAL] [unmapped with DMA_FROM_DEVICE]",
		 (unsigned long long)h);
	CHECK_STR(only(DK_CHK_FREE_DIR), want);
	dk_dma_debug_clear();

	/* The same direction is silent; the memory was freed either way. */
	v = dma_alloc_noncoherent(r.nc, 4096, &h, DMA_TO_DEVICE, GFP_KERNEL);
	dma_free_noncoherent(r.nc, 4096, v, h, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(live(), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_unmap_resource_in_other_direction_is_reported)
{
	struct rig r = rig();
	dma_addr_t h = dma_map_resource(r.nc, 0x10000000, 0x100,
					DMA_TO_DEVICE, 0);

	CHECK(!dma_mapping_error(r.nc, h));
	dma_unmap_resource(r.nc, h, 0x100, DMA_FROM_DEVICE, 0);
	CHECK_STR(only(DK_CHK_FREE_DIR),
		  "device driver frees DMA memory with different direction [device address=0x0000000010000000] [size=256 bytes] [mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]");
	dk_dma_debug_clear();
	h = dma_map_resource(r.nc, 0x10000000, 0x100, DMA_FROM_DEVICE, 0);
	dma_mapping_error(r.nc, h);
	dma_unmap_resource(r.nc, h, 0x100, DMA_FROM_DEVICE, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_sync_of_noncoherent_allocation_in_other_direction_is_reported)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *v = dma_alloc_noncoherent(r.nc, 4096, &h, DMA_TO_DEVICE,
				      GFP_KERNEL);
	char want[256];

	dma_sync_single_for_device(r.nc, h, 4096, DMA_BIDIRECTIONAL);
	snprintf(want, sizeof(want),
		 "device driver syncs DMA memory with different direction [device address=0x%016llx] [size=4096 bytes] [mapped with DMA_TO_DEVICE] [synced with DMA_BIDIRECTIONAL]",
		 (unsigned long long)h);
	CHECK_STR(only(DK_CHK_SYNC_DIR), want);
	dk_dma_debug_clear();
	/* In its own direction: silent. */
	dma_sync_single_for_cpu(r.nc, h, 4096, DMA_TO_DEVICE);
	v[0] = 1;
	dma_sync_single_for_device(r.nc, h, 4096, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(r.nc, h, 4096, DMA_TO_DEVICE);
	dma_free_noncoherent(r.nc, 4096, v, h, DMA_TO_DEVICE);
	/* A bidirectional allocation may be synced in any direction. */
	v = dma_alloc_noncoherent(r.nc, 4096, &h, DMA_BIDIRECTIONAL,
				  GFP_KERNEL);
	dma_sync_single_for_device(r.nc, h, 4096, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(r.nc, h, 4096, DMA_FROM_DEVICE);
	dma_free_noncoherent(r.nc, 4096, v, h, DMA_BIDIRECTIONAL);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

/* ---- dma_map_sgtable() error codes, by cause */

static void one_entry(struct sg_table *sgt, struct page *pg, unsigned int len)
{
	CHECK_EQ(sg_alloc_table(sgt, 1, GFP_KERNEL), 0);
	sg_set_page(sgt->sgl, pg, len, 0);
}

TEST(contracts_map_sgtable_says_einval_for_bad_arguments)
{
	struct rig r = rig();
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	struct sg_table sgt, two;
	unsigned long before;

	one_entry(&sgt, pg, 4096);
	before = live();
	CHECK_EQ(dma_map_sgtable(NULL, &sgt, DMA_TO_DEVICE, 0), -EINVAL);
	CHECK_EQ(dma_map_sgtable(r.nc, NULL, DMA_TO_DEVICE, 0), -EINVAL);
	CHECK_EQ(dma_map_sgtable(r.nc, &sgt, DMA_NONE, 0), -EINVAL);
	CHECK_EQ(dma_map_sgtable(r.mmc, &sgt, DMA_NONE, 0), -EINVAL);
	/* A zero-length second entry: the first is unmapped again. */
	CHECK_EQ(sg_alloc_table(&two, 2, GFP_KERNEL), 0);
	sg_set_page(two.sgl, pg, 4096, 0);
	sg_set_page(sg_next(two.sgl), pg + 1, 0, 0);
	CHECK_EQ(dma_map_sgtable(r.nc, &two, DMA_FROM_DEVICE, 0), -EINVAL);
	CHECK_STR(dk_last_error(), "dma_map_sg: entry 1: /soc/nc: dma_map_page: size 0");
	CHECK_EQ(dma_map_sgtable(r.mmc, &two, DMA_FROM_DEVICE, 0), -EINVAL);
	CHECK_EQ(dma_map_sg(r.nc, two.sgl, 2, DMA_FROM_DEVICE), 0);
	/* Beyond the page's bank: not RAM. */
	sg_set_page(two.sgl, pg, 4096, 0x4000000);
	CHECK_EQ(dma_map_sgtable(r.nc, &two, DMA_FROM_DEVICE, 0), -EINVAL);
	CHECK_EQ(live(), before);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sg_free_table(&two);
	sg_free_table(&sgt);
	__free_pages(pg, 1);
	testmachine_shutdown(&r.t);
}

TEST(contracts_map_sgtable_says_eio_when_the_direct_path_cannot_map)
{
	struct dk_machine_opts none = { .swiotlb_size = -1 };
	struct rig r = rig();
	struct page *hi = high_pages(&r, 17 * 64);	/* 17 x 256 KiB */
	struct sg_table sgt;
	struct scatterlist *sg;
	int i;

	/* RAM above 4 GiB for a 32-bit master: a bounce too big for one
	 * swiotlb segment (Linux's direct path: -EIO, not -ENOMEM). */
	CHECK(page_to_phys(hi) >= 0x100000000ULL);
	CHECK_EQ(dma_set_max_seg_size(r.w32, 512 * 1024), 0);
	one_entry(&sgt, hi, 512 * 1024);
	CHECK_EQ(dma_map_sgtable(r.w32, &sgt, DMA_TO_DEVICE, 0), -EIO);
	CHECK_STR(dk_last_error(), "is over the 262144-byte maximum");
	CHECK_EQ(dma_map_sg(r.w32, sgt.sgl, 1, DMA_TO_DEVICE), 0);
	sg_free_table(&sgt);
	/* 17 bounces of 256 KiB: the 4 MiB pool is full at the last. */
	CHECK_EQ(sg_alloc_table(&sgt, 17, GFP_KERNEL), 0);
	for_each_sg(sgt.sgl, sg, 17, i)
		sg_set_page(sg, hi + i * 64, 256 * 1024, 0);
	CHECK_EQ(dma_map_sgtable(r.w32, &sgt, DMA_TO_DEVICE, 0), -EIO);
	CHECK_STR(dk_last_error(), "dma_map_sg: entry 16: /soc/w32: swiotlb buffer is full");
	CHECK_EQ(live(), 0);
	CHECK_EQ(dma_map_sgtable(r.w32, &sgt, DMA_TO_DEVICE, 0), -EIO);
	sg_free_table(&sgt);
	one_entry(&sgt, hi, 4096);
	/* Reachable memory maps; the table says one segment. */
	CHECK_EQ(dma_map_sgtable(r.w32, &sgt, DMA_TO_DEVICE, 0), 0);
	CHECK_EQ(sgt.nents, 1);
	dma_unmap_sgtable(r.w32, &sgt, DMA_TO_DEVICE, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sg_free_table(&sgt);
	free_high(&r, hi, 17 * 64);
	testmachine_shutdown(&r.t);

	/* Without swiotlb the same entry cannot be bounced at all. */
	r = rig_opts(&none);
	hi = high_pages(&r, 1);
	CHECK(page_to_phys(hi) >= 0x100000000ULL);
	one_entry(&sgt, hi, 4096);
	CHECK_EQ(dma_map_sgtable(r.w32, &sgt, DMA_TO_DEVICE, 0), -EIO);
	CHECK_STR(dk_last_error(), "beyond the device's reach");
	CHECK_EQ(live(), 0);
	sg_free_table(&sgt);
	free_high(&r, hi, 1);
	testmachine_shutdown(&r.t);
}

/* RAM from 0, so a 24-bit master behind the SMMU has 16 MiB of IOVAs. */
static const char low_tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"dmakit { eviction-policy = \"never\"; };\n"
	"memory@0 { device_type = \"memory\"; reg = <0 0 0 0x2000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; }; };\n"
	"};\n";

TEST(contracts_map_sgtable_says_enomem_when_iova_space_runs_out)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(low_tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct page *pg = alloc_pages(GFP_KERNEL, 10);	/* 4 MiB */
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned long before = live();
	int i;

	CHECK_EQ(dma_set_mask(mmc, DMA_BIT_MASK(24)), 0);
	CHECK_EQ(dma_set_max_seg_size(mmc, 4 << 20), 0);
	dk_dma_debug_clear();
	/* Four times the same 4 MiB: the list's one IOVA range of 16 MiB
	 * does not fit below 16 MiB (its first MiB is kept out). */
	CHECK_EQ(sg_alloc_table(&sgt, 4, GFP_KERNEL), 0);
	for_each_sg(sgt.sgl, sg, 4, i)
		sg_set_page(sg, pg, 4 << 20, 0);
	CHECK_EQ(dma_map_sgtable(mmc, &sgt, DMA_TO_DEVICE, 0), -ENOMEM);
	CHECK_STR(dk_last_error(), "dma_map_sg: /soc/mmc: no 4096 free IOVA pages below 0xffffff");
	CHECK_EQ(sg_dma_address(sgt.sgl), DMA_MAPPING_ERROR);
	CHECK_EQ(live(), before);
	/* Nothing stayed mapped: two entries fit (8 MiB on an 8 MiB
	 * boundary), as two segments of the maximum 4 MiB each. */
	CHECK_EQ(dma_map_sg(mmc, sgt.sgl, 2, DMA_TO_DEVICE), 2);
	CHECK_EQ(sg_dma_address(sgt.sgl), 8 << 20);
	CHECK_EQ(sg_dma_address(sg_next(sgt.sgl)), 12 << 20);
	dma_unmap_sg(mmc, sgt.sgl, 2, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sg_free_table(&sgt);
	__free_pages(pg, 10);
	testmachine_shutdown(&t);
}

/* ---- __GFP_NOWARN */

typedef void *(*alloc_fn)(struct device *, size_t, dma_addr_t *, gfp_t);

TEST(contracts_gfp_nowarn_silences_coherent_allocation_failures)
{
	static const alloc_fn fns[] = { dma_alloc_coherent, dma_alloc_wc,
					dmam_alloc_coherent };
	struct rig r = rig();
	char log[512], why[512];
	dma_addr_t h;

	for (size_t i = 0; i < 3; i++) {
		struct capture c = capture_start();

		/* 1 GiB: more than the machine has below the 32-bit mask. */
		CHECK(!fns[i](r.w32, 1UL << 30, &h, GFP_KERNEL));
		snprintf(why, sizeof(why), "%s\n", dk_last_error());
		capture_end(&c, log, sizeof(log));
		CHECK(why[1] != '\0');
		CHECK_STR(log, why);		/* printed */
		dk_clear_error();

		c = capture_start();
		CHECK(!fns[i](r.w32, 1UL << 30, &h, GFP_KERNEL | __GFP_NOWARN));
		capture_end(&c, log, sizeof(log));
		CHECK(!strcmp(log, ""));	/* not printed */
		why[strlen(why) - 1] = '\0';
		CHECK(err_is(why));		/* but still said */
	}
	testmachine_shutdown(&r.t);
}

/* ---- limits and queries */

TEST(contracts_seg_boundary_defaults_to_no_boundary)
{
	struct rig r = rig();

	CHECK_EQ(dma_get_seg_boundary(r.nc), ULONG_MAX);
	CHECK_EQ(dma_get_seg_boundary(NULL), ULONG_MAX);
	CHECK_EQ(dma_get_seg_boundary_nr_pages(r.nc, PAGE_SHIFT),
		 (ULONG_MAX >> PAGE_SHIFT) + 1);
	CHECK_EQ(dma_get_seg_boundary_nr_pages(NULL, PAGE_SHIFT), 0x100000);
	CHECK_EQ(dma_get_seg_boundary_nr_pages(r.nc, 64), 1);
	CHECK_EQ(dma_set_seg_boundary(r.nc, 0xffff), 0);
	CHECK_EQ(dma_get_seg_boundary(r.nc), 0xffff);
	CHECK_EQ(dma_get_seg_boundary_nr_pages(r.nc, PAGE_SHIFT), 16);
	CHECK_EQ(dma_get_seg_boundary_nr_pages(r.nc, 9), 128);
	testmachine_shutdown(&r.t);
}

TEST(contracts_min_align_mask_reads_back)
{
	struct rig r = rig();

	CHECK_EQ(dma_get_min_align_mask(r.nc), 0);
	CHECK_EQ(dma_get_min_align_mask(NULL), 0);
	dma_set_min_align_mask(r.nc, 0xfff);
	CHECK_EQ(dma_get_min_align_mask(r.nc), 0xfff);
	CHECK_EQ(dma_get_min_align_mask(r.coh), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_required_mask_covers_the_highest_ram)
{
	struct rig r = rig();

	/* Bank 1 ends at 0x103ffffff: 33 bits. */
	CHECK_EQ(dma_get_required_mask(r.nc), DMA_BIT_MASK(33));
	CHECK_EQ(dma_get_required_mask(r.w32), DMA_BIT_MASK(33));
	/* Through dma-ranges only bank 0 is reachable, at bus 0..0x3ffffff. */
	CHECK_EQ(dma_get_required_mask(r.ofs), DMA_BIT_MASK(26));
	/* Behind the IOMMU every buffer can get an IOVA below 4 GiB. */
	CHECK_EQ(dma_get_required_mask(r.mmc), DMA_BIT_MASK(32));
	CHECK_EQ(dma_get_required_mask(NULL), DMA_BIT_MASK(32));
	testmachine_shutdown(&r.t);
}

TEST(contracts_need_sync_is_false_only_for_coherent_unbounced_mappings)
{
	struct rig r = rig();
	u8 *lo = kmalloc(4096, GFP_KERNEL);
	struct page *hi = high_pages(&r, 1);
	dma_addr_t a, b, c, d, e;

	a = dma_map_single(r.nc, lo, 4096, DMA_TO_DEVICE);
	b = dma_map_single(r.coh, lo, 4096, DMA_TO_DEVICE);
	c = dma_map_page(r.w32coh, hi, 0, 4096, DMA_TO_DEVICE);	/* bounced */
	d = dma_map_single(r.mmc, lo, 4096, DMA_TO_DEVICE);
	e = dma_map_single(r.mmccoh, lo, 4096, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.nc, a) && !dma_mapping_error(r.coh, b) &&
	      !dma_mapping_error(r.w32coh, c) && !dma_mapping_error(r.mmc, d) &&
	      !dma_mapping_error(r.mmccoh, e));
	CHECK(dma_need_sync(r.nc, a));
	CHECK(!dma_need_sync(r.coh, b));
	CHECK(dma_need_sync(r.w32coh, c));
	CHECK(dma_need_sync(r.mmc, d));
	CHECK(!dma_need_sync(r.mmccoh, e));
	CHECK(dma_need_sync(NULL, a));
	/* What "need" means: the coherent device's bounce copy changes
	 * only through the sync it needs. */
	dma_sync_single_for_cpu(r.w32coh, c, 4096, DMA_TO_DEVICE);
	memset(page_address(hi), 0x5a, 16);
	dma_sync_single_for_device(r.w32coh, c, 4096, DMA_TO_DEVICE);
	{
		u8 got[16], want[16];

		memset(want, 0x5a, sizeof(want));
		CHECK_EQ(dk_dev_dma_read(dk_soc_find_dev(r.t.soc, "w32coh"), c,
					 got, sizeof(got)), 0);
		CHECK_MEM(got, want, sizeof(got));
	}
	dma_unmap_single(r.nc, a, 4096, DMA_TO_DEVICE);
	dma_unmap_single(r.coh, b, 4096, DMA_TO_DEVICE);
	dma_unmap_page(r.w32coh, c, 4096, DMA_TO_DEVICE);
	dma_unmap_single(r.mmc, d, 4096, DMA_TO_DEVICE);
	dma_unmap_single(r.mmccoh, e, 4096, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(lo);
	free_high(&r, hi, 1);
	testmachine_shutdown(&r.t);
}

TEST(contracts_merge_boundary_is_the_iommu_page_behind_iommu_dma)
{
	struct rig r = rig();
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	struct sg_table sgt;

	CHECK_EQ(dma_get_merge_boundary(r.nc), 0);
	CHECK_EQ(dma_get_merge_boundary(r.mmc), 0xfff);
	CHECK_EQ(dma_get_merge_boundary(NULL), 0);
	/* Two whole pages behind the IOMMU become one DMA segment. */
	CHECK_EQ(sg_alloc_table(&sgt, 2, GFP_KERNEL), 0);
	sg_set_page(sgt.sgl, pg + 1, 4096, 0);
	sg_set_page(sg_next(sgt.sgl), pg, 4096, 0);
	CHECK_EQ(dma_map_sgtable(r.mmc, &sgt, DMA_TO_DEVICE, 0), 0);
	CHECK_EQ(sgt.nents, 1);
	CHECK_EQ(sg_dma_len(sgt.sgl), 8192);
	CHECK_EQ(sg_dma_len(sg_next(sgt.sgl)), 0);
	dma_unmap_sgtable(r.mmc, &sgt, DMA_TO_DEVICE, 0);
	sg_free_table(&sgt);
	__free_pages(pg, 1);
	testmachine_shutdown(&r.t);
}

TEST(contracts_can_mmap_on_every_device_of_the_sim)
{
	struct rig r = rig();

	CHECK(dma_can_mmap(r.nc));
	CHECK(dma_can_mmap(r.coh));
	CHECK(dma_can_mmap(r.mmc));
	CHECK(!dma_can_mmap(NULL));
	testmachine_shutdown(&r.t);
}

TEST(contracts_coerce_mask_gives_a_maskless_device_the_coherent_one)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t h;

	r.nc->dma_mask = NULL;		/* a bus that set up no mask */
	CHECK_EQ(dma_coerce_mask_and_coherent(r.nc, DMA_BIT_MASK(40)), 0);
	CHECK(r.nc->dma_mask == &r.nc->coherent_dma_mask);
	CHECK_EQ(dma_get_mask(r.nc), DMA_BIT_MASK(40));
	CHECK_EQ(r.nc->coherent_dma_mask, DMA_BIT_MASK(40));
	h = dma_map_single(r.nc, buf, 256, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.nc, h));
	dma_unmap_single(r.nc, h, 256, DMA_TO_DEVICE);
	/* A mask that reaches no RAM still fails, and changes nothing. */
	CHECK_EQ(dma_coerce_mask_and_coherent(r.nc, DMA_BIT_MASK(24)), -EIO);
	CHECK_EQ(dma_get_mask(r.nc), DMA_BIT_MASK(40));
	CHECK_EQ(dma_coerce_mask_and_coherent(NULL, DMA_BIT_MASK(32)), -EINVAL);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	testmachine_shutdown(&r.t);
}

struct rx_desc {
	void *buf;
	DEFINE_DMA_UNMAP_ADDR(mapping);
	DEFINE_DMA_UNMAP_LEN(len);
};

TEST(contracts_unmap_state_macros_keep_address_and_length)
{
	struct rig r = rig();
	struct rx_desc d = { kmalloc(1536, GFP_KERNEL), 0, 0 };
	dma_addr_t h = dma_map_single(r.nc, d.buf, 1536, DMA_FROM_DEVICE);

	CHECK(!dma_mapping_error(r.nc, h));
	dma_unmap_addr_set(&d, mapping, h);
	dma_unmap_len_set(&d, len, 1536);
	CHECK_EQ(sizeof(d.mapping), sizeof(dma_addr_t));
	CHECK_EQ(sizeof(d.len), 4);
	CHECK_EQ(dma_unmap_addr(&d, mapping), h);
	CHECK_EQ(dma_unmap_len(&d, len), 1536);
	dma_unmap_single(r.nc, dma_unmap_addr(&d, mapping),
			 dma_unmap_len(&d, len), DMA_FROM_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(live(), 0);
	kfree(d.buf);
	testmachine_shutdown(&r.t);
}

/* dmam_alloc_attrs from probe; the attrs travel to the free at unbind. */
static unsigned long probe_attrs;
static void *probe_cpu;
static dma_addr_t probe_handle;

static int managed_probe(struct device *dev)
{
	probe_cpu = dmam_alloc_attrs(dev, 8192, &probe_handle, GFP_KERNEL,
				     probe_attrs);
	return probe_cpu ? 0 : -ENOMEM;
}

TEST(contracts_dmam_alloc_attrs_frees_with_its_attrs_at_unbind)
{
	static const unsigned long attrs[] = { 0, DMA_ATTR_WRITE_COMBINE,
					       DMA_ATTR_NON_CONSISTENT };
	struct rig r = rig();
	struct device_driver drv = { .name = "managed", .probe = managed_probe };

	for (size_t i = 0; i < 3; i++) {
		probe_attrs = attrs[i];
		CHECK_EQ(device_bind_driver(r.nc, &drv), 0);
		CHECK_EQ(live(), 1);
		/* NON_CONSISTENT is a cacheable, linear-map buffer. */
		CHECK_EQ(virt_addr_valid(probe_cpu),
			 attrs[i] == DMA_ATTR_NON_CONSISTENT);
		device_release_driver(r.nc);
		CHECK_EQ(live(), 0);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
	}
	/* Freed early by dmam_free_coherent(), with the same attrs. */
	probe_attrs = DMA_ATTR_NON_CONSISTENT;
	CHECK_EQ(device_bind_driver(r.nc, &drv), 0);
	dmam_free_coherent(r.nc, 8192, probe_cpu, probe_handle);
	CHECK_EQ(live(), 0);
	device_release_driver(r.nc);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

/* ---- talk 002's dma_mmap_*() rules */

typedef int (*mmap_fn)(struct device *, struct vm_area_struct *, void *,
		       dma_addr_t, size_t);

/* mmap @size bytes at @cpu/@h with @fn: one report naming both kinds. */
static void mismatch(struct device *dev, mmap_fn fn, void *cpu, dma_addr_t h,
		     size_t size, const char *alloc_kind, const char *mmap_kind)
{
	struct vm_area_struct vma = { .vm_end = size };
	char want[300];

	dk_dma_debug_clear();
	CHECK_EQ(fn(dev, &vma, cpu, h, size), 0);
	snprintf(want, sizeof(want),
		 "device driver maps DMA memory to user space with other attributes than it was allocated with [device address=0x%016llx] [size=%zu bytes] [allocated %s] [mmapped %s]",
		 (unsigned long long)h, size, alloc_kind, mmap_kind);
	CHECK_STR(only(DK_CHK_MMAP_ATTRS), want);
	CHECK_EQ(dk_munmap(&vma), 0);
	dk_dma_debug_clear();
}

TEST(contracts_mmap_with_other_attributes_than_the_allocation_is_reported)
{
	struct rig r = rig();
	struct vm_area_struct vma;
	dma_addr_t h, hc;
	void *wc = dma_alloc_wc(r.nc, 4096, &h, GFP_KERNEL);
	void *coh = dma_alloc_coherent(r.nc, 8192, &hc, GFP_KERNEL);

	mismatch(r.nc, dma_mmap_coherent, wc, h, 4096, "write-combine",
		 "coherent");
	mismatch(r.nc, dma_mmap_wc, coh, hc, 8192, "coherent",
		 "write-combine");
	/* A coherent device's driver is just as wrong on other SoCs. */
	dma_free_coherent(r.nc, 8192, coh, hc);
	coh = dma_alloc_coherent(r.coh, 4096, &hc, GFP_KERNEL);
	mismatch(r.coh, dma_mmap_wc, coh, hc, 4096, "coherent",
		 "write-combine");

	/* Matching attributes, and a failed mmap, are silent. */
	vma = (struct vm_area_struct){ .vm_end = 4096 };
	CHECK_EQ(dma_mmap_wc(r.nc, &vma, wc, h, 4096), 0);
	CHECK_EQ(dk_munmap(&vma), 0);
	vma = (struct vm_area_struct){ .vm_end = 4096 };
	CHECK_EQ(dma_mmap_coherent(r.coh, &vma, coh, hc, 4096), 0);
	CHECK_EQ(dk_munmap(&vma), 0);
	vma = (struct vm_area_struct){ .vm_end = 4096, .vm_pgoff = 1 };
	CHECK_EQ(dma_mmap_coherent(r.nc, &vma, wc, h, 4096), -ENXIO);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_free_wc(r.nc, 4096, wc, h);
	dma_free_coherent(r.coh, 4096, coh, hc);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_free_while_user_space_has_it_mapped_is_reported)
{
	struct rig r = rig();
	struct vm_area_struct vma = { .vm_end = 4096, .vm_pgoff = 1 };
	struct vm_area_struct vpg = { .vm_end = 8192 };
	dma_addr_t h;
	void *p = dma_alloc_coherent(r.nc, 3 * 4096, &h, GFP_KERNEL);
	struct page *pg;
	char want[300];

	CHECK_EQ(dma_mmap_coherent(r.nc, &vma, p, h, 3 * 4096), 0);
	dma_free_coherent(r.nc, 3 * 4096, p, h);
	snprintf(want, sizeof(want),
		 "device driver frees DMA memory that user space still has mapped [device address=0x%016llx] [size=12288 bytes] [user mappings=1, first at 0x%lx, 4096 bytes]",
		 (unsigned long long)h, vma.vm_start);
	CHECK_STR(only(DK_CHK_FREE_USER_MAPPED), want);
	CHECK_EQ(dk_munmap(&vma), 0);
	CHECK(!strcmp(dk_dma_check_name(DK_CHK_FREE_USER_MAPPED),
		      "free-user-mapped"));
	CHECK(!strcmp(dk_dma_check_name(DK_CHK_MMAP_ATTRS),
		      "mmap-different-attributes"));
	dk_dma_debug_clear();

	/* dma_mmap_pages of a dma_alloc_pages buffer: the same rule. */
	pg = dma_alloc_pages(r.nc, 8192, &h, DMA_FROM_DEVICE, GFP_KERNEL);
	CHECK_EQ(dma_mmap_pages(r.nc, &vpg, 8192, pg), 0);
	dma_free_pages(r.nc, 8192, pg, h, DMA_FROM_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver frees DMA memory that user space still has mapped [device address=0x%016llx] [size=8192 bytes] [user mappings=1, first at 0x%lx, 8192 bytes]",
		 (unsigned long long)h, vpg.vm_start);
	CHECK_STR(only(DK_CHK_FREE_USER_MAPPED), want);
	CHECK_EQ(dk_munmap(&vpg), 0);
	dk_dma_debug_clear();

	/* Unmapped first, then freed: silent; the next owner of the pages
	 * is not blamed for the earlier mapping. */
	p = dma_alloc_coherent(r.nc, 4096, &h, GFP_KERNEL);
	vma = (struct vm_area_struct){ .vm_end = 4096 };
	CHECK_EQ(dma_mmap_coherent(r.nc, &vma, p, h, 4096), 0);
	CHECK_EQ(dk_munmap(&vma), 0);
	dma_free_coherent(r.nc, 4096, p, h);
	p = dma_alloc_coherent(r.nc, 4096, &h, GFP_KERNEL);
	dma_free_coherent(r.nc, 4096, p, h);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

/* ---- attributes, each by its exact effect */

TEST(contracts_attr_non_consistent_gives_cacheable_memory_the_driver_syncs)
{
	struct rig r = rig();
	dma_addr_t h;
	u8 *p = dma_alloc_attrs(r.nc, 4096, &h, GFP_KERNEL,
				DMA_ATTR_NON_CONSISTENT), got[64], in[64];

	CHECK(p && dk_sim_is_cacheable(r.t.soc, p));
	CHECK(bytes_are(p, 0, 4096));
	/* A CPU write stays in the cache until the sync for the device. */
	memset(p, 0x33, 64);
	CHECK_EQ(dk_dev_dma_read(r.snc, h, got, 64), 0);
	CHECK(bytes_are(got, 0, 64));
	dma_sync_single_for_device(r.nc, h, 4096, DMA_BIDIRECTIONAL);
	CHECK_EQ(dk_dev_dma_read(r.snc, h, got, 64), 0);
	CHECK(bytes_are(got, 0x33, 64));
	/* A device write is seen only after the sync for the CPU. */
	memset(in, 0x44, 64);
	CHECK_EQ(dk_dev_dma_write(r.snc, h + 128, in, 64), 0);
	dk_sim_peek(got, p + 128, 64);	/* the device owns it: look only */
	CHECK(bytes_are(got, 0, 64));
	dma_sync_single_for_cpu(r.nc, h, 4096, DMA_BIDIRECTIONAL);
	CHECK(bytes_are(p + 128, 0x44, 64));
	CHECK(bytes_are(p, 0x33, 64));
	dma_free_attrs(r.nc, 4096, p, h, DMA_ATTR_NON_CONSISTENT);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(live(), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_attr_weak_ordering_and_write_barrier_change_no_bytes)
{
	static const unsigned long attrs[] = { DMA_ATTR_WEAK_ORDERING,
					       DMA_ATTR_WRITE_BARRIER };
	struct rig r = rig();
	u8 *buf = kmalloc(512, GFP_KERNEL), in[512];

	for (size_t i = 0; i < 2; i++) {
		dma_addr_t plain, h, hc;
		u8 *c;

		/* Streaming: the same address, the same cache work. */
		plain = dma_map_single(r.nc, buf, 512, DMA_FROM_DEVICE);
		dma_mapping_error(r.nc, plain);
		dma_unmap_single(r.nc, plain, 512, DMA_FROM_DEVICE);
		memset(buf, 0x11, 512);
		h = dma_map_single_attrs(r.nc, buf, 512, DMA_FROM_DEVICE,
					 attrs[i]);
		CHECK(!dma_mapping_error(r.nc, h));
		CHECK_EQ(h, plain);
		memset(in, 0x70 + (int)i, 512);
		CHECK_EQ(dk_dev_dma_write(r.snc, h, in, 512), 0);
		dma_unmap_single_attrs(r.nc, h, 512, DMA_FROM_DEVICE, attrs[i]);
		CHECK_MEM(buf, in, 512);
		/* Coherent: still an uncached view the device shares. */
		c = dma_alloc_attrs(r.nc, 4096, &hc, GFP_KERNEL, attrs[i]);
		CHECK(c && !dk_sim_is_cacheable(r.t.soc, c));
		memset(c, 0x5e, 64);
		CHECK_EQ(dk_dev_dma_read(r.snc, hc, in, 64), 0);
		CHECK(bytes_are(in, 0x5e, 64));
		dma_free_attrs(r.nc, 4096, c, hc, attrs[i]);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(live(), 0);
	kfree(buf);
	testmachine_shutdown(&r.t);
}

TEST(contracts_attr_force_contiguous_gives_physically_contiguous_pages)
{
	struct rig r = rig();
	struct device *devs[] = { r.nc, r.mmc };

	for (size_t i = 0; i < 2; i++) {
		struct sg_table sgt;
		dma_addr_t h;
		void *p = dma_alloc_attrs(devs[i], 64 * 1024, &h, GFP_KERNEL,
					  DMA_ATTR_FORCE_CONTIGUOUS);
		phys_addr_t first;

		CHECK(p != NULL);
		CHECK_EQ(dma_get_sgtable(devs[i], &sgt, p, h, 64 * 1024), 0);
		CHECK_EQ(sgt.orig_nents, 1);
		CHECK_EQ(sgt.sgl->length, 64 * 1024);
		first = sg_phys(sgt.sgl);
		/* Every page of the device's view lands on the next page. */
		for (unsigned int k = 0; k < 16; k++)
			CHECK_EQ(dma_to_phys(devs[i], h + k * 4096),
				 first + k * 4096);
		sg_free_table(&sgt);
		dma_free_attrs(devs[i], 64 * 1024, p, h,
			       DMA_ATTR_FORCE_CONTIGUOUS);
	}
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

TEST(contracts_dma_mmap_wc_view_is_shared_with_the_device)
{
	struct rig r = rig();
	struct vm_area_struct vma = { .vm_end = 8192 };
	dma_addr_t h;
	u8 *wc = dma_alloc_wc(r.nc, 8192, &h, GFP_KERNEL), *u, in[64];

	CHECK_EQ(dma_mmap_wc(r.nc, &vma, wc, h, 8192), 0);
	u = (u8 *)vma.vm_start;
	CHECK(u != wc && !dk_sim_is_cacheable(r.t.soc, u));
	/* A user store reaches the device with no sync once a barrier has
	 * emptied the write buffer, and the reverse. */
	memset(u + 4096, 0x2b, 64);
	dk_sim_drain_writes(r.t.soc);
	CHECK_EQ(dk_dev_dma_read(r.snc, h + 4096, in, 64), 0);
	CHECK(bytes_are(in, 0x2b, 64));
	CHECK(bytes_are(wc + 4096, 0x2b, 64));
	memset(in, 0x9d, 64);
	CHECK_EQ(dk_dev_dma_write(r.snc, h + 64, in, 64), 0);
	CHECK(bytes_are(u + 64, 0x9d, 64));
	CHECK_EQ(dk_munmap(&vma), 0);
	dma_free_wc(r.nc, 8192, wc, h);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testmachine_shutdown(&r.t);
}

/* Two pages as two entries, mapped @dir with @attrs. */
static void two_pages(struct sg_table *sgt, struct page *pg)
{
	CHECK_EQ(sg_alloc_table(sgt, 2, GFP_KERNEL), 0);
	sg_set_page(sgt->sgl, pg, 4096, 0);
	sg_set_page(sg_next(sgt->sgl), pg + 2, 4096, 0);
}

TEST(contracts_map_sg_attrs_skip_cpu_sync_does_no_cache_work)
{
	struct rig r = rig();
	struct page *pg = alloc_pages(GFP_KERNEL, 2);
	u8 *v = page_address(pg), got[64], in[64];
	struct sg_table sgt;
	struct scatterlist *s1;

	memset(v, 0x01, 4 * 4096);
	dk_sim_cache_clean(r.t.soc, page_to_phys(pg), 4 * 4096);
	memset(v, 0x02, 4 * 4096);		/* dirty in the cache only */
	two_pages(&sgt, pg);
	s1 = sg_next(sgt.sgl);
	CHECK_EQ(dma_map_sg_attrs(r.nc, sgt.sgl, 2, DMA_BIDIRECTIONAL,
				  DMA_ATTR_SKIP_CPU_SYNC), 2);
	/* No clean at map: the device reads what DRAM had. */
	CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(s1), got, 64), 0);
	CHECK(bytes_are(got, 0x01, 64));
	/* The first sync for the device is the hand-over. */
	dma_sync_sg_for_device(r.nc, sgt.sgl, 2, DMA_BIDIRECTIONAL);
	CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(s1), got, 64), 0);
	CHECK(bytes_are(got, 0x02, 64));
	/* No invalidate at unmap: the CPU keeps its cached copy. */
	memset(in, 0x03, 64);
	CHECK_EQ(dk_dev_dma_write(r.snc, sg_dma_address(sgt.sgl), in, 64), 0);
	dma_unmap_sg_attrs(r.nc, sgt.sgl, 2, DMA_BIDIRECTIONAL,
			   DMA_ATTR_SKIP_CPU_SYNC);
	CHECK(bytes_are(v, 0x02, 64));
	/* Without the attribute, unmap invalidates and the CPU sees it. */
	CHECK_EQ(dma_map_sg_attrs(r.nc, sgt.sgl, 2, DMA_BIDIRECTIONAL, 0), 2);
	CHECK_EQ(dk_dev_dma_write(r.snc, sg_dma_address(sgt.sgl), in, 64), 0);
	dma_unmap_sg_attrs(r.nc, sgt.sgl, 2, DMA_BIDIRECTIONAL, 0);
	CHECK(bytes_are(v, 0x03, 64));
	CHECK(bytes_are(v + 64, 0x02, 64));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sg_free_table(&sgt);
	__free_pages(pg, 2);
	testmachine_shutdown(&r.t);
}

TEST(contracts_sync_sg_for_device_hands_new_data_to_the_device)
{
	struct rig r = rig();
	struct page *pg = alloc_pages(GFP_KERNEL, 2);
	u8 *v = page_address(pg), got[4096];
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int i;

	memset(v, 0xa1, 4 * 4096);
	two_pages(&sgt, pg);
	CHECK_EQ(dma_map_sgtable(r.nc, &sgt, DMA_TO_DEVICE, 0), 0);
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(sg), got,
					 4096), 0);
		CHECK(bytes_are(got, 0xa1, 4096));
	}
	/* The CPU refills both pages while it owns them again. */
	dma_sync_sg_for_cpu(r.nc, sgt.sgl, 2, DMA_TO_DEVICE);
	memset(v, 0xb2, 4096);
	memset(v + 2 * 4096, 0xb3, 4096);
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(sg), got,
					 4096), 0);
		CHECK(bytes_are(got, 0xa1, 4096));	/* still in the cache */
	}
	dma_sync_sg_for_device(r.nc, sgt.sgl, 2, DMA_TO_DEVICE);
	CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(sgt.sgl), got, 4096), 0);
	CHECK(bytes_are(got, 0xb2, 4096));
	CHECK_EQ(dk_dev_dma_read(r.snc, sg_dma_address(sg_next(sgt.sgl)), got,
				 4096), 0);
	CHECK(bytes_are(got, 0xb3, 4096));
	dma_unmap_sgtable(r.nc, &sgt, DMA_TO_DEVICE, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sg_free_table(&sgt);
	__free_pages(pg, 2);
	testmachine_shutdown(&r.t);
}
