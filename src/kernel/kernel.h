/* SPDX-License-Identifier: MIT */
/* The machine's private state, shared by src/kernel, src/mm and src/dma. */
#ifndef DMAKIT_KERNEL_INTERNAL_H
#define DMAKIT_KERNEL_INTERNAL_H

#include <pthread.h>

#include <dmakit/device.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/gfp.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/platform_device.h>

#include "../core/bitmap.h"
#include "../core/dk_internal.h"

#define DK_MAX_RAM 64

/* One RAM range with its struct page array (sparse, like vmemmap). */
struct dk_memmap {
	phys_addr_t base;
	u64 size;
	unsigned long pfn0;
	struct page *pages;
	u8 *virt;		/* linear map: cacheable CPU view */
};

struct dk_swiotlb;
struct dk_kmem;
struct dk_vm_area;
struct dk_coh_alloc;
struct dk_irq_action;
struct dk_ioremap;

struct dk_cma {
	phys_addr_t base;
	u64 size;
	unsigned long *bitmap;	/* one bit per page */
	const char *name;
	bool reserved_here;	/* by cma=: its pages go back at shutdown */
};

struct dma_coherent_mem {
	phys_addr_t phys;
	dma_addr_t dev_base;
	size_t size;
	unsigned long *bitmap;
	bool exclusive;
	bool declared;		/* by dma_declare_coherent_memory */
	bool device_local;	/* on-chip SRAM, not RAM: no struct pages */
};

struct dk_machine {
	pthread_mutex_t lock;
	struct dk_platform pl;
	struct dk_machine_opts opts;
	u32 line, minalign, kmalloc_align;
	enum dk_dma_maint maint;	/* ARM64 or ARM32 */

	struct dk_memmap ram[DK_MAX_RAM];
	int nram;
	phys_addr_t ram_lowest, ram_highest;	/* highest = last byte */
	struct dk_user_memmap *umap;	/* user_memmap.c; NULL on a simulator */
	u64 zone_dma_limit, zone_dma32_limit;

	struct platform_device *pdevs;	/* the tree's devices: dk_mdev() */
	int ndevs;
	struct device_node *of_nodes;	/* of_node.c: every node of the tree */
	int n_of_nodes;
	const void *fdt;		/* the platform's flattened tree, or NULL */
	struct device *children;	/* device_create_child(), newest first */
	struct device *bare;		/* device_add()ed bare devices */
	struct device_driver *drivers;

	struct dk_cma *cma;		/* areas */
	int ncma;
	int cma_default;		/* index or -1 */
	struct dma_coherent_mem *rmem_pools;	/* per no-map region */

	struct dk_swiotlb *swiotlb;
	struct dk_kmem *kmem;
	struct dk_vm_area *vm_areas;
	/* Host addresses every vm area lies in (hi 0: none), so that most
	 * is_vmalloc_addr() calls answer without the lock. */
	uintptr_t vm_lo, vm_hi;
	struct dk_coh_alloc *coh_allocs;
	struct dk_irq_action *irqs;	/* request_irq table, lazily */
	struct dk_ioremap *iomaps;	/* io.c: live ioremap() windows */
	struct iommu_group *iommu_groups;	/* iommu/group.c, lazily */
	/* Going away by kexec: drivers are detached without remove and
	 * without releasing what they hold, as the next kernel finds it. */
	bool kexec;
};

/* iommu/group.c: the groups go with the machine. A default domain
 * (iommu-dma's) is attached to @dev's whole group, and the group returns
 * to it when a driver's domain is detached; 0 or -errno. */
void dk_iommu_groups_fini(struct dk_machine *m);
int dk_iommu_attach_default(struct iommu_domain *domain, struct device *dev);
void dk_iommu_detach_default(struct iommu_domain *domain, struct device *dev);

/* machine.c */
struct dk_machine *dk_machine_of(void);	/* current or NULL + message */
/* Whether @dev is a live device; else false + message naming @fn. */
bool dk_dev_ok(const struct device *dev, const char *fn);
/* The same, quietly, for callers with messages of their own. */
bool dk_dev_live(const struct device *dev);
void dk_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* page_alloc.c */
int dk_mm_init(struct dk_machine *m);
void dk_mm_fini(struct dk_machine *m);
/* Give every block still allocated back to the platform, as a kexec'd
 * kernel owns all RAM again. */
void dk_mm_release_all(struct dk_machine *m);
/* A block of 2^order pages wholly in [lo, hi]; NULL + message. */
struct page *dk_alloc_pages_range(struct dk_machine *m, gfp_t gfp,
				  unsigned int order, u64 lo, u64 hi);
