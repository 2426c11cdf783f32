/* SPDX-License-Identifier: MIT */
/* The simulated SoC's private state, shared by the files of src/sim. */
#ifndef DMAKIT_SIM_SOC_INTERNAL_H
#define DMAKIT_SIM_SOC_INTERNAL_H

#include <pthread.h>

#include "../core/dk_internal.h"
#include "../core/objreg.h"
#include "../core/ptrhash.h"

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
	u64 hi;			/* the end of every alias it gave out */
	struct dk_pp_span *pp;	/* wbuf.c: its pages' first stores */
};

struct dk_ram_bank {
	struct dk_bank b;
	int cpu_fd;		/* memfd behind the CPU cache view */
	int mem_fd;		/* memfd behind DRAM */
	u8 *cpu;		/* cacheable view */
	u8 *linear;		/* tz_map.c: the same, for the CPU's pointers */
	u8 *mem;		/* DRAM */
	u8 *last;		/* each line as last filled or cleaned */
	unsigned long *used;	/* page allocator bitmap, 1 = not free */
	/* Every page below it is used: first-fit starts there, so it does
	 * not walk the live pages below on every allocation. */
	unsigned long low_free;
	bool sram;		/* on-chip "mmio-sram": memory, not RAM */
	u64 npages;
	struct dk_alias_window win[DK_ALIAS_WINDOWS];
	unsigned int next_win;	/* where the next alias is tried first */
	u8 *drained;		/* wbuf.c: DRAM without the write buffer */
	u32 *wb_refs;		/* wbuf.c: bufferable mappings per page */
	u8 *sdrained;		/* wbuf.c: the cache without the store buffer */
	u32 *sb_refs;		/* wbuf.c: ranges per page that a snoop reads */
	/* tz_lines.c: the secure world's (NS = 0) lines, when it has any */
	u8 *sec, *sec_last;
	unsigned long *sec_tag;
};

struct dk_alias {
	void *va;
	size_t size;
	int bank;		/* contiguous alias: bank and offset */
	u64 off;
	phys_addr_t *pages;	/* vmap: one physical address per page */
	enum dk_alias_type type;
	/* vipt.c: a cached vmap on an aliasing cache has lines of its own,
	 * va[] itself, and their copy as last filled or cleaned */
	u8 *last;
	struct dk_alias *next, *prev;	/* soc->aliases */
	struct dk_pnode *pn;	/* its pages in soc->alias_pages */
};

struct dk_simdev {
	struct dk_devdesc d;
	struct dk_soc *soc;
	const struct dk_model_ops *model;
	void *priv;
	struct dk_iommu_ctx *iommu_ctx;	/* iommu.c: found once, kept */
};

struct dk_event {
	u64 time;
	u64 seq;
	dk_event_fn fn;
	void *arg;
	bool model;	/* runs under model_lock: all but IRQ delivery */
};

/* Run @ev's function, under the SoC's model lock if it is a model's. */
void dk_event_run(struct dk_soc *soc, const struct dk_event *ev);
/* The model lock (struct dk_soc), counted per thread so that a register
 * access that waits for the event loop (dk_simdev_stall) can let it go
 * and take it back as often as it was held. */
void dk_model_lock(struct dk_soc *soc);
void dk_model_unlock(struct dk_soc *soc);
int dk_model_release(struct dk_soc *soc);
void dk_model_reacquire(struct dk_soc *soc, int depth);

/* The TZASC's regions (models/tzasc.c programs them, bus.c obeys). */
struct dk_tz_region {
	u64 base, size;
	u32 attr;		/* DK_TZASC_ATTR_* */
};

struct dk_tz {
	bool present;
	bool locked;
	u32 denied;		/* register writes ignored */
	struct dk_tz_region r[8];
};

/* The model serving a compatible, or NULL: the loader's table (see
 * src/models/load.c), so that the simulator names no model. */
typedef const struct dk_model_ops *(*dk_model_lookup_fn)(const char *compat);

struct dk_soc {
	pthread_mutex_t lock;	/* cache, bus, faults, events */
	dk_model_lookup_fn find_model;	/* for the tree's compatibles */
	/*
	 * Device models' state: MMIO from program threads and model events
	 * on the event loop's thread (dk_soc_start_thread) take it, so a
	 * model never sees both at once. Recursive (a model's event may
	 * access another's registers); taken before @lock, never after; IRQ
	 * delivery runs outside it, so a handler that spins on a driver lock
	 * held across MMIO cannot deadlock.
	 */
	pthread_mutex_t model_lock;
	char *model;
	void *fdt;		/* a copy of the tree it was loaded from */
	struct dk_cache_geometry cache;
	u64 rng;

