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

#include "../iommu/iova.h"
#include "iommu_dma.h"

static void cookie_free(struct dk_iommu_dma *c)
{
	if (!c)
		return;
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
		return 0;
	}
	c = calloc(1, sizeof(*c));
	d = c ? iommu_paging_domain_alloc(dev) : NULL;

	if (c) {
		pthread_mutex_init(&c->lock, NULL);
		dk_iommu_fq_init(&c->fq);
		atomic_init(&c->lazy, dev->machine->opts.iommu_lazy);
	}
	if (d) {
		first = d->geometry.aperture_start >> PAGE_SHIFT;
		c->iovad = dk_iova_space_new(first > IOVA_FIRST_PFN ?
						     first : IOVA_FIRST_PFN,
					     d->geometry.aperture_end >>
						     PAGE_SHIFT);
	}
	if (!d || !c->iovad || dk_iommu_attach_default(d, dev)) {
		cookie_free(c);
		iommu_domain_free(d);
		return dk_err(-ENOMEM, "%s: no default IOMMU domain: %s",
			      dev_name(dev), dk_last_error());
	}
	c->domain = d;
	c->users = 1;
	dev->iommu_dma = c;
	dev->dma_ops = &dk_iommu_dma_ops;
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
		if (--c->users) {	/* the group's last device frees it */
			dev->iommu_dma = NULL;
			dev->dma_ops = NULL;
			continue;
		}
		dk_iommu_dma_allocs_fini(dev);
		dk_iommu_dma_flush_queue(dev);
		dk_iommu_detach_default(c->domain, dev);
		iommu_domain_free(c->domain);
		cookie_free(c);
		dev->iommu_dma = NULL;
		dev->dma_ops = NULL;
	}
}

u64 dk_iommu_dma_limit(struct device *dev, u64 mask)
{
	u64 end = dev->iommu_dma->domain->geometry.aperture_end;

	return mask < end ? mask : end;
}

dma_addr_t dk_iommu_dma_alloc_iova(struct device *dev, u64 len, u64 limit)
{
	struct dk_iommu_dma *c = dev->iommu_dma;
	/* The last page wholly at or below the limit. */
	u64 last = (limit - (PAGE_SIZE - 1)) / PAGE_SIZE, pfn;
	bool ok;

	if (atomic_load_explicit(&c->lazy, memory_order_relaxed))
		dk_iommu_fq_poll(dev, false);
	ok = limit >= PAGE_SIZE - 1 &&
	     dk_iova_alloc_fast(c->iovad, len / PAGE_SIZE, last, &pfn);
	/* What the flush queue holds is free space once flushed. */
	if (!ok && limit >= PAGE_SIZE - 1 && dk_iommu_fq_poll(dev, true))
		ok = dk_iova_alloc_fast(c->iovad, len / PAGE_SIZE, last, &pfn);
	if (!ok) {
		dk_err(-ENOMEM, "%s: no %llu free IOVA pages below 0x%llx",
		       dev_name(dev), (unsigned long long)(len / PAGE_SIZE),
		       (unsigned long long)limit);
		return DMA_MAPPING_ERROR;
	}
	return pfn * PAGE_SIZE;
}

void dk_iommu_dma_free_iova(struct device *dev, dma_addr_t iova, u64 len)
{
	dk_iova_free_fast(dev->iommu_dma->iovad, iova / PAGE_SIZE,
			  len / PAGE_SIZE);
}

int dk_iommu_dma_prot(enum dma_data_direction dir)
{
	return dir == DMA_TO_DEVICE ? IOMMU_READ :
	       dir == DMA_FROM_DEVICE ? IOMMU_WRITE : IOMMU_READ | IOMMU_WRITE;
}

static struct iommu_domain *domain_of(struct device *dev)
{
	return dev->iommu_dma->domain;
}

