/* SPDX-License-Identifier: MIT */
/* tests/linux/clkbq.c: a driver that takes its clocks as a set. */
#ifndef DMAKIT_TESTS_LINUX_CLKBQ_H
#define DMAKIT_TESTS_LINUX_CLKBQ_H

struct clkbq_result {
	int probed;
	int n_all;			/* devm_clk_bulk_get_all_enabled() */
	const char *ids[2];		/* their names */
	unsigned long rates[2];
	int enabled[2];			/* enable counts after it */
	int r_get;			/* devm_clk_bulk_get() of "bus", "core" */
	unsigned long bus_rate;
	int enabled_after_off[2];	/* after clk_bulk_disable_unprepare() */
	int r_missing;			/* devm_clk_bulk_get() of "nope" */
	int r_optional;			/* ..._optional() of "nope" */
	int optional_null;		/* and its clock is NULL */
};

extern struct clkbq_result clkbq;

#endif
