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
 * A machine with arm32 maintenance (DK_MAINT_ARM32: the tree's
 * "dma-maintenance", or dk_machine_opts.maint) invalidates instead of
 * cleaning before the device for DMA_FROM_DEVICE, as 32-bit ARM Linux
 * does: what the CPU wrote into the buffer before mapping it is dropped,
 * so bytes the device does not write read back as DRAM held them.
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

/**
 * dma_set_mask() - the addresses the device can generate for streaming DMA.
 * @dev: a live device.
 * @mask: the highest bus address it can drive, as DMA_BIT_MASK(n).
 *
 * Context: at probe, before the device's first mapping.
 * Return: 0; -EIO when no RAM of the machine is reachable with @mask
 * (Linux's dma_supported() failing), the mask unchanged; -EINVAL for a
 * NULL or dead device or one without a dma_mask pointer.
 */
int dma_set_mask(struct device *dev, u64 mask);
/**
 * dma_set_coherent_mask() - the addresses coherent allocations for the
 * device must lie below.
 * @dev: a live device.
 * @mask: as for dma_set_mask().
 *
 * Context: at probe.
 * Return: as dma_set_mask().
 */
int dma_set_coherent_mask(struct device *dev, u64 mask);
/**
 * dma_set_mask_and_coherent() - dma_set_mask() then, if it succeeded,
 * dma_set_coherent_mask() with the same @mask.
 * @dev: a live device.
 * @mask: as for dma_set_mask().
 *
 * Context: at probe.
 * Return: 0, or the first call's error (see dma_set_mask()).
 */
int dma_set_mask_and_coherent(struct device *dev, u64 mask);
/**
 * dma_get_mask() - the device's streaming DMA mask.
 * @dev: a device.
 *
 * Return: the mask, or DMA_BIT_MASK(32) for a NULL or dead device or one
 * without a dma_mask pointer.
 */
u64 dma_get_mask(struct device *dev);
/**
 * dma_supported() - whether a mask lets the device reach some RAM.
 * @dev: a device.
 * @mask: the mask to test.
 *
 * Return: 1 if the lowest RAM the device can address (through its
 * dma-ranges) is at or below @mask, else 0; 0 for a NULL or dead device.
 */
int dma_supported(struct device *dev, u64 mask);
/**
 * dma_addressing_limited() - whether the device's mask or bus cannot
 * reach all RAM of the machine, so some buffers will bounce.
 * @dev: a device.
 *
 * Return: true if some RAM is out of reach; false when all is reachable,
 * behind an IOMMU (every page gets an IOVA), or for a NULL or dead device.
 */
bool dma_addressing_limited(struct device *dev);
/**
 * dma_max_mapping_size() - the largest single streaming mapping the device
 * can make.
 * @dev: a device.
 *
 * Return: swiotlb's largest bounce (a segment, less what min_align_mask
 * keeps) if the device's mappings may bounce (swiotlb_force, limited
 * addressing, or small kmalloc alignment on a non-coherent device), else
 * SIZE_MAX; SIZE_MAX also behind an IOMMU and for a NULL or dead device.
 */
size_t dma_max_mapping_size(struct device *dev);
/**
 * dma_opt_mapping_size() - the largest mapping that costs no more per byte
 * than smaller ones.
 * @dev: a device.
 *
 * Return: dma_max_mapping_size(@dev): no mapping size is slower here.
 */
size_t dma_opt_mapping_size(struct device *dev);
/**
 * dma_get_cache_alignment() - the alignment (ARCH_DMA_MINALIGN) a buffer
 * needs to share no cache line with other data.
 *
 * Return: the current machine's minimum DMA alignment in bytes, 128 with
 * no machine booted.
 */
int dma_get_cache_alignment(void);
/**
 * dma_get_max_seg_size() - the longest scatter-gather segment the device
 * takes.
 * @dev: a device.
 *
 * Return: what dma_set_max_seg_size() set, or 65536 (Linux's default,
 * also for a NULL or dead device or one without DMA parameters).
 */
unsigned int dma_get_max_seg_size(struct device *dev);
/**
 * dma_set_max_seg_size() - limit the length of one scatter-gather segment.
 * @dev: a live device with DMA parameters (every machine device has them).
 * @size: the longest segment in bytes.
 *
 * Return: 0, or -EIO for a NULL or dead device or one without DMA
 * parameters.
 */
int dma_set_max_seg_size(struct device *dev, unsigned int size);
/**
 * dma_get_seg_boundary() - the mask of address bits a scatter-gather
 * segment may not cross (a segment never spans two mask+1 aligned windows).
 * @dev: a device.
 *
 * Return: the mask the driver set, else ULONG_MAX (no boundary), as Linux
 * defaults for every device that is not PCI; also ULONG_MAX for NULL.
 */
unsigned long dma_get_seg_boundary(struct device *dev);
/**
 * dma_get_seg_boundary_nr_pages() - the segment boundary counted in pages.
 * @dev: a device, or NULL.
 * @page_shift: log2 of the page size the caller counts in.
 *
 * Return: (dma_get_seg_boundary(@dev) >> @page_shift) + 1; for a NULL
 * @dev the 32-bit boundary Linux assumes then. Never 0.
 */
unsigned long dma_get_seg_boundary_nr_pages(struct device *dev,
					    unsigned int page_shift);
/**
 * dma_set_seg_boundary() - set the boundary segments may not cross.
 * @dev: a live device with DMA parameters.
 * @mask: the boundary minus one, e.g. 0xffffffff for 4 GiB windows.
 *
 * Return: 0, or -EIO for a NULL or dead device or one without DMA
 * parameters.
 */
