// SPDX-License-Identifier: MIT
/*
 * The DMA mapping front end and direct backend: masks, address
 * translation through dma-ranges, streaming mappings with the cache
 * maintenance of a non-coherent device, and the decision to bounce
 * through swiotlb.
 */
#include <errno.h>
#include <stdint.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "../debug/debug.h"
#include "../kernel/kernel.h"
#include "../trace/trace.h"

bool dk_valid_dir(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE ||
	       dir == DMA_FROM_DEVICE;
}

static const char *dir_name(enum dma_data_direction dir)
{
	static const char *const n[] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE",
					 "DMA_FROM_DEVICE", "DMA_NONE" };

	return (unsigned int)dir < 4 ? n[dir] : "invalid direction";
}

dma_addr_t phys_to_dma(struct device *dev, phys_addr_t pa)
{
	int i;

	if (!dev || !dev->n_dma_ranges)
		return pa;
	for (i = 0; i < dev->n_dma_ranges; i++) {
		const struct dk_dma_range *r = &dev->dma_range_map[i];

		if (pa >= r->cpu && pa - r->cpu < r->size)
			return pa - r->cpu + r->bus;
	}
	return DMA_MAPPING_ERROR;
}

phys_addr_t dma_to_phys(struct device *dev, dma_addr_t addr)
{
	int i;

	if (dev && dev->iova) {
		phys_addr_t pa = dk_iommu_dma_phys(dev, addr);

		return pa || addr % PAGE_SIZE ? pa : ~(phys_addr_t)0;
	}
	if (!dev || !dev->n_dma_ranges)
		return addr;
	for (i = 0; i < dev->n_dma_ranges; i++) {
		const struct dk_dma_range *r = &dev->dma_range_map[i];

		if (addr >= r->bus && addr - r->bus < r->size)
			return addr - r->bus + r->cpu;
	}
	return ~(phys_addr_t)0;
}

static u64 reach(struct device *dev, bool coherent)
{
	u64 mask = coherent ? dev->coherent_dma_mask : *dev->dma_mask;

	return dev->bus_dma_limit ? dk_min64(mask, dev->bus_dma_limit) : mask;
}

bool dk_dma_capable(struct device *dev, dma_addr_t addr, size_t size,
		    bool coherent)
{
	u64 end = addr + size - 1;

	return addr != DMA_MAPPING_ERROR && end >= addr &&
	       end <= reach(dev, coherent);
}

/* ---- masks */

/*
 * Lowest and highest bus address at which the device can reach RAM, over
 * every bank and dma-ranges window. *@lo > *@hi if it reaches none.
 */
void dk_dma_ram_bounds(struct device *dev, u64 *lo_out, u64 *hi_out)
{
	struct dk_machine *m = dev->machine;
	u64 lo_best = ~0ULL, hi_best = 0;
	int i, j;

	if (!dev->n_dma_ranges) {
		*lo_out = m->ram_lowest;
		*hi_out = m->ram_highest;
		return;
	}
	for (i = 0; i < dev->n_dma_ranges; i++) {
		const struct dk_dma_range *w = &dev->dma_range_map[i];

		for (j = 0; j < m->nram; j++) {
			u64 lo = w->cpu > m->ram[j].base ? w->cpu : m->ram[j].base;
			u64 hi = dk_min64(w->cpu + w->size - 1,
					  m->ram[j].base + m->ram[j].size - 1);

			if (lo > hi)
				continue;
			if (lo - w->cpu + w->bus < lo_best)
				lo_best = lo - w->cpu + w->bus;
			if (hi - w->cpu + w->bus > hi_best)
				hi_best = hi - w->cpu + w->bus;
		}
	}
	*lo_out = lo_best;
	*hi_out = hi_best;
}

/* Lowest bus address at which the device can reach any RAM. */
static u64 lowest_dma(struct device *dev)
{
	u64 lo, hi;

	dk_dma_ram_bounds(dev, &lo, &hi);
	return lo;
}

int dma_supported(struct device *dev, u64 mask)
{
	return dk_dev_live(dev) && lowest_dma(dev) <= mask;
}

