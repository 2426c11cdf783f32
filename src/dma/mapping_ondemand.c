// SPDX-License-Identifier: MIT
/*
 * Streaming maps of memory the program owns but dmakit did not allocate
 * (a host's malloc, mmap, hugepages): it has no struct page and no place
 * in the linear map, so only iommu-dma can map it, page by page at the
 * platform's own "physical" addresses for it, pinned by the platform's
 * IOMMU map. Unmapping goes the ordinary way: the IOVA says it all.
 */
#include <errno.h>

#include "../dma_direct/direct.h"
#include "dma.h"
#include "../iommu/iommu_dma.h"

dma_addr_t dk_map_on_demand(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	int err;

	if (!dev->iommu_dma || dev->dma_ops != &dk_iommu_dma_ops) {
		dk_err(-EINVAL,
		       "%s: program memory (physical 0x%llx) is mapped on demand only behind iommu-dma (dk_machine_opts.iommu_dma)",
		       dev_name(dev), (unsigned long long)pa);
		return DMA_MAPPING_ERROR;
	}
	return dk_iommu_dma_map_phys(dev, pa, size, dir, attrs, &err);
}
