// SPDX-License-Identifier: MIT
/*
 * The checks, one hook per DMA API event. The kernel's dma-debug checks
 * come first, with its message classes; then ownership (who may touch a
 * streaming buffer when) and what only a simulator sees: dirty lines in
 * device-owned memory, device accesses outside every mapping, DMA after
 * unbind, FROM_DEVICE buffers sharing lines with other data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/slab.h>

#include "../mm/mm.h"
#include "../dma_direct/direct.h"
#include "area.h"
#include "callchain.h"
#include "entry.h"
#include "lane.h"
#include "poison.h"

#define MAX_OVERLAP 7

static bool streaming(enum dk_map_type t)
{
	return t == DK_MAP_SINGLE || t == DK_MAP_PAGE || t == DK_MAP_SG ||
	       t == DK_MAP_IOVA;
}

void dk_dbg_check_area(struct device *dev, const void *ptr, size_t len)
{
	if (!dk_dbg_on() || !dk_dev_live(dev))
		return;
	switch (dk_area_of(dev->machine, ptr)) {
	case DK_AREA_LINEAR:
	case DK_AREA_USER:
		break;
	case DK_AREA_STACK:
		dk_dbg_report(dev, DK_CHK_MAP_STACK, NULL, 0, len, DMA_NONE,
			      "device driver maps memory from stack [addr=%p]",
			      ptr);
		break;
	case DK_AREA_RODATA:
		dk_dbg_report(dev, DK_CHK_MAP_RODATA, NULL, 0, len, DMA_NONE,
			      "device driver maps memory from kernel text or rodata [addr=%p] [len=%zu]",
			      ptr, len);
		break;
	case DK_AREA_VMALLOC:
		dk_dbg_report(dev, DK_CHK_MAP_VMALLOC, NULL, 0, len, DMA_NONE,
			      "device driver maps memory from vmalloc area [addr=%p] [len=%zu]",
			      ptr, len);
		break;
	case DK_AREA_OTHER:
		dk_dbg_report(dev, DK_CHK_MAP_INVALID, NULL, 0, len, DMA_NONE,
			      "device driver maps memory from invalid area [addr=%p] [len=%zu]",
			      ptr, len);
		break;
	}
}

void dk_dbg_sg_segment(struct device *dev, dma_addr_t dma, size_t len)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	unsigned int max = dma_get_max_seg_size(dev);

	if (!dk_dbg_on())
		return;
	if (len > max)
		dk_dbg_report(dev, DK_CHK_SG_SEG_TOO_LONG, NULL, dma, len,
			      DMA_NONE,
			      "mapping sg segment longer than device claims to support [len=%zu] [max=%u]",
			      len, max);
	if ((dma & ~(u64)boundary) != ((dma + len - 1) & ~(u64)boundary))
		dk_dbg_report(dev, DK_CHK_SG_SEG_BOUNDARY, NULL, dma, len,
			      DMA_NONE,
			      "mapping sg segment across boundary [start=0x%016llx] [end=0x%016llx] [boundary=0x%016llx]",
			      (unsigned long long)dma,
			      (unsigned long long)(dma + len - 1),
			      (unsigned long long)boundary + 1);
}

/* ---- ownership of streaming buffers, by cache line */

static u32 line_of(struct device *dev)
{
	return dev->machine->line;
}

/* @a / @l: a shift for the power-of-two line sizes every SoC has, where
 * three divisions were a tenth of a checked map. */
static u64 line_index(u64 a, u32 l)
{
	return l & (l - 1) ? a / l : a >> __builtin_ctz(l);
}

static inline __attribute__((always_inline)) void
own_init(struct dk_dbg_entry *e, bool device)
{
	u32 l = line_of(e->dev);
	u64 first = line_index(e->pa, l);

	e->line0 = first * l;
	e->nlines = line_index(e->pa + e->size - 1, l) - first + 1;
	/* Most mappings are small: their bits need no allocation, and
	 * those of one word are set by one store (a recycled entry's
	 * words are clear). */
	if (e->nlines < 8 * sizeof(long)) {
		e->owned = e->owned_inline;
		if (device)
			e->owned[0] = (1UL << e->nlines) - 1;
		return;
	}
	e->owned = DK_BITMAP_LONGS(e->nlines) <= DK_DBG_OWNED_INLINE ?
			   e->owned_inline :
			   calloc(DK_BITMAP_LONGS(e->nlines), sizeof(long));
	if (e->owned && device)
		dk_bits_set(e->owned, 0, e->nlines, true);
}

