// SPDX-License-Identifier: MIT
/*
 * iommu-dma: the DMA API for devices translated by an IOMMU. At boot (with
 * dk_machine_opts.iommu_dma) every device behind an IOMMU gets a default
 * domain and an IOVA space over the domain's aperture (the first MiB kept
 * out); a mapping takes IOVA pages top-down below the device's mask, from
 * the IOVA allocator (src/iommu/iova.c), and maps them to the buffer's
 * pages with the permissions of the direction. Every range is aligned to
 * its size rounded up to a power of two, as Linux's iommu-dma asks its
 * allocator, which gives coherent buffers the alignment dma-api-howto.rst
 * promises and lets a scatterlist be laid out before its IOVA is known.
 * No bouncing: the IOMMU reaches all RAM. Cache maintenance is unchanged.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/iommu.h>

#include "../iommu/iova.h"
#include "../kernel/kernel.h"
#include "dma.h"

#define IOVA_FIRST_PFN 256		/* keep the first MiB unmapped */

int dk_iommu_dma_init(struct dk_machine *m)
{
	int i;

	if (!m->opts.iommu_dma)
		return 0;
	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = dk_mdev(m, i);
		struct iommu_domain *d;
		struct dk_iova_space *s = NULL;
		u64 first;

		if (!dev->iommu)
			continue;
		d = iommu_paging_domain_alloc(dev);
		if (d) {
			first = d->geometry.aperture_start >> PAGE_SHIFT;
			s = dk_iova_space_new(first > IOVA_FIRST_PFN ? first :
							IOVA_FIRST_PFN,
					      d->geometry.aperture_end >>
						      PAGE_SHIFT);
		}
		if (!d || !s || iommu_attach_device(d, dev)) {
			dk_iova_space_free(s);
			iommu_domain_free(d);
			return dk_err(-ENOMEM, "%s: no default IOMMU domain: %s",
				      dev_name(dev), dk_last_error());
		}
		dev->iova = s;
		dev->dma_ops = &dk_iommu_dma_ops;
	}
	return 0;
}

void dk_iommu_dma_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = dk_mdev(m, i);
		struct iommu_domain *d = dev->iommu_domain;

		if (!dev->iova)
			continue;
		iommu_detach_device(d, dev);
		iommu_domain_free(d);
		dk_iova_space_free(dev->iova);
		dev->iova = NULL;
		dev->dma_ops = NULL;
	}
}

/* The last IOVA a device may be given: its mask, inside the aperture. */
static u64 iova_limit(struct device *dev, u64 mask)
{
	u64 end = dev->iommu_domain->geometry.aperture_end;

	return mask < end ? mask : end;
}

/* @len bytes (whole pages) of IOVA below @limit, or DMA_MAPPING_ERROR
 * with -ENOMEM and a message. */
static dma_addr_t alloc_iova(struct device *dev, u64 len, u64 limit)
{
	u64 pfn;

	/* The last page wholly at or below the limit. */
	if (limit < PAGE_SIZE - 1 ||
	    !dk_iova_alloc_fast(dev->iova, len / PAGE_SIZE,
				(limit - (PAGE_SIZE - 1)) / PAGE_SIZE, &pfn)) {
		dk_err(-ENOMEM, "%s: no %llu free IOVA pages below 0x%llx",
		       dev_name(dev), (unsigned long long)(len / PAGE_SIZE),
		       (unsigned long long)limit);
		return DMA_MAPPING_ERROR;
	}
	return pfn * PAGE_SIZE;
}

static void free_iova(struct device *dev, dma_addr_t iova, u64 len)
{
	dk_iova_free_fast(dev->iova, iova / PAGE_SIZE, len / PAGE_SIZE);
}

static int prot_of(enum dma_data_direction dir)
{
	return dir == DMA_TO_DEVICE ? IOMMU_READ :
	       dir == DMA_FROM_DEVICE ? IOMMU_WRITE : IOMMU_READ | IOMMU_WRITE;
}

dma_addr_t dk_iommu_dma_map_err(struct device *dev, phys_addr_t pa,
				size_t size, enum dma_data_direction dir,
				bool coherent_mask, int *err)
{
	u64 off = pa % PAGE_SIZE, len = PAGE_ALIGN(off + size);
	dma_addr_t iova;
	int r;

	if (len < size) {
		*err = dk_err(-EINVAL, "%s: %zu bytes wrap the IOVA space",
			      dev_name(dev), size);
		return DMA_MAPPING_ERROR;
	}
	iova = alloc_iova(dev, len, iova_limit(dev, coherent_mask ?
						 dev->coherent_dma_mask :
						 *dev->dma_mask));
	if (iova == DMA_MAPPING_ERROR) {
		*err = -ENOMEM;
		return DMA_MAPPING_ERROR;
	}
	r = iommu_map(dev->iommu_domain, iova, pa - off, len, prot_of(dir),
		      GFP_KERNEL);
	if (r) {
		free_iova(dev, iova, len);
		*err = r;
		return DMA_MAPPING_ERROR;
	}
	return iova + off;
}

dma_addr_t dk_iommu_dma_map(struct device *dev, phys_addr_t pa, size_t size,
			    enum dma_data_direction dir, bool coherent_mask)
{
	int err;

	return dk_iommu_dma_map_err(dev, pa, size, dir, coherent_mask, &err);
}

phys_addr_t dk_iommu_dma_phys(struct device *dev, dma_addr_t iova)
{
	return iommu_iova_to_phys(dev->iommu_domain, iova);
}

/* Unmap and free the IOVA range of whole pages at @iova; only a range
 * that was wholly mapped goes back to the allocator. */
