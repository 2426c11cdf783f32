// SPDX-License-Identifier: MIT
/*
 * The simulated IOMMU's contexts and page tables. A table is an open
 * hash of 4 KiB pages (IOVA page -> physical page and permissions); one
 * context per (unit, stream ID), found by the unit's node path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/sim_iommu.h>

#include "soc_internal.h"

#define EMPTY (~0ULL)

struct pte {
	u64 iova_pfn;		/* EMPTY when free */
	u64 pfn;
	int prot;
};

struct dk_iommu_ctx {
	struct dk_iommu_ctx *next;
	char *unit;
	u32 stream;
	bool enabled;
	struct pte *tab;
	size_t cap, n;		/* cap a power of two; n live entries */
};

static size_t slot(const struct dk_iommu_ctx *c, u64 pfn)
{
	return (pfn * 0x9e3779b97f4a7c15ULL) >> 17 & (c->cap - 1);
}

static struct pte *lookup(const struct dk_iommu_ctx *c, u64 pfn)
{
	size_t i;

	if (!c->cap)
		return NULL;
	for (i = slot(c, pfn);; i = (i + 1) & (c->cap - 1)) {
		if (c->tab[i].iova_pfn == pfn)
			return &c->tab[i];
		if (c->tab[i].iova_pfn == EMPTY)
			return NULL;
	}
}

static int insert(struct dk_iommu_ctx *c, u64 pfn, u64 to, int prot);

static int grow(struct dk_iommu_ctx *c)
{
	struct pte *old = c->tab;
	size_t oldcap = c->cap, i;

	c->cap = oldcap ? oldcap * 2 : 64;
	c->tab = malloc(c->cap * sizeof(*c->tab));
	if (!c->tab) {
		c->tab = old;
		c->cap = oldcap;
		return -ENOMEM;
	}
	for (i = 0; i < c->cap; i++)
		c->tab[i].iova_pfn = EMPTY;
	c->n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].iova_pfn != EMPTY)
			insert(c, old[i].iova_pfn, old[i].pfn, old[i].prot);
	free(old);
	return 0;
}

static int insert(struct dk_iommu_ctx *c, u64 pfn, u64 to, int prot)
{
	size_t i;

	if ((c->n + 1) * 2 > c->cap && grow(c))
		return -ENOMEM;
	for (i = slot(c, pfn); c->tab[i].iova_pfn != EMPTY;
	     i = (i + 1) & (c->cap - 1))
		;
	c->tab[i] = (struct pte){ pfn, to, prot };
	c->n++;
	return 0;
}

/* Remove @p and re-seat the run after it (linear probing). */
static void erase(struct dk_iommu_ctx *c, struct pte *p)
{
	size_t i = p - c->tab, j;

	c->tab[i].iova_pfn = EMPTY;
	c->n--;
	for (j = (i + 1) & (c->cap - 1); c->tab[j].iova_pfn != EMPTY;
	     j = (j + 1) & (c->cap - 1)) {
		struct pte e = c->tab[j];

		c->tab[j].iova_pfn = EMPTY;
		c->n--;
		insert(c, e.iova_pfn, e.pfn, e.prot);
	}
}

struct dk_iommu_ctx *dk_iommu_ctx_of(struct dk_soc *soc,
				     const struct dk_devdesc *d)
{
	u32 stream = d->n_iommu_args ? d->iommu_args[0] : 0;
	struct dk_iommu_ctx *c;

	if (!d->iommu)
		return NULL;
	for (c = soc->iommu_ctxs; c; c = c->next)
		if (c->stream == stream && !strcmp(c->unit, d->iommu))
			return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->unit = strdup(d->iommu);
	if (!c->unit) {
		free(c);
		return NULL;
	}
	c->stream = stream;
	c->next = soc->iommu_ctxs;
	soc->iommu_ctxs = c;
	return c;
}

struct dk_iommu_ctx *dk_iommu_active(struct dk_soc *soc,
				     const struct dk_devdesc *d)
{
	struct dk_iommu_ctx *c;
	u32 stream = d->n_iommu_args ? d->iommu_args[0] : 0;

	/* Look only: a stream nobody configured bypasses. */
	for (c = d->iommu ? soc->iommu_ctxs : NULL; c; c = c->next)
		if (c->enabled && c->stream == stream && !strcmp(c->unit, d->iommu))
			return c;
	return NULL;
}

int dk_iommu_translate(struct dk_iommu_ctx *c, u64 bus, bool write,
		       phys_addr_t *pa, u64 *room)
{
	const struct pte *p = lookup(c, bus / DK_IOMMU_PAGE);

	if (!p)
		return 1 + DK_FAULT_IOMMU_UNMAPPED;
	if (!(p->prot & (write ? DK_IOMMU_WRITE : DK_IOMMU_READ)))
		return 1 + DK_FAULT_IOMMU_PERMISSION;
	*pa = p->pfn * DK_IOMMU_PAGE + bus % DK_IOMMU_PAGE;
	*room = DK_IOMMU_PAGE - bus % DK_IOMMU_PAGE;
	return 0;
}

void dk_iommu_fini(struct dk_soc *soc)
{
	struct dk_iommu_ctx *c, *n;

	for (c = soc->iommu_ctxs; c; c = n) {
		n = c->next;
		free(c->unit);
		free(c->tab);
		free(c);
	}
	soc->iommu_ctxs = NULL;
}

