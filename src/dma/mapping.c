// SPDX-License-Identifier: MIT
/*
 * The DMA mapping front end: every streaming entry point checks its
 * arguments once, maps through the device's backend (its dma_map_ops, or
 * the direct backend without one) and then tells the checker what the
 * backend did. The checker is called from here only.
 */
#include <errno.h>
#include <stdint.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/vmalloc.h>

#include "../mm/mm.h"
#include "../core/objreg.h"
#include "../debug/debug.h"
#include "../kernel/kernel.h"
#include "../trace/trace.h"
#include "../dma_direct/direct.h"
#include "../iommu/iommu_dma.h"
#include "dma.h"

void set_dma_ops(struct device *dev, const struct dma_map_ops *ops)
{
	if (!dk_dev_live(dev))
		return;
	dev->dma_ops = ops;
	dk_dma_plain_update(dev);
}

/* A backend without the operation: the call fails, as in Linux. */
static dma_addr_t no_op(struct device *dev, const char *fn)
{
	dk_err(-EOPNOTSUPP, "%s: %s: its dma_map_ops cannot do that",
	       dev_name(dev), fn);
	return DMA_MAPPING_ERROR;
}

/*
 * How far an offset may reach from @page: its block when it heads a live
 * alloc_pages() block, else the page itself. Linux adds any offset; a
 * simulator knows the block, so an offset past it is a bug it can name.
 */
static unsigned long page_span(struct dk_machine *m, struct page *page)
{
	if (!dk_phys_to_page(m, dk_page_to_phys(m, page)) ||
	    dk_phys_to_page(m, dk_page_to_phys(m, page)) != page)
		return PAGE_SIZE;
	return page->refcount ? PAGE_SIZE << page->order : PAGE_SIZE;
}

/* The RAM a page mapping covers, or -EINVAL with a message. */
static int page_args(struct device *dev, struct page *page, size_t offset,
		     size_t size, enum dma_data_direction dir,
		     phys_addr_t *pa_out)
{
	phys_addr_t pa;
	int r = dk_dma_check_args(dev, size, dir, "dma_map_page");

	if (r)
		return -EINVAL;
	if (!page)
		return dk_err(-EINVAL, "%s: dma_map_page: NULL page (an sg entry set by sg_set_buf() from memory outside the linear map has none)",
			      dev_name(dev));
	if (offset >= page_span(dev->machine, page))
		return dk_err(-EINVAL, "%s: dma_map_page: offset 0x%zx is beyond the page (%p, %lu bytes)",
			      dev_name(dev), offset, (void *)page,
			      page_span(dev->machine, page));
	pa = dk_page_to_phys(dev->machine, page);
	r = dk_program_memory(dev, pa + offset, size);
	if (r < 0)
		return r;
	if (!dk_phys_to_page(dev->machine, pa) ||
	    dk_phys_to_page(dev->machine, pa) != page ||
	    (!r && !dk_ram_range_ok(dev->machine, pa + offset, size)))
		return dk_err(-EINVAL, "%s: dma_map_page: page %p + 0x%zx, 0x%zx bytes is not RAM",
			      dev_name(dev), (void *)page, offset, size);
	*pa_out = pa + offset;
	return 0;
}

/* Map RAM at @pa through the device's backend. */
static dma_addr_t backend_map(struct device *dev, phys_addr_t pa,
			      size_t size, enum dma_data_direction dir,
			      unsigned long attrs)
{
	const struct dma_map_ops *ops = dev->dma_ops;
	int err;

	if (!ops)
		return dk_direct_map_phys(dev, pa, size, dir, attrs, &err);
	if (ops->map_phys)
		return ops->map_phys(dev, pa, size, dir, attrs);
	if (!ops->map_page)
		return no_op(dev, "dma_map_page");
	return ops->map_page(dev, dk_phys_to_page(dev->machine, pa & PAGE_MASK),
			     pa % PAGE_SIZE, size, dir, attrs);
}

/* The tracer looks before the cache work and records after it. */
static dma_addr_t map_phys(struct device *dev, phys_addr_t pa, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	dma_addr_t dma;

	if (dk_tracing())
		dk_trace_look(dev->machine, pa, size);
	dma = backend_map(dev, pa, size, dir, attrs);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_MAP, pa,
			     dma == DMA_MAPPING_ERROR ? pa :
							dma_to_phys(dev, dma),
			     dma, size, dir);
	return dma;
}

static void unmap_phys(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops = dev->dma_ops;
	/* Behind an IOMMU the translation is gone once unmapped. */
	phys_addr_t pa = dk_tracing() ? dma_to_phys(dev, addr) : 0;

	if (!ops)
		dk_direct_unmap_phys(dev, addr, size, dir, attrs);
	else if (ops->unmap_page)
		ops->unmap_page(dev, addr, size, dir, attrs);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_UNMAP, pa, ~0ULL, addr, size, dir);
}

