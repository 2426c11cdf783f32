// SPDX-License-Identifier: MIT
/*
 * Booting a machine on a platform: RAM and zones, the devices the firmware
 * describes with their DMA configuration (what Linux's of_dma_configure()
 * does), per-device coherent pools, CMA and swiotlb.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../mm/mm.h"
#include "../io/io.h"
#include "../core/objreg.h"
#include "../debug/debug.h"
#include "../dma_direct/direct.h"
#include "../iommu/iommu_dma.h"
#include "machine.h"

static void teardown(struct dk_machine *m);

/* Highest bus address the dma-ranges let the device emit (0 = no limit). */
static u64 bus_limit(const struct dk_platform_dev *pd)
{
	u64 lim = 0;
	int i;

	for (i = 0; i < pd->n_dma_ranges; i++) {
		u64 end = pd->dma_ranges[i].bus + pd->dma_ranges[i].size - 1;

		if (end > lim)
			lim = end;
	}
	return lim;
}

static int rmem_pool(struct dk_machine *m, struct device *dev, int idx)
{
	struct dk_rmem rm;
	int r = m->pl.ops->rmem(m->pl.ctx, idx, &rm);

	if (r)
		return dk_err(-EINVAL, "%s: memory-region %d unknown",
			      dev->init_name, idx);
	if (rm.no_map) {
		dev->dma_mem = &m->rmem_pools[idx];
		return 0;
	}
	if (rm.reusable) {
		int i;

		for (i = 0; i < m->ncma; i++)
			if (m->cma[i].base == rm.base)
				dev->cma_area = &m->cma[i];
		return 0;
	}
	/* A plain reservation: nothing for the DMA API to use. */
	return 0;
}

/* The defaults Linux gives a device no firmware node describes. */
void dk_bare_dma_defaults(struct device *dev)
{
	dev->_dma_mask = DMA_BIT_MASK(32);
	dev->dma_mask = &dev->_dma_mask;
	dev->coherent_dma_mask = DMA_BIT_MASK(32);
	dev->_dma_parms.max_segment_size = 65536;
	dev->_dma_parms.segment_boundary_mask = ~0UL;
	dev->dma_parms = &dev->_dma_parms;
}

static int setup_device(struct dk_machine *m, struct device *dev,
			const struct dk_platform_dev *pd)
{
	dev->init_name = strdup(pd->name);
	dev->compatible = dk_compat_dup(pd->compatible, true);
	if (!dev->init_name || !dev->compatible)
		return dk_err(-ENOMEM, "out of memory");
	dev->dma_master = dev->init_name;
	dev->iommu = pd->iommu;
	dev->dk_n_dmas = pd->n_dmas;
	dev->dk_dmas = pd->dmas;
	dev->iommu_stream = pd->iommu_stream;
	dev->untrusted = pd->untrusted;
	dev->machine = m;
	dev->irq = pd->irq;
	dev->reg = pd->reg;
	dev->reg_size = pd->reg_size;
	/* Linux's default for platform devices: 32-bit masks. */
	dk_bare_dma_defaults(dev);
	dev->dma_coherent = pd->coherent;
	dev->n_dma_ranges = pd->n_dma_ranges;
	dev->dma_range_map = pd->dma_ranges;
	dev->bus_dma_limit = bus_limit(pd);
	dk_dma_plain_update(dev);
	if (pd->memory_region >= 0)
		return rmem_pool(m, dev, pd->memory_region);
	return 0;
}

/* As Linux gives a device of the tree: its registers, then its line. */
static int setup_resources(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct resource *r = calloc(2, sizeof(*r));

	if (!r)
		return dk_err(-ENOMEM, "out of memory");
	pdev->name = dev->init_name;
	pdev->id = PLATFORM_DEVID_NONE;
	pdev->resource = r;
	if (dev->reg_size)
		r[pdev->num_resources++] = (struct resource){
			dev->reg, dev->reg + dev->reg_size - 1, dev->init_name,
			IORESOURCE_MEM };
	if (dev->irq >= 0)
		r[pdev->num_resources++] = (struct resource){
			(resource_size_t)dev->irq, (resource_size_t)dev->irq,
			dev->init_name, IORESOURCE_IRQ };
	return 0;
}