/* Line indexes of [pa, pa+size) inside @e, clipped. */
static void own_span(const struct dk_dbg_entry *e, phys_addr_t pa, u64 size,
		     unsigned long *first, unsigned long *n)
{
	u32 l = line_of(e->dev);
	phys_addr_t lo = pa < e->pa ? e->pa : pa;
	phys_addr_t hi = pa + size - 1 > e->pa + e->size - 1 ?
				 e->pa + e->size - 1 : pa + size - 1;

	/* A zero-size sync (Linux lets it through) spans no line; pa - 1
	 * as its end made a span of 2^64 lines. */
	if (!size) {
		*first = 0;
		*n = 0;
		return;
	}
	*first = line_index(lo - e->line0, l);
	*n = line_index(hi - e->line0, l) - *first + 1;
}

static void *cpu_view(const struct dk_dbg_entry *e, phys_addr_t pa)
{
	return dk_phys_to_virt(e->dev->machine, pa);
}

/* Poison (@device) or unpoison [pa, pa+size) of @e: the CPU address is
 * looked up only where poisoning does anything, not on every map. */
static inline void poison(const struct dk_dbg_entry *e, phys_addr_t pa,
			  u64 size, bool device)
{
	if (!dk_poison_active())
		return;
	if (device)
		dk_poison(cpu_view(e, pa), size, e);
	else
		dk_unpoison(cpu_view(e, pa), size);
}

/*
 * Lines of @e in [pa, pa+size) that the device owns and the CPU dirtied:
 * the CPU wrote into a buffer it had handed over. @written_back: the
 * cache has just written these lines back over the device's data, so
 * they are dirty no more and every line of the range counts.
 */
static void cpu_lines(struct dk_dbg_entry *e, phys_addr_t pa, u64 size,
		      bool written_back)
{
	struct dk_machine *m = e->dev->machine;
	unsigned long first, n, i, bad = 0;
	phys_addr_t first_bad = 0;

	/* A bounced buffer never reaches the device: its lines may be dirty.
	 * A device the tree wrongly calls non-coherent may have dirtied them
	 * itself (coherence-mismatch says so); don't blame the CPU. */
	if (e->dev->dma_coherent || e->bounced || !e->owned ||
	    e->dev->hw_coherence_differs ||
	    (!written_back && !m->pl.ops->cache_line_dirty))
		return;
	own_span(e, pa, size, &first, &n);
	if (!written_back && m->pl.ops->cache_first_dirty) {
		/* One look per dirty line, not one per line. */
		phys_addr_t lo = e->line0 + first * line_of(e->dev);
		phys_addr_t end = lo + n * line_of(e->dev), d;

		while (lo < end && !m->pl.ops->cache_first_dirty(m->pl.ctx, lo,
								  end - lo, &d)) {
			i = line_index(d - e->line0, line_of(e->dev));
			if (dk_bit_test(e->owned, i) && !bad++)
				first_bad = d;
			lo = d + line_of(e->dev);
		}
	} else {
		for (i = first; i < first + n; i++) {
			phys_addr_t line = e->line0 + i * line_of(e->dev);

			if (!dk_bit_test(e->owned, i) ||
			    (!written_back &&
			     !m->pl.ops->cache_line_dirty(m->pl.ctx, line)))
				continue;
			if (!bad++)
				first_bad = line;
		}
	}
	if (bad)
		dk_dbg_report(e->dev, DK_CHK_CPU_TOUCH_DEVICE_OWNED, e, e->dma,
			      e->size, e->dir,
			      "CPU wrote to %lu cache line(s) the device owns, first at 0x%llx [device address=0x%016llx] [size=%llu bytes] [mapped with %s]%s",
			      bad, (unsigned long long)first_bad,
			      (unsigned long long)e->dma,
			      (unsigned long long)e->size,
			      dk_dbg_dir_name(e->dir),
			      written_back ?
				      "; the cache wrote them back over the device's data" :
				      "");
}

static void check_dirty(struct dk_dbg_entry *e, phys_addr_t pa, u64 size)
{
	/* cpu_lines()'s first test, ahead of the call */
	if (!e->dev->dma_coherent)
		cpu_lines(e, pa, size, false);
}

void dk_dbg_check_written_back(struct dk_dbg_entry *e, phys_addr_t pa,
			       u64 size)
{
	cpu_lines(e, pa, size, true);
}

struct repoison {
	const struct dk_dbg_entry *self;
	phys_addr_t lo, hi;
};

static void repoison_one(struct dk_dbg_entry *e, void *arg)
{
	struct repoison *r = arg;
	phys_addr_t lo = e->pa > r->lo ? e->pa : r->lo;
	phys_addr_t hi = e->pa + e->size < r->hi ? e->pa + e->size : r->hi;
	unsigned long i, end, run;
	u32 l;

	if (e == r->self || !e->owned || lo >= hi)
		return;
	/* Only the overlap, and one poisoning per run of device-owned
	 * lines: many mappings of one buffer made this quadratic in bytes. */
	l = line_of(e->dev);
	end = (hi - 1 - e->line0) / l + 1;
	for (i = (lo - e->line0) / l; i < end; i = run) {
		phys_addr_t plo, phi;

		for (run = i; run < end && dk_bit_test(e->owned, run); run++)
			;
		if (run == i) {
			run++;
			continue;
		}
		plo = e->line0 + (phys_addr_t)i * l;
		phi = e->line0 + (phys_addr_t)run * l;
		plo = plo < lo ? lo : plo;
		phi = phi > hi ? hi : phi;
		dk_poison(cpu_view(e, plo), phi - plo, e);
	}
}

