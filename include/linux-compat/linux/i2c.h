/* SPDX-License-Identifier: MIT */
/*
 * <linux/i2c.h> for driver code built against dmakit:
 * I2C adapters, clients and messages.
 */
#ifndef DMAKIT_COMPAT_LINUX_I2C_H
#define DMAKIT_COMPAT_LINUX_I2C_H

#include <linux/compiler.h>
#include <linux/of.h>
#include <dmakit/i2c.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * i2c_add_numbered_adapter() - i2c_add_adapter() with the bus number the
 * driver chose in @adap->nr (from the platform device's id, or an "i2c"
 * alias); -1 lets it be assigned, as i2c_add_adapter() does.
 * @adap: as for i2c_add_adapter(), with nr set.
 *
 * Return: 0, -EBUSY ("bus number N is in use"), or as i2c_add_adapter().
 */
int i2c_add_numbered_adapter(struct i2c_adapter *adap);

#ifdef __cplusplus
}
#endif

#endif
