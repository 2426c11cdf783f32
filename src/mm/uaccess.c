// SPDX-License-Identifier: MIT
/*
 * The simulated user address space (include/dmakit/mm.h): user mappings
 * are platform aliases of machine RAM, listed with what backs them, so
 * copy_to_user() can refuse what no mapping covers and get_user_pages()
 * can tell struct-page memory from raw page frames. Mappings are few (a
 * program's buffers), so a list under one lock is enough.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/mm.h>

#include "mm.h"
#include "../io/io.h"
#include "../kernel/kernel.h"

#define MAX_USER_LEN (64UL << 20)

struct dk_uvma {
	struct vm_area_struct vma;	/* first: found from the vma */
	struct dk_uvma *next;
	struct dk_machine *m;
	struct page **pages;	/* NULL for VM_PFNMAP */
	size_t npages;
	void *alias;		/* what the platform mapped */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct dk_uvma *uvmas;
/* The mapping dk_user_mmap() is setting up on this thread. */
static __thread struct dk_uvma *setting_up;

static enum dk_alias_type alias_type(pgprot_t prot)
{
	return prot & DK_PGPROT_NOCACHE ? DK_ALIAS_UNCACHED :
	       prot & DK_PGPROT_WC ? DK_ALIAS_WRITE_COMBINE : DK_ALIAS_CACHED;
}

/* The lock is held. */
static struct dk_uvma *find(struct dk_machine *m, uintptr_t a)
{
	struct dk_uvma *u;

	for (u = uvmas; u; u = u->next)
		if (u->m == m && a >= u->vma.vm_start && a < u->vma.vm_end)
			return u;
	return NULL;
}

/* Whether [@pa, @pa + @size) is RAM of one bank (no wrap). */
static bool ram_span(struct dk_machine *m, phys_addr_t pa, u64 size)
{
	struct page *lo, *hi;

	if (!size || pa + size - 1 < pa)
		return false;
	lo = dk_phys_to_page(m, pa);
	hi = dk_phys_to_page(m, pa + size - 1);
	return lo && hi && hi >= lo &&
	       (u64)(hi - lo) == (pa + size - 1) / PAGE_SIZE - pa / PAGE_SIZE;
}

void get_page(struct page *page)
{
	if (page)
		__atomic_add_fetch(&page->refcount, 1, __ATOMIC_RELAXED);
}

void put_page(struct page *page)
{
	struct dk_machine *m = dk_machine_current();
	int left;

	if (!page || !m)
		return;
	left = __atomic_sub_fetch(&page->refcount, 1, __ATOMIC_ACQ_REL);
	if (left < 0) {
		dk_warn("BUG: put_page(%p): no reference held", (void *)page);
		page->refcount = 0;
		return;
	}
	/* Reserved memory is nobody's to free. */
	if (!left && (page->flags & DK_PG_CMA_LENT))
		dk_cma_unlend(m, page);
	else if (!left && !(page->flags & DK_PG_RESERVED))
		m->pl.ops->free_pages(m->pl.ctx, dk_page_to_phys(m, page),
				      1UL << page->order);
}

static void pages_put(struct page **pages, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put_page(pages[i]);
}

/*
 * The lock is held: @u's pages point back at @owner (@u, or NULL when the
 * mapping goes), so migration finds the one mapping of a movable page.
 */
static void set_rmap(struct dk_uvma *u, struct dk_uvma *owner)
{
	size_t i;

	for (i = 0; u->pages && i < u->npages; i++) {
		u->pages[i]->mapping = owner;
		u->pages[i]->index = i;
	}
}

/* Map @u's pages contiguously and list it. */
static int publish(struct dk_machine *m, struct dk_uvma *u, pgprot_t prot)
{
	phys_addr_t *pa;
	size_t i;

	if (u->pages) {
		pa = calloc(u->npages, sizeof(*pa));
		if (!pa)
			return dk_err(-ENOMEM, "out of memory");
		for (i = 0; i < u->npages; i++)
			pa[i] = dk_page_to_phys(m, u->pages[i]);
		u->alias = m->pl.ops->vmap(m->pl.ctx, pa, u->npages,
					   alias_type(prot));
		free(pa);
		if (!u->alias)
			return dk_err(-ENOMEM, "user mapping: %s",
				      dk_last_error());
		u->vma.vm_start = (uintptr_t)u->alias;
		u->vma.vm_end = u->vma.vm_start + u->npages * PAGE_SIZE;
	}
	u->m = m;
	pthread_mutex_lock(&lock);
	u->next = uvmas;
	uvmas = u;
	set_rmap(u, u);
	pthread_mutex_unlock(&lock);
	return 0;
}

