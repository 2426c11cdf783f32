// SPDX-License-Identifier: MIT
/*
 * struct pages for program memory a host platform maps on demand (malloc,
 * mmap, hugepages), so a driver builds scatterlists of it with
 * sg_set_buf() or sg_alloc_table_from_pages() as of any RAM. The window
 * of its "physical" addresses spans 2^47 bytes, far too much for a flat
 * memmap even reserved sparsely, so the pages come in sections of 2 MiB
 * of addresses, each made when virt_to_page() first meets one of its
 * pages and kept until the machine goes. Two sorted indexes find a
 * section by address and by struct page in O(log n).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

#define SECTION_PAGES 512
#define SECTION_SIZE ((u64)SECTION_PAGES * PAGE_SIZE)

struct dk_user_section {
	phys_addr_t base;
	struct page pages[SECTION_PAGES];
};

struct dk_user_memmap {
	pthread_mutex_t lock;
	struct dk_user_section **by_pa, **by_page;
	size_t n, cap;
};

int dk_user_memmap_init(struct dk_machine *m)
{
	if (!m->pl.ops->user_to_phys)
		return 0;
	m->umap = calloc(1, sizeof(*m->umap));
	if (!m->umap)
		return dk_err(-ENOMEM, "out of memory");
	pthread_mutex_init(&m->umap->lock, NULL);
	return 0;
}

void dk_user_memmap_fini(struct dk_machine *m)
{
	struct dk_user_memmap *u = m->umap;
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++)
		free(u->by_pa[i]);
	free(u->by_pa);
	free(u->by_page);
	pthread_mutex_destroy(&u->lock);
	free(u);
	m->umap = NULL;
}

/* The first index of @u->by_pa whose section starts at or above @base. */
static size_t pa_slot(const struct dk_user_memmap *u, phys_addr_t base)
{
	size_t lo = 0, hi = u->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->by_pa[mid]->base < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first index of @u->by_page whose pages lie above @pg. */
static size_t page_slot(const struct dk_user_memmap *u, const struct page *pg)
{
	size_t lo = 0, hi = u->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)u->by_page[mid]->pages <= (uintptr_t)pg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void insert_at(struct dk_user_section **a, size_t n, size_t at,
		      struct dk_user_section *s)
{
	memmove(a + at + 1, a + at, (n - at) * sizeof(*a));
	a[at] = s;
}

/* A new section at @base in both indexes; NULL when out of memory. */
static struct dk_user_section *add(struct dk_user_memmap *u, phys_addr_t base,
				   size_t at)
{
	struct dk_user_section *s;

	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 16;
		struct dk_user_section **a = realloc(u->by_pa, cap * sizeof(*a));

		if (a)
			u->by_pa = a;
		a = a ? realloc(u->by_page, cap * sizeof(*a)) : NULL;
		if (!a)
			return NULL;
		u->by_page = a;
		u->cap = cap;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->base = base;
	insert_at(u->by_pa, u->n, at, s);
	insert_at(u->by_page, u->n, page_slot(u, s->pages), s);
	u->n++;
	return s;
}

struct page *dk_user_page(struct dk_machine *m, phys_addr_t pa, bool create)
{
	struct dk_user_memmap *u = m ? m->umap : NULL;
	phys_addr_t base = pa & ~(SECTION_SIZE - 1);
	struct dk_user_section *s = NULL;
	size_t at;

	if (!u)
		return NULL;
	pthread_mutex_lock(&u->lock);
	at = pa_slot(u, base);
	if (at < u->n && u->by_pa[at]->base == base)
		s = u->by_pa[at];
	else if (create)
		s = add(u, base, at);
	pthread_mutex_unlock(&u->lock);
	if (!s && create)
		dk_err(-ENOMEM, "out of memory for the struct pages of 0x%llx",
		       (unsigned long long)pa);
	return s ? &s->pages[(pa - base) / PAGE_SIZE] : NULL;
}

bool dk_user_page_phys(struct dk_machine *m, const struct page *pg,
		       phys_addr_t *pa)
{
	struct dk_user_memmap *u = m ? m->umap : NULL;
	const struct dk_user_section *s = NULL;
	uintptr_t a = (uintptr_t)pg, p0;
	size_t at;

	if (!u || !pg)
		return false;
	pthread_mutex_lock(&u->lock);
	at = page_slot(u, pg);
	if (at)
		s = u->by_page[at - 1];
	pthread_mutex_unlock(&u->lock);
	if (!s)
		return false;
	p0 = (uintptr_t)s->pages;
	if (a - p0 >= sizeof(s->pages) || (a - p0) % sizeof(*pg))
		return false;
	*pa = s->base + (a - p0) / sizeof(*pg) * PAGE_SIZE;
	return true;
}
