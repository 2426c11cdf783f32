// SPDX-License-Identifier: MIT
/*
 * What a driver may ask about a device's DMA before it maps anything:
 * whether syncs are needed, what the IOMMU can merge, how many address
 * bits all of RAM needs, whether user mappings work. Each answer is the
 * one the backend the device uses (direct, swiotlb, iommu-dma) makes true.
 */
#include <errno.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>

#include "direct.h"

bool dma_need_sync(struct device *dev, dma_addr_t dma_addr)
{
	if (!dk_dev_live(dev)) {
		/* Syncing when not needed is harmless; the reverse is not. */
		dk_err(-EINVAL, "dma_need_sync: NULL device");
		return true;
	}
	if (!dev->dma_coherent)
		return true;
	/* The direct path bounces per mapping; a backend's bounce slots
	 * are RAM like any other, found through its own translation. */
	return dk_is_swiotlb_buffer(dev->machine, dma_to_phys(dev, dma_addr));
}

unsigned long dma_get_merge_boundary(struct device *dev)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);

	/* Only an IOMMU merges; the direct path maps entry by entry. */
	return ops && ops->get_merge_boundary ? ops->get_merge_boundary(dev) :
						0;
}

u64 dma_get_required_mask(struct device *dev)
{
	u64 lo, hi;

	if (!dk_dev_live(dev)) {
		dk_err(-EINVAL, "dma_get_required_mask: NULL device");
		return DMA_BIT_MASK(32);
	}
	if (dev->dma_ops && dev->dma_ops->get_required_mask)
		return dev->dma_ops->get_required_mask(dev);
	dk_dma_ram_bounds(dev, &lo, &hi);
	if (lo > hi)
		hi = dev->machine->ram_highest;
	if (!hi)
		return 0;
	/* All ones up to the highest set bit; wraps to ~0 for bit 63. */
	return (1ULL << (63 - __builtin_clzll(hi))) * 2 - 1;
}

bool dma_can_mmap(struct device *dev)
{
	return dk_dev_live(dev) && dev->machine->pl.ops->map_alias;
}

unsigned int dma_get_min_align_mask(struct device *dev)
{
	return dk_dev_live(dev) && dev->dma_parms ?
		       dev->dma_parms->min_align_mask : 0;
}

int dma_coerce_mask_and_coherent(struct device *dev, u64 mask)
{
	if (!dk_dev_live(dev))
		return dk_err(-EINVAL, "dma_coerce_mask_and_coherent: NULL device");
	/* A device whose bus set up no streaming mask shares the coherent
	 * one from now on, as Linux's legacy helper does. */
	dev->dma_mask = &dev->coherent_dma_mask;
	return dma_set_mask_and_coherent(dev, mask);
}

unsigned long dma_get_seg_boundary_nr_pages(struct device *dev,
					    unsigned int page_shift)
{
	unsigned long boundary = dk_dev_live(dev) ? dma_get_seg_boundary(dev) :
						    0xffffffffUL;

	if (page_shift >= 8 * sizeof(long))
		return 1;
	return (boundary >> page_shift) + 1;
}
