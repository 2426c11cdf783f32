// SPDX-License-Identifier: MIT
/*
 * vmalloc and vmap. vmalloc takes its pages one by one and maps them in
 * descending physical order, so a vmalloc buffer is never physically
 * contiguous: dma_map_single() on one (the "Buffer Shambler") has to fail
 * loudly or corrupt visibly, every time.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/vmalloc.h>

#include "mm.h"
#include "../kernel/kernel.h"

struct dk_vm_area {
	struct dk_vm_area *next, *prev;	/* m->vm_areas */
	u8 *addr;
	unsigned int npages;
	bool owns_pages;	/* vmalloc (true) or vmap (false) */
	struct page **pages;
	/* Each page in m->vm_pages, so the area an address lies in is one
	 * lookup however many areas live. */
	struct dk_pnode *vp;
};

/* The machine lock is held. */
static struct dk_vm_area *find_area(struct dk_machine *m, const void *p)
{
	return dk_ptrhash_page_owner(&m->vm_pages, p, PAGE_SIZE);
}

/* The machine lock is held. */
static int add_area(struct dk_machine *m, struct dk_vm_area *a)
{
	if (dk_ptrhash_add_pages(&m->vm_pages, a->vp, a->addr, a->npages,
				 PAGE_SIZE, a))
		return -ENOMEM;
	a->prev = NULL;
	a->next = m->vm_areas;
	if (a->next)
		a->next->prev = a;
	m->vm_areas = a;
	return 0;
}

/* The machine lock is held. */
static void del_area(struct dk_machine *m, struct dk_vm_area *a)
{
	dk_ptrhash_del_pages(&m->vm_pages, a->vp, a->npages);
	if (a->prev)
		a->prev->next = a->next;
	else
		m->vm_areas = a->next;
	if (a->next)
		a->next->prev = a->prev;
}

/* The machine lock is held. */
static void widen_window(struct dk_machine *m, const struct dk_vm_area *a)
{
	uintptr_t lo = (uintptr_t)a->addr, hi = lo + a->npages * PAGE_SIZE;

	if (m->vm_hi && m->vm_lo < lo)
		lo = m->vm_lo;
	if (m->vm_hi > hi)
		hi = m->vm_hi;
	__atomic_store_n(&m->vm_lo, lo, __ATOMIC_RELEASE);
	__atomic_store_n(&m->vm_hi, hi, __ATOMIC_RELEASE);
}

static int cmp_desc(const void *x, const void *y)
{
	phys_addr_t a = *(const phys_addr_t *)x, b = *(const phys_addr_t *)y;

	return a < b ? 1 : a > b ? -1 : 0;
}

static void *map_area(struct dk_machine *m, struct page **pages,
		      unsigned int n, bool owns)
{
	struct dk_vm_area *a = calloc(1, sizeof(*a));
	phys_addr_t *pa = calloc(n, sizeof(*pa));
	unsigned int i;

	if (!a || !pa)
		goto nomem;
	a->pages = calloc(n, sizeof(*a->pages));
	a->vp = calloc(n, sizeof(*a->vp));
	if (!a->pages || !a->vp)
		goto nomem;
	for (i = 0; i < n; i++)
		pa[i] = dk_page_to_phys(m, pages[i]);
	if (owns)
		qsort(pa, n, sizeof(*pa), cmp_desc);
	for (i = 0; i < n; i++)
		a->pages[i] = dk_phys_to_page(m, pa[i]);
	a->addr = m->pl.ops->vmap(m->pl.ctx, pa, n, DK_ALIAS_CACHED);
	if (!a->addr)
		goto fail;
	free(pa);
	a->npages = n;
	a->owns_pages = owns;
	pthread_mutex_lock(&m->lock);
	if (add_area(m, a)) {
		pthread_mutex_unlock(&m->lock);
		m->pl.ops->unmap_alias(m->pl.ctx, a->addr);
		goto nomem;
	}
	widen_window(m, a);
	pthread_mutex_unlock(&m->lock);
	return a->addr;
nomem:
	dk_err(-ENOMEM, "vmalloc: out of memory");
fail:
	if (a) {
		free(a->pages);
		free(a->vp);
	}
	free(a);
	free(pa);
	return NULL;
}