/*
 * [lo, hi) went back to the CPU for one mapping; bytes another live
 * mapping still gives a device stay poisoned. Called with no shard lock
 * held. Only sanitizer runs pay for the walk.
 */
static inline void repoison_others(const struct dk_dbg_entry *self,
				   phys_addr_t lo, phys_addr_t hi)
{
	struct repoison r;

	if (!dk_poison_active())
		return;
	r = (struct repoison){ self, lo, hi };
	dk_dbg_entry_each_owner(lo, hi, repoison_one, &r);
}

/* Give [pa, pa+size) of @e to the device (true) or the CPU (false). */
static void own_set(struct dk_dbg_entry *e, phys_addr_t pa, u64 size,
		    bool device, phys_addr_t *unpoisoned_lo,
		    phys_addr_t *unpoisoned_hi)
{
	unsigned long first, n;
	phys_addr_t lo, hi;

	if (!e->owned)
		return;
	own_span(e, pa, size, &first, &n);
	dk_bits_set(e->owned, first, n, device);
	lo = pa < e->pa ? e->pa : pa;
	hi = pa + size > e->pa + e->size ? e->pa + e->size : pa + size;
	poison(e, lo, hi - lo, device);
	if (!device) {
		*unpoisoned_lo = lo;
		*unpoisoned_hi = hi;
	}
}

/*
 * Whether @device (or the CPU) owns every line of @e in [pa, pa+size),
 * counting only the lines whose part of the buffer lies wholly inside the
 * range. Syncing a buffer piece by piece (packets not a multiple of the
 * line) hands an edge line over with one piece and again with the next:
 * that line says nothing about a redundant sync.
 */
static bool own_all_whole(const struct dk_dbg_entry *e, phys_addr_t pa,
			  u64 size, bool device)
{
	u32 l = line_of(e->dev);
	unsigned long first, n;
	phys_addr_t lo = pa < e->pa ? e->pa : pa;
	phys_addr_t end = pa + size > e->pa + e->size ? e->pa + e->size :
							pa + size;

	if (!e->owned)
		return false;
	own_span(e, pa, size, &first, &n);
	if (lo % l && lo != e->pa) {
		first++;
		n--;
	}
	if (n && end % l && end != e->pa + e->size)
		n--;
	return n && dk_bits_all(e->owned, first, n, device);
}

/* ---- "buffers embedded in structs": FROM_DEVICE sharing a line */

/*
 * A FROM_DEVICE buffer whose edge line holds other live data: a field
 * before it in the same kmalloc object, or a neighbouring object. Slack
 * after a buffer at the start of its object is not reported: nothing
 * lives there that the invalidate could destroy.
 */
static void check_shared_lines(struct device *dev, const void *ptr,
			       phys_addr_t pa, size_t size,
			       enum dma_data_direction dir)
{
	u32 l = line_of(dev);
	const u8 *p = ptr, *obj, *line_lo, *line_hi;
	const void *o, *n;
	size_t osz, nsz;

	if (dev->dma_coherent || dir == DMA_TO_DEVICE || !ptr)
		return;
	if (!(pa % l) && !((pa + size) % l))
		return;
	line_lo = p - pa % l;
	line_hi = p + size + (l - (pa + size) % l) % l;
	if (!dk_is_kmalloc_addr(p, &osz, &o))
		return;
	obj = o;
	if (p > obj && p - obj < (ptrdiff_t)(pa % l + 1) && line_lo < p) {
		dk_dbg_report(dev, DK_CHK_FROM_DEVICE_SHARED_LINE, NULL, 0,
			      size, dir,
			      "%s buffer [addr=%p] [len=%zu] is embedded %zu bytes into kmalloc object [addr=%p] [size=%zu]: its first cache line holds other fields",
			      dk_dbg_dir_name(dir), ptr, size,
			      (size_t)(p - obj), o, osz);
		return;
	}
	if ((line_lo < obj && dk_is_kmalloc_addr(line_lo, &nsz, &n)) ||
	    (line_hi > obj + osz && dk_is_kmalloc_addr(obj + osz, &nsz, &n)))
		dk_dbg_report(dev, DK_CHK_FROM_DEVICE_SHARED_LINE, NULL, 0,
			      size, dir,
			      "%s buffer [addr=%p] [len=%zu] shares a cache line with the live kmalloc object [addr=%p] [size=%zu]",
			      dk_dbg_dir_name(dir), ptr, size, n, nsz);
}

