// SPDX-License-Identifier: MIT
/* The platform ops of the simulated SoC: the DMA layers' view of it. */
#include <errno.h>
#include <string.h>

#include <dmakit/sim_iommu.h>

#include "soc_internal.h"

static int ram_range(void *ctx, int i, phys_addr_t *base, u64 *size)
{
	struct dk_soc *soc = ctx;
	int j;

	/* The i-th bank of RAM: on-chip SRAM is none of the kernel's. */
	for (j = 0; i >= 0 && j < soc->nbanks; j++)
		if (!soc->banks[j].sram && !i--) {
			*base = soc->banks[j].b.base;
			*size = soc->banks[j].b.size;
			return 0;
		}
	return -ENOENT;
}

static void *phys_to_virt(void *ctx, phys_addr_t pa)
{
	/* The CPU's pointers: secure memory closed to the normal world. */
	return dk_soc_ok(ctx, "phys_to_virt") ? dk_sim_linear_ptr(ctx, pa) :
						NULL;
}

static int virt_to_phys(void *ctx, const void *va, phys_addr_t *pa)
{
	return dk_sim_virt_to_phys(ctx, va, pa);
}

static u32 line_size(void *ctx)
{
	return ((struct dk_soc *)ctx)->cache.line;
}

static u32 granule(void *ctx)
{
	return ((struct dk_soc *)ctx)->cache.granule;
}

static u32 minalign(void *ctx)
{
	return ((struct dk_soc *)ctx)->cache.dma_minalign;
}

static enum dk_dma_maint maint(void *ctx)
{
	return ((struct dk_soc *)ctx)->cache.maint;
}

static int clean(void *ctx, phys_addr_t pa, size_t size)
{
	return dk_sim_cache_clean(ctx, pa, size);
}

static int inval(void *ctx, phys_addr_t pa, size_t size)
{
	return dk_sim_cache_inval(ctx, pa, size);
}

static int clean_inval(void *ctx, phys_addr_t pa, size_t size)
{
	return dk_sim_cache_clean_inval(ctx, pa, size);
}

static int mem_store(void *ctx, phys_addr_t pa, const void *src,
		     size_t size)
{
	return dk_sim_store(ctx, pa, src, size);
}

static void *map_alias(void *ctx, phys_addr_t pa, size_t size,
		       enum dk_alias_type type)
{
	return dk_sim_map_alias(ctx, pa, size, type);
}

static int unmap_alias(void *ctx, void *va)
{
	return dk_sim_unmap_alias(ctx, va);
}

static int export_fd(void *ctx, phys_addr_t pa, enum dk_alias_type type,
		     int *fd, u64 *off)
{
	return dk_sim_export_fd(ctx, pa, type, fd, off);
}

static void *vmap(void *ctx, const phys_addr_t *pages, size_t n,
		  enum dk_alias_type type)
{
	return dk_sim_vmap(ctx, pages, n, type);
}

static int vmap_remap(void *ctx, void *va, phys_addr_t pa)
{
	return dk_sim_vmap_remap(ctx, va, pa);
}

static int device(void *ctx, int i, struct dk_platform_dev *out)
{
	struct dk_soc *soc = ctx;
	const struct dk_devdesc *d;

	if (i < 0 || i >= soc->ndevs)
		return -ENOENT;
	d = &soc->devs[i].d;
	out->name = d->name;
	out->compatible = d->compatibles;
	out->irq = d->irq;
	out->reg = d->reg;
	out->reg_size = d->reg_size;
	out->coherent = d->coherent;
	out->n_dma_ranges = d->n_dma_ranges;
	out->dma_ranges = d->dma_ranges;
	out->iommu = d->iommu;
	out->iommu_stream = d->n_iommu_args ? d->iommu_args[0] : 0;
	out->memory_region = d->memory_region;
	out->n_dmas = d->n_dmas;
	out->dmas = d->dmas;
	out->untrusted = d->untrusted;
	return 0;
}