static int set_mask(struct device *dev, u64 mask, bool coherent)
{
	if (!dk_dev_ok(dev, "dma_set_mask"))
		return -EINVAL;
	if (!dev->dma_mask)
		return dk_err(-EINVAL, "dma_set_mask: %s: no DMA mask", dev_name(dev));
	if (!dma_supported(dev, mask))
		return dk_err(-EIO,
			      "%s: DMA mask 0x%llx reaches no RAM (lowest RAM the device can address is 0x%llx)",
			      dev_name(dev), (unsigned long long)mask,
			      (unsigned long long)lowest_dma(dev));
	if (coherent)
		dev->coherent_dma_mask = mask;
	else
		*dev->dma_mask = mask;
	return 0;
}

int dma_set_mask(struct device *dev, u64 mask)
{
	return set_mask(dev, mask, false);
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	return set_mask(dev, mask, true);
}

int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int r = dma_set_mask(dev, mask);

	return r ? r : dma_set_coherent_mask(dev, mask);
}

u64 dma_get_mask(struct device *dev)
{
	return dk_dev_live(dev) && dev->dma_mask ? *dev->dma_mask :
						   DMA_BIT_MASK(32);
}

bool dma_addressing_limited(struct device *dev)
{
	struct dk_machine *m = dk_dev_live(dev) ? dev->machine : NULL;

	/* Behind an IOMMU every page is reachable through some IOVA. */
	if (!m || dev->iova)
		return false;
	return phys_to_dma(dev, m->ram_highest) == DMA_MAPPING_ERROR ||
	       phys_to_dma(dev, m->ram_highest) > reach(dev, false);
}

size_t dma_max_mapping_size(struct device *dev)
{
	struct dk_machine *m = dk_dev_live(dev) ? dev->machine : NULL;

	if (!m || !m->swiotlb || dev->iova)
		return SIZE_MAX;
	if (m->opts.swiotlb_force || dma_addressing_limited(dev) ||
	    (m->kmalloc_align < m->line && !dev->dma_coherent))
		return dk_swiotlb_max_mapping(dev);
	return SIZE_MAX;
}

size_t dma_opt_mapping_size(struct device *dev)
{
	return dma_max_mapping_size(dev);
}

int dma_get_cache_alignment(void)
{
	struct dk_machine *m = dk_machine_current();

	return m ? (int)m->minalign : 128;
}

unsigned int dma_get_max_seg_size(struct device *dev)
{
	return dk_dev_live(dev) && dev->dma_parms ?
		       dev->dma_parms->max_segment_size : 65536;
}

int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (!dk_dev_live(dev) || !dev->dma_parms)
		return dk_err(-EIO, "dma_set_max_seg_size: no DMA parameters");
	dev->dma_parms->max_segment_size = size;
	return 0;
}

unsigned long dma_get_seg_boundary(struct device *dev)
{
	/* Linux's default: no boundary (only PCI sets 32 bits). */
	if (!dk_dev_live(dev) || !dev->dma_parms ||
	    !dev->dma_parms->segment_boundary_mask)
		return ~0UL;
	return dev->dma_parms->segment_boundary_mask;
}

int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (!dk_dev_live(dev) || !dev->dma_parms)
		return dk_err(-EIO, "dma_set_seg_boundary: no DMA parameters");
	dev->dma_parms->segment_boundary_mask = mask;
	return 0;
}

void dma_set_min_align_mask(struct device *dev, unsigned int min_align_mask)
{
	if (dk_dev_live(dev) && dev->dma_parms)
		dev->dma_parms->min_align_mask = min_align_mask;
	else
		dk_err_log(-EIO, "BUG: dma_set_min_align_mask(%s): no DMA parameters",
			   dev_name(dev));
}

bool dev_is_dma_coherent(struct device *dev)
{
	return dk_dev_live(dev) && dev->dma_coherent;
}

/* ---- the CPU side of ownership, as arm64 does it */

