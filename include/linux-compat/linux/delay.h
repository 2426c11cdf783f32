/* SPDX-License-Identifier: MIT */
/*
 * <linux/delay.h> for driver code built against dmakit: delays on the
 * platform's clock (<linux/jiffies.h>). On the simulated SoC a delay lets
 * that much simulated time pass, every device event that falls due
 * meanwhile running (an interrupt among them), and costs no real time;
 * on real hardware it sleeps. While kernel threads (<linux/kthread.h>)
 * run, which take real time, a delay on the simulated SoC takes its
 * length in real time as well, so the threads get the time a sleeper
 * leaves them.
 */
#ifndef DMAKIT_COMPAT_LINUX_DELAY_H
#define DMAKIT_COMPAT_LINUX_DELAY_H

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dk_delay_ns() - let @ns nanoseconds pass on the platform's clock (see
 * above).
 * @ns: nanoseconds; 0 returns at once.
 *
 * Context: may run interrupt handlers (unless this thread disabled
 * interrupts: then they wait until it enables them again).
 */
void dk_delay_ns(u64 ns);

/**
 * ndelay() - busy-wait @ns nanoseconds.
 * @ns: nanoseconds.
 */
static inline void ndelay(unsigned long ns)
{
	dk_delay_ns(ns);
}

/**
 * udelay() - busy-wait @us microseconds.
 * @us: microseconds.
 */
static inline void udelay(unsigned long us)
{
	dk_delay_ns((u64)us * NSEC_PER_USEC);
}

/**
 * mdelay() - busy-wait @ms milliseconds.
 * @ms: milliseconds.
 */
static inline void mdelay(unsigned long ms)
{
	dk_delay_ns((u64)ms * NSEC_PER_MSEC);
}

/**
 * usleep_range() - sleep between @min and @max microseconds: @min here,
 * so simulated time is deterministic.
 * @min: microseconds at least.
 * @max: at most.
 */
static inline void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	dk_delay_ns((u64)min * NSEC_PER_USEC);
}

/**
 * fsleep() - sleep @us microseconds.
 * @us: microseconds.
 */
static inline void fsleep(unsigned long us)
{
	dk_delay_ns((u64)us * NSEC_PER_USEC);
}

/**
 * msleep() - sleep @ms milliseconds.
 * @ms: milliseconds.
 */
static inline void msleep(unsigned int ms)
{
	dk_delay_ns((u64)ms * NSEC_PER_MSEC);
}

/**
 * msleep_interruptible() - msleep(); there are no signals to end it
 * early.
 * @msecs: milliseconds.
 *
 * Return: the milliseconds left: 0.
 */
static inline unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}

/**
 * ssleep() - sleep @seconds seconds.
 * @seconds: seconds.
 */
static inline void ssleep(unsigned int seconds)
{
	dk_delay_ns((u64)seconds * NSEC_PER_SEC);
}

#ifdef __cplusplus
}
#endif

#endif
