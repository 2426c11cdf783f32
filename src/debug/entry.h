/* SPDX-License-Identifier: MIT */
/* Live mappings and allocations the checker knows about. */
#ifndef DMAKIT_DEBUG_ENTRY_H
#define DMAKIT_DEBUG_ENTRY_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "debug.h"
#include "interval.h"

#define DK_DBG_BT 12
#define DK_DBG_OWNED_INLINE 2	/* 128 lines, 8 KiB of 64-byte lines */

enum { MAP_ERR_NA, MAP_ERR_NOT_CHECKED, MAP_ERR_CHECKED };

/* A reused entry is cleared only where entry_clear() (entry.c) says:
 * a new field is set by dk_dbg_map() for every entry, or cleared there. */
struct dk_dbg_entry {
	struct dk_inode by_dma, by_pa, by_dev_pa;	/* the indexes */
	struct dk_inode by_owner;	/* in the owners' index, if in_owners */
	bool in_owners;
	void *home;		/* the shard (entry.c) it is in while live */
	struct device *dev;
	enum dk_map_type type;
	dma_addr_t dma;
	phys_addr_t pa;		/* CPU physical address of the buffer */
	phys_addr_t dev_pa;	/* where dma leads the device (a bounce slot),
				 * set before dk_dbg_entry_add; ~0 unknown */
	const void *cpu_addr;	/* driver's pointer (coherent: the alloc) */
	u64 size;
	enum dma_data_direction dir;
	unsigned long attrs;
	int sg_call_ents;
	int sg_mapped_ents;
	int map_err;
	bool tracked;		/* lines in the cacheline table */
	bool bounced;		/* the device sees a swiotlb copy */
	bool skip_sync_map;	/* mapped with SKIP_CPU_SYNC, not yet
				 * synced for the CPU */
	int nbt;
	void *bt[DK_DBG_BT];
	/* Ownership, one bit per cache line from line0: 1 = device owns.
	 * Up to DK_DBG_OWNED_INLINE longs live in the entry itself. */
	phys_addr_t line0;
	unsigned long nlines;
	unsigned long *owned;
	unsigned long owned_inline[DK_DBG_OWNED_INLINE];
	/* Last: what only the indexes' slow paths touch. */
	struct dk_dbg_entry *key_next;	/* in its shard's by_key chain */
	struct dk_dbg_entry *unset_prev, *unset_next;	/* while unsettled */
	bool unsettled;		/* in by_key only (entry.c: settle()) */
};

/*
 * The table. Lookups return a copy-free pointer valid while the shard
 * lock is held; the helpers below take and drop it. Each costs O(log n)
 * in the live mappings, plus the entries it visits. "Newest" and "first"
 * order the entries one thread made; where entries of several threads
 * tie, the calling thread's come first (entry.c: the lanes).
 */
/*
 * Freed entries are kept per thread for its next maps, a few at a time
 * (linked through cpu_addr), so a map+unmap costs no trip through malloc
 * and, inline, no call to take or give one back.
 */
#define DK_DBG_RECYCLE_MAX 32

struct dk_dbg_recycle {
	struct dk_dbg_entry *head;
	int n;
	bool keyed;	/* the thread-exit destructor is registered */
};

/* initial-exec, as dk_obj_seen: with -fPIC each look was a call, and the
 * registers it clobbers were saved around it. */
extern _Thread_local struct dk_dbg_recycle dk_dbg_recycled
	__attribute__((tls_model("initial-exec")));
struct dk_dbg_entry *dk_dbg_entry_new_slow(void);
void dk_dbg_entry_free_slow(struct dk_dbg_entry *e);

/*
 * A recycled entry keeps its old values but for these: dk_dbg_map() sets
 * every other field before the entry is added, the indexes set their
 * nodes, and clearing the whole entry (or its 200 bytes of plain fields)
 * was a tenth of a checked map.
 */
static inline void dk_dbg_entry_clear(struct dk_dbg_entry *e)
{
	e->in_owners = false;
	e->tracked = false;
	e->owned = NULL;
	memset(e->owned_inline, 0, sizeof(e->owned_inline));
}

/* A cleared entry for dk_dbg_map() to fill, or NULL. A recycled one was
 * made after the table's set-up ran. */
static inline struct dk_dbg_entry *dk_dbg_entry_new(void)
{
	struct dk_dbg_entry *e = dk_dbg_recycled.head;

	if (!e)
		return dk_dbg_entry_new_slow();
	dk_dbg_recycled.head = (struct dk_dbg_entry *)e->cpu_addr;
	dk_dbg_recycled.n--;
	dk_dbg_entry_clear(e);
	return e;
}

/* An entry out of the table (or NULL) back to the thread's list; what
 * holds more than the entry itself goes the long way. */
static inline void dk_dbg_entry_free(struct dk_dbg_entry *e)
{
	struct dk_dbg_recycle *r = &dk_dbg_recycled;

	if (!e || e->in_owners || (e->owned && e->owned != e->owned_inline) ||
	    !r->keyed || r->n >= DK_DBG_RECYCLE_MAX) {
		dk_dbg_entry_free_slow(e);
		return;
	}
	e->cpu_addr = r->head;
	r->head = e;
	r->n++;
}
/* dk_dbg_entry_add(): lane.h */
/* Remove the entry of @dev at exactly @dma (best match: same type and
 * size first). NULL if none; *@other is set if another device has it. */
