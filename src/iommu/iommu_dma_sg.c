// SPDX-License-Identifier: MIT
/*
 * iommu-dma's scatterlists: the whole list in one IOVA range, laid out
 * before the range is allocated (each entry's pages where they fit, a
 * segment boundary never crossed), entries merged into DMA segments where
 * they meet on page boundaries, as Linux's iommu-dma does; a list with an
 * entry that must bounce is mapped entry by entry instead.
 */
#include <errno.h>

#include <dmakit/iommu.h>

#include "iommu_dma.h"

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

int dk_iommu_dma_map_sg(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	unsigned long boundary = dma_get_seg_boundary(dev);
	struct scatterlist *s;
	u64 total = 0, len = 0, run = 0, run_at = 0;
	int prot = dk_iommu_dma_prot(dev, dir), i, r = 0, run_i = 0;
	phys_addr_t run_pa = 0;
	dma_addr_t iova;

	if (sg_bounces(dev, sgl, nents, dir))
		return dk_map_sg_entries(dev, sgl, nents, dir, attrs, dk_iommu_dma_map_phys,
					 dk_iommu_dma_unmap_page);
	for_each_sg(sgl, s, nents, i)
		place(&total, s, boundary);
	iova = dk_iommu_dma_alloc_iova(dev, total,
				       dk_iommu_dma_limit(dev, *dev->dma_mask));
	if (iova == DMA_MAPPING_ERROR) {
		invalidate_sg(sgl, nents);
		return dk_err(-ENOMEM, "dma_map_sg: %s", dk_last_error());
	}
	/* Entries whose pages follow on in both spaces are one IOMMU
	 * mapping: VFIO type1 counts each against its entry limit. */
	for_each_sg(sgl, s, nents, i) {
		u64 at = place(&len, s, boundary);
		phys_addr_t pa = sg_phys(s) - in_page(s);

		if (run && at == run_at + run && pa == run_pa + run) {
			run += pages_of(s);
			continue;
		}
		if (run && (r = dk_iommu_dma_map_room(dev, iova + run_at,
						       run_pa, run, prot)))
			break;
		run_at = at;
		run_pa = pa;
		run = pages_of(s);
		run_i = i;
	}
	if (!r)
		r = dk_iommu_dma_map_room(dev, iova + run_at, run_pa, run, prot);
	if (r) {
		/* Unmaps the pages mapped so far, skips the others. */
		iommu_unmap(dev->iommu_dma->domain, iova, len);
		dk_iommu_dma_free_iova(dev, iova, total);
		invalidate_sg(sgl, nents);
		return dk_err(r == -ENOMEM ? -ENOMEM : -EINVAL,
			      "dma_map_sg: entry %d: %s", run_i, dk_last_error());
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		for_each_sg(sgl, s, nents, i)
			dk_sync_for_device(dev, sg_phys(s), s->length, dir);
	return finalise_sg(dev, sgl, nents, iova);
}

/* The list's range runs from its first segment to the end of its last
 * (the first entry of zero DMA length ends them, as in Linux). */
void dk_iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			   int nents, enum dma_data_direction dir,
			   unsigned long attrs)
{
	struct scatterlist *s, *last = sgl;
	dma_addr_t start = sgl->dma_address, base;
	u64 len;
	bool queued;
	int i;

	if (sg_bounces(dev, sgl, nents, dir)) {
		dk_unmap_sg_entries(dev, sgl, nents, dir, attrs,
				    dk_iommu_dma_unmap_page);
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
	    (!iommu_iova_to_phys(dev->iommu_dma->domain, start) && !(start % PAGE_SIZE))) {
		dev_err(dev, "unmap_sg of IOVA 0x%llx: not mapped",
			(unsigned long long)start);
		return;
	}
	if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		for_each_sg(sgl, s, nents, i)
			dk_sync_for_cpu(dev, sg_phys(s), s->length, dir);
	if (!dk_iommu_dma_unmap(dev, base, len, &queued)) {
		dev_err(dev, "unmap_sg of IOVA 0x%llx + 0x%llx: not mapped",
			(unsigned long long)base, (unsigned long long)len);
		return;
	}
	dk_iommu_dma_retire(dev, base, len, queued);
}

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
			dk_iommu_dma_sync(dev, s->dma_address, s->dma_length, dir, for_cpu);
		else
			dk_sync_phys(dev, sg_phys(s), s->length, dir, for_cpu);
}

void dk_iommu_dma_sync_sg_cpu(struct device *dev, struct scatterlist *sgl,
			      int nents, enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nents, dir, true);
}

void dk_iommu_dma_sync_sg_device(struct device *dev, struct scatterlist *sgl,
				 int nents, enum dma_data_direction dir)
{
	sync_sg(dev, sgl, nents, dir, false);
}
