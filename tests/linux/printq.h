/* SPDX-License-Identifier: MIT */
/* tests/linux/printq.c: pr_*(), dev_warn_once() and WARN_ON(). */
#ifndef DMAKIT_TESTS_LINUX_PRINTQ_H
#define DMAKIT_TESTS_LINUX_PRINTQ_H

struct device;

/* Prints, then returns how often WARN_ON() fired (1). */
int printq_run(struct device *dev);

#endif
