/* SPDX-License-Identifier: MIT */
/*
 * Inside src/dma: what the front end (mapping.c) calls in the backends
 * (direct.c, iommu_dma.c). Backends get checked arguments and never call
 * the checker.
 */
#ifndef DMAKIT_DMA_DMA_H
#define DMAKIT_DMA_DMA_H

#include <dmakit/dma-map-ops.h>

struct dk_machine;

/* 0, or -errno with a message for a device, direction or size that no
 * backend may be given. */
int dk_dma_check_args(struct device *dev, size_t size,
		      enum dma_data_direction dir, const char *fn);
/* Whether RAM at [pa, pa+size) is one range of the linear map. */
bool dk_ram_range_ok(struct dk_machine *m, phys_addr_t pa, size_t size);

/* The direct backend (no ops table). */
dma_addr_t dk_direct_map_phys(struct device *dev, phys_addr_t pa, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      int *err);
void dk_direct_unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
void dk_direct_sync(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir, bool for_cpu);

/*
 * Scatterlists entry by entry with a backend's own map and unmap: the
 * number mapped, or the negative errno of the first failure (its message
 * naming the entry), after unmapping what was mapped.
 */
typedef dma_addr_t (*dk_map_phys_fn)(struct device *dev, phys_addr_t pa,
				     size_t size, enum dma_data_direction dir,
				     unsigned long attrs, int *err);
typedef void (*dk_unmap_fn)(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
int dk_map_sg_entries(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir, unsigned long attrs,
		      dk_map_phys_fn map, dk_unmap_fn unmap);
void dk_unmap_sg_entries(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir,
			 unsigned long attrs, dk_unmap_fn unmap);
/* The cache work of a sync of RAM at @pa: none for a coherent device. */
void dk_sync_phys(struct device *dev, phys_addr_t pa, size_t size,
		  enum dma_data_direction dir, bool for_cpu);
dma_addr_t dk_direct_map_resource(struct device *dev, phys_addr_t phys_addr,
				  size_t size);

/* iommu-dma's table, installed at boot on devices behind an IOMMU. */
extern const struct dma_map_ops dk_iommu_dma_ops;

#endif
