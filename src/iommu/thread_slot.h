/* SPDX-License-Identifier: MIT */
/*
 * Per-thread slots, as Linux's per-CPU caches are: each thread is given a
 * small number in turn (dk_thread_no()) and works in the slot it picks
 * with it, so two threads seldom share one. A slot's lock is then core's
 * spin lock: one atomic exchange to take, a release store to give back,
 * where a mutex costs two atomic operations and two calls.
 */
#ifndef DMAKIT_IOMMU_THREAD_SLOT_H
#define DMAKIT_IOMMU_THREAD_SLOT_H

#include <stdatomic.h>

#include "../core/spin.h"

/* iova.c: the calling thread's number once given (~0U before), and the
 * giving; initial-exec, so a look costs one load and no call. */
extern _Thread_local unsigned int dk_thread_no_tls
	__attribute__((tls_model("initial-exec")));
unsigned int dk_thread_no_new(void);

/* The calling thread's number, 0 for the first to ask. */
static inline unsigned int dk_thread_no(void)
{
	unsigned int n = dk_thread_no_tls;

	return n != ~0U ? n : dk_thread_no_new();
}

static inline void dk_slot_lock(atomic_bool *busy)
{
	dk_spin_lock(busy);
}

static inline void dk_slot_unlock(atomic_bool *busy)
{
	dk_spin_unlock(busy);
}

#endif
