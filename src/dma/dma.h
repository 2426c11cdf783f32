/* SPDX-License-Identifier: MIT */
/* Inside src/dma, the front end: its helpers shared between files. */
#ifndef DMAKIT_DMA_DMA_H
#define DMAKIT_DMA_DMA_H

#include <dmakit/dma-map-ops.h>

/* Map [pa, pa + size) of program memory the platform maps on demand
 * (dk_user_to_phys()); DMA_MAPPING_ERROR + message off iommu-dma. */
dma_addr_t dk_map_on_demand(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
/* The dma_map_ops fast path's program memory (checker and tracer off,
 * arguments checked): @ptr's bytes mapped on demand if they are program
 * memory behind iommu-dma and no vmalloc area, *@took true then; else
 * *@took false and the full path says what is wrong. */
dma_addr_t dk_map_single_on_demand(struct device *dev, void *ptr, size_t size,
				   enum dma_data_direction dir,
				   unsigned long attrs, bool *took);
/* Whether [pa, pa + size) is program memory with struct pages (sg_set_buf()
 * of a malloc buffer): 1 if the device can map it, 0 if it is not
 * program memory, -EINVAL with a message off iommu-dma. */
int dk_program_memory(struct device *dev, phys_addr_t pa, size_t size);

#endif
