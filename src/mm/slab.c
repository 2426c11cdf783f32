// SPDX-License-Identifier: MIT
/*
 * kmalloc: power-of-two size classes from the machine's kmalloc alignment
 * to 8 KiB, one set per zone, carved from page blocks; bigger requests get
 * whole page blocks. Bookkeeping lives outside the objects (a bitmap per
 * slab), so a DMA bug that corrupts a neighbour object corrupts its data,
 * as on hardware, but never the allocator itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/slab.h>

#include "../debug/debug.h"
#include "../kernel/kernel.h"

#define MAX_CLASS_SHIFT 13	/* 8 KiB */
#define NZONES 3		/* normal, DMA32, DMA */
#define SLAB_ORDER 2		/* 16 KiB slabs */
#define PG_KMALLOC 1UL		/* head of a big kmalloc block */

struct slab {
	struct slab *next;
	struct kcache *cache;
	u8 *base;
	unsigned int nobj, nfree;
	unsigned long bitmap[DK_BITMAP_LONGS(PAGE_SIZE << SLAB_ORDER >> 3)];
};

struct kcache {
	size_t size;
	gfp_t zone;
	struct slab *slabs;
};

struct dk_kmem {
	pthread_mutex_t lock;
	int nclasses;
	unsigned int first_shift;
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
	s->nfree = s->nobj;
	for (i = 0; i < 1 << SLAB_ORDER; i++)
		pg[i].slab = s;
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
	struct dk_machine *m = dk_machine_of();
	struct dk_kmem *k;
	struct kcache *kc;
	struct slab *s;
	unsigned long i;
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
	if (size > (1UL << MAX_CLASS_SHIFT)) {
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
	while (k->caches[0][c].size < size)
		c++;
	kc = &k->caches[zone_index(gfp)][c];
	pthread_mutex_lock(&k->lock);
	for (s = kc->slabs; s && !s->nfree; s = s->next)
		;
	if (!s)
		s = new_slab(m, kc);
	if (!s) {
		pthread_mutex_unlock(&k->lock);
		dk_err(-ENOMEM, "kmalloc(%zu): out of memory", size);
		return NULL;
	}
	dk_bits_find(s->bitmap, 0, s->nobj, 1, 1, &i);
	dk_bits_set(s->bitmap, i, 1, true);
	s->nfree--;
	pthread_mutex_unlock(&k->lock);
	p = s->base + i * kc->size;
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

/* The slab and object index of @p, or the head page of a big block. */
static int lookup(const void *p, struct slab **sp, unsigned long *idx,
		  struct page **big)
{
	struct page *pg = virt_to_page(p);

	*sp = NULL;
	*big = NULL;
	if (!pg || (!pg->refcount && !pg->slab))
		return -EINVAL;
	if (pg->slab) {
		struct slab *s = pg->slab;
		unsigned long off = (const u8 *)p - s->base;

		if (off % s->cache->size || !dk_bit_test(s->bitmap,
							off / s->cache->size))
			return -EINVAL;
		*sp = s;
		*idx = off / s->cache->size;
		return 0;
	}
	if ((unsigned long)p % PAGE_SIZE || pg->refcount != 1 ||
	    !(pg->flags & PG_KMALLOC))
		return -EINVAL;
	*big = pg;
	return 0;
}

void kfree(const void *p)
{
	struct dk_machine *m = dk_machine_current();
	struct slab *s;
	struct page *big;
	unsigned long i;

	if (!p || !m || !m->kmem)
		return;
	pthread_mutex_lock(&m->kmem->lock);
	if (lookup(p, &s, &i, &big)) {
		pthread_mutex_unlock(&m->kmem->lock);
		dk_warn("BUG: kfree(%p): not a live kmalloc object", p);
		return;
	}
	pthread_mutex_unlock(&m->kmem->lock);
	/* As Linux's slab does: a buffer still mapped for DMA is about to
	 * be handed to its next owner. */
	dk_dbg_object_freed(m, p, s ? s->cache->size : PAGE_SIZE << big->order);
	if (s) {
		pthread_mutex_lock(&m->kmem->lock);
		dk_bits_set(s->bitmap, i, 1, false);
		s->nfree++;
		pthread_mutex_unlock(&m->kmem->lock);
	}
	if (big)
		__free_pages(big, big->order);
}

size_t ksize(const void *p)
{
	struct dk_machine *m = dk_machine_current();
	struct slab *s;
	struct page *big;
	unsigned long i;
	size_t n = 0;

	if (!p || !m || !m->kmem)
		return 0;
	pthread_mutex_lock(&m->kmem->lock);
	if (!lookup(p, &s, &i, &big))
		n = s ? s->cache->size : PAGE_SIZE << big->order;
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
	struct page *pg;
	struct slab *s;
	unsigned long i;
	phys_addr_t pa;
	int r = 0;

	if (!m || !m->kmem || !dk_linear_to_phys(m, p, &pa) ||
	    !(pg = dk_phys_to_page(m, pa)))
		return 0;
	pthread_mutex_lock(&m->kmem->lock);
	s = pg->slab;
	if (s) {
		i = (unsigned long)((const u8 *)p - s->base) / s->cache->size;
		if (i < s->nobj) {
			r = dk_bit_test(s->bitmap, i) ? 1 : -1;
			*start = s->base + i * s->cache->size;
			*size = s->cache->size;
		}
	} else if (pg->refcount == 1 && (pg->flags & PG_KMALLOC) &&
		   !((uintptr_t)p % PAGE_SIZE)) {
		r = 1;
		*start = p;
		*size = PAGE_SIZE << pg->order;
	}
	pthread_mutex_unlock(&m->kmem->lock);
	return r;
}

bool dk_is_kmalloc_addr(const void *p, size_t *obj_size, const void **start)
{
	struct dk_machine *m = dk_machine_current();
	struct page *pg;
	struct slab *s;
	unsigned long off, i;
	bool live;

	if (!m || !m->kmem || !(pg = virt_to_page(p)))
		return false;
	pthread_mutex_lock(&m->kmem->lock);
	s = pg->slab;
	live = false;
	if (s) {
		off = (const u8 *)p - s->base;
		i = off / s->cache->size;
		live = i < s->nobj && dk_bit_test(s->bitmap, i);
		if (live && obj_size)
			*obj_size = s->cache->size;
		if (live && start)
			*start = s->base + i * s->cache->size;
	}
	pthread_mutex_unlock(&m->kmem->lock);
	return live;
}
