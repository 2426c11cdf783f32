/* SPDX-License-Identifier: MIT */
/*
 * The host platform's pieces: the pinned arena (arena.c), the PCI device
 * through VFIO's device fd (pci.c), the IOMMU backends behind one table
 * (type1.c, iommufd.c), and the platform ops over them
 * (platform_host.c).
 */
#ifndef DMAKIT_HOST_INTERNAL_H
#define DMAKIT_HOST_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include <dmakit/host.h>

#include "../core/dk_internal.h"

#define DK_HOST_MAX_RANGES 16
#define DK_HOST_MAX_ALIASES 64
/* Regions of program memory the mapping cache keeps mapped: each one
 * MAP_DMA entry, far below type1's limit. */
#define DK_HOST_MAX_CACHED 1024
/* Ranges of program memory registered with dk_host_mem_register(). */
#define DK_HOST_MAX_SPANS 64
/* Evicted regions at once whose VFIO mapping went before (unregister). */
#define DK_HOST_MAX_GONE 16
/* Interrupt vectors one process takes of its device (e1000e has 5). */
#define DK_HOST_MAX_VECTORS 32

struct dk_host;

/* An IOMMU interface of VFIO: the device is opened through it, and the
 * IOVAs dmakit allocated are mapped through it. */
struct dk_vfio_backend {
	const char *name;
	/* Set h->devfd, h->ranges; 0 or -errno with a message. */
	int (*open)(struct dk_host *h);
	int (*map)(struct dk_host *h, void *vaddr, u64 iova, u64 size,
		   int prot);
	int (*unmap)(struct dk_host *h, u64 iova, u64 size);
	void (*close)(struct dk_host *h);
};

extern const struct dk_vfio_backend dk_vfio_type1;
extern const struct dk_vfio_backend dk_vfio_iommufd;

struct dk_host_alias {
	void *va;
	size_t len;
};

/* Program memory the mapping cache keeps mapped (its pages pinned): the
 * page frames it was made for (its identity), the maps using it now, and
 * when one last began. */
struct dk_host_region {
	u64 pa, size, iova;
	u64 *pfns;
	unsigned long uses, last_use;
	bool stale, fresh;
	bool vouched;		/* inside memory the program registered */
	bool gone;		/* unmapped from VFIO already (unregistered) */
};

/* Program memory the program vouches for until it unregisters it. */
struct dk_host_span {
	u64 pa, size;
};

struct dk_host {
	u32 magic;
	char addr[32];			/* the PCI address, the device's name */
	char compat[64];		/* "pciVVVV,DDDD\0\0" */
	unsigned int vendor, device;
	const struct dk_vfio_backend *be;
	int container, group, devfd;
	int groupno;
	int iommufd;			/* /dev/iommu, and the IOAS in it */
	u32 ioas_id;

	/* IOVA ranges VFIO accepts, ascending. */
	u64 range_start[DK_HOST_MAX_RANGES], range_end[DK_HOST_MAX_RANGES];
	int nranges;
	unsigned long entry_limit;

	/* Regions of the device fd. */
	u64 cfg_off;
	void *bar0;
	u64 bar0_size;
	phys_addr_t bar0_pa;

	/* The arena: a memfd, so aliases of its pages can be mapped. */
	int memfd;
	u8 *arena;
	size_t arena_size, npages;
	unsigned long *used;
	struct dk_host_alias aliases[DK_HOST_MAX_ALIASES];
	pthread_mutex_t lock;

	/* The interrupts: @nvec vectors of one VFIO index (MSI-X, MSI or
	 * INTx), each an eventfd with the request_irq handler of irq
	 * DK_HOST_IRQ_BASE + its number. Enabled by
	 * dk_host_alloc_irq_vectors() (@vectors), or, for a driver that
	 * only requests dev->irq, at that request: MSI vector 0, or INTx
	 * (@intx asked for it, or the device has no MSI). */
	bool intx;
	bool vectors;
	u32 irq_index;
	unsigned int nvec;
	struct dk_host_vector {
		int fd;
		void (*fn)(int irq, void *arg);
		void *arg;
	} vec[DK_HOST_MAX_VECTORS];

	/* The mapping cache: where the arena is mapped, ~0 if not. */
	bool map_cache;
	u64 cache_iova;
	/* Cached program memory, disjoint, unordered; and the range the
	 * last map asked about, which becomes a region once mapped. */
	struct dk_host_region *regions;
	size_t nregions, hint;
	struct dk_host_region proposal;
	/* Whether the arena's mapping has served a map yet; the clock of
	 * region uses; /proc/self/pagemap (-1: not open yet; -2: its page
	 * frames cannot be read, so program memory is not cached). */
	atomic_bool cache_fresh;
	unsigned long use_clock;
	/* Changes whenever a region goes (evicted, dropped), to a value no
	 * host had before: a thread's memo of its last hit is good while
	 * it holds (user_mem.c). */
	atomic_ulong region_gen;
	int pagemap;
	struct dk_host_span spans[DK_HOST_MAX_SPANS];
	size_t nspans;
	/* IOVAs of evicted regions VFIO no longer maps, whose unmap by
	 * iommu-dma is then no system call. */
	u64 gone_iova[DK_HOST_MAX_GONE];
	size_t ngone;

