/* SPDX-License-Identifier: MIT */
/*
 * DMA mapping backends, as Linux has them: each device maps through the
 * ops table get_dma_ops() returns, or, without one, through the direct
 * backend (dma-ranges translation, swiotlb bouncing, the cache maintenance
 * of a non-coherent device). A device behind an IOMMU gets iommu-dma's
 * table at boot unless the machine boots with iommu_passthrough. Drivers and tests may
 * install their own table with set_dma_ops(), as the kernel's own dmapool
 * test does.
 *
 * The front end (dma_map_single() and friends) checks the arguments, calls
 * the backend and then tells the checker what the backend did; a backend
 * never calls the checker, so the checker's view is the same whichever
 * backend maps.
 */
#ifndef DMAKIT_DMA_MAP_OPS_H
#define DMAKIT_DMA_MAP_OPS_H

#include <dmakit/dma-mapping.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A backend's operations. Every member may be NULL; the front end then
 * does what Linux does without it: map/unmap/sync members missing make
 * the corresponding call fail (DMA_MAPPING_ERROR, or a logged error for
 * calls that return nothing), a missing sync is a no-op, a missing
 * dma_supported accepts any mask, a missing max_mapping_size is SIZE_MAX.
 * Arguments reach the backend already checked: a live device with a DMA
 * mask, a valid direction, a non-zero size, pages of the machine.
 */
struct dma_map_ops {
	/* Coherent memory: see dma_alloc_attrs(). */
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs);
	void (*free)(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t dma_handle, unsigned long attrs);
	/* Non-coherent pages: see dma_alloc_pages(); missing: the call
	 * fails. */
	struct page *(*alloc_pages_op)(struct device *dev, size_t size,
				       dma_addr_t *dma_handle,
				       enum dma_data_direction dir, gfp_t gfp);
	void (*free_pages)(struct device *dev, size_t size, struct page *page,
			   dma_addr_t dma_handle, enum dma_data_direction dir);
	/* User mappings and page tables of what alloc made: see
	 * dma_mmap_attrs() and dma_get_sgtable_attrs(); missing: -ENXIO. */
	int (*mmap)(struct device *dev, struct vm_area_struct *vma,
		    void *cpu_addr, dma_addr_t dma_addr, size_t size,
		    unsigned long attrs);
	int (*get_sgtable)(struct device *dev, struct sg_table *sgt,
			   void *cpu_addr, dma_addr_t dma_addr, size_t size,
			   unsigned long attrs);
	/* Streaming: DMA_MAPPING_ERROR on failure. */
	dma_addr_t (*map_page)(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir,
			       unsigned long attrs);
	void (*unmap_page)(struct device *dev, dma_addr_t dma_handle,
			   size_t size, enum dma_data_direction dir,
			   unsigned long attrs);
	/* Optional, as Linux's: map_page of RAM given by its physical
	 * address, which the front end then calls instead (it has the
	 * address, and needs no struct page for it). */
	dma_addr_t (*map_phys)(struct device *dev, phys_addr_t phys,
			       size_t size, enum dma_data_direction dir,
			       unsigned long attrs);
	/*
	 * The DMA segments mapped, or a negative errno (see
	 * dma_map_sgtable()). A backend that merges puts segment k in entry
	 * k, each a run of whole entries back to back in list order, and
	 * gives the entries after the last a DMA length of 0.
	 */
	int (*map_sg)(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir, unsigned long attrs);
	void (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, unsigned long attrs);
	dma_addr_t (*map_resource)(struct device *dev, phys_addr_t phys_addr,
				   size_t size, enum dma_data_direction dir,
				   unsigned long attrs);
	void (*unmap_resource)(struct device *dev, dma_addr_t dma_handle,
			       size_t size, enum dma_data_direction dir,
			       unsigned long attrs);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t dma_handle,
				    size_t size, enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev,
				       dma_addr_t dma_handle, size_t size,
				       enum dma_data_direction dir);
	void (*sync_sg_for_cpu)(struct device *dev, struct scatterlist *sg,
				int nents, enum dma_data_direction dir);
	void (*sync_sg_for_device)(struct device *dev, struct scatterlist *sg,
				   int nents, enum dma_data_direction dir);
	/* Queries. */
	int (*dma_supported)(struct device *dev, u64 mask);
	size_t (*max_mapping_size)(struct device *dev);
	/* What dma_get_merge_boundary() returns; missing: 0. */
	unsigned long (*get_merge_boundary)(struct device *dev);
	/* What dma_get_required_mask() returns; missing: the direct
	 * backend's answer. */
	u64 (*get_required_mask)(struct device *dev);
	/*
	 * dmakit's own: the CPU physical address a DMA address of the
	 * device reaches (what dma_to_phys() answers and the checker and
	 * tracer follow), ~0 if none; missing: the direct backend's
	 * translation.
	 */
	phys_addr_t (*dma_to_phys)(struct device *dev, dma_addr_t addr);
	/*
	 * dmakit's: the two-step IOVA API (dma_iova_try_alloc() and
	 * friends; Linux has it in iommu-dma alone). Missing: the API is
	 * not used (try_alloc gives false, the rest refuse). iova_alloc
	 * returns 0 or -errno and fills in the state.
	 */
	int (*iova_alloc)(struct device *dev, struct dma_iova_state *state,
			  phys_addr_t phys, size_t size);
	void (*iova_free)(struct device *dev, struct dma_iova_state *state);
	int (*iova_link)(struct device *dev, struct dma_iova_state *state,
			 phys_addr_t phys, size_t offset, size_t size,
			 enum dma_data_direction dir, unsigned long attrs);
	int (*iova_sync)(struct device *dev, struct dma_iova_state *state,
			 size_t offset, size_t size);
	void (*iova_unlink)(struct device *dev, struct dma_iova_state *state,
			    size_t offset, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
};

/**
 * get_dma_ops() - the backend a device maps through.
 * @dev: the device; NULL or a device that is no longer live gives NULL.
 *
 * Context: any thread.
 * Return: the table set_dma_ops() or the boot (iommu-dma) installed, or
 * NULL for the direct backend.
 */
const struct dma_map_ops *get_dma_ops(struct device *dev);

/**
 * set_dma_ops() - make a device map through another backend.
 * @dev: the device; NULL or a device that is no longer live is ignored.
 * @ops: the table from now on, or NULL for the direct backend again. It
 *       must outlive its use; mappings made before stay the old
 *       backend's, so switch only while @dev has none.
 *
 * Context: any thread, but not while another maps for @dev.
 */
void set_dma_ops(struct device *dev, const struct dma_map_ops *ops);

#ifdef __cplusplus
}
#endif

#endif