int dma_set_seg_boundary(struct device *dev, unsigned long mask);
/**
 * dma_set_min_align_mask() - the low address bits swiotlb must keep
 * between a buffer and its bounce slot (for devices that use them as an
 * offset into their own pages, as NVMe does).
 * @dev: a live device with DMA parameters; otherwise a "BUG:" line is
 *       printed (-EIO in dk_last_error()) and nothing is set.
 * @min_align_mask: the bits, e.g. 0xfff.
 */
void dma_set_min_align_mask(struct device *dev, unsigned int min_align_mask);
/**
 * dma_get_min_align_mask() - what dma_set_min_align_mask() set.
 * @dev: a device.
 *
 * Return: the low address bits swiotlb keeps between a buffer and its
 * bounce slot; 0 if none was set or for NULL.
 */
unsigned int dma_get_min_align_mask(struct device *dev);
/**
 * dma_get_required_mask() - the smallest mask that reaches every page of
 * RAM the device can address, so a driver can prefer a 32-bit descriptor
 * format when the machine has no RAM above 4 GiB.
 * @dev: a device.
 *
 * Return: all ones up to the highest bus address of that RAM (through
 * dma-ranges); 32 bits behind an IOMMU, which can place every buffer
 * there. 32 bits for NULL.
 */
u64 dma_get_required_mask(struct device *dev);
/**
 * dma_coerce_mask_and_coherent() - give a device with no streaming mask of
 * its own one: point dev->dma_mask at coherent_dma_mask, then set both to
 * @mask.
 * @dev: a live device.
 * @mask: as for dma_set_mask().
 *
 * Context: at probe, before any mapping.
 * Return: what dma_set_mask_and_coherent() returns, -EINVAL for NULL.
 */
int dma_coerce_mask_and_coherent(struct device *dev, u64 mask);
/**
 * dma_need_sync() - whether dma_sync_single_for_{cpu,device}() do anything
 * for a streaming mapping.
 * @dev: the device that made the mapping.
 * @dma_addr: the mapping's device address.
 *
 * Return: false only when skipping the syncs is safe: a cache-coherent
 * device whose mapping is not a swiotlb bounce. True for a non-coherent
 * device, a bounced mapping, or a NULL device.
 */
bool dma_need_sync(struct device *dev, dma_addr_t dma_addr);
/**
 * dma_get_merge_boundary() - the mask of an IOVA boundary up to which
 * dma_map_sg() merges segments into one.
 * @dev: a device.
 *
 * Return: the IOMMU page size minus one behind iommu-dma (entries that
 * start and end on such a boundary become one DMA segment); 0 (never
 * merges) on the direct path and for a NULL or dead device.
 */
unsigned long dma_get_merge_boundary(struct device *dev);
/**
 * dev_is_dma_coherent() - whether DMA for the device is cache coherent.
 * @dev: a device.
 *
 * Return: true if its tree node (or a parent bus) says dma-coherent;
 * false otherwise and for a NULL or dead device.
 */
bool dev_is_dma_coherent(struct device *dev);

/* ---- coherent allocations */

/**
 * dma_alloc_attrs() - @size bytes the CPU and @dev can use at once, zeroed.
 * @dev: a live device with a coherent mask.
 * @size: bytes, at least 1; whole pages are taken.
 * @dma_handle: set to the device address of the first byte.
 * @gfp: GFP_* flags; the zone comes from the coherent mask.
 * @attrs: DMA_ATTR_WRITE_COMBINE, DMA_ATTR_NO_KERNEL_MAPPING,
 *         DMA_ATTR_NON_CONSISTENT, DMA_ATTR_NO_WARN, ...
 *
 * Taken from the device's coherent pool (memory-region no-map or
 * dma_declare_coherent_memory), else its CMA area or the default one for
 * multi-page sizes, else the page allocator below the coherent mask. On a
 * non-coherent device the CPU address is an uncached (or write-combine)
 * alias. dma_alloc_coherent(), dma_alloc_wc() and dmam_alloc_coherent()
 * turn __GFP_NOWARN into DMA_ATTR_NO_WARN, as Linux does.
 *
 * Context: any thread.
 * Return: the CPU address (with DMA_ATTR_NO_KERNEL_MAPPING a cookie for
 * dma_mmap_attrs()/dma_free_attrs() only), or NULL on failure, with the
 * reason in dk_last_error(), also printed unless DMA_ATTR_NO_WARN.
 */
void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs);
/**
 * dma_free_attrs() - give back a dma_alloc_attrs() allocation.
 * @dev: the device it was allocated for.
 * @size: the size asked for.
 * @cpu_addr: the address (or cookie) dma_alloc_attrs() returned.
 * @dma_handle: the device address it set.
 * @attrs: the attributes it was allocated with.
 *
 * A NULL or dead device or NULL @cpu_addr prints a "BUG:" line; memory
 * the device has not allocated, or a @size or @dma_handle that differ
 * from the allocation's, are logged with dev_err() (the checker reports
 * them too), and only a real allocation is freed.
 */
void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs);
/**
 * dma_alloc_coherent() - dma_alloc_attrs() with no attributes
 * (DMA_ATTR_NO_WARN if @gfp has __GFP_NOWARN).
 * @dev: as for dma_alloc_attrs().
 * @size: as for dma_alloc_attrs().
 * @dma_handle: as for dma_alloc_attrs().
 * @gfp: as for dma_alloc_attrs().
 *
 * Return: the CPU address, or NULL (dk_last_error() says why).
 */
void *dma_alloc_coherent(struct device *dev, size_t size,
			 dma_addr_t *dma_handle, gfp_t gfp);
