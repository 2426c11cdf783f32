/* SPDX-License-Identifier: MIT */
/*
 * <linux/wait.h> for driver code built against dmakit: wait queues. A
 * wait_event*() waits on the platform's clock, devices running meanwhile
 * (so the interrupt whose handler calls wake_up() arrives), and tests the
 * condition again after every wake_up() of the queue, as Linux does.
 */
#ifndef DMAKIT_COMPAT_LINUX_WAIT_H
#define DMAKIT_COMPAT_LINUX_WAIT_H

#include <stdbool.h>

#include <linux/list.h>
#include <linux/compiler.h>
#include <linux/jiffies.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct wait_queue_head - what waiters wait on.
 */
struct wait_queue_head {
	/** @wakeups: wake_up() calls so far */
	unsigned int wakeups;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name)	{ 0 }
#define DECLARE_WAIT_QUEUE_HEAD(name)					\
	wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DECLARE_WAIT_QUEUE_HEAD_ONSTACK(name)	DECLARE_WAIT_QUEUE_HEAD(name)

/**
 * init_waitqueue_head() - prepare a wait queue: no wake-up yet.
 * @wq: the queue.
 */
static inline void init_waitqueue_head(wait_queue_head_t *wq)
{
	__atomic_store_n(&wq->wakeups, 0, __ATOMIC_RELEASE);
}

/**
 * wake_up() - make every waiter of @wq test its condition again.
 * @wq: the queue.
 *
 * Context: any, interrupt handlers included.
 */
static inline void wake_up(wait_queue_head_t *wq)
{
	__atomic_add_fetch(&wq->wakeups, 1, __ATOMIC_RELEASE);
}

#define wake_up_all(wq)			wake_up(wq)
#define wake_up_interruptible(wq)	wake_up(wq)
#define wake_up_interruptible_all(wq)	wake_up(wq)

/**
 * dk_wait_woken() - wait on the platform's clock until @wq is woken after
 * the caller saw @seen wake-ups, or @timeout jiffies pass (the step of
 * every wait_event*()).
 * @wq: the queue.
 * @seen: its wakeups when the caller last tested its condition.
 * @timeout: jiffies; 0 or less returns at once.
 *
 * Context: may sleep; with interrupts disabled the wait is reported
 * (no handler could wake it).
 * Return: the jiffies left, at least 1 if woken; 0 if the time ran out.
 */
long dk_wait_woken(wait_queue_head_t *wq, unsigned int seen, long timeout);

/**
 * dk_wait_hung() - report a wait without a timeout that nothing ended in
 * 120 s of simulated time (Linux's hung-task report), which is given up.
 * @what: the waiting call, for the message.
 */
void dk_wait_hung(const char *what);

/*
 * Linux's values: 0 if @condition is still false when @timeout ran out;
 * else the jiffies left, at least 1. Waits are never interrupted here
 * (there are no signals), so the _interruptible forms are the same.
 */
#define wait_event_timeout(wq, condition, timeout)			\
	({								\
		long __dk_left = (long)(timeout);			\
		bool __dk_ok;						\
		for (;;) {						\
			unsigned int __dk_seen =			\
				__atomic_load_n(&(wq).wakeups,		\
						__ATOMIC_ACQUIRE);	\
			__dk_ok = (condition);				\
			if (__dk_ok || __dk_left <= 0)			\
				break;					\
			__dk_left = dk_wait_woken(&(wq), __dk_seen,	\
						  __dk_left);		\
		}							\
		__dk_ok ? (__dk_left > 0 ? __dk_left : 1) : 0;		\
	})
#define wait_event_interruptible_timeout(wq, condition, timeout)	\
	wait_event_timeout(wq, condition, timeout)
#define wait_event_idle_timeout(wq, condition, timeout)			\
	wait_event_timeout(wq, condition, timeout)
/* Without a timeout: as long as Linux's hung-task report takes (120 s of
 * simulated time), then the wait is reported and given up. */
#define wait_event(wq, condition)					\
	do {								\
		if (!wait_event_timeout(wq, condition, 120 * HZ))	\
			dk_wait_hung("wait_event");			\
	} while (0)
#define wait_event_interruptible(wq, condition)				\
	({ wait_event(wq, condition); 0; })
#define wait_event_idle(wq, condition)	wait_event(wq, condition)

#ifdef __cplusplus
}
#endif

#endif
