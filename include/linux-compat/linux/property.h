/* SPDX-License-Identifier: MIT */
/* <linux/property.h> for driver code built against dmakit: a device's
 * firmware properties, which are its tree node's (<linux/of.h>). */
#ifndef DMAKIT_COMPAT_LINUX_PROPERTY_H
#define DMAKIT_COMPAT_LINUX_PROPERTY_H

#include <linux/of.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * device_property_present() - whether the device's node has a property.
 * @dev: the device.
 * @propname: the property.
 *
 * Return: true if present.
 */
static inline bool device_property_present(const struct device *dev,
					   const char *propname)
{
	return of_property_read_bool(dev->of_node, propname);
}

/**
 * device_property_read_bool() - a flag property of the device's node.
 * @dev: the device.
 * @propname: the property.
 *
 * Return: true if present.
 */
static inline bool device_property_read_bool(const struct device *dev,
					     const char *propname)
{
	return of_property_read_bool(dev->of_node, propname);
}

/**
 * device_property_read_u32() - a one-cell property of the device's node.
 * @dev: the device.
 * @propname: the property.
 * @val: set on success only.
 *
 * Return: as of_property_read_u32().
 */
static inline int device_property_read_u32(const struct device *dev,
					   const char *propname, u32 *val)
{
	return of_property_read_u32(dev->of_node, propname, val);
}

/**
 * device_property_read_u32_array() - cells of a property of the device's
 * node.
 * @dev: the device.
 * @propname: the property.
 * @val: @nval cells, set on success only.
 * @nval: how many.
 *
 * Return: as of_property_read_u32_array().
 */
static inline int device_property_read_u32_array(const struct device *dev,
						 const char *propname,
						 u32 *val, size_t nval)
{
	return of_property_read_u32_array(dev->of_node, propname, val, nval);
}

/**
 * device_property_read_string() - a string property of the device's node.
 * @dev: the device.
 * @propname: the property.
 * @val: set on success only.
 *
 * Return: as of_property_read_string().
 */
static inline int device_property_read_string(const struct device *dev,
					      const char *propname,
					      const char **val)
{
	return of_property_read_string(dev->of_node, propname, val);
}

/**
 * device_get_match_data() - the match-table data that bound the device.
 * @dev: the device.
 *
 * Return: as of_device_get_match_data().
 */
static inline const void *device_get_match_data(const struct device *dev)
{
	return of_device_get_match_data(dev);
}

#ifdef __cplusplus
}
#endif

#endif
