/* SPDX-License-Identifier: MIT */
/* <linux/of_irq.h> for driver code built against dmakit: a node's
 * interrupts are its platform device's resources. */
#ifndef DMAKIT_COMPAT_LINUX_OF_IRQ_H
#define DMAKIT_COMPAT_LINUX_OF_IRQ_H

#include <linux/of.h>
#include <linux/platform_device.h>

#endif
