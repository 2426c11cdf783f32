/* SPDX-License-Identifier: MIT */
/*
 * <linux/device.h> for driver code built against dmakit:
 * struct device, drivers and devres.
 */
#ifndef DMAKIT_COMPAT_LINUX_DEVICE_H
#define DMAKIT_COMPAT_LINUX_DEVICE_H

#include <linux/compiler.h>
#include <linux/err.h>	/* probe() returns -ENOMEM, as in Linux */
#include <dmakit/device.h>

#endif
