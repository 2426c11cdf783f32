// SPDX-License-Identifier: MIT
/*
 * iommu-dma allocates only inside the IOVA ranges the platform's IOMMU
 * accepts (the platform's iommu_range op; VFIO reports them, with x86's
 * MSI window left out), shown on the simulator with VT-d's ranges; and
 * the platform's mapping cache: hits, and unused regions evicted when the
 * IOMMU has no room (VFIO type1's entry limit).
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/scatterlist.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "../src/kernel/kernel.h"
#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	gpu { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; dma-coherent; }; };\n"
	"};\n";

/* What VT-d reports to VFIO below 4 GiB: all but the MSI window. */
static int vtd_ranges(void *ctx, const char *device, int i, u64 *start,
		      u64 *end)
{
	static const u64 r[2][2] = { { 0, 0xfedfffff },
				     { 0xfef00000, 0xffffffff } };

	(void)ctx, (void)device;
	if (i < 0 || i > 1)
		return -ENOENT;
	*start = r[i][0];
	*end = r[i][1];
	return 0;
}

/* The simulator's ops as amended by a test, and the SoC they drive. */
static struct dk_platform_ops ops;
static struct dk_soc *soc;

/* Boot the tree's SoC with iommu-dma on, through a copy of the
 * simulator's ops that @patch amends; the "mmc" device in *@mmc. */
static struct dk_machine *boot_patched(void (*patch)(struct dk_platform_ops *),
				       struct device **mmc)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct dk_platform pl;
	struct dk_machine *m = NULL;

	dk_machine_shutdown(t.m);
	soc = t.soc;
	ops = *t.pl.ops;
	patch(&ops);
	pl = (struct dk_platform){ &ops, t.pl.ctx };
	CHECK_EQ(dk_machine_boot(&pl, &mo, &m), 0);
	*mmc = m ? dk_machine_find_device(m, "mmc") : NULL;
	return m;
}

static void add_ranges(struct dk_platform_ops *o)
{
	o->iommu_range = vtd_ranges;
}

TEST(iommu_dma_allocates_only_inside_the_iommus_valid_ranges)
{
	struct device *mmc;
	struct dk_machine *m = boot_patched(add_ranges, &mmc);
	dma_addr_t h[6];
	u8 *buf;
	int i;

	CHECK_EQ(mmc->iommu_domain->geometry.aperture_end, 0xffffffffULL);
	buf = kmalloc(4 << 20, GFP_KERNEL);
	CHECK(buf != NULL);
	/* Four 4 MiB ranges fill 0xff000000 up; the fifth's aligned slot
	 * would hold the MSI window, so it goes below. */
	for (i = 0; i < 6; i++) {
		h[i] = dma_map_single(mmc, buf, 4 << 20, DMA_TO_DEVICE);
		CHECK(!dma_mapping_error(mmc, h[i]));
		CHECK(h[i] + (4 << 20) <= 0xfee00000ULL || h[i] > 0xfeefffffULL);
	}
	CHECK_EQ(h[0], 0xffc00000ULL);
	CHECK_EQ(h[4], 0xfe800000ULL);
	for (i = 0; i < 6; i++)
		dma_unmap_single(mmc, h[i], 4 << 20, DMA_TO_DEVICE);
	kfree(buf);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
}

/* A mapping cache over 16 MiB of RAM near its top (the low pages go to
 * swiotlb and kmalloc first), counting IOMMU maps. */
#define REGION 0x82000000ULL
static u64 cache_iova = DMA_MAPPING_ERROR;
static int hw_maps;
static int (*sim_iommu_map)(void *, const char *, u64, phys_addr_t, u64, int);
static int (*sim_iommu_map_hw)(void *, void *, u64, phys_addr_t, u64, int);

static int counting_map(void *ctx, const char *device, u64 iova,
			phys_addr_t pa, u64 size, int prot)
{
	hw_maps++;
	return sim_iommu_map(ctx, device, iova, pa, size, prot);
}

/* The IOMMU API maps through the device's handle when it has one. */
static int counting_map_hw(void *ctx, void *hw, u64 iova, phys_addr_t pa,
			   u64 size, int prot)
{
	hw_maps++;
	return sim_iommu_map_hw(ctx, hw, iova, pa, size, prot);
}