	atomic_ulong map_calls, unmap_calls, live, irqs, cache_hits;
	/* Hits on the arena iommu-dma served itself, counted with
	 * __atomic builtins (iommu_cache_pinned). */
	unsigned long arena_hits;
	atomic_ulong evictions, stale, frame_checks;
};

/* arena.c */
int dk_host_arena_init(struct dk_host *h, size_t size);
void dk_host_arena_fini(struct dk_host *h);
void *dk_host_pa_to_va(struct dk_host *h, phys_addr_t pa, size_t size);
/* The arena or the window of program memory mapped on demand. */
void *dk_host_any_va(struct dk_host *h, phys_addr_t pa, size_t size);
int dk_host_user_to_phys(void *ctx, const void *va, size_t size,
			 phys_addr_t *pa);
/* The mapping cache's side for program memory: as iommu_cache_find and
 * iommu_cache_set of the platform ops, and forgetting every region. */
int dk_host_user_cache_find(struct dk_host *h, phys_addr_t pa,
			    phys_addr_t *base, u64 *size, u64 *iova);
int dk_host_user_cache_set(struct dk_host *h, phys_addr_t base, u64 iova);
void dk_host_user_cache_drop(struct dk_host *h);
/* iommu_cache_use and iommu_cache_evict of the platform ops (the arena's
 * region and program memory's). */
int dk_host_cache_use(void *ctx, const char *device, phys_addr_t base,
		      u64 iova, bool get);
int dk_host_cache_evict(void *ctx, const char *device, phys_addr_t *base,
			u64 *size, u64 *iova);
/* Regions of program memory cached, and how many of them maps use. */
size_t dk_host_user_cached(struct dk_host *h, size_t *used);
/* A new value for h->region_gen (at open, and when a region goes). */
void dk_host_regions_changed(struct dk_host *h);
/* dk_host_mem_register() and dk_host_mem_unregister(). */
int dk_host_user_register(struct dk_host *h, const void *va, size_t size);
int dk_host_user_unregister(struct dk_host *h, const void *va, size_t size);
/* Whether @iova is an evicted region's that VFIO no longer maps (taken
 * off the list): its unmap has nothing to do. */
bool dk_host_user_gone(struct dk_host *h, u64 iova);
int dk_host_alloc_pages(void *ctx, size_t npages, size_t align,
			phys_addr_t min, phys_addr_t max, phys_addr_t *pa);
int dk_host_free_pages(void *ctx, phys_addr_t pa, size_t npages);
void *dk_host_map_alias(void *ctx, phys_addr_t pa, size_t size,
			enum dk_alias_type type);
void *dk_host_vmap(void *ctx, const phys_addr_t *pages, size_t n,
		   enum dk_alias_type type);
int dk_host_unmap_alias(void *ctx, void *va);

/* iommufd.c: /dev/iommu and the device's cdev exist and may be opened. */
bool dk_host_iommufd_usable(struct dk_host *h);

/* pci.c */
int dk_host_pci_check(struct dk_host *h);
/* A device of @h's IOMMU group bound to a driver other than vfio-pci,
 * and that driver: 0, or -ENOENT. */
int dk_host_group_blocker(struct dk_host *h, char *dev, size_t dsize,
			  char *drv, size_t drsize);
int dk_host_pci_setup(struct dk_host *h);
void dk_host_pci_fini(struct dk_host *h);
/* Route irq @irq to @fn(@irq, @arg), or release it (@fn NULL). */
int dk_host_irq_set(struct dk_host *h, int irq, void (*fn)(int, void *),
		    void *arg);
bool dk_host_irq_poll(struct dk_host *h, int timeout_ms);
/* "MSI-X", "MSI" or "INTx" once a handler is set, else NULL. */
const char *dk_host_irq_kind(struct dk_host *h);
/* The vectors VFIO offers at @index (VFIO_DEVICE_GET_IRQ_INFO): 0 or
 * -EIO with a message. */
int dk_host_irq_count(struct dk_host *h, u32 index, u32 *count);
/* Signal an eventfd per vector for @n vectors of @index: 0 or -errno
 * with a message. */
int dk_host_irq_enable(struct dk_host *h, u32 index, unsigned int n);
/* Stop signalling, close the eventfds, forget the handlers. */
void dk_host_irq_disable(struct dk_host *h);
/* "MSI-X", "MSI" or "INTx": the kind of interrupt of VFIO's @index. */
const char *dk_host_irq_index_name(u32 index);

/* irq_vectors.c: dk_host_alloc_irq_vectors() and
 * dk_host_free_irq_vectors() of a host platform. */
int dk_host_vectors_alloc(struct dk_host *h, unsigned int min,
			  unsigned int max, unsigned int flags);
void dk_host_vectors_free(struct dk_host *h);
/* VFIO_DEVICE_RESET where the device has a reset; -ENOTTY if not. */
int dk_host_pci_reset(struct dk_host *h);
int dk_host_cfg_rw(struct dk_host *h, bool write, unsigned int off,
		   unsigned int len, u32 *val);

#endif
