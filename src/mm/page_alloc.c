// SPDX-License-Identifier: MIT
/*
 * struct page and the zoned page allocator of a machine. Free runs are the
 * platform's business (its alloc_pages op); this layer adds zones, orders,
 * struct page bookkeeping and the address conversions drivers use.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "mm.h"

int dk_mm_init(struct dk_machine *m)
{
	phys_addr_t base;
	u64 size;
	int i;

	m->ram_lowest = ~0ULL;
	for (i = 0; !m->pl.ops->ram_range(m->pl.ctx, i, &base, &size); i++) {
		struct dk_memmap *r = &m->ram[i];
		size_t bytes = size / PAGE_SIZE * sizeof(struct page);

		if (i == DK_MAX_RAM)
			return dk_err(-EINVAL, "more than %d RAM ranges", DK_MAX_RAM);
		r->base = base;
		r->size = size;
		r->pfn0 = base >> PAGE_SHIFT;
		r->virt = m->pl.ops->phys_to_virt(m->pl.ctx, base);
		/* Sparse like vmemmap: costs only where pages are used. */
		r->pages = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				-1, 0);
		if (r->pages == MAP_FAILED || !r->virt) {
			r->pages = NULL;
			return dk_err(-ENOMEM, "memmap for RAM at 0x%llx",
				      (unsigned long long)base);
		}
		m->nram = i + 1;
		if (base < m->ram_lowest)
			m->ram_lowest = base;
		if (base + size - 1 > m->ram_highest)
			m->ram_highest = base + size - 1;
	}
	if (!m->nram)
		return dk_err(-EINVAL, "the platform has no RAM");
	m->zone_dma32_limit = DMA_BIT_MASK(32);
	m->zone_dma_limit = m->ram_lowest <= DMA_BIT_MASK(30) ?
				    DMA_BIT_MASK(30) : DMA_BIT_MASK(32);
	return dk_user_memmap_init(m);
}

void dk_mm_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->nram; i++)
		if (m->ram[i].pages)
			munmap(m->ram[i].pages,
			       m->ram[i].size / PAGE_SIZE * sizeof(struct page));
	dk_user_memmap_fini(m);
}

void dk_mm_release_all(struct dk_machine *m)
{
	unsigned long i, n;
	int r;

	for (r = 0; r < m->nram; r++) {
		struct dk_memmap *mm = &m->ram[r];

		n = mm->size / PAGE_SIZE;
		for (i = 0; mm->pages && i < n; i++) {
			struct page *pg = &mm->pages[i];

			if (!pg->refcount)
				continue;
			pg->refcount = 0;
			/* Its area's pages are reserved, not the allocator's. */
			if (pg->flags & DK_PG_CMA_LENT)
				continue;
			m->pl.ops->free_pages(m->pl.ctx, mm->base + i * PAGE_SIZE,
					      1UL << pg->order);
			i += (1UL << pg->order) - 1;
		}
	}
}

static struct dk_memmap *range_of_phys(struct dk_machine *m, phys_addr_t pa)
{
	int i;

	for (i = 0; i < m->nram; i++)
		if (pa >= m->ram[i].base && pa - m->ram[i].base < m->ram[i].size)
			return &m->ram[i];
	return NULL;
}

static struct dk_memmap *range_of_page(struct dk_machine *m,
				       const struct page *pg)
{
	int i;

	for (i = 0; m && i < m->nram; i++) {
		const struct dk_memmap *r = &m->ram[i];

		uintptr_t a = (uintptr_t)pg, p0 = (uintptr_t)r->pages;

		if (pg >= r->pages && pg < r->pages + r->size / PAGE_SIZE &&
		    (a - p0) % sizeof(*pg) == 0)
			return &m->ram[i];
	}
	return NULL;
}

bool dk_page_valid(struct dk_machine *m, const struct page *pg)
{
	phys_addr_t pa;

	return range_of_page(m, pg) || dk_user_page_phys(m, pg, &pa);
}

struct page *dk_phys_to_page(struct dk_machine *m, phys_addr_t pa)
{
	struct dk_memmap *r = m ? range_of_phys(m, pa) : NULL;

	return r ? r->pages + (pa - r->base) / PAGE_SIZE :
		   dk_user_page(m, pa, false);
}

phys_addr_t dk_page_to_phys(struct dk_machine *m, const struct page *pg)
{
	struct dk_memmap *r = range_of_page(m, pg);
	phys_addr_t pa = 0;

	if (r)
		return r->base + (u64)(pg - r->pages) * PAGE_SIZE;
	dk_user_page_phys(m, pg, &pa);
	return pa;
}

void *dk_phys_to_virt(struct dk_machine *m, phys_addr_t pa)
{
	struct dk_memmap *r = m ? range_of_phys(m, pa) : NULL;

	if (r)
		return r->virt + (pa - r->base);
	/* Program memory a host maps on demand has no memmap of its own. */
	return m && m->pl.ops->user_to_phys ?
		       m->pl.ops->phys_to_virt(m->pl.ctx, pa) : NULL;
}

bool dk_user_to_phys(struct dk_machine *m, const void *p, size_t size,
		     phys_addr_t *pa)
{
	return m && m->pl.ops->user_to_phys &&
	       !m->pl.ops->user_to_phys(m->pl.ctx, p, size, pa);
}