/* Map RAM at @pa for @size bytes with the permissions of @dir. */
static dma_addr_t map_range(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, u64 mask, int *err)
{
	u64 off = pa % PAGE_SIZE, len = PAGE_ALIGN(off + size);
	dma_addr_t iova;
	int r;

	if (len < size) {
		*err = dk_err(-EINVAL, "%s: %zu bytes wrap the IOVA space",
			      dev_name(dev), size);
		return DMA_MAPPING_ERROR;
	}
	iova = dk_iommu_dma_alloc_iova(dev, len, dk_iommu_dma_limit(dev, mask));
	if (iova == DMA_MAPPING_ERROR) {
		*err = -ENOMEM;
		return DMA_MAPPING_ERROR;
	}
	r = iommu_map(domain_of(dev), iova, pa - off, len,
		      dk_iommu_dma_prot(dir), GFP_KERNEL);
	if (r) {
		dk_iommu_dma_free_iova(dev, iova, len);
		*err = r;
		return DMA_MAPPING_ERROR;
	}
	return iova + off;
}

static phys_addr_t iova_phys(struct device *dev, dma_addr_t iova)
{
	return iommu_iova_to_phys(domain_of(dev), iova);
}

bool dk_iommu_dma_unmap_free(struct device *dev, dma_addr_t iova, u64 len)
{
	if (iommu_unmap(domain_of(dev), iova, len) != len) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%llx: not mapped",
			(unsigned long long)iova, (unsigned long long)len);
		return false;
	}
	dk_iommu_dma_retire(dev, iova, len);
	return true;
}

/* The whole pages of a mapping of @size bytes at @iova. */
static void unmap_bytes(struct device *dev, dma_addr_t iova, size_t size)
{
	u64 off = iova % PAGE_SIZE, len = PAGE_ALIGN(off + size);

	if (len < size || iova - off + len < iova - off) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)iova, size);
		return;
	}
	dk_iommu_dma_unmap_free(dev, iova - off, len);
}

/* ---- the backend: dma_map_ops for devices translated by their domain */

/*
 * The IOMMU reaches all RAM, so nothing bounces for reach. What does, as
 * Linux's dev_use_swiotlb() decides: a buffer that leaves part of its
 * pages to other memory, when the device is untrusted (it would see the
 * neighbours) or when it is a small kmalloc buffer a non-coherent device
 * would share cache lines of.
 */
bool dk_iommu_dma_must_bounce(struct device *dev, phys_addr_t pa, size_t size,
			      enum dma_data_direction dir)
{
	return dev->machine->swiotlb && (pa | size) % PAGE_SIZE &&
	       (dev->untrusted || dk_kmalloc_needs_bounce(dev, pa, size, dir));
}

static dma_addr_t map_bounced(struct device *dev, phys_addr_t pa, size_t size,
			      enum dma_data_direction dir, unsigned long attrs,
			      int *err)
{
	phys_addr_t tlb = dk_swiotlb_map_pages(dev, pa, size, dir, attrs);
	dma_addr_t dma;

	if (tlb == ~(phys_addr_t)0) {
		*err = -EIO;
		return DMA_MAPPING_ERROR;
	}
	dma = map_range(dev, tlb, size, dir, *dev->dma_mask, err);
	if (dma == DMA_MAPPING_ERROR)
		dk_swiotlb_unmap(dev, tlb, size, dir,
				 attrs | DMA_ATTR_SKIP_CPU_SYNC);
	return dma;
}

