/* SPDX-License-Identifier: MIT */
/*
 * Platform operations: the seam between dmakit's DMA API layers and the
 * machine. The mapping core, its backends and the allocators reach memory
 * and caches only through these, so they run unchanged on the simulated SoC
 * (dk_platform_sim()) and on a Linux host through VFIO (dk_platform_host()).
 *
 * All ops are thread-safe. Physical ranges given to cache ops must lie in
 * RAM the platform reported; partial lines are handled as the platform's
 * edge policy says (see enum dk_edge_policy).
 */
#ifndef DMAKIT_PLATFORM_H
#define DMAKIT_PLATFORM_H

#include <dmakit/sim_memory.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What the firmware (the device tree) tells the OS about a device: what
 * Linux's of_dma_configure() reads. Hardware truths the OS cannot know
 * (wired address bits, real coherence) are not here.
 */
struct dk_fault;

struct dk_platform_dev {
	const char *name;		/* node path */
	/* compatible strings, most specific first, each NUL-terminated,
	 * the list ending with an empty string */
	const char *compatible;
	int irq;			/* -1 if none */
	phys_addr_t reg;
	u64 reg_size;
	bool coherent;			/* dma-coherent */
	int n_dma_ranges;
	const struct dk_dma_range *dma_ranges;
	const char *iommu;		/* NULL if none */
	u32 iommu_stream;		/* first "iommus" argument, or 0 */
	int memory_region;		/* index for ->rmem(), or -1 */
	int n_dmas;			/* "dmas" / "dma-names" */
	const struct dk_dma_spec *dmas;
	bool untrusted;			/* may not see others' bytes */
};

/* What a DMA observer hears of, in the order it happened. */
enum dk_dma_event_type {
	DK_EV_DEVICE_READ,	/* the device read [pa, pa + len) */
	DK_EV_DEVICE_WRITE,	/* the device wrote it */
	/*
	 * During that access the cache wrote CPU-dirty lines [pa, pa + len)
	 * back to DRAM on its own (an eviction the policy chose): the only
	 * trace of CPU stores the write-back itself makes invisible.
	 */
	DK_EV_WRITEBACK,
	/*
	 * During that access the cache refilled clean lines [pa, pa + len)
	 * from DRAM on its own (a speculative fill the policy chose), and
	 * what the CPU reads there changed. Fills that change nothing are
	 * not reported.
	 */
	DK_EV_FILL,
	/*
	 * The device read lines [pa, pa + len) that CPU stores through a
	 * bufferable (Normal non-cacheable or write-combine) mapping changed
	 * since the last write barrier: the stores may still sit in the CPU's
	 * write buffer. The policy decided what the device got (the stores
	 * under never, DRAM without them under adversarial).
	 */
	DK_EV_WRITE_BUFFERED,
	/*
	 * The device read lines [pa, pa + len) that a vmap or vmalloc
	 * mapping holds dirty in lines of its own (an aliasing, virtually
	 * indexed cache): DRAM lacks the CPU's stores, flush_kernel_vmap_range
	 * was not called. The device got DRAM.
	 */
	DK_EV_VMAP_DIRTY,
	/*
	 * The device read bytes [pa, pa + len) that it wrote after an
	 * earlier write of its own to bufferable memory and that the CPU
	 * has changed since, with no read barrier (nor interrupt) after the
	 * device's writes: the CPU acted on the later write, and its loads
	 * of the earlier one may have been satisfied first. Reported under
	 * every policy; adversarial and random also gave the CPU the old
	 * bytes of the earlier write.
	 */
	DK_EV_LOADS_UNORDERED,
};

struct dk_dma_event {
	enum dk_dma_event_type type;
	const char *device;	/* node path of the device that accessed */
	phys_addr_t pa;		/* CPU physical range */
	size_t len;
	bool hw_coherent;	/* the device snoops the CPU cache (hardware truth) */
};

typedef void (*dk_dma_observer_fn)(void *arg, const struct dk_dma_event *ev);

/* Why an IOMMU refused an access. */
enum dk_iommu_fault_reason {
	DK_IOMMU_FAULT_TRANSLATION,	/* no valid entry for the address */
	DK_IOMMU_FAULT_PERMISSION,	/* the entry forbids the access */
	DK_IOMMU_FAULT_ADDRESS_SIZE,	/* beyond the input address size */
};