static int rmem(void *ctx, int i, struct dk_rmem *out)
{
	struct dk_soc *soc = ctx;

	if (i < 0 || i >= soc->nrmem)
		return -ENOENT;
	*out = soc->rmem[i];
	return 0;
}

struct dk_simdev *dk_soc_mmio_dev(struct dk_soc *soc, phys_addr_t pa)
{
	int i;

	for (i = 0; i < soc->ndevs; i++) {
		const struct dk_devdesc *d = &soc->devs[i].d;

		if (d->reg_size && pa >= d->reg && pa - d->reg < d->reg_size)
			return &soc->devs[i];
	}
	return NULL;
}

/* On-chip SRAM behind an ioremap() window: uncached memory accesses. */
static u8 *sram_word(struct dk_soc *soc, phys_addr_t pa)
{
	int i = dk_ram_find(soc, pa, 4);

	return i >= 0 && soc->banks[i].sram ? dk_sim_dram_ptr(soc, pa) : NULL;
}

static u32 mmio_read32(void *ctx, phys_addr_t pa)
{
	struct dk_simdev *d = dk_soc_mmio_dev(ctx, pa);
	u8 *w = d ? NULL : sram_word(ctx, pa);
	u32 v;

	if (w) {
		memcpy(&v, w, 4);
		return v;
	}
	if (!d) {
		dk_err(-EFAULT, "MMIO read at 0x%llx: no device registers there",
		       (unsigned long long)pa);
		return ~0u;	/* what a bus returns for nothing */
	}
	return dk_dev_mmio_read32(d, pa - d->d.reg);
}

static int mmio_write32(void *ctx, phys_addr_t pa, u32 val)
{
	struct dk_simdev *d = dk_soc_mmio_dev(ctx, pa);
	u8 *w = d ? NULL : sram_word(ctx, pa);

	if (w) {
		memcpy(w, &val, 4);
		return 0;
	}
	if (!d)
		return dk_err(-EFAULT,
			      "MMIO write at 0x%llx: no device registers there",
			      (unsigned long long)pa);
	return dk_dev_mmio_write32(d, pa - d->d.reg, val);
}

static bool line_dirty(void *ctx, phys_addr_t pa)
{
	return dk_sim_line_dirty(ctx, pa);
}

static int line_states(void *ctx, phys_addr_t pa, size_t nlines, u8 *out)
{
	return dk_sim_line_states(ctx, pa, nlines, out);
}

static u64 clock_now(void *ctx)
{
	struct dk_soc *soc = ctx;
	u64 now;

	/* The event loop's thread moves it meanwhile in threaded mode. */
	pthread_mutex_lock(&soc->lock);
	now = soc->now;
	pthread_mutex_unlock(&soc->lock);
	return now;
}

static int fault(void *ctx, size_t i, struct dk_fault *out)
{
	struct dk_soc *soc = ctx;
	int r = -ENOENT;

	pthread_mutex_lock(&soc->lock);
	if (i < soc->nfaults) {
		*out = soc->faults[i];
		r = 0;
	}
	pthread_mutex_unlock(&soc->lock);
	return r;
}

static int first_dirty(void *ctx, phys_addr_t pa, size_t size,
		       phys_addr_t *line)
{
	return dk_sim_first_dirty(ctx, pa, size, line);
}

static void set_observer(void *ctx, dk_dma_observer_fn fn, void *arg)
{
	struct dk_soc *soc = ctx;

	pthread_mutex_lock(&soc->lock);
	soc->observer = fn;
	soc->observer_arg = arg;
	pthread_mutex_unlock(&soc->lock);
}

static void observe_fills(void *ctx, bool on)
{
	struct dk_soc *soc = ctx;

	pthread_mutex_lock(&soc->lock);
	soc->observe_fills = on;
	pthread_mutex_unlock(&soc->lock);
}

static int iommu_enable(void *ctx, const char *device, bool on)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	return d ? dk_sim_iommu_enable(d, on) : -ENODEV;
}

static int iommu_map(void *ctx, const char *device, u64 iova, phys_addr_t pa,
		     u64 size, int prot)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	return d ? dk_sim_iommu_map(d, iova, pa, size, prot) : -ENODEV;
}

