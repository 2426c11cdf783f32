/* SPDX-License-Identifier: MIT */
/*
 * The checker's table is spread over shards, and each device's entries
 * over lanes of them, one per mapping thread (entry.c). What a thread
 * does with the mapping it made last -- add it, check its mapping error,
 * unmap it -- is done here inline on its own lane, with no call: the
 * calls and the registers saved around them were most of a checked
 * map+unmap. Everything else is entry.c's.
 */
#ifndef DMAKIT_DEBUG_LANE_H
#define DMAKIT_DEBUG_LANE_H

#include <stdatomic.h>

#include "entry.h"
#include "lock.h"
#include "poison.h"

#define DK_DBG_NSHARDS 64

/*
 * A shard's counters are written under its lock: threads of devices in
 * different shards share no cache line (the shards are line-aligned),
 * where one process-wide counter made every map and unmap bounce its line
 * between them.
 */
struct dk_dbg_shard {
	struct dk_dbg_lock lock;
	struct dk_inode *by_dma;	/* (device, dma address) */
	struct dk_inode *by_phys;	/* (device, pa), (device, dev_pa) */
	u64 seq;			/* insertion order of its entries */
	/* The entry inserted last while it lives: a driver checks or
	 * unmaps the mapping it just made more often than any other, and
	 * this one is the first the walks at its address would meet. While
	 * @pending, it is in no index yet: a map+unmap that nothing looked
	 * up in between costs no index work, and any walk of the lane puts
	 * it in first (entry.c: lock_settled()). */
	struct dk_dbg_entry *newest;
	bool pending;
	atomic_ulong live, peak;	/* read without the lock */
	/* Above, in one line: what a map+unmap of the newest entry
	 * touches. Below: the entries of by_dma again, hashed by (device,
	 * dma address), newest first in each chain: an unmap or a
	 * mapping-error check finds its entry in a bucket where a walk
	 * down a tree of 10^5 entries read a line of every level. NULL:
	 * none (every lookup walks by_dma); once set, it holds every
	 * indexed entry. */
	struct dk_dbg_entry **by_key;
	unsigned int key_bits;		/* log2 of its buckets */
	unsigned long nkeyed;
	/* Entries in by_key but in no tree yet, oldest first (entry.c:
	 * settle()): a mapping made and unmapped with only exact lookups
	 * in between never costs a walk down the trees. */
	struct dk_dbg_entry *unset_head, *unset_tail;
	unsigned int nunset;
} __attribute__((aligned(128)));

extern struct dk_dbg_shard dk_dbg_shards[DK_DBG_NSHARDS]
	__attribute__((visibility("hidden")));

/* The device this thread mapped for last and its own lane of it. */
extern _Thread_local const struct device *dk_dbg_lane_dev
	__attribute__((tls_model("initial-exec"), visibility("hidden")));
extern _Thread_local struct dk_dbg_shard *dk_dbg_lane
	__attribute__((tls_model("initial-exec"), visibility("hidden")));
struct dk_dbg_shard *dk_dbg_lane_find(const struct device *dev)
	__attribute__((visibility("hidden")));

/* The caller's own lane of @dev: a function of the two alone, so the
 * last answer stands while the thread keeps mapping for one device. */
static inline struct dk_dbg_shard *dk_dbg_own_lane(const struct device *dev)
{
	struct dk_dbg_shard *s = dk_dbg_lane;

	if (dev != dk_dbg_lane_dev || !s)
		s = dk_dbg_lane_find(dev);
	return s;
}

/* The shard's newest entry if it is @dev's at @dma; the lock is held. */
static inline struct dk_dbg_entry *
dk_dbg_newest_at(const struct dk_dbg_shard *s, const struct device *dev,
		 dma_addr_t dma)
{
	struct dk_dbg_entry *e = s->newest;

	return e && e->dev == dev && e->dma == dma ? e : NULL;
}

