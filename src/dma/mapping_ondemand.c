// SPDX-License-Identifier: MIT
/*
 * Streaming maps of memory the program owns but dmakit did not allocate
 * (a host's malloc, mmap, hugepages): it has no place in the linear map
 * (its struct pages, for scatterlists, are made on demand: mm's
 * user_memmap.c), so only iommu-dma can map it, page by page at the
 * platform's own "physical" addresses for it, pinned by the platform's
 * IOMMU map. Unmapping goes the ordinary way: the IOVA says it all.
 */
#include <errno.h>

#include <dmakit/vmalloc.h>

#include "../dma_direct/direct.h"
#include "dma.h"
#include "../iommu/iommu_dma.h"
#include "../mm/mm.h"

/* Only iommu-dma maps program memory: 0, or -EINVAL with a message. */
static int behind_iommu_dma(struct device *dev, phys_addr_t pa)
{
	if (dev->iommu_dma && dev->dma_ops == &dk_iommu_dma_ops)
		return 0;
	return dk_err(-EINVAL,
		      "%s: program memory (physical 0x%llx) is mapped on demand only behind iommu-dma (dk_machine_opts.iommu_dma)",
		      dev_name(dev), (unsigned long long)pa);
}

dma_addr_t dk_map_on_demand(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	int err;

	if (behind_iommu_dma(dev, pa))
		return DMA_MAPPING_ERROR;
	return dk_iommu_dma_map_phys(dev, pa, size, dir, attrs, &err);
}

dma_addr_t dk_map_single_on_demand(struct device *dev, void *ptr, size_t size,
				   enum dma_data_direction dir,
				   unsigned long attrs, bool *took)
{
	phys_addr_t pa;
	int err;

	*took = dev->iommu_dma && dev->dma_ops == &dk_iommu_dma_ops &&
		!is_vmalloc_addr(ptr) &&
		dk_user_to_phys(dev->machine, ptr, size, &pa);
	if (!*took)
		return DMA_MAPPING_ERROR;
	return dk_iommu_dma_map_phys(dev, pa, size, dir, attrs, &err);
}

int dk_program_memory(struct device *dev, phys_addr_t pa, size_t size)
{
	const struct dk_platform *pl = &dev->machine->pl;

	if (!pl->ops->user_to_phys || !size || pa + size - 1 < pa ||
	    !dk_user_page(dev->machine, pa, false) ||
	    !pl->ops->phys_to_virt(pl->ctx, pa + size - 1))
		return 0;
	return behind_iommu_dma(dev, pa) ? -EINVAL : 1;
}