static struct dk_uvma *uvma_new(size_t len)
{
	struct dk_uvma *u;

	if (!len || len > MAX_USER_LEN) {
		dk_err(-EINVAL, "user mapping of %zu bytes: not in 1..64 MiB",
		       len);
		return NULL;
	}
	u = calloc(1, sizeof(*u));
	if (u)
		u->pages = calloc((len + PAGE_SIZE - 1) / PAGE_SIZE,
				  sizeof(*u->pages));
	if (!u || !u->pages) {
		if (u)
			free(u);
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	u->npages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	u->vma.vm_end = u->npages * PAGE_SIZE;
	u->vma.vm_flags = VM_READ | VM_WRITE | VM_SHARED;
	return u;
}

static void uvma_free(struct dk_uvma *u)
{
	free(u->pages);
	free(u);
}

void __user *dk_user_mmap_anon(size_t len)
{
	struct dk_machine *m = dk_machine_of();
	struct dk_uvma *u;
	size_t i;

	if (!m)
		return NULL;
	u = uvma_new(len);
	if (!u)
		return NULL;
	for (i = 0; i < u->npages; i++)
		if (!(u->pages[i] = alloc_page(GFP_HIGHUSER_MOVABLE |
					       __GFP_ZERO)))
			break;
	if (i < u->npages || publish(m, u, PAGE_SHARED)) {
		pages_put(u->pages, i);
		uvma_free(u);
		return NULL;
	}
	return u->alias;
}

/* Fault every page of @u in through its vm_ops. */
static int fault_in(struct dk_uvma *u)
{
	size_t i;

	for (i = 0; i < u->npages; i++) {
		struct vm_fault vmf = { .vma = &u->vma,
					.pgoff = u->vma.vm_pgoff + i,
					.address = i * PAGE_SIZE };

		if (u->vma.vm_ops->fault(&vmf) || !vmf.page) {
			pages_put(u->pages, i);
			return dk_err(-EFAULT,
				      "user mapping: the fault handler gave no page for offset %lu (SIGBUS)",
				      vmf.pgoff);
		}
		u->pages[i] = vmf.page;
	}
	return 0;
}

int dk_user_mmap(int (*mmap)(void *priv, struct vm_area_struct *vma),
		 void *priv, size_t len, unsigned long pgoff,
		 void __user **addr)
{
	struct dk_machine *m = dk_machine_of();
	struct dk_uvma *u;
	int r;

	if (!m)
		return -ENODEV;
	if (!mmap || !addr || len % PAGE_SIZE)
		return dk_err(-EINVAL, "dk_user_mmap: NULL handler or result, or %zu bytes not whole pages",
			      len);
	*addr = NULL;
	u = uvma_new(len);
	if (!u)
		return -EINVAL;
	u->vma.vm_pgoff = pgoff;
	setting_up = u;
	r = mmap(priv, &u->vma);
	setting_up = NULL;
	if (!r && u->alias) {		/* remap_pfn_range() mapped it */
		free(u->pages);
		u->pages = NULL;
	} else if (!r && u->vma.vm_ops && u->vma.vm_ops->fault) {
		r = fault_in(u);
		if (!r && (r = publish(m, u, u->vma.vm_page_prot)))
			pages_put(u->pages, u->npages);
	} else if (!r) {
		r = dk_err(-EINVAL, "dk_user_mmap: the handler neither mapped pages nor set a fault handler");
	}
	if (r) {
		if (u->alias)	/* only remap_pfn_range() has mapped yet */
			m->pl.ops->unmap_alias(m->pl.ctx, u->alias);
		uvma_free(u);
		return r;
	}
	if (!u->pages && (r = publish(m, u, 0))) {
		m->pl.ops->unmap_alias(m->pl.ctx, u->alias);
		uvma_free(u);
		return r;
	}
	*addr = (void __user *)u->vma.vm_start;
	return 0;
}

static void uvma_drop(struct dk_uvma *u)
{
	if (u->vma.vm_ops && u->vma.vm_ops->close)
		u->vma.vm_ops->close(&u->vma);
	u->m->pl.ops->unmap_alias(u->m->pl.ctx, u->alias);
	if (u->pages)
		pages_put(u->pages, u->npages);
	uvma_free(u);
}

int dk_user_munmap(void __user *addr)
{
	struct dk_machine *m = dk_machine_current();
	struct dk_uvma **pp, *u = NULL;

	pthread_mutex_lock(&lock);
	for (pp = &uvmas; *pp; pp = &(*pp)->next)
		if ((*pp)->m == m && (*pp)->vma.vm_start == (uintptr_t)addr) {
			u = *pp;
			*pp = u->next;
			set_rmap(u, NULL);
			break;
		}
	pthread_mutex_unlock(&lock);
	if (!u)
		return dk_err(-EINVAL, "dk_user_munmap(%p): no user mapping starts there",
			      addr);
	uvma_drop(u);
	return 0;
}

void dk_uaccess_fini(struct dk_machine *m)
{
	struct dk_uvma **pp, *u;

	pthread_mutex_lock(&lock);
	for (pp = &uvmas; (u = *pp);) {
		if (u->m != m) {
			pp = &u->next;
			continue;
		}
		*pp = u->next;
		set_rmap(u, NULL);
		/* The pages go with the machine; only the aliases need undoing. */
		u->m->pl.ops->unmap_alias(u->m->pl.ctx, u->alias);
		uvma_free(u);
	}
	pthread_mutex_unlock(&lock);
}

const struct vm_area_struct *dk_user_vma(const void __user *addr)
{
	struct dk_machine *m = dk_machine_current();
	struct dk_uvma *u;

	pthread_mutex_lock(&lock);
	u = find(m, (uintptr_t)addr);
	pthread_mutex_unlock(&lock);
	return u ? &u->vma : NULL;
}

int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
		    unsigned long pfn, unsigned long size, pgprot_t prot)
{
	struct dk_machine *m = dk_machine_of();
	struct dk_uvma *u = setting_up;
	phys_addr_t pa = (phys_addr_t)pfn << PAGE_SHIFT;

	(void)addr;
	if (!m)
		return -ENODEV;
	if (!vma || (struct vm_area_struct *)u != vma || u->alias)
		return dk_err(-EINVAL, "remap_pfn_range: not called from a dk_user_mmap() handler for this mapping (or twice)");
	if (!size || size % PAGE_SIZE || size > vma->vm_end - vma->vm_start)
		return dk_err(-EINVAL, "remap_pfn_range: %lu bytes: not whole pages within the %lu-byte mapping",
			      size, vma->vm_end - vma->vm_start);
	if (pfn > (~0ULL >> PAGE_SHIFT) || !ram_span(m, pa, size))
		return dk_err(-EINVAL, "remap_pfn_range: 0x%llx + %lu is not RAM (dmakit maps only RAM to user space)",
			      (unsigned long long)pa, size);
	u->alias = m->pl.ops->map_alias(m->pl.ctx, pa, size, alias_type(prot));
	if (!u->alias)
		return dk_err(-ENOMEM, "remap_pfn_range: %s", dk_last_error());
	vma->vm_start = (uintptr_t)u->alias;
	vma->vm_end = vma->vm_start + size;
	vma->vm_page_prot = prot;
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	return 0;
}

