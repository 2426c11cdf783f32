// SPDX-License-Identifier: MIT
/*
 * A domain over page tables it owns (the platform's iommu_pt_* ops, as
 * Linux's io-pgtable is a domain's): the hardware's tables are then the
 * only record of the mappings, so a map or unmap is one platform call
 * whatever the number of devices attached, none keeps a copy of it, and
 * iova_to_phys and the refusal of overlaps come from the tables. Devices
 * attach by walking the tables; their IOTLB entries are tagged by them,
 * so one invalidation reaches every device. The platform serializes its
 * table writes: no domain lock is taken here, so maps and unmaps of
 * disjoint IOVAs from several threads do not wait on one another here.
 */
#include <errno.h>

#include "iommu_internal.h"

static const struct dk_platform *pl(struct dk_domain *d)
{
	return &d->m->pl;
}

int dk_domain_pt_new(struct dk_domain *d, struct device *dev)
{
	const struct dk_platform_ops *o = pl(d)->ops;

	if (!o->iommu_pt_new || !o->iommu_hw || !o->iommu_map_hw ||
	    !o->iommu_unmap_hw)
		return 0;
	d->pt = o->iommu_pt_new(pl(d)->ctx, dev->dma_master);
	return d->pt ? 0 : -ENOMEM;
}

void dk_domain_pt_free(struct dk_domain *d)
{
	const struct dk_platform_ops *o = pl(d)->ops;

	/* A SoC freed first took its tables with it. */
	if (d->pt && (!o->live || o->live(pl(d)->ctx)))
		o->iommu_pt_free(pl(d)->ctx, d->pt);
}

int dk_domain_pt_attach(struct dk_domain *d, struct device *dev, void *hw)
{
	const struct dk_platform_ops *o = pl(d)->ops;
	int r;

	if (!hw)
		return -ENODEV;
	r = o->iommu_pt_attach(pl(d)->ctx, hw, d->pt);
	if (!r)
		r = o->iommu_enable(pl(d)->ctx, dev->dma_master, true);
	if (r)
		o->iommu_pt_attach(pl(d)->ctx, hw, NULL);
	return r;
}

void dk_domain_pt_detach(struct dk_domain *d, struct device *dev, void *hw)
{
	const struct dk_platform_ops *o = pl(d)->ops;

	o->iommu_enable(pl(d)->ctx, dev->dma_master, false);
	o->iommu_pt_attach(pl(d)->ctx, hw, NULL);
}

int dk_domain_pt_exists(unsigned long iova, size_t size)
{
	return dk_err(-EEXIST, "iommu_map: 0x%lx + 0x%zx overlaps a mapping",
		      iova, size);
}

int dk_domain_pt_map(struct dk_domain *d, unsigned long iova,
		     phys_addr_t paddr, size_t size, int prot)
{
	int r = pl(d)->ops->iommu_pt_map(pl(d)->ctx, d->pt, iova, paddr, size,
					 prot);

	return r == -EEXIST ? dk_domain_pt_exists(iova, size) : r;
}

size_t dk_domain_pt_unmap(struct dk_domain *d, unsigned long iova,
			  size_t size, struct iommu_iotlb_gather *gather,
			  bool strict)
{
	/* The platform rounds up to pages and stops at 2^64. */
	size_t done = pl(d)->ops->iommu_pt_unmap(pl(d)->ctx, d->pt, iova, size,
						 strict);

	/* What it unmapped lies in [iova, iova + size) rounded up. */
	if (done && gather && !strict)
		iommu_iotlb_gather_add_range(gather, iova,
					     iova + size - 1 < iova ?
						     -iova : size);
	return done;
}

void dk_domain_pt_inval(struct dk_domain *d, unsigned long iova, size_t size)
{
	pl(d)->ops->iommu_pt_inval(pl(d)->ctx, d->pt, iova, size);
}

phys_addr_t dk_domain_pt_iova_to_phys(struct dk_domain *d, dma_addr_t iova)
{
	phys_addr_t pa;

	if (pl(d)->ops->iommu_pt_lookup(pl(d)->ctx, d->pt, iova, &pa))
		return 0;
	return pa;
}
