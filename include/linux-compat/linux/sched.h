/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched.h> for driver code built against dmakit: the scheduling
 * calls a driver makes in long loops. There is one task and no
 * preemption to yield to, so nothing is ever waiting: need_resched() is
 * false and cond_resched() returns at once.
 */
#ifndef DMAKIT_COMPAT_LINUX_SCHED_H
#define DMAKIT_COMPAT_LINUX_SCHED_H

#include <linux/jiffies.h>

#define need_resched()		0
#define cond_resched()		0
#define schedule()		((void)0)

#endif