static int find(void *ctx, const char *device, phys_addr_t pa,
		phys_addr_t *base, u64 *size, u64 *iova)
{
	(void)ctx, (void)device;
	if (pa < REGION || pa >= REGION + 0x1000000)
		return -ENOENT;
	*base = REGION;
	*size = 0x1000000;
	*iova = cache_iova;
	return 0;
}

static int set(void *ctx, const char *device, phys_addr_t base, u64 iova)
{
	(void)ctx, (void)device, (void)base;
	cache_iova = iova;
	return 0;
}

static void add_cache(struct dk_platform_ops *o)
{
	sim_iommu_map = o->iommu_map;
	o->iommu_map = counting_map;
	sim_iommu_map_hw = o->iommu_map_hw;
	o->iommu_map_hw = counting_map_hw;
	/* VFIO's way: the domain owns no tables, each map is a call. */
	o->iommu_pt_new = NULL;
	o->iommu_cache_find = find;
	o->iommu_cache_set = set;
}

TEST(iommu_dma_serves_the_platforms_cached_region_without_mapping_again)
{
	struct device *mmc;
	struct dk_machine *m = boot_patched(add_cache, &mmc);
	dma_addr_t a, b, c;
	phys_addr_t pa;
	u8 *in, *out;

	CHECK_EQ(ops.alloc_pages(soc, 1, 1, REGION,
			       REGION + 0xffffff, &pa), 0);
	in = phys_to_virt(pa);
	hw_maps = 0;
	/* The first map maps the whole region once... */
	a = dma_map_single(mmc, in + 8, 100, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, a));
	CHECK_EQ(hw_maps, 1);
	CHECK_EQ(a, cache_iova + (pa - REGION) + 8);
	dma_unmap_single(mmc, a, 100, DMA_TO_DEVICE);
	/* ...and every later one is served from it, the unmap undoing
	 * nothing. */
	b = dma_map_single(mmc, in + 8, 100, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(mmc, b));
	CHECK_EQ(b, a);
	CHECK_EQ(hw_maps, 1);
	CHECK_EQ(iommu_iova_to_phys(mmc->iommu_domain, cache_iova), REGION);
	dma_unmap_single(mmc, b, 100, DMA_FROM_DEVICE);
	/* Memory outside the region maps the ordinary way. */
	out = kmalloc(64, GFP_KERNEL);
	c = dma_map_single(mmc, out, 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, c));
	CHECK(virt_to_phys(out) < REGION);
	CHECK_EQ(hw_maps, 2);
	dma_unmap_single(mmc, c, 64, DMA_TO_DEVICE);
	CHECK_EQ(iommu_iova_to_phys(mmc->iommu_domain, c), 0);
	kfree(out);
	ops.free_pages(soc, pa, 1);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
}

/* The region stays mapped for good (the host's arena): iommu-dma may
 * serve maps of it itself, counting them in the platform's hits. */
static unsigned long pinned_hits;

static int pinned(void *ctx, const char *device, phys_addr_t base, u64 iova,
		  unsigned long **hits)
{
	(void)ctx, (void)device;
	if (base != REGION || iova != cache_iova)
		return -ENOENT;
	*hits = &pinned_hits;
	return 0;
}

/* Whether @dev is in the window table, whose devices' maps of the
 * window are the front end's: no call into iommu-dma at all. */
static bool in_window(struct device *dev)
{
	return atomic_load(dk_dma_window_slot(dev)) == dev;
}

/* How often iommu-dma asked the platform: a window hit asks nothing. */
static int finds;

static int counting_find(void *ctx, const char *device, phys_addr_t pa,
			 phys_addr_t *base, u64 *size, u64 *iova)
{
	finds++;
	return find(ctx, device, pa, base, size, iova);
}

static void add_pinned_cache(struct dk_platform_ops *o)
{
	add_cache(o);
	o->iommu_cache_find = counting_find;
	o->iommu_cache_pinned = pinned;
}

/* A driver's own dma_map_ops, counting its maps. */
static int other_maps;

static dma_addr_t other_map(struct device *dev, struct page *page,
			    unsigned long offset, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	(void)dev, (void)page, (void)offset, (void)size, (void)dir, (void)attrs;
	other_maps++;
	return 0x1000;
}

