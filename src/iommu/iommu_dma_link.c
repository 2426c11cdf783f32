// SPDX-License-Identifier: MIT
/*
 * iommu-dma's side of the two-step IOVA API: a range reserved once
 * (aligned to its size, as every iommu-dma range), pages linked into it
 * and unlinked from it without touching the allocator. A linked range
 * that an untrusted device would share pages of is bounced as in
 * dma_map_page(); the state's top size bit remembers that some was.
 */
#include <errno.h>

#include <dmakit/iommu.h>

#include "iommu_dma.h"

#define USE_SWIOTLB	(1ULL << 63)

static u64 size_of(const struct dma_iova_state *state)
{
	return state->__size & ~USE_SWIOTLB;
}

/* The whole pages the range takes. */
static u64 span_of(const struct dma_iova_state *state)
{
	return PAGE_ALIGN(state->addr % PAGE_SIZE + size_of(state));
}

int dk_iommu_dma_iova_alloc(struct device *dev, struct dma_iova_state *state,
			    phys_addr_t phys, size_t size)
{
	u64 off = phys % PAGE_SIZE, len = PAGE_ALIGN(off + size);
	dma_addr_t iova;

	if (len < size || size & USE_SWIOTLB)
		return dk_err(-EINVAL, "%s: dma_iova_try_alloc: %zu bytes wrap the IOVA space",
			      dev_name(dev), size);
	iova = dk_iommu_dma_alloc_iova(dev, len,
				       dk_iommu_dma_limit(dev, *dev->dma_mask));
	if (iova == DMA_MAPPING_ERROR)
		return -ENOMEM;
	state->addr = iova + off;
	state->__size = size;
	return 0;
}

void dk_iommu_dma_iova_free(struct device *dev, struct dma_iova_state *state)
{
	/* Every unlink invalidated its pages: nothing to wait for. */
	dk_iommu_dma_retire(dev, state->addr & PAGE_MASK, span_of(state),
			    false);
}

/* 0, or -EINVAL with a message if [@offset, +@size) is not in the range. */
static int in_range(struct device *dev, const struct dma_iova_state *state,
		    size_t offset, size_t size, const char *fn)
{
	if (!size || offset > size_of(state) || size > size_of(state) - offset)
		return dk_err(-EINVAL, "%s: %s: 0x%zx + 0x%zx is outside the 0x%llx-byte IOVA range",
			      dev_name(dev), fn, offset, size,
			      (unsigned long long)size_of(state));
	return 0;
}

int dk_iommu_dma_iova_link(struct device *dev, struct dma_iova_state *state,
			   phys_addr_t phys, size_t offset, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	dma_addr_t at = state->addr + offset;
	phys_addr_t pa = phys;
	bool bounced;
	int r = in_range(dev, state, offset, size, "dma_iova_link");

	if (r)
		return r;
	/* Pages map pages: the RAM keeps the IOVA's offset in its page. */
	if (phys % PAGE_SIZE != at % PAGE_SIZE)
		return dk_err(-EINVAL, "%s: dma_iova_link: 0x%llx is not at IOVA 0x%llx's offset in its page",
			      dev_name(dev), (unsigned long long)phys,
			      (unsigned long long)at);
	bounced = dk_iommu_dma_must_bounce(dev, phys, size, dir);
	if (bounced) {
		pa = dk_swiotlb_map_pages(dev, phys, size, dir, attrs);
		if (pa == ~(phys_addr_t)0)
			return -EIO;
		state->__size |= USE_SWIOTLB;
	} else if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC)) {
		dk_sync_for_device(dev, phys, size, dir);
	}
	r = iommu_map(dev->iommu_dma->domain, at & PAGE_MASK, pa & PAGE_MASK,
		      PAGE_ALIGN(at % PAGE_SIZE + size),
		      dk_iommu_dma_prot(dev, dir), GFP_KERNEL);
	if (r && bounced)
		dk_swiotlb_unmap(dev, pa, size, dir,
				 attrs | DMA_ATTR_SKIP_CPU_SYNC);
	return r;
}

/* The IOMMU walks the tables iommu_map() wrote: nothing is pending. */
int dk_iommu_dma_iova_sync(struct device *dev, struct dma_iova_state *state,
			   size_t offset, size_t size)
{
	return in_range(dev, state, offset, size, "dma_iova_sync");
}

/*
 * Page by page, since the range may hold several links: each page's
 * cache work before its IOVA goes; a bounced link (only ever the last
 * piece of an unlink, as links are unlinked as they were linked) is
 * copied back and its slots freed after its IOVA goes.
 */
void dk_iommu_dma_iova_unlink(struct device *dev,
			      struct dma_iova_state *state, size_t offset,
			      size_t size, enum dma_data_direction dir,
			      unsigned long attrs)
{
	struct iommu_domain *d = dev->iommu_dma->domain;
	dma_addr_t at = state->addr + offset, end, next;
	phys_addr_t pa;

	if (in_range(dev, state, offset, size, "dma_iova_unlink")) {
		dk_warn("BUG: %s", dk_last_error());
		return;
	}
	for (end = at + size; at < end; at = next) {
		next = dk_min64((at | (PAGE_SIZE - 1)) + 1, end);
		pa = iommu_iova_to_phys(d, at);
		if (!pa) {
			dev_err(dev, "dma_iova_unlink: IOVA 0x%llx is not linked",
				(unsigned long long)at);
			continue;
		}
		if (dk_is_swiotlb_buffer(dev->machine, pa)) {
			/* A bounced link is one slot run: it is unlinked
			 * whole, the rest of the span with it. */
			iommu_unmap(d, at & PAGE_MASK,
				    PAGE_ALIGN(at % PAGE_SIZE + (end - at)));
			dk_swiotlb_unmap(dev, pa, end - at, dir, attrs);
			break;
		}
		if (!dev->dma_coherent && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
			dk_sync_for_cpu(dev, pa, next - at, dir);
		iommu_unmap(d, at & PAGE_MASK, PAGE_SIZE);
	}
}