	struct dk_ram_bank *banks;
	int nbanks;
	/*
	 * cache.c: the first bank's range and views as ram.c mapped them,
	 * here too: a clean of its memory (kmalloc's, below 4 GiB) reaches
	 * its compare one dependent load sooner, and between two maps'
	 * compares each load on the way to the next one counts. size 0:
	 * none. fast: 64-byte lines written back one by one, and nobody
	 * watches the model's accesses (dk_raw_plain): the clean's common
	 * case needs no other test.
	 */
	struct {
		u64 base, size;
		u8 *cpu, *last, *mem;
		bool fast;
	} ram0;
	struct dk_rmem *rmem;
	int nrmem;
	struct dk_bank *secure;
	int nsecure;
	struct dk_simdev *devs;
	int ndevs;

	struct dk_alias *aliases;
	struct dk_ptrhash alias_pages;	/* their pages, by address */

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
	struct dk_iommu_pt *iommu_pts;		/* iommu.c: domains' tables */
	struct dk_iommu_unit *iommu_units;

	pthread_t runner;
	pthread_cond_t wake;
	bool threaded, stopping;

	void (*iommu_fault_fn)(void *arg, const struct dk_iommu_fault *f);
	void *iommu_fault_arg;

	dk_dma_observer_fn observer;
	void *observer_arg;
	struct dk_ev_log *ev_log;	/* the access in progress, under lock */
	bool observe_fills;		/* log DK_EV_FILL too */

	struct dk_tz tz;		/* under lock */
	bool tz_closed;		/* tz_map.c: secure views closed (its lock) */
	_Atomic int cpu_world;		/* enum dk_world */
	long (*monitor)(void *arg, struct dk_soc *soc, u32 fid,
			const u64 a[4]);	/* NULL: the built-in one */
	void *monitor_arg;
	/* wbuf.c: the bufferable mappings, and whether uncached aliases are
	 * Normal non-cacheable (bufferable) rather than strongly ordered */
	struct dk_wb_range *wb;		/* copied at each barrier */
	struct dk_wb_range *wb_win;	/* in alias windows: may be tracked */
	u64 wb_win_pages;		/* the pages of wb_win */
	bool wb_track_stores;		/* dk_sim_track_stores() allows it */
	bool wb_tracking;		/* wb_win's first stores tracked */
	bool wb_copy_all;		/* even so, the next barrier copies */
	bool wb_untracked;		/* tracking ended: pages to open */
	struct dk_ptrhash wb_by_va;	/* the same, by alias */
	size_t nwb;
	bool coherent_nc;
	bool cacheable_sb;	/* /dmakit cacheable-store-buffer */
	/* lbuf.c: device writes held back from CPU loads, under lock */
	struct dk_lb_rec *lb;
	size_t nlb, cap_lb;
	bool vipt_aliasing;	/* vipt.c: a virtually indexed cache */
	size_t nvipt;		/* vipt.c: live vmaps with lines of their own */
};

/* What one device access did, for the observer (bus.c, policy.c). */
struct dk_ev_log {
	struct dk_dma_event *ev;
	int n, cap;
};

/* soc.c: an SoC from the tree @dtb with the models @find_model finds (the
 * public loaders in src/models/load.c pass the built-in ones). */
int dk_soc_build(const void *dtb, size_t len, const struct dk_soc_opts *opts,
		 dk_model_lookup_fn find_model, struct dk_soc **out);

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

/* bus.c: one device access, secure if @secure is 1, non-secure if 0, as
 * the device's gasket says if -1; 0 or -errno. */
int dk_bus_access(struct dk_simdev *dev, dma_addr_t addr, void *buf,
		  size_t len, bool write, int secure);
/* bus.c: keep @f in the SoC's fault list, soc->lock held. */
void dk_fault_record(struct dk_soc *soc, const struct dk_fault *f);

/* trustzone.c, soc->lock held: whether a non-secure access to the first
 * byte at @pa is refused, and in *@room the bytes from @pa that answer the
 * same (the TZASC's regions only; ~0 without one). */
bool dk_tz_refuses(const struct dk_soc *soc, u64 pa, u64 *room);

/* bus.c: note @type over [pa, pa+len) in the access in progress. */
void dk_ev_note(struct dk_soc *soc, enum dk_dma_event_type type,
		phys_addr_t pa, size_t len);

