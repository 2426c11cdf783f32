// SPDX-License-Identifier: MIT
/*
 * iommu-dma's allocations: the pages come from anywhere in RAM, in the
 * largest blocks the page allocator has (down to single pages), and are
 * mapped back to back at one IOVA range aligned to the allocation's size
 * order, so a device sees one contiguous buffer whatever the physical
 * layout; the CPU sees them through one virtual mapping (vmap) when they
 * are scattered or the device is not coherent. Page allocations
 * (dma_alloc_pages) are one block, since the caller gets a struct page.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/iommu.h>

#include "../mm/mm.h"
#include "iommu_dma.h"

struct chunk {
	phys_addr_t pa;
	size_t npages;
};

struct dk_iommu_alloc {
	struct dk_hnode node;	/* in c->allocs, by cpu_addr */
	void *cpu_addr;		/* what the caller got back */
	void *alias;		/* vmap to undo, or NULL */
	dma_addr_t iova;
	size_t npages;
	bool pages_op;		/* dma_alloc_pages: a block */
	bool buffered;		/* behind the store buffer (coherent.c) */
	int nchunks;
	struct chunk *chunks;
	phys_addr_t *pages;	/* each page's address, in IOVA order */
};

static void put_chunks(struct dk_machine *m, struct dk_iommu_alloc *a)
{
	int i;

	for (i = 0; i < a->nchunks; i++)
		m->pl.ops->free_pages(m->pl.ctx, a->chunks[i].pa,
				      a->chunks[i].npages);
}

static void alloc_free(struct dk_iommu_alloc *a)
{
	if (a) {
		free(a->chunks);
		free(a->pages);
	}
	free(a);
}

/*
 * Pages for @a: blocks of the largest power of two that fits what is
 * left, halved when the allocator has none; @single starts at one page
 * (DMA_ATTR_ALLOC_SINGLE_PAGES), @block takes one block or nothing.
 */
static int get_chunks(struct device *dev, struct dk_iommu_alloc *a,
		      bool single, bool block)
{
	struct dk_machine *m = dev->machine;
	size_t left = a->npages, n, i;
	phys_addr_t pa;

	while (left) {
		n = block ? left : single ? 1 : 1UL << (63 - __builtin_clzll(left));
		if (n > 1UL << MAX_ORDER && !block)
			n = 1UL << MAX_ORDER;
		while (m->pl.ops->alloc_pages(m->pl.ctx, n, block ? 1 : n, 0,
					      ~0ULL, &pa)) {
			if (block || n == 1) {
				put_chunks(m, a);
				return dk_err(-ENOMEM, "%s: no %zu free pages for a DMA allocation",
					      dev_name(dev), n);
			}
			n /= 2;
		}
		a->chunks[a->nchunks++] = (struct chunk){ pa, n };
		for (i = 0; i < n; i++)
			a->pages[a->npages - left + i] = pa + i * PAGE_SIZE;
		left -= n;
	}
	return 0;
}

/* Map the chunks back to back at a new IOVA range below @mask. */
static int map_chunks(struct device *dev, struct dk_iommu_alloc *a, u64 mask,
		      int prot)
{
	u64 len = (u64)a->npages * PAGE_SIZE, at = 0;
	int i, r = 0;

	a->iova = dk_iommu_dma_alloc_iova(dev, len,
					  dk_iommu_dma_limit(dev, mask));
	if (a->iova == DMA_MAPPING_ERROR)
		return -ENOMEM;
	for (i = 0; i < a->nchunks && !r; i++) {
		r = dk_iommu_dma_map_room(dev, a->iova + at, a->chunks[i].pa,
					  a->chunks[i].npages * PAGE_SIZE, prot);
		if (!r)
			at += a->chunks[i].npages * PAGE_SIZE;
	}
	if (r) {
		if (at)
			iommu_unmap(dev->iommu_dma->domain, a->iova, at);
		dk_iommu_dma_free_iova(dev, a->iova, len);
	}
	return r;
}

