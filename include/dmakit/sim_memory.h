/* SPDX-License-Identifier: MIT */
/*
 * The simulated SoC's memory as the CPU sees it, and the cache between.
 *
 * Every RAM byte exists twice: in the CPU's write-back cache view (what an
 * ordinary pointer from dk_sim_cpu_ptr() reads and writes) and in DRAM (what
 * non-coherent devices see, and what the uncached alias points at). A line
 * is dirty when the CPU view differs from the copy kept when the line was
 * last filled or cleaned. The exact rules are in DESIGN.md; these functions
 * are them.
 */
#ifndef DMAKIT_SIM_MEMORY_H
#define DMAKIT_SIM_MEMORY_H

#include <dmakit/soc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dk_sim_cpu_ptr() - the cacheable CPU view of a physical address.
 * @soc: the SoC.
 * @pa: an address in RAM.
 *
 * Return: the pointer, valid for the rest of its RAM bank until
 * dk_soc_free(); NULL (with a message) if @pa is not RAM.
 */
void *dk_sim_cpu_ptr(struct dk_soc *soc, phys_addr_t pa);

/**
 * dk_sim_dram_ptr() - DRAM itself at a physical address: what an uncached
 * mapping of the page reads and writes.
 * @soc: the SoC.
 * @pa: an address in RAM.
 *
 * Return: the pointer, valid for the rest of its bank; NULL if @pa is not
 * RAM.
 */
void *dk_sim_dram_ptr(struct dk_soc *soc, phys_addr_t pa);

/**
 * dk_sim_virt_to_phys() - the physical address of a pointer into any CPU
 * view: cacheable, DRAM, or a mapping made by dk_sim_map_alias().
 * @soc: the SoC.
 * @p: the pointer.
 * @pa: set to the address on success.
 *
 * Return: 0, or -EFAULT if @p points into none of them.
 */
int dk_sim_virt_to_phys(struct dk_soc *soc, const void *p, phys_addr_t *pa);

/**
 * dk_sim_is_cacheable() - whether a pointer is into the cacheable view.
 * @soc: the SoC.
 * @p: the pointer.
 *
 * Return: true for the cacheable view, false for aliases, DRAM and
 * anything else.
 */
bool dk_sim_is_cacheable(struct dk_soc *soc, const void *p);

enum dk_alias_type {
	/* no cache: strongly ordered (barebox's coherent memory), or
	 * Normal non-cacheable and bufferable (arm64 Linux's) when the
	 * SoC's /dmakit coherent-mapping is "normal-nc" */
	DK_ALIAS_UNCACHED,
	DK_ALIAS_WRITE_COMBINE,	/* uncached, bufferable */
	DK_ALIAS_CACHED,	/* a second cacheable view (e.g. vmap) */
};

/**
 * dk_sim_map_alias() - map pages a second time at a new virtual address,
 * the way a kernel builds an uncached or write-combine alias or a user
 * mapping of DMA memory. Uncached and write-combine aliases share DRAM
 * with devices; a cached alias shares the CPU cache view.
 * @soc: the SoC.
 * @pa: the first page, a multiple of the host page size.
 * @size: bytes, a multiple of the host page size, inside @pa's bank.
 * @type: the kind of alias.
 *
 * Return: the address (undo with dk_sim_unmap_alias()) or NULL
 * (-EINVAL/-ENOMEM in dk_last_error()).
 */
void *dk_sim_map_alias(struct dk_soc *soc, phys_addr_t pa, size_t size,
		       enum dk_alias_type type);

/**
 * dk_sim_export_fd() - a new descriptor of the memfd behind a physical
 * address (DRAM for uncached/write-combine, the CPU view for cached), so
 * another process can map the same pages.
 * @soc: the SoC.
 * @pa: an address in RAM.
 * @type: the view wanted.
 * @fd: set to the descriptor; the caller closes it.
 * @off: set to the offset of @pa in it.
 *
 * Return: 0 or -EINVAL/-EMFILE.
 */
int dk_sim_export_fd(struct dk_soc *soc, phys_addr_t pa,
		     enum dk_alias_type type, int *fd, u64 *off);

