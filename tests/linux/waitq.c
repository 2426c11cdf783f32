// SPDX-License-Identifier: MIT
/*
 * A wait queue as a driver's transfer routine waits on it, with only
 * <linux/...> includes (tests/test_linux_kernel_helpers.c).
 */
#include <linux/device.h>
#include <linux/jiffies.h>

#include "waitq.h"

struct waitq_data {
	spinlock_t lock;
	wait_queue_head_t wait;
	int sr;
};

long waitq_wait(int done, long timeout)
{
	struct waitq_data pd;

	spin_lock_init(&pd.lock);
	init_waitqueue_head(&pd.wait);
	pd.sr = done;
	return wait_event_timeout(pd.wait, pd.sr & 1, timeout);
}
