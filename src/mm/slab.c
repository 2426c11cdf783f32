// SPDX-License-Identifier: MIT
/*
 * kmalloc: power-of-two size classes from the machine's kmalloc alignment
 * to 8 KiB, one set per zone, carved from page blocks; bigger requests get
 * whole page blocks. Bookkeeping lives outside the objects (a bitmap per
 * slab), so a DMA bug that corrupts a neighbour object corrupts its data,
 * as on hardware, but never the allocator itself.
 *
 * The object path takes no lock: a slab's bitmap words are claimed and
 * released with atomic operations, each cache remembers a slab that
 * recently had room, and the page -> slab link is set before the slab is
 * published. Only a full hint, a new slab and whole-page blocks take the
 * lock.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/slab.h>

#include "mm.h"

#define MAX_CLASS_SHIFT 13	/* 8 KiB */
#define NZONES 3		/* normal, DMA32, DMA */
#define SLAB_ORDER 2		/* 16 KiB slabs */
#define PG_KMALLOC 1UL		/* head of a big kmalloc block */

#define BM_LONGS DK_BITMAP_LONGS(PAGE_SIZE << SLAB_ORDER >> 3)
#define HDR 8			/* in-memory header: magic, size */
#define HDR_MAGIC 0x6b6d6c63u
#define BM_BITS (8 * sizeof(long))

struct slab {
	struct slab *next;
	struct kcache *cache;
	u8 *base;
	unsigned int nobj;
	/* 1 = live; the bits past nobj are set for good. Atomic words. */
	unsigned long bitmap[BM_LONGS];
};

struct kcache {
	size_t size;
	gfp_t zone;
	struct slab *slabs;		/* under the lock */
	struct slab *hint;		/* atomic: where to try first */
};

