// SPDX-License-Identifier: MIT
/*
 * The direct backend's allocator: where the pages of coherent and
 * non-coherent allocations come from (per-device pool, CMA, page
 * allocator below the coherent mask), the uncached or write-combine alias
 * a non-coherent device needs, user mappings, and the pools of
 * dma_declare_coherent_memory(). The front end (mapping_alloc.c) checks
 * the arguments and tells the checker.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>

#include "../mm/mm.h"
#include "direct.h"

enum origin { FROM_POOL, FROM_CMA, FROM_PAGES };

struct dk_coh_alloc {
	struct dk_hnode node;	/* in m->coh_allocs, by cpu_addr */
	struct device *dev;
	void *cpu_addr;		/* what the caller got back */
	void *alias;		/* uncached/WC mapping to undo, or NULL */
	bool buffered;		/* behind the store buffer (a snooped page) */
	phys_addr_t phys;
	dma_addr_t dma;
	size_t npages;
	enum origin origin;
	struct dk_cma *cma;
	struct dma_coherent_mem *pool;
	unsigned long attrs;
	bool noncoherent;	/* dma_alloc_noncoherent/pages */
};

static pthread_mutex_t coh_lock = PTHREAD_MUTEX_INITIALIZER;

/* Largest CPU physical address whose bus address fits @mask. */
static u64 phys_limit(struct device *dev, u64 mask)
{
	u64 best = 0;
	int i;

	if (dev->bus_dma_limit)
		mask = dk_min64(mask, dev->bus_dma_limit);
	if (!dev->n_dma_ranges)
		return mask;
	for (i = 0; i < dev->n_dma_ranges; i++) {
		const struct dk_dma_range *w = &dev->dma_range_map[i];
		u64 top;

		if (w->bus > mask)
			continue;
		top = w->cpu + dk_min64(w->size - 1, mask - w->bus);
		if (top > best)
			best = top;
	}
	return best;
}

int dk_coherent_pool_alloc(struct dma_coherent_mem *mem, size_t size,
			   phys_addr_t *pa)
{
	unsigned long n = PAGE_ALIGN(size) / PAGE_SIZE, at;
	unsigned long align = 1UL << get_order(size);
	bool ok;

	pthread_mutex_lock(&coh_lock);
	ok = dk_bits_find(mem->bitmap, 0, mem->size / PAGE_SIZE, n, align, &at);
	if (ok)
		dk_bits_set(mem->bitmap, at, n, true);
	pthread_mutex_unlock(&coh_lock);
	if (!ok)
		return -ENOMEM;
	*pa = mem->phys + (u64)at * PAGE_SIZE;
	return 0;
}

int dk_coherent_pool_take(struct dma_coherent_mem *mem, unsigned long first,
			  unsigned long n)
{
	int r = -EBUSY;

	pthread_mutex_lock(&coh_lock);
	if (dk_bits_all(mem->bitmap, first, n, false)) {
		dk_bits_set(mem->bitmap, first, n, true);
		r = 0;
	}
	pthread_mutex_unlock(&coh_lock);
	return r;
}

bool dk_coherent_pool_free(struct dma_coherent_mem *mem, phys_addr_t pa,
			   size_t size)
{
	unsigned long n = PAGE_ALIGN(size) / PAGE_SIZE, first;
	bool ok;

	if (pa < mem->phys || pa + n * PAGE_SIZE > mem->phys + mem->size)
		return false;
	first = (pa - mem->phys) / PAGE_SIZE;
	pthread_mutex_lock(&coh_lock);
	ok = dk_bits_all(mem->bitmap, first, n, true);
	if (ok)
		dk_bits_set(mem->bitmap, first, n, false);
	pthread_mutex_unlock(&coh_lock);
	return ok;
}

