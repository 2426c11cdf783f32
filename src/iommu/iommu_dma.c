// SPDX-License-Identifier: MIT
/*
 * iommu-dma: the DMA API for devices translated by an IOMMU. At boot
 * (unless dk_machine_opts.iommu_passthrough) every device behind an IOMMU
 * gets a default domain and an IOVA space over the domain's aperture (the
 * first MiB kept out); a mapping takes IOVA pages top-down below the
 * device's mask, from
 * the IOVA allocator (src/iommu/iova.c), and maps them to the buffer's
 * pages with the permissions of the direction. Every range is aligned to
 * its size rounded up to a power of two, as Linux's iommu-dma asks its
 * allocator, which gives coherent buffers the alignment dma-api-howto.rst
 * promises and lets a scatterlist be laid out before its IOVA is known.
 * The IOMMU reaches all RAM, so nothing bounces for reach; see
 * dk_iommu_dma_must_bounce() for what does. Cache maintenance is the
 * direct path's.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/iommu.h>

#include "../mm/mm.h"
#include "iova.h"
#include "iommu_dma.h"
#include "iommu_internal.h"

static void cookie_free(struct dk_iommu_dma *c)
{
	if (!c)
		return;
	dk_iommu_fq_fini(c);
	dk_iova_space_free(c->iovad);
	pthread_mutex_destroy(&c->fq.lock);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The default domain of a device of @dev's IOMMU group, or NULL. */
static struct dk_iommu_dma *group_cookie(struct device *dev)
{
	struct iommu_group *g = iommu_group_get(dev);
	struct dk_machine *m = dev->machine;
	int i;

	iommu_group_put(g);
	for (i = 0; g && i < m->ndevs; i++)
		if (dk_mdev(m, i)->iommu_dma && dk_mdev(m, i)->iommu_group == g)
			return dk_mdev(m, i)->iommu_dma;
	return NULL;
}

/*
 * Take the IOVAs between the IOMMU's valid ranges (VFIO's reserved
 * regions: the MSI window of x86) out of @s for good. The space is empty,
 * so the highest free run ending at a hole's end is the hole itself.
 */
static int reserve_holes(struct device *dev, struct dk_iova_space *s)
{
	const struct dk_platform_ops *o = dev->machine->pl.ops;
	u64 start, end, prev_end = 0, pfn;
	int i;

	if (!o->iommu_range)
		return 0;
	for (i = 0; !o->iommu_range(dev->machine->pl.ctx, dev->dma_master, i,
				    &start, &end); i++) {
		u64 lo = (prev_end + 1) >> PAGE_SHIFT, hi = start >> PAGE_SHIFT;

		if (lo < IOVA_FIRST_PFN)
			lo = IOVA_FIRST_PFN;
		if (i && hi > lo &&
		    !dk_iova_alloc(s, hi - lo, hi - 1, false, &pfn))
			return dk_err(-ENOMEM,
				      "%s: cannot keep IOVAs 0x%llx..0x%llx out",
				      dev_name(dev),
				      (unsigned long long)(prev_end + 1),
				      (unsigned long long)start - 1);
		prev_end = end;
	}
	return 0;
}

/* A default domain for @dev's group, its IOVA space over the aperture:
 * devices the IOMMU cannot tell apart share one. */