static int setup_rmem_pools(struct dk_machine *m)
{
	struct dk_rmem rm;
	int n = 0, i;

	while (!m->pl.ops->rmem(m->pl.ctx, n, &rm))
		n++;
	m->rmem_pools = calloc(n ? n : 1, sizeof(*m->rmem_pools));
	if (!m->rmem_pools)
		return dk_err(-ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct dma_coherent_mem *p = &m->rmem_pools[i];

		m->pl.ops->rmem(m->pl.ctx, i, &rm);
		if (!rm.no_map || !rm.shared_dma_pool)
			continue;
		p->phys = rm.base;
		p->size = rm.size;
		/* A memory-region pool serves its devices only, like Linux's
		 * rmem_dma_device_init(). */
		p->exclusive = true;
		p->bitmap = calloc(DK_BITMAP_LONGS(rm.size / PAGE_SIZE),
				   sizeof(long));
		if (!p->bitmap)
			return dk_err(-ENOMEM, "out of memory");
	}
	return 0;
}

static int setup_devices(struct dk_machine *m)
{
	struct dk_platform_dev pd;
	int n = 0, i, r;

	if (!m->pl.ops->device)
		return 0;
	while (!m->pl.ops->device(m->pl.ctx, n, &pd))
		n++;
	m->pdevs = calloc(n ? n : 1, sizeof(*m->pdevs));
	if (!m->pdevs)
		return dk_err(-ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		m->pl.ops->device(m->pl.ctx, i, &pd);
		m->ndevs++;
		r = setup_device(m, dk_mdev(m, i), &pd);
		if (!r)
			r = setup_resources(&m->pdevs[i]);
		if (!r)
			r = dk_obj_add(dk_mdev(m, i), DK_OBJ_DEVICE, m);
		if (r)
			return r;
	}
	return 0;
}

int dk_machine_boot(const struct dk_platform *pl,
		    const struct dk_machine_opts *opts,
		    struct dk_machine **out)
{
	struct dk_machine *m;
	int r;

	if (!out)
		return dk_err(-EINVAL, "dk_machine_boot: NULL result pointer");
	*out = NULL;
	if (!pl || !pl->ops)
		return dk_err(-EINVAL, "dk_machine_boot: NULL platform");
	if (pl->ops->live && !pl->ops->live(pl->ctx))
		return dk_err(-EINVAL,
			      "dk_machine_boot: the %s platform %p is gone (its SoC was freed?)",
			      pl->ops->name, pl->ctx);
	/* Two kernels on one SoC would hand out the same pages twice. */
	m = pl->ctx ? (struct dk_machine *)dk_obj_find(DK_OBJ_MACHINE, pl->ctx) :
		      NULL;
	if (m)
		return dk_err(-EBUSY,
			      "dk_machine_boot: the platform already runs machine %p; shut it down first",
			      (void *)m);
	m = calloc(1, sizeof(*m));
	if (!m)
		return dk_err(-ENOMEM, "out of memory");
	pthread_mutex_init(&m->lock, NULL);
	m->pl = *pl;
	if (opts)
		m->opts = *opts;
	m->line = pl->ops->cache_line_size(pl->ctx);
	m->minalign = pl->ops->dma_minalign(pl->ctx);
	m->maint = m->opts.maint ? m->opts.maint :
		   pl->ops->dma_maint ? pl->ops->dma_maint(pl->ctx) :
					DK_MAINT_ARM64;
	m->kmalloc_align = m->opts.kmalloc_minalign ? m->opts.kmalloc_minalign :
						      m->minalign;
	m->cma_default = -1;
	r = 0;
	if (m->maint != DK_MAINT_ARM64 && m->maint != DK_MAINT_ARM32)
		r = dk_err(-EINVAL, "dk_machine_boot: maint %d is not DK_MAINT_PLATFORM, DK_MAINT_ARM64 or DK_MAINT_ARM32",
			   (int)m->maint);
	if (!r && (m->kmalloc_align < 8 || m->kmalloc_align > PAGE_SIZE ||
	    m->kmalloc_align & (m->kmalloc_align - 1)))
		r = dk_err(-EINVAL,
			   "dk_machine_boot: kmalloc_minalign %u is not a power of two in 8..%lu",
			   m->kmalloc_align, PAGE_SIZE);
	if (!r)
		r = dk_mm_init(m);
	if (!r && (m->opts.cma_size < -1 ||
		   (m->opts.cma_size > 0 && m->opts.cma_size % PAGE_SIZE)))
		r = dk_err(-EINVAL,
			   "dk_machine_boot: cma_size %lld is not -1, 0 or whole pages",
			   m->opts.cma_size);
	if (!r)
		r = dk_cma_init(m);
	if (!r && m->opts.cma_size > 0) {
		dk_cma_reserve(m, m->zone_dma32_limit + 1);
		if (m->cma_default < 0)
			r = dk_err(-ENOMEM, "dk_machine_boot: no room for a %lld-byte CMA area below 4 GiB",
				   m->opts.cma_size);
	}
	if (!r)
		r = setup_rmem_pools(m);
	if (!r)
		r = setup_devices(m);
	if (!r)
		r = dk_of_init(m);
	if (!r)
		r = dk_swiotlb_init(m);
	if (!r)
		r = dk_iommu_dma_init(m);
	if (!r)
		r = dk_obj_add(m, DK_OBJ_MACHINE, pl->ctx);
	if (r) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", dk_last_error());
		teardown(m);
		return dk_err(r, "%s", msg);
	}
	dk_dbg_machine_up(m);
	dk_machine_publish(m);
	*out = m;
	dk_drivers_builtin_bind(m);
	return 0;
}

