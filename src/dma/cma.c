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

#include "../kernel/kernel.h"

int dk_cma_init(struct dk_machine *m)
{
	struct dk_rmem rm;
	int n = 0, i;

	while (!m->pl.ops->rmem(m->pl.ctx, n, &rm))
		n++;
	m->cma = calloc(n ? n : 1, sizeof(*m->cma));
	if (!m->cma)
		return dk_err(-ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct dk_cma *c;

		m->pl.ops->rmem(m->pl.ctx, i, &rm);
		if (!rm.reusable || !rm.shared_dma_pool)
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

void dk_cma_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->ncma; i++)
		free(m->cma[i].bitmap);
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