void dk_sync_for_device(struct device *dev, phys_addr_t pa, size_t size,
			enum dma_data_direction dir)
{
	struct dk_machine *m = dev->machine;

	(void)dir;	/* clean for every direction: see dma-mapping.h */
	m->pl.ops->cache_clean(m->pl.ctx, pa, size);
}

void dk_sync_for_cpu(struct device *dev, phys_addr_t pa, size_t size,
		     enum dma_data_direction dir)
{
	struct dk_machine *m = dev->machine;

	if (dir != DMA_TO_DEVICE)
		m->pl.ops->cache_inval(m->pl.ctx, pa, size);
}

/* ---- streaming mappings */

static int check(struct device *dev, size_t size, enum dma_data_direction dir,
		 const char *fn)
{
	if (!dk_dev_ok(dev, fn))
		return -EINVAL;
	/* Linux refuses (with a WARN) a device that never got a mask. */
	if (!dev->dma_mask)
		return dk_err(-EIO, "%s: %s: device has no DMA mask", dev_name(dev),
			      fn);
	if (!dk_valid_dir(dir))
		return dk_err(-EINVAL, "%s: %s: %s is not a mapping direction",
			      dev_name(dev), fn, dir_name(dir));
	if (!size)
		return dk_err(-EINVAL, "%s: %s: size 0", dev_name(dev), fn);
	if (dev->dead)
		return dk_err(-ENODEV, "%s: %s: device has no driver bound",
			      dev_name(dev), fn);
	return 0;
}

/* Whether RAM at [pa, pa+size) is one range of the linear map. */
static bool ram_range_ok(struct dk_machine *m, phys_addr_t pa, size_t size)
{
	int i;

	if (pa + size - 1 < pa)
		return false;
	for (i = 0; i < m->nram; i++)
		if (pa >= m->ram[i].base &&
		    pa + size - 1 <= m->ram[i].base + m->ram[i].size - 1)
			return true;
	return false;
}

/*
 * Linux's dma_kmalloc_needs_bounce(): with a kmalloc alignment below the
 * cache line, a small buffer may share lines with other objects, so a
 * non-coherent device writing to it goes through swiotlb.
 */
static bool kmalloc_needs_bounce(struct device *dev, phys_addr_t pa,
				 size_t size, enum dma_data_direction dir)
{
	struct dk_machine *m = dev->machine;

	/* Without swiotlb there is nothing to bounce through: Linux never
	 * lowers kmalloc's alignment then, and a machine that does shows
	 * what that costs. */
	if (!m->swiotlb || m->kmalloc_align >= m->minalign ||
	    dev->dma_coherent || dir == DMA_TO_DEVICE)
		return false;
	return size < 2 * m->minalign || (size | pa) % m->minalign;
}

/*
 * On failure *@err says why, as Linux's backends do for dma_map_sgtable():
 * behind an IOMMU -ENOMEM when IOVA space ran out and -EINVAL for anything
 * else; on the direct path -EIO for a segment that cannot be mapped
 * (beyond reach with no swiotlb, swiotlb full).
 */
