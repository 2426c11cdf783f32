// SPDX-License-Identifier: MIT
/*
 * The platform ops of a Linux host: one PCI device through VFIO, the
 * arena for RAM, VFIO as the IOMMU hardware (iommu-dma's IOVAs mapped at
 * the addresses it chose), BAR 0 for the registers, MSI-X, MSI or INTx
 * for the interrupts. x86 keeps DMA coherent, so every cache op is nothing at
 * all, and the checker's Linux classes run on top unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

#define HOST_MAGIC 0x686f7374u	/* "host" */
#define DEFAULT_ARENA (32UL << 20)
#define LINE 64
/* Not mapped (the value of DMA_MAPPING_ERROR, which is the DMA layer's). */
#define NO_IOVA (~0ULL)

static struct dk_host *host_of(const struct dk_platform *pl)
{
	struct dk_host *h = pl ? pl->ctx : NULL;

	if (!pl || !pl->ops || strcmp(pl->ops->name, "host") || !h ||
	    h->magic != HOST_MAGIC) {
		dk_err(-EINVAL, "not a host platform (dk_platform_host)");
		return NULL;
	}
	return h;
}

static int device(void *ctx, int i, struct dk_platform_dev *out)
{
	struct dk_host *h = ctx;

	if (i)
		return -ENOENT;
	*out = (struct dk_platform_dev){
		.name = h->addr,
		.compatible = h->compat,
		.irq = DK_HOST_IRQ_BASE,
		.reg = h->bar0_pa,
		.reg_size = h->bar0_size,
		.coherent = true,
		.iommu = "vfio",
		.memory_region = -1,
	};
	return 0;
}

static int rmem(void *ctx, int i, struct dk_rmem *out)
{
	(void)ctx, (void)i, (void)out;
	return -ENOENT;
}

static int ram_range(void *ctx, int i, phys_addr_t *base, u64 *size)
{
	struct dk_host *h = ctx;

	if (i)
		return -ENOENT;
	*base = DK_HOST_RAM_BASE;
	*size = h->arena_size;
	return 0;
}

static void *phys_to_virt(void *ctx, phys_addr_t pa)
{
	return dk_host_any_va(ctx, pa, 1);
}

static int virt_to_phys(void *ctx, const void *va, phys_addr_t *pa)
{
	struct dk_host *h = ctx;
	const u8 *p = va;

	if (p < h->arena || p >= h->arena + h->arena_size)
		return -EINVAL;
	*pa = DK_HOST_RAM_BASE + (u64)(p - h->arena);
	return 0;
}

static u32 line_size(void *ctx)
{
	(void)ctx;
	return LINE;
}

/* Coherent DMA: nothing to clean or invalidate; only the range is
 * checked, as the ops promise. */
static int no_maintenance(void *ctx, phys_addr_t pa, size_t size)
{
	if (!dk_host_any_va(ctx, pa, size))
		return dk_err(-EINVAL,
			      "cache maintenance of 0x%llx + %zu: not host RAM",
			      (unsigned long long)pa, size);
	return 0;
}

static int mem_store(void *ctx, phys_addr_t pa, const void *src, size_t size)
{
	u8 *va = dk_host_any_va(ctx, pa, size);

	if (!va)
		return dk_err(-EINVAL, "store at 0x%llx + %zu: not host RAM",
			      (unsigned long long)pa, size);
	if (src)
		memcpy(va, src, size);
	else
		memset(va, 0, size);
	return 0;
}

static int iommu_enable(void *ctx, const char *device, bool on)
{
	struct dk_host *h = ctx;

	/* A VFIO container translates from the moment it holds the group;
	 * a detach (machine shutdown) unmaps everything, the cached arena
	 * too. */
	(void)device;
	if (!on) {
		h->cache_iova = NO_IOVA;
		dk_host_user_cache_drop(h);
	}
	return 0;
}

/* The mapping cache holds the arena, where every allocation of dmakit's
 * is, and the regions of program memory already mapped (user_mem.c). */
static int cache_find(void *ctx, const char *device, phys_addr_t pa,
		      phys_addr_t *base, u64 *size, u64 *iova)
{
	struct dk_host *h = ctx;

	(void)device;
	if (h->map_cache && pa >= DK_HOST_USER_BASE)
		return dk_host_user_cache_find(h, pa, base, size, iova);
	if (!h->map_cache || !dk_host_pa_to_va(h, pa, 1))
		return -ENOENT;
	*base = DK_HOST_RAM_BASE;
	*size = h->arena_size;
	*iova = h->cache_iova;
	return 0;
}

