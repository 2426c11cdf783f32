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

/*
 * dk_sim_cpu_ptr - cacheable CPU pointer to @pa, valid for the rest of its
 * RAM bank. Returns NULL (with a message) if @pa is not RAM.
 */
void *dk_sim_cpu_ptr(struct dk_soc *soc, phys_addr_t pa);

/*
 * dk_sim_dram_ptr - pointer to DRAM itself at @pa: what an uncached
 * mapping of the page reads and writes. NULL if @pa is not RAM.
 */
void *dk_sim_dram_ptr(struct dk_soc *soc, phys_addr_t pa);

/*
 * dk_sim_virt_to_phys - physical address of a pointer into any CPU view:
 * cacheable, DRAM, or a mapping made by dk_sim_map_alias().
 * Returns 0 or -EFAULT if @p points into none of them.
 */
int dk_sim_virt_to_phys(struct dk_soc *soc, const void *p, phys_addr_t *pa);

/* Whether @p points into a cacheable view (false for aliases and DRAM). */
bool dk_sim_is_cacheable(struct dk_soc *soc, const void *p);

enum dk_alias_type {
	DK_ALIAS_UNCACHED,	/* strongly ordered, no cache */
	DK_ALIAS_WRITE_COMBINE,	/* uncached, bufferable */
	DK_ALIAS_CACHED,	/* a second cacheable view (e.g. vmap) */
};

/*
 * dk_sim_map_alias - map the pages [@pa, @pa + @size) a second time at a new
 * virtual address, the way a kernel builds an uncached or write-combine
 * alias or a user mapping of DMA memory. Uncached and write-combine aliases
 * share DRAM with devices; a cached alias shares the CPU cache view.
 * @pa and @size must be multiples of the host page size and lie in one
 * bank. Returns the address or NULL (-EINVAL/-ENOMEM in dk_last_error()).
 */
void *dk_sim_map_alias(struct dk_soc *soc, phys_addr_t pa, size_t size,
		       enum dk_alias_type type);

/*
 * dk_sim_export_fd - a new descriptor of the memfd behind @pa (DRAM for
 * uncached/write-combine, the CPU view for cached) and the offset of @pa
 * in it, so another process can map the same pages. 0 or -EINVAL/-EMFILE.
 */
int dk_sim_export_fd(struct dk_soc *soc, phys_addr_t pa,
		     enum dk_alias_type type, int *fd, u64 *off);

/*
 * dk_sim_vmap - map @n RAM pages, each given by its page-aligned physical
 * address, at one virtually contiguous address (what vmalloc and vmap
 * build). Returns the address or NULL (-EINVAL/-ENOMEM).
 */
void *dk_sim_vmap(struct dk_soc *soc, const phys_addr_t *pages, size_t n,
		  enum dk_alias_type type);

/* dk_sim_unmap_alias - undo dk_sim_map_alias() or dk_sim_vmap(). 0 or -EINVAL. */
int dk_sim_unmap_alias(struct dk_soc *soc, void *va);

/*
 * Cache maintenance by physical range. Lines are whole: a range that covers
 * part of a line maintains the whole line, except that dk_sim_cache_inval()
 * treats partial edge lines per the SoC's edge policy. Each returns 0 or
 * -EINVAL when the range is not inside one RAM bank or overflows.
 */
int dk_sim_cache_clean(struct dk_soc *soc, phys_addr_t pa, size_t size);
int dk_sim_cache_inval(struct dk_soc *soc, phys_addr_t pa, size_t size);
int dk_sim_cache_clean_inval(struct dk_soc *soc, phys_addr_t pa, size_t size);

/*
 * What the hardware may do on its own, made explicit for tests and for the
 * policies: evict = write back dirty lines (a clean line is dropped, so the
 * next CPU access sees DRAM); speculate = refill clean lines from DRAM
 * (dirty lines are left alone).
 */
int dk_sim_cache_evict(struct dk_soc *soc, phys_addr_t pa, size_t size);
int dk_sim_cache_speculate(struct dk_soc *soc, phys_addr_t pa, size_t size);

/*
 * dk_sim_store - store @size bytes from @src (zeroes if @src is NULL) at
 * @pa where a CPU store followed by a clean would leave them: the CPU
 * view, DRAM and the last-filled copy all hold them afterwards, and the
 * lines are clean. The model finds dirty lines by comparing the CPU view
 * with the last-filled copy, so a plain store of the value a stale line
 * already holds would be invisible (docs/cache-model.md); code that
 * must change what devices see (zeroing DMA memory, bounce buffers) uses
 * this. Not checked against the poisoning. 0 or -EINVAL when the range is
 * empty, overflows or is not inside one RAM bank.
 */
int dk_sim_store(struct dk_soc *soc, phys_addr_t pa, const void *src,
		 size_t size);

/* Whether the line holding @pa is dirty. false for non-RAM. */
bool dk_sim_line_dirty(struct dk_soc *soc, phys_addr_t pa);

/*
 * dk_sim_first_dirty - the first dirty line among those holding
 * [@pa, @pa + @size), in *@line (its address). One look under the SoC's
 * lock for the whole range. 0, -ENOENT if none is dirty, -EINVAL if the
 * SoC is not live, @line is NULL or the range is empty, overflows or is
 * not inside one RAM bank (no message: it is a query).
 */
int dk_sim_first_dirty(struct dk_soc *soc, phys_addr_t pa, size_t size,
		       phys_addr_t *line);

/*
 * dk_sim_peek - copy @n bytes from a CPU-view pointer without tripping
 * the checker's ownership poisoning: what a debugger would see. For tests
 * that show a buffer's stale contents while a device owns it.
 */
void dk_sim_peek(void *dst, const void *src, size_t n);

/*
 * dk_sim_poke - write @n bytes to a CPU-view pointer without tripping the
 * poisoning: a stray CPU write the sanitizers would have stopped, for
 * tests of what the checker finds in builds without them.
 */
void dk_sim_poke(void *dst, const void *src, size_t n);

/* Host memory the SoC's RAM really uses right now, in bytes (for tests). */
u64 dk_sim_resident_bytes(struct dk_soc *soc);

#ifdef __cplusplus
}
#endif

#endif
