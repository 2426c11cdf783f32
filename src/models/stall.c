// SPDX-License-Identifier: MIT
/*
 * Register accesses that take time: see include/dmakit/models/stall.h.
 */
#include <sched.h>
#include <stdatomic.h>

#include <dmakit/models/stall.h>

#include "../sim/soc_internal.h"

/* Nested stalls would re-enter the loop that is already running them. */
static _Thread_local struct dk_soc *stalling;

static void stall_over(struct dk_soc *soc, void *arg)
{
	(void)soc;
	atomic_store((atomic_bool *)arg, true);
}

void dk_simdev_stall(struct dk_simdev *dev, u64 cycles)
{
	struct dk_soc *soc = dev ? dk_simdev_soc(dev) : NULL;
	atomic_bool over = false;
	bool threaded;
	int depth;

	if (!soc || !cycles || stalling == soc)
		return;
	pthread_mutex_lock(&soc->lock);
	threaded = soc->threaded;
	pthread_mutex_unlock(&soc->lock);
	/* The loop's thread waiting for itself would wait forever. */
	if (threaded && pthread_equal(pthread_self(), soc->runner))
		return;
	if (dk_soc_schedule(soc, cycles, stall_over, &over))
		return;
	stalling = soc;
	/* The events run while this register access waits (on the loop's
	 * own thread, or here) take the model lock it holds, and deliver
	 * interrupts whose handlers take driver locks: let it go meanwhile,
	 * so no lock is ever taken after it out of order. */
	depth = dk_model_release(soc);
	while (!atomic_load(&over)) {
		if (threaded)
			sched_yield();
		else
			dk_soc_step(soc);
	}
	dk_model_reacquire(soc, depth);
	stalling = NULL;
}

struct dk_soc *dk_stall_exempt_begin(struct dk_soc *soc)
{
	struct dk_soc *prev = stalling;

	stalling = soc;
	return prev;
}

void dk_stall_exempt_end(struct dk_soc *prev)
{
	stalling = prev;
}