/* What every fast path needs: the checker as @checked, the tracer off,
 * @dev a device this thread saw live (only then is it dereferenced). */
static inline bool fast_ok(struct device *dev, bool checked)
{
	return dk_dbg_on() == checked && !dk_tracing() &&
	       dk_obj_seen_live(dev, DK_OBJ_DEVICE);
}

/* The rest of plain_direct(), for a caller that made fast_ok()'s tests. */
static inline bool plain_rest(struct device *dev, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	/* dma_ops again too: a table stored without set_dma_ops() must
	 * still get the calls (one load of a line already read). */
	return dev->dk_dma_plain && !dev->dma_ops && dev->dma_mask && size &&
	       (unsigned int)dir <= DMA_FROM_DEVICE &&
	       !(attrs & ~DMA_ATTR_SKIP_CPU_SYNC);
}

/*
 * A device on the direct backend with the checker and the tracer off:
 * nobody to tell, so a map is a lookup, a translation and, for a
 * non-coherent device, the cache work -- done here without the dozen
 * calls of the full path (they were most of its cost), as Linux inlines
 * its direct mapping into the front end. Whatever this does not like --
 * a bad argument, memory outside one RAM bank, a bus address beyond
 * reach, a kmalloc buffer to bounce, dma-ranges, swiotlb forced, an
 * attribute but DMA_ATTR_SKIP_CPU_SYNC -- takes the full path, which
 * makes the same checks and says what is wrong. @checked: the same for
 * a device whose calls the checker is told of (the caller tells it),
 * where the full path's checks and calls were half a checked map.
 */
static inline bool plain_direct(struct device *dev, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs, bool checked)
{
	return fast_ok(dev, checked) && plain_rest(dev, size, dir, attrs);
}

/* The RAM bank whose linear map holds all of [@ptr, +@size) and @ptr's
 * offset in it; NULL if none does (the full path then says why). */
static inline __attribute__((always_inline)) const struct dk_memmap *
linear_bank(const struct dk_machine *m, const void *ptr, size_t size,
	    u64 *off)
{
	const struct dk_memmap *r = m->ram, *end;

	/* As unmap_lookup(): the first bank before the loop's end. */
	*off = (uintptr_t)ptr - (uintptr_t)r->virt;
	for (end = r + m->nram; *off >= r->size;) {
		if (++r >= end)
			return NULL;
		*off = (uintptr_t)ptr - (uintptr_t)r->virt;
	}
	return size > r->size - *off ? NULL : r;
}

/* What a fast map or unmap found: not for it (the full path then says
 * why), nothing left to do but return, or the cache work of a
 * non-coherent device. */
enum fast_kind { FAST_NONE, FAST_DONE, FAST_CACHE };

/*
 * Bank by bank with a pointer and offsets only: few enough live values
 * that the coherent case fits the call-clobbered registers.
 */
static inline __attribute__((always_inline)) enum fast_kind
map_bank(struct device *dev, void *ptr, size_t size, phys_addr_t *pa)
{
	const struct dk_memmap *r;
	u64 off, last, limit;

	r = linear_bank(dev->machine, ptr, size, &off);
	if (!r)
		return FAST_NONE;
	last = r->base + off + size - 1;
	limit = dev->bus_dma_limit;
	if (last > *dev->dma_mask || (limit && last > limit))
		return FAST_NONE;
	*pa = r->base + off;
	return dev->dma_coherent ? FAST_DONE : FAST_CACHE;
}

/* A non-coherent device's part: DMA_MAPPING_ERROR if it must bounce. */
static inline __attribute__((always_inline)) dma_addr_t
map_cache_work(struct device *dev, phys_addr_t pa, size_t size,
	       enum dma_data_direction dir, unsigned long attrs)
{
	if (dk_kmalloc_needs_bounce(dev, pa, size, dir))
		return DMA_MAPPING_ERROR;
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_device(dev, pa, size, dir);
	return pa;
}

/* map_bank() and, for a non-coherent device, its cache work. */
static inline __attribute__((always_inline)) dma_addr_t
bank_map(struct device *dev, void *ptr, size_t size,
	 enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t pa;

	switch (map_bank(dev, ptr, size, &pa)) {
	case FAST_DONE:
		return pa;
	case FAST_CACHE:
		return map_cache_work(dev, pa, size, dir, attrs);
	default:
		return DMA_MAPPING_ERROR;
	}
}

static inline __attribute__((always_inline)) dma_addr_t
map_single_fast(struct device *dev, void *ptr, size_t size,
		enum dma_data_direction dir, unsigned long attrs, bool checked)
{
	if (!plain_direct(dev, size, dir, attrs, checked))
		return DMA_MAPPING_ERROR;
	return bank_map(dev, ptr, size, dir, attrs);
}