static u64 iommu_unmap(void *ctx, const char *device, u64 iova, u64 size)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	return d ? dk_sim_iommu_unmap(d, iova, size) : 0;
}

static void iommu_tlb_inval(void *ctx, const char *device, u64 iova, u64 size)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	if (d)
		dk_sim_iommu_tlb_inval(d, iova, size);
}

/* The master itself: the IOMMU API holds it from attach on, and the
 * machine (so the SoC) outlives every domain. */
static void *iommu_hw(void *ctx, const char *device)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	if (d && !d->d.iommu) {
		dk_err(-ENODEV, "%s has no \"iommus\"", d->d.name);
		return NULL;
	}
	return d;
}

static int iommu_map_hw(void *ctx, void *hw, u64 iova, phys_addr_t pa,
			u64 size, int prot)
{
	(void)ctx;
	return dk_sim_iommu_map_dev(hw, iova, pa, size, prot);
}

static u64 iommu_unmap_hw(void *ctx, void *hw, u64 iova, u64 size, bool inval)
{
	(void)ctx;
	return dk_sim_iommu_unmap_dev(hw, iova, size, inval);
}

static void *iommu_pt_new(void *ctx, const char *device)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	if (!d) {
		dk_err(-ENODEV, "no device %s", device);
		return NULL;
	}
	return dk_sim_iommu_pt_new(d);
}

static void iommu_pt_free(void *ctx, void *pt)
{
	dk_sim_iommu_pt_free(ctx, pt);
}

static int iommu_pt_map(void *ctx, void *pt, u64 iova, phys_addr_t pa,
			u64 size, int prot)
{
	return dk_sim_iommu_pt_map(ctx, pt, iova, pa, size, prot);
}

static u64 iommu_pt_unmap(void *ctx, void *pt, u64 iova, u64 size, bool inval)
{
	return dk_sim_iommu_pt_unmap(ctx, pt, iova, size, inval);
}

static void iommu_pt_inval(void *ctx, void *pt, u64 iova, u64 size)
{
	dk_sim_iommu_pt_inval(ctx, pt, iova, size);
}

static int iommu_pt_lookup(void *ctx, void *pt, u64 iova, phys_addr_t *pa)
{
	return dk_sim_iommu_pt_lookup(ctx, pt, iova, pa);
}

static int iommu_pt_attach(void *ctx, void *hw, void *pt)
{
	(void)ctx;
	return dk_sim_iommu_pt_attach(hw, pt);
}

static int iommu_info(void *ctx, const char *device, unsigned int *bits,
		      unsigned long *pgsizes)
{
	struct dk_simdev *d = dk_soc_find_dev(ctx, device);

	*pgsizes = DK_IOMMU_PGSIZES;
	return d ? dk_sim_iommu_info(d, bits) : -ENODEV;
}

static void set_iommu_fault_handler(void *ctx,
				    void (*fn)(void *,
					       const struct dk_iommu_fault *),
				    void *arg)
{
	struct dk_soc *soc = ctx;

	pthread_mutex_lock(&soc->lock);
	soc->iommu_fault_fn = fn;
	soc->iommu_fault_arg = arg;
	pthread_mutex_unlock(&soc->lock);
}

static bool cpu_idle(void *ctx)
{
	return dk_soc_step(ctx) > 0;
}

static const void *fdt(void *ctx)
{
	return ((struct dk_soc *)ctx)->fdt;
}

static bool cpu_wait(void *ctx, u64 cycles, bool (*done)(void *), void *arg)
{
	return dk_soc_cpu_wait(ctx, cycles, done, arg);
}

static void timer_fire(struct dk_soc *soc, void *arg)
{
	struct dk_timer *t = arg;

	(void)soc;
	t->fn(t->arg);
}

static int timer_add(void *ctx, u64 cycles, struct dk_timer *t)
{
	return dk_soc_schedule(ctx, cycles, timer_fire, t);
}

