// SPDX-License-Identifier: MIT
/*
 * iommu-dma's window: a region of the platform's mapping cache that stays
 * mapped for as long as the domain is attached (the host's pinned arena,
 * mapped once, read and write, at its first map). Every later streaming
 * map of it is the same addition, so it is worked out once: the region's
 * IOVA, its CPU address and the platform's hit counter, kept in the
 * domain's cookie, where the front end's fast path (src/dma/mapping.c)
 * and iommu-dma's own map and unmap read them with no lock and no call.
 * The checker is untouched: with it on, the front end takes its full
 * path, which reaches the window through iommu-dma and reports as ever.
 */
#include <dmakit/iommu.h>

#include "iommu_dma.h"

/* The RAM bank whose linear map holds all of [@pa, @pa + @size). */
static const struct dk_memmap *bank_of(const struct dk_machine *m,
				       phys_addr_t pa, u64 size)
{
	int i;

	for (i = 0; i < m->nram; i++)
		if (pa >= m->ram[i].base && size <= m->ram[i].size &&
		    pa - m->ram[i].base <= m->ram[i].size - size)
			return &m->ram[i];
	return NULL;
}

/* @dev into its slot of dk_dma_windows, unless another device holds it
 * (release: the window's fields before the device that finds them). */
static void window_enter(struct device *dev)
{
	struct device *was = DK_DMA_WINDOW_FREE;

	atomic_store_explicit(&dk_dma_windows_used, true, memory_order_relaxed);
	atomic_compare_exchange_strong_explicit(dk_dma_window_slot(dev), &was,
						dev, memory_order_release,
						memory_order_relaxed);
}

void dk_iommu_window_admit(struct device *dev)
{
	struct dk_iommu_window *w = &dev->iommu_dma->win;
	u64 size = atomic_load_explicit(&w->size, memory_order_acquire);
	dma_addr_t iova = atomic_load_explicit(&w->iova, memory_order_relaxed);

	/* Asked at every ordinary hit: most find the device in. The front
	 * end's tests of the device, made once: a bounce slot (untrusted),
	 * the cache work (not coherent), the checker's report of DMA after
	 * unbind (dead) or an IOVA beyond the mask would each need the
	 * full path. */
	if (!size || atomic_load_explicit(dk_dma_window_slot(dev),
					  memory_order_relaxed) == dev)
		return;
	if (dev->dma_ops == &dk_iommu_dma_ops && dev->dma_coherent &&
	    !dev->untrusted && !dev->dead && dev->dma_mask &&
	    iova + size - 1 <= *dev->dma_mask)
		window_enter(dev);
}

void dk_iommu_window_offer(struct device *dev, phys_addr_t base, u64 size,
			   dma_addr_t iova)
{
	const struct dk_platform *pl = &dev->machine->pl;
	struct dk_iommu_window *w = &dev->iommu_dma->win;
	const struct dk_memmap *r;
	unsigned long *hits;

	/* One window a domain, replaced only once dropped: a reader never
	 * sees the fields of two. */
	if (!atomic_load_explicit(&w->size, memory_order_acquire)) {
		r = bank_of(dev->machine, base, size);
		if (!r || !size || !pl->ops->iommu_cache_pinned ||
		    pl->ops->iommu_cache_pinned(pl->ctx, dev->dma_master, base,
						iova, &hits))
			return;
		atomic_store_explicit(&w->virt, r->virt + (base - r->base),
				      memory_order_relaxed);
		atomic_store_explicit(&w->pa, base, memory_order_relaxed);
		atomic_store_explicit(&w->iova, iova, memory_order_relaxed);
		atomic_store_explicit(&w->hits, hits, memory_order_relaxed);
		atomic_store_explicit(&w->size, size, memory_order_release);
	}
	dk_iommu_window_admit(dev);
}

void dk_iommu_window_drop(struct device *dev)
{
	if (!dev->iommu_dma)
		return;
	atomic_store_explicit(&dev->iommu_dma->win.size, 0,
			      memory_order_release);
	dk_dma_window_leave(dev);
}

dma_addr_t dk_iommu_window_map(struct dk_iommu_dma *c, phys_addr_t pa,
			       size_t size, u64 limit)
{
	struct dk_iommu_window *w = &c->win;
	u64 wsize = atomic_load_explicit(&w->size, memory_order_acquire);
	u64 off = pa - atomic_load_explicit(&w->pa, memory_order_relaxed);
	dma_addr_t iova;

	if (off >= wsize || !size || size > wsize - off)
		return DMA_MAPPING_ERROR;
	iova = atomic_load_explicit(&w->iova, memory_order_relaxed) + off;
	if (iova + size - 1 > limit)
		return DMA_MAPPING_ERROR;
	dk_iommu_window_hit(w);
	return iova;
}

bool dk_iommu_window_has(struct dk_iommu_dma *c, dma_addr_t iova)
{
	struct dk_iommu_window *w = &c->win;
	u64 wsize = atomic_load_explicit(&w->size, memory_order_acquire);

	return iova - atomic_load_explicit(&w->iova, memory_order_relaxed) <
	       wsize;
}
