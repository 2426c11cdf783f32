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
#include "dma.h"

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
		dev->dma_ops = &dk_iommu_dma_ops;
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
		dev->dma_ops = NULL;
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

static int iommu_map_sg(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	return dk_map_sg_entries(dev, sgl, nents, dir, attrs, map_phys,
				 iommu_unmap_page);
}

static void iommu_unmap_sg(struct device *dev, struct scatterlist *sgl,
			   int nents, enum dma_data_direction dir,
			   unsigned long attrs)
{
	dk_unmap_sg_entries(dev, sgl, nents, dir, attrs, iommu_unmap_page);
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

/* Any mask: the allocator puts IOVAs below it (and the aperture). */
static int iommu_dma_supported(struct device *dev, u64 mask)
{
	(void)dev;
	return mask >= PAGE_SIZE * (IOVA_FIRST + 1) - 1;
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
	.dma_supported = iommu_dma_supported,
};