/**
 * dk_sim_vmap() - map RAM pages, each given by its page-aligned physical
 * address, at one virtually contiguous address (what vmalloc and vmap
 * build).
 * @soc: the SoC.
 * @pages: @n page-aligned physical addresses.
 * @n: how many, at least 1.
 * @type: the kind of mapping.
 *
 * Return: the address (undo with dk_sim_unmap_alias()) or NULL
 * (-EINVAL/-ENOMEM).
 */
void *dk_sim_vmap(struct dk_soc *soc, const phys_addr_t *pages, size_t n,
		  enum dk_alias_type type);

/**
 * dk_sim_vmap_remap() - make one page of a dk_sim_vmap() mapping show
 * another physical page, as page migration moves a user page: the
 * caller copies the bytes first.
 * @soc: the SoC.
 * @va: the page's address in the mapping, page aligned.
 * @pa: the new page, a page-aligned RAM address.
 *
 * Context: any thread; another thread using the page meanwhile sees
 * either page.
 * Return: 0; -EINVAL (@va in no vmap, or not page addresses);
 * -EOPNOTSUPP for a mapping that is not cached or has lines of its own
 * (an aliasing cache), whose bytes cannot move with the page; -ENOMEM.
 */
int dk_sim_vmap_remap(struct dk_soc *soc, void *va, phys_addr_t pa);

/**
 * dk_sim_unmap_alias() - undo dk_sim_map_alias() or dk_sim_vmap().
 * @soc: the SoC.
 * @va: the address they returned.
 *
 * Return: 0 or -EINVAL (not such an address).
 */
int dk_sim_unmap_alias(struct dk_soc *soc, void *va);

/*
 * Cache maintenance by physical range. Lines are whole: a range that covers
 * part of a line maintains the whole line, except that dk_sim_cache_inval()
 * treats partial edge lines per the SoC's edge policy.
 */
/**
 * dk_sim_cache_clean() - write the range's dirty lines back to DRAM.
 * @soc: the SoC.
 * @pa: the first byte.
 * @size: bytes.
 *
 * Return: 0 or -EINVAL when the range is not inside one RAM bank or
 * overflows.
 */
int dk_sim_cache_clean(struct dk_soc *soc, phys_addr_t pa, size_t size);
/**
 * dk_sim_cache_inval() - drop the range's lines (dirty data is lost), so
 * the CPU reads DRAM; partial edge lines per the SoC's edge policy.
 * @soc: the SoC.
 * @pa: the first byte.
 * @size: bytes.
 *
 * Return: 0 or -EINVAL as dk_sim_cache_clean().
 */
int dk_sim_cache_inval(struct dk_soc *soc, phys_addr_t pa, size_t size);
/**
 * dk_sim_cache_clean_inval() - clean, then invalidate the range's lines.
 * @soc: the SoC.
 * @pa: the first byte.
 * @size: bytes.
 *
 * Return: 0 or -EINVAL as dk_sim_cache_clean().
 */
int dk_sim_cache_clean_inval(struct dk_soc *soc, phys_addr_t pa, size_t size);

/*
 * What the hardware may do on its own, made explicit for tests and for the
 * policies: evict = write back dirty lines (a clean line is dropped, so the
 * next CPU access sees DRAM); speculate = refill clean lines from DRAM
 * (dirty lines are left alone).
 */
/**
 * dk_sim_cache_evict() - evict the range's lines as the hardware may.
 * @soc: the SoC.
 * @pa: the first byte.
 * @size: bytes.
 *
 * Return: 0 or -EINVAL as dk_sim_cache_clean().
 */
int dk_sim_cache_evict(struct dk_soc *soc, phys_addr_t pa, size_t size);
/**
 * dk_sim_cache_speculate() - refill the range's clean lines from DRAM as
 * a speculative fill would.
 * @soc: the SoC.
 * @pa: the first byte.
 * @size: bytes.
 *
 * Return: 0 or -EINVAL as dk_sim_cache_clean().
 */
int dk_sim_cache_speculate(struct dk_soc *soc, phys_addr_t pa, size_t size);

