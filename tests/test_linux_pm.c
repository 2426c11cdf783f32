// SPDX-License-Identifier: MIT
/*
 * <linux/pm.h> as Linux without CONFIG_PM and CONFIG_PM_SLEEP (dmakit
 * calls no power-management callback): the SET_*() forms are empty, so
 * callbacks a driver defines only under those options are not needed;
 * the newer forms and pm_ptr()/pm_sleep_ptr() store NULL.
 */
#include "harness.h"
#include "linux/pmq.h"

TEST(linux_pm_tables_are_empty_without_power_management)
{
	CHECK_EQ(pmq_tables(), 0);
}
