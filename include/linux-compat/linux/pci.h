/* SPDX-License-Identifier: MIT */
/*
 * <linux/pci.h> for driver code built against dmakit: PCI driver
 * declarations, so that a file that drives both a platform device and a
 * PCI one compiles. The simulated SoC has no PCI bus, and on real
 * hardware dmakit opens a PCI device through VFIO (<dmakit/host.h>)
 * rather than binding a pci_driver to it: pci_register_driver() checks
 * the driver and binds nothing, as on a machine with no matching device.
 */
#ifndef DMAKIT_COMPAT_LINUX_PCI_H
#define DMAKIT_COMPAT_LINUX_PCI_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PCI_ANY_ID		(~0u)

/** struct pci_device_id - a device a PCI driver drives. */
struct pci_device_id {
	__u32 vendor, device;		/* or PCI_ANY_ID */
	__u32 subvendor, subdevice;	/* or PCI_ANY_ID */
	__u32 class, class_mask;
	unsigned long driver_data;
};

#define PCI_DEVICE(vend, dev)						\
	.vendor = (vend), .device = (dev),				\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID
#define PCI_VDEVICE(vend, dev)						\
	.vendor = PCI_VENDOR_ID_##vend, .device = (dev),		\
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID, 0, 0

/** struct pci_dev - a PCI function (never made here: see above). */
struct pci_dev {
	struct device dev;
	unsigned short vendor, device;
	unsigned short subsystem_vendor, subsystem_device;
	unsigned int devfn;
};

#define to_pci_dev(d)	container_of(d, struct pci_dev, dev)

/** struct pci_driver - a driver of PCI functions. */
struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	void (*shutdown)(struct pci_dev *dev);
	struct device_driver driver;
};

/**
 * pci_register_driver() - offer a driver for PCI functions; none is
 * found here (see above).
 * @drv: the driver, with name and probe.
 *
 * Return: 0; -EINVAL for NULL or a driver without name or probe.
 */
static inline int pci_register_driver(struct pci_driver *drv)
{
	return drv && drv->name && drv->probe ? 0 : -EINVAL;
}

/**
 * pci_unregister_driver() - withdraw a driver pci_register_driver()
 * offered.
 * @drv: the driver.
 */
static inline void pci_unregister_driver(struct pci_driver *drv)
{
	(void)drv;
}

#define module_pci_driver(drv)						\
	static void __attribute__((constructor)) __dk_pcidrv_##drv(void) \
	{								\
		(void)pci_register_driver(&(drv));			\
	}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

#ifdef __cplusplus
}
#endif

#endif