/* The context of @dev with the lock taken, or NULL (error set). */
static struct dk_iommu_ctx *get(struct dk_simdev *dev)
{
	struct dk_iommu_ctx *c;

	if (!dev) {
		dk_err(-EINVAL, "IOMMU: NULL device");
		return NULL;
	}
	if (!dk_simdev_ok(dev, "IOMMU"))
		return NULL;
	if (!dev->d.iommu) {
		dk_err(-ENODEV, "%s has no \"iommus\"", dev->d.name);
		return NULL;
	}
	pthread_mutex_lock(&dev->soc->lock);
	c = dk_iommu_ctx_of(dev->soc, &dev->d);
	if (!c) {
		pthread_mutex_unlock(&dev->soc->lock);
		dk_err(-ENOMEM, "IOMMU: out of memory");
	}
	return c;
}

int dk_sim_iommu_enable(struct dk_simdev *dev, bool on)
{
	struct dk_iommu_ctx *c = get(dev);

	if (!c)
		return !dk_obj_live(dev, DK_OBJ_SIMDEV) ? -EINVAL :
		       dev->d.iommu ? -ENOMEM : -ENODEV;
	c->enabled = on;
	pthread_mutex_unlock(&dev->soc->lock);
	return 0;
}

int dk_sim_iommu_map(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
		     u64 size, int prot)
{
	struct dk_iommu_ctx *c;
	u64 i, n = size / DK_IOMMU_PAGE;
	int r = 0;

	/* One call maps at most 64 GiB: a bigger one would only spin. */
	if ((iova | pa | size) % DK_IOMMU_PAGE || !size || n > (1ULL << 24) ||
	    iova + size - 1 < iova || pa + size - 1 < pa ||
	    prot & ~(DK_IOMMU_READ | DK_IOMMU_WRITE))
		return dk_err(-EINVAL,
			      "IOMMU map of 0x%llx -> 0x%llx + 0x%llx: not whole pages, wraps, or bad permissions",
			      (unsigned long long)iova, (unsigned long long)pa,
			      (unsigned long long)size);
	c = get(dev);
	if (!c)
		return !dk_obj_live(dev, DK_OBJ_SIMDEV) ? -EINVAL :
		       dev->d.iommu ? -ENOMEM : -ENODEV;
	for (i = 0; i < n; i++)
		if (lookup(c, iova / DK_IOMMU_PAGE + i)) {
			r = dk_err(-EEXIST, "%s: IOVA 0x%llx is already mapped",
				   dev->d.name,
				   (unsigned long long)(iova + i * DK_IOMMU_PAGE));
			break;
		}
	for (i = 0; !r && i < n; i++) {
		r = insert(c, iova / DK_IOMMU_PAGE + i, pa / DK_IOMMU_PAGE + i,
			   prot);
		if (r) {
			/* Leave nothing half done. */
			while (i--)
				erase(c, lookup(c, iova / DK_IOMMU_PAGE + i));
			r = dk_err(-ENOMEM, "IOMMU: out of memory");
		}
	}
	pthread_mutex_unlock(&dev->soc->lock);
	return r;
}

u64 dk_sim_iommu_unmap(struct dk_simdev *dev, u64 iova, u64 size)
{
	struct dk_iommu_ctx *c;
	u64 i, done = 0;

	if (!dk_simdev_ok(dev, "dk_sim_iommu_unmap") || !dev->d.iommu ||
	    iova % DK_IOMMU_PAGE)
		return 0;
	c = get(dev);
	if (!c)
		return 0;
	/* Past the table's size, look at the entries, not every page of
	 * the range: a range of 2^60 bytes would take years. */
	if (size / DK_IOMMU_PAGE > c->cap) {
		u64 before;

		do {	/* erase() moves entries: scan until none is left */
			before = done;
			for (i = 0; i < c->cap; i++) {
				u64 pfn = c->tab[i].iova_pfn;

				if (pfn == EMPTY || pfn < iova / DK_IOMMU_PAGE ||
				    pfn - iova / DK_IOMMU_PAGE >=
					    size / DK_IOMMU_PAGE)
					continue;
				erase(c, &c->tab[i]);
				done += DK_IOMMU_PAGE;
			}
		} while (done != before);
		pthread_mutex_unlock(&dev->soc->lock);
		return done;
	}
	for (i = 0; i < (size + DK_IOMMU_PAGE - 1) / DK_IOMMU_PAGE; i++) {
		struct pte *p = lookup(c, iova / DK_IOMMU_PAGE + i);

		if (p) {
			erase(c, p);
			done += DK_IOMMU_PAGE;
		}
	}
	pthread_mutex_unlock(&dev->soc->lock);
	return done;
}

int dk_sim_iommu_iova_to_phys(struct dk_simdev *dev, u64 iova,
			      phys_addr_t *pa)
{
	struct dk_iommu_ctx *c = get(dev);
	const struct pte *p;
	int r = 0;

	if (!c)
		return !dk_obj_live(dev, DK_OBJ_SIMDEV) ? -EINVAL :
		       dev->d.iommu ? -ENOMEM : -ENODEV;
	p = lookup(c, iova / DK_IOMMU_PAGE);
	if (p && pa)
		*pa = p->pfn * DK_IOMMU_PAGE + iova % DK_IOMMU_PAGE;
	else
		r = -ENOENT;
	pthread_mutex_unlock(&dev->soc->lock);
	return r;
}