static dma_addr_t map_phys_notrace(struct device *dev, phys_addr_t pa,
				    size_t size, enum dma_data_direction dir,
				    unsigned long attrs, int *err)
{
	struct dk_machine *m = dev->machine;
	dma_addr_t dma = phys_to_dma(dev, pa);
	phys_addr_t tlb;

	if (dev->iova) {
		/* The IOMMU reaches all RAM: never a bounce. */
		dma = dk_iommu_dma_map_err(dev, pa, size, dir, false, err);
		if (dma == DMA_MAPPING_ERROR && *err != -ENOMEM)
			*err = -EINVAL;
		if (dma != DMA_MAPPING_ERROR && !dev->dma_coherent &&
		    !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
			dk_sync_for_device(dev, pa, size, dir);
		return dma;
	}

	if (m->opts.swiotlb_force || !dk_dma_capable(dev, dma, size, false) ||
	    kmalloc_needs_bounce(dev, pa, size, dir)) {
		if (!m->swiotlb) {
			dk_err(-EIO,
			       "%s: DMA address 0x%llx + 0x%zx is beyond the device's reach (mask 0x%llx, bus limit 0x%llx) and there is no swiotlb",
			       dev_name(dev), (unsigned long long)dma, size,
			       (unsigned long long)*dev->dma_mask,
			       (unsigned long long)dev->bus_dma_limit);
			*err = -EIO;
			return DMA_MAPPING_ERROR;
		}
		tlb = dk_swiotlb_map(dev, pa, size, dir, attrs);
		if (tlb == ~(phys_addr_t)0) {
			*err = -EIO;
			return DMA_MAPPING_ERROR;
		}
		return phys_to_dma(dev, tlb);
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_device(dev, pa, size, dir);
	return dma;
}

/* The tracer looks before the cache work and records after it. */
static dma_addr_t map_phys(struct device *dev, phys_addr_t pa, size_t size,
			   enum dma_data_direction dir, unsigned long attrs,
			   int *err)
{
	dma_addr_t dma;

	if (dk_tracing())
		dk_trace_look(dev->machine, pa, size);
	dma = map_phys_notrace(dev, pa, size, dir, attrs, err);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_MAP, pa,
			     dma == DMA_MAPPING_ERROR ? pa :
							dma_to_phys(dev, dma),
			     dma, size, dir);
	return dma;
}

static void unmap_phys_notrace(struct device *dev, dma_addr_t addr,
			       size_t size, enum dma_data_direction dir,
			       unsigned long attrs)
{
	phys_addr_t pa = dma_to_phys(dev, addr);

	if (dev->iova) {
		if (pa == ~(phys_addr_t)0) {
			dev_err(dev, "unmap of IOVA 0x%llx + 0x%zx: not mapped",
				(unsigned long long)addr, size);
			return;
		}
		if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
			dk_sync_for_cpu(dev, pa, size, dir);
		dk_iommu_dma_unmap(dev, addr, size);
		return;
	}

	if (dk_is_swiotlb_buffer(dev->machine, pa)) {
		dk_swiotlb_unmap(dev, pa, size, dir, attrs);
		return;
	}
	if (!ram_range_ok(dev->machine, pa, size)) {
		dev_err(dev, "unmap of 0x%llx + 0x%zx: not a mapping of RAM",
			(unsigned long long)addr, size);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_cpu(dev, pa, size, dir);
}

static void unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, unsigned long attrs)
{
	unmap_phys_notrace(dev, addr, size, dir, attrs);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_UNMAP, dma_to_phys(dev, addr), ~0ULL,
			     addr, size, dir);
}

/*
 * How far an offset may reach from @page: its block when it heads a live
 * alloc_pages() block, else the page itself. Linux adds any offset; a
 * simulator knows the block, so an offset past it is a bug it can name.
 */
static unsigned long page_span(struct dk_machine *m, struct page *page)
{
	if (!dk_phys_to_page(m, dk_page_to_phys(m, page)) ||
	    dk_phys_to_page(m, dk_page_to_phys(m, page)) != page)
		return PAGE_SIZE;
	return page->refcount ? PAGE_SIZE << page->order : PAGE_SIZE;
}

/* Bad arguments fail with *@err = -EINVAL; the rest as map_phys(). */
static dma_addr_t map_page(struct device *dev, struct page *page,
			   size_t offset, size_t size,
			   enum dma_data_direction dir, unsigned long attrs,
			   phys_addr_t *pa_out, int *err)
{
	phys_addr_t pa;

	*err = -EINVAL;
	if (check(dev, size, dir, "dma_map_page"))
		return DMA_MAPPING_ERROR;
	if (offset >= page_span(dev->machine, page)) {
		dk_err(-EINVAL, "%s: dma_map_page: offset 0x%zx is beyond the page (%p, %lu bytes)",
		       dev_name(dev), offset, (void *)page,
		       page_span(dev->machine, page));
		return DMA_MAPPING_ERROR;
	}
	pa = dk_page_to_phys(dev->machine, page);
	if (!dk_phys_to_page(dev->machine, pa) || dk_phys_to_page(dev->machine, pa) != page ||
	    !ram_range_ok(dev->machine, pa + offset, size)) {
		dk_err(-EINVAL, "%s: dma_map_page: page %p + 0x%zx, 0x%zx bytes is not RAM",
		       dev_name(dev), (void *)page, offset, size);
		return DMA_MAPPING_ERROR;
	}
	*pa_out = pa + offset;
	return map_phys(dev, pa + offset, size, dir, attrs, err);
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t pa = 0;
	int err;
	dma_addr_t dma = map_page(dev, page, offset, size, dir, attrs, &pa,
				  &err);

	dk_dbg_map(dev, DK_MAP_PAGE, NULL, pa, dma, size, dir, attrs, 0, 0);
	return dma;
}