struct page *dk_phys_to_page(struct dk_machine *m, phys_addr_t pa);
/* Whether @pg is one of @m's struct pages (not a pointer into one). */
bool dk_page_valid(struct dk_machine *m, const struct page *pg);
phys_addr_t dk_page_to_phys(struct dk_machine *m, const struct page *pg);
void *dk_phys_to_virt(struct dk_machine *m, phys_addr_t pa);
/* Linear-map pointer -> phys; false if @p is not in the linear map. */
bool dk_linear_to_phys(struct dk_machine *m, const void *p, phys_addr_t *pa);
/* Whether [p, p + size) is program memory the platform maps on demand
 * (see the platform's user_to_phys), and its physical address. */
bool dk_user_to_phys(struct dk_machine *m, const void *p, size_t size,
		     phys_addr_t *pa);
/* user_memmap.c: struct pages for program memory (host platforms). */
int dk_user_memmap_init(struct dk_machine *m);
void dk_user_memmap_fini(struct dk_machine *m);
struct page *dk_user_page(struct dk_machine *m, phys_addr_t pa, bool create);
bool dk_user_page_phys(struct dk_machine *m, const struct page *pg,
		       phys_addr_t *pa);
/* Zero @size bytes at @p so that devices see zeroes too, even where a
 * stale line already held them (the platform's mem_store); memory outside
 * the linear map is zeroed by a plain store. */
void dk_zero(struct dk_machine *m, void *p, size_t size);

/* of_node.c: a struct device_node for every node of the platform's tree
 * (none without one), each tree device's of_node set. */
int dk_of_init(struct dk_machine *m);
void dk_of_fini(struct dk_machine *m);
/* The node at @offset of m->fdt; NULL if none. */
struct device_node *dk_of_node_at(struct dk_machine *m, int offset);

/* irq.c: request_irq() with a threaded handler (run on the same thread
 * when the handler returns IRQ_WAKE_THREAD), devm too; this thread's
 * interrupt mask (see irq.c); disable_irq()/enable_irq(). */
#include <dmakit/interrupt.h>
int dk_request_irq(unsigned int irq, irq_handler_t handler,
		   irq_handler_t thread_fn, unsigned long flags,
		   const char *name, void *dev_id);
int dk_devm_request_irq(struct device *dev, unsigned int irq,
			irq_handler_t handler, irq_handler_t thread_fn,
			unsigned long flags, const char *name, void *dev_id);
bool dk_irqs_disabled(void);
unsigned long dk_irq_save(void);
void dk_irq_restore(unsigned long flags);
void dk_irq_disable(unsigned int irq);
void dk_irq_enable(unsigned int irq);
/* A page of reserved memory (memremap()): put_page() never frees it. */
#define DK_PG_RESERVED (1UL << 4)
/* uaccess.c: the user mappings of a machine that goes away. */
void dk_uaccess_fini(struct dk_machine *m);

/* irq.c: lines the machine still holds. */
void dk_irq_fini(struct dk_machine *m);

/* io.c: windows nobody unmapped. */
void dk_io_fini(struct dk_machine *m);
/* Whether [@addr, @addr + @len) lies wholly in one ioremap() window (1,
 * its physical address in *@pa), clear of every window (0), or partly in
 * one or its inaccessible slack (-1). */
int dk_io_where(struct dk_machine *m, const volatile void *addr, size_t len,
		phys_addr_t *pa);

/* slab.c / vmalloc.c */
/*
 * The kmalloc object @p points into: 1 if live, -1 if it is a free slot of
 * a slab (freed, or never handed out), with the object's (slot's) start
 * and size; 0 if @p is not kmalloc memory (or in a big block's tail page).
 */
int dk_kmalloc_object(struct dk_machine *m, const void *p, const void **start,
		      size_t *size);
void dk_kmem_fini(struct dk_machine *m);
void dk_vmalloc_fini(struct dk_machine *m);

/* driver.c / devres.c */
/* A compatible list (strings, then an empty one) copied from @s: a list
 * like itself, or with @list false a single string's list of one. NULL:
 * out of memory. */
char *dk_compat_dup(const char *s, bool list);
void dk_devres_release_all(struct device *dev);
/* devm_add_action() with @forget, called instead of @action when the
 * machine goes away by kexec, to free the library's own record @data
 * (e.g. free()). */
int dk_devres_add(struct device *dev, void (*action)(void *),
		  void (*forget)(void *), void *data);
/* Drop every entry without running it (the machine goes away by kexec),
 * calling only the forget callbacks of dk_devres_add(). */
void dk_devres_forget_all(struct device *dev);
/* Remove the first entry with @action whose data @match()es @arg, without
 * running it; returns its data or NULL. */
