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

#define DK_PM_OK(dev)		((void)(dev), 0)

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
#define pm_runtime_set_active(dev)		DK_PM_OK(dev)
#define pm_runtime_set_suspended(dev)		DK_PM_OK(dev)
#define pm_runtime_get(dev)			DK_PM_OK(dev)
#define pm_runtime_get_sync(dev)		DK_PM_OK(dev)
#define pm_runtime_resume_and_get(dev)		DK_PM_OK(dev)
#define pm_runtime_get_if_in_use(dev)		((void)(dev), 1)
#define pm_runtime_get_if_active(dev)		((void)(dev), 1)
#define pm_runtime_put(dev)			DK_PM_OK(dev)
#define pm_runtime_put_sync(dev)		DK_PM_OK(dev)
#define pm_runtime_put_autosuspend(dev)		DK_PM_OK(dev)
#define pm_runtime_put_sync_autosuspend(dev)	DK_PM_OK(dev)
#define pm_runtime_put_sync_suspend(dev)	DK_PM_OK(dev)
#define pm_runtime_resume(dev)			DK_PM_OK(dev)
#define pm_runtime_suspend(dev)			DK_PM_OK(dev)
#define pm_runtime_idle(dev)			DK_PM_OK(dev)
#define pm_runtime_force_suspend(dev)		DK_PM_OK(dev)
#define pm_runtime_force_resume(dev)		DK_PM_OK(dev)
#define devm_pm_runtime_enable(dev)		DK_PM_OK(dev)
#define pm_runtime_active(dev)			((void)(dev), true)
#define pm_runtime_suspended(dev)		((void)(dev), false)
#define pm_runtime_status_suspended(dev)	((void)(dev), false)
#define pm_runtime_enabled(dev)			((void)(dev), true)

#endif