static dma_addr_t map_phys(struct device *dev, phys_addr_t pa, size_t size,
			   enum dma_data_direction dir, unsigned long attrs,
			   int *err)
{
	bool bounced = dk_iommu_dma_must_bounce(dev, pa, size, dir);
	dma_addr_t dma;

	/* swiotlb does the cache work of a bounce slot itself. */
	if (bounced)
		dma = map_bounced(dev, pa, size, dir, attrs, err);
	else
		dma = map_range(dev, pa, size, dir, *dev->dma_mask, err);
	if (dma == DMA_MAPPING_ERROR && *err != -ENOMEM)
		*err = -EINVAL;
	if (dma != DMA_MAPPING_ERROR && !bounced && !dev->dma_coherent &&
	    !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_device(dev, pa, size, dir);
	return dma;
}

static dma_addr_t iommu_map_page(struct device *dev, struct page *page,
				 unsigned long offset, size_t size,
				 enum dma_data_direction dir,
				 unsigned long attrs)
{
	int err;

	return map_phys(dev, dk_page_to_phys(dev->machine, page) + offset,
			size, dir, attrs, &err);
}

static void iommu_unmap_page(struct device *dev, dma_addr_t addr,
			     size_t size, enum dma_data_direction dir,
			     unsigned long attrs)
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

/*
 * A list with an entry that bounces is mapped entry by entry, none
 * merged (as Linux's iommu_dma_map_sg_swiotlb()): an untrusted device's
 * always, since any entry may bounce.
 */
static bool sg_bounces(struct device *dev, struct scatterlist *sgl, int nents,
		       enum dma_data_direction dir)
{
	struct scatterlist *s;
	int i;

	if (!dev->machine->swiotlb)
		return false;
	if (dev->untrusted)
		return true;
	for_each_sg(sgl, s, nents, i)
		if (dk_iommu_dma_must_bounce(dev, sg_phys(s), s->length, dir))
			return true;
	return false;
}

/* ---- scatterlists: one IOVA range, entries merged where they meet */

static u64 in_page(struct scatterlist *s)
{
	return sg_phys(s) % PAGE_SIZE;
}

/* The whole pages an entry's bytes touch. */
static u64 pages_of(struct scatterlist *s)
{
	return PAGE_ALIGN(in_page(s) + s->length);
}

/*
 * Where an entry's pages go in its list's range, which is @*len long so
 * far: right after the previous entry's, or on the next segment boundary
 * if they would cross one. The range is aligned to its size rounded up
 * to a power of two, so it either lies between two boundaries or starts
 * on one: offsets from its start decide every crossing.
 */
static u64 place(u64 *len, struct scatterlist *s, unsigned long boundary)
{
	u64 at = *len, next = (at | boundary) + 1;

	if ((at & boundary) && next && at + pages_of(s) > next)
		at = next;
	*len = at + pages_of(s);
	return at;
}

static void invalidate_sg(struct scatterlist *sgl, int nents)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sgl, s, nents, i) {
		s->dma_address = DMA_MAPPING_ERROR;
		s->dma_length = 0;
	}
}

/*
 * The DMA segments of a mapped list, as Linux's iommu-dma makes them: an
 * entry joins the segment before it when that one ends on a page
 * boundary, the entry starts on one, its IOVA is no segment boundary and
 * the segment stays within the device's maximum. Segment k goes in entry
 * k; the entries after the last segment get DMA_MAPPING_ERROR and length
 * 0. Returns the number of segments.
 */
static int finalise_sg(struct device *dev, struct scatterlist *sgl,
		       int nents, dma_addr_t iova)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	unsigned int max = dma_get_max_seg_size(dev), cur_len = 0;
	struct scatterlist *s, *cur = sgl;
	u64 len = 0;
	int i, count = 0;

	for_each_sg(sgl, s, nents, i) {
		dma_addr_t dma = iova + place(&len, s, boundary);
		u64 off = in_page(s);

		s->dma_address = DMA_MAPPING_ERROR;
		s->dma_length = 0;
		if (cur_len && !off && (dma & boundary) && cur_len <= max &&
		    max - cur_len >= s->length) {
			cur_len += s->length;
		} else {
			if (count++)
				cur = sg_next(cur);
			cur->dma_address = dma + off;
			cur_len = s->length;
		}
		cur->dma_length = cur_len;
		if ((off + s->length) % PAGE_SIZE)
			cur_len = 0;	/* the next entry cannot follow on */
	}
	return count;
}

