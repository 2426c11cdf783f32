/* SPDX-License-Identifier: MIT */
/*
 * <linux/pm.h> for driver code built against dmakit: power-management
 * callbacks. A program does not suspend: drivers may fill the table, and
 * nothing calls it.
 */
#ifndef DMAKIT_COMPAT_LINUX_PM_H
#define DMAKIT_COMPAT_LINUX_PM_H

#include <stddef.h>

#include <linux/compiler.h>
#include <linux/kconfig.h>

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

/*
 * As in Linux, the callbacks are in the table only when the kernel has
 * power management: CONFIG_PM (runtime) and CONFIG_PM_SLEEP (system
 * sleep), which dmakit does not configure in (nothing would call them).
 * The SET_*() forms then expand to nothing, so a driver that defines its
 * callbacks under #ifdef CONFIG_PM_SLEEP compiles; the newer forms
 * (SYSTEM_SLEEP_PM_OPS(), pm_sleep_ptr()) name the callbacks but store
 * NULL, so the compiler still checks them.
 */
#define PTR_IF(cond, ptr)		((cond) ? (ptr) : NULL)
#define pm_ptr(p)		PTR_IF(IS_ENABLED(CONFIG_PM), (p))
#define pm_sleep_ptr(p)		PTR_IF(IS_ENABLED(CONFIG_PM_SLEEP), (p))

#define SYSTEM_SLEEP_PM_OPS(s, r)					\
	.suspend = pm_sleep_ptr(s), .resume = pm_sleep_ptr(r),		\
	.freeze = pm_sleep_ptr(s), .thaw = pm_sleep_ptr(r),		\
	.poweroff = pm_sleep_ptr(s), .restore = pm_sleep_ptr(r),
#define NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r)					\
	.suspend_noirq = pm_sleep_ptr(s), .resume_noirq = pm_sleep_ptr(r),
#define RUNTIME_PM_OPS(s, r, i)						\
	.runtime_suspend = pm_ptr(s), .runtime_resume = pm_ptr(r),	\
	.runtime_idle = pm_ptr(i),

#if IS_ENABLED(CONFIG_PM_SLEEP)
#define SET_SYSTEM_SLEEP_PM_OPS(s, r)		SYSTEM_SLEEP_PM_OPS(s, r)
#define SET_NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r)	NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r)
#else
#define SET_SYSTEM_SLEEP_PM_OPS(s, r)
#define SET_NOIRQ_SYSTEM_SLEEP_PM_OPS(s, r)
#endif
#if IS_ENABLED(CONFIG_PM)
#define SET_RUNTIME_PM_OPS(s, r, i)		RUNTIME_PM_OPS(s, r, i)
#else
#define SET_RUNTIME_PM_OPS(s, r, i)
#endif

#define SIMPLE_DEV_PM_OPS(name, s, r)					\
	const struct dev_pm_ops __maybe_unused name = {			\
		SET_SYSTEM_SLEEP_PM_OPS(s, r) }
#define DEFINE_SIMPLE_DEV_PM_OPS(name, s, r)				\
	const struct dev_pm_ops name = { SYSTEM_SLEEP_PM_OPS(s, r) }
#define DEFINE_RUNTIME_DEV_PM_OPS(name, s, r, i)			\
	const struct dev_pm_ops name = { RUNTIME_PM_OPS(s, r, i) }

#endif
