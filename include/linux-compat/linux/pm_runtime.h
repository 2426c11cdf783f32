/* SPDX-License-Identifier: MIT */
/*
 * <linux/pm_runtime.h> for driver code built against dmakit. The
 * simulated devices are always powered: every call succeeds at once and
 * the device counts as active, as in a kernel built without runtime PM
 * (except that puts return 0 rather than -ENOSYS, so drivers that check
 * them take their success path). No runtime_suspend/resume callback runs.
 */
#ifndef DMAKIT_COMPAT_LINUX_PM_RUNTIME_H
#define DMAKIT_COMPAT_LINUX_PM_RUNTIME_H

#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/pm.h>

/* Functions, not macros, so that a driver's call as a statement (its
 * result unused, as drivers do) compiles without -Wunused-value. */
#define DK_PM_OK(name)							\
	static inline int name(struct device *dev)			\
	{								\
		(void)dev;						\
		return 0;						\
	}

#define pm_runtime_enable(dev)			((void)(dev))
#define pm_suspend_ignore_children(dev, enable)	((void)(dev), (void)(enable))
#define pm_runtime_disable(dev)			((void)(dev))
#define pm_runtime_forbid(dev)			((void)(dev))
#define pm_runtime_allow(dev)			((void)(dev))
#define pm_runtime_no_callbacks(dev)		((void)(dev))
#define pm_runtime_irq_safe(dev)		((void)(dev))
#define pm_runtime_get_noresume(dev)		((void)(dev))
#define pm_runtime_put_noidle(dev)		((void)(dev))
#define pm_runtime_mark_last_busy(dev)		((void)(dev))
#define pm_runtime_use_autosuspend(dev)		((void)(dev))
#define pm_runtime_dont_use_autosuspend(dev)	((void)(dev))
#define pm_runtime_set_autosuspend_delay(dev, ms) ((void)(dev), (void)(ms))
DK_PM_OK(pm_runtime_set_active)
DK_PM_OK(pm_runtime_set_suspended)
DK_PM_OK(pm_runtime_get)
DK_PM_OK(pm_runtime_get_sync)
DK_PM_OK(pm_runtime_resume_and_get)
#define pm_runtime_get_if_in_use(dev)		((void)(dev), 1)
#define pm_runtime_get_if_active(dev)		((void)(dev), 1)
DK_PM_OK(pm_runtime_put)
DK_PM_OK(pm_runtime_put_sync)
DK_PM_OK(pm_runtime_put_autosuspend)
DK_PM_OK(pm_runtime_put_sync_autosuspend)
DK_PM_OK(pm_runtime_put_sync_suspend)
DK_PM_OK(pm_runtime_resume)
DK_PM_OK(pm_runtime_suspend)
DK_PM_OK(pm_runtime_idle)
DK_PM_OK(pm_runtime_force_suspend)
DK_PM_OK(pm_runtime_force_resume)
DK_PM_OK(devm_pm_runtime_enable)
#define pm_runtime_active(dev)			((void)(dev), true)
#define pm_runtime_suspended(dev)		((void)(dev), false)
#define pm_runtime_status_suspended(dev)	((void)(dev), false)
#define pm_runtime_enabled(dev)			((void)(dev), true)

#endif