static int attach_default(struct device *dev)
{
	struct dk_iommu_dma *c = group_cookie(dev);
	struct iommu_domain *d;
	u64 first;

	if (c) {
		c->users++;
		dev->iommu_dma = c;
		dev->dma_ops = &dk_iommu_dma_ops;
		dk_dma_plain_update(dev);
		return 0;
	}
	c = calloc(1, sizeof(*c));
	d = c ? iommu_paging_domain_alloc(dev) : NULL;

	if (c) {
		pthread_mutex_init(&c->lock, NULL);
		dk_iommu_fq_init(c, dev->machine);
		/* As Linux: an untrusted device never gets a flush
		 * queue's window on memory it was given back. */
		atomic_init(&c->lazy, dev->machine->opts.iommu_lazy &&
					      !dev->untrusted);
	}
	if (d) {
		first = d->geometry.aperture_start >> PAGE_SHIFT;
		c->iovad = dk_iova_space_new(first > IOVA_FIRST_PFN ?
						     first : IOVA_FIRST_PFN,
					     d->geometry.aperture_end >>
						     PAGE_SHIFT);
	}
	if (!d || !c->iovad || reserve_holes(dev, c->iovad) ||
	    dk_iommu_attach_default(d, dev)) {
		cookie_free(c);
		iommu_domain_free(d);
		return dk_err(-ENOMEM, "%s: no default IOMMU domain: %s",
			      dev_name(dev), dk_last_error());
	}
	c->domain = d;
	c->users = 1;
	dev->iommu_dma = c;
	dev->dma_ops = &dk_iommu_dma_ops;
	dk_dma_plain_update(dev);
	return 0;
}

int dk_iommu_dma_init(struct dk_machine *m)
{
	int i, r;

	if (m->opts.iommu_passthrough)
		return 0;
	for (i = 0; i < m->ndevs; i++) {
		if (!dk_mdev(m, i)->iommu)
			continue;
		r = attach_default(dk_mdev(m, i));
		if (r)
			return r;
	}
	return 0;
}

void dk_iommu_dma_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = dk_mdev(m, i);
		struct dk_iommu_dma *c = dev->iommu_dma;

		if (!c)
			continue;
		/* Before its window goes: the fast path finds it no more. */
		dk_dma_window_leave(dev);
		if (--c->users) {	/* the group's last device frees it */
			dev->iommu_dma = NULL;
			dev->dma_ops = NULL;
			dk_dma_plain_update(dev);
			continue;
		}
		dk_iommu_dma_allocs_fini(dev);
		dk_iommu_dma_flush_queue(dev);
		dk_iommu_detach_default(c->domain, dev);
		iommu_domain_free(c->domain);
		cookie_free(c);
		dev->iommu_dma = NULL;
		dev->dma_ops = NULL;
		dk_dma_plain_update(dev);
	}
}

static inline u64 limit_of(struct device *dev, u64 mask)
{
	u64 end = dev->iommu_dma->domain->geometry.aperture_end;

	return mask < end ? mask : end;
}

u64 dk_iommu_dma_limit(struct device *dev, u64 mask)
{
	return limit_of(dev, mask);
}

/* alloc_iova() when the magazines and the tree had nothing below the
 * limit: what the flush queue holds is free space once flushed. */
static __attribute__((noinline)) dma_addr_t
alloc_iova_flushed(struct device *dev, u64 len, u64 limit)
{
	u64 last = (limit - (PAGE_SIZE - 1)) / PAGE_SIZE, pfn;

	if (limit >= PAGE_SIZE - 1 && dk_iommu_fq_poll(dev, true) &&
	    dk_iova_alloc_fast(dev->iommu_dma->iovad, len / PAGE_SIZE, last,
			       &pfn))
		return pfn * PAGE_SIZE;
	dk_err(-ENOMEM, "%s: no %llu free IOVA pages below 0x%llx",
	       dev_name(dev), (unsigned long long)(len / PAGE_SIZE),
	       (unsigned long long)limit);
	return DMA_MAPPING_ERROR;
}

static inline dma_addr_t alloc_iova(struct device *dev, u64 len, u64 limit)
{
	struct dk_iommu_dma *c = dev->iommu_dma;
	/* The last page wholly at or below the limit. */
	u64 last = (limit - (PAGE_SIZE - 1)) / PAGE_SIZE, pfn;

	/* Lazy, with the timer armed, the poll has nothing to do. */
	if (atomic_load_explicit(&c->lazy, memory_order_relaxed) &&
	    !atomic_load_explicit(&c->fq.armed, memory_order_relaxed))
		dk_iommu_fq_poll(dev, false);
	if (limit >= PAGE_SIZE - 1 &&
	    dk_iova_alloc_fast(c->iovad, len / PAGE_SIZE, last, &pfn))
		return pfn * PAGE_SIZE;
	return alloc_iova_flushed(dev, len, limit);
}

