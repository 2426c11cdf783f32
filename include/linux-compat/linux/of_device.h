/* SPDX-License-Identifier: MIT */
/* <linux/of_device.h> for driver code built against dmakit:
 * of_device_get_match_data() and of_match_device(). */
#ifndef DMAKIT_COMPAT_LINUX_OF_DEVICE_H
#define DMAKIT_COMPAT_LINUX_OF_DEVICE_H

#include <linux/of.h>

#endif