/* What the full unmap of such a device does: no bounce slot to free,
 * RAM (else it reports), then for FAST_CACHE the cache work of a
 * non-coherent device (none for TO_DEVICE). */
static inline __attribute__((always_inline)) enum fast_kind
unmap_lookup(struct device *dev, dma_addr_t addr, size_t size,
	     enum dma_data_direction dir, unsigned long attrs, bool checked)
{
	const struct dk_machine *m;
	const struct dk_memmap *r, *end;
	u64 off;

	if (!plain_direct(dev, size, dir, attrs, checked))
		return FAST_NONE;
	m = dev->machine;
	if (addr - m->swiotlb_start < m->swiotlb_bytes)
		return FAST_NONE;
	/* The first bank (kmalloc's) tested before the loop's end is
	 * needed, so a hit there saves no register (a booted machine has
	 * a bank at least). */
	r = m->ram;
	off = addr - r->base;
	for (end = r + m->nram; off >= r->size;) {
		if (++r >= end)
			return FAST_NONE;
		off = addr - r->base;
	}
	if (size > r->size - off)
		return FAST_NONE;
	return dev->dma_coherent || dir == DMA_TO_DEVICE ||
			       (attrs & DMA_ATTR_SKIP_CPU_SYNC) ?
		       FAST_DONE : FAST_CACHE;
}

/* The checker's look at the lines comes before the cache work. */
static inline __attribute__((always_inline)) bool
unmap_fast(struct device *dev, dma_addr_t addr, size_t size,
	   enum dma_data_direction dir, unsigned long attrs, bool checked,
	   enum dk_map_type type)
{
	enum fast_kind k = unmap_lookup(dev, addr, size, dir, attrs, checked);

	if (k == FAST_NONE)
		return false;
	if (checked)
		dk_dbg_unmap(dev, type, addr, size, dir, -1, NULL);
	if (k == FAST_CACHE)
		dk_sync_for_cpu(dev, addr, size, dir);
	return true;
}

/* What map_window() made of a map: WINDOW_MISS, @dev is in
 * dk_dma_windows (so live and on iommu-dma, with no direct fast path)
 * but the map is not one for its window. */
enum window_map { WINDOW_NONE, WINDOW_MISS, WINDOW_HIT };

/*
 * A device in dk_dma_windows (its domain has a window, RAM the platform
 * keeps mapped for it at one offset, and it may use it with no more
 * tests: iommu_dma_window.c), the checker and tracer off: a map of the
 * window's memory is its IOVA there and the platform's hit counted; its
 * unmap has nothing to do. No cache work (coherent), no bounce
 * (trusted), no mask to test (the window is below it), no use count (the
 * window stays as long as the domain). The device is found by its
 * pointer, so only a live one is looked at. Anything else, or a bad
 * argument, takes the full path.
 */
static inline __attribute__((always_inline)) enum window_map
map_window(struct device *dev, void *ptr, size_t size,
	   enum dma_data_direction dir, dma_addr_t *dma)
{
	struct dk_iommu_window *w;
	u64 off, last;

	if (!atomic_load_explicit(&dk_dma_windows_used,
				  memory_order_relaxed) ||
	    atomic_load_explicit(dk_dma_window_slot(dev),
				 memory_order_acquire) != dev)
		return WINDOW_NONE;
	if ((unsigned int)dir > DMA_FROM_DEVICE)
		return WINDOW_MISS;
	w = &dev->iommu_dma->win;
	off = (uintptr_t)ptr -
	      (uintptr_t)atomic_load_explicit(&w->virt, memory_order_relaxed);
	/* One compare for the whole buffer: below the window it wraps, an
	 * empty one wraps too (size - 1), and so does one wrapping the
	 * address space. */
	if (__builtin_add_overflow(off, size - 1, &last) ||
	    last >= atomic_load_explicit(&w->size, memory_order_acquire))
		return WINDOW_MISS;
	*dma = atomic_load_explicit(&w->iova, memory_order_relaxed) + off;
	dk_iommu_window_hit(w);
	return WINDOW_HIT;
}

static inline __attribute__((always_inline)) bool
unmap_window(struct device *dev, dma_addr_t addr, size_t size,
	     enum dma_data_direction dir)
{
	struct dk_iommu_window *w;
	u64 wsize, off;

	if (dk_dbg_on() || dk_tracing() || (unsigned int)dir > DMA_FROM_DEVICE ||
	    atomic_load_explicit(dk_dma_window_slot(dev),
				 memory_order_acquire) != dev)
		return false;
	w = &dev->iommu_dma->win;
	wsize = atomic_load_explicit(&w->size, memory_order_acquire);
	off = addr - atomic_load_explicit(&w->iova, memory_order_relaxed);
	return off < wsize && size - 1 < wsize - off;
}

/* Checker and tracer off: the direct backend's fast path or the
 * window's, the tests they share made once. */
