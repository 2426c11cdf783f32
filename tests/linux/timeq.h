/* SPDX-License-Identifier: MIT */
/* tests/linux/timeq.c: platform time each delay took. */
#ifndef DMAKIT_TESTS_LINUX_TIMEQ_H
#define DMAKIT_TESTS_LINUX_TIMEQ_H

/* udelay(3), usleep_range(50, 100), mdelay(2), msleep(30), ndelay(7),
 * then a jiffies loop of msecs_to_jiffies(25): ns each; jiffies passed. */
void timeq_run(unsigned long long ns[6], unsigned long *jiffy_delta);

#endif
