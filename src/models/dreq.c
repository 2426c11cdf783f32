// SPDX-License-Identifier: MIT
/*
 * Peripheral DMA request lines, routed by the tree's "dmas", and the
 * register accesses of bus masters: see include/dmakit/models/dreq.h.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/models/dreq.h>

#include "../sim/soc_internal.h"
#include "model_util.h"

bool dk_simdev_dma_request(struct dk_simdev *dev, const char *name,
			   bool active)
{
	const struct dk_devdesc *d;
	struct dk_simdev *ctl;
	int i;

	if (!dk_simdev_ok(dev, "dk_simdev_dma_request") || !name)
		return false;
	d = &dev->d;
	for (i = 0; i < d->n_dmas; i++) {
		const struct dk_dma_spec *s = &d->dmas[i];

		if (!s->name || strcmp(s->name, name) || s->nargs < 1)
			continue;
		ctl = dk_soc_find_dev(dev->soc, s->provider);
		if (!ctl || !ctl->model->dma_request)
			return false;
		ctl->model->dma_request(ctl, s->args[0], active);
		return true;
	}
	return false;
}

static struct dk_simdev *bus_target(struct dk_simdev *master, phys_addr_t pa,
				    bool write)
{
	struct dk_simdev *t;

	if (!dk_simdev_ok(master, write ? "dk_bus_mmio_write32" :
					  "dk_bus_mmio_read32")) {
		dk_err(-EFAULT, "bus register access by no live master");
		return NULL;
	}
	t = dk_soc_mmio_dev(master->soc, pa);
	if (!t || !t->model || !(write ? (void *)t->model->mmio_write :
					 (void *)t->model->mmio_read) ||
	    pa % 4 || t->d.reg_size < 4 || pa - t->d.reg > t->d.reg_size - 4) {
		dk_err(-EFAULT, "%s: register %s at 0x%llx: no device register there",
		       master->d.name, write ? "write" : "read",
		       (unsigned long long)pa);
		return NULL;
	}
	return t;
}

int dk_bus_mmio_read32(struct dk_simdev *master, phys_addr_t pa, u32 *val)
{
	struct dk_simdev *t = val ? bus_target(master, pa, false) : NULL;
	struct dk_soc *prev;

	if (!t)
		return val ? -EFAULT : dk_err(-EFAULT, "dk_bus_mmio_read32: NULL value");
	prev = dk_stall_exempt_begin(master->soc);
	*val = t->model->mmio_read(t, pa - t->d.reg);
	dk_stall_exempt_end(prev);
	return 0;
}

int dk_bus_mmio_write32(struct dk_simdev *master, phys_addr_t pa, u32 val)
{
	struct dk_simdev *t = bus_target(master, pa, true);
	struct dk_soc *prev;

	if (!t)
		return -EFAULT;
	prev = dk_stall_exempt_begin(master->soc);
	t->model->mmio_write(t, pa - t->d.reg, val);
	dk_stall_exempt_end(prev);
	return 0;
}