static bool timer_cancel(void *ctx, struct dk_timer *t)
{
	return dk_soc_cancel(ctx, timer_fire, t);
}

static int set_irq_handler(void *ctx, int irq, void (*fn)(int, void *),
			   void *arg)
{
	if (!fn) {
		dk_soc_free_irq(ctx, irq);
		return 0;
	}
	return dk_soc_request_irq(ctx, irq, fn, arg);
}

static bool live(void *ctx)
{
	return dk_obj_live(ctx, DK_OBJ_SOC);
}

static void drain_writes(void *ctx)
{
	struct dk_soc *soc = ctx;

	/* Every barrier comes here: with nothing bufferable, one load. */
	if (__atomic_load_n(&soc->nwb, __ATOMIC_ACQUIRE))
		dk_sim_drain_writes(soc);
}

static int store_buffer(void *ctx, phys_addr_t pa, size_t size, bool on)
{
	return dk_sim_store_buffer(ctx, pa, size, on);
}

static void order_loads(void *ctx)
{
	dk_lb_land(ctx, true);
}

static int vmap_sync(void *ctx, const void *va, size_t size, bool flush)
{
	return dk_sim_vmap_sync(ctx, va, size, flush);
}

static const struct dk_platform_ops sim_ops = {
	.name = "sim",
	.live = live,
	.device = device,
	.rmem = rmem,
	.vmap = vmap,
	.export_fd = export_fd,
	.cache_line_dirty = line_dirty,
	.cache_line_states = line_states,
	.clock = clock_now,
	.fault = fault,
	.cache_first_dirty = first_dirty,
	.set_dma_observer = set_observer,
	.observe_fills = observe_fills,
	.set_irq_handler = set_irq_handler,
	.cpu_idle = cpu_idle,
	.cpu_wait = cpu_wait,
	.timer_add = timer_add,
	.timer_cancel = timer_cancel,
	.fdt = fdt,
	.iommu_enable = iommu_enable,
	.iommu_map = iommu_map,
	.iommu_unmap = iommu_unmap,
	.iommu_tlb_inval = iommu_tlb_inval,
	.iommu_hw = iommu_hw,
	.iommu_map_hw = iommu_map_hw,
	.iommu_unmap_hw = iommu_unmap_hw,
	.iommu_pt_new = iommu_pt_new,
	.iommu_pt_free = iommu_pt_free,
	.iommu_pt_map = iommu_pt_map,
	.iommu_pt_unmap = iommu_pt_unmap,
	.iommu_pt_inval = iommu_pt_inval,
	.iommu_pt_lookup = iommu_pt_lookup,
	.iommu_pt_attach = iommu_pt_attach,
	.iommu_info = iommu_info,
	.set_iommu_fault_handler = set_iommu_fault_handler,
	.mmio_read32 = mmio_read32,
	.mmio_write32 = mmio_write32,
	.ram_range = ram_range,
	.phys_to_virt = phys_to_virt,
	.virt_to_phys = virt_to_phys,
	.alloc_pages = dk_pages_alloc,
	.free_pages = dk_pages_free,
	.cache_line_size = line_size,
	.writeback_granule = granule,
	.dma_minalign = minalign,
	.dma_maint = maint,
	.cache_clean = clean,
	.mem_store = mem_store,
	.cache_inval = inval,
	.cache_clean_inval = clean_inval,
	.map_alias = map_alias,
	.unmap_alias = unmap_alias,
	.drain_writes = drain_writes,
	.store_buffer = store_buffer,
	.vmap_sync = vmap_sync,
	.vmap_remap = vmap_remap,
	.order_loads = order_loads,
};

int dk_platform_sim(struct dk_soc *soc, struct dk_platform *out)
{
	if (!dk_soc_ok(soc, "dk_platform_sim"))
		return -EINVAL;
	if (!out)
		return dk_err(-EINVAL, "dk_platform_sim: NULL argument");
	out->ops = &sim_ops;
	out->ctx = soc;
	dk_tz_map_close(soc);
	return 0;
}