static inline __attribute__((always_inline)) dma_addr_t
map_single_first(struct device *dev, void *ptr, size_t size,
		 enum dma_data_direction dir, unsigned long attrs)
{
	enum window_map wm;
	dma_addr_t dma;

	if (dk_dbg_on() || dk_tracing())
		return DMA_MAPPING_ERROR;
	wm = map_window(dev, ptr, size, dir, &dma);
	if (wm != WINDOW_NONE)
		return wm == WINDOW_HIT ? dma : DMA_MAPPING_ERROR;
	if (!dk_obj_seen_live(dev, DK_OBJ_DEVICE) ||
	    !plain_rest(dev, size, dir, attrs))
		return DMA_MAPPING_ERROR;
	return bank_map(dev, ptr, size, dir, attrs);
}

/*
 * A device with a dma_map_ops table (iommu-dma, or a driver's own) and the
 * checker and tracer off: the same bank lookup, then straight to the
 * table's map_page, as Linux calls iommu-dma without its front end's
 * debug hooks. Only linear-map RAM wholly in one bank with arguments the
 * full path would accept; anything else (*@took false) takes the full
 * path, which says what is wrong.
 */
static inline __attribute__((always_inline)) dma_addr_t
map_single_ops(struct device *dev, void *ptr, size_t size,
	       enum dma_data_direction dir, unsigned long attrs, bool *took)
{
	const struct dma_map_ops *ops;
	const struct dk_memmap *r;
	u64 off;

	*took = false;
	if (!dk_obj_seen_live(dev, DK_OBJ_DEVICE) || !(ops = dev->dma_ops) ||
	    !ops->map_page || !dev->dma_mask || !size ||
	    (unsigned int)dir > DMA_FROM_DEVICE || dir == DMA_NONE ||
	    dev->dead || dk_dbg_on() || dk_tracing())
		return DMA_MAPPING_ERROR;
	r = linear_bank(dev->machine, ptr, size, &off);
	if (!r)	/* a host's program memory: no page to hand the table */
		return dk_map_single_on_demand(dev, ptr, size, dir, attrs, took);
	*took = true;
	if (ops->map_phys)
		return ops->map_phys(dev, r->base + off, size, dir, attrs);
	return ops->map_page(dev, r->pages + off / PAGE_SIZE, off % PAGE_SIZE,
			     size, dir, attrs);
}

/* Its unmap: the table's unmap_page with nobody else to tell. */
static inline __attribute__((always_inline)) bool
unmap_ops(struct device *dev, dma_addr_t addr, size_t size,
	  enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops;

	if (dk_dbg_on() || dk_tracing() ||
	    !dk_obj_seen_live(dev, DK_OBJ_DEVICE) || !(ops = dev->dma_ops) ||
	    !ops->unmap_page || !size || (unsigned int)dir > DMA_FROM_DEVICE ||
	    dir == DMA_NONE)
		return false;
	ops->unmap_page(dev, addr, size, dir, attrs);
	return true;
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t pa = 0;
	dma_addr_t dma = DMA_MAPPING_ERROR;

	if (!page_args(dev, page, offset, size, dir, &pa))
		dma = map_phys(dev, pa, size, dir, attrs);
	if (dk_dbg_on())
		dk_dbg_map(dev, DK_MAP_PAGE, NULL, pa, dma, size, dir, attrs,
			   0, 0);
	return dma;
}