dma_addr_t dk_iommu_dma_alloc_iova(struct device *dev, u64 len, u64 limit)
{
	return alloc_iova(dev, len, limit);
}

void dk_iommu_dma_free_iova(struct device *dev, dma_addr_t iova, u64 len)
{
	dk_iova_free_fast(dev->iommu_dma->iovad, iova / PAGE_SIZE,
			  len / PAGE_SIZE);
}

/* As Linux: a dma-coherent master's mappings are cacheable (IOMMU_CACHE),
 * so its accesses snoop; a non-coherent one's are not, so the CPU's cache
 * maintenance is what makes them see the data. */
static inline int prot_of(struct device *dev, enum dma_data_direction dir)
{
	int prot = dev->dma_coherent ? IOMMU_CACHE : 0;

	return prot | (dir == DMA_TO_DEVICE ? IOMMU_READ :
		       dir == DMA_FROM_DEVICE ? IOMMU_WRITE :
						IOMMU_READ | IOMMU_WRITE);
}

int dk_iommu_dma_prot(struct device *dev, enum dma_data_direction dir)
{
	return prot_of(dev, dir);
}

static struct iommu_domain *domain_of(struct device *dev)
{
	return dev->iommu_dma->domain;
}

/*
 * Room for one more mapping when the IOMMU hardware has none (VFIO
 * type1's entry limit): a region of the platform's mapping cache that no
 * map uses is unmapped and its IOVAs go back. False if there is none.
 */
static bool evict_one(struct device *dev)
{
	const struct dk_platform *pl = &dev->machine->pl;
	phys_addr_t base;
	u64 size, iova;

	if (!pl->ops->iommu_cache_evict ||
	    pl->ops->iommu_cache_evict(pl->ctx, dev->dma_master, &base, &size,
				       &iova))
		return false;
	dk_iommu_dma_unmap_free(dev, iova, PAGE_ALIGN(size));
	return true;
}

/* map_room() for a map the hardware had no room for (-ENOSPC). */
static __attribute__((noinline)) int
map_evicting(struct device *dev, dma_addr_t iova, phys_addr_t pa, u64 len,
	     int prot)
{
	int r = -ENOSPC;

	while (r == -ENOSPC && evict_one(dev))
		r = dk_domain_map(domain_of(dev), iova, pa, len, prot);
	return r;
}

static inline int map_room(struct device *dev, dma_addr_t iova,
			   phys_addr_t pa, u64 len, int prot)
{
	int r = dk_domain_map(domain_of(dev), iova, pa, len, prot);

	return r == -ENOSPC ? map_evicting(dev, iova, pa, len, prot) : r;
}

int dk_iommu_dma_map_room(struct device *dev, dma_addr_t iova, phys_addr_t pa,
			  u64 len, int prot)
{
	return map_room(dev, iova, pa, len, prot);
}

/* Whether a map or unmap may be one of the platform's mapping cache
 * (cached(), in_cache()): with a window, or the platform's cache. */
static inline bool may_cache(struct device *dev)
{
	return atomic_load_explicit(&dev->iommu_dma->win.size,
				    memory_order_relaxed) ||
	       dev->machine->pl.ops->iommu_cache_find;
}

static int cache_use(struct device *dev, phys_addr_t base, u64 iova, bool get)
{
	const struct dk_platform *pl = &dev->machine->pl;

	if (!pl->ops->iommu_cache_use)
		return 0;
	return pl->ops->iommu_cache_use(pl->ctx, dev->dma_master, base, iova,
					get);
}

