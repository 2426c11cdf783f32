// SPDX-License-Identifier: MIT
/*
 * The direct backend: masks, address translation through dma-ranges,
 * streaming mappings with the cache maintenance of a non-coherent device,
 * and the decision to bounce through swiotlb. The front end (mapping.c)
 * checks the arguments and tells the checker; nothing here calls it.
 */
#include <errno.h>
#include <stdint.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "direct.h"

bool dk_valid_dir(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE ||
	       dir == DMA_FROM_DEVICE;
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

	if (dk_dev_live(dev) && dev->dma_ops && dev->dma_ops->dma_to_phys)
		return dev->dma_ops->dma_to_phys(dev, addr);
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
	const struct dma_map_ops *ops = get_dma_ops(dev);

	/* A backend decides; an IOMMU can put any buffer below any mask. */
	if (ops)
		return ops->dma_supported ? ops->dma_supported(dev, mask) : 1;
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
	/* A window the device maps through was below the old mask. */
	dk_dma_window_leave(dev);
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
	if (!m || get_dma_ops(dev))
		return false;
	return phys_to_dma(dev, m->ram_highest) == DMA_MAPPING_ERROR ||
	       phys_to_dma(dev, m->ram_highest) > reach(dev, false);
}

size_t dma_max_mapping_size(struct device *dev)
{
	struct dk_machine *m = dk_dev_live(dev) ? dev->machine : NULL;
	const struct dma_map_ops *ops = get_dma_ops(dev);

	if (ops)
		return ops->max_mapping_size ? ops->max_mapping_size(dev) :
					       SIZE_MAX;
	if (!m || !m->swiotlb)
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

/* ---- streaming mappings */

int dk_dma_check_args(struct device *dev, size_t size,
		      enum dma_data_direction dir, const char *fn)
{
	if (!dk_dev_ok(dev, fn))
		return -EINVAL;
	/* Linux refuses (with a WARN) a device that never got a mask. */
	if (!dev->dma_mask)
		return dk_err(-EIO, "%s: %s: device has no DMA mask", dev_name(dev),
			      fn);
	/* A value outside the enum is named by its number: "invalid
	 * direction is not a mapping direction" told the user nothing. */
	if (dir == DMA_NONE)
		return dk_err(-EINVAL, "%s: %s: DMA_NONE is not a mapping direction (DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL)",
			      dev_name(dev), fn);
	if (!dk_valid_dir(dir))
		return dk_err(-EINVAL, "%s: %s: direction %d is not a mapping direction (DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL)",
			      dev_name(dev), fn, (int)dir);
	if (!size)
		return dk_err(-EINVAL, "%s: %s: size 0", dev_name(dev), fn);
	if (dev->dead)
		return dk_err(-ENODEV, "%s: %s: device has no driver bound",
			      dev_name(dev), fn);
	return 0;
}

bool dk_ram_range_ok(struct dk_machine *m, phys_addr_t pa, size_t size)
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
 * On failure *@err says why, as Linux's direct backend does for
 * dma_map_sgtable(): -EIO for a segment that cannot be mapped (beyond
 * reach with no swiotlb, swiotlb full).
 */
dma_addr_t dk_direct_map_phys(struct device *dev, phys_addr_t pa, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      int *err)
{
	struct dk_machine *m = dev->machine;
	dma_addr_t dma = phys_to_dma(dev, pa);
	phys_addr_t tlb;

	if (m->opts.swiotlb_force || !dk_dma_capable(dev, dma, size, false) ||
	    dk_kmalloc_needs_bounce(dev, pa, size, dir)) {
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

void dk_direct_unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t pa = dma_to_phys(dev, addr);

	if (dk_is_swiotlb_buffer(dev->machine, pa)) {
		dk_swiotlb_unmap(dev, pa, size, dir, attrs);
		return;
	}
	if (!dk_ram_range_ok(dev->machine, pa, size)) {
		dev_err(dev, "unmap of 0x%llx + 0x%zx: not a mapping of RAM",
			(unsigned long long)addr, size);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_cpu(dev, pa, size, dir);
}

/* ---- syncs */

void dk_direct_sync(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir, bool for_cpu)
{
	phys_addr_t pa = dma_to_phys(dev, addr);

	if (dk_is_swiotlb_buffer(dev->machine, pa)) {
		if (for_cpu)
			dk_swiotlb_sync_cpu(dev, pa, size, dir);
		else
			dk_swiotlb_sync_device(dev, pa, size, dir);
		return;
	}
	if (!dk_ram_range_ok(dev->machine, pa, size)) {
		dev_err(dev, "sync of 0x%llx + 0x%zx: not a mapping of RAM",
			(unsigned long long)addr, size);
		return;
	}
	dk_sync_phys(dev, pa, size, dir, for_cpu);
}

void dk_sync_phys(struct device *dev, phys_addr_t pa, size_t size,
		  enum dma_data_direction dir, bool for_cpu)
{
	if (dev->dma_coherent)
		return;
	if (for_cpu)
		dk_sync_for_cpu(dev, pa, size, dir);
	else
		dk_sync_for_device(dev, pa, size, dir);
}


/* ---- scatter-gather */

int dk_map_sg_entries(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs,
		      dk_map_phys_fn map, dk_unmap_fn unmap)
{
	struct scatterlist *sg, *s;
	int i, j, err;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = map(dev, sg_phys(sg), sg->length, dir, attrs,
				      &err);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			/* The device never saw these: no cache work or
			 * copies (Linux skips the CPU sync there too). */
			for_each_sg(sgl, s, i, j)
				unmap(dev, s->dma_address, s->dma_length, dir,
				      attrs | DMA_ATTR_SKIP_CPU_SYNC);
			return dk_err(err, "dma_map_sg: entry %d: %s", i,
				      dk_last_error());
		}
		sg->dma_length = sg->length;
	}
	return nents;
}

void dk_unmap_sg_entries(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir,
			 unsigned long attrs, dk_unmap_fn unmap)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		if (sg->dma_length)
			unmap(dev, sg->dma_address, sg->dma_length, dir, attrs);
}

/* MMIO of another device: translated, never bounced or maintained. */
dma_addr_t dk_direct_map_resource(struct device *dev, phys_addr_t phys_addr,
				  size_t size)
{
	dma_addr_t dma = phys_to_dma(dev, phys_addr);

	if (!dk_dma_capable(dev, dma, size, false)) {
		dk_err(-EIO, "%s: dma_map_resource(0x%llx + 0x%zx): beyond the device's reach",
		       dev_name(dev), (unsigned long long)phys_addr, size);
		return DMA_MAPPING_ERROR;
	}
	return dma;
}
