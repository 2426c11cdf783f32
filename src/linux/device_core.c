// SPDX-License-Identifier: MIT
/* Bare devices and dev_err_probe() (<linux/device.h>). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/device.h>

#include "../machine/machine.h"
#include "linux.h"

void device_initialize(struct device *dev)
{
	if (!dev) {
		dk_warn("BUG: device_initialize(NULL)");
		return;
	}
	dev->dk_bare = true;
	dev->dk_refs = 1;
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;
	char *name;
	int n;

	if (!dev || !fmt)
		return dk_err(-EINVAL, "dev_set_name: NULL device or format");
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	name = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!name)
		return dk_err(-ENOMEM, "out of memory");
	va_start(ap, fmt);
	vsnprintf(name, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* The machine's own devices keep their node path. */
	if (!dev->dk_bare && dev->init_name) {
		free(name);
		return dk_err(-EINVAL, "dev_set_name: %s is not a bare device",
			      dev->init_name);
	}
	free((char *)dev->init_name);
	dev->init_name = name;
	return 0;
}

int device_add(struct device *dev)
{
	return dk_device_add(dev);
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

void device_del(struct device *dev)
{
	dk_device_del(dev);
}

struct device *get_device(struct device *dev)
{
	if (dev && dev->dk_bare)
		__atomic_add_fetch(&dev->dk_refs, 1, __ATOMIC_RELAXED);
	return dev;
}

void put_device(struct device *dev)
{
	dk_device_put(dev);
}

int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t n;

	if (err == -EPROBE_DEFER)
		return err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt ? fmt : "(NULL format)", ap);
	va_end(ap);
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	dev_printk("err", dev, "error %d: %s", err, msg);
	return err;
}
