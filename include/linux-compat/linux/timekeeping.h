/* SPDX-License-Identifier: MIT */
/*
 * <linux/timekeeping.h> for driver code built against dmakit: the clocks
 * a driver reads. There is one clock, the platform's (<linux/ktime.h>):
 * on the simulated SoC it is simulated time, which passes only as the
 * simulation advances it (delays, waits, register stalls), not while
 * the CPU computes; the monotonic, raw and boot clocks are all it.
 */
#ifndef DMAKIT_COMPAT_LINUX_TIMEKEEPING_H
#define DMAKIT_COMPAT_LINUX_TIMEKEEPING_H

#include <linux/ktime.h>

#define ktime_get_raw()			ktime_get()
#define ktime_get_boottime()		ktime_get()
#define ktime_get_raw_ns()		ktime_get_ns()
#define ktime_get_boottime_ns()		ktime_get_ns()
#define ktime_get_mono_fast_ns()	ktime_get_ns()

#endif