/**
 * dma_free_coherent() - dma_free_attrs() of a dma_alloc_coherent() buffer.
 * @dev: as for dma_free_attrs().
 * @size: as for dma_free_attrs().
 * @cpu_addr: as for dma_free_attrs().
 * @dma_handle: as for dma_free_attrs().
 */
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t dma_handle);
/**
 * dma_alloc_wc() - dma_alloc_attrs() with DMA_ATTR_WRITE_COMBINE: on a
 * non-coherent device the CPU writes through a write-combining alias.
 * @dev: as for dma_alloc_attrs().
 * @size: as for dma_alloc_attrs().
 * @dma_handle: as for dma_alloc_attrs().
 * @gfp: as for dma_alloc_attrs().
 *
 * Return: the CPU address, or NULL (dk_last_error() says why).
 */
void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *dma_handle,
		   gfp_t gfp);
/**
 * dma_free_wc() - dma_free_attrs() of a dma_alloc_wc() buffer.
 * @dev: as for dma_free_attrs().
 * @size: as for dma_free_attrs().
 * @cpu_addr: as for dma_free_attrs().
 * @dma_handle: as for dma_free_attrs().
 */
void dma_free_wc(struct device *dev, size_t size, void *cpu_addr,
		 dma_addr_t dma_handle);
/**
 * dmam_alloc_coherent() - dma_alloc_coherent() freed when the driver
 * unbinds (devres).
 * @dev: a live device.
 * @size: as for dma_alloc_attrs().
 * @dma_handle: as for dma_alloc_attrs().
 * @gfp: as for dma_alloc_attrs().
 *
 * Return: the CPU address, or NULL (dk_last_error() says why).
 */
void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp);
/**
 * dmam_free_coherent() - free a managed allocation before unbind.
 * @dev: the device.
 * @size: the size asked for.
 * @vaddr: the CPU address dmam_alloc_*() returned.
 * @dma_handle: the device address it set.
 *
 * Takes the allocation off the device's release list and frees it with
 * the attributes it was made with; anything else goes to dma_free_attrs()
 * and is reported as it would be there.
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle);
/**
 * dmam_alloc_attrs() - dma_alloc_attrs() released with dma_free_attrs()
 * and the same @attrs when the driver unbinds; dmam_free_coherent() frees
 * it early.
 * @dev: a live device.
 * @size: as for dma_alloc_attrs().
 * @dma_handle: as for dma_alloc_attrs().
 * @gfp: as for dma_alloc_attrs().
 * @attrs: as for dma_alloc_attrs().
 *
 * Return: the CPU address or NULL (dk_last_error() says why).
 */
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs);

/**
 * struct vm_area_struct - a user-visible mapping. The caller sets vm_pgoff (page offset into the
 * buffer) and vm_end - vm_start (the length); dma_mmap_*() maps and sets
 * vm_start/vm_end to the new address. dk_munmap() removes it.
 */
struct vm_operations_struct;

struct vm_area_struct {
	/** @vm_start: the mapping's first address; set by dma_mmap_*() */
	unsigned long vm_start;
	/** @vm_end: one past its last; vm_end - vm_start is the length the
	 * caller asks for */
	unsigned long vm_end;
	/** @vm_pgoff: the page offset into the buffer where it starts */
	unsigned long vm_pgoff;
	/** @vm_flags: accepted and ignored by dma_mmap_*(); VM_IO |
	 * VM_PFNMAP after remap_pfn_range() (see mm.h) */
	unsigned long vm_flags;
	/** @vm_page_prot: the user mapping's caching (pgprot_t, mm.h) */
	unsigned long vm_page_prot;
	/** @vm_ops: set by a driver's mmap handler (mm.h) */
	const struct vm_operations_struct *vm_ops;
	/** @vm_private_data: the driver's, for its vm_ops */
	void *vm_private_data;
};

/**
 * dma_mmap_attrs() - map memory from dma_alloc_attrs() a second time, with
 * the same attributes, e.g. for a user-space view.
 * @dev: the device it was allocated for.
 * @vma: the window: vm_pgoff pages into the buffer, vm_end - vm_start
 *       bytes (whole pages); vm_start and vm_end are set to the mapping.
 * @cpu_addr: what dma_alloc_attrs() returned.
 * @dma_addr: the device address it set.
 * @size: the size of the allocation.
 * @attrs: the attributes it was allocated with.
 *
 * The checker reports a mapping whose write-combine attribute differs
 * from the allocation's (mmap-different-attributes: a coherent view of WC
 * memory or the reverse) and an allocation freed while a user mapping of
 * it is still live (free-user-mapped); dk_munmap() ends the user mapping.
 *
 * Return: 0, -ENXIO if the window exceeds the buffer, -EINVAL for bad
 * arguments.
 */
int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma,
		   void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs);
/**
 * dma_mmap_coherent() - dma_mmap_attrs() with no attributes, for a
 * dma_alloc_coherent() buffer.
 * @dev: as for dma_mmap_attrs().
 * @vma: as for dma_mmap_attrs().
 * @cpu_addr: as for dma_mmap_attrs().
 * @dma_addr: as for dma_mmap_attrs().
 * @size: as for dma_mmap_attrs().
 *
 * Return: as dma_mmap_attrs().
 */
int dma_mmap_coherent(struct device *dev, struct vm_area_struct *vma,
		      void *cpu_addr, dma_addr_t dma_addr, size_t size);
/**
 * dma_mmap_wc() - dma_mmap_attrs() with DMA_ATTR_WRITE_COMBINE, for a
 * dma_alloc_wc() buffer.
 * @dev: as for dma_mmap_attrs().
 * @vma: as for dma_mmap_attrs().
 * @cpu_addr: as for dma_mmap_attrs().
 * @dma_addr: as for dma_mmap_attrs().
 * @size: as for dma_mmap_attrs().
 *
 * Return: as dma_mmap_attrs().
 */
