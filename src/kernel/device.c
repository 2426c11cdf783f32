// SPDX-License-Identifier: MIT
/* Device basics every layer uses: liveness, names, driver data, messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/objreg.h"
#include "kernel.h"

bool dk_dev_live(const struct device *dev)
{
	return dev && dk_obj_live(dev, DK_OBJ_DEVICE);
}

bool dk_dev_ok(const struct device *dev, const char *fn)
{
	if (!dev) {
		dk_err(-EINVAL, "%s: NULL device", fn);
		return false;
	}
	if (!dk_obj_live(dev, DK_OBJ_DEVICE)) {
		dk_err(-ENODEV,
		       "%s: device %p is not live (its machine was shut down, or it was unregistered)",
		       fn, (const void *)dev);
		return false;
	}
	return true;
}

const char *dev_name(const struct device *dev)
{
	if (!dev)
		return "(NULL device)";
	return dk_obj_live(dev, DK_OBJ_DEVICE) ? dev->init_name :
						 "(device not live)";
}

void *dev_get_drvdata(const struct device *dev)
{
	return dk_dev_ok(dev, "dev_get_drvdata") ? dev->driver_data : NULL;
}

void dev_set_drvdata(struct device *dev, void *data)
{
	if (dk_dev_ok(dev, "dev_set_drvdata"))
		dev->driver_data = data;
	else
		dk_warn("%s", dk_last_error());
}

/* Kernel-log style warnings go to stderr, like a console. */
void dk_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(dk_log_output(), fmt, ap);
	va_end(ap);
	fputc('\n', dk_log_output());
}

void dev_printk(const char *level, const struct device *dev,
		const char *fmt, ...)
{
	va_list ap;

	FILE *f = dk_log_output();

	fprintf(f, "%s %s: ", level ? level : "", dev_name(dev));
	if (!fmt)
		fmt = "(NULL format)";
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	/* Linux formats end in a newline, dmakit's do not: one either way. */
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', f);
}

const struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return dk_dev_live(dev) ? dev->dma_ops : NULL;
}

_Atomic(struct device *) dk_dma_windows[DK_DMA_WINDOWS] = {
	[0 ... DK_DMA_WINDOWS - 1] = DK_DMA_WINDOW_FREE,
};
atomic_bool dk_dma_windows_used;

void dk_dma_window_leave(struct device *dev)
{
	struct device *was = dev;

	atomic_compare_exchange_strong(dk_dma_window_slot(dev), &was,
				       DK_DMA_WINDOW_FREE);
}

/*
 * What of the mapping front end's fast path changes only with the
 * device's configuration, worked out when it changes rather than on
 * every map: the map tests one byte instead of five fields in two
 * objects. Here, below every caller (the front end, iommu-dma, the
 * machine and the driver model), so none of them calls up.
 */
void dk_dma_plain_update(struct device *dev)
{
	dk_dma_window_leave(dev);
	dev->dk_dma_plain = !dev->dma_ops && !dev->dead &&
			    !dev->n_dma_ranges && dev->machine &&
			    !dev->machine->opts.swiotlb_force;
}