/* An IOMMU fault as the hardware reports it. */
struct dk_iommu_fault {
	const char *device;		/* node path of the master */
	u32 stream;			/* its stream ID */
	u64 iova;			/* the address the IOMMU was given */
	bool write;
	enum dk_iommu_fault_reason reason;
};

/*
 * A one-shot timer on the platform's clock (see timer_add): @fn(@arg)
 * runs once the clock has passed the deadline. The caller owns it.
 */
struct dk_timer {
	void (*fn)(void *arg);
	void *arg;
};

struct dk_platform_ops {
	const char *name;
	/* Whether @ctx may still be used (a simulated SoC not yet freed);
	 * NULL: always. dk_machine_boot() refuses a dead platform. */
	bool (*live)(void *ctx);

	/* Devices the firmware describes: @i from 0; -ENOENT past end. */
	int (*device)(void *ctx, int i, struct dk_platform_dev *out);
	/* Reserved memory regions: @i from 0; -ENOENT past end. */
	int (*rmem)(void *ctx, int i, struct dk_rmem *out);

	/* RAM the platform gives to DMA users: @i from 0; -ENOENT past end. */
	int (*ram_range)(void *ctx, int i, phys_addr_t *base, u64 *size);
	/* Cacheable CPU pointer of RAM at @pa; NULL if not RAM. */
	void *(*phys_to_virt)(void *ctx, phys_addr_t pa);
	/* Physical address of any CPU pointer the platform handed out. */
	int (*virt_to_phys)(void *ctx, const void *va, phys_addr_t *pa);
	/*
	 * Allocate @npages contiguous host-page-sized pages, aligned to
	 * @align pages (a power of two), wholly inside [@min, @max].
	 * Returns 0 and *@pa, -EINVAL for bad arguments, -ENOMEM if no such
	 * run is free.
	 */
	int (*alloc_pages)(void *ctx, size_t npages, size_t align,
			   phys_addr_t min, phys_addr_t max, phys_addr_t *pa);
	/* Free pages from alloc_pages; -EINVAL if they were not allocated. */
	int (*free_pages)(void *ctx, phys_addr_t pa, size_t npages);

	/* Cache geometry. */
	u32 (*cache_line_size)(void *ctx);
	u32 (*writeback_granule)(void *ctx);
	u32 (*dma_minalign)(void *ctx);

	/* Cache maintenance; 0 or -EINVAL (range not RAM / overflow). */
	int (*cache_clean)(void *ctx, phys_addr_t pa, size_t size);
	int (*cache_inval)(void *ctx, phys_addr_t pa, size_t size);
	int (*cache_clean_inval)(void *ctx, phys_addr_t pa, size_t size);

	/*
	 * Store @size bytes from @src (zeroes if NULL) at @pa so that both
	 * the CPU and every device see them, whatever the cache held, and
	 * no line of the range is left dirty (as after a clean+invalidate):
	 * what the library's own stores to DMA memory need. 0 or -EINVAL.
	 */
	int (*mem_store)(void *ctx, phys_addr_t pa, const void *src,
			 size_t size);
	/* Optional: the DMA maintenance the platform's CPU needs
	 * (DK_MAINT_ARM64 or DK_MAINT_ARM32); NULL: arm64. */
	enum dk_dma_maint (*dma_maint)(void *ctx);

	/* Second mapping of pages (uncached, write-combine or cached). */
	void *(*map_alias)(void *ctx, phys_addr_t pa, size_t size,
			   enum dk_alias_type type);
	int (*unmap_alias)(void *ctx, void *va);
	/*
	 * Optional: a file descriptor another process can mmap() at *@off to
	 * see [@pa, @pa + size) as an alias of @type would. The caller
	 * closes it. 0 or -errno.
	 */
	int (*export_fd)(void *ctx, phys_addr_t pa, enum dk_alias_type type,
			 int *fd, u64 *off);
	/*
	 * Map @n pages, each at its own physical address, at one virtually
	 * contiguous address (vmalloc/vmap). Undo with unmap_alias().
	 */
	void *(*vmap)(void *ctx, const phys_addr_t *pages, size_t n,
		      enum dk_alias_type type);

