// SPDX-License-Identifier: MIT
/*
 * Coherent and non-coherent allocations: where the pages come from
 * (per-device pool, CMA, page allocator below the coherent mask), the
 * uncached or write-combine alias a non-coherent device needs, user
 * mappings, and the pools of dma_declare_coherent_memory().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-map-ops.h>
#include <dmakit/dma-mapping.h>

#include "../core/objreg.h"
#include "../debug/debug.h"
#include "../debug/user_map.h"
#include "../kernel/kernel.h"
#include "../trace/trace.h"

enum origin { FROM_POOL, FROM_CMA, FROM_PAGES };

struct dk_coh_alloc {
	struct dk_coh_alloc *next;
	struct device *dev;
	void *cpu_addr;		/* what the caller got back */
	void *alias;		/* uncached/WC mapping to undo, or NULL */
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

static void record(struct dk_machine *m, struct dk_coh_alloc *a)
{
	pthread_mutex_lock(&coh_lock);
	a->next = m->coh_allocs;
	m->coh_allocs = a;
	pthread_mutex_unlock(&coh_lock);
}

/* Remove and return the record of @cpu_addr for @dev, or NULL. */
static struct dk_coh_alloc *take(struct device *dev, const void *cpu_addr,
				 bool noncoherent)
{
	struct dk_coh_alloc **pp, *a = NULL;

	pthread_mutex_lock(&coh_lock);
	for (pp = &dev->machine->coh_allocs; *pp; pp = &(*pp)->next)
		if ((*pp)->cpu_addr == cpu_addr && (*pp)->dev == dev &&
		    (*pp)->noncoherent == noncoherent) {
			a = *pp;
			*pp = a->next;
			break;
		}
	pthread_mutex_unlock(&coh_lock);
	return a;
}

static struct dk_coh_alloc *find(struct device *dev, const void *cpu_addr)
{
	struct dk_coh_alloc *a;

	pthread_mutex_lock(&coh_lock);
	for (a = dev->machine->coh_allocs; a; a = a->next)
		if (a->cpu_addr == cpu_addr && a->dev == dev)
			break;
	pthread_mutex_unlock(&coh_lock);
	return a;
}

