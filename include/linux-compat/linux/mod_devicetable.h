/* SPDX-License-Identifier: MIT */
/* <linux/mod_devicetable.h> for driver code built against dmakit: match
 * tables (struct of_device_id). */
#ifndef DMAKIT_COMPAT_LINUX_MOD_DEVICETABLE_H
#define DMAKIT_COMPAT_LINUX_MOD_DEVICETABLE_H

#include <linux/compiler.h>
#include <dmakit/device.h>

#endif