int dma_mmap_wc(struct device *dev, struct vm_area_struct *vma,
		void *cpu_addr, dma_addr_t dma_addr, size_t size);
/**
 * dk_munmap() - end a user mapping made by dma_mmap_*().
 * @vma: the window they filled in; vm_start and vm_end are reset to 0.
 *
 * Return: 0, or -EINVAL for NULL, a window that maps nothing, no machine
 * booted, or an address the platform has no alias at.
 */
int dk_munmap(struct vm_area_struct *vma);
/**
 * dma_can_mmap() - whether dma_mmap_attrs() and friends can map the
 * device's allocations.
 * @dev: a device.
 *
 * Return: true when the platform can make the second mapping (both
 * coherent and non-coherent devices), false for NULL.
 */
bool dma_can_mmap(struct device *dev);

/**
 * dk_dma_mmap_fd() - the other-process form of dma_mmap_attrs(): a file
 * descriptor and offset that another process can mmap(MAP_SHARED) to get
 * the same view of the allocation (uncached or write-combine on a
 * non-coherent device, cached on a coherent one).
 * @dev: the device it was allocated for.
 * @cpu_addr: what dma_alloc_attrs() returned.
 * @dma_addr: the device address it set.
 * @attrs: the attributes it was allocated with.
 * @fd: set to a new descriptor; the caller closes it.
 * @offset: set to the allocation's offset in @fd's file.
 *
 * Return: 0, -EINVAL (not an allocation of @dev by the direct backend:
 * one file range is one run of RAM, and iommu-dma's allocations may be
 * scattered pages), -EOPNOTSUPP (platform cannot export), -EMFILE.
 */
int dk_dma_mmap_fd(struct device *dev, void *cpu_addr, dma_addr_t dma_addr,
		   unsigned long attrs, int *fd, u64 *offset);

/**
 * dma_get_sgtable_attrs() - describe a coherent buffer as a 1-entry table,
 * e.g. to share it with another device.
 * @dev: the device it was allocated for.
 * @sgt: the table to fill in; free it with sg_free_table().
 * @cpu_addr: what dma_alloc_attrs() returned.
 * @dma_addr: the device address it set.
 * @size: bytes to describe.
 * @attrs: the attributes it was allocated with.
 *
 * Return: 0, -EINVAL for NULL arguments, -ENXIO when @cpu_addr is not an
 * allocation of @dev of at least @size bytes, -ENOMEM.
 */
int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size,
			  unsigned long attrs);
/**
 * dma_get_sgtable() - dma_get_sgtable_attrs() with no attributes.
 * @dev: as for dma_get_sgtable_attrs().
 * @sgt: as for dma_get_sgtable_attrs().
 * @cpu_addr: as for dma_get_sgtable_attrs().
 * @dma_addr: as for dma_get_sgtable_attrs().
 * @size: as for dma_get_sgtable_attrs().
 *
 * Return: as dma_get_sgtable_attrs().
 */
int dma_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size);

/**
 * dma_declare_coherent_memory() - give a device a private coherent pool
 * (the API "Mastering the DMA and IOMMU APIs", Laurent Pinchart, ELC
 * 2014, names; Linux keeps it internal now).
 * Allocations for @dev come from it first; with dk_dma_declare_exclusive()
 * they come only from it.
 * @dev: a live device.
 * @phys_addr: where the pool's memory is, page aligned: RAM (its pages
 *             leave the page allocator) or memory outside the kernel's
 *             RAM that the platform can map, such as on-chip SRAM (an
 *             "mmio-sram" node): its allocations are then always
 *             uncached, with no struct pages behind them.
 * @device_addr: where the device sees it.
 * @size: its length, whole pages.
 *
 * Return: 0, -EINVAL (neither RAM nor mappable device memory, e.g. MMIO
 * registers; not page aligned; overlapping allocated pages), -EBUSY
 * (already has one).
 */
int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size);
/**
 * dma_release_coherent_memory() - give back a pool from
 * dma_declare_coherent_memory().
 * @dev: the device; NULL, or one with no declared pool (a memory-region
 *       pool included), does nothing. Live allocations from the pool are
 *       warned about and lost with it.
 */
void dma_release_coherent_memory(struct device *dev);
/**
 * dk_dma_declare_exclusive() - whether the device's coherent allocations
 * come only from its pool (true) or fall back to CMA and the page
 * allocator when it is full (false, the default).
 * @dev: a device with a pool; otherwise nothing happens.
 * @exclusive: the choice.
 */
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

/**
 * dma_alloc_noncoherent() - cacheable memory the device can reach, owned
 * by the device until the caller syncs it for the CPU.
 * @dev: a live device.
 * @size: bytes, at least 1; whole pages are taken.
 * @dma_handle: set to the device address.
 * @dir: the direction the buffer is used in, as for a streaming mapping.
 * @gfp: GFP_* flags without GFP_DMA/GFP_DMA32 (refused with a warning).
 *
 * Return: the cacheable CPU address (free it with dma_free_noncoherent()),
 * or NULL (dk_last_error() says why: bad arguments, a bad direction, a
 * zone flag, out of memory below the coherent mask).
 */
void *dma_alloc_noncoherent(struct device *dev, size_t size,
			    dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp);
/**
 * dma_free_noncoherent() - give back a dma_alloc_noncoherent() buffer.
 * @dev: the device it was allocated for.
 * @size: the size asked for.
 * @vaddr: the address it returned.
 * @dma_handle: the device address it set.
 * @dir: the direction it was allocated with (another one is reported by
 *       the checker: free-different-direction).
 *
 * Misuse is reported as by dma_free_attrs().
 */
void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr,
			  dma_addr_t dma_handle, enum dma_data_direction dir);
