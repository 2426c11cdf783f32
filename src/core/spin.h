/* SPDX-License-Identifier: MIT */
/*
 * A lock for sections of a few hundred instructions, where a mutex's
 * lock and unlock cost as much as the section and a waiter that sleeps
 * costs a system call on each side: a waiter spins a little on a plain
 * load (the line stays shared until the holder lets go), then gives its
 * CPU away, since with more threads than cores the holder may be waiting
 * for it. Not recursive.
 */
#ifndef DMAKIT_CORE_SPIN_H
#define DMAKIT_CORE_SPIN_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

#define DK_SPINS 64

static inline void dk_spin_lock(atomic_bool *held)
{
	int spins = 0;

	while (atomic_exchange_explicit(held, true, memory_order_acquire))
		while (atomic_load_explicit(held, memory_order_relaxed))
			if (++spins >= DK_SPINS) {
				sched_yield();
				spins = 0;
			}
}

static inline void dk_spin_unlock(atomic_bool *held)
{
	atomic_store_explicit(held, false, memory_order_release);
}

#endif
