/* SPDX-License-Identifier: MIT */
/* The machine's private state and the device basics every layer uses. */
#ifndef DMAKIT_KERNEL_INTERNAL_H
#define DMAKIT_KERNEL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <dmakit/device.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/gfp.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/platform_device.h>

#include "../core/bitmap.h"
#include "../core/dk_internal.h"
#include "../core/ptrhash.h"

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

struct dk_cma;
struct dma_coherent_mem;

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
	/* its bounce pool, for a test inline (bytes 0: none) */
	phys_addr_t swiotlb_start;
	u64 swiotlb_bytes;
	struct dk_kmem *kmem;
	struct dk_vm_area *vm_areas;
	struct dk_ptrhash vm_pages;	/* vmalloc.c: their pages, by address */
	/* Host addresses every vm area lies in (hi 0: none), so that most
	 * is_vmalloc_addr() calls answer without the lock. */
	uintptr_t vm_lo, vm_hi;
	struct dk_ptrhash coh_allocs;	/* coherent.c, by CPU address */
	struct dk_irq_action *irqs;	/* request_irq table, lazily */
	struct dk_ioremap *iomaps;	/* io.c: live ioremap() windows */
	struct iommu_group *iommu_groups;	/* iommu/group.c, lazily */
	/* Going away by kexec: drivers are detached without remove and
	 * without releasing what they hold, as the next kernel finds it. */
	bool kexec;
};

/* current.c, device.c */
struct dk_machine *dk_machine_of(void);	/* current or NULL + message */
/* Whether @dev is a live device; else false + message naming @fn. */
bool dk_dev_ok(const struct device *dev, const char *fn);
/* The same, quietly, for callers with messages of their own. */
bool dk_dev_live(const struct device *dev);
/* Recompute dev->dk_dma_plain after a change to its DMA configuration
 * (its dma_map_ops, coherence, dma-ranges, binding); the device leaves
 * dk_dma_windows. */
void dk_dma_plain_update(struct device *dev);

/*
 * Devices that may take streaming maps of their domain's window
 * (iommu-dma's, src/iommu/iommu_dma_window.c) with no more tests of
 * their own: on iommu-dma, coherent, trusted, bound or never bound, the
 * whole window below the mask (which changes only through set_mask(),
 * src/dma_direct/direct.c, and that takes the device out). The
 * front end finds a device here by its pointer alone, without looking at
 * it: a device leaves whenever its DMA configuration changes and before
 * it is freed, so one found is live and as it was when it came in (its
 * window is its iommu_dma's). A device whose slot another holds maps
 * the ordinary way.
 */
#define DK_DMA_WINDOWS 8
extern _Atomic(struct device *) dk_dma_windows[DK_DMA_WINDOWS];
/* Whether any device ever entered: until one does (the simulator's
 * platforms keep no window), the direct backend's fast path pays one
 * test for the table instead of a look at a slot. */
extern atomic_bool dk_dma_windows_used __attribute__((visibility("hidden")));
/* A free slot's device: no pointer a caller passes, NULL included. */
#define DK_DMA_WINDOW_FREE ((struct device *)dk_dma_windows)

static inline _Atomic(struct device *) *
dk_dma_window_slot(const struct device *dev)
{
	return &dk_dma_windows[((uintptr_t)dev >> 5) % DK_DMA_WINDOWS];
}
/* @dev out of dk_dma_windows: its DMA configuration or mask changed. */
void dk_dma_window_leave(struct device *dev);
void dk_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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
/* irq.c: what runs where Linux runs its softirqs: when the outermost
 * interrupt handler returns, and when this thread unmasks interrupts
 * outside a handler (src/linux's tasklets set it; NULL: nothing). */
void dk_irq_set_exit_hook(void (*fn)(void));
/* Whether this thread is running an interrupt handler. */
bool dk_in_irq(void);
/* irq.c: lines the machine still holds. */
void dk_irq_fini(struct dk_machine *m);

/* devres.c: one resource of a device, released in reverse order. */
struct dk_devres {
	struct dk_devres *next;
	void (*release)(void *data);
	/* Instead of @release when the machine goes away by kexec: frees
	 * what the library allocated for @data, touches nothing else. */
	void (*forget)(void *data);
	void *data;
};

/* Add a node the caller allocated: one from malloc() (devres frees it),
 * or one embedded in front of its @data (@data == node + 1, devm_kmalloc's
 * header), which its release and forget callbacks free, and which
 * dk_devres_take() leaves to its caller. */
void dk_devres_link(struct device *dev, struct dk_devres *r);
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

/* current.c: the machine boot made current (and the last booted, for
 * threads without one), and the end of both when it goes. */
void dk_machine_publish(struct dk_machine *m);
void dk_machine_unpublish(struct dk_machine *m);
/* The platform device @dev is, or NULL if it is not one of the tree's. */
struct platform_device *dk_pdev_of(struct device *dev);

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
