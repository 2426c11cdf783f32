/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched.h> for driver code built against dmakit: the scheduling
 * calls a driver makes in long loops. There is one task and no
 * preemption to yield to, so nothing is ever waiting: need_resched() is
 * false and cond_resched() returns at once.
 */
#ifndef DMAKIT_COMPAT_LINUX_SCHED_H
#define DMAKIT_COMPAT_LINUX_SCHED_H

#include <stdbool.h>

#include <linux/jiffies.h>

/**
 * need_resched() - whether another task waits for the CPU.
 *
 * Return: false.
 */
static inline bool need_resched(void)
{
	return false;
}

/**
 * cond_resched() - yield the CPU if another task needs it.
 *
 * Return: 0 (nothing was run).
 */
static inline int cond_resched(void)
{
	return 0;
}

#define schedule()		((void)0)

#endif
