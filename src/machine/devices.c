// SPDX-License-Identifier: MIT
/* Devices made at run time: children of tree devices and bare devices
 * (<linux/device.h>), their DMA configuration, and their going. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/objreg.h"
#include "machine.h"

struct device *device_create_child(struct device *parent, const char *name,
				   const char *compatible)
{
	struct dk_machine *m;
	struct device *dev;

	if (!dk_dev_ok(parent, "device_create_child"))
		return NULL;
	m = parent->machine;
	if (!name) {
		dk_err(-EINVAL, "device_create_child: NULL name");
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev) {
		dev->init_name = strdup(name);
		dev->compatible = dk_compat_dup(compatible, false);
	}
	if (!dev || !dev->init_name || !dev->compatible) {
		if (dev) {
			free((char *)dev->init_name);
			free((char *)dev->compatible);
		}
		free(dev);
		dk_err(-ENOMEM, "out of memory");
		return NULL;
	}
	dev->machine = m;
	dev->parent = parent;
	dev->irq = parent->irq;
	dev->reg = parent->reg;
	dev->reg_size = parent->reg_size;
	dev->dma_master = parent->dma_master;
	dev->iommu = parent->iommu;
	dev->iommu_stream = parent->iommu_stream;
	dk_bare_dma_defaults(dev);
	if (dk_obj_add(dev, DK_OBJ_DEVICE, m)) {
		free((char *)dev->init_name);
		free((char *)dev->compatible);
		free(dev);
		return NULL;
	}
	pthread_mutex_lock(&m->lock);
	dev->next_child = m->children;
	m->children = dev;
	pthread_mutex_unlock(&m->lock);
	if (compatible)
		dk_driver_match_one(dev);
	return dev;
}

void device_unregister(struct device *dev)
{
	struct dk_machine *m;
	struct device **pp;
	bool found = false;

	if (!dk_dev_ok(dev, "device_unregister")) {
		dk_warn("%s", dk_last_error());
		return;
	}
	m = dev->machine;
	if (dev->dk_bare) {
		dk_device_del(dev);
		dk_device_put(dev);
		return;
	}
	if (!dev->parent) {
		dk_warn("BUG: device_unregister(%s): not a created child",
			dev_name(dev));
		return;
	}
	device_release_driver(dev);
	pthread_mutex_lock(&m->lock);
	for (pp = &m->children; *pp; pp = &(*pp)->next_child)
		if (*pp == dev) {
			*pp = dev->next_child;
			found = true;
			break;
		}
	pthread_mutex_unlock(&m->lock);
	if (!found)
		return;
	dk_obj_del(dev, DK_OBJ_DEVICE);
	free((char *)dev->init_name);
	free((char *)dev->compatible);
	dk_obj_free_later(dev);
}

int dk_device_add(struct device *dev)
{
	struct dk_machine *m;

	if (!dev || !dev->dk_bare)
		return dk_err(-EINVAL, "device_add: %s",
			      dev ? "device not initialized (device_initialize)" :
				    "NULL device");
	if (!dev->init_name)
		return dk_err(-EINVAL, "device_add: device has no name (dev_set_name)");
	if (dev->dk_added)
		return dk_err(-EBUSY, "device_add(%s): already added",
			      dev->init_name);
	m = dk_machine_of();
	if (!m)
		return -ENODEV;
	dev->machine = m;
	dev->dma_master = dev->init_name;
	if (!dev->dma_mask || !dev->dma_parms) {
		u64 *mask = dev->dma_mask;

		dk_bare_dma_defaults(dev);
		if (mask)
			dev->dma_mask = mask;	/* the owner's own */
	}
	if (dk_obj_add(dev, DK_OBJ_DEVICE, m))
		return -ENOMEM;
	dev->dead = false;
	dk_dma_plain_update(dev);
	dev->dk_added = true;
	pthread_mutex_lock(&m->lock);
	dev->next_child = m->bare;
	m->bare = dev;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

void dk_device_del(struct device *dev)
{
	struct dk_machine *m;
	struct device **pp;

	if (!dev || !dev->dk_added) {
		dk_warn("BUG: device_del(%s): not added", dev_name(dev));
		return;
	}
	m = dev->machine;
	device_release_driver(dev);
	pthread_mutex_lock(&m->lock);
	for (pp = &m->bare; *pp; pp = &(*pp)->next_child)
		if (*pp == dev) {
			*pp = dev->next_child;
			break;
		}
	pthread_mutex_unlock(&m->lock);
	dk_obj_del(dev, DK_OBJ_DEVICE);
	dev->dk_added = false;
}

void dk_device_put(struct device *dev)
{
	if (!dev || !dev->dk_bare)
		return;	/* the machine's own devices are not counted */
	if (__atomic_sub_fetch(&dev->dk_refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (dev->dk_added)
		dk_device_del(dev);
	if (!dev->release)
		dk_warn("Device '%s' does not have a release() function, it is broken and must be fixed.",
			dev->init_name ? dev->init_name : "(unnamed)");
	free((char *)dev->init_name);
	dev->init_name = NULL;
	if (dev->release)
		dev->release(dev);
}

int dk_of_dma_configure(struct device *dev, const struct device *node)
{
	if (!dk_dev_ok(dev, "dk_of_dma_configure") ||
	    !dk_dev_ok(node, "dk_of_dma_configure"))
		return -EINVAL;
	if (node->parent)
		return dk_err(-EINVAL,
			      "dk_of_dma_configure: %s is not a device of the tree",
			      node ? dev_name(node) : "(NULL)");
	dev->dma_coherent = node->dma_coherent;
	dev->n_dma_ranges = node->n_dma_ranges;
	dev->dma_range_map = node->dma_range_map;
	dev->bus_dma_limit = node->bus_dma_limit;
	dk_dma_plain_update(dev);
	dev->dma_mem = node->dma_mem;
	dev->cma_area = node->cma_area;
	return 0;
}
