// SPDX-License-Identifier: MIT
/*
 * iommu-dma: the DMA API for devices translated by an IOMMU. At boot (with
 * dk_machine_opts.iommu_dma) every device behind an IOMMU gets a default
 * domain; a mapping takes IOVA pages below the device's mask, top-down
 * from 4 GiB as Linux prefers, and maps them to the buffer's pages with
 * the permissions of the direction. No bouncing: the IOMMU reaches all
 * RAM. Cache maintenance is unchanged.
 */
#include <errno.h>
#include <stdlib.h>

#include <dmakit/iommu.h>

#include "../kernel/kernel.h"

#define IOVA_PAGES (1UL << 20)		/* 4 GiB of IOVA space */
#define IOVA_FIRST 256			/* keep the first MiB unmapped */

struct dk_iova_space {
	pthread_mutex_t lock;
	unsigned long *used;
};

int dk_iommu_dma_init(struct dk_machine *m)
{
	int i;

	if (!m->opts.iommu_dma)
		return 0;
	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = &m->devs[i];
		struct iommu_domain *d;
		struct dk_iova_space *s;

		if (!dev->iommu)
			continue;
		d = iommu_paging_domain_alloc(dev);
		s = calloc(1, sizeof(*s));
		if (s)
			s->used = calloc(DK_BITMAP_LONGS(IOVA_PAGES), sizeof(long));
		if (!d || !s || !s->used || iommu_attach_device(d, dev)) {
			if (s)
				free(s->used);
			free(s);
			iommu_domain_free(d);
			return dk_err(-ENOMEM, "%s: no default IOMMU domain: %s",
				      dev_name(dev), dk_last_error());
		}
		pthread_mutex_init(&s->lock, NULL);
		dk_bits_set(s->used, 0, IOVA_FIRST, true);
		dev->iova = s;
	}
	return 0;
}

void dk_iommu_dma_fini(struct dk_machine *m)
{
	int i;

	for (i = 0; i < m->ndevs; i++) {
		struct device *dev = &m->devs[i];
		struct iommu_domain *d = dev->iommu_domain;

		if (!dev->iova)
			continue;
		iommu_detach_device(d, dev);
		iommu_domain_free(d);
		pthread_mutex_destroy(&dev->iova->lock);
		free(dev->iova->used);
		free(dev->iova);
		dev->iova = NULL;
	}
}

/* Top-down first fit below @limit: the highest free run. */
static bool alloc_iova(struct dk_iova_space *s, unsigned long n, u64 limit,
		       unsigned long *first)
{
	unsigned long top = IOVA_PAGES, i;

	if (limit / PAGE_SIZE + 1 < top)
		top = limit / PAGE_SIZE + 1;
	if (n > top)
		return false;
	pthread_mutex_lock(&s->lock);
	for (i = top - n + 1; i-- > IOVA_FIRST;)
		if (dk_bits_all(s->used, i, n, false)) {
			dk_bits_set(s->used, i, n, true);
			*first = i;
			pthread_mutex_unlock(&s->lock);
			return true;
		}
	pthread_mutex_unlock(&s->lock);
	return false;
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
	u64 off = pa % PAGE_SIZE, limit;
	unsigned long n = (off + size + PAGE_SIZE - 1) / PAGE_SIZE, first;
	int r;

	limit = coherent_mask ? dev->coherent_dma_mask : *dev->dma_mask;
	if (!alloc_iova(dev->iova, n, limit, &first)) {
		*err = dk_err(-ENOMEM, "%s: no %lu free IOVA pages below 0x%llx",
			      dev_name(dev), n, (unsigned long long)limit);
		return DMA_MAPPING_ERROR;
	}
	r = iommu_map(dev->iommu_domain, first * PAGE_SIZE, pa - off,
		      n * PAGE_SIZE, prot_of(dir), GFP_KERNEL);
	if (r) {
		pthread_mutex_lock(&dev->iova->lock);
		dk_bits_set(dev->iova->used, first, n, false);
		pthread_mutex_unlock(&dev->iova->lock);
		*err = r;
		return DMA_MAPPING_ERROR;
	}
	return first * PAGE_SIZE + off;
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

void dk_iommu_dma_unmap(struct device *dev, dma_addr_t iova, size_t size)
{
	u64 off = iova % PAGE_SIZE;
	unsigned long n = (off + size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned long first = iova / PAGE_SIZE;

	if (first + n > IOVA_PAGES ||
	    iommu_unmap(dev->iommu_domain, first * PAGE_SIZE,
			n * PAGE_SIZE) != n * PAGE_SIZE) {
		dev_err(dev, "unmap of IOVA 0x%llx + 0x%zx: not mapped",
			(unsigned long long)iova, size);
		return;
	}
	pthread_mutex_lock(&dev->iova->lock);
	dk_bits_set(dev->iova->used, first, n, false);
	pthread_mutex_unlock(&dev->iova->lock);
}
