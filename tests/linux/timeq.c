// SPDX-License-Identifier: MIT
/*
 * Delays and jiffies as a driver uses them, with only <linux/...>
 * includes: how much platform time each took (tests/test_linux_of.c).
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>

#include "timeq.h"

void timeq_run(unsigned long long ns[6], unsigned long *jiffy_delta)
{
	unsigned long j0 = jiffies, timeout;
	ktime_t t = ktime_get();

	udelay(3);
	ns[0] = ktime_to_ns(ktime_sub(ktime_get(), t));
	t = ktime_get();
	usleep_range(50, 100);
	ns[1] = ktime_to_ns(ktime_sub(ktime_get(), t));
	t = ktime_get();
	mdelay(2);
	ns[2] = ktime_to_ns(ktime_sub(ktime_get(), t));
	t = ktime_get();
	msleep(30);
	ns[3] = ktime_to_ns(ktime_sub(ktime_get(), t));
	t = ktime_get();
	ndelay(7);
	ns[4] = ktime_to_ns(ktime_sub(ktime_get(), t));
	/* The classic loop on jiffies. */
	t = ktime_get();
	timeout = jiffies + msecs_to_jiffies(25);
	while (time_before(jiffies, timeout))
		usleep_range(1000, 2000);
	ns[5] = ktime_to_ns(ktime_sub(ktime_get(), t));
	*jiffy_delta = jiffies - j0;
}
