/* SPDX-License-Identifier: MIT */
/*
 * <linux/jiffies.h> for driver code built against dmakit.
 *
 * Time is the platform's clock: on the simulated SoC one cycle of its
 * event loop is one nanosecond (a 1 GHz clock), so jiffies advance only
 * as the simulated time does, when the CPU waits (udelay(), a completion,
 * a poll) or a register access stalls it; on real hardware it is the
 * host's monotonic clock. HZ is 100, as the C library's <sys/param.h>
 * says too: a jiffy is 10 ms.
 */
#ifndef DMAKIT_COMPAT_LINUX_JIFFIES_H
#define DMAKIT_COMPAT_LINUX_JIFFIES_H

#include <linux/compiler.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef HZ
#define HZ			100
#endif
#define NSEC_PER_USEC		1000UL
#define NSEC_PER_MSEC		1000000UL
#define USEC_PER_MSEC		1000UL
#define MSEC_PER_SEC		1000UL
#define USEC_PER_SEC		1000000UL
#define NSEC_PER_SEC		1000000000UL
#define MAX_JIFFY_OFFSET	((unsigned long)(~0UL >> 1) - 1)
#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))
#define DK_NSEC_PER_JIFFY	(NSEC_PER_SEC / HZ)
#define DK_MSEC_PER_JIFFY	(MSEC_PER_SEC / HZ)

/**
 * dk_time_ns() - the current machine's time in nanoseconds: the
 * simulated clock, or the host's monotonic clock on a platform without
 * one (or with no machine booted).
 *
 * Return: nanoseconds since an arbitrary start.
 */
u64 dk_time_ns(void);

/* Read-only, as drivers use it. */
#define jiffies			((unsigned long)(dk_time_ns() / DK_NSEC_PER_JIFFY))
#define jiffies_64		((u64)(dk_time_ns() / DK_NSEC_PER_JIFFY))

/**
 * msecs_to_jiffies() - a duration in jiffies, rounded up.
 * @m: milliseconds.
 *
 * Return: jiffies.
 */
static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return (m + DK_MSEC_PER_JIFFY - 1) / DK_MSEC_PER_JIFFY;
}

/**
 * usecs_to_jiffies() - a duration in jiffies, rounded up.
 * @u: microseconds.
 *
 * Return: jiffies.
 */
static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	return (u + USEC_PER_SEC / HZ - 1) / (USEC_PER_SEC / HZ);
}

/**
 * jiffies_to_msecs() - a duration in milliseconds.
 * @j: jiffies.
 *
 * Return: milliseconds.
 */
static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * DK_MSEC_PER_JIFFY);
}

/**
 * jiffies_to_usecs() - a duration in microseconds.
 * @j: jiffies.
 *
 * Return: microseconds.
 */
static inline unsigned int jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(j * (USEC_PER_SEC / HZ));
}

/* Comparisons that survive the counter wrapping. */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)

#ifdef __cplusplus
}
#endif

#endif