int vm_iomap_memory(struct vm_area_struct *vma, phys_addr_t start,
		    unsigned long len)
{
	unsigned long win, pages;

	if (!vma || start % PAGE_SIZE || !len)
		return dk_err(-EINVAL, "vm_iomap_memory: NULL mapping, unaligned start or no length");
	win = vma->vm_end - vma->vm_start;
	pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	if (vma->vm_pgoff > pages || win / PAGE_SIZE > pages - vma->vm_pgoff)
		return dk_err(-EINVAL, "vm_iomap_memory: a %lu-byte window at page %lu does not fit %lu bytes",
			      win, vma->vm_pgoff, len);
	return remap_pfn_range(vma, vma->vm_start,
			       (start >> PAGE_SHIFT) + vma->vm_pgoff, win,
			       vma->vm_page_prot);
}

long get_user_pages_fast(unsigned long start, int nr_pages,
			 unsigned int gup_flags, struct page **pages)
{
	struct dk_machine *m = dk_machine_of();
	struct dk_uvma *u;
	int i;

	(void)gup_flags;
	if (!m)
		return -ENODEV;
	if (nr_pages <= 0 || !pages || start % PAGE_SIZE)
		return dk_err(-EINVAL, "get_user_pages: %d pages at 0x%lx: bad arguments",
			      nr_pages, start);
	pthread_mutex_lock(&lock);
	for (i = 0; i < nr_pages; i++) {
		unsigned long a = start + (unsigned long)i * PAGE_SIZE;

		u = find(m, a);
		if (!u || !u->pages)
			break;
		pages[i] = u->pages[(a - u->vma.vm_start) / PAGE_SIZE];
		get_page(pages[i]);
	}
	pthread_mutex_unlock(&lock);
	if (i == nr_pages)
		return nr_pages;
	pages_put(pages, i);
	return dk_err(-EFAULT, "get_user_pages: 0x%lx is %s",
		      start + (unsigned long)i * PAGE_SIZE,
		      u ? "in a VM_IO | VM_PFNMAP mapping: raw page frames, no struct pages" :
			  "in no user mapping");
}