static void unmap(struct device *dev, enum dk_map_type type, dma_addr_t addr,
		  size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	if (!dk_dev_ok(dev, type == DK_MAP_PAGE ? "dma_unmap_page" :
						   "dma_unmap_single")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	if (dk_tracing())
		dk_trace_look(dev->machine, 0, 0);
	/* Before the cache work: the checker looks at the lines first. */
	dk_dbg_unmap(dev, type, addr, size, dir, -1, NULL);
	if (!dk_valid_dir(dir) || !size)
		return;
	unmap_phys(dev, addr, size, dir, attrs);
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	unmap(dev, DK_MAP_PAGE, addr, size, dir, attrs);
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	phys_addr_t pa;
	dma_addr_t dma;
	int err;

	if (check(dev, size, dir, "dma_map_single"))
		return DMA_MAPPING_ERROR;
	if (!dk_linear_to_phys(dev->machine, ptr, &pa))
		dk_dbg_check_area(dev, ptr, size);
	if (is_vmalloc_addr(ptr)) {
		dk_err(-EINVAL, "%s: rejecting DMA map of vmalloc memory %p",
		       dev_name(dev), ptr);
		dk_warn("%s", dk_last_error());
		return DMA_MAPPING_ERROR;
	}
	if (!dk_linear_to_phys(dev->machine, ptr, &pa) ||
	    !ram_range_ok(dev->machine, pa, size)) {
		dk_err(-EINVAL,
		       "%s: dma_map_single(%p, %zu): not linear-map RAM (stack, rodata, malloc or an uncached alias?)",
		       dev_name(dev), ptr, size);
		return DMA_MAPPING_ERROR;
	}
	dk_dbg_check_object(dev, ptr, size);
	dma = map_phys(dev, pa, size, dir, attrs, &err);
	dk_dbg_map(dev, DK_MAP_SINGLE, ptr, pa, dma, size, dir, attrs, 0, 0);
	return dma;
}

void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	unmap(dev, DK_MAP_SINGLE, addr, size, dir, attrs);
}

dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	return dma_map_single_attrs(dev, ptr, size, dir, 0);
}

void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir)
{
	dma_unmap_single_attrs(dev, addr, size, dir, 0);
}

dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset,
			size_t size, enum dma_data_direction dir)
{
	return dma_map_page_attrs(dev, page, offset, size, dir, 0);
}

void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir)
{
	dma_unmap_page_attrs(dev, addr, size, dir, 0);
}

dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr,
			    size_t size, enum dma_data_direction dir,
			    unsigned long attrs)
{
	dma_addr_t dma;

	(void)attrs;
	if (check(dev, size, dir, "dma_map_resource"))
		return DMA_MAPPING_ERROR;
	if (ram_range_ok(dev->machine, phys_addr, 1)) {
		dk_err(-EINVAL, "%s: dma_map_resource(0x%llx): that is RAM, not MMIO",
		       dev_name(dev), (unsigned long long)phys_addr);
		return DMA_MAPPING_ERROR;
	}
	dma = dev->iova ? dk_iommu_dma_map(dev, phys_addr, size, dir, false) :
			  phys_to_dma(dev, phys_addr);
	if (!dev->iova && !dk_dma_capable(dev, dma, size, false)) {
		dk_err(-EIO, "%s: dma_map_resource(0x%llx + 0x%zx): beyond the device's reach",
		       dev_name(dev), (unsigned long long)phys_addr, size);
		return DMA_MAPPING_ERROR;
	}
	dk_dbg_map(dev, DK_MAP_RESOURCE, NULL, phys_addr, dma, size, dir, attrs,
		   0, 0);
	return dma;
}