/* policy.c: what the hardware does on its own around a device access. */
void dk_policy_before(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		      size_t len, bool write);
void dk_policy_after(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		     size_t len, bool write);

/* policy.c: a seeded coin of the random policy's rate. */
bool dk_policy_chance(struct dk_soc *soc);

/* wbuf.c: the write buffer in front of bufferable uncached memory. */
struct dk_wb_range;
bool dk_wb_bufferable(const struct dk_soc *soc, enum dk_alias_type type);
int dk_wb_add(struct dk_soc *soc, int bank, u64 off, u64 size,
	      const void *va);
void dk_wb_remove(struct dk_soc *soc, const void *va);
void dk_wb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf);
/* The same for a snooping read of pages behind the buffer in front of the
 * cache (dk_sim_store_buffer()); @buf holds what the snoop found. */
void dk_sb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf);
void dk_wb_mirror(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		  size_t len);
/* A cache write-back into DRAM of @b (pending until the next barrier,
 * as a store through a bufferable alias is). */
void dk_wb_dram_written(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
			size_t len);
void dk_wb_fini(struct dk_soc *soc);

/* lbuf.c: device writes that CPU loads may not see yet. dk_lb_hold()
 * takes a device model's write to bufferable memory instead of DRAM
 * (true) or leaves it to the caller (false); lock held, as for
 * dk_lb_device_read(), which reads through held writes, and
 * dk_lb_land_locked(). dk_lb_land() takes the lock: @all, or the newest. */
struct dk_lb_rec;
bool dk_lb_hold(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		size_t len, const u8 *buf);
void dk_lb_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       size_t len, u8 *buf);
void dk_lb_land_locked(struct dk_soc *soc, bool all);
void dk_lb_land(struct dk_soc *soc, bool all);
void dk_lb_fini(struct dk_soc *soc);
/* tz_lines.c: a secure-world CPU access with NS = 0 to [off, off + len)
 * of @b, through its secure lines (0 or -ENOMEM); the secure world's
 * maintenance of its lines in [first, end); the bank's copies freed.
 * Lock held. */
int dk_tz_lines_access(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
		       void *buf, size_t len, bool write);
void dk_tz_lines_maint(struct dk_soc *soc, struct dk_ram_bank *b, u64 first,
		       u64 end, bool clean, bool inval);
void dk_tz_lines_fini_bank(struct dk_soc *soc, struct dk_ram_bank *b);
/* tz_map.c: the CPU's pointers into secure memory (linear[]) open for
 * the secure world; closed, as the firewall and the TZASC say now, for
 * the normal world (a plain dereference then faults). */
void dk_tz_map_open(struct dk_soc *soc);
void dk_tz_map_close(struct dk_soc *soc);
/* tz_map.c, soc->lock not held: in the normal world, close the secure
 * pages of alias @a, just recorded, or of the windows, just mapped; open
 * and forget what is closed in [@va, @va + @size) before it is unmapped
 * (or mapped anew). */
void dk_tz_map_alias(struct dk_soc *soc, const struct dk_alias *a);
void dk_tz_map_windows(struct dk_soc *soc);
/* The alias (not a window's) @p lies in, or NULL; soc->lock held. */
struct dk_alias *dk_alias_at(struct dk_soc *soc, const void *p);
void dk_tz_map_forget(struct dk_soc *soc, const void *va, u64 size);
/* ram.c: the CPU's pointer (linear[]) to RAM at @pa, or NULL. */
void *dk_sim_linear_ptr(struct dk_soc *soc, phys_addr_t pa);
/* event.c: whether this thread runs a device model (holds its lock). */
bool dk_model_held(void);

/* vipt.c: the lines of a cached vmap on an aliasing cache. */
void *dk_vipt_vmap(struct dk_soc *soc, struct dk_alias *a,
		   const phys_addr_t *pages, size_t n);
void dk_vipt_unmap(struct dk_soc *soc, struct dk_alias *a);
void dk_vipt_device_read(struct dk_soc *soc, struct dk_ram_bank *b, u64 off,
			 size_t len);

/* iommu.c: translate @bus for @d; 0, or 1 + fault reason. @room is set
 * to the bytes left in the leaf, @coherent to whether the access snoops
 * (the master's own coherence unless the entry says CACHE or MMIO).
 * Called with soc->lock held. */
