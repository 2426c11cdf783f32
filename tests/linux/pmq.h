/* SPDX-License-Identifier: MIT */
/* tests/linux/pmq.c: power-management tables as drivers write them. */
#ifndef DMAKIT_TESTS_LINUX_PMQ_H
#define DMAKIT_TESTS_LINUX_PMQ_H

/* Which callbacks the tables hold: bit 0 the SET_*() table's suspend,
 * 1 its runtime_suspend, 2 the DEFINE_SIMPLE_DEV_PM_OPS() one's suspend,
 * 3 pm_sleep_ptr() of that table, 4 pm_ptr() of it. */
int pmq_tables(void);

#endif
