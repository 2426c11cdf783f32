// SPDX-License-Identifier: MIT
/*
 * IOMMU faults at the API: the hardware's report (or an IOMMU driver's
 * report_iommu_fault()) is recorded in the domain of the faulting device
 * and handed to the domain's fault handler, outside every lock so the
 * handler may call the API.
 */
#include <errno.h>

#include "iommu_internal.h"

static int report(struct dk_domain *d, struct device *dev,
		  const struct dk_iommu_fault *f)
{
	iommu_fault_handler_t fn;
	void *token;

	pthread_mutex_lock(&d->lock);
	d->nfaults++;
	d->last = *f;
	fn = d->handler;
	token = d->token;
	pthread_mutex_unlock(&d->lock);
	if (!fn)
		return -ENOSYS;
	return fn(&d->pub, dev, f->iova,
		  f->write ? IOMMU_FAULT_WRITE : IOMMU_FAULT_READ, token);
}

void dk_iommu_on_fault(void *arg, const struct dk_iommu_fault *f)
{
	struct dk_machine *m = arg;
	struct device *dev = dk_machine_find_device(m, f->device);

	if (dev && dev->iommu_domain)
		report(dk_to_domain(dev->iommu_domain), dev, f);
}

int report_iommu_fault(struct iommu_domain *domain, struct device *dev,
		       unsigned long iova, int flags)
{
	struct dk_iommu_fault f;

	if (!domain || !dev)
		return dk_err(-EINVAL, "report_iommu_fault: NULL argument");
	f = (struct dk_iommu_fault){
		.device = dev_name(dev),
		.stream = dev->iommu_stream,
		.iova = iova,
		.write = flags & IOMMU_FAULT_WRITE,
		.reason = DK_IOMMU_FAULT_TRANSLATION,
	};
	return report(dk_to_domain(domain), dev, &f);
}

void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token)
{
	struct dk_domain *d = dk_to_domain(domain);

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->handler = handler;
	d->token = token;
	pthread_mutex_unlock(&d->lock);
}

unsigned long dk_iommu_fault_count(struct iommu_domain *domain)
{
	struct dk_domain *d = dk_to_domain(domain);
	unsigned long n;

	if (!d)
		return 0;
	pthread_mutex_lock(&d->lock);
	n = d->nfaults;
	pthread_mutex_unlock(&d->lock);
	return n;
}

int dk_iommu_last_fault(struct iommu_domain *domain, struct dk_iommu_fault *out)
{
	struct dk_domain *d = dk_to_domain(domain);
	int r = 0;

	if (!d || !out)
		return dk_err(-EINVAL, "dk_iommu_last_fault: NULL argument");
	pthread_mutex_lock(&d->lock);
	if (d->nfaults)
		*out = d->last;
	else
		r = -ENOENT;
	pthread_mutex_unlock(&d->lock);
	return r;
}