void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	(void)attrs;	/* no cache work was done at map time */
	if (!dk_dev_live(dev))
		return;
	dk_dbg_unmap(dev, DK_MAP_RESOURCE, addr, size, dir, -1, NULL);
	if (dev->iova)
		dk_iommu_dma_unmap(dev, addr, size);
}

int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	dk_dbg_mapping_error(dev, dma_addr);
	return dma_addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* ---- syncs */

static void sync_nodebug(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, bool for_cpu)
{
	phys_addr_t pa;

	if (check(dev, size, dir, for_cpu ? "dma_sync_for_cpu" :
					    "dma_sync_for_device")) {
		if (dev)
			dk_warn("%s", dk_last_error());
		return;
	}
	pa = dma_to_phys(dev, addr);
	if (dk_is_swiotlb_buffer(dev->machine, pa)) {
		if (for_cpu)
			dk_swiotlb_sync_cpu(dev, pa, size, dir);
		else
			dk_swiotlb_sync_device(dev, pa, size, dir);
		return;
	}
	if (!ram_range_ok(dev->machine, pa, size)) {
		dev_err(dev, "sync of 0x%llx + 0x%zx: not a mapping of RAM",
			(unsigned long long)addr, size);
		return;
	}
	if (dev->dma_coherent)
		return;
	if (for_cpu)
		dk_sync_for_cpu(dev, pa, size, dir);
	else
		dk_sync_for_device(dev, pa, size, dir);
}

/*
 * The checker sees a transfer to the CPU before the data moves (it looks
 * at the dirty lines the invalidate would drop) and a transfer to the
 * device after (the buffer is the device's from then on).
 */
static void sync_sg_ents(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, bool for_cpu, int sg_ents)
{
	bool trace = dk_tracing() && dk_dev_live(dev);

	if (trace)
		dk_trace_look(dev->machine, 0, 0);
	if (for_cpu)
		dk_dbg_sync(dev, addr, size, dir, true, sg_ents);
	sync_nodebug(dev, addr, size, dir, for_cpu);
	if (trace)
		dk_trace_api(dev, for_cpu ? DK_TR_SYNC_CPU : DK_TR_SYNC_DEVICE,
			     dma_to_phys(dev, addr), ~0ULL, addr, size, dir);
	if (!for_cpu)
		dk_dbg_sync(dev, addr, size, dir, false, sg_ents);
}

static void sync(struct device *dev, dma_addr_t addr, size_t size,
		 enum dma_data_direction dir, bool for_cpu)
{
	sync_sg_ents(dev, addr, size, dir, for_cpu, -1);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	sync(dev, addr, size, dir, true);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir)
{
	sync(dev, addr, size, dir, false);
}

void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir)
{
	sync(dev, addr + offset, size, dir, true);
}

void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
				      unsigned long offset, size_t size,
				      enum dma_data_direction dir)
{
	sync(dev, addr + offset, size, dir, false);
}

/* ---- scatter-gather */

/*
 * A list shorter than the count would walk off its end: refuse it before
 * touching an entry (Linux trusts the caller; a simulator need not).
 */
static int sg_check(struct scatterlist *sgl, int nents, const char *fn)
{
	int n;

	if (!sgl || nents <= 0)
		return dk_err(-EINVAL, "%s: empty list", fn);
	n = sg_nents(sgl);
	if (nents > n)
		return dk_err(-EINVAL, "%s: %d entries asked, the list has %d",
			      fn, nents, n);
	return 0;
}

/*
 * Map every entry; the number mapped or the negative errno of the first
 * failure, decided where its cause is known (see map_page()).
 */
