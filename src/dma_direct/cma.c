// SPDX-License-Identifier: MIT
/*
 * CMA areas from reusable shared-dma-pool regions. The platform keeps
 * these pages out of its allocator; here they are handed out as
 * contiguous runs to coherent allocations of the devices that use them
 * (memory-region) or, for the area marked linux,cma-default, to any
 * device asking for more than one page. Until a device claims them, free
 * pages are lent to movable allocations (mm/cma_lend.c); a claim takes a
 * wholly free run if there is one, else the first run whose lent pages
 * can all move out.
 */
#include <errno.h>
#include <stdlib.h>

#include "../core/objreg.h"
#include "direct.h"

static int bitmaps(struct dk_machine *m, struct dk_cma *c, size_t npages)
{
	c->m = m;
	c->bitmap = calloc(DK_BITMAP_LONGS(npages), sizeof(long));
	c->lent = calloc(DK_BITMAP_LONGS(npages), sizeof(long));
	if (c->bitmap && c->lent)
		return 0;
	free(c->bitmap);
	free(c->lent);
	c->bitmap = c->lent = NULL;
	return -ENOMEM;
}

int dk_cma_init(struct dk_machine *m)
{
	struct dk_rmem rm;
	int n = 0, i;

	while (!m->pl.ops->rmem(m->pl.ctx, n, &rm))
		n++;
	/* One more: the area cma= reserves. */
	m->cma = calloc(n + 1, sizeof(*m->cma));
	if (!m->cma)
		return dk_err(-ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct dk_cma *c;

		m->pl.ops->rmem(m->pl.ctx, i, &rm);
		if (!rm.reusable || !rm.shared_dma_pool)
			continue;
		/* cma= on the command line bypasses the tree's default. */
		if (rm.cma_default && m->opts.cma_size)
			continue;
		c = &m->cma[m->ncma];
		c->base = rm.base;
		c->size = rm.size;
		c->name = rm.name;
		if (bitmaps(m, c, rm.size / PAGE_SIZE))
			return dk_err(-ENOMEM, "out of memory");
		if (rm.cma_default && m->cma_default < 0)
			m->cma_default = m->ncma;
		m->ncma++;
	}
	return 0;
}

void dma_contiguous_reserve(phys_addr_t addr_limit)
{
	struct dk_machine *m = dk_machine_current();

	if (m)
		dk_cma_reserve(m, addr_limit);
}

void dk_cma_reserve(struct dk_machine *m, phys_addr_t addr_limit)
{
	struct dk_cma *c;
	phys_addr_t pa;
	size_t npages;

	if (m->opts.cma_size <= 0 || m->cma_default >= 0)
		return;
	npages = (size_t)(m->opts.cma_size / PAGE_SIZE);
	c = &m->cma[m->ncma];
	if (bitmaps(m, c, npages) ||
	    m->pl.ops->alloc_pages(m->pl.ctx, npages, 1, 0,
				   addr_limit ? addr_limit - 1 : ~0ULL, &pa)) {
		free(c->bitmap);
		free(c->lent);
		c->bitmap = c->lent = NULL;
		dk_warn("cma: failed to reserve %lld MiB below 0x%llx",
			m->opts.cma_size >> 20, (unsigned long long)addr_limit);
		return;
	}
	c->base = pa;
	c->size = (u64)npages * PAGE_SIZE;
	c->name = "reserved (cma=)";
	c->reserved_here = true;
	m->cma_default = m->ncma++;
}

int dk_machine_cma_area(struct dk_machine *m, int i, phys_addr_t *base,
			u64 *size, bool *is_default)
{
	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_machine_cma_area"))
		return -EINVAL;
	if (!base || !size || !is_default)
		return dk_err(-EINVAL, "dk_machine_cma_area: NULL result");
	if (i < 0 || i >= m->ncma)
		return -ENOENT;
	*base = m->cma[i].base;
	*size = m->cma[i].size;
	*is_default = i == m->cma_default;
	return 0;
}