/* Claim a free object of @s: its index, or -1 if @s is full. */
static long obj_claim(struct slab *s)
{
	unsigned int w;

	for (w = 0; w < BM_LONGS; w++) {
		unsigned long v = __atomic_load_n(&s->bitmap[w], __ATOMIC_RELAXED);

		while (v != ~0UL)
			if (__atomic_compare_exchange_n(&s->bitmap[w], &v,
							v | (v + 1), true,
							__ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return w * BM_BITS + __builtin_ctzl(~v);
	}
	return -1;
}

/* Release object @i of @s; false if it was not live (a double free). */
static bool obj_release(struct slab *s, unsigned long i)
{
	unsigned long bit = 1UL << (i % BM_BITS);

	return __atomic_fetch_and(&s->bitmap[i / BM_BITS], ~bit,
				  __ATOMIC_RELEASE) & bit;
}

static bool obj_live(const struct slab *s, unsigned long i)
{
	return __atomic_load_n(&s->bitmap[i / BM_BITS], __ATOMIC_ACQUIRE) &
	       1UL << (i % BM_BITS);
}

static struct slab *slab_of_page(const struct page *pg)
{
	return pg ? __atomic_load_n(&pg->slab, __ATOMIC_ACQUIRE) : NULL;
}

struct dk_kmem {
	pthread_mutex_t lock;
	int nclasses;
	unsigned int first_shift;
	/* With in-memory bookkeeping: where an object starts in its slot
	 * (the header is the 8 bytes before it); 0 without. */
	unsigned int off;
	struct kcache caches[NZONES][MAX_CLASS_SHIFT + 1];
};

static struct dk_kmem *kmem_of(struct dk_machine *m)
{
	struct dk_kmem *k;
	unsigned int shift = 3, z, c;

	/* Set once, then only read: an acquire load keeps the hot path
	 * free of the machine lock. */
	k = __atomic_load_n(&m->kmem, __ATOMIC_ACQUIRE);
	if (k)
		return k;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	pthread_mutex_init(&k->lock, NULL);
	while ((1u << shift) < m->kmalloc_align)
		shift++;
	k->first_shift = shift;
	if (m->opts.kmalloc_header)
		k->off = m->kmalloc_align > HDR ? m->kmalloc_align : HDR;
	k->nclasses = MAX_CLASS_SHIFT - shift + 1;
	for (z = 0; z < NZONES; z++)
		for (c = 0; c < (unsigned int)k->nclasses; c++) {
			k->caches[z][c].size = 1UL << (shift + c);
			k->caches[z][c].zone = z == 0 ? 0 : z == 1 ? __GFP_DMA32 :
								      __GFP_DMA;
		}
	pthread_mutex_lock(&m->lock);
	if (!m->kmem)
		__atomic_store_n(&m->kmem, k, __ATOMIC_RELEASE);
	else
		free(k);
	k = m->kmem;
	pthread_mutex_unlock(&m->lock);
	return k;
}

void dk_kmem_fini(struct dk_machine *m)
{
	struct dk_kmem *k = m->kmem;
	int z, c;

	if (!k)
		return;
	for (z = 0; z < NZONES; z++)
		for (c = 0; c < k->nclasses; c++) {
			struct slab *s = k->caches[z][c].slabs, *n;

			for (; s; s = n) {
				n = s->next;
				free(s);
			}
		}
	pthread_mutex_destroy(&k->lock);
	free(k);
	m->kmem = NULL;
}

static struct slab *new_slab(struct dk_machine *m, struct kcache *kc)
{
	struct page *pg = dk_alloc_pages_range(m, kc->zone | __GFP_NOWARN,
					       SLAB_ORDER, 0,
					       kc->zone & __GFP_DMA ?
						       m->zone_dma_limit :
					       kc->zone & __GFP_DMA32 ?
						       m->zone_dma32_limit : ~0ULL);
	struct slab *s;
	int i;

	if (!pg)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		__free_pages(pg, SLAB_ORDER);
		return NULL;
	}
	s->cache = kc;
	s->base = dk_phys_to_virt(m, dk_page_to_phys(m, pg));
	s->nobj = (PAGE_SIZE << SLAB_ORDER) / kc->size;
	for (i = s->nobj; i < (int)(BM_LONGS * BM_BITS); i++)
		s->bitmap[i / BM_BITS] |= 1UL << (i % BM_BITS);
	for (i = 0; i < 1 << SLAB_ORDER; i++)
		__atomic_store_n(&pg[i].slab, s, __ATOMIC_RELEASE);
	s->next = kc->slabs;
	kc->slabs = s;
	return s;
}

static int zone_index(gfp_t gfp)
{
	return gfp & __GFP_DMA ? 2 : gfp & __GFP_DMA32 ? 1 : 0;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	/* dk_machine_of() only for its message: a call less per kmalloc. */
	struct dk_machine *m = dk_machine_current() ?: dk_machine_of();
	struct dk_kmem *k;
	struct kcache *kc;
	struct slab *s;
	long i;
	unsigned int c = 0;
	void *p;

	if (!m)
		return NULL;
	if (!size) {
		dk_err(-EINVAL, "kmalloc: size 0");
		return NULL;
	}
	k = kmem_of(m);
	if (!k) {
		dk_err(-ENOMEM, "kmalloc: out of memory");
		return NULL;
	}
	if (size + k->off > (1UL << MAX_CLASS_SHIFT)) {
		struct page *pg = dk_alloc_pages_range(
			m, gfp, get_order(size), 0,
			gfp & __GFP_DMA ? m->zone_dma_limit :
			gfp & __GFP_DMA32 ? m->zone_dma32_limit : ~0ULL);

		if (!pg)
			return NULL;
		pg->flags |= PG_KMALLOC;
		p = dk_phys_to_virt(m, dk_page_to_phys(m, pg));
		if (gfp & __GFP_ZERO)
			dk_zero(m, p, size);
		return p;
	}
	while (k->caches[0][c].size < size + k->off)
		c++;
	kc = &k->caches[zone_index(gfp)][c];
	s = __atomic_load_n(&kc->hint, __ATOMIC_ACQUIRE);
	i = s ? obj_claim(s) : -1;
	if (i < 0) {
		pthread_mutex_lock(&k->lock);
		for (s = kc->slabs; s && (i = obj_claim(s)) < 0; s = s->next)
			;
		if (!s && (s = new_slab(m, kc)))
			i = obj_claim(s);
		if (s)
			__atomic_store_n(&kc->hint, s, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&k->lock);
	}
	if (i < 0) {
		dk_err(-ENOMEM, "kmalloc(%zu): out of memory", size);
		return NULL;
	}
	p = s->base + i * kc->size + k->off;
	if (k->off) {
		u32 h[2] = { HDR_MAGIC ^ (u32)(uintptr_t)p, (u32)size };

		memcpy((u8 *)p - HDR, h, HDR);
	}
	if (gfp & __GFP_ZERO)
		dk_zero(m, p, size);
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size) {
		dk_err(-EOVERFLOW, "kcalloc: %zu x %zu overflows", n, size);
		return NULL;
	}
	return kzalloc(n * size, gfp);
}

