// SPDX-License-Identifier: MIT
/* Wait queues whose waits let the platform's time pass (<linux/wait.h>). */
#include <linux/wait.h>

#include "linux.h"

struct woken {
	const wait_queue_head_t *wq;
	unsigned int seen;
};

static bool woken(void *arg)
{
	const struct woken *w = arg;

	return __atomic_load_n(&w->wq->wakeups, __ATOMIC_ACQUIRE) != w->seen;
}

long dk_wait_woken(wait_queue_head_t *wq, unsigned int seen, long timeout)
{
	struct woken w = { wq, seen };

	if (timeout <= 0)
		return 0;
	return (long)dk_wait_jiffies((unsigned long)timeout, "wait_event",
				     woken, &w);
}

void dk_wait_hung(const char *what)
{
	dk_warn("INFO: task blocked for more than %d seconds (%s: nothing pending ends it); giving up",
		DK_HUNG_TASK_SECS, what);
}