int dk_user_page_move(struct dk_machine *m, struct page *old,
		      struct page *new)
{
	struct dk_uvma *u;
	u8 *va;
	int r;

	pthread_mutex_lock(&lock);
	u = old->mapping;
	/* A get_user_pages() caller (taking references under the lock)
	 * holds the old page: it must not move under it. */
	if (!u || u->pages[old->index] != old ||
	    __atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) != 1) {
		pthread_mutex_unlock(&lock);
		return dk_err(-EBUSY, "page migration: the page is pinned or no longer mapped");
	}
	va = (u8 *)u->alias + old->index * PAGE_SIZE;
	r = m->pl.ops->mem_store(m->pl.ctx, dk_page_to_phys(m, new), va,
				 PAGE_SIZE);
	if (!r)
		r = m->pl.ops->vmap_remap(m->pl.ctx, va,
					  dk_page_to_phys(m, new));
	if (!r) {
		u->pages[old->index] = new;
		new->mapping = u;
		new->index = old->index;
		old->mapping = NULL;
	}
	pthread_mutex_unlock(&lock);
	return r;
}

/* The page at user address @a, or NULL. */
static struct page *user_page(struct dk_machine *m, uintptr_t a)
{
	struct dk_uvma *u;
	struct page *pg = NULL;

	pthread_mutex_lock(&lock);
	u = find(m, a);
	if (u && u->pages)
		pg = u->pages[(a - u->vma.vm_start) / PAGE_SIZE];
	pthread_mutex_unlock(&lock);
	return pg;
}

long pin_user_pages_fast(unsigned long start, int nr_pages,
			 unsigned int gup_flags, struct page **pages)
{
	struct dk_machine *m = dk_machine_of();
	int i, r;

	/* A long-term pin would keep a CMA page from its devices: as
	 * Linux, move such pages out first. */
	for (i = 0; m && (gup_flags & FOLL_LONGTERM) && !(start % PAGE_SIZE) &&
		    i < nr_pages; i++) {
		struct page *pg = user_page(m, start + (unsigned long)i * PAGE_SIZE);

		if (pg && (pg->flags & DK_PG_CMA_LENT) &&
		    (r = dk_cma_migrate_page(m, pg)))
			return dk_err(r == -EBUSY ? -EBUSY : -ENOMEM,
				      "pin_user_pages(FOLL_LONGTERM): 0x%lx stays in CMA: %s",
				      start + (unsigned long)i * PAGE_SIZE,
				      dk_last_error());
	}
	return get_user_pages_fast(start, nr_pages, gup_flags, pages);
}

void unpin_user_pages(struct page **pages, unsigned long npages)
{
	if (pages)
		pages_put(pages, npages);
}

/* Whether [@a, @a + @n) lies in one user mapping. */
static bool user_range(const void __user *a, unsigned long n, const char *fn)
{
	struct dk_machine *m = dk_machine_current();
	uintptr_t p = (uintptr_t)a;
	struct dk_uvma *u;
	bool ok;

	pthread_mutex_lock(&lock);
	u = m ? find(m, p) : NULL;
	ok = u && p + n >= p && p + n <= u->vma.vm_end;
	pthread_mutex_unlock(&lock);
	if (!ok)
		dk_err(-EFAULT, "%s: %lu bytes at %p are not user memory", fn,
		       n, a);
	return ok;
}