/* Pages, zeroed for the device too, and their IOVA range; NULL + message. */
static struct dk_iommu_alloc *alloc(struct device *dev, size_t size,
				    unsigned long attrs, bool block, int prot)
{
	struct dk_machine *m = dev->machine;
	struct dk_iommu_alloc *a = calloc(1, sizeof(*a));
	int i;

	if (a) {
		a->npages = PAGE_ALIGN(size) / PAGE_SIZE;
		a->chunks = calloc(a->npages, sizeof(*a->chunks));
		a->pages = calloc(a->npages, sizeof(*a->pages));
	}
	if (!a || !a->chunks || !a->pages) {
		alloc_free(a);
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	if (get_chunks(dev, a, attrs & DMA_ATTR_ALLOC_SINGLE_PAGES, block)) {
		alloc_free(a);
		return NULL;
	}
	if (map_chunks(dev, a, dev->coherent_dma_mask, prot)) {
		put_chunks(m, a);
		alloc_free(a);
		return NULL;
	}
	/* Zero where the device sees it too, leaving no line dirty that
	 * could later land on top of device data (see coherent.c). */
	for (i = 0; i < a->nchunks; i++)
		m->pl.ops->mem_store(m->pl.ctx, a->chunks[i].pa, NULL,
				     a->chunks[i].npages * PAGE_SIZE);
	return a;
}

static void release(struct device *dev, struct dk_iommu_alloc *a);

/* Keep @a to be found by its CPU address; else undo it, NULL. */
static void *record(struct device *dev, struct dk_iommu_alloc *a)
{
	struct dk_iommu_dma *c = dev->iommu_dma;
	int r;

	pthread_mutex_lock(&c->lock);
	r = dk_ptrhash_add(&c->allocs, &a->node, a->cpu_addr);
	pthread_mutex_unlock(&c->lock);
	if (r) {
		release(dev, a);
		return NULL;
	}
	return a->cpu_addr;
}

/* The record of @cpu_addr (removed with @take), or NULL. */
static struct dk_iommu_alloc *lookup(struct device *dev, const void *cpu_addr,
				     bool pages_op, bool take)
{
	struct dk_iommu_dma *c = dev->iommu_dma;
	struct dk_iommu_alloc *a = NULL;
	struct dk_hnode *x;

	pthread_mutex_lock(&c->lock);
	for (x = dk_ptrhash_find(&c->allocs, cpu_addr); x;
	     x = dk_ptrhash_next(x))
		if (((struct dk_iommu_alloc *)x)->pages_op == pages_op) {
			a = (struct dk_iommu_alloc *)x;
			if (take)
				dk_ptrhash_del(&c->allocs, x);
			break;
		}
	pthread_mutex_unlock(&c->lock);
	return a;
}

/* A coherent device snoops the pages: the CPU's stores to them wait in
 * the store buffer until a barrier, as in coherent.c. Taking out a
 * chunk never put there does nothing. */
static int store_buffer(struct dk_machine *m, struct dk_iommu_alloc *a,
			bool on)
{
	int i, r = 0;

	for (i = 0; i < a->nchunks && !r; i++)
		r = m->pl.ops->store_buffer(m->pl.ctx, a->chunks[i].pa,
					    a->chunks[i].npages * PAGE_SIZE,
					    on);
	return r;
}

static void release(struct device *dev, struct dk_iommu_alloc *a)
{
	struct dk_machine *m = dev->machine;
	int i;

	if (a->buffered)
		store_buffer(m, a, false);
	dk_iommu_dma_unmap_free(dev, a->iova, (u64)a->npages * PAGE_SIZE);
	if (a->alias)
		m->pl.ops->unmap_alias(m->pl.ctx, a->alias);
	/* As in coherent.c: DRAM changed behind the cacheable view. */
	if (!dev->dma_coherent)
		for (i = 0; i < a->nchunks; i++)
			m->pl.ops->cache_clean_inval(m->pl.ctx, a->chunks[i].pa,
						     a->chunks[i].npages *
							     PAGE_SIZE);
	put_chunks(m, a);
	alloc_free(a);
}

void *dk_iommu_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp, unsigned long attrs)
{
	struct dk_machine *m = dev->machine;
	bool cookie = attrs & DMA_ATTR_NO_KERNEL_MAPPING;
	struct dk_iommu_alloc *a;

	(void)gfp;
	/* A page cookie stands for a block: it must be one. */
	a = alloc(dev, size, attrs, cookie,
		  dk_iommu_dma_prot(dev, DMA_BIDIRECTIONAL));
	if (!a)
		return NULL;
	if (cookie && !dev->dma_coherent) {
		a->cpu_addr = dk_phys_to_page(m, a->pages[0]);
	} else if (dev->dma_coherent && a->nchunks == 1) {
		a->cpu_addr = dk_phys_to_virt(m, a->pages[0]);
	} else {
		a->alias = m->pl.ops->vmap(m->pl.ctx, a->pages, a->npages,
					   dev->dma_coherent ? DK_ALIAS_CACHED :
					   attrs & DMA_ATTR_WRITE_COMBINE ?
						   DK_ALIAS_WRITE_COMBINE :
						   DK_ALIAS_UNCACHED);
		if (!a->alias) {
			release(dev, a);
			return NULL;
		}
		a->cpu_addr = a->alias;
	}
	a->buffered = dev->dma_coherent && m->pl.ops->store_buffer;
	if (a->buffered && store_buffer(m, a, true)) {
		release(dev, a);
		return NULL;
	}
	*handle = a->iova;
	return record(dev, a);
}

