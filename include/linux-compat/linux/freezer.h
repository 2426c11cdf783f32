/* SPDX-License-Identifier: MIT */
/*
 * <linux/freezer.h> for driver code built against dmakit: there is no
 * system suspend, so nothing is ever frozen; a freezable wait is a plain
 * one.
 */
#ifndef DMAKIT_COMPAT_LINUX_FREEZER_H
#define DMAKIT_COMPAT_LINUX_FREEZER_H

#include <stdbool.h>

#include <linux/wait.h>

#define set_freezable()		((void)0)
#define freezing(p)		((void)(p), false)
#define try_to_freeze()		false

#define wait_event_freezable(wq, condition)				\
	wait_event_interruptible(wq, condition)
#define wait_event_freezable_timeout(wq, condition, timeout)		\
	wait_event_interruptible_timeout(wq, condition, timeout)

#endif