/*
 * A plain copy to or from an ioremap() window, which copy_to_user() and
 * copy_from_user() allow only for prefetchable memory: such a copy "might
 * read/write several times the same memory and/or in an unordered way".
 * The model does the worst it may, deterministically: 32-bit words from
 * the last to the first, each accessed twice. Memory-like registers come
 * out right; registers with side effects (a FIFO, a doorbell) do not.
 */
static void plain_io_copy(struct dk_machine *m, u8 *buf, phys_addr_t pa,
			  size_t n, bool from_io)
{
	size_t w = (n + 3) / 4, i;
	u32 v;

	while (w--) {
		phys_addr_t at = (pa & ~(phys_addr_t)3) + w * 4;
		size_t lo = at < pa ? pa - at : 0;

		if (from_io) {
			m->pl.ops->mmio_read32(m->pl.ctx, at);
			v = m->pl.ops->mmio_read32(m->pl.ctx, at);
			for (i = lo; i < 4 && at + i < pa + n; i++)
				buf[at + i - pa] = (u8)(v >> (8 * i));
		} else {
			v = m->pl.ops->mmio_read32(m->pl.ctx, at);
			for (i = lo; i < 4 && at + i < pa + n; i++)
				v = (v & ~(0xffu << (8 * i))) |
				    (u32)buf[at + i - pa] << (8 * i);
			m->pl.ops->mmio_write32(m->pl.ctx, at, v);
			m->pl.ops->mmio_write32(m->pl.ctx, at, v);
		}
	}
}

/* Copy @n bytes between user memory @u and kernel memory or MMIO @k. */
static unsigned long user_copy(void *u, void *k, unsigned long n,
			       bool to_user, const char *fn)
{
	struct dk_machine *m = dk_machine_current();
	phys_addr_t pa;
	int where;
	u8 *tmp;

	if (!n)
		return 0;
	if (!k || !user_range(u, n, fn))
		return n;
	where = dk_io_where(m, k, n, &pa);
	if (where < 0) {
		dk_err(-EFAULT, "%s: %lu bytes at %p run out of an ioremap() window",
		       fn, n, k);
		return n;
	}
	if (!where) {
		memcpy(to_user ? u : k, to_user ? k : u, n);
		return 0;
	}
	tmp = malloc(n);
	if (!tmp) {
		dk_err(-ENOMEM, "out of memory");
		return n;
	}
	if (to_user) {
		plain_io_copy(m, tmp, pa, n, true);
		memcpy(u, tmp, n);
	} else {
		memcpy(tmp, u, n);
		plain_io_copy(m, tmp, pa, n, false);
	}
	free(tmp);
	return 0;
}

unsigned long copy_to_user(void __user *to, const void *from,
			   unsigned long n)
{
	return user_copy((void *)to, (void *)from, n, true, "copy_to_user");
}

unsigned long copy_from_user(void *to, const void __user *from,
			     unsigned long n)
{
	return user_copy((void *)from, to, n, false, "copy_from_user");
}

void *memremap(phys_addr_t offset, size_t size, unsigned long flags)
{
	struct dk_machine *m = dk_machine_of();
	size_t i;

	if (!m)
		return NULL;
	if (!ram_span(m, offset, size) ||
	    (flags != MEMREMAP_WB && flags != MEMREMAP_WC)) {
		dk_err(-EINVAL, "memremap(0x%llx, %zu, 0x%lx): not RAM or flags not MEMREMAP_WB/WC",
		       (unsigned long long)offset, size, flags);
		return NULL;
	}
	/* Its struct pages are reserved: no put_page() frees them. */
	for (i = 0; i < (offset % PAGE_SIZE + size + PAGE_SIZE - 1) / PAGE_SIZE;
	     i++)
		dk_phys_to_page(m, offset + i * PAGE_SIZE)->flags |=
			DK_PG_RESERVED;
	if (flags == MEMREMAP_WB)
		return dk_phys_to_virt(m, offset);
	return m->pl.ops->map_alias(m->pl.ctx, offset, size,
				    DK_ALIAS_WRITE_COMBINE);
}

void memunmap(void *addr)
{
	struct dk_machine *m = dk_machine_current();
	phys_addr_t pa;

	if (!addr || !m || dk_linear_to_phys(m, addr, &pa))
		return;
	m->pl.ops->unmap_alias(m->pl.ctx, addr);
}