static void free_one(struct device *dev, size_t size, const void *cpu_addr,
		     dma_addr_t handle, bool pages_op, const char *fn)
{
	struct dk_iommu_alloc *a = lookup(dev, cpu_addr, pages_op, true);

	if (!a) {
		dev_err(dev, "%s(%p): memory it has not allocated", fn, cpu_addr);
		return;
	}
	if (PAGE_ALIGN(size) / PAGE_SIZE != a->npages || handle != a->iova)
		dev_err(dev, "%s(%p): size %zu / handle 0x%llx differ from the allocation (%zu pages at 0x%llx)",
			fn, cpu_addr, size, (unsigned long long)handle,
			a->npages, (unsigned long long)a->iova);
	release(dev, a);
}

void dk_iommu_dma_free(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t handle, unsigned long attrs)
{
	(void)attrs;
	free_one(dev, size, cpu_addr, handle, false, "dma_free_attrs");
}

struct page *dk_iommu_dma_alloc_pages(struct device *dev, size_t size,
				      dma_addr_t *handle,
				      enum dma_data_direction dir, gfp_t gfp)
{
	struct dk_iommu_alloc *a;

	(void)gfp;
	a = alloc(dev, size, 0, true, dk_iommu_dma_prot(dev, dir));
	if (!a)
		return NULL;
	a->pages_op = true;
	a->cpu_addr = dk_phys_to_virt(dev->machine, a->pages[0]);
	*handle = a->iova;
	if (!record(dev, a))
		return NULL;
	return dk_phys_to_page(dev->machine, a->pages[0]);
}

void dk_iommu_dma_free_pages(struct device *dev, size_t size,
			     struct page *page, dma_addr_t handle,
			     enum dma_data_direction dir)
{
	(void)dir;
	free_one(dev, size, page_address(page), handle, true,
		 "dma_free_noncoherent");
}

/* The allocation @cpu_addr of at least @size bytes at @dma, or NULL. */
static struct dk_iommu_alloc *sized(struct device *dev, const void *cpu_addr,
				    dma_addr_t dma, size_t size)
{
	struct dk_iommu_alloc *a = lookup(dev, cpu_addr, false, false);

	/* Not PAGE_ALIGN(size): a size near SIZE_MAX would wrap to 0. */
	return a && a->iova == dma && size <= a->npages * PAGE_SIZE ? a : NULL;
}

int dk_iommu_dma_mmap(struct device *dev, struct vm_area_struct *vma,
		      void *cpu_addr, dma_addr_t dma_addr, size_t size,
		      unsigned long attrs)
{
	struct dk_iommu_alloc *a = sized(dev, cpu_addr, dma_addr, size);
	struct dk_machine *m = dev->machine;
	unsigned long len = vma->vm_end - vma->vm_start;
	size_t npages = PAGE_ALIGN(size) / PAGE_SIZE;
	void *va;
	int r;

	if (!a)
		return dk_err(-EINVAL, "%s: dma_mmap_attrs(%p): not a coherent allocation of that size",
			      dev_name(dev), cpu_addr);
	r = dk_user_window_check(dev, vma, npages);
	if (r)
		return r;
	va = m->pl.ops->vmap(m->pl.ctx, a->pages + vma->vm_pgoff,
			     len / PAGE_SIZE,
			     dev->dma_coherent ? DK_ALIAS_CACHED :
			     attrs & DMA_ATTR_WRITE_COMBINE ?
				     DK_ALIAS_WRITE_COMBINE :
				     DK_ALIAS_UNCACHED);
	if (!va)
		return -ENOMEM;
	vma->vm_start = (unsigned long)va;
	vma->vm_end = vma->vm_start + len;
	return 0;
}

/* One entry per block, in IOVA order. */
int dk_iommu_dma_get_sgtable(struct device *dev, struct sg_table *sgt,
			     void *cpu_addr, dma_addr_t dma_addr, size_t size,
			     unsigned long attrs)
{
	struct dk_iommu_alloc *a = sized(dev, cpu_addr, dma_addr, size);
	size_t left = PAGE_ALIGN(size), n;
	struct scatterlist *sg;
	int i, r;

	(void)attrs;
	if (!a)
		return dk_err(-ENXIO, "%s: dma_get_sgtable(%p): not a DMA allocation of that size",
			      dev_name(dev), cpu_addr);
	for (i = 0, n = 0; n < left; i++)
		n += a->chunks[i].npages * PAGE_SIZE;
	r = sg_alloc_table(sgt, i, GFP_KERNEL);
	if (r)
		return r;
	for_each_sg(sgt->sgl, sg, (int)sgt->orig_nents, i) {
		n = a->chunks[i].npages * PAGE_SIZE;
		sg_set_page(sg, dk_phys_to_page(dev->machine, a->chunks[i].pa),
			    n < left ? n : left, 0);
		left -= n < left ? n : left;
	}
	return 0;
}

void dk_iommu_dma_allocs_fini(struct device *dev)
{
	struct dk_iommu_dma *c = dev->iommu_dma;
	struct dk_hnode *x = dk_ptrhash_take_all(&c->allocs), *n;

	for (; x; x = n) {
		n = x->next;
		release(dev, (struct dk_iommu_alloc *)x);
	}
}