static bool bad_args(struct device *dev, size_t size, const void *handle,
		     const char *fn)
{
	if (!dk_dev_live(dev)) {
		dk_err(-EINVAL, "%s: NULL device", fn);
		return true;
	}
	if (!size || PAGE_ALIGN(size) < size || !handle) {
		dk_err(-EINVAL, "%s: %s: size %zu or NULL dma_handle", dev_name(dev),
		       fn, size);
		return true;
	}
	return false;
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
	/* Behind an IOMMU any page will do: the IOVA is what must fit. */
	if (get_pages(dev, a->npages, dev->iova ? ~0ULL : mask, attrs, a)) {
		free(a);
		return NULL;
	}
	if (dev->iova) {
		a->dma = dk_iommu_dma_map(dev, a->phys, a->npages * PAGE_SIZE,
					  DMA_BIDIRECTIONAL, true);
		if (a->dma == DMA_MAPPING_ERROR) {
			put_pages(m, a);
			free(a);
			return NULL;
		}
	} else {
		a->dma = handle_of(dev, a);
	}
	if (!dev->iova && !dk_dma_capable(dev, a->dma, size, true)) {
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

/* A table installed with set_dma_ops() that allocates on its own. */
static void *ops_alloc(struct device *dev, size_t size, dma_addr_t *handle,
		       gfp_t gfp, unsigned long attrs)
{
	struct dk_machine *m = dev->machine;
	void *cpu = dev->dma_ops->alloc(dev, size, handle, gfp, attrs);
	phys_addr_t pa;

	if (!cpu) {
		if (!(attrs & DMA_ATTR_NO_WARN))
			dk_warn("%s: dma_alloc_attrs: its dma_map_ops allocated nothing",
				dev_name(dev));
		return NULL;
	}
	if (!m->pl.ops->virt_to_phys(m->pl.ctx, cpu, &pa))
		dk_dbg_map(dev, DK_MAP_COHERENT, cpu, pa, *handle, size,
			   DMA_BIDIRECTIONAL, attrs, 0, 0);
	return cpu;
}

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		      gfp_t gfp, unsigned long attrs)
{
	struct dk_machine *m;
	struct dk_coh_alloc *a;

	(void)gfp;
	if (bad_args(dev, size, dma_handle, "dma_alloc_attrs"))
		return NULL;
	if (attrs & DMA_ATTR_NON_CONSISTENT)
		return dma_alloc_noncoherent(dev, size, dma_handle,
					     DMA_BIDIRECTIONAL, gfp);
	m = dev->machine;
	if (dev->dma_ops && dev->dma_ops->alloc)
		return ops_alloc(dev, size, dma_handle, gfp, attrs);
	a = alloc(dev, size, dev->coherent_dma_mask, attrs, false);
	if (!a) {
		if (!(attrs & DMA_ATTR_NO_WARN))
			dk_warn("%s", dk_last_error());
		return NULL;
	}
	if (dev->dma_coherent) {
		a->cpu_addr = dk_phys_to_virt(m, a->phys);
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
	record(m, a);
	dk_dbg_map(dev, DK_MAP_COHERENT, a->cpu_addr, a->phys, a->dma, size,
		   DMA_BIDIRECTIONAL, attrs, 0, 0);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_ALLOC, a->phys, ~0ULL, a->dma, size,
			     DMA_BIDIRECTIONAL);
	return a->cpu_addr;
}

static void release(struct dk_machine *m, struct dk_coh_alloc *a)
{
	if (a->dev->iova)
		dk_iommu_dma_unmap(a->dev, a->dma, a->npages * PAGE_SIZE);
	if (a->alias)
		m->pl.ops->unmap_alias(m->pl.ctx, a->alias);
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
			dma_addr_t dma_handle, bool noncoherent,
			enum dma_data_direction dir, const char *fn)
{
	struct dk_coh_alloc *a;

	if (!dk_dev_live(dev) || !cpu_addr) {
		dk_warn("BUG: %s(%s, %p): NULL argument", fn, dev_name(dev),
			cpu_addr);
		return;
	}
	dk_dbg_unmap(dev, noncoherent ? DK_MAP_NONCOHERENT : DK_MAP_COHERENT,
		     dma_handle, size, dir, -1, cpu_addr);
	a = take(dev, cpu_addr, noncoherent);
	if (!a) {
		dev_err(dev, "%s(%p): memory it has not allocated", fn, cpu_addr);
		return;
	}
	if (PAGE_ALIGN(size) / PAGE_SIZE != a->npages || dma_handle != a->dma)
		dev_err(dev, "%s(%p): size %zu / handle 0x%llx differ from the allocation (%zu pages at 0x%llx)",
			fn, cpu_addr, size, (unsigned long long)dma_handle,
			a->npages, (unsigned long long)a->dma);
	dk_dbg_free_user_mapped(dev, dma_handle, size, a->phys,
				a->npages * PAGE_SIZE);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_FREE, a->phys, ~0ULL, a->dma, size,
			     dir);
	release(dev->machine, a);
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
		    dma_addr_t dma_handle, unsigned long attrs)
{
	if (attrs & DMA_ATTR_NON_CONSISTENT) {
		dma_free_noncoherent(dev, size, cpu_addr, dma_handle,
				     DMA_BIDIRECTIONAL);
		return;
	}
	if (dk_dev_live(dev) && dev->dma_ops && dev->dma_ops->free) {
		dk_dbg_unmap(dev, DK_MAP_COHERENT, dma_handle, size,
			     DMA_BIDIRECTIONAL, -1, cpu_addr);
		dev->dma_ops->free(dev, size, cpu_addr, dma_handle, attrs);
		return;
	}
	free_common(dev, size, cpu_addr, dma_handle, false, DMA_BIDIRECTIONAL,
		    "dma_free_attrs");
}

/* What Linux's wrappers turn __GFP_NOWARN into. */
static unsigned long nowarn(gfp_t gfp)
{
	return gfp & __GFP_NOWARN ? DMA_ATTR_NO_WARN : 0;
}

void *dma_alloc_coherent(struct device *dev, size_t size,
			 dma_addr_t *dma_handle, gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp, nowarn(gfp));
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, 0);
}

void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *dma_handle,
		   gfp_t gfp)
{
	return dma_alloc_attrs(dev, size, dma_handle, gfp,
			       DMA_ATTR_WRITE_COMBINE | nowarn(gfp));
}

void dma_free_wc(struct device *dev, size_t size, void *cpu_addr,
		 dma_addr_t dma_handle)
{
	dma_free_attrs(dev, size, cpu_addr, dma_handle, DMA_ATTR_WRITE_COMBINE);
}

struct dmam_res {
	struct device *dev;
	size_t size;
	void *vaddr;
	dma_addr_t handle;
	unsigned long attrs;
};

static void dmam_release(void *p)
{
	struct dmam_res *r = p;

	dma_free_attrs(r->dev, r->size, r->vaddr, r->handle, r->attrs);
	free(r);
}