/**
 * dma_alloc_pages() - dma_alloc_noncoherent(), returning the first page.
 * @dev: as for dma_alloc_noncoherent().
 * @size: as for dma_alloc_noncoherent().
 * @dma_handle: as for dma_alloc_noncoherent().
 * @dir: as for dma_alloc_noncoherent().
 * @gfp: as for dma_alloc_noncoherent().
 *
 * Return: the first page of the block (free it with dma_free_pages()), or
 * NULL as dma_alloc_noncoherent() fails.
 */
struct page *dma_alloc_pages(struct device *dev, size_t size,
			     dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp);
/**
 * dma_free_pages() - give back a dma_alloc_pages() block.
 * @dev: the device it was allocated for.
 * @size: the size asked for.
 * @page: the page it returned; NULL (or a NULL or dead @dev) prints a
 *        "BUG:" line and frees nothing.
 * @dma_handle: the device address it set.
 * @dir: the direction it was allocated with.
 */
void dma_free_pages(struct device *dev, size_t size, struct page *page,
		    dma_addr_t dma_handle, enum dma_data_direction dir);
/**
 * dma_mmap_pages() - a second, cacheable mapping of a dma_alloc_pages()
 * block, e.g. for a user-space view.
 * @dev: the device it was allocated for.
 * @vma: the window, as for dma_mmap_attrs().
 * @size: the size of the allocation.
 * @page: the page dma_alloc_pages() returned.
 *
 * Return: 0; -EINVAL for a NULL or dead @dev, NULL @vma or @page, a @page
 * that is no page of the machine or a window that is not whole pages;
 * -ENXIO if the window exceeds the buffer; -ENOMEM.
 */
int dma_mmap_pages(struct device *dev, struct vm_area_struct *vma,
		   size_t size, struct page *page);
/**
 * dma_alloc_noncontiguous() - a non-coherent buffer described by a table.
 * Without an IOMMU the table has one entry, as Linux's direct backend
 * gives.
 * @dev: as for dma_alloc_noncoherent().
 * @size: as for dma_alloc_noncoherent().
 * @dir: as for dma_alloc_noncoherent().
 * @gfp: as for dma_alloc_noncoherent().
 * @attrs: 0 or DMA_ATTR_ALLOC_SINGLE_PAGES; anything else is refused with
 *         a warning.
 *
 * Return: the table, mapped (nents and the DMA fields set; free it with
 * dma_free_noncontiguous()), or NULL (dk_last_error() says why).
 */
struct sg_table *dma_alloc_noncontiguous(struct device *dev, size_t size,
					 enum dma_data_direction dir,
					 gfp_t gfp, unsigned long attrs);
/**
 * dma_free_noncontiguous() - give back a dma_alloc_noncontiguous() table
 * and its memory.
 * @dev: the device it was allocated for.
 * @size: the size asked for.
 * @sgt: the table; NULL does nothing, a table dma_alloc_noncontiguous()
 *       did not return is refused with a "BUG:" line.
 * @dir: the direction it was allocated with.
 */
void dma_free_noncontiguous(struct device *dev, size_t size,
			    struct sg_table *sgt,
			    enum dma_data_direction dir);
/**
 * dma_vmap_noncontiguous() - a contiguous CPU address for a
 * dma_alloc_noncontiguous() buffer.
 * @dev: the device it was allocated for.
 * @size: its size (accepted; the whole buffer is mapped).
 * @sgt: the table dma_alloc_noncontiguous() returned.
 *
 * Return: a cacheable linear-map address (the buffer is one block here),
 * or NULL for a NULL or dead @dev or a table that is not one of those.
 */
void *dma_vmap_noncontiguous(struct device *dev, size_t size,
			     struct sg_table *sgt);
/**
 * dma_vunmap_noncontiguous() - undo dma_vmap_noncontiguous(); nothing to
 * do, since that returned the linear map.
 * @dev: the device.
 * @vaddr: the address it returned.
 */
void dma_vunmap_noncontiguous(struct device *dev, void *vaddr);
/**
 * dma_mmap_noncontiguous() - dma_mmap_pages() of a
 * dma_alloc_noncontiguous() buffer.
 * @dev: the device it was allocated for.
 * @vma: the window, as for dma_mmap_attrs().
 * @size: the size of the allocation.
 * @sgt: the table dma_alloc_noncontiguous() returned.
 *
 * Return: as dma_mmap_pages(); -EINVAL for a table that is not one of
 * those.
 */
int dma_mmap_noncontiguous(struct device *dev, struct vm_area_struct *vma,
			   size_t size, struct sg_table *sgt);

/* ---- streaming mappings */

/**
 * dma_map_page_attrs() - hand @size bytes at @offset of @page to @dev: the
 * CPU's dirty lines are cleaned, and the device owns the bytes until
 * dma_sync_single_for_cpu() or dma_unmap_page_attrs().
 * @dev: the device that will do the DMA.
 * @page: a page of RAM.
 * @offset: bytes into @page (or into the alloc_pages() block it heads).
 * @size: bytes, at least 1.
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, ...
 *
 * Context: any; does not sleep.
 * Return: the device address, or DMA_MAPPING_ERROR (DMA_NONE, size 0,
 * overflow, memory that is not RAM, an @offset beyond the page (or the
 * alloc_pages() block it heads), swiotlb full, device unbound, a device
 * without a DMA mask); dk_last_error() says which.
 */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir,
			      unsigned long attrs);
/**
 * dma_unmap_page_attrs() - end a streaming mapping: the CPU owns the bytes
 * again (invalidated for DMA_FROM_DEVICE and DMA_BIDIRECTIONAL; a bounce
 * is copied back and its slots freed).
 * @dev: the device that mapped it; a NULL or dead one prints "BUG:
 *       dma_unmap_page: NULL device" (or "not live") and does nothing.
 * @addr: the device address the map returned.
 * @size: the size mapped.
 * @dir: the direction mapped.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, ...
 *
 * The checker reports an unmap that matches no mapping, or one with
 * another size or direction than the map's.
 */