static int cache_set(void *ctx, const char *device, phys_addr_t base,
		     u64 iova)
{
	struct dk_host *h = ctx;

	(void)device;
	if (base >= DK_HOST_USER_BASE)
		return dk_host_user_cache_set(h, base, iova);
	if (base != DK_HOST_RAM_BASE)
		return dk_err(-EINVAL, "host: no cached region at 0x%llx",
			      (unsigned long long)base);
	h->cache_iova = iova;
	atomic_store(&h->cache_fresh, true);
	return 0;
}

/* The arena stays mapped until the detach: iommu-dma may serve maps of
 * it with no call (only program memory is ever evicted). */
static int cache_pinned(void *ctx, const char *device, phys_addr_t base,
			u64 iova, unsigned long **hits)
{
	struct dk_host *h = ctx;

	(void)device;
	if (base != DK_HOST_RAM_BASE || iova == NO_IOVA ||
	    iova != h->cache_iova)
		return -ENOENT;
	*hits = &h->arena_hits;
	return 0;
}

static int iommu_map(void *ctx, const char *device, u64 iova, phys_addr_t pa,
		     u64 size, int prot)
{
	struct dk_host *h = ctx;
	void *va = dk_host_any_va(h, pa, size);

	(void)device;
	if (!va)
		return dk_err(-EFAULT, "host: IOMMU map of 0x%llx + 0x%llx: not host RAM",
			      (unsigned long long)pa, (unsigned long long)size);
	return h->be->map(h, va, iova, size, prot);
}

static u64 iommu_unmap(void *ctx, const char *device, u64 iova, u64 size)
{
	struct dk_host *h = ctx;

	(void)device;
	if (dk_host_user_gone(h, iova))
		return size;
	return h->be->unmap(h, iova, size) ? 0 : size;
}

static int iommu_range(void *ctx, const char *device, int i, u64 *start,
		       u64 *end)
{
	struct dk_host *h = ctx;

	(void)device;
	if (i < 0 || i >= h->nranges)
		return -ENOENT;
	*start = h->range_start[i];
	*end = h->range_end[i];
	return 0;
}

static bool cpu_idle(void *ctx)
{
	return dk_host_irq_poll(ctx, 10);
}

static int set_irq_handler(void *ctx, int irq, void (*fn)(int, void *),
			   void *arg)
{
	return dk_host_irq_set(ctx, irq, fn, arg);
}

static volatile u32 *reg32(struct dk_host *h, phys_addr_t pa)
{
	if (pa < h->bar0_pa || pa - h->bar0_pa + 4 > h->bar0_size || pa % 4)
		return NULL;
	return (volatile u32 *)((u8 *)h->bar0 + (pa - h->bar0_pa));
}

static u32 mmio_read32(void *ctx, phys_addr_t pa)
{
	volatile u32 *r = reg32(ctx, pa);

	if (!r) {
		dk_err(-EFAULT, "MMIO read at 0x%llx: not in BAR 0",
		       (unsigned long long)pa);
		return ~0u;
	}
	return *r;
}

static int mmio_write32(void *ctx, phys_addr_t pa, u32 val)
{
	volatile u32 *r = reg32(ctx, pa);

	if (!r)
		return dk_err(-EFAULT, "MMIO write at 0x%llx: not in BAR 0",
			      (unsigned long long)pa);
	*r = val;
	return 0;
}

static const struct dk_platform_ops host_ops = {
	.name = "host",
	.device = device,
	.rmem = rmem,
	.ram_range = ram_range,
	.phys_to_virt = phys_to_virt,
	.virt_to_phys = virt_to_phys,
	.alloc_pages = dk_host_alloc_pages,
	.free_pages = dk_host_free_pages,
	.cache_line_size = line_size,
	.writeback_granule = line_size,
	.dma_minalign = line_size,
	.cache_clean = no_maintenance,
	.cache_inval = no_maintenance,
	.cache_clean_inval = no_maintenance,
	.mem_store = mem_store,
	.map_alias = dk_host_map_alias,
	.unmap_alias = dk_host_unmap_alias,
	.vmap = dk_host_vmap,
	.iommu_enable = iommu_enable,
	.iommu_map = iommu_map,
	.iommu_unmap = iommu_unmap,
	.iommu_range = iommu_range,
	.iommu_cache_find = cache_find,
	.iommu_cache_set = cache_set,
	.iommu_cache_use = dk_host_cache_use,
	.iommu_cache_evict = dk_host_cache_evict,
	.iommu_cache_pinned = cache_pinned,
	.cpu_idle = cpu_idle,
	.set_irq_handler = set_irq_handler,
	.mmio_read32 = mmio_read32,
	.mmio_write32 = mmio_write32,
	.user_to_phys = dk_host_user_to_phys,
};

