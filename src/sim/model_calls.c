// SPDX-License-Identifier: MIT
/* Calls into a device's model through its ops: probe and remove with the
 * SoC, and register accesses under the SoC's model lock. */
#include <errno.h>

#include "soc_internal.h"

int dk_models_probe(struct dk_soc *soc)
{
	int i, r;

	for (i = 0; i < soc->ndevs; i++) {
		struct dk_simdev *d = &soc->devs[i];

		if (d->model->probe) {
			r = d->model->probe(d);
			if (r)
				return r;
		}
	}
	return 0;
}

void dk_models_remove(struct dk_soc *soc)
{
	int i;

	for (i = 0; i < soc->ndevs; i++) {
		struct dk_simdev *d = &soc->devs[i];

		if (d->model && d->model->remove && d->priv)
			d->model->remove(d);
	}
}

/* Registers under the SoC's model lock: the event loop's thread may be
 * running the same model's events (see struct dk_soc). */
static u32 locked_read(struct dk_simdev *dev, u64 offset)
{
	u32 v;

	dk_model_lock(dev->soc);
	v = dev->model->mmio_read(dev, offset);
	dk_model_unlock(dev->soc);
	return v;
}

u32 dk_dev_mmio_read32(struct dk_simdev *dev, u64 offset)
{
	if (!dk_simdev_ok(dev, "dk_dev_mmio_read32") || !dev->model ||
	    !dev->model->mmio_read || offset % 4 || dev->d.reg_size < 4 ||
	    offset > dev->d.reg_size - 4) {
		dk_err(-EINVAL, "MMIO read at offset 0x%llx of %s is invalid",
		       (unsigned long long)offset,
		       dk_obj_live(dev, DK_OBJ_SIMDEV) ? dev->d.name : "(null)");
		return 0;
	}
	return locked_read(dev, offset);
}

int dk_dev_mmio_write32(struct dk_simdev *dev, u64 offset, u32 val)
{
	if (!dk_simdev_ok(dev, "dk_dev_mmio_write32") || !dev->model ||
	    !dev->model->mmio_write || offset % 4 || dev->d.reg_size < 4 ||
	    offset > dev->d.reg_size - 4)
		return dk_err(-EINVAL,
			      "MMIO write at offset 0x%llx of %s is invalid",
			      (unsigned long long)offset,
			      dk_obj_live(dev, DK_OBJ_SIMDEV) ? dev->d.name :
								"(null)");
	dk_model_lock(dev->soc);
	dev->model->mmio_write(dev, offset, val);
	dk_model_unlock(dev->soc);
	return 0;
}
