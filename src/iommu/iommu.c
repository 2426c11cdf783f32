// SPDX-License-Identifier: MIT
/*
 * The IOMMU API over the platform's IOMMU hardware ops. A domain keeps its
 * mappings as ranges so it can program every device attached to it, now
 * and when one attaches later; the hardware holds the page tables.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/iommu.h>

#include "../kernel/kernel.h"

#define IOMMU_PAGE 4096UL
#define MAX_DEVS 16

struct range {
	unsigned long iova;
	phys_addr_t pa;
	size_t size;
	int prot;
};

/* The domain a driver sees is the head of what the API keeps. */
struct dk_domain {
	struct iommu_domain pub;
	struct dk_machine *m;
	const char *unit;		/* the IOMMU's node path */
	pthread_mutex_t lock;
	struct device *devs[MAX_DEVS];
	int ndevs;
	struct range *map;
	size_t nmap, cap;
	iommu_fault_handler_t handler;
	void *token;
};

static struct dk_domain *to_dk(struct iommu_domain *domain)
{
	return (struct dk_domain *)domain;
}

static const struct dk_platform_ops *ops(struct dk_domain *d)
{
	return d->m->pl.ops;
}

bool device_iommu_mapped(struct device *dev)
{
	return dev && dev->iommu;
}

static void on_fault(void *arg, const char *device, u64 iova, bool write)
{
	struct dk_machine *m = arg;
	struct device *dev = dk_machine_find_device(m, device);
	struct dk_domain *d = dev ? to_dk(dev->iommu_domain) : NULL;

	if (d && d->handler)
		d->handler(&d->pub, dev, iova,
			   write ? IOMMU_FAULT_WRITE : IOMMU_FAULT_READ,
			   d->token);
}

/* The aperture spans the IOMMU's valid IOVA ranges, when it says which
 * (VFIO does); the holes between them are iommu-dma's to keep out. */
static void set_aperture(struct dk_domain *d, struct device *dev)
{
	const struct dk_platform_ops *o = dev->machine->pl.ops;
	u64 start, end, lo = ~0ULL, hi = 0;
	int i;

	if (!o->iommu_range)
		return;
	for (i = 0; !o->iommu_range(dev->machine->pl.ctx, dev->dma_master, i,
				    &start, &end); i++) {
		if (start < lo)
			lo = start;
		if (end > hi)
			hi = end;
	}
	if (i && hi < d->pub.geometry.aperture_end)
		d->pub.geometry.aperture_end = hi;
	if (i && lo > d->pub.geometry.aperture_start)
		d->pub.geometry.aperture_start = lo;
}

struct iommu_domain *iommu_paging_domain_alloc(struct device *dev)
{
	struct dk_domain *d;

	if (!dk_dev_live(dev) || !dev->iommu) {
		dk_err(-ENODEV, "iommu_paging_domain_alloc: %s is behind no IOMMU",
		       dev_name(dev));
		return NULL;
	}
	if (!dev->machine->pl.ops->iommu_map) {
		dk_err(-ENODEV, "the %s platform has no IOMMU",
		       dev->machine->pl.ops->name);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	d->m = dev->machine;
	d->unit = dev->iommu;
	d->pub.pgsize_bitmap = IOMMU_PAGE;
	d->pub.geometry = (struct iommu_domain_geometry){
		.aperture_end = DMA_BIT_MASK(DK_IOMMU_INPUT_BITS),
		.force_aperture = true,
	};
	set_aperture(d, dev);
	pthread_mutex_init(&d->lock, NULL);
	if (d->m->pl.ops->set_iommu_fault_handler)
		d->m->pl.ops->set_iommu_fault_handler(d->m->pl.ctx, on_fault,
						      d->m);
	return &d->pub;
}

void iommu_domain_free(struct iommu_domain *domain)
{
	struct dk_domain *d = to_dk(domain);

	if (!d)
		return;
	if (d->ndevs) {
		dk_warn("BUG: iommu_domain_free: %d device(s) still attached",
			d->ndevs);
		return;
	}
	pthread_mutex_destroy(&d->lock);
	free(d->map);
	free(d);
}

/* Program (or clear) every mapping of @d into @dev's translation. */
static int program(struct dk_domain *d, struct device *dev, bool on)
{
	size_t i;
	int r = 0;

	for (i = 0; i < d->nmap && !r; i++) {
		const struct range *g = &d->map[i];

		if (on)
			r = ops(d)->iommu_map(d->m->pl.ctx, dev->dma_master,
					      g->iova, g->pa, g->size, g->prot);
		else
			ops(d)->iommu_unmap(d->m->pl.ctx, dev->dma_master,
					    g->iova, g->size);
	}
	return r;
}

int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	struct dk_domain *d = to_dk(domain);
	int r;