/* ---- map and unmap */

/* What dk_dbg_map() knows of a mapping the device reaches at @dev_pa,
 * into @e but for its call chain and ownership. */
static inline __attribute__((always_inline)) void
entry_fill(struct dk_dbg_entry *e, struct device *dev, enum dk_map_type type,
	   const void *ptr, phys_addr_t pa, dma_addr_t dma, phys_addr_t dev_pa,
	   size_t size, enum dma_data_direction dir, unsigned long attrs,
	   int sg_call_ents, int sg_mapped_ents)
{
	e->dev = dev;
	e->type = type;
	e->dma = dma;
	e->pa = pa;
	e->cpu_addr = ptr;
	e->size = size;
	e->dir = dir;
	e->attrs = attrs;
	e->sg_call_ents = sg_call_ents;
	e->sg_mapped_ents = sg_mapped_ents;
	e->skip_sync_map = streaming(type) && (attrs & DMA_ATTR_SKIP_CPU_SYNC);
	e->dev_pa = dev_pa;
	/* The machine keeps the bounce pool's bounds for a test inline. */
	e->bounced = dev_pa - dev->machine->swiotlb_start <
		     dev->machine->swiotlb_bytes;
	e->map_err = type == DK_MAP_SINGLE || type == DK_MAP_PAGE ||
			     type == DK_MAP_RESOURCE ?
			     MAP_ERR_NOT_CHECKED : MAP_ERR_NA;
}

/* A new entry for a mapping the device reaches at @dev_pa. Inline in
 * each hook: the call chain is taken from the hook's caller on. */
static inline __attribute__((always_inline)) void
map_entry(struct device *dev, enum dk_map_type type, const void *ptr,
	  phys_addr_t pa, dma_addr_t dma, phys_addr_t dev_pa, size_t size,
	  enum dma_data_direction dir, unsigned long attrs, int sg_call_ents,
	  int sg_mapped_ents)
{
	struct dk_dbg_entry *e;
	int overlap;

	e = dk_dbg_entry_new();
	if (!e)
		return;
	entry_fill(e, dev, type, ptr, pa, dma, dev_pa, size, dir, attrs,
		   sg_call_ents, sg_mapped_ents);
	/* Here, in the hook: the walk starts at its caller. */
	e->nbt = dk_dbg_capture(e->bt, DK_DBG_BT);
	if (streaming(type) && dir != DMA_TO_DEVICE &&
	    !(attrs & DMA_ATTR_SKIP_CPU_SYNC)) {
		overlap = dk_dbg_lines_insert(e, line_of(dev));
		if (overlap > MAX_OVERLAP)
			dk_dbg_report(dev, DK_CHK_CACHELINE_MAX, e, dma, size,
				      dir,
				      "exceeded %d overlapping mappings of cacheline 0x%llx",
				      MAX_OVERLAP,
				      (unsigned long long)(pa / line_of(dev)));
		else if (overlap > 1)
			dk_dbg_report(dev, DK_CHK_CACHELINE_OVERLAP, e, dma,
				      size, dir,
				      "cacheline tracking EEXIST, overlapping mappings aren't supported [device address=0x%016llx] [size=%zu bytes]",
				      (unsigned long long)dma, size);
		if (!e->bounced)
			check_shared_lines(dev, ptr, pa, size, dir);
	}
	if (streaming(type)) {
		own_init(e, true);
		poison(e, pa, size, true);
	} else if (type == DK_MAP_NONCOHERENT) {
		own_init(e, false);	/* allocated: the CPU owns it */
	}
	dk_dbg_entry_add(e);
}

void dk_dbg_map(struct device *dev, enum dk_map_type type, const void *ptr,
		phys_addr_t pa, dma_addr_t dma, size_t size,
		enum dma_data_direction dir, unsigned long attrs,
		int sg_call_ents, int sg_mapped_ents)
{
	if (!dk_dbg_on() || dma == DMA_MAPPING_ERROR)
		return;
	/* A plain direct device's bus address is its physical one. */
	map_entry(dev, type, ptr, pa, dma,
		  dev->dk_dma_plain ? dma : dma_to_phys(dev, dma), size, dir,
		  attrs, sg_call_ents, sg_mapped_ents);
}

/* dk_dbg_map_plain() but for its common case: out of line. Named as
 * the checker's own, so a report's call chain passes over it. */
static __attribute__((noinline)) void
dk_dbg_map_plain_slow(struct device *dev, const void *ptr, phys_addr_t pa,
		      size_t size, enum dma_data_direction dir,
		      unsigned long attrs)
{
	dk_dbg_object_check_at(dev, ptr, pa, size);
	map_entry(dev, DK_MAP_SINGLE, ptr, pa, pa, pa, size, dir, attrs, 0, 0);
}

