/* SPDX-License-Identifier: MIT */
/*
 * <linux/reset.h> for driver code built against dmakit: reset lines as the
 * tree's "resets"/"reset-names" name them. The simulated devices come out
 * of reset at boot, so asserting and deasserting succeed and change
 * nothing; the state is kept for tests.
 */
#ifndef DMAKIT_COMPAT_LINUX_RESET_H
#define DMAKIT_COMPAT_LINUX_RESET_H

#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct reset_control;

/**
 * dk_reset_control_get() - what the devm_reset_control_get_*() names
 * expand to.
 * @dev: a live device.
 * @id: its name in "reset-names"; NULL for the first.
 * @optional: a device without that reset gets NULL (a control that does
 *            nothing) instead of an error.
 *
 * Return: the control (released at unbind), NULL (optional and absent),
 * ERR_PTR(-ENOENT) (absent), ERR_PTR(-EINVAL) (a NULL or dead device),
 * ERR_PTR(-ENOMEM).
 */
struct reset_control *dk_reset_control_get(struct device *dev, const char *id,
					   bool optional);

#define devm_reset_control_get_exclusive(dev, id)	dk_reset_control_get(dev, id, false)
#define devm_reset_control_get_shared(dev, id)		dk_reset_control_get(dev, id, false)
#define devm_reset_control_get_optional_exclusive(dev, id) dk_reset_control_get(dev, id, true)
#define devm_reset_control_get_optional_shared(dev, id)	dk_reset_control_get(dev, id, true)
#define devm_reset_control_get(dev, id)			dk_reset_control_get(dev, id, false)
#define devm_reset_control_get_optional(dev, id)	dk_reset_control_get(dev, id, true)
#define devm_reset_control_array_get_optional_exclusive(dev) dk_reset_control_get(dev, NULL, true)
#define devm_reset_control_get_exclusive_deasserted(dev, id) dk_reset_control_get(dev, id, false)
#define devm_reset_control_get_optional_exclusive_deasserted(dev, id) dk_reset_control_get(dev, id, true)

/**
 * reset_control_assert() - hold the device in reset.
 * @rstc: the control, or NULL.
 *
 * Return: 0.
 */
int reset_control_assert(struct reset_control *rstc);

/**
 * reset_control_deassert() - let the device out of reset.
 * @rstc: the control, or NULL.
 *
 * Return: 0.
 */
int reset_control_deassert(struct reset_control *rstc);

/**
 * reset_control_reset() - pulse the reset.
 * @rstc: the control, or NULL.
 *
 * Return: 0.
 */
int reset_control_reset(struct reset_control *rstc);

/**
 * reset_control_status() - whether the reset is asserted.
 * @rstc: the control, or NULL.
 *
 * Return: 1 if asserted, 0 if not (and for NULL).
 */
int reset_control_status(struct reset_control *rstc);

#ifdef __cplusplus
}
#endif

#endif