/* Pages for @dev below @mask: pool, then CMA, then the page allocator. */
static int get_pages(struct device *dev, size_t npages, u64 mask,
		     unsigned long attrs, struct dk_coh_alloc *a)
{
	struct dk_machine *m = dev->machine;
	u64 limit = phys_limit(dev, mask);
	size_t align = 1UL << get_order(npages * PAGE_SIZE);
	struct dk_cma *cma;

	(void)attrs;	/* every direct allocation is contiguous */
	if (align > 1UL << MAX_ORDER)
		align = 1UL << MAX_ORDER;
	if (dev->dma_mem) {
		if (!dk_coherent_pool_alloc(dev->dma_mem, npages * PAGE_SIZE,
					    &a->phys)) {
			a->origin = FROM_POOL;
			a->pool = dev->dma_mem;
			return 0;
		}
		if (dev->dma_mem->exclusive)
			return dk_err(-ENOMEM,
				      "%s: its coherent pool has no %zu free pages",
				      dev_name(dev), npages);
	}
	cma = dev->cma_area;
	if (!cma && npages > 1 && m->cma_default >= 0)
		cma = &m->cma[m->cma_default];
	if (cma && !dk_cma_alloc(cma, npages, align, limit, &a->phys)) {
		a->origin = FROM_CMA;
		a->cma = cma;
		return 0;
	}
	if (m->pl.ops->alloc_pages(m->pl.ctx, npages, align, 0, limit,
				   &a->phys))
		return dk_err(-ENOMEM,
			      "%s: no %zu contiguous pages below 0x%llx for a DMA allocation",
			      dev_name(dev), npages, (unsigned long long)limit);
	a->origin = FROM_PAGES;
	return 0;
}

static void put_pages(struct dk_machine *m, struct dk_coh_alloc *a)
{
	switch (a->origin) {
	case FROM_POOL:
		dk_coherent_pool_free(a->pool, a->phys, a->npages * PAGE_SIZE);
		break;
	case FROM_CMA:
		dk_cma_release(a->cma, a->phys, a->npages);
		break;
	case FROM_PAGES:
		m->pl.ops->free_pages(m->pl.ctx, a->phys, a->npages);
		break;
	}
}

static dma_addr_t handle_of(struct device *dev, struct dk_coh_alloc *a)
{
	if (a->origin == FROM_POOL && a->pool->declared)
		return a->pool->dev_base + (a->phys - a->pool->phys);
	return phys_to_dma(dev, a->phys);
}

static void release(struct dk_machine *m, struct dk_coh_alloc *a);

/* Keep @a to be found by its CPU address; else undo it, NULL. */
static void *record(struct dk_machine *m, struct dk_coh_alloc *a)
{
	int r;

	pthread_mutex_lock(&coh_lock);
	r = dk_ptrhash_add(&m->coh_allocs, &a->node, a->cpu_addr);
	pthread_mutex_unlock(&coh_lock);
	if (r) {
		release(m, a);
		return NULL;
	}
	return a->cpu_addr;
}

/* The record of @cpu_addr for @dev (any kind if @kind < 0, else
 * noncoherent == @kind), removed if @remove; or NULL. */
static struct dk_coh_alloc *lookup(struct device *dev, const void *cpu_addr,
				   int kind, bool remove)
{
	struct dk_ptrhash *h = &dev->machine->coh_allocs;
	struct dk_coh_alloc *a = NULL;
	struct dk_hnode *x;

	pthread_mutex_lock(&coh_lock);
	for (x = dk_ptrhash_find(h, cpu_addr); x; x = dk_ptrhash_next(x)) {
		struct dk_coh_alloc *c = (struct dk_coh_alloc *)x;

		if (c->dev == dev && (kind < 0 || c->noncoherent == kind)) {
			a = c;
			break;
		}
	}
	if (a && remove)
		dk_ptrhash_del(h, x);
	pthread_mutex_unlock(&coh_lock);
	return a;
}

/* Remove and return the record of @cpu_addr for @dev, or NULL. */
static struct dk_coh_alloc *take(struct device *dev, const void *cpu_addr,
				 bool noncoherent)
{
	return lookup(dev, cpu_addr, noncoherent, true);
}

static struct dk_coh_alloc *find(struct device *dev, const void *cpu_addr)
{
	return lookup(dev, cpu_addr, -1, false);
}

/* Allocate, zero and describe @size bytes for @dev. */
static struct dk_coh_alloc *alloc(struct device *dev, size_t size, u64 mask,
				  unsigned long attrs, bool noncoherent)
{
	struct dk_machine *m = dev->machine;
	struct dk_coh_alloc *a = calloc(1, sizeof(*a));

	if (!a) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	a->dev = dev;
	a->npages = PAGE_ALIGN(size) / PAGE_SIZE;
	a->attrs = attrs;
	a->noncoherent = noncoherent;
	if (get_pages(dev, a->npages, mask, attrs, a)) {
		free(a);
		return NULL;
	}
	a->dma = handle_of(dev, a);
	if (!dk_dma_capable(dev, a->dma, size, true)) {
		dk_err(-ENOMEM, "%s: allocation at 0x%llx is beyond the coherent mask",
		       dev_name(dev), (unsigned long long)a->dma);
		put_pages(m, a);
		free(a);
		return NULL;
	}
	/* Zero where the device sees it too (a plain memset of bytes a stale
	 * line already holds as zero would reach no DRAM). The store leaves
	 * no line dirty, so none may later land on top of device data. */
	m->pl.ops->mem_store(m->pl.ctx, a->phys, NULL, a->npages * PAGE_SIZE);
	return a;
}

