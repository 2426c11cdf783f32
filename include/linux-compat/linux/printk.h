/* SPDX-License-Identifier: MIT */
/* <linux/printk.h> for driver code built against dmakit: pr_*() and
 * printk() go to the standard error (<linux/kernel.h>). */
#ifndef DMAKIT_COMPAT_LINUX_PRINTK_H
#define DMAKIT_COMPAT_LINUX_PRINTK_H

#include <linux/kernel.h>

#endif