/*
 * The common case with every test made first, so that nothing after
 * them calls out and the hook saves no registers: the object is the one
 * remembered, an entry is at hand, the lines need no table (the CPU
 * will not invalidate them) and fit one word of bits, nothing poisons,
 * the call chain is walked inline (or not taken) and the caller's own
 * lane is free with nothing pending. Anything else: the slow path,
 * which does the same the long way.
 */
void dk_dbg_map_plain(struct device *dev, const void *ptr, phys_addr_t pa,
		      size_t size, enum dma_data_direction dir,
		      unsigned long attrs)
{
	struct dk_dbg_entry *e = dk_dbg_recycled.head;
	int mode = atomic_load_explicit(&dk_dbg_bt_mode,
					memory_order_relaxed);
	u32 l = line_of(dev);
	struct dk_dbg_shard *s;
	u64 first, nlines;

	if (!dk_dbg_on())
		return;
	if (!DK_DBG_WALK_INLINE || !e || (l & (l - 1)) ||
	    (dir != DMA_TO_DEVICE && !(attrs & DMA_ATTR_SKIP_CPU_SYNC)) ||
	    (mode != DK_DMA_DEBUG_BT_FRAMES && mode != DK_DMA_DEBUG_BT_OFF) ||
	    /* Only the walk needs to know its stack, and no Valgrind. */
	    (mode == DK_DMA_DEBUG_BT_FRAMES &&
	     (atomic_load_explicit(&dk_dbg_on_valgrind, memory_order_relaxed) ||
	      !dk_dbg_stack_hi)) ||
	    atomic_load_explicit(&dk_poison_state, memory_order_relaxed) ||
	    !dk_dbg_object_known(dev, ptr, size))
		goto slow;
	first = pa >> __builtin_ctz(l);
	nlines = ((pa + size - 1) >> __builtin_ctz(l)) - first + 1;
	if (nlines >= 8 * sizeof(long) || !(s = dk_dbg_own_lane_trylock(dev)))
		goto slow;
	if (s->pending) {
		dk_dbg_unlock(&s->lock);
		goto slow;
	}
	dk_dbg_recycled.head = (struct dk_dbg_entry *)e->cpu_addr;
	dk_dbg_recycled.n--;
	dk_dbg_entry_clear(e);
	entry_fill(e, dev, DK_MAP_SINGLE, ptr, pa, pa, pa, size, dir, attrs,
		   0, 0);
	e->nbt = mode == DK_DMA_DEBUG_BT_OFF ? 0 :
		 dk_dbg_fp_walk_known(e->bt, DK_DBG_BT,
				      (uintptr_t)__builtin_frame_address(0),
				      0);
	/* own_init()'s case of one word */
	e->line0 = first * l;
	e->nlines = nlines;
	e->owned = e->owned_inline;
	e->owned[0] = (1UL << nlines) - 1;
	e->home = s;
	dk_dbg_add_newest(s, e);
	return;
slow:
	dk_dbg_map_plain_slow(dev, ptr, pa, size, dir, attrs);
}

/* What dma_unmap_*() of @e as @type, @size, @dir may get wrong. */
static __attribute__((noinline)) void
unmap_checks(struct device *dev, const struct dk_dbg_entry *e,
	     enum dk_map_type type, dma_addr_t dma, size_t size,
	     enum dma_data_direction dir, int sg_ents, const void *cpu_addr)
{
	if (e->size != size)
		dk_dbg_report(dev, DK_CHK_FREE_SIZE, e, dma, size, dir,
			      "device driver frees DMA memory with different size [device address=0x%016llx] [map size=%llu bytes] [unmap size=%zu bytes]",
			      (unsigned long long)dma,
			      (unsigned long long)e->size, size);
	if (e->type != type)
		dk_dbg_report(dev, DK_CHK_FREE_WRONG_FUNC, e, dma, size, dir,
			      "device driver frees DMA memory with wrong function [device address=0x%016llx] [size=%llu bytes] [mapped as %s] [unmapped as %s]",
			      (unsigned long long)dma,
			      (unsigned long long)e->size,
			      dk_dbg_type_name(e->type), dk_dbg_type_name(type));
	if (e->type == DK_MAP_COHERENT && type == DK_MAP_COHERENT &&
	    cpu_addr != e->cpu_addr)
		dk_dbg_report(dev, DK_CHK_FREE_CPU_ADDR, e, dma, size, dir,
			      "device driver frees DMA memory with different CPU address [device address=0x%016llx] [size=%zu bytes] [cpu alloc address=%p] [cpu free address=%p]",
			      (unsigned long long)dma, size, e->cpu_addr,
			      cpu_addr);
	if (e->type == DK_MAP_SG && type == DK_MAP_SG &&
	    e->sg_call_ents != sg_ents)
		dk_dbg_report(dev, DK_CHK_FREE_SG_COUNT, e, dma, size, dir,
			      "device driver frees DMA sg list with different entry count [map count=%d] [unmap count=%d]",
			      e->sg_call_ents, sg_ents);
	/* Every kind: a non-coherent allocation and a resource mapping
	 * carry a direction too, and Linux's dma-debug checks it. */
	if (e->dir != dir)
		dk_dbg_report(dev, DK_CHK_FREE_DIR, e, dma, size, dir,
			      "device driver frees DMA memory with different direction [device address=0x%016llx] [size=%zu bytes] [mapped with %s] [unmapped with %s]",
			      (unsigned long long)dma, size,
			      dk_dbg_dir_name(e->dir), dk_dbg_dir_name(dir));
	if (e->map_err == MAP_ERR_NOT_CHECKED)
		dk_dbg_report(dev, DK_CHK_MAP_ERR_UNCHECKED, e, dma, size, dir,
			      "device driver failed to check map error [device address=0x%016llx] [size=%zu bytes] [mapped as %s]",
			      (unsigned long long)dma, size,
			      dk_dbg_type_name(e->type));
}