static int map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	if (sg_check(sgl, nents, "dma_map_sg"))
		return -EINVAL;
	for_each_sg(sgl, sg, nents, i) {
		phys_addr_t pa;
		int err;

		sg->dma_address = map_page(dev, sg_page(sg), sg->offset,
					   sg->length, dir, attrs, &pa, &err);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			struct scatterlist *s;
			int j;

			/* The checker knows these entries by the caller's
			 * count; the device never saw them, so no cache work
			 * or copy back (Linux skips the CPU sync here too). */
			for_each_sg(sgl, s, i, j) {
				dk_dbg_unmap(dev, DK_MAP_SG, s->dma_address,
					     s->dma_length, dir, nents, NULL);
				unmap_phys(dev, s->dma_address, s->dma_length,
					   dir, attrs | DMA_ATTR_SKIP_CPU_SYNC);
			}
			return dk_err(err, "dma_map_sg: entry %d: %s", i,
				      dk_last_error());
		}
		sg->dma_length = sg->length;
		dk_dbg_sg_segment(dev, sg->dma_address, sg->dma_length);
		dk_dbg_map(dev, DK_MAP_SG, sg_virt(sg), pa, sg->dma_address,
			   sg->dma_length, dir, attrs, nents, nents);
	}
	return nents;
}

int dma_map_sg_attrs(struct device *dev, struct scatterlist *sgl, int nents,
		     enum dma_data_direction dir, unsigned long attrs)
{
	int n = map_sg(dev, sgl, nents, dir, attrs);

	return n < 0 ? 0 : n;
}

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	if (sg_check(sgl, nents, "dma_unmap_sg")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	for_each_sg(sgl, sg, nents, i) {
		if (dk_tracing() && dk_dev_live(dev))
			dk_trace_look(dev->machine, 0, 0);
		if (dk_dev_live(dev))
			dk_dbg_unmap(dev, DK_MAP_SG, sg->dma_address,
				     sg->dma_length, dir, nents, NULL);
		if (dk_dev_live(dev) && dk_valid_dir(dir) && sg->dma_length)
			unmap_phys(dev, sg->dma_address, sg->dma_length, dir,
				   attrs);
	}
}

int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir)
{
	return dma_map_sg_attrs(dev, sg, nents, dir, 0);
}

void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		  enum dma_data_direction dir)
{
	dma_unmap_sg_attrs(dev, sg, nents, dir, 0);
}

int dma_map_sgtable(struct device *dev, struct sg_table *sgt,
		    enum dma_data_direction dir, unsigned long attrs)
{
	int n;

	if (!sgt)
		return dk_err(-EINVAL, "dma_map_sgtable: NULL table");
	n = map_sg(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
	if (n < 0)
		return n;
	sgt->nents = n;
	return 0;
}

void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt,
		       enum dma_data_direction dir, unsigned long attrs)
{
	if (sgt)
		dma_unmap_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
}

void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
			 int nelems, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	if (sg_check(sgl, nelems, "dma_sync_sg_for_cpu")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	for_each_sg(sgl, sg, nelems, i)
		sync_sg_ents(dev, sg->dma_address, sg->dma_length, dir, true,
			     nelems);
}

void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
			    int nelems, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	if (sg_check(sgl, nelems, "dma_sync_sg_for_device")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	for_each_sg(sgl, sg, nelems, i)
		sync_sg_ents(dev, sg->dma_address, sg->dma_length, dir, false,
			     nelems);
}

void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	if (!sgt) {
		dk_err_log(-EINVAL, "BUG: dma_sync_sgtable_for_cpu: NULL table");
		return;
	}
	dma_sync_sg_for_cpu(dev, sgt->sgl, sgt->orig_nents, dir);
}

void dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt,
				 enum dma_data_direction dir)
{
	if (!sgt) {
		dk_err_log(-EINVAL, "BUG: dma_sync_sgtable_for_device: NULL table");
		return;
	}
	dma_sync_sg_for_device(dev, sgt->sgl, sgt->orig_nents, dir);
}
