/* SPDX-License-Identifier: MIT */
/*
 * The Linux DMA mapping API: masks, coherent and non-coherent allocations,
 * streaming mappings, syncs and scatter-gather, with Linux's names,
 * argument order, return conventions and attributes.
 *
 * Cache maintenance for non-coherent devices follows arm64 Linux:
 *  - before the device (map, sync_for_device): clean, whatever the
 *    direction, so no dirty line can later be written back over DMA data;
 *  - after the device (unmap, sync_for_cpu): invalidate for
 *    DMA_FROM_DEVICE and DMA_BIDIRECTIONAL, nothing for DMA_TO_DEVICE.
 * Partial lines at the edges of an invalidate follow the SoC's edge policy.
 * Coherent devices get no maintenance. DMA_ATTR_SKIP_CPU_SYNC skips it.
 *
 * Addresses a device cannot reach (beyond its mask or the bus's dma-ranges
 * limit) are bounced through swiotlb, as are all mappings when the machine
 * was booted with swiotlb_force. Failures return DMA_MAPPING_ERROR (test it
 * with dma_mapping_error()), NULL, 0 or a negative errno, as Linux's
 * functions do, and leave a message in dk_last_error().
 *
 * Where Linux would crash or map nonsense, dmakit refuses instead: a NULL
 * device, a mapping or sync of size 0, DMA_NONE or any other value that is
 * not a direction (Linux BUG()s), memory that is not RAM, a device whose
 * driver is unbound. Those calls fail here and would not fail the same way
 * on Linux; a driver that never makes them behaves identically on both.
 * Inputs Linux refuses with a WARN and NULL (GFP_DMA/GFP_DMA32 for
 * dma_alloc_pages(), unknown attributes for dma_alloc_noncontiguous())
 * are refused here too, with a warning printed.
 */
#ifndef DMAKIT_DMA_MAPPING_H
#define DMAKIT_DMA_MAPPING_H

#include <dmakit/device.h>
#include <dmakit/gfp.h>
#include <dmakit/scatterlist.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)
#define DMA_BIT_MASK(n)		(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

/*
 * Attributes. WRITE_BARRIER and NON_CONSISTENT were removed from Linux
 * (5.x); dmakit keeps what they meant: WRITE_BARRIER is accepted and has
 * nothing to order because simulated DMA writes complete in order;
 * NON_CONSISTENT on dma_alloc_attrs() returns cacheable memory the caller
 * must sync, i.e. dma_alloc_noncoherent().
 */
#define DMA_ATTR_WRITE_BARRIER		(1UL << 0)
#define DMA_ATTR_WEAK_ORDERING		(1UL << 1)
#define DMA_ATTR_WRITE_COMBINE		(1UL << 2)
#define DMA_ATTR_NON_CONSISTENT		(1UL << 3)
#define DMA_ATTR_NO_KERNEL_MAPPING	(1UL << 4)
#define DMA_ATTR_SKIP_CPU_SYNC		(1UL << 5)
#define DMA_ATTR_FORCE_CONTIGUOUS	(1UL << 6)
#define DMA_ATTR_ALLOC_SINGLE_PAGES	(1UL << 7)
#define DMA_ATTR_NO_WARN		(1UL << 8)
#define DMA_ATTR_PRIVILEGED		(1UL << 9)

/* ---- masks and limits */

/*
 * dma_set_mask - the addresses the device can generate for streaming DMA.
 * Returns 0, or -EIO when no RAM of the machine is reachable with @mask
 * (Linux's dma_supported() failing), -EINVAL for a NULL device.
 */
int dma_set_mask(struct device *dev, u64 mask);
/* dma_set_coherent_mask - the same, for coherent allocations. */
int dma_set_coherent_mask(struct device *dev, u64 mask);
int dma_set_mask_and_coherent(struct device *dev, u64 mask);
u64 dma_get_mask(struct device *dev);
/* dma_supported - whether @mask can reach some RAM. 1 or 0. */
int dma_supported(struct device *dev, u64 mask);
/* dma_addressing_limited - the mask (or bus) cannot reach all RAM. */
bool dma_addressing_limited(struct device *dev);
/* Largest single mapping: swiotlb's segment if it may bounce, else SIZE_MAX. */
size_t dma_max_mapping_size(struct device *dev);
size_t dma_opt_mapping_size(struct device *dev);
/* dma_get_cache_alignment - ARCH_DMA_MINALIGN of the platform. */
int dma_get_cache_alignment(void);
unsigned int dma_get_max_seg_size(struct device *dev);
int dma_set_max_seg_size(struct device *dev, unsigned int size);
/*
 * dma_get_seg_boundary - the mask of address bits a scatter-gather segment
 * may not cross (a segment never spans two mask+1 aligned windows).
 * ULONG_MAX (no boundary) unless the driver set one, as Linux defaults for
 * every device that is not PCI; also ULONG_MAX for NULL.
 */