/* Out of line: a checked fast unmap's function then saves no registers. */
static __attribute__((noinline)) void
unmap_full(struct device *dev, enum dk_map_type type, dma_addr_t addr,
	   size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	if (!dk_dev_ok(dev, type == DK_MAP_PAGE ? "dma_unmap_page" :
						   "dma_unmap_single")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	if (dk_tracing())
		dk_trace_look(dev->machine, 0, 0);
	/* Before the cache work: the checker looks at the lines first. */
	if (dk_dbg_on())
		dk_dbg_unmap(dev, type, addr, size, dir, -1, NULL);
	if (!dk_valid_dir(dir) || !size)
		return;
	unmap_phys(dev, addr, size, dir, attrs);
}

/* The checker's look at the lines comes before the cache work. */
static __attribute__((noinline)) void
unmap_cache_checked(struct device *dev, enum dk_map_type type,
		    dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	dk_dbg_unmap_plain(dev, type, addr, size, dir);
	dk_sync_for_cpu(dev, addr, size, dir);
}

/* unmap_fast() with the checker on, each way out a jump (no call here
 * passes an argument on the stack), so this function has no frame. */
static __attribute__((noinline)) void
unmap(struct device *dev, enum dk_map_type type, dma_addr_t addr, size_t size,
      enum dma_data_direction dir, unsigned long attrs)
{
	switch (unmap_lookup(dev, addr, size, dir, attrs, true)) {
	case FAST_DONE:
		dk_dbg_unmap_plain(dev, type, addr, size, dir);
		return;
	case FAST_CACHE:
		unmap_cache_checked(dev, type, addr, size, dir);
		return;
	default:
		unmap_full(dev, type, addr, size, dir, attrs);
	}
}

/* Out of line, so a fast unmap's function saves no registers. */
static __attribute__((noinline)) void
unmap_slow(struct device *dev, enum dk_map_type type, dma_addr_t addr,
	   size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	if (!unmap_ops(dev, addr, size, dir, attrs))
		unmap(dev, type, addr, size, dir, attrs);
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	if (!unmap_fast(dev, addr, size, dir, attrs, false, DK_MAP_PAGE) &&
	    !unmap_ops(dev, addr, size, dir, attrs))
		unmap(dev, DK_MAP_PAGE, addr, size, dir, attrs);
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	phys_addr_t pa;
	dma_addr_t dma = map_single_first(dev, ptr, size, dir, attrs);
	bool linear, on_demand = false, took;

	/* The full path stays in this function: the checker names it as
	 * where a mapping was made. */
	if (dma != DMA_MAPPING_ERROR)
		return dma;
	/* The checker on: what the full path tells it of such a mapping,
	 * for the bus address the fast map gives (its physical one). */
	dma = map_single_fast(dev, ptr, size, dir, attrs, true);
	if (dma != DMA_MAPPING_ERROR) {
		dk_dbg_map_plain(dev, ptr, dma, size, dir, attrs);
		return dma;
	}
	dma = map_single_ops(dev, ptr, size, dir, attrs, &took);
	if (took)
		return dma;
	if (dk_dma_check_args(dev, size, dir, "dma_map_single"))
		return DMA_MAPPING_ERROR;
	/* vmalloc areas are mappings of their own, never in the linear
	 * map: only an address outside it needs asking about them. */
	linear = dk_linear_to_phys(dev->machine, ptr, &pa);
	if (!linear) {
		dk_dbg_check_area(dev, ptr, size);
		if (is_vmalloc_addr(ptr)) {
			dk_err(-EINVAL, "%s: rejecting DMA map of vmalloc memory %p",
			       dev_name(dev), ptr);
			dk_warn("%s", dk_last_error());
			return DMA_MAPPING_ERROR;
		}
		on_demand = dk_user_to_phys(dev->machine, ptr, size, &pa);
	}
	if (!on_demand && (!linear || !dk_ram_range_ok(dev->machine, pa, size))) {
		dk_err(-EINVAL,
		       "%s: dma_map_single(%p, %zu): not linear-map RAM (stack, rodata, malloc or an uncached alias?)",
		       dev_name(dev), ptr, size);
		return DMA_MAPPING_ERROR;
	}
	/* The checker's on/off test inline: off, its hooks cost nothing. */
	if (dk_dbg_on())
		dk_dbg_check_object(dev, ptr, size);
	dma = on_demand ? dk_map_on_demand(dev, pa, size, dir, attrs) :
			  map_phys(dev, pa, size, dir, attrs);
	if (dk_dbg_on())
		dk_dbg_map(dev, DK_MAP_SINGLE, ptr, pa, dma, size, dir, attrs,
			   0, 0);
	return dma;
}

void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	if (!unmap_fast(dev, addr, size, dir, attrs, false, DK_MAP_SINGLE) &&
	    !unmap_window(dev, addr, size, dir) &&
	    !unmap_ops(dev, addr, size, dir, attrs))
		unmap(dev, DK_MAP_SINGLE, addr, size, dir, attrs);
}

/* A non-coherent device's fast map, out of line: dma_map_single() jumps
 * here, so its coherent case saves no registers; a buffer that must
 * bounce takes the full path. */
static __attribute__((noinline)) dma_addr_t
map_single_cache(struct device *dev, void *ptr, phys_addr_t pa, size_t size,
		 enum dma_data_direction dir)
{
	/* The bounce test first: then only @pa lives across the call. */
	if (dk_kmalloc_needs_bounce(dev, pa, size, dir))
		return dma_map_single_attrs(dev, ptr, size, dir, 0);
	dk_sync_for_device(dev, pa, size, dir);
	return pa;
}

/* The rest of dma_map_single() with the checker and tracer off: a
 * device with a dma_map_ops table goes straight to it, without the full
 * path's first tests made again; what the table does not take, the full
 * path. Out of line, as map_single_cache() is. */
static __attribute__((noinline)) dma_addr_t
map_single_rest(struct device *dev, void *ptr, size_t size,
		enum dma_data_direction dir)
{
	bool took;
	dma_addr_t dma = map_single_ops(dev, ptr, size, dir, 0, &took);

	return took ? dma : dma_map_single_attrs(dev, ptr, size, dir, 0);
}