void *dk_direct_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs)
{
	struct dk_machine *m = dev->machine;
	struct dk_coh_alloc *a;

	(void)gfp;
	a = alloc(dev, size, dev->coherent_dma_mask, attrs, false);
	if (!a)
		return NULL;
	if (dev->dma_coherent && dk_phys_to_page(m, a->phys)) {
		a->cpu_addr = dk_phys_to_virt(m, a->phys);
		/* The device snoops what the CPU stores here, once the
		 * stores leave the CPU's store buffer. */
		if (m->pl.ops->store_buffer) {
			if (m->pl.ops->store_buffer(m->pl.ctx, a->phys,
						    a->npages * PAGE_SIZE,
						    true)) {
				put_pages(m, a);
				free(a);
				return NULL;
			}
			a->buffered = true;
		}
	} else if (attrs & DMA_ATTR_NO_KERNEL_MAPPING) {
		/* A cookie, as Linux hands out: the first struct page. */
		a->cpu_addr = dk_phys_to_page(m, a->phys);
	} else {
		a->alias = m->pl.ops->map_alias(m->pl.ctx, a->phys,
						a->npages * PAGE_SIZE,
						attrs & DMA_ATTR_WRITE_COMBINE ?
							DK_ALIAS_WRITE_COMBINE :
							DK_ALIAS_UNCACHED);
		if (!a->alias) {
			put_pages(m, a);
			free(a);
			return NULL;
		}
		a->cpu_addr = a->alias;
	}
	*dma_handle = a->dma;
	return record(m, a);
}

static void release(struct dk_machine *m, struct dk_coh_alloc *a)
{
	if (a->alias)
		m->pl.ops->unmap_alias(m->pl.ctx, a->alias);
	if (a->buffered)
		m->pl.ops->store_buffer(m->pl.ctx, a->phys,
					a->npages * PAGE_SIZE, false);
	/* The device and any uncached alias changed DRAM behind the
	 * cacheable view's clean lines. On hardware the next owner's stores
	 * dirty those lines whatever they hold; the model only sees stores
	 * that change a byte (docs/cache-model.md), so the lines go now. */
	if (!a->dev->dma_coherent)
		m->pl.ops->cache_clean_inval(m->pl.ctx, a->phys,
					     a->npages * PAGE_SIZE);
	put_pages(m, a);
	free(a);
}

static void free_common(struct device *dev, size_t size, void *cpu_addr,
			dma_addr_t dma_handle, bool noncoherent, const char *fn)
{
	struct dk_coh_alloc *a = take(dev, cpu_addr, noncoherent);

	if (!a) {
		dev_err(dev, "%s(%p): memory it has not allocated", fn, cpu_addr);
		return;
	}
	if (PAGE_ALIGN(size) / PAGE_SIZE != a->npages || dma_handle != a->dma)
		dev_err(dev, "%s(%p): size %zu / handle 0x%llx differ from the allocation (%zu pages at 0x%llx)",
			fn, cpu_addr, size, (unsigned long long)dma_handle,
			a->npages, (unsigned long long)a->dma);
	release(dev->machine, a);
}

void dk_direct_free(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs)
{
	(void)attrs;
	free_common(dev, size, cpu_addr, dma_handle, false, "dma_free_attrs");
}

/* ---- user mappings */

int dk_user_window_check(struct device *dev, const struct vm_area_struct *vma,
			 size_t npages)
{
	unsigned long len = vma->vm_end - vma->vm_start;

	if (!len || len % PAGE_SIZE)
		return dk_err(-EINVAL, "%s: mmap: window of %lu bytes is not whole pages",
			      dev_name(dev), len);
	if (vma->vm_pgoff >= npages || len / PAGE_SIZE > npages - vma->vm_pgoff)
		return dk_err(-ENXIO, "%s: mmap: pages %lu..%lu beyond the %zu-page buffer",
			      dev_name(dev), vma->vm_pgoff,
			      vma->vm_pgoff + len / PAGE_SIZE - 1, npages);
	return 0;
}

