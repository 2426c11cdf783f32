/* SPDX-License-Identifier: MIT */
/* The simulated SoC's private state, shared by the files of src/sim. */
#ifndef DMAKIT_SIM_SOC_INTERNAL_H
#define DMAKIT_SIM_SOC_INTERNAL_H

#include <pthread.h>

#include "../core/dk_internal.h"
#include "../core/objreg.h"

#include <dmakit/platform.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/soc.h>

/*
 * Uncached and write-combine aliases come from windows: the bank's DRAM
 * mapped again, once per window, on the bank's first alias. An alias is
 * the window's address of its pages, so making one costs no system call;
 * successive aliases rotate over the windows, so a pointer kept past a
 * free points into a poisoned range of another window than the next
 * owner's alias of the same pages.
 */
#define DK_ALIAS_WINDOWS 4

struct dk_alias_window {
	u8 *va;
	unsigned long *used;	/* pages handed out */
	unsigned long *head;	/* first page of each alias */
};

struct dk_ram_bank {
	struct dk_bank b;
	int cpu_fd;		/* memfd behind the CPU cache view */
	int mem_fd;		/* memfd behind DRAM */
	u8 *cpu;		/* cacheable view */
	u8 *mem;		/* DRAM */
	u8 *last;		/* each line as last filled or cleaned */
	unsigned long *used;	/* page allocator bitmap, 1 = not free */
	u64 npages;
	struct dk_alias_window win[DK_ALIAS_WINDOWS];
	unsigned int next_win;	/* where the next alias is tried first */
};

struct dk_alias {
	void *va;
	size_t size;
	int bank;		/* contiguous alias: bank and offset */
	u64 off;
	phys_addr_t *pages;	/* vmap: one physical address per page */
	enum dk_alias_type type;
	struct dk_alias *next;
};

struct dk_simdev {
	struct dk_devdesc d;
	struct dk_soc *soc;
	const struct dk_model_ops *model;
	void *priv;
};

struct dk_event {
	u64 time;
	u64 seq;
	dk_event_fn fn;
	void *arg;
};

struct dk_soc {
	pthread_mutex_t lock;	/* cache, bus, faults, events */
	char *model;
	void *fdt;		/* a copy of the tree it was loaded from */
	struct dk_cache_geometry cache;
	u64 rng;

	struct dk_ram_bank *banks;
	int nbanks;
	struct dk_rmem *rmem;
	int nrmem;
	struct dk_bank *secure;
	int nsecure;
	struct dk_simdev *devs;
	int ndevs;

	struct dk_alias *aliases;

	struct dk_fault *faults;
	size_t nfaults, cap_faults;

	struct dk_event *events;	/* binary heap by (time, seq) */
	size_t nevents, cap_events;
	u64 now, seq;

	struct {
		dk_irq_handler fn;
		void *arg;
	} irq[DK_MAX_IRQ];
	u64 spurious_irqs;

	struct dk_iommu_ctx *iommu_ctxs;	/* iommu.c */

	pthread_t runner;
	pthread_cond_t wake;
	bool threaded, stopping;

	void (*iommu_fault_fn)(void *arg, const char *device, u64 iova,
			       bool write);
	void *iommu_fault_arg;

	dk_dma_observer_fn observer;
	void *observer_arg;
	struct dk_ev_log *ev_log;	/* the access in progress, under lock */
	bool observe_fills;		/* log DK_EV_FILL too */
};

/* What one device access did, for the observer (bus.c, policy.c). */
struct dk_ev_log {
	struct dk_dma_event *ev;
	int n, cap;
};

/* fdt_load.c */
int dk_fdt_parse(struct dk_soc *soc, const void *fdt, size_t len);
/* Free what the parser allocated for @d's "dmas". */
void dk_dma_specs_free(struct dk_devdesc *d);

/* ram.c */
int dk_ram_init(struct dk_soc *soc);
void dk_ram_fini(struct dk_soc *soc);
/* Bank holding [pa, pa+len) entirely, or -1. */
int dk_ram_find(const struct dk_soc *soc, phys_addr_t pa, u64 len);

/* cache.c: *_locked variants expect soc->lock held; range in one bank. */
void dk_line_clean(struct dk_soc *soc, struct dk_ram_bank *b, u64 off);
void dk_line_inval(struct dk_soc *soc, struct dk_ram_bank *b, u64 off);
bool dk_line_is_dirty(const struct dk_soc *soc, const struct dk_ram_bank *b,
		      u64 off);
int dk_cache_range(struct dk_soc *soc, phys_addr_t pa, size_t size,
		   struct dk_ram_bank **bank, u64 *first, u64 *end);
/* Line-aligned offsets [first, end) of one bank, soc->lock held: the
 * line-by-line rules applied to each line in order, done range-wide. */
u64 dk_next_dirty(const struct dk_soc *soc, const struct dk_ram_bank *b,
		  u64 off, u64 end);
void dk_range_clean(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		    u64 end);
void dk_range_inval(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		    u64 end);
void dk_range_clean_inval(struct dk_soc *soc, struct dk_ram_bank *b,
			  u64 first, u64 end);
void dk_range_speculate(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
			u64 end);

/* bus.c: note @type over [pa, pa+len) in the access in progress. */
void dk_ev_note(struct dk_soc *soc, enum dk_dma_event_type type,
		phys_addr_t pa, size_t len);

/* policy.c: what the hardware does on its own around a device access. */
void dk_policy_before(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		      size_t len, bool write);
void dk_policy_after(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		     size_t len, bool write);

/* iommu.c: translate @bus for @d; 0, or 1 + fault reason. @room is set
 * to the bytes left in the page. Called with soc->lock held. */
struct dk_iommu_ctx;
struct dk_iommu_ctx *dk_iommu_ctx_of(struct dk_soc *soc,
				     const struct dk_devdesc *d);
/* The enabled context translating @d's accesses, or NULL (bypass). */
struct dk_iommu_ctx *dk_iommu_active(struct dk_soc *soc,
				     const struct dk_devdesc *d);
int dk_iommu_translate(struct dk_iommu_ctx *c, u64 bus, bool write,
		       phys_addr_t *pa, u64 *room);
void dk_iommu_fini(struct dk_soc *soc);

/* event.c */
/* The platform's cpu_wait: see struct dk_platform_ops. */
bool dk_soc_cpu_wait(struct dk_soc *soc, u64 cycles, bool (*done)(void *arg),
		     void *arg);
void dk_events_fini(struct dk_soc *soc);

/* soc.c: whether @soc / @dev is live; else false + message naming @fn. */
bool dk_soc_ok(const struct dk_soc *soc, const char *fn);
bool dk_simdev_ok(const struct dk_simdev *dev, const char *fn);

/* platform_sim.c: the device whose "reg" window holds @pa, or NULL. */
struct dk_simdev *dk_soc_mmio_dev(struct dk_soc *soc, phys_addr_t pa);

/* models */
void dk_models_remove(struct dk_soc *soc);
int dk_models_probe(struct dk_soc *soc);

/* page_alloc.c */
int dk_pages_init(struct dk_soc *soc);
int dk_pages_alloc(void *soc, size_t npages, size_t align, phys_addr_t min,
		   phys_addr_t max, phys_addr_t *pa);
int dk_pages_free(void *soc, phys_addr_t pa, size_t npages);

static inline u64 dk_align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline bool dk_is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

#endif