void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs);
/**
 * dma_map_single_attrs() - dma_map_page_attrs() by CPU address.
 * @dev: the device that will do the DMA.
 * @ptr: linear-map memory (kmalloc, pages); stack, rodata, malloc and
 *       vmalloc memory are refused with a message.
 * @size: bytes, at least 1.
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, ...
 *
 * With the checker on, a freed kmalloc object (map-freed-object) and a
 * range past the end of its kmalloc object (map-beyond-object) are
 * reported, and the mapping is made as Linux would.
 *
 * Context: any; does not sleep.
 * Return: the device address, or DMA_MAPPING_ERROR for the reasons of
 * dma_map_page_attrs() and memory that is not in the linear map.
 */
dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs);
/**
 * dma_unmap_single_attrs() - end a dma_map_single_attrs() mapping, as
 * dma_unmap_page_attrs() does.
 * @dev: the device that mapped it.
 * @addr: the device address the map returned.
 * @size: the size mapped.
 * @dir: the direction mapped.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, ...
 */
void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
/**
 * dma_map_single() - dma_map_single_attrs() with no attributes.
 * @dev: as for dma_map_single_attrs().
 * @ptr: as for dma_map_single_attrs().
 * @size: as for dma_map_single_attrs().
 * @dir: as for dma_map_single_attrs().
 *
 * Return: the device address or DMA_MAPPING_ERROR (test it with
 * dma_mapping_error()).
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir);
/**
 * dma_unmap_single() - dma_unmap_single_attrs() with no attributes.
 * @dev: as for dma_unmap_single_attrs().
 * @addr: as for dma_unmap_single_attrs().
 * @size: as for dma_unmap_single_attrs().
 * @dir: as for dma_unmap_single_attrs().
 */
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir);
/**
 * dma_map_page() - dma_map_page_attrs() with no attributes.
 * @dev: as for dma_map_page_attrs().
 * @page: as for dma_map_page_attrs().
 * @offset: as for dma_map_page_attrs().
 * @size: as for dma_map_page_attrs().
 * @dir: as for dma_map_page_attrs().
 *
 * Return: the device address or DMA_MAPPING_ERROR.
 */
dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset,
			size_t size, enum dma_data_direction dir);
/**
 * dma_unmap_page() - dma_unmap_page_attrs() with no attributes.
 * @dev: as for dma_unmap_page_attrs().
 * @addr: as for dma_unmap_page_attrs().
 * @size: as for dma_unmap_page_attrs().
 * @dir: as for dma_unmap_page_attrs().
 */
void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir);
/**
 * dma_map_resource() - map MMIO of another device (no cache work, no
 * bounce), e.g. a FIFO register a DMA engine writes to.
 * @dev: the device that will do the DMA.
 * @phys_addr: the physical address of the MMIO; RAM is refused.
 * @size: bytes, at least 1.
 * @dir: the direction.
 * @attrs: accepted; nothing to do for MMIO.
 *
 * Return: the device address, or DMA_MAPPING_ERROR for the checks of
 * dma_map_page_attrs(), RAM (-EINVAL) or an address beyond the device's
 * reach (-EIO).
 */
dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr,
			    size_t size, enum dma_data_direction dir,
			    unsigned long attrs);
/**
 * dma_unmap_resource() - end a dma_map_resource() mapping.
 * @dev: the device that mapped it; NULL or dead does nothing.
 * @addr: the device address the map returned.
 * @size: the size mapped.
 * @dir: the direction mapped.
 * @attrs: accepted.
 */
void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs);
/**
 * dma_mapping_error() - whether a map call failed. The checker notes that
 * the driver asked (a mapping never checked is reported at unmap, as
 * Linux's "device driver failed to check map error").
 * @dev: the device that mapped it.
 * @dma_addr: what the map call returned.
 *
 * Return: 0 if @dma_addr is a valid mapping, -ENOMEM if it is
 * DMA_MAPPING_ERROR.
 */
int dma_mapping_error(struct device *dev, dma_addr_t dma_addr);

/**
 * dma_map_sg_attrs() - map every entry of a scatterlist for the device.
 * @dev: the device that will do the DMA.
 * @sg: the first entry; entries must be pages of RAM.
 * @nents: the number of entries to map.
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL.
 * @attrs: DMA_ATTR_* for every entry.
 *
 * dma_unmap_sg*() and dma_sync_sg_*() refuse the same lists with a "BUG:"
 * message and do nothing.
 *
 * Context: any; does not sleep.
 * Return: the number of DMA segments (sg_dma_address()/sg_dma_len() of
 * each entry set), or 0 on failure (all entries unmapped again,
 * dk_last_error() says which entry and why): also for a NULL list or a
 * @nents larger than the list has entries, which no entry is touched for.
 */
int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
		     enum dma_data_direction dir, unsigned long attrs);
/**
 * dma_unmap_sg_attrs() - end the mappings of dma_map_sg_attrs().
 * @dev: the device that mapped them.
 * @sg: the first entry.
 * @nents: the @nents given to the map (not the count it returned).
 * @dir: the direction mapped.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, ...
 */
void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs);
/**
 * dma_map_sg() - dma_map_sg_attrs() with no attributes.
 * @dev: as for dma_map_sg_attrs().
 * @sg: as for dma_map_sg_attrs().
 * @nents: as for dma_map_sg_attrs().
 * @dir: as for dma_map_sg_attrs().
 *
 * Return: the number of DMA segments, 0 on failure.
 */