static void unmap_range(struct device *dev, dma_addr_t iova, u64 len,
			u64 mapped)
{
	if (iommu_unmap(dev->iommu_domain, iova, len) != mapped) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%llx: not mapped",
			(unsigned long long)iova, (unsigned long long)len);
		return;
	}
	free_iova(dev, iova, len);
}

void dk_iommu_dma_unmap(struct device *dev, dma_addr_t iova, size_t size)
{
	u64 off = iova % PAGE_SIZE, len = PAGE_ALIGN(off + size);

	if (len < size || iova - off + len < iova - off) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)iova, size);
		return;
	}
	unmap_range(dev, iova - off, len, len);
}

/* ---- the backend: dma_map_ops for devices translated by their domain */

static dma_addr_t map_phys(struct device *dev, phys_addr_t pa, size_t size,
			   enum dma_data_direction dir, unsigned long attrs,
			   int *err)
{
	/* The IOMMU reaches all RAM: never a bounce. */
	dma_addr_t dma = dk_iommu_dma_map_err(dev, pa, size, dir, false, err);

	if (dma == DMA_MAPPING_ERROR && *err != -ENOMEM)
		*err = -EINVAL;
	if (dma != DMA_MAPPING_ERROR && !dev->dma_coherent &&
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
	phys_addr_t pa = dk_iommu_dma_phys(dev, addr);

	if (!pa && addr % PAGE_SIZE == 0) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)addr, size);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dk_sync_for_cpu(dev, pa, size, dir);
	dk_iommu_dma_unmap(dev, addr, size);
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

static int iommu_map_sg(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	struct scatterlist *s;
	u64 total = 0, len = 0;
	dma_addr_t iova;
	int i, r = 0;

	for_each_sg(sgl, s, nents, i)
		place(&total, s, boundary);
	iova = alloc_iova(dev, total, iova_limit(dev, *dev->dma_mask));
	if (iova == DMA_MAPPING_ERROR) {
		invalidate_sg(sgl, nents);
		return dk_err(-ENOMEM, "dma_map_sg: %s", dk_last_error());
	}
	for_each_sg(sgl, s, nents, i) {
		u64 at = place(&len, s, boundary);

		r = iommu_map(dev->iommu_domain, iova + at,
			      sg_phys(s) - in_page(s), pages_of(s),
			      prot_of(dir), GFP_KERNEL);
		if (r)
			break;
	}
	if (r) {
		/* Unmaps the pages mapped so far, skips the others. */
		iommu_unmap(dev->iommu_domain, iova, len);
		free_iova(dev, iova, total);
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

	for_each_sg(sg_next(sgl), s, nents - 1, i) {
		if (!s->dma_length)
			break;
		last = s;
	}
	base = start & PAGE_MASK;
	len = PAGE_ALIGN(last->dma_address + last->dma_length) - base;
	if (start == DMA_MAPPING_ERROR || !sgl->dma_length ||
	    last->dma_address < start ||
	    (!dk_iommu_dma_phys(dev, start) && !(start % PAGE_SIZE))) {
		dev_err(dev, "unmap_sg of IOVA 0x%llx: not mapped",
			(unsigned long long)start);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		for_each_sg(sgl, s, nents, i)
			dk_sync_for_cpu(dev, sg_phys(s), s->length, dir);
	if (!iommu_unmap(dev->iommu_domain, base, len)) {
		dev_err(dev, "unmap_sg of IOVA 0x%llx + 0x%llx: not mapped",
			(unsigned long long)base, (unsigned long long)len);
		return;
	}
	free_iova(dev, base, len);
}

/* Each entry's own pages, whatever segment its bytes went into. */
static void sync_sg(struct device *dev, struct scatterlist *sgl, int nents,
		    enum dma_data_direction dir, bool for_cpu)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sgl, s, nents, i)
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
	(void)attrs;
	return dk_iommu_dma_map(dev, pa, size, dir, false);
}

static void iommu_unmap_resource(struct device *dev, dma_addr_t addr,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs)
{
	(void)dir;
	(void)attrs;
	dk_iommu_dma_unmap(dev, addr, size);
}

static void sync(struct device *dev, dma_addr_t addr, size_t size,
		 enum dma_data_direction dir, bool for_cpu)
{
	phys_addr_t pa = dk_iommu_dma_phys(dev, addr);

	if (!pa && addr % PAGE_SIZE == 0) {
		dev_err(dev, "sync of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)addr, size);
		return;
	}
	dk_sync_phys(dev, pa, size, dir, for_cpu);
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
	unsigned long sizes = dev->iommu_domain->pgsize_bitmap;

	return (sizes & -sizes) - 1;
}

/* Any mask: the allocator puts IOVAs below it (and the aperture). */
static int iommu_dma_supported(struct device *dev, u64 mask)
{
	(void)dev;
	return mask >= PAGE_SIZE * (IOVA_FIRST_PFN + 1) - 1;
}

const struct dma_map_ops dk_iommu_dma_ops = {
	.map_page = iommu_map_page,
	.unmap_page = iommu_unmap_page,
	.map_sg = iommu_map_sg,
	.unmap_sg = iommu_unmap_sg,
	.map_resource = iommu_map_resource,
	.unmap_resource = iommu_unmap_resource,
	.sync_single_for_cpu = iommu_sync_cpu,
	.sync_single_for_device = iommu_sync_device,
	.sync_sg_for_cpu = iommu_sync_sg_cpu,
	.sync_sg_for_device = iommu_sync_sg_device,
	.dma_supported = iommu_dma_supported,
	.get_merge_boundary = iommu_merge_boundary,
};
