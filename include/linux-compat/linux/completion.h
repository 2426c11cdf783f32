/* SPDX-License-Identifier: MIT */
/*
 * <linux/completion.h> for driver code built against dmakit.
 *
 * A wait lets time pass on the platform's clock (<linux/jiffies.h>): on
 * the simulated SoC the waiting CPU runs the event loop, so the device
 * finishes and its interrupt handler, which calls complete(), runs during
 * the wait, exactly as on hardware and with no idle call by the driver.
 * When nothing is pending before the timeout, the simulated clock jumps
 * to it and the wait times out at once (another thread's complete() is
 * only seen if it comes first; in the SoC's threaded mode the loop runs
 * on its own thread and the wait watches).
 */
#ifndef DMAKIT_COMPAT_LINUX_COMPLETION_H
#define DMAKIT_COMPAT_LINUX_COMPLETION_H

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct completion - an event that happens, counted.
 */
struct completion {
	/** @done: complete() calls not yet consumed by a wait; UINT_MAX
	 * after complete_all() */
	unsigned int done;
};

#define COMPLETION_INITIALIZER(work)	{ 0 }
#define DECLARE_COMPLETION(work)	struct completion work = { 0 }
#define DECLARE_COMPLETION_ONSTACK(work) DECLARE_COMPLETION(work)

/**
 * init_completion() - start a completion at "not done".
 * @x: the completion.
 */
static inline void init_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_RELEASE);
}

/**
 * reinit_completion() - make a used completion "not done" again.
 * @x: the completion.
 */
static inline void reinit_completion(struct completion *x)
{
	init_completion(x);
}

/**
 * complete() - let one waiter (the next one) through.
 * @x: the completion.
 *
 * Context: any, an interrupt handler included.
 */
void complete(struct completion *x);

/**
 * complete_all() - let every waiter through, now and later, until
 * reinit_completion().
 * @x: the completion.
 *
 * Context: any.
 */
void complete_all(struct completion *x);

/**
 * try_wait_for_completion() - consume a complete() if there is one,
 * without waiting.
 * @x: the completion.
 *
 * Return: true if one was consumed.
 */
bool try_wait_for_completion(struct completion *x);

/**
 * completion_done() - whether a wait would go through at once.
 * @x: the completion.
 *
 * Return: true if complete() was called more often than waits consumed.
 */
bool completion_done(struct completion *x);

/**
 * wait_for_completion_timeout() - wait for complete(), at most @timeout
 * jiffies of the platform's clock, devices running meanwhile.
 * @x: the completion.
 * @timeout: jiffies.
 *
 * Context: may run interrupt handlers; must not be called with a spinlock
 * held or interrupts disabled (the handler could never run: reported).
 * Return: 0 if it timed out, else the jiffies left (at least 1).
 */
unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout);

/**
 * wait_for_completion() - wait for complete() with no timeout. So that a
 * program never hangs, a wait with nothing pending that could end it gives
 * up after 120 s of the platform's clock, as Linux's hung-task detector
 * would report it, printing "INFO: task blocked for more than 120
 * seconds" and returning as if completed.
 * @x: the completion.
 *
 * Context: as wait_for_completion_timeout().
 */
void wait_for_completion(struct completion *x);

/**
 * wait_for_completion_interruptible_timeout() - the same; no signal
 * interrupts it here.
 * @x: the completion.
 * @timeout: jiffies.
 *
 * Return: as wait_for_completion_timeout().
 */
long wait_for_completion_interruptible_timeout(struct completion *x,
					       unsigned long timeout);

/**
 * wait_for_completion_interruptible() - wait_for_completion(); no signal
 * interrupts it here.
 * @x: the completion.
 *
 * Return: 0.
 */
int wait_for_completion_interruptible(struct completion *x);

#define wait_for_completion_killable(x)	wait_for_completion_interruptible(x)
#define wait_for_completion_io_timeout(x, t) wait_for_completion_timeout(x, t)

#ifdef __cplusplus
}
#endif

#endif
