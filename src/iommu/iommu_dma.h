/* SPDX-License-Identifier: MIT */
/*
 * Inside iommu-dma (iommu_dma*.c): the state a device behind an IOMMU
 * maps through, and the IOVA steps its files share.
 */
#ifndef DMAKIT_IOMMU_IOMMU_DMA_H
#define DMAKIT_IOMMU_IOMMU_DMA_H

#include <pthread.h>

#include "../core/ptrhash.h"
#include "../dma_direct/direct.h"

/* iommu/group.c: the groups go with the machine. A default domain
 * (iommu-dma's) is attached to @dev's whole group, and the group returns
 * to it when a driver's domain is detached; 0 or -errno. */
void dk_iommu_groups_fini(struct dk_machine *m);
int dk_iommu_attach_default(struct iommu_domain *domain, struct device *dev);
void dk_iommu_detach_default(struct iommu_domain *domain, struct device *dev);

struct dk_iommu_alloc;

#include <stdatomic.h>

#include <dmakit/iommu-dma.h>

/* Threads' queues of a flush queue (thread_slot.h): two CPUs' worth and
 * more, as Linux's flush queue is per CPU. */
#define DK_IOMMU_FQ_SLOTS 4

/* One thread slot's unmapped ranges, oldest first from e[head], each
 * waiting for an IOTLB invalidation begun after it was queued. */
struct dk_iommu_fq_slot {
	atomic_bool busy;		/* its lock (thread_slot.h) */
	atomic_uint n;
	unsigned int head;
	_Atomic u64 oldest;		/* clock when e[head] was queued */
	struct {
		dma_addr_t iova;
		u64 len;
		u64 gen;		/* invalidations begun before it */
	} e[DK_IOMMU_FQ_SIZE];
	char pad[64];			/* the next slot's head on its own line */
};

struct dk_iommu_fq {
	char pad[64];			/* the first slot off the line of */
	struct dk_iommu_fq_slot slot[DK_IOMMU_FQ_SLOTS]; /* what is above */
	pthread_mutex_t lock;		/* arming the timer */
	/* One invalidation at a time, so the one a full slot makes has
	 * covered all its ranges when it returns; a spin lock (thread_slot.h:
	 * the section is one IOTLB flush), so a thread whose queue fills as
	 * another's does waits that long, not a sleep and a wake-up. */
	atomic_bool inval_lock;
	_Atomic u64 gen;		/* invalidations begun */
	_Atomic u64 done;		/* ...of which the last finished */
	unsigned long flushes, full, timeouts;	/* under inval_lock */
	struct dk_machine *m;		/* whose clock and timer */
	struct dk_timer timer;		/* due when the oldest entry times out */
	atomic_bool armed;		/* timer pending (set under lock) */
};

/*
 * RAM the platform keeps mapped for the domain at one IOVA offset for as
 * long as it is attached (the host's pinned arena under its mapping
 * cache: iommu_cache_pinned): a streaming map of it is an addition, with
 * no IOVA to allocate, no IOMMU call and no use to count, as a window
 * mapped once lets Linux bypass its IOMMU ops. @size 0: none. Written by
 * iommu_dma_window.c (@size last, with release), read with no lock by
 * iommu-dma (@size first) and the front end's fast path (mapping.c, once
 * it found the device in dk_dma_windows, which it entered after).
 */
struct dk_iommu_window {
	_Atomic u64 size;
	_Atomic(const u8 *) virt;	/* the linear map's address of @pa */
	_Atomic phys_addr_t pa;
	_Atomic dma_addr_t iova;
	_Atomic(unsigned long *) hits;	/* the platform's count of hits */
};

struct dk_iommu_dma {
	struct iommu_domain *domain;
	struct dk_iova_space *iovad;
	pthread_mutex_t lock;		/* allocs */
	struct dk_ptrhash allocs;	/* coherent and page allocations */
	atomic_bool lazy;
	struct dk_iommu_fq fq;
	int users;			/* devices of the group using it */
	struct dk_iommu_window win;
};

/* The first IOVA page handed out: the first MiB stays unmapped, so a
 * device address near 0 faults. */
#define IOVA_FIRST_PFN 256

/* The last IOVA a device may be given: @mask, inside the aperture. */
u64 dk_iommu_dma_limit(struct device *dev, u64 mask);
/* @len bytes (whole pages) of IOVA at or below @limit, size-aligned, or
 * DMA_MAPPING_ERROR with -ENOMEM and a message naming the device. */
dma_addr_t dk_iommu_dma_alloc_iova(struct device *dev, u64 len, u64 limit);
/* Give back a range whose pages are mapped no more. */
void dk_iommu_dma_free_iova(struct device *dev, dma_addr_t iova, u64 len);
/* Unmap the whole pages [@iova, +@len) and free their IOVA; false (a
 * message, nothing freed) if they were not all mapped. */
bool dk_iommu_dma_unmap_free(struct device *dev, dma_addr_t iova, u64 len);
int dk_iommu_dma_prot(struct device *dev, enum dma_data_direction dir);
/* iommu_map() of whole pages into the device's domain; when the IOMMU
 * hardware has no room (-ENOSPC), regions of the platform's mapping
 * cache that no map uses are evicted until it has. 0 or -errno. */
int dk_iommu_dma_map_room(struct device *dev, dma_addr_t iova, phys_addr_t pa,
			  u64 len, int prot);

/* iommu_dma_fq.c. A range whose pages were just unmapped: its IOVA is
 * freed now (strict: after the IOTLB invalidation) or queued (lazy). */
