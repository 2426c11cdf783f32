// SPDX-License-Identifier: MIT
/*
 * CMA areas from reusable shared-dma-pool regions. The platform keeps
 * these pages out of its allocator; here they are handed out as
 * contiguous runs to coherent allocations of the devices that use them
 * (memory-region) or, for the area marked linux,cma-default, to any
 * device asking for more than one page.
 */
#include <errno.h>
#include <stdlib.h>

#include "../core/objreg.h"
#include "direct.h"

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
		c->bitmap = calloc(DK_BITMAP_LONGS(rm.size / PAGE_SIZE),
				   sizeof(long));
		if (!c->bitmap)
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
	c->bitmap = calloc(DK_BITMAP_LONGS(npages), sizeof(long));
	if (!c->bitmap ||
	    m->pl.ops->alloc_pages(m->pl.ctx, npages, 1, 0,
				   addr_limit ? addr_limit - 1 : ~0ULL, &pa)) {
		free(c->bitmap);
		c->bitmap = NULL;
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

void dk_cma_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->ncma; i++) {
		if (m->cma[i].reserved_here)
			m->pl.ops->free_pages(m->pl.ctx, m->cma[i].base,
					      m->cma[i].size / PAGE_SIZE);
		free(m->cma[i].bitmap);
	}
	free(m->cma);
	m->cma = NULL;
	m->ncma = 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int dk_cma_alloc(struct dk_cma *c, size_t npages, size_t align_pages,
		 u64 limit, phys_addr_t *pa)
{
	unsigned long total = c->size / PAGE_SIZE, hi = total, at;
	unsigned long pfn0 = c->base / PAGE_SIZE;
	bool ok = false;

	if (limit < c->base)
		return -ENOMEM;
	/* Written so that an area at 0 with no limit does not wrap. */
	if (limit - c->base < c->size - 1)
		hi = (limit - c->base + 1) / PAGE_SIZE;
	pthread_mutex_lock(&lock);
	/* Aligned in physical page numbers, not from the area's start. */
	for (at = (align_pages - pfn0 % align_pages) % align_pages;
	     at < hi && npages <= hi - at; at += align_pages)
		if (dk_bits_all(c->bitmap, at, npages, false)) {
			dk_bits_set(c->bitmap, at, npages, true);
			ok = true;
			break;
		}
	pthread_mutex_unlock(&lock);
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
	pthread_mutex_lock(&lock);
	ok = dk_bits_all(c->bitmap, first, npages, true);
	if (ok)
		dk_bits_set(c->bitmap, first, npages, false);
	pthread_mutex_unlock(&lock);
	return ok;
}
