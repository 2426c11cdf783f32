/* SPDX-License-Identifier: MIT */
/*
 * The lock of a shard of the checker's table. It is held for an index
 * update of a few hundred instructions, where a pthread mutex's lock and
 * unlock were a tenth of a checked map+unmap. A waiter spins a little,
 * then gives its CPU away: with more threads than cores, the holder may
 * be waiting for it. Not recursive, like the mutex it replaced.
 */
#ifndef DMAKIT_DEBUG_LOCK_H
#define DMAKIT_DEBUG_LOCK_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

#define DK_DBG_LOCK_SPINS 64

struct dk_dbg_lock {
	atomic_bool held;
};

/* The wait, out of line: the callers' fast paths then keep their
 * registers for themselves. */
static __attribute__((noinline, unused)) void
dk_dbg_lock_wait(struct dk_dbg_lock *l)
{
	int spins = 0;

	do
		while (atomic_load_explicit(&l->held, memory_order_relaxed))
			if (++spins >= DK_DBG_LOCK_SPINS) {
				sched_yield();
				spins = 0;
			}
	while (atomic_exchange_explicit(&l->held, true, memory_order_acquire));
}

static inline void dk_dbg_lock(struct dk_dbg_lock *l)
{
	if (atomic_exchange_explicit(&l->held, true, memory_order_acquire))
		dk_dbg_lock_wait(l);
}

/* The lock if it is free: a fast path that must not wait can then leave
 * the waiting to a slower one, and save no registers for it. */
static inline bool dk_dbg_trylock(struct dk_dbg_lock *l)
{
	return !atomic_exchange_explicit(&l->held, true, memory_order_acquire);
}

static inline void dk_dbg_unlock(struct dk_dbg_lock *l)
{
	atomic_store_explicit(&l->held, false, memory_order_release);
}

#endif