struct dk_iommu_dma;
void dk_iommu_fq_init(struct dk_iommu_dma *c, struct dk_machine *m);
/* Withdraw the queue's timer (the queue is empty): before freeing @c. */
void dk_iommu_fq_fini(struct dk_iommu_dma *c);
/* Unmap whole pages as the domain is set: strict (iommu_unmap(), the
 * IOTLB invalidated) or lazy (iommu_unmap_fast(), *@queued true). The
 * bytes unmapped. */
size_t dk_iommu_dma_unmap(struct device *dev, dma_addr_t iova, u64 len,
			  bool *queued);
/* Free the IOVA of a range dk_iommu_dma_unmap() unmapped: now, or with
 * @queued after the flush queue's next IOTLB invalidation. */
void dk_iommu_dma_retire(struct device *dev, dma_addr_t iova, u64 len,
			 bool queued);
/* Lazy: flush when the oldest entry timed out; true if anything was
 * queued (and is freed now) when @always. */
bool dk_iommu_fq_poll(struct device *dev, bool always);

/* iommu_dma.c: one streaming mapping, its unmap and its syncs, as the
 * table's members for pages do them. */
dma_addr_t dk_iommu_dma_map_phys(struct device *dev, phys_addr_t pa, size_t size,
				 enum dma_data_direction dir, unsigned long attrs,
				 int *err);
void dk_iommu_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir, unsigned long attrs);
void dk_iommu_dma_sync(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, bool for_cpu);

/* iommu_dma_sg.c: the table's scatterlist members. */
int dk_iommu_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
			enum dma_data_direction dir, unsigned long attrs);
void dk_iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			   int nents, enum dma_data_direction dir,
			   unsigned long attrs);
void dk_iommu_dma_sync_sg_cpu(struct device *dev, struct scatterlist *sgl,
			      int nents, enum dma_data_direction dir);
void dk_iommu_dma_sync_sg_device(struct device *dev, struct scatterlist *sgl,
				 int nents, enum dma_data_direction dir);

/* Whether RAM at @pa must reach the device through a bounce slot. */
bool dk_iommu_dma_must_bounce(struct device *dev, phys_addr_t pa, size_t size,
			      enum dma_data_direction dir);

/* iommu_dma_window.c. Offer the window the region at @base (@size bytes,
 * mapped at @iova) if the platform says it stays mapped. */
void dk_iommu_window_offer(struct device *dev, phys_addr_t base, u64 size,
			   dma_addr_t iova);
/* @dev into dk_dma_windows if it may map through the window with no
 * more tests (the front end's fast path), and is not in already. */
void dk_iommu_window_admit(struct device *dev);
/* No window any more (the domain is detached). */
void dk_iommu_window_drop(struct device *dev);
/* The window's IOVA of [@pa, @pa + @size), the hit counted, if it holds
 * it wholly at or below @limit; else DMA_MAPPING_ERROR. */
dma_addr_t dk_iommu_window_map(struct dk_iommu_dma *c, phys_addr_t pa,
			       size_t size, u64 limit);
/* Whether @iova is in the window (its unmap then has nothing to do). */
bool dk_iommu_window_has(struct dk_iommu_dma *c, dma_addr_t iova);

/* Add a hit to the platform's count of them. */
static inline void dk_iommu_window_hit(struct dk_iommu_window *w)
{
	__atomic_fetch_add(atomic_load_explicit(&w->hits, memory_order_relaxed),
			   1, __ATOMIC_RELAXED);
}

/* iommu_dma_link.c: the two-step IOVA API's members of the table. */
int dk_iommu_dma_iova_alloc(struct device *dev, struct dma_iova_state *state,
			    phys_addr_t phys, size_t size);
void dk_iommu_dma_iova_free(struct device *dev, struct dma_iova_state *state);
int dk_iommu_dma_iova_link(struct device *dev, struct dma_iova_state *state,
			   phys_addr_t phys, size_t offset, size_t size,
			   enum dma_data_direction dir, unsigned long attrs);
int dk_iommu_dma_iova_sync(struct device *dev, struct dma_iova_state *state,
			   size_t offset, size_t size);
void dk_iommu_dma_iova_unlink(struct device *dev,
			      struct dma_iova_state *state, size_t offset,
			      size_t size, enum dma_data_direction dir,
			      unsigned long attrs);

/* iommu_dma_alloc.c: what is left allocated when the device goes. */
void dk_iommu_dma_allocs_fini(struct device *dev);

/* The allocation members of dk_iommu_dma_ops (iommu_dma_alloc.c). */
void *dk_iommu_dma_alloc(struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp, unsigned long attrs);
void dk_iommu_dma_free(struct device *dev, size_t size, void *cpu_addr,
		       dma_addr_t handle, unsigned long attrs);
struct page *dk_iommu_dma_alloc_pages(struct device *dev, size_t size,
				      dma_addr_t *handle,
				      enum dma_data_direction dir, gfp_t gfp);
void dk_iommu_dma_free_pages(struct device *dev, size_t size,
			     struct page *page, dma_addr_t handle,
			     enum dma_data_direction dir);
int dk_iommu_dma_mmap(struct device *dev, struct vm_area_struct *vma,
		      void *cpu_addr, dma_addr_t dma_addr, size_t size,
		      unsigned long attrs);
int dk_iommu_dma_get_sgtable(struct device *dev, struct sg_table *sgt,
			     void *cpu_addr, dma_addr_t dma_addr, size_t size,
			     unsigned long attrs);

/* iommu_dma.c: default domains at boot, gone at shutdown. */
int dk_iommu_dma_init(struct dk_machine *m);
void dk_iommu_dma_fini(struct dk_machine *m);

/* iommu-dma's table, installed at boot on devices behind an IOMMU. */
extern const struct dma_map_ops dk_iommu_dma_ops;

#endif
