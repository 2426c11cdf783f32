// SPDX-License-Identifier: MIT
/*
 * Power-management tables as drivers write them, including only
 * <linux/...> headers: the callbacks of the old SET_*() forms defined
 * only under CONFIG_PM_SLEEP and CONFIG_PM, as most drivers do, and the
 * newer forms that name theirs unconditionally (tests/test_linux_pm.c).
 */
#include <linux/device.h>
#include <linux/pm.h>

#include "pmq.h"

#ifdef CONFIG_PM_SLEEP
static int old_suspend(struct device *dev)
{
	(void)dev;
	return 0;
}

static int old_resume(struct device *dev)
{
	(void)dev;
	return 0;
}
#endif

#ifdef CONFIG_PM
static int old_runtime(struct device *dev)
{
	(void)dev;
	return 0;
}
#endif

static const struct dev_pm_ops old_ops = {
	SET_SYSTEM_SLEEP_PM_OPS(old_suspend, old_resume)
	SET_RUNTIME_PM_OPS(old_runtime, old_runtime, NULL)
};

static int new_cb(struct device *dev)
{
	(void)dev;
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(new_ops, new_cb, new_cb);

int pmq_tables(void)
{
	return (old_ops.suspend != NULL) | (old_ops.runtime_suspend != NULL) << 1 |
	       (new_ops.suspend != NULL) << 2 |
	       (pm_sleep_ptr(&new_ops) != NULL) << 3 |
	       (pm_ptr(&new_ops) != NULL) << 4;
}
