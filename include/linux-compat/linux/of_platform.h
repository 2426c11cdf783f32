/* SPDX-License-Identifier: MIT */
/* <linux/of_platform.h> for driver code built against dmakit. */
#ifndef DMAKIT_COMPAT_LINUX_OF_PLATFORM_H
#define DMAKIT_COMPAT_LINUX_OF_PLATFORM_H

#include <linux/of_device.h>
#include <linux/platform_device.h>

#endif
