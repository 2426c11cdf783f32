/* SPDX-License-Identifier: MIT */
/*
 * <linux/pm.h> for driver code built against dmakit: power-management
 * callbacks. A program does not suspend: drivers may fill the table, and
 * nothing calls it.
 */
#ifndef DMAKIT_COMPAT_LINUX_PM_H
#define DMAKIT_COMPAT_LINUX_PM_H

#include <linux/compiler.h>

struct device;

/**
 * struct dev_pm_ops - a driver's power-management callbacks (not called).
 */
struct dev_pm_ops {
	/** @suspend: system sleep */
	int (*suspend)(struct device *dev);
	/** @resume: system wake */
	int (*resume)(struct device *dev);
	/** @suspend_noirq: system sleep, late */
	int (*suspend_noirq)(struct device *dev);
	/** @resume_noirq: system wake, early */
	int (*resume_noirq)(struct device *dev);
	/** @freeze: hibernation */
	int (*freeze)(struct device *dev);
	/** @thaw: hibernation */
	int (*thaw)(struct device *dev);
	/** @poweroff: hibernation */
	int (*poweroff)(struct device *dev);
	/** @restore: hibernation */
	int (*restore)(struct device *dev);
	/** @runtime_suspend: runtime PM */
	int (*runtime_suspend)(struct device *dev);
	/** @runtime_resume: runtime PM */
	int (*runtime_resume)(struct device *dev);
	/** @runtime_idle: runtime PM */
	int (*runtime_idle)(struct device *dev);
};

#define SET_SYSTEM_SLEEP_PM_OPS(s, r)					\
	.suspend = s, .resume = r, .freeze = s, .thaw = r,		\
	.poweroff = s, .restore = r,
#define SYSTEM_SLEEP_PM_OPS(s, r)	SET_SYSTEM_SLEEP_PM_OPS(s, r)
#define SET_NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r) .suspend_noirq = s, .resume_noirq = r,
#define NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r)	SET_NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r)
#define SET_RUNTIME_PM_OPS(s, r, i)					\
	.runtime_suspend = s, .runtime_resume = r, .runtime_idle = i,
#define RUNTIME_PM_OPS(s, r, i)		SET_RUNTIME_PM_OPS(s, r, i)
#define SIMPLE_DEV_PM_OPS(name, s, r)					\
	const struct dev_pm_ops __maybe_unused name = {			\
		SET_SYSTEM_SLEEP_PM_OPS(s, r) }
#define DEFINE_SIMPLE_DEV_PM_OPS(name, s, r)	SIMPLE_DEV_PM_OPS(name, s, r)
#define DEFINE_RUNTIME_DEV_PM_OPS(name, s, r, i)			\
	const struct dev_pm_ops __maybe_unused name = {			\
		SET_RUNTIME_PM_OPS(s, r, i) }
#define pm_ptr(p)		(p)
#define pm_sleep_ptr(p)		(p)

#endif
