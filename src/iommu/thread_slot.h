/* SPDX-License-Identifier: MIT */
/*
 * Per-thread slots, as Linux's per-CPU caches are: each thread is given a
 * small number in turn (dk_thread_no(), core/thread_no.h) and works in
 * the slot it picks with it, so two threads seldom share one. A slot's lock is then core's
 * spin lock: one atomic exchange to take, a release store to give back,
 * where a mutex costs two atomic operations and two calls.
 */
#ifndef DMAKIT_IOMMU_THREAD_SLOT_H
#define DMAKIT_IOMMU_THREAD_SLOT_H

#include <stdatomic.h>

#include "../core/spin.h"
#include "../core/thread_no.h"

static inline void dk_slot_lock(atomic_bool *busy)
{
	dk_spin_lock(busy);
}

static inline void dk_slot_unlock(atomic_bool *busy)
{
	dk_spin_unlock(busy);
}

#endif