/* One entry fewer on the lane; the lock is held. */
static inline void dk_dbg_lane_uncount(struct dk_dbg_shard *s)
{
	atomic_store_explicit(&s->live,
			      atomic_load_explicit(&s->live,
						   memory_order_relaxed) - 1,
			      memory_order_relaxed);
}

/* The lane's pending newest entry leaves it (it was in no index); the
 * lock is held. */
static inline void dk_dbg_lane_drop_pending(struct dk_dbg_shard *s)
{
	s->newest = NULL;
	s->pending = false;
	dk_dbg_lane_uncount(s);
}

/* dk_dbg_entry_add() when the lane is busy, or its newest entry must go
 * into the indexes first (@locked: the caller holds the lock). */
void dk_dbg_entry_add_slow(struct dk_dbg_shard *s, struct dk_dbg_entry *e,
			   bool locked) __attribute__((visibility("hidden")));
void dk_dbg_owners_add(struct dk_dbg_entry *e)
	__attribute__((visibility("hidden")));

/* @e becomes @s's newest, pending; the lock is held, nothing else is
 * pending, and is given up. */
static inline void dk_dbg_add_newest(struct dk_dbg_shard *s,
				     struct dk_dbg_entry *e)
{
	unsigned long n;

	e->by_dma.seq = s->seq++;
	s->newest = e;
	s->pending = true;
	n = atomic_load_explicit(&s->live, memory_order_relaxed) + 1;
	atomic_store_explicit(&s->live, n, memory_order_relaxed);
	if (n > atomic_load_explicit(&s->peak, memory_order_relaxed))
		atomic_store_explicit(&s->peak, n, memory_order_relaxed);
	dk_dbg_unlock(&s->lock);
}

/* Into the table, as the caller's newest entry on its lane of e->dev.
 * @e came from dk_dbg_entry_new(), which ran the table's set-up. */
static inline void dk_dbg_entry_add(struct dk_dbg_entry *e)
{
	struct dk_dbg_shard *s = dk_dbg_own_lane(e->dev);
	bool locked;

	e->home = s;
	locked = dk_dbg_trylock(&s->lock);
	if (!locked || s->pending) {
		dk_dbg_entry_add_slow(s, e, locked);
		return;
	}
	dk_dbg_add_newest(s, e);
	/* dk_dbg_owners_add()'s last test first: poisoning known off. */
	if (atomic_load_explicit(&dk_poison_state, memory_order_relaxed))
		dk_dbg_owners_add(e);
}

/* The caller's own lane of @dev, locked, if it is the lane of the device
 * it mapped for last and free; else NULL. No lane to look up, no lock to
 * wait for: no call either. */
static inline struct dk_dbg_shard *dk_dbg_own_lane_trylock(
	const struct device *dev)
{
	struct dk_dbg_shard *s = dk_dbg_lane;

	return dev == dk_dbg_lane_dev && s && dk_dbg_trylock(&s->lock) ? s :
									 NULL;
}

/*
 * The caller's pending newest entry on its free lane (of the device it
 * mapped for last), if it is @dev's at
 * @dma and @ok says so (the entry and @arg; the lock is held), taken out
 * of the table; else NULL, nothing taken (dk_dbg_entry_take() and the
 * rest then do the work).
 */
static inline __attribute__((always_inline)) struct dk_dbg_entry *
dk_dbg_take_newest_if(struct device *dev, dma_addr_t dma,
		      bool (*ok)(const struct dk_dbg_entry *e,
				 const void *arg),
		      const void *arg)
{
	struct dk_dbg_shard *s = dk_dbg_own_lane_trylock(dev);
	struct dk_dbg_entry *e;

	if (!s)
		return NULL;
	e = dk_dbg_newest_at(s, dev, dma);
	if (e && s->pending && ok(e, arg))
		dk_dbg_lane_drop_pending(s);
	else
		e = NULL;
	dk_dbg_unlock(&s->lock);
	return e;
}

#endif