unsigned long dma_get_seg_boundary(struct device *dev);
/*
 * dma_get_seg_boundary_nr_pages - the boundary in pages of 1 << @page_shift:
 * (dma_get_seg_boundary(@dev) >> @page_shift) + 1; for a NULL @dev the
 * 32-bit boundary Linux assumes then. Never 0.
 */
unsigned long dma_get_seg_boundary_nr_pages(struct device *dev,
					    unsigned int page_shift);
int dma_set_seg_boundary(struct device *dev, unsigned long mask);
void dma_set_min_align_mask(struct device *dev, unsigned int min_align_mask);
/*
 * dma_get_min_align_mask - the low address bits swiotlb keeps between a
 * buffer and its bounce slot (dma_set_min_align_mask()); 0 if none or NULL.
 */
unsigned int dma_get_min_align_mask(struct device *dev);
/*
 * dma_get_required_mask - the smallest mask that reaches every page of RAM
 * the device can address, so a driver can prefer a 32-bit descriptor
 * format when the machine has no RAM above 4 GiB. All ones up to the
 * highest bus address of that RAM (through dma-ranges); 32 bits behind an
 * IOMMU, which can place every buffer there. 32 bits for NULL.
 */
u64 dma_get_required_mask(struct device *dev);
/*
 * dma_coerce_mask_and_coherent - for a device with no streaming mask of
 * its own: point dev->dma_mask at coherent_dma_mask, then set both to
 * @mask. Returns what dma_set_mask_and_coherent() returns, -EINVAL for
 * NULL. Context: at probe, before any mapping.
 */
int dma_coerce_mask_and_coherent(struct device *dev, u64 mask);
/*
 * dma_need_sync - whether dma_sync_single_for_{cpu,device}() do anything
 * for the streaming mapping at @dma_addr. False only when skipping them
 * is safe: a cache-coherent device whose mapping is not a swiotlb bounce.
 * True for a non-coherent device, a bounced mapping, or a NULL device.
 */
bool dma_need_sync(struct device *dev, dma_addr_t dma_addr);
/*
 * dma_get_merge_boundary - the mask of an IOVA boundary up to which
 * dma_map_sg() merges segments into one, or 0 when it never merges:
 * the IOMMU page size minus one behind iommu-dma (entries that start
 * and end on such a boundary become one DMA segment), 0 on the direct
 * path, whatever its dma_map_ops say otherwise.
 */
unsigned long dma_get_merge_boundary(struct device *dev);
/* Whether DMA for @dev is cache coherent (dma-coherent in its tree). */
bool dev_is_dma_coherent(struct device *dev);

/* ---- coherent allocations */

/*
 * dma_alloc_attrs - @size bytes the CPU and @dev can use at once, zeroed.
 * Taken from the device's coherent pool (memory-region no-map or
 * dma_declare_coherent_memory), else its CMA area or the default one for
 * multi-page sizes, else the page allocator below the coherent mask. On a
 * non-coherent device the CPU address is an uncached (or write-combine)
 * alias. With DMA_ATTR_NO_KERNEL_MAPPING the return value is a cookie for
 * dma_mmap_attrs()/dma_free_attrs() only. Returns NULL on failure, with
 * the reason in dk_last_error(), also printed unless DMA_ATTR_NO_WARN.
 * dma_alloc_coherent(), dma_alloc_wc() and dmam_alloc_coherent() turn
 * __GFP_NOWARN into DMA_ATTR_NO_WARN, as Linux does.
 */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs);
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs);
void *dma_alloc_coherent(struct device *dev, size_t size,
			 dma_addr_t *dma_handle, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t dma_handle);
void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *dma_handle,
		   gfp_t gfp);
void dma_free_wc(struct device *dev, size_t size, void *cpu_addr,
		 dma_addr_t dma_handle);
/* Managed: freed at unbind. */
void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp);
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle);
/*
 * dmam_alloc_attrs - dma_alloc_attrs() released with dma_free_attrs() and
 * the same @attrs when the driver unbinds. Returns the CPU address or NULL
 * (dk_last_error() says why). dmam_free_coherent() frees it early.
 */
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs);

/*
 * A user-visible mapping. The caller sets vm_pgoff (page offset into the
 * buffer) and vm_end - vm_start (the length); dma_mmap_*() maps and sets
 * vm_start/vm_end to the new address. dk_munmap() removes it.
 */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	unsigned long vm_pgoff;
	unsigned long vm_flags;
};

/*
 * dma_mmap_attrs - map memory from dma_alloc_attrs() a second time, with
 * the same attributes, e.g. for a user-space view. Returns 0, -ENXIO if
 * the window exceeds the buffer, -EINVAL for bad arguments. The checker
 * reports a mapping whose write-combine attribute differs from the
 * allocation's (mmap-different-attributes: a coherent view of WC memory
 * or the reverse) and an allocation freed while a user mapping of it is
 * still live (free-user-mapped); dk_munmap() ends the user mapping.
 */