void *dk_devres_take(struct device *dev, void (*action)(void *),
		     bool (*match)(void *data, void *arg), void *arg);
void dk_drivers_fini(struct dk_machine *m);
/* Built-in drivers: registered with every machine as it boots. */
void dk_driver_builtin_add(struct device_driver *drv);
void dk_driver_builtin_del(struct device_driver *drv);
void dk_drivers_builtin_bind(struct dk_machine *m);
/* machine.c: bare devices (<linux/device.h>): add to the current machine
 * (0 or -errno), take off it (unbind too), drop a reference. */
int dk_device_add(struct device *dev);
void dk_device_del(struct device *dev);
void dk_device_put(struct device *dev);
/* The platform device @dev is, or NULL if it is not one of the tree's. */
struct platform_device *dk_pdev_of(struct device *dev);
/* Call every bound driver's shutdown, children first (device_shutdown). */
void dk_devices_shutdown(struct dk_machine *m);
/* Bind @dev to the first registered driver that matches it, if any. */
void dk_driver_match_one(struct device *dev);

/* dma: swiotlb.c, cma.c, coherent.c */
int dk_swiotlb_init(struct dk_machine *m);
void dk_swiotlb_fini(struct dk_machine *m);
bool dk_is_swiotlb_buffer(struct dk_machine *m, phys_addr_t pa);
phys_addr_t dk_swiotlb_map(struct device *dev, phys_addr_t orig, size_t size,
			   enum dma_data_direction dir, unsigned long attrs);
/* The same into whole pages of their own, at @orig's page offset, the
 * rest of them zeroed (for IOMMU mappings: the device reaches it through
 * its IOVA, whatever its mask). */
phys_addr_t dk_swiotlb_map_pages(struct device *dev, phys_addr_t orig,
				 size_t size, enum dma_data_direction dir,
				 unsigned long attrs);
void dk_swiotlb_unmap(struct device *dev, phys_addr_t tlb, size_t size,
		      enum dma_data_direction dir, unsigned long attrs);
void dk_swiotlb_sync_cpu(struct device *dev, phys_addr_t tlb, size_t size,
			 enum dma_data_direction dir);
void dk_swiotlb_sync_device(struct device *dev, phys_addr_t tlb, size_t size,
			    enum dma_data_direction dir);
/* The largest mapping swiotlb can bounce for @dev: one segment less the
 * slots its min_align_mask may cost. */
size_t dk_swiotlb_max_mapping(struct device *dev);

int dk_cma_init(struct dk_machine *m);
/* dma_contiguous_reserve() for @m. */
void dk_cma_reserve(struct dk_machine *m, phys_addr_t addr_limit);
void dk_cma_fini(struct dk_machine *m);
/* Pages from a CMA area wholly below @limit; 0 + *pa or -ENOMEM. */
int dk_cma_alloc(struct dk_cma *c, size_t npages, size_t align_pages,
		 u64 limit, phys_addr_t *pa);
bool dk_cma_release(struct dk_cma *c, phys_addr_t pa, size_t npages);

int dk_coherent_pool_alloc(struct dma_coherent_mem *mem, size_t size,
			   phys_addr_t *pa);
/* Mark pages [@first, @first + @n) of @mem allocated: 0 or -EBUSY. */
int dk_coherent_pool_take(struct dma_coherent_mem *mem, unsigned long first,
			  unsigned long n);
bool dk_coherent_pool_free(struct dma_coherent_mem *mem, phys_addr_t pa,
			   size_t size);
void dk_coherent_fini(struct dk_machine *m);

/* iommu_dma.c: default domains at boot, gone at shutdown. */
int dk_iommu_dma_init(struct dk_machine *m);
void dk_iommu_dma_fini(struct dk_machine *m);

/* direct.c: the CPU side of ownership transfers for one phys range. */
void dk_sync_for_device(struct device *dev, phys_addr_t pa, size_t size,
			enum dma_data_direction dir);
void dk_sync_for_cpu(struct device *dev, phys_addr_t pa, size_t size,
		     enum dma_data_direction dir);
bool dk_dma_capable(struct device *dev, dma_addr_t addr, size_t size,
		    bool coherent_mask);
bool dk_valid_dir(enum dma_data_direction dir);
/* Lowest and highest bus address at which @dev reaches RAM. */
void dk_dma_ram_bounds(struct device *dev, u64 *lo, u64 *hi);

/* The @i-th device of the tree. */
static inline struct device *dk_mdev(struct dk_machine *m, int i)
{
	return &m->pdevs[i].dev;
}

static inline u64 dk_min64(u64 a, u64 b)
{
	return a < b ? a : b;
}

#endif