bool dk_linear_to_phys(struct dk_machine *m, const void *p, phys_addr_t *pa)
{
	int i;

	for (i = 0; m && i < m->nram; i++) {
		const struct dk_memmap *r = &m->ram[i];
		uintptr_t a = (uintptr_t)p, v = (uintptr_t)r->virt;

		if (a >= v && a - v < r->size) {
			*pa = r->base + (a - v);
			return true;
		}
	}
	return false;
}

void dk_zero(struct dk_machine *m, void *p, size_t size)
{
	phys_addr_t pa;

	if (size && dk_linear_to_phys(m, p, &pa))
		m->pl.ops->mem_store(m->pl.ctx, pa, NULL, size);
	else
		memset(p, 0, size);
}

struct page *dk_alloc_pages_range(struct dk_machine *m, gfp_t gfp,
				  unsigned int order, u64 lo, u64 hi)
{
	phys_addr_t pa;
	struct page *pg;
	size_t n;

	if (order > MAX_ORDER) {
		dk_err(-EINVAL, "alloc_pages: order %u is over MAX_ORDER %d",
		       order, MAX_ORDER);
		return NULL;
	}
	n = 1UL << order;
	if ((gfp & __GFP_MOVABLE) && !order && (pg = dk_cma_lend(m, lo, hi))) {
		if (gfp & __GFP_ZERO)
			dk_zero(m, page_address(pg), PAGE_SIZE);
		return pg;
	}
	if (m->pl.ops->alloc_pages(m->pl.ctx, n, n, lo, hi, &pa)) {
		if (!(gfp & __GFP_NOWARN))
			dk_warn("page allocation failure: order:%u, window 0x%llx-0x%llx",
				order, (unsigned long long)lo,
				(unsigned long long)hi);
		dk_err(-ENOMEM, "alloc_pages: no free block of order %u in 0x%llx-0x%llx",
		       order, (unsigned long long)lo, (unsigned long long)hi);
		return NULL;
	}
	pg = dk_phys_to_page(m, pa);
	memset(pg, 0, n * sizeof(*pg));
	pg->order = order;
	pg->refcount = 1;
	if (gfp & __GFP_ZERO)
		dk_zero(m, dk_phys_to_virt(m, pa), n * PAGE_SIZE);
	return pg;
}

static u64 zone_limit(struct dk_machine *m, gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return m->zone_dma_limit;
	if (gfp & __GFP_DMA32)
		return m->zone_dma32_limit;
	return ~0ULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct dk_machine *m = dk_machine_of();

	if (!m)
		return NULL;
	return dk_alloc_pages_range(m, gfp, order, 0, zone_limit(m, gfp));
}

struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

void __free_pages(struct page *page, unsigned int order)
{
	struct dk_machine *m = dk_machine_current();
	phys_addr_t pa;

	if (!page)
		return;
	pa = dk_page_to_phys(m, page);
	/* RAM may start at 0: ask the memmap, not the address. */
	if (dk_phys_to_page(m, pa) != page || page->refcount != 1 ||
	    page->order != order) {
		dk_warn("BUG: __free_pages(%p, %u): not a live block of that order",
			(void *)page, order);
		return;
	}
	page->refcount = 0;
	if (page->flags & DK_PG_CMA_LENT)
		dk_cma_unlend(m, page);
	else
		m->pl.ops->free_pages(m->pl.ctx, pa, 1UL << order);
}

void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *pg = alloc_pages(gfp, order);

	return pg ? (unsigned long)page_address(pg) : 0;
}

void free_pages(unsigned long addr, unsigned int order)
{
	struct page *pg;

	if (!addr)
		return;
	pg = addr % PAGE_SIZE ? NULL : virt_to_page((void *)addr);
	if (!pg) {
		dk_err_log(-EINVAL, "BUG: free_pages(0x%lx, %u): not the address of a page of the machine",
			   addr, order);
		return;
	}
	__free_pages(pg, order);
}

int get_order(unsigned long size)
{
	int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

void *page_address(const struct page *page)
{
	struct dk_machine *m = dk_machine_current();

	return dk_phys_to_virt(m, dk_page_to_phys(m, page));
}

phys_addr_t page_to_phys(const struct page *page)
{
	return dk_page_to_phys(dk_machine_current(), page);
}

unsigned long page_to_pfn(const struct page *page)
{
	return page_to_phys(page) >> PAGE_SHIFT;
}

struct page *pfn_to_page(unsigned long pfn)
{
	return dk_phys_to_page(dk_machine_current(), (phys_addr_t)pfn << PAGE_SHIFT);
}

struct page *phys_to_page(phys_addr_t pa)
{
	return dk_phys_to_page(dk_machine_current(), pa);
}

struct page *virt_to_page(const void *addr)
{
	struct dk_machine *m = dk_machine_current();
	phys_addr_t pa;

	if (dk_linear_to_phys(m, addr, &pa))
		return dk_phys_to_page(m, pa);
	/* Program memory a host maps on demand gets its page made now. */
	return dk_user_to_phys(m, addr, 1, &pa) ? dk_user_page(m, pa, true) :
						  NULL;
}

phys_addr_t virt_to_phys(const volatile void *addr)
{
	phys_addr_t pa = 0;

	dk_linear_to_phys(dk_machine_current(), (const void *)addr, &pa);
	return pa;
}

void *phys_to_virt(phys_addr_t pa)
{
	return dk_phys_to_virt(dk_machine_current(), pa);
}

bool virt_addr_valid(const void *addr)
{
	phys_addr_t pa;

	return dk_linear_to_phys(dk_machine_current(), addr, &pa);
}
