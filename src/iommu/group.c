// SPDX-License-Identifier: MIT
/*
 * IOMMU groups: the devices of a machine the IOMMU cannot tell apart
 * (same IOMMU, same stream ID). They are isolated only together, so they
 * share a domain: a group is attached whole, and a device that shares
 * its group cannot be attached alone (Linux refuses it with -EINVAL).
 * Groups are made on first use and go with the machine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iommu_internal.h"

/* Groups and their domains change under this lock, then the domain's. */
static pthread_mutex_t group_lock = PTHREAD_MUTEX_INITIALIZER;

static bool same_master(const struct device *a, const struct iommu_group *g)
{
	return a->iommu && a->iommu_stream == g->stream &&
	       !strcmp(a->iommu, g->unit);
}

/* group_lock held. A device made by a driver (a child) acts as its tree
 * device's master: it takes that device's group without joining it. */
static struct iommu_group *group_locked(struct device *dev)
{
	struct dk_machine *m = dev->machine;
	struct iommu_group *g;
	int i;

	if (dev->iommu_group)
		return dev->iommu_group;
	for (g = m->iommu_groups; g; g = g->next)
		if (same_master(dev, g))
			return dev->parent ? g : (dev->iommu_group = g);
	g = calloc(1, sizeof(*g));
	if (!g) {
		dk_err(-ENOMEM, "iommu group: out of memory");
		return NULL;
	}
	g->unit = dev->iommu;
	g->stream = dev->iommu_stream;
	g->id = m->iommu_groups ? m->iommu_groups->id + 1 : 0;
	for (i = 0; i < m->ndevs && g->ndevs < DK_IOMMU_MAX_DEVS; i++)
		if (same_master(dk_mdev(m, i), g)) {
			g->devs[g->ndevs++] = dk_mdev(m, i);
			dk_mdev(m, i)->iommu_group = g;
		}
	g->next = m->iommu_groups;
	m->iommu_groups = g;
	return g;
}

struct iommu_group *dk_iommu_group_of(struct device *dev)
{
	struct iommu_group *g;

	if (!dk_dev_live(dev) || !dev->iommu) {
		dk_err(-ENODEV, "%s is behind no IOMMU", dev_name(dev));
		return NULL;
	}
	pthread_mutex_lock(&group_lock);
	g = group_locked(dev);
	pthread_mutex_unlock(&group_lock);
	return g;
}

struct iommu_group *iommu_group_get(struct device *dev)
{
	struct iommu_group *g = dk_iommu_group_of(dev);

	if (g) {
		pthread_mutex_lock(&group_lock);
		g->refs++;
		pthread_mutex_unlock(&group_lock);
	}
	return g;
}

void iommu_group_put(struct iommu_group *group)
{
	if (!group)
		return;
	pthread_mutex_lock(&group_lock);
	if (group->refs > 0)
		group->refs--;
	pthread_mutex_unlock(&group_lock);
}

int iommu_group_id(struct iommu_group *group)
{
	return group ? group->id : -EINVAL;
}

void dk_iommu_groups_fini(struct dk_machine *m)
{
	struct iommu_group *g, *n;

	pthread_mutex_lock(&group_lock);
	for (g = m->iommu_groups; g; g = n) {
		n = g->next;
		free(g);
	}
	m->iommu_groups = NULL;
	pthread_mutex_unlock(&group_lock);
}

/* @d's lock taken: every device of @g moves into @d, or none does. */
static int attach_all(struct dk_domain *d, struct iommu_group *g)
{
	int i, r = 0;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < g->ndevs && !r; i++)
		r = dk_domain_attach_one(d, g->devs[i]);
	if (r)
		for (i -= 2; i >= 0; i--)
			dk_domain_detach_one(d, g->devs[i]);
	pthread_mutex_unlock(&d->lock);
	if (!r)
		g->domain = &d->pub;
	return r;
}

static void detach_all(struct dk_domain *d, struct iommu_group *g)
{
	int i;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < g->ndevs; i++)
		dk_domain_detach_one(d, g->devs[i]);
	pthread_mutex_unlock(&d->lock);
	g->domain = NULL;
}

/*
 * group_lock held. As in Linux, a group in its default domain (the one
 * iommu-dma gave it at boot) may be attached to another; any other
 * domain must be detached first.
 */
