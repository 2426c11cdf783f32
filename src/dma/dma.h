/* SPDX-License-Identifier: MIT */
/*
 * Inside src/dma: what the front end (mapping.c) calls in the backends
 * (direct.c, iommu_dma.c). Backends get checked arguments and never call
 * the checker.
 */
#ifndef DMAKIT_DMA_DMA_H
#define DMAKIT_DMA_DMA_H

#include <dmakit/dma-map-ops.h>
#include <dmakit/platform.h>

struct dk_machine;

/* 0, or -errno with a message for a device, direction or size that no
 * backend may be given. */
int dk_dma_check_args(struct device *dev, size_t size,
		      enum dma_data_direction dir, const char *fn);
/* Whether RAM at [pa, pa+size) is one range of the linear map. */
bool dk_ram_range_ok(struct dk_machine *m, phys_addr_t pa, size_t size);

/* Whether a small kmalloc buffer must bounce for a non-coherent device
 * (kmalloc's alignment below the cache line): Linux's
 * dma_kmalloc_needs_bounce(), for direct and iommu-dma alike. */
bool dk_kmalloc_needs_bounce(struct device *dev, phys_addr_t pa, size_t size,
			     enum dma_data_direction dir);

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

/*
 * coherent.c: the direct backend's allocator, with dma_map_ops' meaning.
 * dk_map_user maps @npages at @phys for user space as dma_mmap_pages()
 * does (the caller tells the checker).
 */
void *dk_direct_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs);
void dk_direct_free(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs);
struct page *dk_direct_alloc_pages(struct device *dev, size_t size,
				   dma_addr_t *dma_handle,
				   enum dma_data_direction dir, gfp_t gfp);
void dk_direct_free_pages(struct device *dev, size_t size, struct page *page,
			  dma_addr_t dma_handle, enum dma_data_direction dir);
int dk_direct_mmap(struct device *dev, struct vm_area_struct *vma,
		   void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs);
int dk_direct_get_sgtable(struct device *dev, struct sg_table *sgt,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size,
			  unsigned long attrs);
int dk_map_user(struct device *dev, struct vm_area_struct *vma,
		phys_addr_t phys, size_t npages, enum dk_alias_type type);
/* 0, or what is wrong with @vma as a window into @npages pages. */
int dk_user_window_check(struct device *dev, const struct vm_area_struct *vma,
			 size_t npages);

/* Map [pa, pa + size) of program memory the platform maps on demand
 * (dk_user_to_phys()); DMA_MAPPING_ERROR + message off iommu-dma. */
dma_addr_t dk_map_on_demand(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
/* Whether [pa, pa + size) is program memory with struct pages (sg_set_buf()
 * of a malloc buffer): 1 if the device can map it, 0 if it is not
 * program memory, -EINVAL with a message off iommu-dma. */
int dk_program_memory(struct device *dev, phys_addr_t pa, size_t size);

/* iommu-dma's table, installed at boot on devices behind an IOMMU. */
extern const struct dma_map_ops dk_iommu_dma_ops;

#endif