/* What goes with @e's unmap once the checks are made. */
static inline __attribute__((always_inline)) void
unmap_release(struct dk_dbg_entry *e)
{
	if (streaming(e->type)) {
		check_dirty(e, e->pa, e->size);
		poison(e, e->pa, e->size, false);
		repoison_others(e, e->pa, e->pa + e->size);
	}
	if (e->tracked)
		dk_dbg_lines_remove(e, line_of(e->dev));
	dk_dbg_entry_free(e);
}

/* dk_dbg_unmap() but for the newest entry it may take quietly. */
static __attribute__((noinline)) void
unmap_full(struct device *dev, enum dk_map_type type, dma_addr_t dma,
	   size_t size, enum dma_data_direction dir, int sg_ents,
	   const void *cpu_addr)
{
	struct dk_dbg_entry *e;

	if (dma == DMA_MAPPING_ERROR) {
		dk_dbg_report(dev, DK_CHK_FREE_INVALID_ADDR, NULL, dma, size,
			      dir,
			      "device driver tries to free an invalid DMA memory address");
		return;
	}
	e = dk_dbg_entry_take(dev, dma, type, size);
	if (!e) {
		dk_dbg_report(dev, DK_CHK_FREE_NOT_ALLOCATED, NULL, dma, size,
			      dir,
			      "device driver tries to free DMA memory it has not allocated [device address=0x%016llx] [size=%zu bytes]",
			      (unsigned long long)dma, size);
		return;
	}
	/* One test for the common case, where every check passes. */
	if (e->size != size || e->type != type || e->dir != dir ||
	    e->map_err == MAP_ERR_NOT_CHECKED || type == DK_MAP_COHERENT ||
	    type == DK_MAP_SG)
		unmap_checks(dev, e, type, dma, size, dir, sg_ents, cpu_addr);
	unmap_release(e);
}

struct unmap_key {
	enum dk_map_type type;
	u64 size;
	enum dma_data_direction dir;
};

/* unmap_full()'s test of the common case, every check passing. */
static bool quiet_unmap(const struct dk_dbg_entry *e, const void *arg)
{
	const struct unmap_key *k = arg;

	return e->size == k->size && e->type == k->type && e->dir == k->dir &&
	       e->map_err != MAP_ERR_NOT_CHECKED &&
	       k->type != DK_MAP_COHERENT && k->type != DK_MAP_SG;
}

/* unmap_release() when it has nothing to do but keep the entry: a
 * device that needs no look at dirty lines, no poisoning, no line table,
 * an entry that goes back to the thread's list. */
static inline bool release_quiet(const struct dk_dbg_entry *e)
{
	const struct dk_dbg_recycle *r = &dk_dbg_recycled;

	return (!streaming(e->type) || e->dev->dma_coherent) &&
	       !atomic_load_explicit(&dk_poison_state, memory_order_relaxed) &&
	       !e->tracked && !e->in_owners &&
	       (!e->owned || e->owned == e->owned_inline) && r->keyed &&
	       r->n < DK_DBG_RECYCLE_MAX;
}

static __attribute__((noinline)) void
unmap_release_slow(struct dk_dbg_entry *e)
{
	unmap_release(e);
}

/*
 * The mapping this thread made last, unmapped as it was mapped: taken
 * and, when nothing more is to be done with it, kept for the next map
 * with no call, so the hook saves no registers. Returns false, nothing
 * done, for anything else.
 */
static inline __attribute__((always_inline)) bool
unmap_quiet(struct device *dev, enum dk_map_type type, dma_addr_t dma,
	    size_t size, enum dma_data_direction dir)
{
	struct unmap_key k = { type, size, dir };
	struct dk_dbg_recycle *r = &dk_dbg_recycled;
	struct dk_dbg_entry *e;

	e = dk_dbg_take_newest_if(dev, dma, quiet_unmap, &k);
	if (!e)
		return false;
	if (!release_quiet(e)) {
		unmap_release_slow(e);
		return true;
	}
	/* dk_dbg_entry_free()'s common case */
	e->cpu_addr = r->head;
	r->head = e;
	r->n++;
	return true;
}

