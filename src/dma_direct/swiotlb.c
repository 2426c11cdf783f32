// SPDX-License-Identifier: MIT
/*
 * swiotlb: a bounce pool in low RAM for devices that cannot reach a buffer.
 * Linux's geometry: 2 KiB slots, no mapping crosses a 128-slot segment,
 * the device's min_align_mask is kept between original and bounce
 * address, buffers of a page or more are page aligned. The pool is split
 * into areas with their own locks, like Linux's per-CPU areas, so threads
 * rarely contend. Each area searches from a rotating index, as Linux's
 * do: just past its last allocation, wrapping at its end, so a search
 * does not walk over every live bounce buffer before it. Data is copied at map, at each sync and at unmap, in the
 * directions Linux copies.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-mapping.h>

#include "../mm/mm.h"
#include "../core/objreg.h"
#include "direct.h"

#define IO_TLB_SHIFT 11
#define IO_TLB_SIZE (1UL << IO_TLB_SHIFT)
#define IO_TLB_SEGSIZE 128
#define DEFAULT_SIZE (4UL << 20)
#define NAREAS 2

struct slot {
	unsigned long head;	/* first slot of the mapping this one is in */
	phys_addr_t orig;	/* head only: original buffer */
	phys_addr_t tlb;	/* head only: bounce address handed out */
	size_t alloc_size;	/* head only */
	unsigned int nslots;	/* head only */
};

struct area {
	pthread_mutex_t lock;
	unsigned long first, end;	/* slots [first, end) */
	unsigned long index;		/* where the next search starts */
};

struct dk_swiotlb {
	phys_addr_t start;
	unsigned long nslabs;
	unsigned long *used;
	struct slot *slots;
	struct area areas[NAREAS];
	atomic_ulong used_slots, max_used, bounced;
};