	/*
	 * Optional: whether the CPU cache holds the line of @pa dirty. Only
	 * a simulator knows; the checker uses it to catch CPU writes into
	 * device-owned buffers. NULL on real hardware.
	 */
	bool (*cache_line_dirty)(void *ctx, phys_addr_t pa);
	/*
	 * Optional: what the cache holds for the @nlines lines from the one
	 * holding @pa, one byte of DK_LINE_* bits per line into @out (see
	 * dk_sim_line_states()). 0 or -EINVAL. NULL on real hardware; the
	 * tracer draws its pictures from it.
	 */
	int (*cache_line_states)(void *ctx, phys_addr_t pa, size_t nlines,
				 u8 *out);
	/* Optional: the platform's clock (the simulator's cycles). */
	u64 (*clock)(void *ctx);
	/*
	 * Optional: the @i-th interconnect fault from 0 into *@out; -ENOENT
	 * past the last one.
	 */
	int (*fault)(void *ctx, size_t i, struct dk_fault *out);
	/*
	 * Optional, with cache_line_dirty: the first dirty line of
	 * [@pa, @pa + @size) in *@line; 0, or -ENOENT if none is. Lets the
	 * checker look at a whole buffer at once.
	 */
	int (*cache_first_dirty)(void *ctx, phys_addr_t pa, size_t size,
				 phys_addr_t *line);
	/*
	 * Optional: have @fn called after every device access with what
	 * happened, one event per physical piece of the access and per run
	 * of lines the cache wrote back meanwhile (the checker's view of the
	 * device side). Called without the platform's locks held. NULL @fn
	 * removes it.
	 */
	void (*set_dma_observer)(void *ctx, dk_dma_observer_fn fn, void *arg);
	/*
	 * Optional: whether the observer also hears of speculative fills
	 * (DK_EV_FILL). Off by default: finding the fills that change
	 * something costs a compare per line of every device write.
	 */
	void (*observe_fills)(void *ctx, bool on);

