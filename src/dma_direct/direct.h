/* SPDX-License-Identifier: MIT */
/*
 * The direct backend and its allocators (direct.c, swiotlb.c, coherent.c,
 * cma.c, limits.c): what the front end (src/dma) and iommu-dma call. They
 * get checked arguments and never call the checker; the checker calls
 * their address translation.
 */
#ifndef DMAKIT_DMA_DIRECT_H
#define DMAKIT_DMA_DIRECT_H

#include <dmakit/dma-map-ops.h>
#include <dmakit/platform.h>

#include "../kernel/kernel.h"
#include "../mm/mm.h"

struct dma_coherent_mem {
	phys_addr_t phys;
	dma_addr_t dev_base;
	size_t size;
	unsigned long *bitmap;
	bool exclusive;
	bool declared;		/* by dma_declare_coherent_memory */
	bool device_local;	/* on-chip SRAM, not RAM: no struct pages */
};


/* 0, or -errno with a message for a device, direction or size that no
 * backend may be given. */
int dk_dma_check_args(struct device *dev, size_t size,
		      enum dma_data_direction dir, const char *fn);
/* Whether RAM at [pa, pa+size) is one range of the linear map. */
bool dk_ram_range_ok(struct dk_machine *m, phys_addr_t pa, size_t size);

/*
 * Whether a small kmalloc buffer must bounce for a non-coherent device:
 * Linux's dma_kmalloc_needs_bounce(), for direct and iommu-dma alike.
 * With a kmalloc alignment below the cache line it may share lines with
 * other objects. Without swiotlb there is nothing to bounce through:
 * Linux never lowers kmalloc's alignment then, and a machine that does
 * shows what that costs. Inline, as every fast map asks.
 */
static inline bool dk_kmalloc_needs_bounce(struct device *dev, phys_addr_t pa,
					   size_t size,
					   enum dma_data_direction dir)
{
	const struct dk_machine *m = dev->machine;

	if (dir == DMA_TO_DEVICE || dev->dma_coherent || !m->swiotlb ||
	    m->kmalloc_align >= m->minalign)
		return false;
	return size < 2 * m->minalign || (size | pa) % m->minalign;
}

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

/* dma: swiotlb.c, cma.c, coherent.c */
int dk_swiotlb_init(struct dk_machine *m);
void dk_swiotlb_fini(struct dk_machine *m);
bool dk_is_swiotlb_buffer(struct dk_machine *m, phys_addr_t pa);
phys_addr_t dk_swiotlb_map(struct device *dev, phys_addr_t orig, size_t size,
			   enum dma_data_direction dir, unsigned long attrs);
/* The same into whole pages of their own, at @orig's page offset, the
 * rest of them zeroed (for IOMMU mappings: the device reaches it through
 * its IOVA, whatever its mask). */
phys_addr_t dk_swiotlb_map_pages(struct device *dev, phys_addr_t orig,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs);
void dk_swiotlb_unmap(struct device *dev, phys_addr_t tlb, size_t size,
		      enum dma_data_direction dir, unsigned long attrs);
void dk_swiotlb_sync_cpu(struct device *dev, phys_addr_t tlb, size_t size,
			 enum dma_data_direction dir);
void dk_swiotlb_sync_device(struct device *dev, phys_addr_t tlb, size_t size,
			    enum dma_data_direction dir);
/* The largest mapping swiotlb can bounce for @dev: one segment less the
 * slots its min_align_mask may cost. */
size_t dk_swiotlb_max_mapping(struct device *dev);

int dk_cma_init(struct dk_machine *m);
/* dma_contiguous_reserve() for @m. */
void dk_cma_reserve(struct dk_machine *m, phys_addr_t addr_limit);
void dk_cma_fini(struct dk_machine *m);
/* Pages from a CMA area wholly below @limit; 0 + *pa or -ENOMEM. */
int dk_cma_alloc(struct dk_cma *c, size_t npages, size_t align_pages,
		 u64 limit, phys_addr_t *pa);
bool dk_cma_release(struct dk_cma *c, phys_addr_t pa, size_t npages);

int dk_coherent_pool_alloc(struct dma_coherent_mem *mem, size_t size,
			   phys_addr_t *pa);
/* Mark pages [@first, @first + @n) of @mem allocated: 0 or -EBUSY. */
int dk_coherent_pool_take(struct dma_coherent_mem *mem, unsigned long first,
			  unsigned long n);
bool dk_coherent_pool_free(struct dma_coherent_mem *mem, phys_addr_t pa,
			   size_t size);
void dk_coherent_fini(struct dk_machine *m);

/*
 * The CPU side of ownership transfers for one phys range, as arm64 does
 * it; inline, so a fast map calls the platform's maintenance directly.
 *
 * The bytes the routine covers. The off-by-one routine walks lines while
 * their start is below start + size - 1: the line holding the last byte
 * is skipped exactly when that byte is the first of its line, which is
 * what covering one byte less does.
 */
static inline size_t dk_maint_len(const struct dk_machine *m, size_t size)
{
	return m->opts.maint_end_minus_one ? size - 1 : size;
}

static inline void dk_sync_for_device(struct device *dev, phys_addr_t pa,
				      size_t size,
				      enum dma_data_direction dir)
{
	const struct dk_machine *m = dev->machine;
	size_t n = dk_maint_len(m, size);

	if (!n)
		return;
	/* arm64 cleans for every direction; arm32 drops what the CPU wrote
	 * into a buffer the device is to fill (see dma-mapping.h). */
	if (m->maint == DK_MAINT_ARM32 && dir == DMA_FROM_DEVICE)
		m->pl.ops->cache_inval(m->pl.ctx, pa, n);
	else
		m->pl.ops->cache_clean(m->pl.ctx, pa, n);
}

static inline void dk_sync_for_cpu(struct device *dev, phys_addr_t pa,
				   size_t size, enum dma_data_direction dir)
{
	const struct dk_machine *m = dev->machine;
	size_t n = dk_maint_len(m, size);

	if (dir != DMA_TO_DEVICE && n)
		m->pl.ops->cache_inval(m->pl.ctx, pa, n);
}
bool dk_dma_capable(struct device *dev, dma_addr_t addr, size_t size,
		    bool coherent_mask);
bool dk_valid_dir(enum dma_data_direction dir);
/* Lowest and highest bus address at which @dev reaches RAM. */
void dk_dma_ram_bounds(struct device *dev, u64 *lo, u64 *hi);

#endif
