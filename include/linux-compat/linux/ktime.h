/* SPDX-License-Identifier: MIT */
/* <linux/ktime.h> for driver code built against dmakit: nanosecond time
 * on the platform's clock (<linux/jiffies.h>). */
#ifndef DMAKIT_COMPAT_LINUX_KTIME_H
#define DMAKIT_COMPAT_LINUX_KTIME_H

#include <linux/jiffies.h>

typedef s64 ktime_t;

/**
 * ktime_get() - the time now.
 *
 * Return: nanoseconds on the platform's clock.
 */
static inline ktime_t ktime_get(void)
{
	return (ktime_t)dk_time_ns();
}

#define ktime_add(a, b)		((a) + (b))
#define ktime_set(secs, ns)	((ktime_t)(secs) * (ktime_t)NSEC_PER_SEC + (ktime_t)(ns))
#define ns_to_ktime(ns)		((ktime_t)(ns))
#define ms_to_ktime(ms)		((ktime_t)(ms) * (ktime_t)NSEC_PER_MSEC)
#define us_to_ktime(us)		((ktime_t)(us) * (ktime_t)NSEC_PER_USEC)
#define ktime_add_us(t, us)	((t) + (ktime_t)(us) * (ktime_t)NSEC_PER_USEC)
#define ktime_add_ns(t, ns)	((t) + (ktime_t)(ns))
#define ktime_sub(a, b)		((a) - (b))
#define ktime_compare(a, b)	((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#define ktime_after(a, b)	((a) > (b))
#define ktime_before(a, b)	((a) < (b))
#define ktime_to_ns(t)		((s64)(t))
#define ktime_to_us(t)		((s64)(t) / (s64)NSEC_PER_USEC)
#define ktime_to_ms(t)		((s64)(t) / (s64)NSEC_PER_MSEC)
#define ktime_us_delta(a, b)	ktime_to_us((a) - (b))
#define ktime_get_ns()		((u64)ktime_get())

#endif