	/*
	 * Optional IOMMU hardware, per device (its "iommus" stream): switch
	 * translation on or off, map pages (prot: the IOMMU_* flags), unmap
	 * them (returns bytes unmapped). 0 or -errno as
	 * <dmakit/sim_iommu.h> documents for the simulator. Unmapping need
	 * not reach the IOTLB: iommu_tlb_inval does.
	 */
	int (*iommu_enable)(void *ctx, const char *device, bool on);
	int (*iommu_map)(void *ctx, const char *device, u64 iova,
			 phys_addr_t pa, u64 size, int prot);
	u64 (*iommu_unmap)(void *ctx, const char *device, u64 iova, u64 size);
	/*
	 * Optional: the @i-th range [*@start, *@end] of IOVAs the IOMMU of
	 * @device accepts, from 0, ascending; -ENOENT past the last. NULL:
	 * all of DK_IOMMU_INPUT_BITS. iommu-dma allocates only inside them.
	 */
	int (*iommu_range)(void *ctx, const char *device, int i, u64 *start,
			   u64 *end);
	/*
	 * Optional, a mapping cache: RAM the platform wants mapped for
	 * @device once and for good (its pinned memory), so that iommu-dma
	 * serves streaming and coherent maps of it from that one mapping
	 * with no IOMMU call. For @pa: 0, the region [*@base, *@base +
	 * *@size) holding it and *@iova where it is mapped for @device
	 * (~0, i.e. DMA_MAPPING_ERROR: not yet); -ENOENT if @pa is in no
	 * region.
	 */
	int (*iommu_cache_find)(void *ctx, const char *device, phys_addr_t pa,
				phys_addr_t *base, u64 *size, u64 *iova);
	/* Record where iommu-dma mapped the region at @base for @device. */
	int (*iommu_cache_set)(void *ctx, const char *device, phys_addr_t base,
			       u64 iova);
	/*
	 * Optional, with iommu_cache_find: a map served from the region at
	 * @base, mapped at @iova, begins (@get) or ends (its unmap). 0;
	 * -ENOENT if no such region is cached any more; -ESTALE (@get) if
	 * the region no longer holds the memory it was made for (program
	 * memory unmapped and mapped anew at its address): iommu-dma then
	 * evicts it and maps the buffer the ordinary way.
	 */
	int (*iommu_cache_use)(void *ctx, const char *device, phys_addr_t base,
			       u64 iova, bool get);
	/*
	 * Optional: take a region no map uses out of the mapping cache (a
	 * stale one first, else the least recently used), so iommu-dma can
	 * unmap it and free its IOVAs when the IOMMU hardware has no room
	 * left (iommu_map() -ENOSPC: VFIO type1's entry limit). 0 with it in
	 * *@base, *@size, *@iova; -ENOENT (no message) if every one is used.
	 */
	int (*iommu_cache_evict)(void *ctx, const char *device,
				 phys_addr_t *base, u64 *size, u64 *iova);
	/*
	 * Optional, with iommu_cache_find: whether the region at @base,
	 * mapped at @iova, stays mapped for as long as @device's domain is
	 * attached (never evicted, so its uses need no count): 0, and
	 * *@hits is the platform's count of maps served from it, to which
	 * iommu-dma then adds the maps it serves from the region itself,
	 * with no call (GCC's __atomic builtins, relaxed); -ENOENT (no
	 * message) for a region that may go.
	 */
	int (*iommu_cache_pinned)(void *ctx, const char *device,
				  phys_addr_t base, u64 iova,
				  unsigned long **hits);
	/* Optional: drop the device's IOTLB entries over [iova, iova +
	 * size), every one of its stream for size 0. NULL: the platform
	 * invalidates as it unmaps. */
	void (*iommu_tlb_inval)(void *ctx, const char *device, u64 iova,
				u64 size);
	/*
	 * Optional, the same hardware reached through a handle instead of
	 * a device name, so a map or unmap costs no look-up and no check of
	 * what the caller already holds: iommu_hw gives @device's handle
	 * (NULL with a message if it is behind no IOMMU), valid while the
	 * platform lives. iommu_map_hw is iommu_map; iommu_unmap_hw is
	 * iommu_unmap followed, when @inval, by iommu_tlb_inval of
	 * [@iova, @iova + @size), as one call. All three or none.
	 */
	void *(*iommu_hw)(void *ctx, const char *device);
	int (*iommu_map_hw)(void *ctx, void *hw, u64 iova, phys_addr_t pa,
			    u64 size, int prot);
	u64 (*iommu_unmap_hw)(void *ctx, void *hw, u64 iova, u64 size,
			      bool inval);
	/*
	 * Optional, page tables a domain owns, as Linux's io-pgtable, for
	 * hardware whose tables software can walk: iommu_pt_new makes empty
	 * ones for the IOMMU of @device (NULL with a message); they are
	 * mapped, unmapped (the bytes unmapped; with @inval their IOTLB
	 * entries of the range dropped too), invalidated (every entry for
	 * @size 0) and looked up (0 and *@pa, or -ENOENT) whether or not a
	 * device is attached, and iommu_pt_attach makes the device of handle
	 * @hw (iommu_hw) walk @pt (NULL: none). Every device on them sees
	 * one map, one unmap, one invalidation: the IOMMU API then keeps no
	 * copy of the mappings and programs no device one by one. 0 or
	 * -errno as iommu_map. All or none, and only with the handle ops.
	 */
	void *(*iommu_pt_new)(void *ctx, const char *device);
	void (*iommu_pt_free)(void *ctx, void *pt);
	int (*iommu_pt_map)(void *ctx, void *pt, u64 iova, phys_addr_t pa,
			    u64 size, int prot);
	u64 (*iommu_pt_unmap)(void *ctx, void *pt, u64 iova, u64 size,
			      bool inval);
	void (*iommu_pt_inval)(void *ctx, void *pt, u64 iova, u64 size);
	int (*iommu_pt_lookup)(void *ctx, void *pt, u64 iova, phys_addr_t *pa);
	int (*iommu_pt_attach)(void *ctx, void *hw, void *pt);
	/* Optional: the IOMMU's input address bits and page sizes for the
	 * device; 0 or -errno. NULL: 48 bits, 4 KiB pages. */
	int (*iommu_info)(void *ctx, const char *device, unsigned int *bits,
			  unsigned long *pgsizes);
	/* Optional: hear of IOMMU faults (after the access was refused). */
	void (*set_iommu_fault_handler)(void *ctx,
					void (*fn)(void *arg,
						   const struct dk_iommu_fault *f),
					void *arg);

	/*
	 * Optional: the CPU waits a moment, and devices get on with their
	 * work (the simulator runs its next event). Returns true if anything
	 * could happen, false if nothing is pending and waiting is futile.
	 */
	bool (*cpu_idle)(void *ctx);
	/*
	 * Optional: route interrupt line @irq to @fn(@irq, @arg); NULL @fn
	 * releases it. 0, -EINVAL or -EBUSY.
	 */
	int (*set_irq_handler)(void *ctx, int irq,
			       void (*fn)(int irq, void *arg), void *arg);

	/* 32-bit device register access at CPU physical @pa. */
	u32 (*mmio_read32)(void *ctx, phys_addr_t pa);
	int (*mmio_write32)(void *ctx, phys_addr_t pa, u32 val);