int dk_map_user(struct device *dev, struct vm_area_struct *vma,
		phys_addr_t phys, size_t npages, enum dk_alias_type type)
{
	struct dk_machine *m = dev->machine;
	unsigned long len = vma->vm_end - vma->vm_start;
	int r = dk_user_window_check(dev, vma, npages);
	void *va;

	if (r)
		return r;
	va = m->pl.ops->map_alias(m->pl.ctx, phys + vma->vm_pgoff * PAGE_SIZE,
				  len, type);
	if (!va)
		return -ENOMEM;
	vma->vm_start = (unsigned long)va;
	vma->vm_end = vma->vm_start + len;
	return 0;
}

int dk_direct_mmap(struct device *dev, struct vm_area_struct *vma,
		   void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs)
{
	struct dk_coh_alloc *a = find(dev, cpu_addr);

	/* Not PAGE_ALIGN(size): a size near SIZE_MAX would wrap to 0. */
	if (!a || a->dma != dma_addr || size > a->npages * PAGE_SIZE)
		return dk_err(-EINVAL, "%s: dma_mmap_attrs(%p): not a coherent allocation of that size",
			      dev_name(dev), cpu_addr);
	return dk_map_user(dev, vma, a->phys, PAGE_ALIGN(size) / PAGE_SIZE,
			   dev->dma_coherent ? DK_ALIAS_CACHED :
			   attrs & DMA_ATTR_WRITE_COMBINE ?
				   DK_ALIAS_WRITE_COMBINE :
				   DK_ALIAS_UNCACHED);
}

int dk_dma_mmap_fd(struct device *dev, void *cpu_addr, dma_addr_t dma_addr,
		   unsigned long attrs, int *fd, u64 *offset)
{
	struct dk_coh_alloc *a;
	struct dk_machine *m;

	if (!dk_dev_live(dev) || !cpu_addr || !fd || !offset)
		return dk_err(-EINVAL, "dk_dma_mmap_fd: NULL argument");
	m = dev->machine;
	a = find(dev, cpu_addr);
	if (!a || a->dma != dma_addr)
		return dk_err(-EINVAL, "%s: dk_dma_mmap_fd(%p): not a DMA allocation of the direct backend",
			      dev_name(dev), cpu_addr);
	if (!m->pl.ops->export_fd)
		return dk_err(-EOPNOTSUPP, "the %s platform cannot export memory",
			      m->pl.ops->name);
	return m->pl.ops->export_fd(m->pl.ctx, a->phys,
				    dev->dma_coherent ? DK_ALIAS_CACHED :
				    attrs & DMA_ATTR_WRITE_COMBINE ?
					    DK_ALIAS_WRITE_COMBINE :
					    DK_ALIAS_UNCACHED,
				    fd, offset);
}

int dk_direct_get_sgtable(struct device *dev, struct sg_table *sgt,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size,
			  unsigned long attrs)
{
	struct dk_coh_alloc *a = find(dev, cpu_addr);
	int r;

	(void)attrs;
	/* Not PAGE_ALIGN(size): a size near SIZE_MAX would wrap to 0. */
	if (!a || a->dma != dma_addr || size > a->npages * PAGE_SIZE)
		return dk_err(-ENXIO, "%s: dma_get_sgtable(%p): not a DMA allocation of that size",
			      dev_name(dev), cpu_addr);
	r = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!r)
		sg_set_page(sgt->sgl, dk_phys_to_page(dev->machine, a->phys),
			    PAGE_ALIGN(size), 0);
	return r;
}

/* ---- dma_declare_coherent_memory */