struct dk_dbg_entry *dk_dbg_entry_take(struct device *dev, dma_addr_t dma,
				       enum dk_map_type type, u64 size);
/* Call @fn on the live entry of @dev containing [dma, dma+size) (the
 * one starting last, if several do), under its shard lock. Returns false
 * if there is none. */
bool dk_dbg_entry_with(struct device *dev, dma_addr_t dma, u64 size,
		       void (*fn)(struct dk_dbg_entry *e, void *arg),
		       void *arg);
/* Call @fn on each entry of @dev starting exactly at @dma, newest first,
 * under the shard lock, until it returns true. Returns what it did. */
bool dk_dbg_entry_at(struct device *dev, dma_addr_t dma,
		     bool (*fn)(struct dk_dbg_entry *e, void *arg), void *arg);
/* Mark the first entry of @dev at @dma whose mapping error is unchecked
 * (newest first) checked, if there is one. */
void dk_dbg_entry_mark_checked(struct device *dev, dma_addr_t dma);
/* Whether @dev has an entry that overlaps dma..dma+size at all. */
bool dk_dbg_entry_overlaps(struct device *dev, dma_addr_t dma, u64 size);
/* Call @fn on each entry of @dev whose buffer, or what the device reaches
 * at its dma address, holds all of [pa, pa+len), under the shard lock,
 * until it returns true. Returns what it did. */
bool dk_dbg_entry_covering(struct device *dev, phys_addr_t pa, u64 len,
			   bool (*fn)(struct dk_dbg_entry *e, void *arg),
			   void *arg);
/* Visit every entry (of @dev in order of dma address, or all), with the
 * shard lock held. */
void dk_dbg_entry_each(struct device *dev,
		       void (*fn)(struct dk_dbg_entry *e, void *arg),
		       void *arg);
/* Remove and return any entry of @dev, or NULL. */
struct dk_dbg_entry *dk_dbg_entry_first(struct device *dev);
/* Call @fn under its shard lock on each live entry whose CPU bytes meet
 * [lo, hi) and are poisoned while a device owns them (sanitizer runs
 * only; see entry.c). Takes no lock the caller may hold. */
void dk_dbg_entry_each_owner(phys_addr_t lo, phys_addr_t hi,
			     void (*fn)(struct dk_dbg_entry *e, void *arg),
			     void *arg);
void dk_dbg_entry_counts(unsigned long *live, unsigned long *peak);
void dk_dbg_format_backtrace(const struct dk_dbg_entry *e, char *buf,
			     size_t len);

/*
 * object.c: the kmalloc object this thread last found live, [lo, hi) of
 * machine @m, while no object has been freed since (@frees, a count of
 * the checker's dk_dbg_object_freed() calls and of whatever else it was
 * not told of: a change of mode, a machine going or coming). A driver
 * maps its buffers again and again; the slab's lookup was a sixth of a
 * checked map. While a free is under way (begun, dk_dbg_obj_frees, and
 * not ended, object.c's count) nothing is remembered, so an object freed
 * while another thread maps it is looked up again after the free.
 */
struct dk_dbg_live_obj {
	const struct dk_machine *m;
	uintptr_t lo, hi;
	unsigned long frees;
};

extern _Thread_local struct dk_dbg_live_obj dk_dbg_live_obj
	__attribute__((tls_model("initial-exec"), visibility("hidden")));
extern atomic_ulong dk_dbg_obj_frees __attribute__((visibility("hidden")));
/* The slab's answer for [@ptr, +@len) at @pa, reported and remembered. */
void dk_dbg_object_look(struct device *dev, const void *ptr, phys_addr_t pa,
			size_t len);
/* Every remembered object is looked up again. */
void dk_dbg_objects_forget(void);

/* Whether [@ptr, +@len) of @dev's machine lies in the remembered live
 * object. */
static inline bool dk_dbg_object_known(const struct device *dev,
				       const void *ptr, size_t len)
{
	const struct dk_dbg_live_obj *o = &dk_dbg_live_obj;
	uintptr_t p = (uintptr_t)ptr;

	return o->m == dev->machine && p - o->lo < o->hi - o->lo &&
	       len <= o->hi - p &&
	       o->frees == atomic_load_explicit(&dk_dbg_obj_frees,
						memory_order_relaxed);
}

/* dk_dbg_check_object() of linear-map memory at @pa, @dev seen live. */
static inline void dk_dbg_object_check_at(struct device *dev, const void *ptr,
					  phys_addr_t pa, size_t len)
{
	if (!dk_dbg_object_known(dev, ptr, len))
		dk_dbg_object_look(dev, ptr, pa, len);
}

/* object.c: report [@ptr, +@len) as mapping a freed kmalloc object
 * (@st < 0) or running past its object [@start, +@size), if it does. */
void dk_dbg_object_report(struct device *dev, const void *ptr, size_t len,
			  int st, const void *start, size_t size);

/* The cache wrote CPU-dirty lines [pa, pa+size) back during a device
 * access: report those @e gives the device (hooks.c). */
void dk_dbg_check_written_back(struct dk_dbg_entry *e, phys_addr_t pa,
			       u64 size);

/* Cacheline tracking. Returns the overlap count after insertion. */
int dk_dbg_lines_insert(struct dk_dbg_entry *e, u32 line);
void dk_dbg_lines_remove(struct dk_dbg_entry *e, u32 line);

#endif