/**
 * dk_sim_store() - store @size bytes from @src (zeroes if @src is NULL) at
 * @pa where a CPU store followed by a clean would leave them: the CPU
 * view, DRAM and the last-filled copy all hold them afterwards, and the
 * lines are clean. The model finds dirty lines by comparing the CPU view
 * with the last-filled copy, so a plain store of the value a stale line
 * already holds would be invisible (docs/cache-model.md); code that
 * must change what devices see (zeroing DMA memory, bounce buffers) uses
 * this. Not checked against the poisoning.
 * @soc: the SoC.
 * @pa: the first byte.
 * @src: the bytes, or NULL for zeroes.
 * @size: how many.
 *
 * Return: 0 or -EINVAL when the range is empty, overflows or is not
 * inside one RAM bank.
 */
int dk_sim_store(struct dk_soc *soc, phys_addr_t pa, const void *src,
		 size_t size);

/**
 * dk_sim_track_stores() - let write barriers find the CPU's stores by
 * write-protecting pages instead of copying every bufferable page.
 * @soc: the SoC.
 * @on: true to allow it; false, the default, to copy.
 *
 * A barrier copies every live bufferable page of the alias windows,
 * about 0.1 us a page, so with thousands of coherent allocations live
 * dma_wmb() costs milliseconds. Allowed, once 128 or more such pages are
 * live, a barrier write-protects them on the host and copies only those
 * the CPU stored to since the last one (the first store to a page after
 * a barrier faults once, some 16 us on a small guest); under 64 pages it
 * copies again. What devices read is the same, within limits that make
 * it an option: a host system call writing into a write-protected page
 * (read(2) into coherent memory) fails with EFAULT; a store the model
 * does not see (through a strongly-ordered alias of the same pages,
 * dk_sim_dram_ptr(), another process sharing the pages) stays pending
 * until the CPU's next store to that page and a barrier after it.
 *
 * The first call with @on installs the library's SIGSEGV handler (faults
 * not on a tracked page go on to the handler before it); a program that
 * never calls it keeps its own disposition.
 *
 * Context: takes the SoC's lock; takes effect at the next barrier.
 * Return: 0, -EINVAL for a SoC not live, -EOPNOTSUPP for @on under
 * Valgrind (barriers copy there), or sigaction()'s -errno.
 */
int dk_sim_track_stores(struct dk_soc *soc, bool on);

/**
 * dk_sim_drain_writes() - a write barrier: every CPU store still in the
 * write buffer in front of bufferable memory (write-combine aliases, and
 * uncached ones on a SoC whose coherent-mapping is "normal-nc")
 * reaches DRAM, where devices see it. Until then a device read of a line
 * holding such stores gets what the policy says: the stores under never,
 * DRAM without them under adversarial, either per line under random
 * (docs/cache-model.md). wmb(), dma_wmb(), mb(), dma_mb() and writel()
 * call it through the platform.
 * @soc: the SoC.
 *
 * Context: takes the SoC's lock when a bufferable mapping exists.
 * Return: 0, or -EINVAL for a SoC not live.
 */
int dk_sim_drain_writes(struct dk_soc *soc);

/**
 * dk_sim_store_buffer() - put cacheable memory behind the store buffer in
 * front of the cache, or take it out. On a SoC whose /dmakit has
 * cacheable-store-buffer, CPU stores to pages registered here reach the
 * cache, where a coherent (snooping) master reads them, only at the next
 * write barrier (dk_sim_drain_writes()); until then a snooping read of a
 * line holding such stores gets what the policy says, as for bufferable
 * memory: the stores under never, the cache as of the last barrier under
 * adversarial, either per line under random, and the observer hears
 * DK_EV_WRITE_BUFFERED each time. dma_alloc_coherent() for a coherent
 * device registers its memory and its free takes it out. Registrations
 * nest: a page is out when every one of its ranges is.
 * @soc: the SoC.
 * @pa: the first page.
 * @size: bytes, whole pages.
 * @on: true to put [@pa, @pa + @size) behind the buffer (with nothing
 *	pending), false to take out what a call with @on true put there.
 *
 * Context: takes the SoC's lock on a SoC with the property.
 * Return: 0 (also, doing nothing, on a SoC without the property);
 * -EINVAL for a SoC not live or a range that is not whole pages of one
 * RAM bank; -ENOMEM.
 */
int dk_sim_store_buffer(struct dk_soc *soc, phys_addr_t pa, size_t size,
			bool on);