static void host_free(struct dk_host *h)
{
	dk_host_pci_fini(h);
	if (h->be)
		h->be->close(h);
	dk_host_arena_fini(h);
	dk_host_user_cache_drop(h);
	pthread_mutex_destroy(&h->lock);
	h->magic = 0;
	free(h);
}

/* Chosen once: iommufd when this process can use it, else type1. A
 * forced backend that is missing fails in its open with what is
 * missing. */
static void pick_backend(struct dk_host *h, enum dk_host_backend b)
{
	if (b == DK_HOST_AUTO)
		b = dk_host_iommufd_usable(h) ? DK_HOST_IOMMUFD : DK_HOST_TYPE1;
	h->be = b == DK_HOST_IOMMUFD ? &dk_vfio_iommufd : &dk_vfio_type1;
}

/* DMAKIT_HOST_BACKEND forces a backend on a program that leaves the
 * choice to dmakit, as DMAKIT_DMA_DEBUG sets the checker's mode. */
static int backend_from_env(enum dk_host_backend *b)
{
	const char *env = getenv("DMAKIT_HOST_BACKEND");

	if (*b != DK_HOST_AUTO || !env || !*env || !strcmp(env, "auto"))
		return 0;
	if (!strcmp(env, "type1"))
		*b = DK_HOST_TYPE1;
	else if (!strcmp(env, "iommufd"))
		*b = DK_HOST_IOMMUFD;
	else
		return dk_err(-EINVAL,
			      "DMAKIT_HOST_BACKEND=%s: not auto, type1 or iommufd",
			      env);
	return 0;
}

int dk_platform_host(const char *pci_addr, const struct dk_host_opts *opts,
		     struct dk_platform *out)
{
	struct dk_host_opts o = opts ? *opts : (struct dk_host_opts){ 0 };
	struct dk_host *h;
	int r;

	if (!pci_addr || !out)
		return dk_err(-EINVAL, "dk_platform_host: NULL argument");
	if (strlen(pci_addr) >= sizeof(h->addr) || strchr(pci_addr, '/') ||
	    !strchr(pci_addr, ':'))
		return dk_err(-EINVAL,
			      "dk_platform_host: \"%s\" is not a PCI address (DDDD:BB:DD.F)",
			      pci_addr);
	if (o.backend != DK_HOST_AUTO && o.backend != DK_HOST_TYPE1 &&
	    o.backend != DK_HOST_IOMMUFD)
		return dk_err(-EINVAL, "dk_platform_host: backend %d unknown",
			      (int)o.backend);
	r = backend_from_env(&o.backend);
	if (r)
		return r;
	if (!o.arena_size)
		o.arena_size = DEFAULT_ARENA;
	o.arena_size = (o.arena_size + DK_PAGE_SIZE - 1) & ~(DK_PAGE_SIZE - 1);
	h = calloc(1, sizeof(*h));
	if (!h)
		return dk_err(-ENOMEM, "out of memory");
	h->magic = HOST_MAGIC;
	h->container = h->group = h->devfd = h->memfd = -1;
	h->pagemap = -1;
	dk_host_regions_changed(h);
	h->iommufd = -1;
	pthread_mutex_init(&h->lock, NULL);
	snprintf(h->addr, sizeof(h->addr), "%s", pci_addr);
	h->map_cache = o.map_cache;
	h->intx = o.intx;
	h->cache_iova = NO_IOVA;
	r = dk_host_pci_check(h);
	if (!r) {
		pick_backend(h, o.backend);
		r = h->be->open(h);
	}
	if (!r)
		r = dk_host_pci_setup(h);
	if (!r)
		r = dk_host_arena_init(h, o.arena_size);
	if (r) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", dk_last_error());
		host_free(h);
		return dk_err(r, "%s", msg);
	}
	out->ops = &host_ops;
	out->ctx = h;
	return 0;
}