int dk_machine_meminfo(struct dk_machine *m, struct dk_meminfo *out)
{
	unsigned long pages = 0, used = 0, lent = 0;
	int i;

	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_machine_meminfo"))
		return -EINVAL;
	if (!out)
		return dk_err(-EINVAL, "dk_machine_meminfo: NULL result");
	pthread_mutex_lock(&dk_cma_lock);
	for (i = 0; i < m->ncma; i++) {
		pages += m->cma[i].size / PAGE_SIZE;
		used += m->cma[i].nclaimed + m->cma[i].nlent;
		lent += m->cma[i].nlent;
	}
	pthread_mutex_unlock(&dk_cma_lock);
	out->cma_total = pages * (PAGE_SIZE / 1024);
	out->cma_free = (pages - used) * (PAGE_SIZE / 1024);
	out->cma_lent = lent * (PAGE_SIZE / 1024);
	return 0;
}

void dk_cma_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->ncma; i++) {
		if (m->cma[i].reserved_here)
			m->pl.ops->free_pages(m->pl.ctx, m->cma[i].base,
					      m->cma[i].size / PAGE_SIZE);
		free(m->cma[i].bitmap);
		free(m->cma[i].lent);
	}
	free(m->cma);
	m->cma = NULL;
	m->ncma = 0;
}

/* Whether [@at, @at + @n) holds no page a device claimed. */
static bool unclaimed(const struct dk_cma *c, unsigned long at, size_t n)
{
	for (; n--; at++)
		if (dk_bit_test(c->bitmap, at) && !dk_bit_test(c->lent, at))
			return false;
	return true;
}

/* Every lent page of [@at, @at + @n) moved out; false if one cannot. */
static bool move_out(struct dk_cma *c, unsigned long at, size_t n)
{
	unsigned long i;

	for (i = at; i < at + n; i++)
		if (dk_bit_test(c->lent, i) && !dk_cma_movable_locked(c, i))
			return false;
	for (i = at; i < at + n; i++)
		if (dk_bit_test(c->lent, i) && dk_cma_migrate_locked(c, i)) {
			dk_warn("cma: migrating page 0x%llx failed: %s",
				(unsigned long long)(c->base + i * PAGE_SIZE),
				dk_last_error());
			return false;
		}
	return true;
}

int dk_cma_alloc(struct dk_cma *c, size_t npages, size_t align_pages,
		 u64 limit, phys_addr_t *pa)
{
	unsigned long total = c->size / PAGE_SIZE, hi = total, at, first;
	unsigned long pfn0 = c->base / PAGE_SIZE;
	bool ok = false;
	int pass;

	if (limit < c->base)
		return -ENOMEM;
	/* Written so that an area at 0 with no limit does not wrap. */
	if (limit - c->base < c->size - 1)
		hi = (limit - c->base + 1) / PAGE_SIZE;
	/* Aligned in physical page numbers, not from the area's start. */
	first = (align_pages - pfn0 % align_pages) % align_pages;
	pthread_mutex_lock(&dk_cma_lock);
	/* A free run first: migrating costs a copy per page. */
	for (pass = 0; pass < 2 && !ok; pass++)
		for (at = first; at < hi && npages <= hi - at;
		     at += align_pages)
			if (pass ? unclaimed(c, at, npages) &&
					   move_out(c, at, npages) :
				   dk_bits_all(c->bitmap, at, npages, false)) {
				dk_bits_set(c->bitmap, at, npages, true);
				c->nclaimed += npages;
				ok = true;
				break;
			}
	pthread_mutex_unlock(&dk_cma_lock);
	if (!ok)
		return -ENOMEM;
	*pa = c->base + (u64)at * PAGE_SIZE;
	return 0;
}

bool dk_cma_release(struct dk_cma *c, phys_addr_t pa, size_t npages)
{
	unsigned long first;
	bool ok;

	if (!c || pa < c->base || pa + npages * PAGE_SIZE > c->base + c->size)
		return false;
	first = (pa - c->base) / PAGE_SIZE;
	pthread_mutex_lock(&dk_cma_lock);
	ok = dk_bits_all(c->bitmap, first, npages, true) &&
	     dk_bits_all(c->lent, first, npages, false);
	if (ok) {
		dk_bits_set(c->bitmap, first, npages, false);
		c->nclaimed -= npages;
	}
	pthread_mutex_unlock(&dk_cma_lock);
	return ok;
}