	if (!d || !dev)
		return dk_err(-EINVAL, "iommu_attach_device: NULL argument");
	if (!dev->iommu || strcmp(dev->iommu, d->unit))
		return dk_err(-ENODEV, "%s is not behind the domain's IOMMU %s",
			      dev_name(dev), d->unit);
	pthread_mutex_lock(&d->lock);
	if (dev->iommu_domain) {
		pthread_mutex_unlock(&d->lock);
		return dk_err(-EBUSY, "%s is already attached to a domain",
			      dev_name(dev));
	}
	if (d->ndevs == MAX_DEVS) {
		pthread_mutex_unlock(&d->lock);
		return dk_err(-ENOSPC, "domain has %d devices already", MAX_DEVS);
	}
	r = program(d, dev, true);
	if (!r)
		r = ops(d)->iommu_enable(d->m->pl.ctx, dev->dma_master, true);
	if (r) {
		program(d, dev, false);
	} else {
		d->devs[d->ndevs++] = dev;
		dev->iommu_domain = &d->pub;
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	struct dk_domain *d = to_dk(domain);
	int i;

	if (!d || !dev)
		return;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->ndevs; i++)
		if (d->devs[i] == dev)
			break;
	if (i == d->ndevs) {
		pthread_mutex_unlock(&d->lock);
		dk_warn("BUG: iommu_detach_device(%s): not attached",
			dev_name(dev));
		return;
	}
	d->devs[i] = d->devs[--d->ndevs];
	ops(d)->iommu_enable(d->m->pl.ctx, dev->dma_master, false);
	program(d, dev, false);
	dev->iommu_domain = NULL;
	pthread_mutex_unlock(&d->lock);
}

static bool overlaps(const struct range *g, unsigned long iova, size_t size)
{
	return g->iova < iova + size && iova < g->iova + g->size;
}

int iommu_map(struct iommu_domain *domain, unsigned long iova,
	      phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	struct dk_domain *d = to_dk(domain);
	size_t i;
	int k, r = 0;

	(void)gfp;
	if (!d || !size || (iova | paddr | size) % IOMMU_PAGE ||
	    iova + size - 1 < iova || prot & ~(IOMMU_READ | IOMMU_WRITE))
		return dk_err(-EINVAL,
			      "iommu_map(0x%lx -> 0x%llx, 0x%zx): NULL domain, not whole pages, wraps or bad prot",
			      iova, (unsigned long long)paddr, size);
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nmap; i++)
		if (overlaps(&d->map[i], iova, size)) {
			pthread_mutex_unlock(&d->lock);
			return dk_err(-EEXIST,
				      "iommu_map: 0x%lx + 0x%zx overlaps the mapping at 0x%lx",
				      iova, size, d->map[i].iova);
		}
	if (d->nmap == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct range *n = realloc(d->map, cap * sizeof(*n));

		if (!n) {
			pthread_mutex_unlock(&d->lock);
			return dk_err(-ENOMEM, "out of memory");
		}
		d->map = n;
		d->cap = cap;
	}
	for (k = 0; k < d->ndevs && !r; k++)
		r = ops(d)->iommu_map(d->m->pl.ctx, d->devs[k]->dma_master,
				      iova, paddr, size, prot);
	if (r) {
		/* Undo on the devices already programmed. */
		while (k-- > 0)
			ops(d)->iommu_unmap(d->m->pl.ctx, d->devs[k]->dma_master,
					    iova, size);
	} else {
		d->map[d->nmap++] = (struct range){ iova, paddr, size, prot };
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct dk_domain *d = to_dk(domain);
	size_t i, done = 0;
	int k;

	if (!d || !size || iova % IOMMU_PAGE)
		return 0;
	size = (size + IOMMU_PAGE - 1) / IOMMU_PAGE * IOMMU_PAGE;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nmap;) {
		struct range g = d->map[i];
		unsigned long lo, hi;

		if (!overlaps(&g, iova, size)) {
			i++;
			continue;
		}
		lo = g.iova > iova ? g.iova : iova;
		hi = g.iova + g.size < iova + size ? g.iova + g.size : iova + size;
		done += hi - lo;
		for (k = 0; k < d->ndevs; k++)
			ops(d)->iommu_unmap(d->m->pl.ctx, d->devs[k]->dma_master,
					    lo, hi - lo);
		/* What is left of the range before and after the cut. */
		d->map[i] = d->map[--d->nmap];
		if (g.iova < lo)
			d->map[d->nmap++] = (struct range){ g.iova, g.pa,
							    lo - g.iova, g.prot };
		if (hi < g.iova + g.size) {
			if (d->nmap == d->cap) {
				struct range *n = realloc(d->map, 2 * d->cap *
							  sizeof(*n));

				if (n) {
					d->map = n;
					d->cap *= 2;
				}
			}
			if (d->nmap < d->cap)
				d->map[d->nmap++] = (struct range){
					hi, g.pa + (hi - g.iova),
					g.iova + g.size - hi, g.prot };
		}
	}
	pthread_mutex_unlock(&d->lock);
	return done;
}

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct dk_domain *d = to_dk(domain);
	phys_addr_t pa = 0;
	size_t i;

	if (!d)
		return 0;
	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nmap; i++)
		if (iova >= d->map[i].iova &&
		    iova - d->map[i].iova < d->map[i].size)
			pa = d->map[i].pa + (iova - d->map[i].iova);
	pthread_mutex_unlock(&d->lock);
	return pa;
}

void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token)
{
	struct dk_domain *d = to_dk(domain);

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->handler = handler;
	d->token = token;
	pthread_mutex_unlock(&d->lock);
}
