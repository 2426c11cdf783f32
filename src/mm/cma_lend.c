// SPDX-License-Identifier: MIT
/*
 * CMA pages lent to movable allocations. A CMA area is idle memory until
 * a device claims it, so single movable pages (user memory) borrow its
 * free pages, and move out - bytes copied, the user mapping pointed at
 * the new page - when a device claims them (cma.c) or a long-term pin
 * wants them (uaccess.c). A page with any reference besides its mapping's
 * (a get_user_pages() or pin_user_pages() caller) cannot move, as in
 * Linux, where migration refuses pages with extra references.
 */
#include <errno.h>
#include <string.h>

#include "mm.h"

pthread_mutex_t dk_cma_lock = PTHREAD_MUTEX_INITIALIZER;

static phys_addr_t page_pa(const struct dk_cma *c, unsigned long i)
{
	return c->base + (u64)i * PAGE_SIZE;
}

/* The area lending @pa, its page index in *@i; NULL if none. */
static struct dk_cma *area_of(struct dk_machine *m, phys_addr_t pa,
			      unsigned long *i)
{
	int k;

	for (k = 0; k < m->ncma; k++) {
		struct dk_cma *c = &m->cma[k];

		if (c->lent && pa >= c->base && pa - c->base < c->size) {
			*i = (pa - c->base) / PAGE_SIZE;
			return c;
		}
	}
	return NULL;
}

/* A free page of @c inside [@lo, @hi], taken; false if none. */
static bool lend_from(struct dk_cma *c, u64 lo, u64 hi, unsigned long *i)
{
	u64 last = c->base + c->size - 1;
	unsigned long from, to;

	if (!c->lent || hi < c->base || lo > last)
		return false;
	from = lo > c->base ? (lo - c->base + PAGE_SIZE - 1) / PAGE_SIZE : 0;
	to = hi < last ? (hi - c->base + 1) / PAGE_SIZE : c->size / PAGE_SIZE;
	if (!dk_bits_find(c->bitmap, from, to, 1, 1, i))
		return false;
	dk_bits_set(c->bitmap, *i, 1, true);
	dk_bits_set(c->lent, *i, 1, true);
	c->nlent++;
	return true;
}

struct page *dk_cma_lend(struct dk_machine *m, u64 lo, u64 hi)
{
	struct page *pg = NULL;
	unsigned long i;
	int k;

	pthread_mutex_lock(&dk_cma_lock);
	for (k = 0; k < m->ncma && !pg; k++)
		if (lend_from(&m->cma[k], lo, hi, &i))
			pg = dk_phys_to_page(m, page_pa(&m->cma[k], i));
	if (pg) {
		memset(pg, 0, sizeof(*pg));
		pg->flags = DK_PG_CMA_LENT;
		pg->refcount = 1;
	}
	pthread_mutex_unlock(&dk_cma_lock);
	return pg;
}

/* Lock held: lent page @i of @c is no longer lent (nor claimed). */
static void give_back(struct dk_cma *c, unsigned long i, struct page *pg)
{
	pg->flags &= ~DK_PG_CMA_LENT;
	pg->mapping = NULL;
	dk_bits_set(c->lent, i, 1, false);
	dk_bits_set(c->bitmap, i, 1, false);
	c->nlent--;
}

void dk_cma_unlend(struct dk_machine *m, struct page *pg)
{
	struct dk_cma *c;
	unsigned long i;

	pthread_mutex_lock(&dk_cma_lock);
	c = area_of(m, dk_page_to_phys(m, pg), &i);
	if (c && dk_bit_test(c->lent, i))
		give_back(c, i, pg);
	pthread_mutex_unlock(&dk_cma_lock);
}

bool dk_cma_movable_locked(struct dk_cma *c, unsigned long i)
{
	const struct page *pg = dk_phys_to_page(c->m, page_pa(c, i));

	return c->m->pl.ops->vmap_remap && pg->mapping &&
	       __atomic_load_n(&pg->refcount, __ATOMIC_ACQUIRE) == 1;
}

int dk_cma_migrate_locked(struct dk_cma *c, unsigned long i)
{
	struct dk_machine *m = c->m;
	struct page *pg = dk_phys_to_page(m, page_pa(c, i)), *to;
	int r;

	if (!dk_cma_movable_locked(c, i))
		return dk_err(-EBUSY, "cma: page 0x%llx is pinned or in no user mapping: it cannot move",
			      (unsigned long long)page_pa(c, i));
	/* Not movable itself: it must not land in CMA again. */
	to = dk_alloc_pages_range(m, __GFP_NOWARN, 0, 0, ~0ULL);
	if (!to)
		return -ENOMEM;
	r = dk_user_page_move(m, pg, to);
	if (r) {
		__free_pages(to, 0);
		return r;
	}
	pg->refcount = 0;
	give_back(c, i, pg);
	return 0;
}

int dk_cma_migrate_page(struct dk_machine *m, struct page *pg)
{
	struct dk_cma *c;
	unsigned long i;
	int r = 0;

	pthread_mutex_lock(&dk_cma_lock);
	c = area_of(m, dk_page_to_phys(m, pg), &i);
	if (c && dk_bit_test(c->lent, i))
		r = dk_cma_migrate_locked(c, i);
	pthread_mutex_unlock(&dk_cma_lock);
	return r;
}