	/*
	 * Optional: the flattened device tree that describes the platform,
	 * valid while it lives, for property lookups (<linux/of.h>); NULL
	 * if there is none.
	 */
	const void *(*fdt)(void *ctx);
	/*
	 * Optional: the CPU waits up to @cycles of the platform's clock
	 * while devices get on with their work, and stops early once
	 * @done(@arg) is true (asked before the wait and after every event;
	 * NULL @done: wait the whole time). Returns what @done last said
	 * (true for NULL @done). Without it, waits take real time.
	 */
	bool (*cpu_wait)(void *ctx, u64 cycles, bool (*done)(void *arg),
			 void *arg);
	/*
	 * Optional, with clock: arm @t to run once @cycles of the clock have
	 * passed; the simulator runs it from its event loop (a CPU wait,
	 * dk_soc_run()), on the loop's thread in threaded mode. 0 or
	 * negative errno. timer_cancel withdraws it: true if it was pending
	 * and will not run, false if it has run or is running.
	 */
	int (*timer_add)(void *ctx, u64 cycles, struct dk_timer *t);
	bool (*timer_cancel)(void *ctx, struct dk_timer *t);
	/*
	 * Optional: a write barrier - every CPU store still in the write
	 * buffer reaches memory before any later access (wmb(), dma_wmb(),
	 * mb(), the barrier inside writel()).
	 */
	void (*drain_writes)(void *ctx);
	/*
	 * Optional: on a virtually indexed (aliasing) cache, maintain the
	 * lines of the vmap range [@va, @va + @size) itself: @flush writes
	 * dirty ones back to memory and drops them (flush_kernel_vmap_range),
	 * else they are dropped (invalidate_kernel_vmap_range). 1 if @va is
	 * such a mapping, 0 if its lines are the linear map's (maintain by
	 * physical address), negative errno.
	 */
	int (*vmap_sync)(void *ctx, const void *va, size_t size, bool flush);
	/*
	 * Optional: whether [@va, @va + @size) is memory the program owns
	 * that the platform did not hand out but maps for DMA on demand
	 * (a host's malloc, mmap, hugepages; never a stack), and *@pa, its
	 * physical address: one that phys_to_virt, the cache operations,
	 * mem_store and iommu_map accept, outside every ram_range. 0 or
	 * -EINVAL. Only a device behind iommu-dma maps such memory. NULL:
	 * only RAM is DMA memory (the simulator).
	 */
	int (*user_to_phys)(void *ctx, const void *va, size_t size,
			    phys_addr_t *pa);
	/*
	 * Optional: page @va of a cached vmap shows RAM page @pa from now
	 * on (page migration; the caller copied the bytes). 0, -EINVAL,
	 * -EOPNOTSUPP for a mapping whose bytes cannot move, -ENOMEM.
	 * NULL: no page ever moves.
	 */
	int (*vmap_remap)(void *ctx, void *va, phys_addr_t pa);
	/*
	 * Optional: a read barrier - no later CPU load is satisfied before
	 * an earlier one (rmb(), dma_rmb(), mb(), the barrier inside
	 * readl()): device writes the platform held back from the CPU's
	 * loads are seen from now on.
	 */
	void (*order_loads)(void *ctx);
	/*
	 * Optional: [@pa, @pa + @size) (whole pages) is cacheable memory a
	 * coherent master reads by snooping (dma_alloc_coherent() for a
	 * coherent device), whose CPU stores may wait in the store buffer
	 * until a write barrier (@on), or is no longer (its free). 0 or
	 * -errno. NULL: stores to cacheable memory are never held.
	 */
	int (*store_buffer)(void *ctx, phys_addr_t pa, size_t size, bool on);
};

struct dk_platform {
	const struct dk_platform_ops *ops;
	void *ctx;
};

/**
 * dk_platform_sim() - platform ops backed by a simulated SoC. Pages that
 * reserved-memory regions cover are never handed out by alloc_pages.
 * @soc: the SoC; the platform lives as long as it does.
 * @out: filled in with the ops and @soc as their context.
 *
 * Return: 0 or -EINVAL (NULL arguments or a SoC that is not live).
 */
int dk_platform_sim(struct dk_soc *soc, struct dk_platform *out);

/* Host page size the platform allocates in (4096 on every target). */
#define DK_PAGE_SIZE 4096UL
#define DK_PAGE_SHIFT 12

#ifdef __cplusplus
}
#endif

#endif