int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir);
/**
 * dma_unmap_sg() - dma_unmap_sg_attrs() with no attributes.
 * @dev: as for dma_unmap_sg_attrs().
 * @sg: as for dma_unmap_sg_attrs().
 * @nents: as for dma_unmap_sg_attrs().
 * @dir: as for dma_unmap_sg_attrs().
 */
void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		  enum dma_data_direction dir);
/**
 * dma_map_sgtable() - map the orig_nents entries of @sgt for @dev and set
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
/**
 * dma_unmap_sgtable() - end the mappings of dma_map_sgtable() (all
 * orig_nents entries).
 * @dev: the device that mapped them.
 * @sgt: the table; NULL does nothing.
 * @dir: the direction mapped.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, ...
 */
void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt,
		       enum dma_data_direction dir, unsigned long attrs);

/*
 * ---- ownership transfers
 *
 * A sync of a NULL or dead device, size 0 or a bad direction is refused
 * with a message and does nothing; the checker reports a sync that no
 * mapping covers, or one in another direction than the mapping's.
 */

/**
 * dma_sync_single_for_cpu() - give the CPU a streaming mapping while it
 * stays mapped: invalidate for DMA_FROM_DEVICE and DMA_BIDIRECTIONAL,
 * copy back from a bounce.
 * @dev: the device that mapped it.
 * @addr: the device address of the bytes to sync.
 * @size: how many.
 * @dir: the direction mapped.
 */
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);
/**
 * dma_sync_single_for_device() - give a mapping back to the device after
 * dma_sync_single_for_cpu(): clean, copy into a bounce.
 * @dev: the device that mapped it.
 * @addr: the device address of the bytes to sync.
 * @size: how many.
 * @dir: the direction mapped.
 */
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir);
/**
 * dma_sync_single_range_for_cpu() - dma_sync_single_for_cpu() of @size
 * bytes at @offset into the mapping at @addr.
 * @dev: the device that mapped it.
 * @addr: the mapping's device address.
 * @offset: bytes into it.
 * @size: how many.
 * @dir: the direction mapped.
 */
void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir);
/**
 * dma_sync_single_range_for_device() - dma_sync_single_for_device() of
 * @size bytes at @offset into the mapping at @addr.
 * @dev: the device that mapped it.
 * @addr: the mapping's device address.
 * @offset: bytes into it.
 * @size: how many.
 * @dir: the direction mapped.
 */
void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
				      unsigned long offset, size_t size,
				      enum dma_data_direction dir);
/**
 * dma_sync_sg_for_cpu() - dma_sync_single_for_cpu() of every mapped entry.
 * @dev: the device that mapped them.
 * @sg: the first entry.
 * @nelems: the @nents given to dma_map_sg(); a NULL list or one shorter
 *          than that is refused with a "BUG:" line.
 * @dir: the direction mapped.
 */
void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg,
			 int nelems, enum dma_data_direction dir);
/**
 * dma_sync_sg_for_device() - dma_sync_single_for_device() of every mapped
 * entry.
 * @dev: the device that mapped them.
 * @sg: the first entry.
 * @nelems: as for dma_sync_sg_for_cpu().
 * @dir: the direction mapped.
 */
void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg,
			    int nelems, enum dma_data_direction dir);
/**
 * dma_sync_sgtable_for_cpu() - dma_sync_sg_for_cpu() of a table's
 * orig_nents entries.
 * @dev: the device that mapped it.
 * @sgt: the table; NULL is refused with a "BUG:" line (-EINVAL).
 * @dir: the direction mapped.
 */
void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt,
			      enum dma_data_direction dir);
/**
 * dma_sync_sgtable_for_device() - dma_sync_sg_for_device() of a table's
 * orig_nents entries.
 * @dev: the device that mapped it.
 * @sgt: the table; NULL is refused with a "BUG:" line (-EINVAL).
 * @dir: the direction mapped.
 */
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
/**
 * dma_unmap_addr() - read a member declared by DEFINE_DMA_UNMAP_ADDR().
 * @PTR: the driver's structure.
 * @ADDR_NAME: the member.
 *
 * Return: the dma_addr_t stored there.
 */
#define dma_unmap_addr(PTR, ADDR_NAME)		((PTR)->ADDR_NAME)
/**
 * dma_unmap_addr_set() - store a device address for the unmap.
 * @PTR: the driver's structure.
 * @ADDR_NAME: the member.
 * @VAL: the address.
 */
#define dma_unmap_addr_set(PTR, ADDR_NAME, VAL)	(((PTR)->ADDR_NAME) = (VAL))
/**
 * dma_unmap_len() - read a member declared by DEFINE_DMA_UNMAP_LEN().
 * @PTR: the driver's structure.
 * @LEN_NAME: the member.
 *
 * Return: the length stored there.
 */
#define dma_unmap_len(PTR, LEN_NAME)		((PTR)->LEN_NAME)
/**
 * dma_unmap_len_set() - store a mapping's length for the unmap.
 * @PTR: the driver's structure.
 * @LEN_NAME: the member.
 * @VAL: the length.
 */
#define dma_unmap_len_set(PTR, LEN_NAME, VAL)	(((PTR)->LEN_NAME) = (VAL))

/* ---- the two-step IOVA API (Linux 6.14) */

/*
 * struct dma_iova_state - one IOVA range a driver links pages into,
 * between dma_iova_try_alloc() and dma_iova_free(). Keep it until the
 * last unlink; read only addr.
 */
struct dma_iova_state {
	/** @addr: the DMA address of the range's first byte */
	dma_addr_t addr;
	/** @__size: its size, 0 when the API is not in use (private) */
	u64 __size;
};