/**
 * dk_sim_vmap_sync() - maintain a vmap's own lines on an aliasing cache.
 * On a SoC with dmakit,cache-aliasing (a virtually indexed cache), a
 * cacheable dk_sim_vmap() mapping has lines of its own: stores through it
 * reach DRAM only when written back here, and it sees a device's writes
 * only after its lines are dropped here. flush_kernel_vmap_range() and
 * invalidate_kernel_vmap_range() call it through the platform.
 * @soc: the SoC.
 * @va: the first byte, inside such a mapping.
 * @size: bytes, inside the same mapping.
 * @flush: true: write the dirty lines back, then drop every line;
 *	false: drop the lines (what they held that DRAM lacks is lost).
 *
 * Context: takes the SoC's lock.
 * Return: 1 when done; 0 when [@va, @va + @size) is not inside one such
 * mapping (the SoC's cache is physically indexed, or @va is another
 * address); -EINVAL for a SoC not live or a NULL or empty range.
 */
int dk_sim_vmap_sync(struct dk_soc *soc, const void *va, size_t size,
		     bool flush);

/**
 * dk_sim_line_dirty() - whether the CPU cache holds a line dirty.
 * @soc: the SoC.
 * @pa: any byte of the line.
 *
 * Return: true if the CPU view differs from the last-filled copy; false
 * for a clean line and for non-RAM.
 */
bool dk_sim_line_dirty(struct dk_soc *soc, phys_addr_t pa);

/* Per-line bits of dk_sim_line_states(). */
#define DK_LINE_DIRTY		0x1	/* CPU view != last-filled copy */
#define DK_LINE_CPU_NE_DRAM	0x2	/* CPU view != DRAM */
#define DK_LINE_LAST_NE_DRAM	0x4	/* DRAM changed since the fill/clean */

/**
 * dk_sim_line_states() - what the cache holds, line by line
 * @soc: the SoC
 * @pa: any address in the first line
 * @nlines: how many lines from there
 * @out: @nlines bytes, each the DK_LINE_* bits of one line
 *
 * A snapshot for pictures and tests: it changes nothing. A clean line
 * whose CPU view differs from DRAM is stale (a device wrote DRAM behind
 * it); a dirty line whose DRAM changed too will be written back over
 * what the device wrote.
 *
 * Context: takes the SoC's lock.
 * Return: 0, or -EINVAL when the lines are not all in one RAM bank.
 */
int dk_sim_line_states(struct dk_soc *soc, phys_addr_t pa, size_t nlines,
		       u8 *out);

/**
 * dk_sim_first_dirty() - the first dirty line of a range, in one look
 * under the SoC's lock.
 * @soc: the SoC.
 * @pa: the range's first byte.
 * @size: its length.
 * @line: where the first dirty line's address goes.
 *
 * Return: 0; -ENOENT if no line of the range is dirty; -EINVAL (no
 * message: it is a query) if the SoC is not live, @line is NULL or the
 * range is empty, overflows or is not inside one RAM bank.
 */
int dk_sim_first_dirty(struct dk_soc *soc, phys_addr_t pa, size_t size,
		       phys_addr_t *line);

/**
 * dk_sim_peek() - copy bytes from a CPU-view pointer without tripping the
 * checker's ownership poisoning: what a debugger would see. For tests
 * that show a buffer's stale contents while a device owns it.
 * @dst: ordinary memory.
 * @src: the CPU-view pointer.
 * @n: bytes.
 */
void dk_sim_peek(void *dst, const void *src, size_t n);

/**
 * dk_sim_poke() - write bytes to a CPU-view pointer without tripping the
 * poisoning: a stray CPU write the sanitizers would have stopped, for
 * tests of what the checker finds in builds without them.
 * @dst: the CPU-view pointer.
 * @src: the bytes.
 * @n: how many.
 */
void dk_sim_poke(void *dst, const void *src, size_t n);

/**
 * dk_sim_resident_bytes() - host memory the SoC's RAM really uses right
 * now (RAM is reserved, and host pages of its views are backed only once
 * touched), for tests.
 * @soc: the SoC.
 *
 * Return: bytes; 0 for a SoC not live.
 */
u64 dk_sim_resident_bytes(struct dk_soc *soc);

#ifdef __cplusplus
}
#endif

#endif