void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp)
{
	return dmam_alloc_attrs(dev, size, dma_handle, gfp, nowarn(gfp));
}

void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, unsigned long attrs)
{
	struct dmam_res *r = calloc(1, sizeof(*r));
	void *v;

	if (!r) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	v = dma_alloc_attrs(dev, size, dma_handle, gfp, attrs);
	if (!v) {
		free(r);
		return NULL;
	}
	*r = (struct dmam_res){ dev, size, v, *dma_handle, attrs };
	if (devm_add_action(dev, dmam_release, r)) {
		dmam_release(r);
		return NULL;
	}
	return v;
}

static bool dmam_match(void *data, void *vaddr)
{
	return ((struct dmam_res *)data)->vaddr == vaddr;
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle)
{
	struct dmam_res *r = dk_devres_take(dev, dmam_release, dmam_match,
					    vaddr);
	unsigned long attrs = r ? r->attrs : 0;

	/* Taken off the list first so unbind does not free it again. */
	free(r);
	dma_free_attrs(dev, size, vaddr, dma_handle, attrs);
}

/* ---- user mappings */

static int map_user(struct device *dev, struct vm_area_struct *vma,
		    phys_addr_t phys, size_t npages, enum dk_alias_type type)
{
	struct dk_machine *m = dev->machine;
	unsigned long len = vma->vm_end - vma->vm_start;
	void *va;

	if (!len || len % PAGE_SIZE)
		return dk_err(-EINVAL, "%s: mmap: window of %lu bytes is not whole pages",
			      dev_name(dev), len);
	if (vma->vm_pgoff >= npages || len / PAGE_SIZE > npages - vma->vm_pgoff)
		return dk_err(-ENXIO, "%s: mmap: pages %lu..%lu beyond the %zu-page buffer",
			      dev_name(dev), vma->vm_pgoff,
			      vma->vm_pgoff + len / PAGE_SIZE - 1, npages);
	va = m->pl.ops->map_alias(m->pl.ctx, phys + vma->vm_pgoff * PAGE_SIZE,
				  len, type);
	if (!va)
		return -ENOMEM;
	vma->vm_start = (unsigned long)va;
	vma->vm_end = vma->vm_start + len;
	dk_dbg_user_map(dev, phys + vma->vm_pgoff * PAGE_SIZE, len,
			vma->vm_start);
	return 0;
}

int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma,
		   void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs)
{
	struct dk_coh_alloc *a;
	int r;

	if (!dk_dev_live(dev) || !vma || !cpu_addr)
		return dk_err(-EINVAL, "dma_mmap_attrs: NULL argument");
	a = find(dev, cpu_addr);
	/* Not PAGE_ALIGN(size): a size near SIZE_MAX would wrap to 0. */
	if (!a || a->dma != dma_addr || size > a->npages * PAGE_SIZE)
		return dk_err(-EINVAL, "%s: dma_mmap_attrs(%p): not a coherent allocation of that size",
			      dev_name(dev), cpu_addr);
	r = map_user(dev, vma, a->phys, PAGE_ALIGN(size) / PAGE_SIZE,
		     dev->dma_coherent ? DK_ALIAS_CACHED :
		     attrs & DMA_ATTR_WRITE_COMBINE ? DK_ALIAS_WRITE_COMBINE :
						      DK_ALIAS_UNCACHED);
	if (!r)
		dk_dbg_mmap_attrs(dev, dma_addr, cpu_addr, attrs);
	return r;
}

int dma_mmap_coherent(struct device *dev, struct vm_area_struct *vma,
		      void *cpu_addr, dma_addr_t dma_addr, size_t size)
{
	return dma_mmap_attrs(dev, vma, cpu_addr, dma_addr, size, 0);
}

int dma_mmap_wc(struct device *dev, struct vm_area_struct *vma,
		void *cpu_addr, dma_addr_t dma_addr, size_t size)
{
	return dma_mmap_attrs(dev, vma, cpu_addr, dma_addr, size,
			      DMA_ATTR_WRITE_COMBINE);
}