int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma,
		   void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs);
int dma_mmap_coherent(struct device *dev, struct vm_area_struct *vma,
		      void *cpu_addr, dma_addr_t dma_addr, size_t size);
int dma_mmap_wc(struct device *dev, struct vm_area_struct *vma,
		void *cpu_addr, dma_addr_t dma_addr, size_t size);
int dk_munmap(struct vm_area_struct *vma);
/*
 * dma_can_mmap - whether dma_mmap_attrs() and friends can map @dev's
 * allocations: true when the platform can make the second mapping (both
 * coherent and non-coherent devices), false for NULL.
 */
bool dma_can_mmap(struct device *dev);

/*
 * dk_dma_mmap_fd - the other-process form of dma_mmap_attrs(): a file
 * descriptor and offset that another process can mmap(MAP_SHARED) to get
 * the same view of the allocation (uncached or write-combine on a
 * non-coherent device, cached on a coherent one). The caller closes @fd.
 * Returns 0, -EINVAL (not an allocation of @dev), -EOPNOTSUPP (platform
 * cannot export), -EMFILE.
 */
int dk_dma_mmap_fd(struct device *dev, void *cpu_addr, dma_addr_t dma_addr,
		   unsigned long attrs, int *fd, u64 *offset);

/*
 * dma_get_sgtable_attrs - describe a coherent buffer as a 1-entry table.
 * Returns 0, -EINVAL for NULL arguments, -ENXIO when @cpu_addr is not an
 * allocation of @dev of at least @size bytes, -ENOMEM.
 */
int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size,
			  unsigned long attrs);
int dma_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size);

/*
 * dma_declare_coherent_memory - give @dev a private coherent pool of RAM at
 * @phys_addr seen by the device at @device_addr (the API talk 002 names;
 * Linux keeps it internal now). Allocations for @dev come from it first;
 * with dk_dma_declare_exclusive() they come only from it.
 * Returns 0, -EINVAL (not RAM, not page aligned, overlapping allocated
 * pages), -EBUSY (already has one).
 */
int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size);
void dma_release_coherent_memory(struct device *dev);
void dk_dma_declare_exclusive(struct device *dev, bool exclusive);

/*
 * ---- non-coherent allocations: cacheable, the caller syncs
 *
 * The zone comes from the device's coherent mask, so GFP_DMA and GFP_DMA32
 * are refused with a warning and NULL, as Linux does.
 * dma_alloc_noncontiguous() takes attrs 0 or DMA_ATTR_ALLOC_SINGLE_PAGES
 * only, and refuses anything else the same way. The checker treats the
 * allocation like a streaming mapping in @dir: freeing or syncing it in
 * another direction is reported (free-different-direction,
 * sync-different-direction).
 */

void *dma_alloc_noncoherent(struct device *dev, size_t size,
			    dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp);
void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr,
			  dma_addr_t dma_handle, enum dma_data_direction dir);
struct page *dma_alloc_pages(struct device *dev, size_t size,
			     dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp);
void dma_free_pages(struct device *dev, size_t size, struct page *page,
		    dma_addr_t dma_handle, enum dma_data_direction dir);
int dma_mmap_pages(struct device *dev, struct vm_area_struct *vma,
		   size_t size, struct page *page);
struct sg_table *dma_alloc_noncontiguous(struct device *dev, size_t size,
					 enum dma_data_direction dir,
					 gfp_t gfp, unsigned long attrs);
void dma_free_noncontiguous(struct device *dev, size_t size,
			    struct sg_table *sgt,
			    enum dma_data_direction dir);
void *dma_vmap_noncontiguous(struct device *dev, size_t size,
			     struct sg_table *sgt);
void dma_vunmap_noncontiguous(struct device *dev, void *vaddr);
int dma_mmap_noncontiguous(struct device *dev, struct vm_area_struct *vma,
			   size_t size, struct sg_table *sgt);

/* ---- streaming mappings */

/*
 * dma_map_page_attrs - hand @size bytes at @offset of @page to @dev.
 * Returns the device address or DMA_MAPPING_ERROR (DMA_NONE, size 0,
 * overflow, memory that is not RAM, an @offset beyond the page (or the
 * alloc_pages() block it heads), swiotlb full, device unbound, a device
 * without a DMA mask).
 */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir,
			      unsigned long attrs);
/* dma_unmap_*() of a NULL or dead device prints "BUG: dma_unmap_...: NULL
 * device" (or "not live") and does nothing. */
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
/*
 * dma_map_single_attrs - @ptr must be linear-map memory (kmalloc, pages);
 * stack, rodata, malloc and vmalloc memory are refused with a message.
 * With the checker on, a freed kmalloc object (map-freed-object) and a
 * range past the end of its kmalloc object (map-beyond-object) are
 * reported, and the mapping is made as Linux would.
 */
dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs);
void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir);
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir);
dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset,
			size_t size, enum dma_data_direction dir);
void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir);
/* dma_map_resource - MMIO of another device (no cache work, no bounce). */
dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr,
			    size_t size, enum dma_data_direction dir,
			    unsigned long attrs);
void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs);
/* dma_mapping_error - 0 if @dma_addr is a valid mapping, else -ENOMEM. */
int dma_mapping_error(struct device *dev, dma_addr_t dma_addr);

/*
 * dma_map_sg_attrs - map every entry; returns the number of DMA segments,
 * 0 on failure (all entries unmapped again, dk_last_error() says which
 * entry and why): also for a NULL list or a @nents larger than the list
 * has entries, which no entry is touched for. dma_unmap_sg*() and
 * dma_sync_sg_*() refuse the same lists with a "BUG:" message and do
 * nothing.
 */
int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs);
int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir);
void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		  enum dma_data_direction dir);
/*
 * dma_map_sgtable - map the orig_nents entries of @sgt for @dev and set
 * sgt->nents to the number of DMA segments; the device owns the buffer
 * until dma_sync_sgtable_for_cpu() or dma_unmap_sgtable().
 * @dev: the device that will do the DMA
 * @sgt: the table; its entries must be pages of RAM
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL
 * @attrs: DMA_ATTR_* for every entry (DMA_ATTR_SKIP_CPU_SYNC, ...)
 *
 * Context: any; does not sleep.
 * Return: 0, or on failure (nothing stays mapped, sgt->nents untouched):
 *  -EINVAL: a bad argument, which will fail again if retried: NULL @sgt,
 *           @dev or list, no entries, a direction that is not one, an
 *           entry of length 0 or not RAM, an unbound device; behind an
 *           IOMMU also an IOMMU mapping that failed for another reason
 *           than memory.
 *  -ENOMEM: behind an IOMMU, the IOVA space below the device's mask is
 *           exhausted; may succeed once other mappings are gone.
 *  -EIO:    on the direct path, an entry that could not be mapped: beyond
 *           the device's reach with no swiotlb, or swiotlb full (Linux's
 *           direct path says -EIO for both).
 */
int dma_map_sgtable(struct device *dev, struct sg_table *sgt,
		    enum dma_data_direction dir, unsigned long attrs);
void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt,
		       enum dma_data_direction dir, unsigned long attrs);

/* ---- ownership transfers */

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir);
void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir);
void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
				      unsigned long offset, size_t size,
				      enum dma_data_direction dir);
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg,
			 int nelems, enum dma_data_direction dir);
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg,
			    int nelems, enum dma_data_direction dir);
void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt,
			      enum dma_data_direction dir);
void dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt,
				 enum dma_data_direction dir);

/*
 * Where the address and length to unmap are kept in a driver's own
 * structures: DEFINE_DMA_UNMAP_ADDR(name) and DEFINE_DMA_UNMAP_LEN(name)
 * declare the members, dma_unmap_addr[_set]() and dma_unmap_len[_set]()
 * read and write them. Linux compiles them away where unmapping needs no
 * state; dmakit always keeps them, because the checker and swiotlb need
 * the real values at unmap.
 */
#define DEFINE_DMA_UNMAP_ADDR(ADDR_NAME)	dma_addr_t ADDR_NAME
#define DEFINE_DMA_UNMAP_LEN(LEN_NAME)		u32 LEN_NAME
#define dma_unmap_addr(PTR, ADDR_NAME)		((PTR)->ADDR_NAME)
#define dma_unmap_addr_set(PTR, ADDR_NAME, VAL)	(((PTR)->ADDR_NAME) = (VAL))
#define dma_unmap_len(PTR, LEN_NAME)		((PTR)->LEN_NAME)
#define dma_unmap_len_set(PTR, LEN_NAME, VAL)	(((PTR)->LEN_NAME) = (VAL))

/* ---- dmakit helpers */

/* Translate a CPU physical address to @dev's bus address and back. */
dma_addr_t phys_to_dma(struct device *dev, phys_addr_t pa);
phys_addr_t dma_to_phys(struct device *dev, dma_addr_t addr);

/* swiotlb statistics of the current machine, for tests and reports. */
struct dk_swiotlb_stats {
	unsigned long total_slots;
	unsigned long used_slots;
	unsigned long max_used_slots;
	unsigned long bounced_maps;
	phys_addr_t start, end;
};
int dk_swiotlb_stats(struct dk_machine *m, struct dk_swiotlb_stats *st);

#ifdef __cplusplus
}
#endif

#endif