/*
 * The platform's mapping cache: the IOVA of [@pa, @pa + @size) inside a
 * region the platform keeps mapped, mapping the region first (read and
 * write, below @limit) if it is not yet; DMA_MAPPING_ERROR when @pa is in
 * no region, or the region's IOVAs do not fit @limit, or it went stale
 * (it is evicted then): the map then goes the ordinary way.
 */
static dma_addr_t cached(struct device *dev, phys_addr_t pa, size_t size,
			 u64 limit)
{
	const struct dk_platform *pl = &dev->machine->pl;
	phys_addr_t base;
	u64 rsize, iova;
	int r;

	iova = dk_iommu_window_map(dev->iommu_dma, pa, size, limit);
	if (iova != DMA_MAPPING_ERROR) {
		/* Out since its mask or configuration changed: back in. */
		dk_iommu_window_admit(dev);
		return iova;
	}
	if (!pl->ops->iommu_cache_find ||
	    pl->ops->iommu_cache_find(pl->ctx, dev->dma_master, pa, &base,
				      &rsize, &iova) ||
	    pa - base > rsize || size > rsize - (pa - base))
		return DMA_MAPPING_ERROR;
	if (iova == DMA_MAPPING_ERROR) {
		u64 len = PAGE_ALIGN(rsize);

		iova = dk_iommu_dma_alloc_iova(dev, len, limit);
		if (iova == DMA_MAPPING_ERROR)
			return DMA_MAPPING_ERROR;
		if (dk_iommu_dma_map_room(dev, iova, base, len,
					  dk_iommu_dma_prot(dev, DMA_BIDIRECTIONAL)))
			goto undo;
		if (pl->ops->iommu_cache_set(pl->ctx, dev->dma_master, base,
					     iova)) {
			iommu_unmap(domain_of(dev), iova, len);
			goto undo;
		}
	}
	if (iova + (pa - base) + size - 1 > limit)
		return DMA_MAPPING_ERROR;
	r = cache_use(dev, base, iova, true);
	if (r == -ESTALE)
		evict_one(dev);
	else if (!r)
		dk_iommu_window_offer(dev, base, rsize, iova);
	return r ? DMA_MAPPING_ERROR : iova + (pa - base);
undo:
	dk_iommu_dma_free_iova(dev, iova, PAGE_ALIGN(rsize));
	return DMA_MAPPING_ERROR;
}

/* Whether @iova is in a region of the mapping cache (unmapping it is
 * then only the end of a use of the region). */
static bool in_cache(struct device *dev, dma_addr_t iova)
{
	const struct dk_platform *pl = &dev->machine->pl;
	phys_addr_t pa, base;
	u64 rsize, riova;

	if (dk_iommu_window_has(dev->iommu_dma, iova))
		return true;
	if (!pl->ops->iommu_cache_find)
		return false;
	pa = iommu_iova_to_phys(domain_of(dev), iova);
	if (!pa || pl->ops->iommu_cache_find(pl->ctx, dev->dma_master, pa,
					     &base, &rsize, &riova) ||
	    riova == DMA_MAPPING_ERROR || iova < riova || iova - riova >= rsize)
		return false;
	cache_use(dev, base, riova, false);
	return true;
}

static __attribute__((noinline)) dma_addr_t wraps(struct device *dev,
						  size_t size, int *err)
{
	*err = dk_err(-EINVAL, "%s: %zu bytes wrap the IOVA space",
		      dev_name(dev), size);
	return DMA_MAPPING_ERROR;
}

/* Map RAM at @pa for @size bytes with the permissions of @dir. */
static inline __attribute__((always_inline)) dma_addr_t
map_range_inline(struct device *dev, phys_addr_t pa, size_t size,
		 enum dma_data_direction dir, u64 mask, int *err)
{
	u64 off = pa % PAGE_SIZE, len = PAGE_ALIGN(off + size);
	u64 limit = limit_of(dev, mask);
	dma_addr_t iova;
	int r;