/* The slab and index of the object at @p; NULL if @p is in no slab or
 * not at an object's start. No lock. */
static struct slab *obj_of(struct dk_kmem *k, const void *p, struct page *pg,
			   unsigned long *idx)
{
	struct slab *s = slab_of_page(pg);
	unsigned long off;

	if (!s || (uintptr_t)p - (uintptr_t)s->base < k->off)
		return NULL;
	off = (const u8 *)p - s->base - k->off;
	if (off % s->cache->size)
		return NULL;
	*idx = off / s->cache->size;
	return s;
}

/* Whether the in-memory header before object @p is intact (or absent). */
static bool header_ok(const struct dk_kmem *k, const void *p)
{
	u32 h[2];

	if (!k->off)
		return true;
	memcpy(h, (const u8 *)p - HDR, HDR);
	return h[0] == (HDR_MAGIC ^ (u32)(uintptr_t)p) &&
	       h[1] <= (1u << MAX_CLASS_SHIFT);
}

/* Whether @pg heads a live big kmalloc block at @p. */
static bool big_block(const void *p, const struct page *pg)
{
	return pg && !slab_of_page(pg) && !((unsigned long)p % PAGE_SIZE) &&
	       pg->refcount == 1 && (pg->flags & PG_KMALLOC);
}

/* The checker's: told of every object freed while it is on. */
static _Atomic(const struct dk_free_hooks *) free_hooks;

void dk_mm_set_free_hooks(const struct dk_free_hooks *h)
{
	atomic_store_explicit(&free_hooks, h, memory_order_relaxed);
}

void kfree(const void *p)
{
	struct dk_machine *m = dk_machine_current();
	struct page *pg;
	struct slab *s;
	unsigned long i;
	phys_addr_t pa;
	const struct dk_free_hooks *h;
	bool big, ok;

	if (!p || !m || !m->kmem)
		return;
	/* virt_to_page() of the machine in hand, not asked for again. */
	pg = dk_linear_to_phys(m, p, &pa) ? dk_phys_to_page(m, pa) : NULL;
	if (slab_of_page(pg)) {
		s = obj_of(m->kmem, p, pg, &i);
		if (!s || !obj_live(s, i)) {
			dk_warn("BUG: kfree(%p): not a live kmalloc object", p);
			return;
		}
		if (!header_ok(m->kmem, p)) {
			/* What a malloc with inline headers trips over. */
			dk_warn("BUG: kfree(%p): the allocator's bookkeeping before the object is corrupted; the object is kept",
				p);
			return;
		}
		/* As Linux's slab does: a buffer still mapped for DMA is
		 * about to be handed to its next owner. */
		/* A kexec'd kernel's memory goes whole. */
		h = m->kexec ? NULL : atomic_load_explicit(&free_hooks,
							   memory_order_relaxed);
		if (h)
			h->freed(m, p, s->cache->size - m->kmem->off);
		if (m->kmem->off) {
			/* A malloc links a freed chunk into its free lists:
			 * its bookkeeping changes with it. */
			u32 h[2] = { HDR_MAGIC ^ (u32)(uintptr_t)p, ~0u };

			memcpy((u8 *)p - HDR, h, HDR);
		}
		ok = obj_release(s, i);
		if (h)
			h->gone();
		if (!ok) {	/* freed meanwhile */
			dk_warn("BUG: kfree(%p): not a live kmalloc object", p);
			return;
		}
		/* Where it was freed there is room: the next kmalloc tries
		 * there first (a store only when it changes). */
		if (__atomic_load_n(&s->cache->hint, __ATOMIC_RELAXED) != s)
			__atomic_store_n(&s->cache->hint, s, __ATOMIC_RELEASE);
		return;
	}
	pthread_mutex_lock(&m->kmem->lock);
	big = big_block(p, pg);
	pthread_mutex_unlock(&m->kmem->lock);
	if (!big) {
		dk_warn("BUG: kfree(%p): not a live kmalloc object", p);
		return;
	}
	h = m->kexec ? NULL : atomic_load_explicit(&free_hooks,
						   memory_order_relaxed);
	if (h)
		h->freed(m, p, PAGE_SIZE << pg->order);
	__free_pages(pg, pg->order);
	if (h)
		h->gone();
}

