/* SPDX-License-Identifier: MIT */
/*
 * <linux/i2c.h> for driver code built against dmakit:
 * I2C adapters, clients and messages.
 */
#ifndef DMAKIT_COMPAT_LINUX_I2C_H
#define DMAKIT_COMPAT_LINUX_I2C_H

#include <linux/compiler.h>
#include <dmakit/i2c.h>

#endif
