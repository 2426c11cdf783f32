// SPDX-License-Identifier: MIT
/*
 * The kernel log as a driver writes it, with only <linux/...> includes
 * and a pr_fmt() of its own (tests/test_linux_of.c reads what it wrote).
 */
#define pr_fmt(fmt) "printq: " fmt

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "printq.h"

int printq_run(struct device *dev)
{
	int i, warned = 0;

	pr_err("bad value %d\n", 3);
	pr_info("plain\n");
	for (i = 0; i < 3; i++)
		dev_warn_once(dev, "once only, pass %d\n", i);
	for (i = 0; i < 2; i++)
		warned += WARN_ON(i == 1);
	return warned;
}