/*
 * The fast paths here too, ahead of the call: for a window hit or a
 * plain coherent device this function saves no registers and calls
 * nothing, for a non-coherent one it jumps to its cache work, and the
 * full path's first frame is still dma_map_single_attrs.
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	enum window_map wm;
	phys_addr_t pa;
	dma_addr_t dma;

	if (dk_dbg_on() || dk_tracing())
		return dma_map_single_attrs(dev, ptr, size, dir, 0);
	wm = map_window(dev, ptr, size, dir, &dma);
	if (wm == WINDOW_HIT)
		return dma;
	if (wm == WINDOW_NONE && dk_obj_seen_live(dev, DK_OBJ_DEVICE) &&
	    plain_rest(dev, size, dir, 0)) {
		switch (map_bank(dev, ptr, size, &pa)) {
		case FAST_DONE:
			return pa;
		case FAST_CACHE:
			return map_single_cache(dev, ptr, pa, size, dir);
		default:
			break;
		}
	}
	return map_single_rest(dev, ptr, size, dir);
}

/* Each way out a jump, so the fast cases save no registers either. */
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir)
{
	switch (unmap_lookup(dev, addr, size, dir, 0, false)) {
	case FAST_DONE:
		return;
	case FAST_CACHE:
		dk_sync_for_cpu(dev, addr, size, dir);
		return;
	default:
		if (dk_dbg_on())
			unmap(dev, DK_MAP_SINGLE, addr, size, dir, 0);
		else if (!unmap_window(dev, addr, size, dir))
			unmap_slow(dev, DK_MAP_SINGLE, addr, size, dir, 0);
	}
}

dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset,
			size_t size, enum dma_data_direction dir)
{
	return dma_map_page_attrs(dev, page, offset, size, dir, 0);
}

void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir)
{
	dma_unmap_page_attrs(dev, addr, size, dir, 0);
}

dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr,
			    size_t size, enum dma_data_direction dir,
			    unsigned long attrs)
{
	const struct dma_map_ops *ops;
	dma_addr_t dma;

	if (dk_dma_check_args(dev, size, dir, "dma_map_resource"))
		return DMA_MAPPING_ERROR;
	if (dk_ram_range_ok(dev->machine, phys_addr, 1)) {
		dk_err(-EINVAL, "%s: dma_map_resource(0x%llx): that is RAM, not MMIO",
		       dev_name(dev), (unsigned long long)phys_addr);
		return DMA_MAPPING_ERROR;
	}
	ops = dev->dma_ops;
	if (!ops)
		dma = dk_direct_map_resource(dev, phys_addr, size);
	else if (ops->map_resource)
		dma = ops->map_resource(dev, phys_addr, size, dir, attrs);
	else
		dma = no_op(dev, "dma_map_resource");
	if (dma == DMA_MAPPING_ERROR)
		return dma;
	dk_dbg_map(dev, DK_MAP_RESOURCE, NULL, phys_addr, dma, size, dir, attrs,
		   0, 0);
	return dma;
}

void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops;

	if (!dk_dev_live(dev))
		return;
	dk_dbg_unmap(dev, DK_MAP_RESOURCE, addr, size, dir, -1, NULL);
	/* The direct backend did no cache work at map time. */
	ops = dev->dma_ops;
	if (ops && ops->unmap_resource)
		ops->unmap_resource(dev, addr, size, dir, attrs);
}

/* The checker's call a jump (it returns the answer): unchecked, this is
 * a compare. */
int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	if (dk_dbg_on())
		return dk_dbg_mapping_error(dev, dma_addr);
	return dma_addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* ---- syncs */

static void sync_nodebug(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, bool for_cpu)
{
	const struct dma_map_ops *ops;

	if (dk_dma_check_args(dev, size, dir, for_cpu ? "dma_sync_for_cpu" :
							"dma_sync_for_device")) {
		if (dev)
			dk_warn("%s", dk_last_error());
		return;
	}
	ops = dev->dma_ops;
	if (!ops)
		dk_direct_sync(dev, addr, size, dir, for_cpu);
	else if (for_cpu && ops->sync_single_for_cpu)
		ops->sync_single_for_cpu(dev, addr, size, dir);
	else if (!for_cpu && ops->sync_single_for_device)
		ops->sync_single_for_device(dev, addr, size, dir);
}

/*
 * The checker sees a transfer to the CPU before the data moves (it looks
 * at the dirty lines the invalidate would drop) and a transfer to the
 * device after (the buffer is the device's from then on).
 */
static void sync_sg_ents(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, bool for_cpu, int sg_ents)
{
	bool trace = dk_tracing() && dk_dev_live(dev);

	if (trace)
		dk_trace_look(dev->machine, 0, 0);
	if (for_cpu)
		dk_dbg_sync(dev, addr, size, dir, true, sg_ents);
	sync_nodebug(dev, addr, size, dir, for_cpu);
	if (trace)
		dk_trace_api(dev, for_cpu ? DK_TR_SYNC_CPU : DK_TR_SYNC_DEVICE,
			     dma_to_phys(dev, addr), ~0ULL, addr, size, dir);
	if (!for_cpu)
		dk_dbg_sync(dev, addr, size, dir, false, sg_ents);
}