/**
 * dma_use_iova() - whether dma_iova_try_alloc() gave @state a range.
 * @state: a state dma_iova_try_alloc() filled in.
 *
 * Return: true if the device maps through the IOVA range; false if the
 * driver must use the streaming API (dma_map_page() and friends).
 */
static inline bool dma_use_iova(struct dma_iova_state *state)
{
	return state->__size != 0;
}

/**
 * dma_iova_try_alloc() - reserve IOVA space for a transfer the driver
 * will link page by page, below the device's DMA mask.
 * @dev: the device.
 * @state: filled in; zeroed when the call fails.
 * @phys: where the first range to be linked starts: its offset in its
 *        IOMMU page is kept in @state->addr.
 * @size: bytes the range must hold.
 *
 * Context: any thread.
 * Return: true with @state->addr set; false when the device does not map
 * through an IOMMU (iommu-dma), for @size 0, or when the IOVA space below
 * the mask is exhausted (dk_last_error() says which).
 */
bool dma_iova_try_alloc(struct device *dev, struct dma_iova_state *state,
			phys_addr_t phys, size_t size);

/**
 * dma_iova_free() - give back an IOVA range whose pages are all unlinked.
 * @dev: the device.
 * @state: from dma_iova_try_alloc(); zeroed.
 */
void dma_iova_free(struct device *dev, struct dma_iova_state *state);

/**
 * dma_iova_link() - map RAM at @phys into the range at @offset, with the
 * cache maintenance of a streaming mapping for @dir (none with
 * DMA_ATTR_SKIP_CPU_SYNC). Every range but the first starts on an IOMMU
 * page (dma_get_merge_boundary() + 1), every range but the last ends on
 * one. An untrusted device's range that leaves part of its pages to other
 * memory is bounced through swiotlb. The checker tracks each linked range
 * as a mapping of its own.
 * @dev: the device.
 * @state: from dma_iova_try_alloc().
 * @phys: the RAM.
 * @offset: bytes into the range.
 * @size: bytes.
 * @dir: the direction.
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC or 0.
 *
 * The device may not use the range until dma_iova_sync().
 *
 * Return: 0; -EINVAL for bad arguments (outside the range, misaligned,
 * not RAM, a state not in use); -EIO when bouncing fails; -EEXIST when
 * the place is linked already; -ENOMEM.
 */
int dma_iova_link(struct device *dev, struct dma_iova_state *state,
		  phys_addr_t phys, size_t offset, size_t size,
		  enum dma_data_direction dir, unsigned long attrs);

/**
 * dma_iova_sync() - make what dma_iova_link() mapped in [@offset,
 * +@size) visible to the device (the IOMMU's page-table walk).
 * @dev: the device.
 * @state: from dma_iova_try_alloc().
 * @offset: bytes into the range.
 * @size: bytes.
 *
 * Return: 0, or -EINVAL for a state not in use or a span outside it.
 */
int dma_iova_sync(struct device *dev, struct dma_iova_state *state,
		  size_t offset, size_t size);

/**
 * dma_iova_unlink() - unmap a range dma_iova_link() mapped, with the
 * IOTLB invalidated before it returns, and the cache maintenance for the
 * CPU; the IOVA stays reserved.
 * @dev: the device.
 * @state: from dma_iova_try_alloc().
 * @offset: as linked.
 * @size: as linked.
 * @dir: as linked.
 * @attrs: as linked.
 */
void dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
		     size_t offset, size_t size, enum dma_data_direction dir,
		     unsigned long attrs);

/**
 * dma_iova_destroy() - unlink [0, @mapped_len) and free the range, for a
 * transfer linked in one piece after another from the start.
 * @dev: the device.
 * @state: from dma_iova_try_alloc(); zeroed.
 * @mapped_len: bytes linked from offset 0; 0 frees only.
 * @dir: as linked.
 * @attrs: as linked.
 */
void dma_iova_destroy(struct device *dev, struct dma_iova_state *state,
		      size_t mapped_len, enum dma_data_direction dir,
		      unsigned long attrs);

/* ---- dmakit helpers */

/**
 * phys_to_dma() - the bus address at which the device sees a CPU physical
 * address, through its dma-ranges (no IOMMU, no bounce).
 * @dev: a device, or NULL for an identity translation.
 * @pa: the physical address.
 *
 * Return: the bus address; @pa itself for NULL or a device without
 * dma-ranges; DMA_MAPPING_ERROR if no range covers @pa.
 */
dma_addr_t phys_to_dma(struct device *dev, phys_addr_t pa);
/**
 * dma_to_phys() - the CPU physical address behind a device address:
 * through the device's IOMMU domain if it has one, else its dma-ranges.
 * @dev: a device, or NULL for an identity translation.
 * @addr: the device address.
 *
 * Return: the physical address; @addr itself for NULL or a device without
 * dma-ranges or IOMMU; all ones if nothing translates @addr.
 */
phys_addr_t dma_to_phys(struct device *dev, dma_addr_t addr);

/* swiotlb statistics of the current machine, for tests and reports. */
struct dk_swiotlb_stats {
	unsigned long total_slots;
	unsigned long used_slots;
	unsigned long max_used_slots;
	unsigned long bounced_maps;
	phys_addr_t start, end;
};
/**
 * dk_swiotlb_stats() - a snapshot of the machine's swiotlb: slots, the
 * most ever used at once, bounced mappings, where it lies.
 * @m: a live machine.
 * @st: filled in.
 *
 * Return: 0; -EINVAL for a machine that is not live; -ENODEV when the
 * machine has no swiotlb, or @st is NULL.
 */
int dk_swiotlb_stats(struct dk_machine *m, struct dk_swiotlb_stats *st);

#ifdef __cplusplus
}
#endif

#endif