int dk_swiotlb_init(struct dk_machine *m)
{
	struct dk_swiotlb *t;
	long long size = m->opts.swiotlb_size;
	phys_addr_t pa;
	unsigned long per, i;
	bool sized = size > 0;
	u64 ram = 0;

	if (size < 0)
		return 0;
	for (i = 0; i < (unsigned long)m->nram; i++)
		ram += m->ram[i].size;
	if (!size) {
		/* The default takes at most a sixteenth of RAM, in whole
		 * segments: a small machine keeps its memory. */
		u64 seg = IO_TLB_SEGSIZE * IO_TLB_SIZE;

		size = dk_min64(DEFAULT_SIZE, ram / 16 / seg * seg);
		if (!size) {
			dk_warn("swiotlb: %llu bytes of RAM are too few for a bounce pool; none",
				(unsigned long long)ram);
			return 0;
		}
	}
	if (size % (IO_TLB_SEGSIZE * IO_TLB_SIZE))
		return dk_err(-EINVAL,
			      "swiotlb size %lld is not a multiple of %lu (one segment)",
			      size, IO_TLB_SEGSIZE * IO_TLB_SIZE);
	/* Low memory first, as Linux's memblock_alloc_low(); a small machine
	 * gets a smaller default pool, down to one segment, or none. */
	while (m->pl.ops->alloc_pages(m->pl.ctx, size / PAGE_SIZE, 1, 0,
				      DMA_BIT_MASK(32), &pa) &&
	       m->pl.ops->alloc_pages(m->pl.ctx, size / PAGE_SIZE, 1, 0, ~0ULL,
				      &pa)) {
		if (sized)
			return dk_err(-ENOMEM, "swiotlb: no room for %lld bytes",
				      size);
		if (size == IO_TLB_SEGSIZE * IO_TLB_SIZE) {
			dk_warn("swiotlb: no room even for one segment; no bounce buffering");
			return 0;
		}
		size /= 2;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		goto nomem;
	t->start = pa;
	t->nslabs = size / IO_TLB_SIZE;
	t->used = calloc(DK_BITMAP_LONGS(t->nslabs), sizeof(long));
	t->slots = calloc(t->nslabs, sizeof(*t->slots));
	if (!t->used || !t->slots)
		goto nomem;
	per = t->nslabs / NAREAS / IO_TLB_SEGSIZE * IO_TLB_SEGSIZE;
	if (!per)
		per = t->nslabs;
	for (i = 0; i < NAREAS; i++) {
		pthread_mutex_init(&t->areas[i].lock, NULL);
		t->areas[i].first = dk_min64(i * per, t->nslabs);
		t->areas[i].end = i == NAREAS - 1 ? t->nslabs :
						    dk_min64((i + 1) * per, t->nslabs);
		t->areas[i].index = t->areas[i].first;
	}
	m->swiotlb = t;
	m->swiotlb_start = t->start;
	m->swiotlb_bytes = t->nslabs * IO_TLB_SIZE;
	return 0;
nomem:
	if (t) {
		free(t->used);
		free(t->slots);
		free(t);
	}
	m->pl.ops->free_pages(m->pl.ctx, pa, size / PAGE_SIZE);
	return dk_err(-ENOMEM, "swiotlb: out of memory");
}

void dk_swiotlb_fini(struct dk_machine *m)
{
	struct dk_swiotlb *t = m->swiotlb;
	int i;

	if (!t)
		return;
	m->pl.ops->free_pages(m->pl.ctx, t->start,
			      t->nslabs * IO_TLB_SIZE / PAGE_SIZE);
	for (i = 0; i < NAREAS; i++)
		pthread_mutex_destroy(&t->areas[i].lock);
	free(t->used);
	free(t->slots);
	free(t);
	m->swiotlb = NULL;
	m->swiotlb_bytes = 0;
}

bool dk_is_swiotlb_buffer(struct dk_machine *m, phys_addr_t pa)
{
	struct dk_swiotlb *t = m ? m->swiotlb : NULL;

	return t && pa >= t->start && pa - t->start < t->nslabs * IO_TLB_SIZE;
}

size_t dk_swiotlb_max_mapping(struct device *dev)
{
	size_t mask = dev->dma_parms ? dev->dma_parms->min_align_mask : 0;
	size_t keep = (mask + IO_TLB_SIZE - 1) / IO_TLB_SIZE * IO_TLB_SIZE;

	return IO_TLB_SIZE * IO_TLB_SEGSIZE - keep;
}

int dk_swiotlb_stats(struct dk_machine *m, struct dk_swiotlb_stats *st)
{
	struct dk_swiotlb *t;

	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_swiotlb_stats"))
		return -EINVAL;
	t = m->swiotlb;
	if (!t || !st)
		return dk_err(-ENODEV, "no swiotlb on this machine");
	st->total_slots = t->nslabs;
	st->used_slots = atomic_load(&t->used_slots);
	st->max_used_slots = atomic_load(&t->max_used);
	st->bounced_maps = atomic_load(&t->bounced);
	st->start = t->start;
	st->end = t->start + t->nslabs * IO_TLB_SIZE;
	return 0;
}

/*
 * Copy between the original buffer and its bounce slot through the CPU.
 * Into the slot the copy is a store the device must see even where a
 * stale line of the slot already holds the same bytes.
 */
static void bounce(struct dk_machine *m, phys_addr_t orig, phys_addr_t tlb,
		   size_t size, bool to_tlb)
{
	u8 *o = dk_phys_to_virt(m, orig), *b = dk_phys_to_virt(m, tlb);

	if (to_tlb)
		m->pl.ops->mem_store(m->pl.ctx, tlb, o, size);
	else
		memcpy(o, b, size);
}

static unsigned int my_area(void)
{
	static _Thread_local unsigned int area = ~0u;
	static atomic_uint next;

	if (area == ~0u)
		area = atomic_fetch_add(&next, 1) % NAREAS;
	return area;
}

/* Whether @nslots slots from @i are free, keep the alignment and stay in
 * one segment. */
static bool fits(struct dk_swiotlb *t, unsigned long i, unsigned int nslots,
		 u64 align_mask, phys_addr_t orig)
{
	phys_addr_t addr = t->start + (i << IO_TLB_SHIFT);

	return (addr & align_mask) == (orig & align_mask) &&
	       i / IO_TLB_SEGSIZE == (i + nslots - 1) / IO_TLB_SEGSIZE &&
	       dk_bits_all(t->used, i, nslots, false);
}

/* The first fitting run in [lo, hi), free runs found a word at a time. */
static bool search(struct dk_swiotlb *t, unsigned long lo, unsigned long hi,
		   unsigned int nslots, u64 align_mask, phys_addr_t orig,
		   unsigned long stride, unsigned long *out)
{
	unsigned long i = lo;

	while (dk_bits_find(t->used, i, hi, nslots, stride, &i)) {
		if (fits(t, i, nslots, align_mask, orig)) {
			*out = i;
			return true;
		}
		i += stride;
	}
	return false;
}

/*
 * Find @nslots free slots in @a whose addresses satisfy the alignment:
 * from the area's index to its end, then from its start. The index then
 * moves past the allocation. Areas start on segment boundaries, so a
 * stride of slots is aligned alike in the area and in the pool.
 */
static bool find_slots(struct dk_swiotlb *t, struct area *a,
		       unsigned int nslots, u64 align_mask, phys_addr_t orig,
		       unsigned long stride, unsigned long *out)
{
	if (!search(t, a->index, a->end, nslots, align_mask, orig, stride,
		    out) &&
	    !search(t, a->first, a->end, nslots, align_mask, orig, stride,
		    out))
		return false;
	a->index = *out + nslots < a->end ? *out + nslots : a->first;
	return true;
}

/* Where a bounce buffer goes: which address bits it keeps, its offset in
 * its first slot, how many slots, on which slot stride. */
struct place {
	u64 align_mask;
	size_t offset;
	unsigned long nslots, stride;
	bool reach;		/* the device must reach it directly */
};

static phys_addr_t map_at(struct device *dev, phys_addr_t orig, size_t size,
			  enum dma_data_direction dir, unsigned long attrs,
			  const struct place *p)
{
	struct dk_machine *m = dev->machine;
	struct dk_swiotlb *t = m->swiotlb;
	u64 align_mask = p->align_mask;
	size_t offset = p->offset;
	unsigned long nslots = p->nslots, stride = p->stride;
	unsigned long idx = 0, used, j;
	unsigned int a0 = my_area(), k;
	phys_addr_t tlb;
	bool found = false;

	if (size > dk_swiotlb_max_mapping(dev)) {
		dk_err(-EINVAL, "%s: swiotlb: mapping of %zu bytes is over the %zu-byte maximum",
		       dev_name(dev), size, dk_swiotlb_max_mapping(dev));
		dk_warn("%s", dk_last_error());
		return ~(phys_addr_t)0;
	}
	for (k = 0; k < NAREAS && !found; k++) {
		struct area *a = &t->areas[(a0 + k) % NAREAS];

		pthread_mutex_lock(&a->lock);
		found = find_slots(t, a, nslots, align_mask, orig, stride, &idx);
		if (found) {
			/* Described before the lock goes, so a racing lookup
			 * never sees used slots without their mapping. */
			tlb = t->start + (idx << IO_TLB_SHIFT) + offset;
			for (j = 0; j < nslots; j++)
				t->slots[idx + j].head = idx;
			t->slots[idx].orig = orig;
			t->slots[idx].tlb = tlb;
			t->slots[idx].alloc_size = size;
			t->slots[idx].nslots = nslots;
			dk_bits_set(t->used, idx, nslots, true);
		}
		pthread_mutex_unlock(&a->lock);
	}
	if (!found) {
		dk_err(-ENOMEM,
		       "%s: swiotlb buffer is full (sz: %zu bytes), total %lu (slots), used %lu (slots)",
		       dev_name(dev), size, t->nslabs,
		       atomic_load(&t->used_slots));
		if (!(attrs & DMA_ATTR_NO_WARN))
			dev_warn(dev, "swiotlb buffer is full (sz: %zu bytes), total %lu (slots), used %lu (slots)",
				 size, t->nslabs, atomic_load(&t->used_slots));
		return ~(phys_addr_t)0;
	}
	used = atomic_fetch_add(&t->used_slots, nslots) + nslots;
	j = atomic_load(&t->max_used);
	while (used > j && !atomic_compare_exchange_weak(&t->max_used, &j, used))
		;
	atomic_fetch_add(&t->bounced, 1);
	if (p->reach && !dk_dma_capable(dev, phys_to_dma(dev, tlb), size, false)) {
		dk_swiotlb_unmap(dev, tlb, size, DMA_TO_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
		dk_err(-EIO,
		       "%s: swiotlb addr 0x%llx+%zu overflow (mask 0x%llx, bus limit 0x%llx)",
		       dev_name(dev), (unsigned long long)phys_to_dma(dev, tlb),
		       size, (unsigned long long)*dev->dma_mask,
		       (unsigned long long)dev->bus_dma_limit);
		return ~(phys_addr_t)0;
	}
	/* Always copy in, whatever the direction, so a device writing less
	 * than it was given cannot expose old pool contents. */
	bounce(m, orig, tlb, size, true);
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_device(dev, tlb, size, dir);
	return tlb;
}

phys_addr_t dk_swiotlb_map(struct device *dev, phys_addr_t orig, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	unsigned int min_align = dev->dma_parms ? dev->dma_parms->min_align_mask : 0;
	/* Bits of the original address the slot must keep above the slot
	 * offset; below it, the offset inside the slot keeps them. */
	u64 align_mask = min_align & ~(IO_TLB_SIZE - 1);
	size_t offset = orig & min_align & (IO_TLB_SIZE - 1);
	/* Page alignment for big mappings only when the device asks for no
	 * alignment of its own, as Linux does: with a min_align_mask above
	 * the slot size the slots that keep it may be odd ones. */
	struct place p = {
		align_mask, offset,
		(offset + size + IO_TLB_SIZE - 1) >> IO_TLB_SHIFT,
		size >= PAGE_SIZE && !align_mask ? PAGE_SIZE / IO_TLB_SIZE : 1,
		true,
	};

	return map_at(dev, orig, size, dir, attrs, &p);
}

phys_addr_t dk_swiotlb_map_pages(struct device *dev, phys_addr_t orig,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs)
{
	struct dk_machine *m = dev->machine;
	size_t offset = orig % PAGE_SIZE, span = PAGE_ALIGN(offset + size);
	struct place p = { 0, offset, span >> IO_TLB_SHIFT,
			   PAGE_SIZE / IO_TLB_SIZE, false };
	phys_addr_t tlb = map_at(dev, orig, size, dir, attrs, &p);

	if (tlb == ~(phys_addr_t)0)
		return tlb;
	/* The pages hold this buffer alone: no old pool bytes around it. */
	if (offset)
		m->pl.ops->mem_store(m->pl.ctx, tlb - offset, NULL, offset);
	if (span > offset + size)
		m->pl.ops->mem_store(m->pl.ctx, tlb + size, NULL,
				     span - offset - size);
	return tlb;
}

/* The mapping's head slot for a bounce address, or NULL if not live. */
static struct slot *head_of(struct dk_swiotlb *t, phys_addr_t tlb)
{
	unsigned long i = (tlb - t->start) >> IO_TLB_SHIFT;
	struct slot *h;

	if (!dk_bit_test(t->used, i))
		return NULL;
	h = &t->slots[t->slots[i].head];
	return h;
}

static struct slot *lookup(struct device *dev, phys_addr_t tlb, size_t size,
			   const char *what)
{
	struct dk_swiotlb *t = dev->machine->swiotlb;
	struct slot *h = head_of(t, tlb);

	if (!h || tlb < h->tlb || tlb + size > h->tlb + h->alloc_size) {
		dev_err(dev, "swiotlb: %s of 0x%llx + %zu is outside any live bounce buffer",
			what, (unsigned long long)tlb, size);
		return NULL;
	}
	return h;
}

void dk_swiotlb_unmap(struct device *dev, phys_addr_t tlb, size_t size,
		      enum dma_data_direction dir, unsigned long attrs)
{
	struct dk_swiotlb *t = dev->machine->swiotlb;
	struct slot *h = lookup(dev, tlb, size, "unmap");
	unsigned long idx;
	unsigned int n, k;

	if (!h)
		return;
	/* SKIP_CPU_SYNC leaves the buffer in the device's domain: no copy
	 * back either, or stale slot bytes would land on what the CPU wrote
	 * into the original since its last sync_for_cpu. */
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_cpu(dev, tlb, size, dir);
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
	    (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce(dev->machine, h->orig + (tlb - h->tlb), tlb, size, false);
	idx = h - t->slots;
	n = h->nslots;
	for (k = 0; k < NAREAS; k++)
		if (idx >= t->areas[k].first && idx < t->areas[k].end)
			break;
	pthread_mutex_lock(&t->areas[k].lock);
	memset(h, 0, sizeof(*h));
	dk_bits_set(t->used, idx, n, false);
	pthread_mutex_unlock(&t->areas[k].lock);
	atomic_fetch_sub(&t->used_slots, n);
}

void dk_swiotlb_sync_cpu(struct device *dev, phys_addr_t tlb, size_t size,
			 enum dma_data_direction dir)
{
	struct slot *h = lookup(dev, tlb, size, "sync_for_cpu");

	if (!h)
		return;
	if (!dev->dma_coherent)
		dk_sync_for_cpu(dev, tlb, size, dir);
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
		bounce(dev->machine, h->orig + (tlb - h->tlb), tlb, size, false);
}

void dk_swiotlb_sync_device(struct device *dev, phys_addr_t tlb, size_t size,
			    enum dma_data_direction dir)
{
	struct slot *h = lookup(dev, tlb, size, "sync_for_device");

	if (!h)
		return;
	if (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
		bounce(dev->machine, h->orig + (tlb - h->tlb), tlb, size, true);
	if (!dev->dma_coherent)
		dk_sync_for_device(dev, tlb, size, dir);
}