static void sync(struct device *dev, dma_addr_t addr, size_t size,
		 enum dma_data_direction dir, bool for_cpu)
{
	sync_sg_ents(dev, addr, size, dir, for_cpu, -1);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	sync(dev, addr, size, dir, true);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir)
{
	sync(dev, addr, size, dir, false);
}

void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir)
{
	sync(dev, addr + offset, size, dir, true);
}

void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
				      unsigned long offset, size_t size,
				      enum dma_data_direction dir)
{
	sync(dev, addr + offset, size, dir, false);
}

/* ---- scatter-gather */

/*
 * A list shorter than the count would walk off its end: refuse it before
 * touching an entry (Linux trusts the caller; a simulator need not).
 */
static int sg_check(struct scatterlist *sgl, int nents, const char *fn)
{
	int n;

	if (!sgl || nents <= 0)
		return dk_err(-EINVAL, "%s: empty list", fn);
	n = sg_nents(sgl);
	if (nents > n)
		return dk_err(-EINVAL, "%s: %d entries asked, the list has %d",
			      fn, nents, n);
	return 0;
}

/*
 * Where each entry of a mapped list lies in DMA space. An IOMMU may merge
 * entries into fewer segments (whole entries back to back, segment k in
 * entry k, a zero DMA length after the last); the checker follows each
 * entry's own bytes, so it is told where in its segment each entry went.
 * A list with a segment per entry is taken as it stands.
 */
struct sg_pos {
	struct scatterlist *seg;
	unsigned int used;
	bool merged;
};

/* Whether a mapped list has fewer segments than entries: a zero DMA
 * length ends them, and a segment longer than its entry holds more. */
static bool sg_merged(struct scatterlist *sgl, int nents)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		if (sg->dma_length != sg->length)
			return true;
	return false;
}

static void sg_pos_init(struct sg_pos *p, struct scatterlist *sgl,
			bool merged)
{
	*p = (struct sg_pos){ sgl, 0, merged };
}

/* @sg's DMA address and length (*@len), for entries in list order. */
static dma_addr_t sg_pos_next(struct sg_pos *p, struct scatterlist *sg,
			      unsigned int *len)
{
	dma_addr_t dma;

	if (!p->merged || !p->seg || p->used + sg->length > p->seg->dma_length) {
		*len = sg->dma_length;
		return sg->dma_address;
	}
	dma = p->seg->dma_address + p->used;
	*len = sg->length;
	p->used += sg->length;
	if (p->used == p->seg->dma_length) {
		p->seg = sg_next(p->seg);
		p->used = 0;
	}
	return dma;
}

/*
 * Check every entry, map them all through the backend, then tell the
 * checker: the number mapped or the negative errno of the failure
 * (-EINVAL bad arguments, the backend's code otherwise).
 */
static int map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir, unsigned long attrs)
{
	const struct dma_map_ops *ops;
	struct scatterlist *sg;
	struct sg_pos p;
	unsigned int len;
	phys_addr_t pa;
	int i, n;

	if (sg_check(sgl, nents, "dma_map_sg"))
		return -EINVAL;
	for_each_sg(sgl, sg, nents, i)
		if (page_args(dev, sg_page(sg), sg->offset, sg->length, dir,
			      &pa))
			return dk_err(-EINVAL, "dma_map_sg: entry %d: %s", i,
				      dk_last_error());
	if (dk_tracing())
		for_each_sg(sgl, sg, nents, i)
			dk_trace_look(dev->machine, sg_phys(sg), sg->length);
	ops = dev->dma_ops;
	if (!ops)
		n = dk_map_sg_entries(dev, sgl, nents, dir, attrs,
				      dk_direct_map_phys, dk_direct_unmap_phys);
	else if (ops->map_sg)
		n = ops->map_sg(dev, sgl, nents, dir, attrs);
	else
		n = dk_err(-EOPNOTSUPP, "%s: dma_map_sg: its dma_map_ops cannot do that",
			   dev_name(dev));
	if (n <= 0)
		return n ? n : -EIO;
	for_each_sg(sgl, sg, n, i)
		dk_dbg_sg_segment(dev, sg->dma_address, sg->dma_length);
	sg_pos_init(&p, sgl, sg_merged(sgl, nents));
	for_each_sg(sgl, sg, nents, i) {
		dma_addr_t dma = sg_pos_next(&p, sg, &len);

		if (dk_tracing())
			dk_trace_api(dev, DK_TR_MAP, sg_phys(sg),
				     dma_to_phys(dev, dma), dma, len, dir);
		/* Linux's dma-debug keeps the mapped count too. */
		dk_dbg_map(dev, DK_MAP_SG, sg_virt(sg), sg_phys(sg), dma, len,
			   dir, attrs, nents, n);
	}
	return n;
}

