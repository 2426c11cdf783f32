/* SPDX-License-Identifier: MIT */
/* What the IOMMU API keeps of domains and groups (src/iommu). */
#ifndef DMAKIT_IOMMU_INTERNAL_H
#define DMAKIT_IOMMU_INTERNAL_H

#include <pthread.h>

#include <dmakit/iommu.h>

#include "../kernel/kernel.h"
#include "range_tree.h"

#define DK_IOMMU_MAX_DEVS 16

/* The domain a driver sees is the head of what the API keeps. */
struct dk_domain {
	struct iommu_domain pub;
	struct dk_machine *m;
	const char *unit;		/* the IOMMU's node path */
	pthread_mutex_t lock;
	struct device *devs[DK_IOMMU_MAX_DEVS];
	void *hw[DK_IOMMU_MAX_DEVS];	/* devs[i]'s platform handle or NULL */
	int ndevs;
	void *pt;			/* its page tables (domain_pt.c), or
					 * NULL: the ranges are kept here */
	struct dk_iommu_range *map;	/* the mapped ranges, by IOVA */
	struct dk_iommu_range *spare;	/* freed nodes, by kid[0] */
	int nspare;
	iommu_fault_handler_t handler;
	void *token;
	unsigned long nfaults;
	struct dk_iommu_fault last;
};

struct iommu_group {
	struct iommu_group *next;	/* the machine's list */
	int id;
	const char *unit;
	u32 stream;
	struct device *devs[DK_IOMMU_MAX_DEVS];
	int ndevs;
	struct iommu_domain *domain;	/* attached, or NULL */
	struct iommu_domain *default_domain;	/* iommu-dma's, or NULL */
	int refs;
};

static inline struct dk_domain *dk_to_domain(struct iommu_domain *domain)
{
	return (struct dk_domain *)domain;
}

/* iommu.c: program one device with the domain (d->lock held). */
int dk_domain_attach_one(struct dk_domain *d, struct device *dev);
void dk_domain_detach_one(struct dk_domain *d, struct device *dev);

/*
 * domain_pt.c: a domain over page tables of its own, when the platform
 * has the iommu_pt_* ops (d->pt; 0 and none otherwise, or -ENOMEM);
 * attach makes device @dev, of handle @hw, walk them. Map, unmap (the
 * pages of @size bytes from @iova; @strict invalidates too, else @gather
 * gets the range),
 * invalidate (everything for @size 0) and look up as the IOMMU API's
 * calls of those names do; no lock of the domain is needed.
 */
int dk_domain_pt_new(struct dk_domain *d, struct device *dev);
void dk_domain_pt_free(struct dk_domain *d);
int dk_domain_pt_attach(struct dk_domain *d, struct device *dev, void *hw);
void dk_domain_pt_detach(struct dk_domain *d, struct device *dev, void *hw);
int dk_domain_pt_map(struct dk_domain *d, unsigned long iova,
		     phys_addr_t paddr, size_t size, int prot);
size_t dk_domain_pt_unmap(struct dk_domain *d, unsigned long iova,
			  size_t size, struct iommu_iotlb_gather *gather,
			  bool strict);
void dk_domain_pt_inval(struct dk_domain *d, unsigned long iova, size_t size);
phys_addr_t dk_domain_pt_iova_to_phys(struct dk_domain *d, dma_addr_t iova);
/* The -EEXIST of a map over a mapping, with its message. */
int dk_domain_pt_exists(unsigned long iova, size_t size);

/*
 * What iommu-dma maps and unmaps with, as Linux's calls its domain's ops:
 * iommu_map(), and iommu_unmap() (@strict) or iommu_unmap_fast() with no
 * gather, without the API's checks of their arguments, which iommu-dma's
 * are by construction (its own domain, valid permissions, whole pages in
 * the aperture). A domain over page tables goes straight to the
 * platform, which still refuses what its hardware cannot take.
 */
static inline int dk_domain_map(struct iommu_domain *domain,
				unsigned long iova, phys_addr_t paddr,
				size_t size, int prot)
{
	struct dk_domain *d = dk_to_domain(domain);
	int r;

	if (!d->pt)
		return iommu_map(domain, iova, paddr, size, prot, GFP_KERNEL);
	r = d->m->pl.ops->iommu_pt_map(d->m->pl.ctx, d->pt, iova, paddr, size,
				       prot);
	return r == -EEXIST ? dk_domain_pt_exists(iova, size) : r;
}

static inline size_t dk_domain_unmap(struct iommu_domain *domain,
				     unsigned long iova, size_t size,
				     bool strict)
{
	struct dk_domain *d = dk_to_domain(domain);

	if (d->pt)
		return d->m->pl.ops->iommu_pt_unmap(d->m->pl.ctx, d->pt, iova,
						    size, strict);
	return strict ? iommu_unmap(domain, iova, size) :
			iommu_unmap_fast(domain, iova, size, NULL);
}

/* group.c: @dev's group, made on first use; NULL without an IOMMU or
 * memory (message set). */
struct iommu_group *dk_iommu_group_of(struct device *dev);

/* fault.c: the platform's fault report for machine @arg. */
void dk_iommu_on_fault(void *arg, const struct dk_iommu_fault *f);

#endif
