/* SPDX-License-Identifier: MIT */
/* <linux/regmap.h> for driver code built against dmakit: regmap over I2C
 * and SPI. */
#ifndef DMAKIT_COMPAT_LINUX_REGMAP_H
#define DMAKIT_COMPAT_LINUX_REGMAP_H

#include <linux/compiler.h>
#include <dmakit/regmap.h>

#endif