	if (len < size)
		return wraps(dev, size, err);
	if (may_cache(dev)) {
		iova = cached(dev, pa, size, limit);
		if (iova != DMA_MAPPING_ERROR)
			return iova;
	}
	iova = alloc_iova(dev, len, limit);
	if (iova == DMA_MAPPING_ERROR) {
		*err = -ENOMEM;
		return DMA_MAPPING_ERROR;
	}
	r = map_room(dev, iova, pa - off, len, prot_of(dev, dir));
	if (r) {
		dk_iommu_dma_free_iova(dev, iova, len);
		*err = r;
		return DMA_MAPPING_ERROR;
	}
	return iova + off;
}

static dma_addr_t map_range(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, u64 mask, int *err)
{
	return map_range_inline(dev, pa, size, dir, mask, err);
}

static phys_addr_t iova_phys(struct device *dev, dma_addr_t iova)
{
	return iommu_iova_to_phys(domain_of(dev), iova);
}

static __attribute__((noinline)) bool not_mapped(struct device *dev,
						 dma_addr_t iova, u64 len)
{
	dev_err(dev, "unmap of IOVA 0x%llx + 0x%llx: not mapped",
		(unsigned long long)iova, (unsigned long long)len);
	return false;
}

/* Strict: unmapped with the IOTLB invalidated, the IOVA free at once;
 * lazy: unmapped, the IOVA queued (dk_iommu_dma_unmap(), _retire()). */
static inline bool unmap_free(struct device *dev, dma_addr_t iova, u64 len)
{
	struct dk_iommu_dma *c = dev->iommu_dma;
	bool lazy = atomic_load_explicit(&c->lazy, memory_order_relaxed);

	if (dk_domain_unmap(c->domain, iova, len, !lazy) != len)
		return not_mapped(dev, iova, len);
	if (lazy)
		dk_iommu_dma_retire(dev, iova, len, true);
	else
		dk_iova_free_fast(c->iovad, iova / PAGE_SIZE, len / PAGE_SIZE);
	return true;
}

bool dk_iommu_dma_unmap_free(struct device *dev, dma_addr_t iova, u64 len)
{
	return unmap_free(dev, iova, len);
}

/* The whole pages of a mapping of @size bytes at @iova. */
static inline void unmap_bytes(struct device *dev, dma_addr_t iova,
			       size_t size)
{
	u64 off = iova % PAGE_SIZE, len = PAGE_ALIGN(off + size);

	if (len < size || iova - off + len < iova - off) {
		not_mapped(dev, iova, size);
		return;
	}
	if (may_cache(dev) && in_cache(dev, iova))
		return;
	unmap_free(dev, iova - off, len);
}

/* ---- the backend: dma_map_ops for devices translated by their domain */

/*
 * The IOMMU reaches all RAM, so nothing bounces for reach. What does, as
 * Linux's dev_use_swiotlb() decides: a buffer that leaves part of its
 * pages to other memory, when the device is untrusted (it would see the
 * neighbours) or when it is a small kmalloc buffer a non-coherent device
 * would share cache lines of.
 */
static inline bool must_bounce(struct device *dev, phys_addr_t pa,
				size_t size, enum dma_data_direction dir)
{
	return dev->machine->swiotlb && (pa | size) % PAGE_SIZE &&
	       (dev->untrusted || dk_kmalloc_needs_bounce(dev, pa, size, dir));
}

bool dk_iommu_dma_must_bounce(struct device *dev, phys_addr_t pa, size_t size,
			      enum dma_data_direction dir)
{
	return must_bounce(dev, pa, size, dir);
}