static int attach_locked(struct dk_domain *d, struct iommu_group *g,
			 const char *who)
{
	struct iommu_domain *def = g->default_domain;
	int r;

	if (strcmp(g->unit, d->unit))
		return dk_err(-ENODEV, "%s is not behind the domain's IOMMU %s",
			      who, d->unit);
	if (g->domain && (g->domain != def || def == &d->pub))
		return dk_err(-EBUSY, "%s is already attached to a domain", who);
	if (g->domain)
		detach_all(dk_to_domain(def), g);
	r = attach_all(d, g);
	if (r && def)
		attach_all(dk_to_domain(def), g);
	return r;
}

static int attach(struct dk_domain *d, struct iommu_group *g, const char *who)
{
	int r;

	pthread_mutex_lock(&group_lock);
	r = attach_locked(d, g, who);
	pthread_mutex_unlock(&group_lock);
	return r;
}

int dk_iommu_attach_default(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *g = dk_iommu_group_of(dev);
	int r;

	if (!domain || !g)
		return -ENODEV;
	pthread_mutex_lock(&group_lock);
	r = attach_locked(dk_to_domain(domain), g, dev_name(dev));
	if (!r)
		g->default_domain = domain;
	pthread_mutex_unlock(&group_lock);
	return r;
}

void dk_iommu_detach_default(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *g = dk_iommu_group_of(dev);

	if (!domain || !g)
		return;
	pthread_mutex_lock(&group_lock);
	if (g->domain == domain)
		detach_all(dk_to_domain(domain), g);
	if (g->default_domain == domain)
		g->default_domain = NULL;
	pthread_mutex_unlock(&group_lock);
}

int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	struct dk_domain *d = dk_to_domain(domain);
	struct iommu_group *g;

	if (!d || !dev)
		return dk_err(-EINVAL, "iommu_attach_device: NULL argument");
	if (!dev->iommu || strcmp(dev->iommu, d->unit))
		return dk_err(-ENODEV, "%s is not behind the domain's IOMMU %s",
			      dev_name(dev), d->unit);
	g = dk_iommu_group_of(dev);
	if (!g)
		return -ENOMEM;
	if (dev->parent && dev->iommu_domain)
		return dk_err(-EBUSY, "%s is already attached to a domain",
			      dev_name(dev));
	if (!dev->parent && g->ndevs != 1)
		return dk_err(-EINVAL,
			      "%s shares its IOMMU group with %d other device(s): attach the group",
			      dev_name(dev), g->ndevs - 1);
	if (dev->parent) {
		/* A child's stream is its tree device's: only it moves. */
		int r;

		pthread_mutex_lock(&d->lock);
		r = dk_domain_attach_one(d, dev);
		pthread_mutex_unlock(&d->lock);
		return r;
	}
	return attach(d, g, dev_name(dev));
}

int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	struct dk_domain *d = dk_to_domain(domain);

	if (!d || !group)
		return dk_err(-EINVAL, "iommu_attach_group: NULL argument");
	return attach(d, group, "the group");
}

/* Back to the default domain, if the group has one and left another. */
static void detach(struct dk_domain *d, struct iommu_group *g,
		   const char *fn, const char *who)
{
	struct iommu_domain *def;

	pthread_mutex_lock(&group_lock);
	if (g->domain != &d->pub) {
		pthread_mutex_unlock(&group_lock);
		dk_warn("BUG: %s(%s): not attached", fn, who);
		return;
	}
	detach_all(d, g);
	def = g->default_domain;
	if (def == &d->pub)
		g->default_domain = NULL;
	else if (def)
		attach_all(dk_to_domain(def), g);
	pthread_mutex_unlock(&group_lock);
}

void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	struct dk_domain *d = dk_to_domain(domain);
	struct iommu_group *g;

	if (!d || !dev)
		return;
	if (dev->parent) {
		pthread_mutex_lock(&d->lock);
		if (dev->iommu_domain == domain)
			dk_domain_detach_one(d, dev);
		else
			dk_warn("BUG: iommu_detach_device(%s): not attached",
				dev_name(dev));
		pthread_mutex_unlock(&d->lock);
		return;
	}
	g = dk_iommu_group_of(dev);
	if (!g)
		return;
	if (g->ndevs != 1) {
		dk_warn("BUG: iommu_detach_device(%s): it shares its IOMMU group; detach the group",
			dev_name(dev));
		return;
	}
	detach(d, g, "iommu_detach_device", dev_name(dev));
}

void iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	struct dk_domain *d = dk_to_domain(domain);

	if (d && group)
		detach(d, group, "iommu_detach_group", "group");
}