void dk_host_close(struct dk_platform *pl)
{
	struct dk_host *h;

	if (!pl || !pl->ctx)
		return;
	h = host_of(pl);
	if (!h)
		return;
	host_free(h);
	pl->ctx = NULL;
}

int dk_host_config_read(const struct dk_platform *pl, unsigned int off,
			unsigned int len, u32 *val)
{
	struct dk_host *h = host_of(pl);

	if (!h)
		return -EINVAL;
	if (!val)
		return dk_err(-EINVAL, "dk_host_config_read: NULL value");
	return dk_host_cfg_rw(h, false, off, len, val);
}

int dk_host_config_write(const struct dk_platform *pl, unsigned int off,
			 unsigned int len, u32 val)
{
	struct dk_host *h = host_of(pl);

	if (!h)
		return -EINVAL;
	return dk_host_cfg_rw(h, true, off, len, &val);
}

int dk_host_get_stats(const struct dk_platform *pl, struct dk_host_stats *st)
{
	struct dk_host *h = host_of(pl);

	if (!h)
		return -EINVAL;
	if (!st)
		return dk_err(-EINVAL, "dk_host_get_stats: NULL stats");
	*st = (struct dk_host_stats){
		.backend = h->be->name,
		.map_calls = atomic_load(&h->map_calls),
		.unmap_calls = atomic_load(&h->unmap_calls),
		.live = atomic_load(&h->live),
		.irqs = atomic_load(&h->irqs),
		.entry_limit = h->entry_limit,
		.cache_hits = atomic_load(&h->cache_hits) +
			      __atomic_load_n(&h->arena_hits, __ATOMIC_RELAXED),
		.evictions = atomic_load(&h->evictions),
		.stale = atomic_load(&h->stale),
		.frame_checks = atomic_load(&h->frame_checks),
		.irq = dk_host_irq_kind(h),
	};
	return 0;
}

int dk_host_mem_register(const struct dk_platform *pl, const void *va,
			 size_t size)
{
	struct dk_host *h = host_of(pl);

	return h ? dk_host_user_register(h, va, size) : -EINVAL;
}

int dk_host_mem_unregister(const struct dk_platform *pl, const void *va,
			   size_t size)
{
	struct dk_host *h = host_of(pl);

	return h ? dk_host_user_unregister(h, va, size) : -EINVAL;
}

int dk_host_reset(const struct dk_platform *pl)
{
	struct dk_host *h = host_of(pl);

	return h ? dk_host_pci_reset(h) : -EINVAL;
}

int dk_host_alloc_irq_vectors(const struct dk_platform *pl, unsigned int min,
			      unsigned int max, unsigned int flags)
{
	struct dk_host *h = host_of(pl);

	return h ? dk_host_vectors_alloc(h, min, max, flags) : -EINVAL;
}

int dk_host_irq_vector(const struct dk_platform *pl, unsigned int nr)
{
	struct dk_host *h = host_of(pl);

	if (!h)
		return -EINVAL;
	if (nr >= (h->vectors ? h->nvec : 1))
		return dk_err(-EINVAL,
			      "dk_host_irq_vector(%u): %s has %u vector%s allocated",
			      nr, h->addr, h->vectors ? h->nvec : 0,
			      h->vectors && h->nvec == 1 ? "" : "s");
	return DK_HOST_IRQ_BASE + (int)nr;
}

void dk_host_free_irq_vectors(const struct dk_platform *pl)
{
	struct dk_host *h = host_of(pl);

	if (h)
		dk_host_vectors_free(h);
}

int dk_host_raw_map(const struct dk_platform *pl, void *vaddr, u64 iova,
		    u64 size, int prot)
{
	struct dk_host *h = host_of(pl);

	if (!h)
		return -EINVAL;
	if (!vaddr || !size || ((uintptr_t)vaddr | iova | size) % DK_PAGE_SIZE)
		return dk_err(-EINVAL,
			      "dk_host_raw_map: %p, 0x%llx, 0x%llx: not whole pages",
			      vaddr, (unsigned long long)iova,
			      (unsigned long long)size);
	return h->be->map(h, vaddr, iova, size, prot);
}

int dk_host_raw_unmap(const struct dk_platform *pl, u64 iova, u64 size)
{
	struct dk_host *h = host_of(pl);

	return h ? h->be->unmap(h, iova, size) : -EINVAL;
}