static void *vmalloc_gfp(unsigned long size, gfp_t gfp)
{
	struct dk_machine *m = dk_machine_of();
	unsigned int n, i;
	struct page **pages;
	void *addr;

	if (!m)
		return NULL;
	if (!size || size > (1UL << 30)) {
		dk_err(-EINVAL, "vmalloc: size %lu not in 1..1 GiB", size);
		return NULL;
	}
	n = PAGE_ALIGN(size) / PAGE_SIZE;
	pages = calloc(n, sizeof(*pages));
	if (!pages) {
		dk_err(-ENOMEM, "vmalloc: out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		pages[i] = dk_alloc_pages_range(m, gfp, 0, 0, ~0ULL);
		if (!pages[i])
			break;
	}
	addr = i == n ? map_area(m, pages, n, true) : NULL;
	if (!addr)
		while (i--)
			__free_page(pages[i]);
	free(pages);
	return addr;
}

void *vmalloc(unsigned long size)
{
	return vmalloc_gfp(size, 0);
}

/* Zeroed page by page where devices see it too (dk_zero()). */
void *vzalloc(unsigned long size)
{
	return vmalloc_gfp(size, __GFP_ZERO);
}

static void unmap_area(struct dk_machine *m, const void *addr, bool vfree_it)
{
	struct dk_vm_area *a;
	unsigned int i;

	if (!addr || !m)
		return;
	pthread_mutex_lock(&m->lock);
	a = find_area(m, addr);
	if (a && (a->addr != addr || a->owns_pages != vfree_it))
		a = NULL;
	if (a)
		del_area(m, a);
	if (!m->vm_areas)
		__atomic_store_n(&m->vm_hi, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&m->lock);
	if (!a) {
		dk_warn("BUG: %s(%p): not a %s area", vfree_it ? "vfree" : "vunmap",
			addr, vfree_it ? "vmalloc" : "vmap");
		return;
	}
	m->pl.ops->unmap_alias(m->pl.ctx, a->addr);
	if (a->owns_pages)
		for (i = 0; i < a->npages; i++)
			__free_page(a->pages[i]);
	free(a->pages);
	free(a->vp);
	free(a);
}

void vfree(const void *addr)
{
	unmap_area(dk_machine_current(), addr, true);
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   int prot)
{
	struct dk_machine *m = dk_machine_of();
	unsigned int i;

	(void)flags;
	(void)prot;
	if (!m)
		return NULL;
	if (!pages || !count) {
		dk_err(-EINVAL, "vmap: no pages");
		return NULL;
	}
	for (i = 0; i < count; i++)
		if (!dk_page_to_phys(m, pages[i])) {
			dk_err(-EINVAL, "vmap: entry %u is not a page", i);
			return NULL;
		}
	return map_area(m, pages, count, false);
}

void vunmap(const void *addr)
{
	unmap_area(dk_machine_current(), addr, false);
}

void dk_vmalloc_fini(struct dk_machine *m)
{
	while (m->vm_areas)
		unmap_area(m, m->vm_areas->addr, m->vm_areas->owns_pages);
	dk_ptrhash_fini(&m->vm_pages);
}

bool is_vmalloc_addr(const void *addr)
{
	struct dk_machine *m = dk_machine_current();
	bool r;

	if (!m)
		return false;
	/* Outside every area's span: no lock (a DMA map asks every time). */
	if ((uintptr_t)addr >= __atomic_load_n(&m->vm_hi, __ATOMIC_ACQUIRE) ||
	    (uintptr_t)addr < __atomic_load_n(&m->vm_lo, __ATOMIC_ACQUIRE))
		return false;
	pthread_mutex_lock(&m->lock);
	r = find_area(m, addr) != NULL;
	pthread_mutex_unlock(&m->lock);
	return r;
}

struct page *vmalloc_to_page(const void *addr)
{
	struct dk_machine *m = dk_machine_current();
	struct dk_vm_area *a;
	struct page *pg = NULL;

	if (!m)
		return NULL;
	pthread_mutex_lock(&m->lock);
	a = find_area(m, addr);
	if (a)
		pg = a->pages[((const u8 *)addr - a->addr) / PAGE_SIZE];
	pthread_mutex_unlock(&m->lock);
	return pg;
}

static void vmap_range(void *addr, int size, bool clean)
{
	struct dk_machine *m = dk_machine_current();
	u8 *p = addr, *end;

	if (!addr) {
		dk_err_log(-EINVAL, "BUG: %s_kernel_vmap_range(NULL, %d)",
			   clean ? "flush" : "invalidate", size);
		return;
	}
	end = p + (size > 0 ? size : 0);
	/* An aliasing cache: the vmap's own lines, not the linear map's. */
	if (m && size > 0 && m->pl.ops->vmap_sync &&
	    m->pl.ops->vmap_sync(m->pl.ctx, addr, size, clean) > 0)
		return;

	while (m && p < end) {
		u8 *next = (u8 *)(((uintptr_t)p & PAGE_MASK) + PAGE_SIZE);
		struct page *pg = vmalloc_to_page(p);
		size_t n = (next < end ? next : end) - p;
		phys_addr_t pa;

		/* dma_vmap_noncontiguous() hands out the linear address of
		 * contiguous pages, and dma-api.rst still asks for these
		 * calls on it: maintain it like any other mapping. */
		if (pg) {
			pa = dk_page_to_phys(m, pg) + ((uintptr_t)p & ~PAGE_MASK);
		} else if (!dk_linear_to_phys(m, p, &pa)) {
			dk_warn("BUG: %s_kernel_vmap_range(%p): not a kernel address",
				clean ? "flush" : "invalidate", (void *)p);
			return;
		}
		if (clean)
			m->pl.ops->cache_clean(m->pl.ctx, pa, n);
		else
			m->pl.ops->cache_inval(m->pl.ctx, pa, n);
		p = next;
	}
}

void flush_kernel_vmap_range(void *addr, int size)
{
	vmap_range(addr, size, true);
}

void invalidate_kernel_vmap_range(void *addr, int size)
{
	vmap_range(addr, size, false);
}