/* swiotlb does the cache work of a bounce slot itself. */
static __attribute__((noinline)) dma_addr_t
map_bounced(struct device *dev, phys_addr_t pa, size_t size,
	    enum dma_data_direction dir, unsigned long attrs, int *err)
{
	phys_addr_t tlb = dk_swiotlb_map_pages(dev, pa, size, dir, attrs);
	dma_addr_t dma;

	if (tlb == ~(phys_addr_t)0) {
		*err = -EINVAL;
		return DMA_MAPPING_ERROR;
	}
	dma = map_range(dev, tlb, size, dir, *dev->dma_mask, err);
	if (dma == DMA_MAPPING_ERROR) {
		dk_swiotlb_unmap(dev, tlb, size, dir,
				 attrs | DMA_ATTR_SKIP_CPU_SYNC);
		if (*err != -ENOMEM)
			*err = -EINVAL;
	}
	return dma;
}

dma_addr_t dk_iommu_dma_map_phys(struct device *dev, phys_addr_t pa, size_t size,
				 enum dma_data_direction dir, unsigned long attrs,
				 int *err)
{
	dma_addr_t dma;

	if (must_bounce(dev, pa, size, dir))
		return map_bounced(dev, pa, size, dir, attrs, err);
	dma = map_range_inline(dev, pa, size, dir, *dev->dma_mask, err);
	if (dma == DMA_MAPPING_ERROR) {
		if (*err != -ENOMEM)
			*err = -EINVAL;
		return dma;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_device(dev, pa, size, dir);
	return dma;
}

static dma_addr_t iommu_map_page(struct device *dev, struct page *page,
				 unsigned long offset, size_t size,
				 enum dma_data_direction dir,
				 unsigned long attrs)
{
	int err;

	return dk_iommu_dma_map_phys(dev, dk_page_to_phys(dev->machine, page) + offset,
			size, dir, attrs, &err);
}

/*
 * Whether an unmap needs the physical address behind the IOVA (a table
 * walk): for a bounce slot, which only an untrusted device or a small
 * kmalloc buffer of a non-coherent one may have been given (whatever the
 * direction the driver says now), or for the CPU's cache work, which a
 * coherent device, DMA_TO_DEVICE and DMA_ATTR_SKIP_CPU_SYNC do without.
 */
static bool unmap_needs_phys(struct device *dev, enum dma_data_direction dir,
			     unsigned long attrs)
{
	struct dk_machine *m = dev->machine;

	if (m->swiotlb && (dev->untrusted ||
			   (m->kmalloc_align < m->minalign && !dev->dma_coherent)))
		return true;
	return !dev->dma_coherent && dir != DMA_TO_DEVICE &&
	       !(attrs & DMA_ATTR_SKIP_CPU_SYNC);
}

/* dk_iommu_dma_unmap_page() of a mapping whose physical address it
 * needs; out of line, so the other case is a jump. */
static __attribute__((noinline)) void
unmap_page_phys(struct device *dev, dma_addr_t addr, size_t size,
		enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t pa = iova_phys(dev, addr);

	if (!pa && addr % PAGE_SIZE == 0) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)addr, size);
		return;
	}
	/* A bounce slot goes back after its IOVA: nothing may reach the
	 * pool through it once the next user has the slot. */
	if (dk_is_swiotlb_buffer(dev->machine, pa)) {
		unmap_bytes(dev, addr, size);
		dk_swiotlb_unmap(dev, pa, size, dir, attrs);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_cpu(dev, pa, size, dir);
	unmap_bytes(dev, addr, size);
}

void dk_iommu_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir, unsigned long attrs)
{
	/* Nothing to look up: the unmap itself says whether it was mapped. */
	if (unmap_needs_phys(dev, dir, attrs))
		unmap_page_phys(dev, addr, size, dir, attrs);
	else
		unmap_bytes(dev, addr, size);
}

static dma_addr_t iommu_map_phys(struct device *dev, phys_addr_t pa,
				  size_t size, enum dma_data_direction dir,
				  unsigned long attrs)
{
	int err;

	return dk_iommu_dma_map_phys(dev, pa, size, dir, attrs, &err);
}