static __attribute__((noinline)) void
unmap_plain_slow(struct device *dev, enum dk_map_type type, dma_addr_t dma,
		 size_t size, enum dma_data_direction dir)
{
	unmap_full(dev, type, dma, size, dir, -1, NULL);
}

void dk_dbg_unmap_plain(struct device *dev, enum dk_map_type type,
			dma_addr_t dma, size_t size,
			enum dma_data_direction dir)
{
	if (!dk_dbg_on() || !dev)
		return;
	if (!unmap_quiet(dev, type, dma, size, dir))
		unmap_plain_slow(dev, type, dma, size, dir);
}

void dk_dbg_unmap(struct device *dev, enum dk_map_type type, dma_addr_t dma,
		  size_t size, enum dma_data_direction dir, int sg_ents,
		  const void *cpu_addr)
{
	if (!dk_dbg_on() || !dev)
		return;
	if (!unmap_quiet(dev, type, dma, size, dir))
		unmap_full(dev, type, dma, size, dir, sg_ents, cpu_addr);
}

static bool size_of(struct dk_dbg_entry *e, void *arg)
{
	*(u64 *)arg = e->size;
	return true;
}

void dk_dbg_unmap_span(struct device *dev, enum dk_map_type type,
		       dma_addr_t dma, u64 len, enum dma_data_direction dir)
{
	u64 at = 0, size;

	if (!dk_dbg_on() || !dev)
		return;
	while (at < len) {
		size = len - at;
		/* The entry's own size, so it matches; none: reported. */
		dk_dbg_entry_at(dev, dma + at, size_of, &size);
		if (size > len - at)
			size = len - at;
		dk_dbg_unmap(dev, type, dma + at, size, dir, -1, NULL);
		at += size;
	}
}

/* Out of line, and a jump: the hook's common case saves no registers. */
static __attribute__((noinline)) int mark_checked_slow(struct device *dev,
						       dma_addr_t dma)
{
	dk_dbg_entry_mark_checked(dev, dma);
	return 0;
}

/* Nearly always of the mapping this thread made last: marked inline. */
int dk_dbg_mapping_error(struct device *dev, dma_addr_t dma)
{
	struct dk_dbg_shard *s;
	struct dk_dbg_entry *e;

	if (dma == DMA_MAPPING_ERROR)
		return -ENOMEM;
	if (!dk_dbg_on() || !dev)
		return 0;
	s = dk_dbg_own_lane_trylock(dev);
	if (!s)
		return mark_checked_slow(dev, dma);
	e = dk_dbg_newest_at(s, dev, dma);
	if (!e || e->map_err != MAP_ERR_NOT_CHECKED) {
		dk_dbg_unlock(&s->lock);
		return mark_checked_slow(dev, dma);
	}
	e->map_err = MAP_ERR_CHECKED;
	dk_dbg_unlock(&s->lock);
	return 0;
}

/* ---- syncs */

struct sync_arg {
	dma_addr_t dma;
	u64 size;
	enum dma_data_direction dir;
	bool for_cpu;
	int sg_ents;
	const struct dk_dbg_entry *self;	/* out: what was unpoisoned */
	phys_addr_t lo, hi;
};