static struct dma_coherent_mem *pool_new(phys_addr_t phys, dma_addr_t dev_base,
					 size_t size)
{
	struct dma_coherent_mem *mem = calloc(1, sizeof(*mem));

	if (mem)
		mem->bitmap = calloc(DK_BITMAP_LONGS(size / PAGE_SIZE),
				     sizeof(long));
	if (!mem || !mem->bitmap) {
		free(mem);
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	mem->phys = phys;
	mem->dev_base = dev_base;
	mem->size = size;
	mem->declared = true;
	return mem;
}

/*
 * Memory outside the kernel's RAM that the platform can still map, such
 * as on-chip SRAM: the pool's allocations get uncached mappings and no
 * page leaves the page allocator. MMIO registers cannot be mapped so.
 */
static int declare_device_local(struct device *dev, phys_addr_t phys,
				dma_addr_t device_addr, size_t size)
{
	struct dk_machine *m = dev->machine;
	void *va = m->pl.ops->map_alias(m->pl.ctx, phys, size,
					DK_ALIAS_UNCACHED);
	struct dma_coherent_mem *mem;

	if (!va)
		return dk_err(-EINVAL, "%s: 0x%llx + 0x%zx is neither RAM nor device memory the platform can map",
			      dev_name(dev), (unsigned long long)phys, size);
	m->pl.ops->unmap_alias(m->pl.ctx, va);
	mem = pool_new(phys, device_addr, size);
	if (!mem)
		return -ENOMEM;
	mem->device_local = true;
	dev->dma_mem = mem;
	return 0;
}

int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size)
{
	struct dk_machine *m;
	struct dma_coherent_mem *mem;
	phys_addr_t got = ~(phys_addr_t)0;

	if (!dk_dev_live(dev))
		return dk_err(-EINVAL, "dma_declare_coherent_memory: NULL device");
	m = dev->machine;
	if (!size || (phys_addr | size) & ~PAGE_MASK)
		return dk_err(-EINVAL, "%s: declared memory 0x%llx + 0x%zx must be whole pages",
			      dev_name(dev), (unsigned long long)phys_addr, size);
	if (dev->dma_mem)
		return dk_err(-EBUSY, "%s: already has a coherent pool",
			      dev_name(dev));
	if (phys_addr + size - 1 < phys_addr)
		return dk_err(-EINVAL, "%s: 0x%llx + 0x%zx wraps", dev_name(dev),
			      (unsigned long long)phys_addr, size);
	if (!dk_phys_to_page(m, phys_addr) &&
	    !dk_phys_to_page(m, phys_addr + size - 1))
		return declare_device_local(dev, phys_addr, device_addr, size);
	/* Take the pages out of the allocator, exactly those. */
	if (m->pl.ops->alloc_pages(m->pl.ctx, size / PAGE_SIZE, 1, phys_addr,
				   phys_addr + size - 1, &got)) {
		return dk_err(-EINVAL, "%s: 0x%llx + 0x%zx is not free RAM",
			      dev_name(dev), (unsigned long long)phys_addr, size);
	}
	mem = pool_new(phys_addr, device_addr, size);
	if (!mem) {
		m->pl.ops->free_pages(m->pl.ctx, phys_addr, size / PAGE_SIZE);
		return -ENOMEM;
	}
	dev->dma_mem = mem;
	return 0;
}

void dma_release_coherent_memory(struct device *dev)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;

	if (!mem || !mem->declared)
		return;
	if (!dk_bits_all(mem->bitmap, 0, mem->size / PAGE_SIZE, false))
		dev_warn(dev, "releasing a coherent pool with live allocations");
	if (!mem->device_local)
		dev->machine->pl.ops->free_pages(dev->machine->pl.ctx,
						 mem->phys,
						 mem->size / PAGE_SIZE);
	free(mem->bitmap);
	free(mem);
	dev->dma_mem = NULL;
}

void dk_dma_declare_exclusive(struct device *dev, bool exclusive)
{
	if (dev && dev->dma_mem)
		dev->dma_mem->exclusive = exclusive;
}

/* ---- non-coherent allocations */

struct page *dk_direct_alloc_pages(struct device *dev, size_t size,
				   dma_addr_t *dma_handle,
				   enum dma_data_direction dir, gfp_t gfp)
{
	struct dk_coh_alloc *a;

	(void)dir;
	(void)gfp;
	a = alloc(dev, size, dev->coherent_dma_mask, 0, true);
	if (!a)
		return NULL;
	a->cpu_addr = dk_phys_to_virt(dev->machine, a->phys);
	*dma_handle = a->dma;
	if (!record(dev->machine, a))
		return NULL;
	return dk_phys_to_page(dev->machine, a->phys);
}

void dk_direct_free_pages(struct device *dev, size_t size, struct page *page,
			  dma_addr_t dma_handle, enum dma_data_direction dir)
{
	struct dk_machine *m = dev->machine;

	(void)dir;
	free_common(dev, size, dk_phys_to_virt(m, dk_page_to_phys(m, page)),
		    dma_handle, true, "dma_free_noncoherent");
}

void dk_coherent_fini(struct dk_machine *m)
{
	struct dk_hnode *x = dk_ptrhash_take_all(&m->coh_allocs), *n;
	int i;

	for (; x; x = n) {
		n = x->next;
		release(m, (struct dk_coh_alloc *)x);
	}
	for (i = 0; i < m->ndevs; i++)
		dma_release_coherent_memory(dk_mdev(m, i));
}