size_t ksize(const void *p)
{
	struct dk_machine *m = dk_machine_current();
	struct page *pg;
	struct slab *s;
	unsigned long i;
	size_t n = 0;

	if (!p || !m || !m->kmem)
		return 0;
	pg = virt_to_page(p);
	if (slab_of_page(pg)) {
		s = obj_of(m->kmem, p, pg, &i);
		return s && obj_live(s, i) && header_ok(m->kmem, p) ?
			       s->cache->size - m->kmem->off : 0;
	}
	pthread_mutex_lock(&m->kmem->lock);
	if (big_block(p, pg))
		n = PAGE_SIZE << pg->order;
	pthread_mutex_unlock(&m->kmem->lock);
	return n;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old = ksize(p);
	void *n;

	if (!new_size) {
		kfree(p);
		return NULL;
	}
	if (p && !old) {
		dk_err(-EINVAL, "krealloc(%p): not a kmalloc object", p);
		return NULL;
	}
	if (p && new_size <= old)
		return (void *)p;
	n = kmalloc(new_size, gfp);
	if (n && p) {
		memcpy(n, p, old);
		kfree(p);
	}
	return n;
}

unsigned int dk_kmalloc_minalign(void)
{
	struct dk_machine *m = dk_machine_current();

	return m ? m->kmalloc_align : 0;
}

int dk_kmalloc_object(struct dk_machine *m, const void *p, const void **start,
		      size_t *size)
{
	phys_addr_t pa;

	if (!m || !dk_linear_to_phys(m, p, &pa))
		return 0;
	return dk_kmalloc_object_at(m, p, pa, start, size);
}

int dk_kmalloc_object_at(struct dk_machine *m, const void *p, phys_addr_t pa,
			 const void **start, size_t *size)
{
	struct page *pg;
	struct slab *s;
	unsigned long i;
	int r = 0;

	if (!m->kmem || !(pg = dk_phys_to_page(m, pa)))
		return 0;
	s = slab_of_page(pg);
	if (s) {	/* no lock: the bitmap words are atomic */
		i = (unsigned long)((const u8 *)p - s->base) / s->cache->size;
		if (i < s->nobj) {
			r = obj_live(s, i) ? 1 : -1;
			/* A header counts as part of its object. */
			*start = s->base + i * s->cache->size + m->kmem->off;
			*size = s->cache->size - m->kmem->off;
		}
		return r;
	}
	/* No lock either: the page allocator writes these fields under its
	 * own, so the slab's lock ordered nothing here and only made every
	 * checked map of a big buffer, on any thread, take one machine-wide
	 * mutex. */
	if (big_block(p, pg)) {
		r = 1;
		*start = p;
		*size = PAGE_SIZE << pg->order;
	}
	return r;
}

bool dk_is_kmalloc_addr(const void *p, size_t *obj_size, const void **start)
{
	struct dk_machine *m = dk_machine_current();
	struct slab *s;
	unsigned long i;

	if (!m || !m->kmem || !(s = slab_of_page(virt_to_page(p))))
		return false;
	i = (unsigned long)((const u8 *)p - s->base) / s->cache->size;
	if (i >= s->nobj || !obj_live(s, i))
		return false;
	if (obj_size)
		*obj_size = s->cache->size - m->kmem->off;
	if (start)
		*start = s->base + i * s->cache->size + m->kmem->off;
	return true;
}