int dk_munmap(struct vm_area_struct *vma)
{
	struct dk_machine *m = dk_machine_current();
	int r;

	if (!vma || !m || !vma->vm_start)
		return dk_err(-EINVAL, "dk_munmap: nothing mapped");
	dk_dbg_user_unmap(m, vma->vm_start);
	r = m->pl.ops->unmap_alias(m->pl.ctx, (void *)vma->vm_start);
	if (!r)
		vma->vm_start = vma->vm_end = 0;
	return r;
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
		return dk_err(-EINVAL, "%s: dk_dma_mmap_fd(%p): not a DMA allocation",
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

int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size,
			  unsigned long attrs)
{
	struct dk_coh_alloc *a;
	int r;

	(void)attrs;
	if (!dk_dev_live(dev) || !sgt || !cpu_addr)
		return dk_err(-EINVAL, "dma_get_sgtable: NULL argument");
	a = find(dev, cpu_addr);
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

int dma_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size)
{
	return dma_get_sgtable_attrs(dev, sgt, cpu_addr, dma_addr, size, 0);
}

/* ---- dma_declare_coherent_memory */

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
	/* Take the pages out of the allocator, exactly those. */
	if (phys_addr + size - 1 < phys_addr ||
	    m->pl.ops->alloc_pages(m->pl.ctx, size / PAGE_SIZE, 1, phys_addr,
				   phys_addr + size - 1, &got)) {
		return dk_err(-EINVAL, "%s: 0x%llx + 0x%zx is not free RAM",
			      dev_name(dev), (unsigned long long)phys_addr, size);
	}
	mem = calloc(1, sizeof(*mem));
	if (mem)
		mem->bitmap = calloc(DK_BITMAP_LONGS(size / PAGE_SIZE),
				     sizeof(long));
	if (!mem || !mem->bitmap) {
		free(mem);
		m->pl.ops->free_pages(m->pl.ctx, phys_addr, size / PAGE_SIZE);
		return dk_err(-ENOMEM, "out of memory");
	}
	mem->phys = phys_addr;
	mem->dev_base = device_addr;
	mem->size = size;
	mem->declared = true;
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
	dev->machine->pl.ops->free_pages(dev->machine->pl.ctx, mem->phys,
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

static struct dk_coh_alloc *alloc_nc(struct device *dev, size_t size,
				     dma_addr_t *dma_handle,
				     enum dma_data_direction dir, gfp_t gfp,
				     const char *fn)
{
	struct dk_coh_alloc *a;

	if (bad_args(dev, size, dma_handle, fn))
		return NULL;
	if (!dk_valid_dir(dir)) {
		dk_err(-EINVAL, "%s: %s: invalid direction", dev_name(dev), fn);
		return NULL;
	}
	/* Linux WARNs and fails: the coherent mask picks the zone, and a
	 * driver that asks for one passes here but not there. */
	if (gfp & (__GFP_DMA | __GFP_DMA32)) {
		dk_err(-EINVAL, "%s: %s: GFP_DMA and GFP_DMA32 are not allowed; the coherent mask chooses the memory",
		       dev_name(dev), fn);
		dk_warn("WARNING: %s", dk_last_error());
		return NULL;
	}
	a = alloc(dev, size, dev->coherent_dma_mask, 0, true);
	if (!a)
		return NULL;
	a->cpu_addr = dk_phys_to_virt(dev->machine, a->phys);
	*dma_handle = a->dma;
	record(dev->machine, a);
	dk_dbg_map(dev, DK_MAP_NONCOHERENT, a->cpu_addr, a->phys, a->dma, size,
		   dir, 0, 0, 0);
	if (dk_tracing())
		dk_trace_api(dev, DK_TR_ALLOC_NC, a->phys, ~0ULL, a->dma, size,
			     dir);
	return a;
}

void *dma_alloc_noncoherent(struct device *dev, size_t size,
			    dma_addr_t *dma_handle,
			    enum dma_data_direction dir, gfp_t gfp)
{
	struct dk_coh_alloc *a = alloc_nc(dev, size, dma_handle, dir, gfp,
					  "dma_alloc_noncoherent");

	return a ? a->cpu_addr : NULL;
}

void dma_free_noncoherent(struct device *dev, size_t size, void *vaddr,
			  dma_addr_t dma_handle, enum dma_data_direction dir)
{
	free_common(dev, size, vaddr, dma_handle, true, dir,
		    "dma_free_noncoherent");
}

struct page *dma_alloc_pages(struct device *dev, size_t size,
			     dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp)
{
	struct dk_coh_alloc *a = alloc_nc(dev, size, dma_handle, dir, gfp,
					  "dma_alloc_pages");

	return a ? dk_phys_to_page(dev->machine, a->phys) : NULL;
}

void dma_free_pages(struct device *dev, size_t size, struct page *page,
		    dma_addr_t dma_handle, enum dma_data_direction dir)
{
	if (!dk_dev_live(dev) || !page) {
		dk_warn("BUG: dma_free_pages: NULL argument");
		return;
	}
	dma_free_noncoherent(dev, size,
			     dk_phys_to_virt(dev->machine,
					     dk_page_to_phys(dev->machine, page)),
			     dma_handle, dir);
}

int dma_mmap_pages(struct device *dev, struct vm_area_struct *vma,
		   size_t size, struct page *page)
{
	phys_addr_t pa;

	if (!dk_dev_live(dev) || !vma || !page)
		return dk_err(-EINVAL, "dma_mmap_pages: NULL argument");
	pa = dk_page_to_phys(dev->machine, page);
	if (!dk_phys_to_page(dev->machine, pa))
		return dk_err(-EINVAL, "dma_mmap_pages: not a page");
	return map_user(dev, vma, pa, PAGE_ALIGN(size) / PAGE_SIZE,
			DK_ALIAS_CACHED);
}

struct sg_table *dma_alloc_noncontiguous(struct device *dev, size_t size,
					 enum dma_data_direction dir,
					 gfp_t gfp, unsigned long attrs)
{
	struct sg_table *sgt;
	dma_addr_t handle;
	struct page *pg;

	/* Linux WARNs and fails: no other attribute means anything here. */
	if (attrs & ~DMA_ATTR_ALLOC_SINGLE_PAGES) {
		dk_err(-EINVAL, "%s: dma_alloc_noncontiguous: attrs 0x%lx; only DMA_ATTR_ALLOC_SINGLE_PAGES is allowed",
		       dev_name(dev), attrs);
		dk_warn("WARNING: %s", dk_last_error());
		return NULL;
	}
	sgt = calloc(1, sizeof(*sgt));
	if (!sgt) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	/* Without an IOMMU the direct backend hands out one contiguous
	 * chunk, as Linux's alloc_single_sgt() does. */
	pg = dma_alloc_pages(dev, size, &handle, dir, gfp);
	if (!pg || sg_alloc_table(sgt, 1, gfp)) {
		if (pg)
			dma_free_pages(dev, size, pg, handle, dir);
		free(sgt);
		return NULL;
	}
	sg_set_page(sgt->sgl, pg, PAGE_ALIGN(size), 0);
	sg_dma_address(sgt->sgl) = handle;
	sg_dma_len(sgt->sgl) = size;
	sgt->nents = 1;
	if (dk_obj_add(sgt, DK_OBJ_SGTABLE, dev)) {
		dma_free_pages(dev, size, pg, handle, dir);
		sg_free_table(sgt);
		free(sgt);
		return NULL;
	}
	return sgt;
}

void dma_free_noncontiguous(struct device *dev, size_t size,
			    struct sg_table *sgt, enum dma_data_direction dir)
{
	if (!sgt)
		return;
	if (!dk_obj_del(sgt, DK_OBJ_SGTABLE)) {
		dk_err_log(-EINVAL, "BUG: dma_free_noncontiguous(%p): not a table from dma_alloc_noncontiguous()",
			   (void *)sgt);
		return;
	}
	dma_free_pages(dev, size, sg_page(sgt->sgl), sg_dma_address(sgt->sgl),
		       dir);
	sg_free_table(sgt);
	free(sgt);
}

void *dma_vmap_noncontiguous(struct device *dev, size_t size,
			     struct sg_table *sgt)
{
	(void)size;
	if (!dk_dev_ok(dev, "dma_vmap_noncontiguous") ||
	    !dk_obj_check(sgt, DK_OBJ_SGTABLE, "table", "dma_vmap_noncontiguous"))
		return NULL;
	return page_address(sg_page(sgt->sgl));
}

void dma_vunmap_noncontiguous(struct device *dev, void *vaddr)
{
	(void)dev;
	(void)vaddr;	/* the linear map needs no undoing */
}

int dma_mmap_noncontiguous(struct device *dev, struct vm_area_struct *vma,
			   size_t size, struct sg_table *sgt)
{
	if (!dk_obj_check(sgt, DK_OBJ_SGTABLE, "table", "dma_mmap_noncontiguous"))
		return -EINVAL;
	return dma_mmap_pages(dev, vma, size, sg_page(sgt->sgl));
}

void dk_coherent_fini(struct dk_machine *m)
{
	struct dk_coh_alloc *a, *n;
	int i;

	for (a = m->coh_allocs; a; a = n) {
		n = a->next;
		release(m, a);
	}
	m->coh_allocs = NULL;
	for (i = 0; i < m->ndevs; i++)
		dma_release_coherent_memory(dk_mdev(m, i));
}