static void sync_checks(struct dk_dbg_entry *e, void *arg)
{
	struct sync_arg *a = arg;
	struct device *dev = e->dev;
	phys_addr_t pa = e->pa + (a->dma - e->dma);
	bool ro = a->for_cpu && e->dir == DMA_TO_DEVICE &&
		  a->dir != DMA_TO_DEVICE;
	bool wo = !a->for_cpu && e->dir == DMA_FROM_DEVICE &&
		  a->dir != DMA_FROM_DEVICE;

	/* The read-only/write-only reports say more than "different
	 * direction", so they replace it. */
	if (ro)
		dk_dbg_report(dev, DK_CHK_SYNC_RO_FOR_CPU, e, a->dma, a->size,
			      a->dir,
			      "device driver syncs device read-only DMA memory for cpu [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]",
			      (unsigned long long)a->dma,
			      (unsigned long long)a->size,
			      dk_dbg_dir_name(e->dir), dk_dbg_dir_name(a->dir));
	else if (wo)
		dk_dbg_report(dev, DK_CHK_SYNC_WO_TO_DEVICE, e, a->dma, a->size,
			      a->dir,
			      "device driver syncs device write-only DMA memory to device [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]",
			      (unsigned long long)a->dma,
			      (unsigned long long)a->size,
			      dk_dbg_dir_name(e->dir), dk_dbg_dir_name(a->dir));
	else if (e->dir != DMA_BIDIRECTIONAL && e->dir != a->dir)
		dk_dbg_report(dev, DK_CHK_SYNC_DIR, e, a->dma, a->size, a->dir,
			      "device driver syncs DMA memory with different direction [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]",
			      (unsigned long long)a->dma,
			      (unsigned long long)a->size,
			      dk_dbg_dir_name(e->dir), dk_dbg_dir_name(a->dir));
	if (a->sg_ents >= 0 && e->type == DK_MAP_SG &&
	    e->sg_call_ents != a->sg_ents)
		dk_dbg_report(dev, DK_CHK_SYNC_SG_COUNT, e, a->dma, a->size,
			      a->dir,
			      "device driver syncs DMA sg list with different entry count [map count=%d] [sync count=%d]",
			      e->sg_call_ents, a->sg_ents);
	if (!e->owned)
		return;
	if (a->for_cpu) {
		e->skip_sync_map = false;
		if (own_all_whole(e, pa, a->size, false))
			dk_dbg_report(dev, DK_CHK_SYNC_CPU_TWICE, e, a->dma,
				      a->size, a->dir,
				      "sync_for_cpu of memory the CPU already owns [device address=0x%016llx] [size=%llu bytes]",
				      (unsigned long long)a->dma,
				      (unsigned long long)a->size);
		check_dirty(e, pa, a->size);
		a->self = e;
		own_set(e, pa, a->size, false, &a->lo, &a->hi);
	} else {
		/* A map with SKIP_CPU_SYNC did no cache work: the first
		 * sync_for_device is the real hand-over (page_pool). */
		if (!e->skip_sync_map && own_all_whole(e, pa, a->size, true))
			dk_dbg_report(dev, DK_CHK_SYNC_DEVICE_TWICE, e, a->dma,
				      a->size, a->dir,
				      "sync_for_device of memory the device already owns [device address=0x%016llx] [size=%llu bytes]",
				      (unsigned long long)a->dma,
				      (unsigned long long)a->size);
		own_set(e, pa, a->size, true, NULL, NULL);
	}
}

struct range_arg {
	dma_addr_t dma;
	u64 size;
	bool found;
	u64 alloc_size;
	dma_addr_t alloc_dma;
};

static void find_overlap(struct dk_dbg_entry *e, void *arg)
{
	struct range_arg *r = arg;

	if (!r->found && r->dma >= e->dma && r->dma < e->dma + e->size) {
		r->found = true;
		r->alloc_size = e->size;
		r->alloc_dma = e->dma;
	}
}

void dk_dbg_sync(struct device *dev, dma_addr_t dma, size_t size,
		 enum dma_data_direction dir, bool for_cpu, int sg_ents)
{
	struct sync_arg a = { dma, size, dir, for_cpu, sg_ents, NULL, 0, 0 };
	struct range_arg r = { dma, size, false, 0, 0 };

	if (!dk_dbg_on() || !dev)
		return;
	if (dk_dbg_entry_with(dev, dma, size, sync_checks, &a)) {
		repoison_others(a.self, a.lo, a.hi);
		return;
	}
	dk_dbg_entry_with(dev, dma, 1, find_overlap, &r);
	if (r.found)
		dk_dbg_report(dev, DK_CHK_SYNC_OUT_OF_RANGE, NULL, dma, size,
			      dir,
			      "device driver syncs DMA memory outside allocated range [device address=0x%016llx] [allocation size=%llu bytes] [sync offset+size=%llu]",
			      (unsigned long long)r.alloc_dma,
			      (unsigned long long)r.alloc_size,
			      (unsigned long long)(dma - r.alloc_dma + size));
	else
		dk_dbg_report(dev, DK_CHK_SYNC_NOT_ALLOCATED, NULL, dma, size,
			      dir,
			      "device driver tries to sync DMA memory it has not allocated [device address=0x%016llx] [size=%zu bytes]",
			      (unsigned long long)dma, size);
}

/* ---- unbind */

struct pending {
	int count;
	struct dk_dbg_entry first;
};

static void count_pending(struct dk_dbg_entry *e, void *arg)
{
	struct pending *p = arg;

	if (!p->count++)
		p->first = *e;
}

void dk_dbg_device_released(struct device *dev)
{
	struct pending p = { 0 };

	if (!dk_dbg_on() || !dev)
		return;
	dk_dbg_entry_each(dev, count_pending, &p);
	if (p.count)
		dk_dbg_report(dev, DK_CHK_PENDING_AT_UNBIND, &p.first,
			      p.first.dma, p.first.size, p.first.dir,
			      "device driver has pending DMA allocations while released from device [count=%d]\n"
			      "One of leaked entries details: [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [mapped as %s]",
			      p.count, (unsigned long long)p.first.dma,
			      (unsigned long long)p.first.size,
			      dk_dbg_dir_name(p.first.dir),
			      dk_dbg_type_name(p.first.type));
}