static dma_addr_t iommu_map_resource(struct device *dev, phys_addr_t pa,
				     size_t size, enum dma_data_direction dir,
				     unsigned long attrs)
{
	int err;

	(void)attrs;
	return map_range(dev, pa, size, dir, *dev->dma_mask, &err);
}

static void iommu_unmap_resource(struct device *dev, dma_addr_t addr,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs)
{
	(void)dir;
	(void)attrs;
	unmap_bytes(dev, addr, size);
}

void dk_iommu_dma_sync(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, bool for_cpu)
{
	phys_addr_t pa = iova_phys(dev, addr);

	if (!pa && addr % PAGE_SIZE == 0) {
		dev_err(dev, "sync of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)addr, size);
		return;
	}
	if (!dk_is_swiotlb_buffer(dev->machine, pa))
		dk_sync_phys(dev, pa, size, dir, for_cpu);
	else if (for_cpu)
		dk_swiotlb_sync_cpu(dev, pa, size, dir);
	else
		dk_swiotlb_sync_device(dev, pa, size, dir);
}

static void iommu_sync_cpu(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir)
{
	dk_iommu_dma_sync(dev, addr, size, dir, true);
}

static void iommu_sync_device(struct device *dev, dma_addr_t addr,
			      size_t size, enum dma_data_direction dir)
{
	dk_iommu_dma_sync(dev, addr, size, dir, false);
}

/* Merging works in IOMMU pages: the smallest the domain maps. */
static unsigned long iommu_merge_boundary(struct device *dev)
{
	unsigned long sizes = domain_of(dev)->pgsize_bitmap;

	return (sizes & -sizes) - 1;
}

/* Any page of RAM fits below 4 GiB of IOVA. */
static u64 iommu_required_mask(struct device *dev)
{
	(void)dev;
	return DMA_BIT_MASK(32);
}

static phys_addr_t iommu_dma_to_phys(struct device *dev, dma_addr_t addr)
{
	phys_addr_t pa = iova_phys(dev, addr);

	return pa || addr % PAGE_SIZE ? pa : ~(phys_addr_t)0;
}

const struct dma_map_ops dk_iommu_dma_ops = {
	.alloc = dk_iommu_dma_alloc,
	.free = dk_iommu_dma_free,
	.alloc_pages_op = dk_iommu_dma_alloc_pages,
	.free_pages = dk_iommu_dma_free_pages,
	.mmap = dk_iommu_dma_mmap,
	.get_sgtable = dk_iommu_dma_get_sgtable,
	.map_page = iommu_map_page,
	.unmap_page = dk_iommu_dma_unmap_page,
	.map_phys = iommu_map_phys,
	.map_sg = dk_iommu_dma_map_sg,
	.unmap_sg = dk_iommu_dma_unmap_sg,
	.map_resource = iommu_map_resource,
	.unmap_resource = iommu_unmap_resource,
	.sync_single_for_cpu = iommu_sync_cpu,
	.sync_single_for_device = iommu_sync_device,
	.sync_sg_for_cpu = dk_iommu_dma_sync_sg_cpu,
	.sync_sg_for_device = dk_iommu_dma_sync_sg_device,
	/* No dma_supported: any mask, as Linux's iommu-dma; the allocator
	 * puts IOVAs below it, and a mask too small for any fails each
	 * mapping with a message. */
	.get_merge_boundary = iommu_merge_boundary,
	.get_required_mask = iommu_required_mask,
	.dma_to_phys = iommu_dma_to_phys,
	.iova_alloc = dk_iommu_dma_iova_alloc,
	.iova_free = dk_iommu_dma_iova_free,
	.iova_link = dk_iommu_dma_iova_link,
	.iova_sync = dk_iommu_dma_iova_sync,
	.iova_unlink = dk_iommu_dma_iova_unlink,
};