struct dk_iommu_ctx;
/* The enabled context translating @dev's accesses, or NULL (bypass). */
struct dk_iommu_ctx *dk_iommu_active(struct dk_simdev *dev);
int dk_iommu_translate(struct dk_soc *soc, struct dk_iommu_ctx *c, u64 bus,
		       bool write, phys_addr_t *pa, u64 *room, bool *coherent);
/* The input address bits of the IOMMU in front of @dev; 0 or -errno. */
int dk_sim_iommu_info(struct dk_simdev *dev, unsigned int *bits);
/* For the platform's handle ops, whose @dev is a live master with
 * "iommus": dk_sim_iommu_map(), and dk_sim_iommu_unmap() followed by
 * dk_sim_iommu_tlb_inval() of the range when @inval, without checking
 * @dev again. */
int dk_sim_iommu_map_dev(struct dk_simdev *dev, u64 iova, phys_addr_t pa,
			 u64 size, int prot);
u64 dk_sim_iommu_unmap_dev(struct dk_simdev *dev, u64 iova, u64 size,
			   bool inval);
/*
 * For the platform's page-table ops: tables a domain owns, for the IOMMU
 * in front of @dev (NULL and a message when out of memory), mapped and
 * unmapped as dk_sim_iommu_map() and dk_sim_iommu_unmap_dev() do a
 * context's own, invalidated as dk_sim_iommu_tlb_inval(), looked up as
 * dk_sim_iommu_iova_to_phys(); attach makes @dev's context walk @t (NULL:
 * its own tables again). Freeing them sends a context still on them back
 * to its own tables, translation off.
 */
struct dk_iommu_pt;
struct dk_iommu_pt *dk_sim_iommu_pt_new(struct dk_simdev *dev);
void dk_sim_iommu_pt_free(struct dk_soc *soc, struct dk_iommu_pt *t);
int dk_sim_iommu_pt_map(struct dk_soc *soc, struct dk_iommu_pt *t, u64 iova,
			phys_addr_t pa, u64 size, int prot);
u64 dk_sim_iommu_pt_unmap(struct dk_soc *soc, struct dk_iommu_pt *t, u64 iova,
			  u64 size, bool inval);
void dk_sim_iommu_pt_inval(struct dk_soc *soc, struct dk_iommu_pt *t,
			   u64 iova, u64 size);
int dk_sim_iommu_pt_lookup(struct dk_soc *soc, struct dk_iommu_pt *t,
			   u64 iova, phys_addr_t *pa);
int dk_sim_iommu_pt_attach(struct dk_simdev *dev, struct dk_iommu_pt *t);
/* fdt_load.c: an IOMMU node of the tree; 0 or -ENOMEM. */
int dk_iommu_unit_add(struct dk_soc *soc, const char *path,
		      unsigned int ias, bool coherent);
void dk_iommu_fini(struct dk_soc *soc);

/* event.c */
/* The platform's cpu_wait: see struct dk_platform_ops. */
bool dk_soc_cpu_wait(struct dk_soc *soc, u64 cycles, bool (*done)(void *arg),
		     void *arg);
/* Withdraw the pending event (@fn, @arg): true if it will not run. */
bool dk_soc_cancel(struct dk_soc *soc, dk_event_fn fn, void *arg);
void dk_events_fini(struct dk_soc *soc);

/* soc.c: whether @soc / @dev is live; else false + message naming @fn. */
bool dk_soc_ok(const struct dk_soc *soc, const char *fn);
bool dk_simdev_ok(const struct dk_simdev *dev, const char *fn);

/* platform_sim.c: the device whose "reg" window holds @pa, or NULL. */
struct dk_simdev *dk_soc_mmio_dev(struct dk_soc *soc, phys_addr_t pa);

/* model_calls.c: every device's model probe, and remove. */
void dk_models_remove(struct dk_soc *soc);
int dk_models_probe(struct dk_soc *soc);

/* page_alloc.c */
int dk_pages_init(struct dk_soc *soc);
int dk_pages_alloc(void *soc, size_t npages, size_t align, phys_addr_t min,
		   phys_addr_t max, phys_addr_t *pa);
int dk_pages_free(void *soc, phys_addr_t pa, size_t npages);
/* One page for the IOMMU's tables / back, soc->lock held. */
int dk_pages_take_locked(struct dk_soc *soc, phys_addr_t *pa);
void dk_pages_put_locked(struct dk_soc *soc, phys_addr_t pa);

static inline u64 dk_align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline bool dk_is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

#endif