int dma_map_sg_attrs(struct device *dev, struct scatterlist *sgl, int nents,
		     enum dma_data_direction dir, unsigned long attrs)
{
	int n = map_sg(dev, sgl, nents, dir, attrs);

	return n < 0 ? 0 : n;
}

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	const struct dma_map_ops *ops;
	struct scatterlist *sg;
	struct sg_pos p;
	unsigned int len;
	int i;

	if (sg_check(sgl, nents, "dma_unmap_sg")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	if (!dk_dev_live(dev))
		return;
	if (dk_tracing())
		dk_trace_look(dev->machine, 0, 0);
	sg_pos_init(&p, sgl, sg_merged(sgl, nents));
	for_each_sg(sgl, sg, nents, i) {
		dma_addr_t dma = sg_pos_next(&p, sg, &len);

		dk_dbg_unmap(dev, DK_MAP_SG, dma, len, dir, nents, NULL);
	}
	if (!dk_valid_dir(dir))
		return;
	ops = dev->dma_ops;
	if (!ops)
		dk_unmap_sg_entries(dev, sgl, nents, dir, attrs,
				    dk_direct_unmap_phys);
	else if (ops->unmap_sg)
		ops->unmap_sg(dev, sgl, nents, dir, attrs);
	if (dk_tracing())
		for_each_sg(sgl, sg, nents, i)
			dk_trace_api(dev, DK_TR_UNMAP, sg_phys(sg), ~0ULL,
				     sg->dma_address, sg->dma_length, dir);
}

int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
	       enum dma_data_direction dir)
{
	return dma_map_sg_attrs(dev, sg, nents, dir, 0);
}

void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
		  enum dma_data_direction dir)
{
	dma_unmap_sg_attrs(dev, sg, nents, dir, 0);
}

int dma_map_sgtable(struct device *dev, struct sg_table *sgt,
		    enum dma_data_direction dir, unsigned long attrs)
{
	int n;

	if (!sgt)
		return dk_err(-EINVAL, "dma_map_sgtable: NULL table");
	n = map_sg(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
	if (n < 0)
		return n;
	sgt->nents = n;
	return 0;
}

void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt,
		       enum dma_data_direction dir, unsigned long attrs)
{
	if (sgt)
		dma_unmap_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
}

static void sync_sg(struct device *dev, struct scatterlist *sgl, int nelems,
		    enum dma_data_direction dir, bool for_cpu)
{
	const struct dma_map_ops *ops = get_dma_ops(dev);
	void (*whole)(struct device *, struct scatterlist *, int,
		      enum dma_data_direction) =
		!ops ? NULL : for_cpu ? ops->sync_sg_for_cpu :
					ops->sync_sg_for_device;
	struct scatterlist *sg;
	struct sg_pos p;
	unsigned int len;
	dma_addr_t dma;
	int i;

	if (sg_check(sgl, nelems, for_cpu ? "dma_sync_sg_for_cpu" :
					    "dma_sync_sg_for_device")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	sg_pos_init(&p, sgl, sg_merged(sgl, nelems));
	if (!whole || dk_dma_check_args(dev, 1, dir, "dma_sync_sg")) {
		/* Entry by entry: the checker around each, as for one. */
		for_each_sg(sgl, sg, nelems, i) {
			dma = sg_pos_next(&p, sg, &len);
			sync_sg_ents(dev, dma, len, dir, for_cpu, nelems);
		}
		return;
	}
	/* A backend that syncs whole lists gets the list. */
	if (for_cpu)
		for_each_sg(sgl, sg, nelems, i) {
			dma = sg_pos_next(&p, sg, &len);
			dk_dbg_sync(dev, dma, len, dir, true, nelems);
		}
	whole(dev, sgl, nelems, dir);
	if (!for_cpu)
		for_each_sg(sgl, sg, nelems, i) {
			dma = sg_pos_next(&p, sg, &len);
			dk_dbg_sync(dev, dma, len, dir, false, nelems);
		}
}

void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
			 int nelems, enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nelems, dir, true);
}

void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
			    int nelems, enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nelems, dir, false);
}

void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	if (!sgt) {
		dk_err_log(-EINVAL, "BUG: dma_sync_sgtable_for_cpu: NULL table");
		return;
	}
	dma_sync_sg_for_cpu(dev, sgt->sgl, sgt->orig_nents, dir);
}

void dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt,
				 enum dma_data_direction dir)
{
	if (!sgt) {
		dk_err_log(-EINVAL, "BUG: dma_sync_sgtable_for_device: NULL table");
		return;
	}
	dma_sync_sg_for_device(dev, sgt->sgl, sgt->orig_nents, dir);
}