void dk_machine_shutdown(struct dk_machine *m)
{
	if (!m)
		return;
	if (!dk_obj_del(m, DK_OBJ_MACHINE)) {
		dk_err_log(-EINVAL,
			   "dk_machine_shutdown: machine %p is not live (shut down twice?)",
			   (void *)m);
		return;
	}
	teardown(m);
}

int dk_machine_kexec(struct dk_machine *m, const struct dk_machine_opts *opts,
		     struct dk_machine **out)
{
	struct dk_platform pl;

	if (!out)
		return dk_err(-EINVAL, "dk_machine_kexec: NULL result pointer");
	*out = NULL;
	if (!dk_obj_check(m, DK_OBJ_MACHINE, "machine", "dk_machine_kexec"))
		return -EINVAL;
	pl = m->pl;
	dk_devices_shutdown(m);
	dk_obj_del(m, DK_OBJ_MACHINE);
	m->kexec = true;
	teardown(m);
	return dk_machine_boot(&pl, opts, out);
}

static void teardown(struct dk_machine *m)
{
	int i;

	while (m->children)
		device_unregister(m->children);
	/* Their owners still hold them: only off the machine. */
	while (m->bare)
		dk_device_del(m->bare);
	dk_drivers_fini(m);
	/* Resources a driver-less device took (devm_* on a bare or
	 * never-bound device) go with the machine, as device_del() lets
	 * them go in Linux; a kexec'd kernel's only drop their records. */
	for (i = 0; i < m->ndevs; i++) {
		if (m->kexec)
			dk_devres_forget_all(dk_mdev(m, i));
		else
			dk_devres_release_all(dk_mdev(m, i));
	}
	dk_irq_fini(m);
	/* IOMMU fault reports name this machine: not after it is gone. */
	if (m->pl.ops->set_iommu_fault_handler)
		m->pl.ops->set_iommu_fault_handler(m->pl.ctx, NULL, NULL);
	dk_coherent_fini(m);
	dk_iommu_dma_fini(m);
	dk_iommu_groups_fini(m);
	dk_io_fini(m);
	dk_uaccess_fini(m);
	dk_dbg_machine_down(m);
	for (i = 0; i < m->ndevs; i++) {
		dk_obj_del(dk_mdev(m, i), DK_OBJ_DEVICE);
		free((char *)dk_mdev(m, i)->init_name);
		free((char *)dk_mdev(m, i)->compatible);
		free(m->pdevs[i].resource);
	}
	dk_of_fini(m);
	dk_obj_free_later(m->pdevs);
	dk_vmalloc_fini(m);
	dk_kmem_fini(m);
	dk_swiotlb_fini(m);
	dk_cma_fini(m);
	if (m->rmem_pools) {
		struct dk_rmem rm;

		for (i = 0; !m->pl.ops->rmem(m->pl.ctx, i, &rm); i++)
			free(m->rmem_pools[i].bitmap);
		free(m->rmem_pools);
	}
	if (m->kexec)
		dk_mm_release_all(m);
	dk_mm_fini(m);
	dk_machine_unpublish(m);
	pthread_mutex_destroy(&m->lock);
	dk_obj_free_later(m);
}