static const struct dma_map_ops other_ops = { .map_page = other_map };

/* A map of @n bytes at @p for @dev, and whether it failed. */
static dma_addr_t map_n(struct device *dev, void *p, size_t n,
			enum dma_data_direction dir)
{
	dma_addr_t h = dma_map_single(dev, p, n, dir);

	CHECK(!dma_mapping_error(dev, h));
	return h;
}

/* Map and unmap 64 bytes at @p twice, at IOVA @want each time, the
 * platform's lookups counted from 0. */
static void map_twice(struct device *dev, void *p, dma_addr_t want)
{
	int i;

	finds = 0;
	for (i = 0; i < 2; i++) {
		dma_addr_t h = map_n(dev, p, 64, DMA_TO_DEVICE);

		CHECK_EQ(h, want);
		dma_unmap_single(dev, h, 64, DMA_TO_DEVICE);
	}
}

/*
 * A coherent device's maps of a pinned region after the first: its IOVA
 * there, no IOMMU call, each counted as the platform's hit, the device
 * reaching the exact bytes; never above the mask; with the checker on
 * the same IOVA and its findings; bad arguments and buffers reaching
 * past the region the ordinary way.
 */
TEST(iommu_dma_serves_a_pinned_region_through_its_window)
{
	struct device *mmc, *gpu;
	struct dk_machine *m;
	enum dk_dma_debug_mode mode;
	const struct dma_map_ops *was;
	struct iommu_domain *dom;
	struct dk_simdev *sd;
	dma_addr_t a, b, c, base;
	phys_addr_t pa, edge;
	u8 *in, got[64], pat[32];
	u64 mask;
	FILE *sink;
	int bits;

	cache_iova = DMA_MAPPING_ERROR;
	pinned_hits = 0;
	m = boot_patched(add_pinned_cache, &mmc);
	gpu = dk_machine_find_device(m, "gpu");
	sd = dk_soc_find_dev(soc, "gpu");
	CHECK(gpu && sd && gpu->dma_coherent);
	/* The checker off: the front end's fast path is what maps. */
	mode = dk_dma_debug_get_mode();
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	CHECK_EQ(ops.alloc_pages(soc, 1, 1, REGION, REGION + 0xffffff, &pa),
		 0);
	in = phys_to_virt(pa);
	hw_maps = 0;
	/* The first map maps the region: no hit. */
	a = map_n(gpu, in + 8, 100, DMA_BIDIRECTIONAL);
	base = cache_iova + (pa - REGION);
	CHECK_EQ(a, base + 8);
	CHECK_EQ(hw_maps, 1);
	CHECK_EQ(pinned_hits, 0);
	CHECK(in_window(gpu));
	CHECK(!in_window(mmc));
	dma_unmap_single(gpu, a, 100, DMA_BIDIRECTIONAL);
	/* Then hits that ask the platform nothing, the device reading
	 * and writing the exact bytes. */
	memset(in, 0x5a, 64);
	finds = 0;
	b = map_n(gpu, in, 64, DMA_TO_DEVICE);
	c = map_n(gpu, in + 256, 32, DMA_FROM_DEVICE);
	CHECK_EQ(b, base);
	CHECK_EQ(c, base + 256);
	CHECK_EQ(pinned_hits, 2);
	CHECK_EQ(hw_maps, 1);
	CHECK_EQ(finds, 0);
	CHECK_EQ(dk_dev_dma_read(sd, b, got, 64), 0);
	CHECK(bytes_are(got, 0x5a, 64));
	memset(pat, 0xc3, sizeof(pat));
	CHECK_EQ(dk_dev_dma_write(sd, c, pat, sizeof(pat)), 0);
	dma_unmap_single(gpu, c, 32, DMA_FROM_DEVICE);
	dma_unmap_single(gpu, b, 64, DMA_TO_DEVICE);
	CHECK(bytes_are(in + 256, 0xc3, 32));
	/* Unmapping a hit unmaps nothing: the region stays. */
	CHECK_EQ(iommu_iova_to_phys(gpu->iommu_domain, cache_iova), REGION);
	/* A mask below the window: mapped the ordinary way, below it. */
	mask = *gpu->dma_mask;
	bits = 63 - __builtin_clzll(cache_iova);
	CHECK_EQ(dma_set_mask(gpu, DMA_BIT_MASK(bits)), 0);
	CHECK(!in_window(gpu));
	c = map_n(gpu, in, 64, DMA_TO_DEVICE);
	CHECK(!in_window(gpu));
	CHECK(c + 63 <= DMA_BIT_MASK(bits));
	CHECK_EQ(hw_maps, 2);
	CHECK_EQ(pinned_hits, 2);
	CHECK_EQ(dk_dev_dma_read(sd, c, got, 64), 0);
	CHECK(bytes_are(got, 0x5a, 64));
	dma_unmap_single(gpu, c, 64, DMA_TO_DEVICE);
	CHECK_EQ(iommu_iova_to_phys(gpu->iommu_domain, c & PAGE_MASK), 0);
	/* The mask back: the window again, after one ordinary hit. */
	CHECK_EQ(dma_set_mask(gpu, mask), 0);
	map_twice(gpu, in, base);
	CHECK_EQ(pinned_hits, 4);
	CHECK_EQ(finds, 0);
	CHECK(in_window(gpu));
	CHECK_EQ(hw_maps, 2);
	/* A driver's domain attached and detached: the window goes with
	 * the default domain's attachment and comes back after it, one
	 * ordinary map (not counted: the platform counts no uses) later. */
	dom = iommu_paging_domain_alloc(gpu);
	CHECK(dom != NULL);
	CHECK_EQ(iommu_attach_device(dom, gpu), 0);
	CHECK(!in_window(gpu));
	iommu_detach_device(dom, gpu);
	iommu_domain_free(dom);
	map_twice(gpu, in, base);
	CHECK_EQ(pinned_hits, 5);
	CHECK_EQ(finds, 1);
	CHECK(in_window(gpu));
	CHECK_EQ(dk_dev_dma_read(sd, base, got, 64), 0);
	CHECK(bytes_are(got, 0x5a, 64));
	/* The reattach replayed the region's one mapping, no more. */
	CHECK_EQ(hw_maps, 3);
	/* A driver's own table: its map is called, not the window's. */
	other_maps = 0;
	was = get_dma_ops(gpu);
	set_dma_ops(gpu, &other_ops);
	CHECK(!in_window(gpu));
	CHECK_EQ(dma_map_single(gpu, in, 64, DMA_TO_DEVICE), 0x1000);
	CHECK_EQ(other_maps, 1);
	set_dma_ops(gpu, was);
	CHECK_EQ(dma_map_single(NULL, in, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	/* Bad arguments are the full path's to refuse. */
	CHECK_EQ(dma_map_single(gpu, in, 0, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	CHECK_EQ(dma_map_single(gpu, in, 64, (enum dma_data_direction)7),
		 DMA_MAPPING_ERROR);
	CHECK_EQ(pinned_hits, 5);
	/* A buffer reaching past the region's end: the ordinary way. */
	CHECK_EQ(ops.alloc_pages(soc, 2, 1, REGION + 0xfff000,
				 REGION + 0x1001fff, &edge), 0);
	c = map_n(gpu, (u8 *)phys_to_virt(edge) + PAGE_SIZE - 32, 64,
		  DMA_TO_DEVICE);
	CHECK(c < cache_iova || c >= cache_iova + 0x1000000);
	CHECK_EQ(hw_maps, 4);
	dma_unmap_single(gpu, c, 64, DMA_TO_DEVICE);
	/* The checker on: the same IOVA, and it sees the mapping. */
	sink = testdebug_start();
	b = map_n(gpu, in, 64, DMA_TO_DEVICE);
	CHECK_EQ(b, base);
	CHECK_EQ(pinned_hits, 6);
	dma_unmap_single(gpu, b, 64, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_unmap_single(gpu, b, 64, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_NOT_ALLOCATED), 1);
	if (dk_dma_debug_finding(0))
		CHECK_STR(dk_dma_debug_finding(0)->message,
			  "device driver tries to free DMA memory it has not allocated");
	testdebug_end(sink);
	dk_dma_debug_set_mode(mode);
	ops.free_pages(soc, edge, 2);
	ops.free_pages(soc, pa, 1);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
}

/*
 * An IOMMU with room for two mappings (as VFIO type1 at its
 * dma_entry_limit: past it a map is -ENOSPC) and a mapping cache of two
 * 4 MiB regions that counts the maps using each: iommu-dma evicts an
 * unused region to make room, fails when every one is in use, and drops
 * a region the platform says went stale.
 */
#define HW_ROOM 2
#define RSIZE 0x400000ULL
static struct {
	u64 iova;
	int uses;
	bool stale;
} rg[2];
static int hw_live, evictions;
static u64 (*sim_iommu_unmap)(void *, const char *, u64, u64);

static int full_map(void *ctx, const char *device, u64 iova, phys_addr_t pa,
		    u64 size, int prot)
{
	int r;

	if (hw_live == HW_ROOM)
		return -ENOSPC;
	r = sim_iommu_map(ctx, device, iova, pa, size, prot);
	hw_live += !r;
	return r;
}

static u64 full_unmap(void *ctx, const char *device, u64 iova, u64 size)
{
	u64 done = sim_iommu_unmap(ctx, device, iova, size);

	hw_live -= done != 0;
	return done;
}

static int rg_of(phys_addr_t pa)
{
	return pa < REGION || pa >= REGION + 2 * RSIZE ? -1 :
							 (int)((pa - REGION) / RSIZE);
}

static int rg_find(void *ctx, const char *device, phys_addr_t pa,
		   phys_addr_t *base, u64 *size, u64 *iova)
{
	int i = rg_of(pa);

	(void)ctx, (void)device;
	if (i < 0)
		return -ENOENT;
	*base = REGION + i * RSIZE;
	*size = RSIZE;
	*iova = rg[i].iova;
	return 0;
}

static int rg_set(void *ctx, const char *device, phys_addr_t base, u64 iova)
{
	(void)ctx, (void)device;
	rg[rg_of(base)].iova = iova;
	return 0;
}

static int rg_use(void *ctx, const char *device, phys_addr_t base, u64 iova,
		  bool get)
{
	int i = rg_of(base);

	(void)ctx, (void)device;
	if (i < 0 || rg[i].iova != iova)
		return -ENOENT;
	if (get && rg[i].stale)
		return -ESTALE;
	rg[i].uses += get ? 1 : -1;
	return 0;
}

static int rg_evict(void *ctx, const char *device, phys_addr_t *base,
		    u64 *size, u64 *iova)
{
	int i;

	(void)ctx, (void)device;
	for (i = 0; i < 2; i++)
		if (rg[i].iova != DMA_MAPPING_ERROR && !rg[i].uses) {
			*base = REGION + i * RSIZE;
			*size = RSIZE;
			*iova = rg[i].iova;
			rg[i].iova = DMA_MAPPING_ERROR;
			rg[i].stale = false;
			evictions++;
			return 0;
		}
	return -ENOENT;
}

static void add_full_cache(struct dk_platform_ops *o)
{
	sim_iommu_map = o->iommu_map;
	sim_iommu_unmap = o->iommu_unmap;
	o->iommu_map = full_map;
	o->iommu_unmap = full_unmap;
	/* Every map and unmap by name, through the two above. */
	o->iommu_hw = NULL;
	o->iommu_map_hw = NULL;
	o->iommu_unmap_hw = NULL;
	o->iommu_cache_find = rg_find;
	o->iommu_cache_set = rg_set;
	o->iommu_cache_use = rg_use;
	o->iommu_cache_evict = rg_evict;
}

TEST(iommu_dma_evicts_unused_cached_regions_when_the_iommu_is_full)
{
	struct device *mmc;
	struct dk_machine *m;
	phys_addr_t pa[2];
	struct scatterlist sg[3];
	dma_addr_t a, b, c, d, old;
	u8 *k1 = NULL, *k2 = NULL;
	int i;

	rg[0].iova = rg[1].iova = DMA_MAPPING_ERROR;
	rg[0].uses = rg[1].uses = 0;
	hw_live = evictions = 0;
	m = boot_patched(add_full_cache, &mmc);
	for (i = 0; i < 2; i++)
		CHECK_EQ(ops.alloc_pages(soc, 1, 1, REGION + i * RSIZE,
					 REGION + (i + 1) * RSIZE - 1, &pa[i]), 0);
	/* Region 0 mapped and left unused, region 1 in use: the IOMMU is
	 * full. */
	a = dma_map_single(mmc, phys_to_virt(pa[0]), 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, a));
	dma_unmap_single(mmc, a, 64, DMA_TO_DEVICE);
	old = rg[0].iova;
	b = dma_map_single(mmc, phys_to_virt(pa[1]), 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, b));
	CHECK_EQ(hw_live, 2);
	CHECK_EQ(rg[0].uses, 0);
	CHECK_EQ(rg[1].uses, 1);
	/* A buffer of neither region: region 0 goes, its IOVAs freed. */
	k1 = kmalloc(64, GFP_KERNEL);
	c = dma_map_single(mmc, k1, 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, c));
	CHECK_EQ(evictions, 1);
	CHECK_EQ(hw_live, 2);
	CHECK_EQ(iommu_iova_to_phys(mmc->iommu_domain, old), 0);
	/* Every mapping in use: the map fails, nothing evicted. */
	k2 = kmalloc(64, GFP_KERNEL);
	d = dma_map_single(mmc, k2, 64, DMA_TO_DEVICE);
	CHECK(dma_mapping_error(mmc, d));
	CHECK_EQ(hw_live, 2);
	CHECK_EQ(evictions, 1);
	/* A region gone stale is evicted and the buffer mapped the ordinary
	 * way, which the room that leaves allows. */
	dma_unmap_single(mmc, c, 64, DMA_TO_DEVICE);
	dma_unmap_single(mmc, b, 64, DMA_TO_DEVICE);
	CHECK_EQ(rg[1].uses, 0);
	rg[1].stale = true;
	old = rg[1].iova;
	b = dma_map_single(mmc, phys_to_virt(pa[1]), 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, b));
	CHECK_EQ(evictions, 2);
	CHECK(b < old || b >= old + RSIZE);
	CHECK_EQ(iommu_iova_to_phys(mmc->iommu_domain, b & PAGE_MASK),
		 pa[1]);
	dma_unmap_single(mmc, b, 64, DMA_TO_DEVICE);
	CHECK_EQ(hw_live, 0);
	/* A list of two runs, room for one: the error names the entry that
	 * starts the run that did not fit, and nothing stays mapped. */
	kfree(k1);
	k1 = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	c = dma_map_single(mmc, k2, 64, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, c));
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], k1, 64);
	sg_set_buf(&sg[1], k1 + 64, PAGE_SIZE - 64);
	sg_set_buf(&sg[2], k1 + 2 * PAGE_SIZE, 64);
	CHECK_EQ(hw_live, 1);
	i = dma_map_sg(mmc, sg, 3, DMA_TO_DEVICE);
	CHECK_EQ(i, 0);
	CHECK(strstr(dk_last_error(), "dma_map_sg: entry 1: ") != NULL);
	CHECK_EQ(hw_live, 1);
	dma_unmap_single(mmc, c, 64, DMA_TO_DEVICE);
	kfree(k1);
	kfree(k2);
	for (i = 0; i < 2; i++)
		ops.free_pages(soc, pa[i], 1);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
}

/* A platform with only part of the handle ops: the IOMMU API keeps to
 * the ops by name, and the device reaches what was mapped. */
static void half_handles(struct dk_platform_ops *o)
{
	o->iommu_map_hw = NULL;
}

TEST(iommu_without_all_three_handle_ops_maps_by_name)
{
	struct device *mmc;
	struct dk_machine *m = boot_patched(half_handles, &mmc);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), got[4];
	dma_addr_t h;

	memset(buf, 0x6b, PAGE_SIZE);
	h = dma_map_single(mmc, buf, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, h));
	CHECK_EQ(dk_dev_dma_read(dk_soc_find_dev(soc, "mmc"), h, got, 4), 0);
	CHECK(bytes_are(got, 0x6b, 4));
	dma_unmap_single(mmc, h, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK_EQ(dk_dev_dma_read(dk_soc_find_dev(soc, "mmc"), h, got, 4),
		 -EFAULT);
	kfree(buf);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
}
