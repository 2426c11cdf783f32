// SPDX-License-Identifier: MIT
/* Completions whose waits let the platform's time pass (<linux/completion.h>). */
#include <limits.h>

#include <linux/completion.h>
#include <linux/wait.h>

#include "linux.h"

void complete(struct completion *x)
{
	unsigned int v = __atomic_load_n(&x->done, __ATOMIC_RELAXED);

	/* complete_all()'s UINT_MAX stays. */
	while (v != UINT_MAX &&
	       !__atomic_compare_exchange_n(&x->done, &v, v + 1, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

void complete_all(struct completion *x)
{
	__atomic_store_n(&x->done, UINT_MAX, __ATOMIC_RELEASE);
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned int v = __atomic_load_n(&x->done, __ATOMIC_ACQUIRE);

	for (;;) {
		if (!v)
			return false;
		if (v == UINT_MAX)
			return true;
		if (__atomic_compare_exchange_n(&x->done, &v, v - 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_ACQUIRE))
			return true;
	}
}

bool completion_done(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_ACQUIRE) != 0;
}

static bool consumed(void *arg)
{
	return try_wait_for_completion(arg);
}

unsigned long dk_wait_jiffies(unsigned long timeout, const char *what,
			      bool (*done)(void *arg), void *arg)
{
	u64 start = dk_time_ns(), ns, left;

	if (dk_irqs_disabled())
		dk_warn("BUG: %s with interrupts disabled: no handler can complete it",
			what);
	ns = timeout > ~0ULL / DK_NSEC_PER_JIFFY ? ~0ULL :
						 (u64)timeout * DK_NSEC_PER_JIFFY;
	if (!dk_wait_ns(ns, done, arg))
		return 0;
	left = ns - dk_min64(ns, dk_time_ns() - start);
	return left / DK_NSEC_PER_JIFFY ? left / DK_NSEC_PER_JIFFY : 1;
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout)
{
	return dk_wait_jiffies(timeout, "wait_for_completion", consumed, x);
}

void wait_for_completion(struct completion *x)
{
	if (!wait_for_completion_timeout(x, DK_HUNG_TASK_SECS * HZ))
		dk_wait_hung("wait_for_completion");
}

long wait_for_completion_interruptible_timeout(struct completion *x,
					       unsigned long timeout)
{
	return (long)wait_for_completion_timeout(x, timeout);
}

int wait_for_completion_interruptible(struct completion *x)
{
	wait_for_completion(x);
	return 0;
}
