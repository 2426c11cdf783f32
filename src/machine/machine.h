/* SPDX-License-Identifier: MIT */
/* The top layer: booting and tearing down a machine, the driver model. */
#ifndef DMAKIT_MACHINE_MACHINE_H
#define DMAKIT_MACHINE_MACHINE_H

#include "../kernel/kernel.h"

/* A compatible list (strings, then an empty one) copied from @s: a list
 * like itself, or with @list false a single string's list of one. NULL:
 * out of memory. */
char *dk_compat_dup(const char *s, bool list);
void dk_drivers_fini(struct dk_machine *m);
/* Built-in drivers: registered with every machine as it boots. */
void dk_driver_builtin_add(struct device_driver *drv);
void dk_driver_builtin_del(struct device_driver *drv);
void dk_drivers_builtin_bind(struct dk_machine *m);
/* devices.c: bare devices (<linux/device.h>): add to the current machine
 * (0 or -errno), take off it (unbind too), drop a reference. */
int dk_device_add(struct device *dev);
void dk_device_del(struct device *dev);
void dk_device_put(struct device *dev);
/* Call every bound driver's shutdown, children first (device_shutdown). */
void dk_devices_shutdown(struct dk_machine *m);
/* Bind @dev to the first registered driver that matches it, if any. */
void dk_driver_match_one(struct device *dev);
/* The defaults Linux gives a device no firmware node describes. */
void dk_bare_dma_defaults(struct device *dev);

#endif