static int iommu_dma_map_sg(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	struct scatterlist *s;
	u64 total = 0, len = 0;
	dma_addr_t iova;
	int i, r = 0;

	if (sg_bounces(dev, sgl, nents, dir))
		return dk_map_sg_entries(dev, sgl, nents, dir, attrs, map_phys,
					 iommu_unmap_page);
	for_each_sg(sgl, s, nents, i)
		place(&total, s, boundary);
	iova = dk_iommu_dma_alloc_iova(dev, total,
				       dk_iommu_dma_limit(dev, *dev->dma_mask));
	if (iova == DMA_MAPPING_ERROR) {
		invalidate_sg(sgl, nents);
		return dk_err(-ENOMEM, "dma_map_sg: %s", dk_last_error());
	}
	for_each_sg(sgl, s, nents, i) {
		u64 at = place(&len, s, boundary);

		r = iommu_map(domain_of(dev), iova + at,
			      sg_phys(s) - in_page(s), pages_of(s),
			      dk_iommu_dma_prot(dir), GFP_KERNEL);
		if (r)
			break;
	}
	if (r) {
		/* Unmaps the pages mapped so far, skips the others. */
		iommu_unmap(domain_of(dev), iova, len);
		dk_iommu_dma_free_iova(dev, iova, total);
		invalidate_sg(sgl, nents);
		return dk_err(r == -ENOMEM ? -ENOMEM : -EINVAL,
			      "dma_map_sg: entry %d: %s", i, dk_last_error());
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		for_each_sg(sgl, s, nents, i)
			dk_sync_for_device(dev, sg_phys(s), s->length, dir);
	return finalise_sg(dev, sgl, nents, iova);
}

/* The list's range runs from its first segment to the end of its last
 * (the first entry of zero DMA length ends them, as in Linux). */
static void iommu_unmap_sg(struct device *dev, struct scatterlist *sgl,
			   int nents, enum dma_data_direction dir,
			   unsigned long attrs)
{
	struct scatterlist *s, *last = sgl;
	dma_addr_t start = sgl->dma_address, base;
	u64 len;
	int i;

	if (sg_bounces(dev, sgl, nents, dir)) {
		dk_unmap_sg_entries(dev, sgl, nents, dir, attrs,
				    iommu_unmap_page);
		return;
	}
	for_each_sg(sg_next(sgl), s, nents - 1, i) {
		if (!s->dma_length)
			break;
		last = s;
	}
	base = start & PAGE_MASK;
	len = PAGE_ALIGN(last->dma_address + last->dma_length) - base;
	if (start == DMA_MAPPING_ERROR || !sgl->dma_length ||
	    last->dma_address < start ||
	    (!iova_phys(dev, start) && !(start % PAGE_SIZE))) {
		dev_err(dev, "unmap_sg of IOVA 0x%llx: not mapped",
			(unsigned long long)start);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		for_each_sg(sgl, s, nents, i)
			dk_sync_for_cpu(dev, sg_phys(s), s->length, dir);
	if (!iommu_unmap(domain_of(dev), base, len)) {
		dev_err(dev, "unmap_sg of IOVA 0x%llx + 0x%llx: not mapped",
			(unsigned long long)base, (unsigned long long)len);
		return;
	}
	dk_iommu_dma_retire(dev, base, len);
}

static void sync(struct device *dev, dma_addr_t addr, size_t size,
		 enum dma_data_direction dir, bool for_cpu);

/* Each entry's own pages, whatever segment its bytes went into; an entry
 * mapped on its own (bounced lists) through its own mapping. */
static void sync_sg(struct device *dev, struct scatterlist *sgl, int nents,
		    enum dma_data_direction dir, bool for_cpu)
{
	bool each = sg_bounces(dev, sgl, nents, dir);
	struct scatterlist *s;
	int i;

	for_each_sg(sgl, s, nents, i)
		if (each)
			sync(dev, s->dma_address, s->dma_length, dir, for_cpu);
		else
			dk_sync_phys(dev, sg_phys(s), s->length, dir, for_cpu);
}

static void iommu_sync_sg_cpu(struct device *dev, struct scatterlist *sgl,
			      int nents, enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nents, dir, true);
}

static void iommu_sync_sg_device(struct device *dev, struct scatterlist *sgl,
				 int nents, enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nents, dir, false);
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

static void sync(struct device *dev, dma_addr_t addr, size_t size,
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
	sync(dev, addr, size, dir, true);
}

static void iommu_sync_device(struct device *dev, dma_addr_t addr,
			      size_t size, enum dma_data_direction dir)
{
	sync(dev, addr, size, dir, false);
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
	.unmap_page = iommu_unmap_page,
	.map_sg = iommu_dma_map_sg,
	.unmap_sg = iommu_unmap_sg,
	.map_resource = iommu_map_resource,
	.unmap_resource = iommu_unmap_resource,
	.sync_single_for_cpu = iommu_sync_cpu,
	.sync_single_for_device = iommu_sync_device,
	.sync_sg_for_cpu = iommu_sync_sg_cpu,
	.sync_sg_for_device = iommu_sync_sg_device,
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
