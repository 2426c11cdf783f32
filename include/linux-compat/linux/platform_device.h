/* SPDX-License-Identifier: MIT */
/*
 * <linux/platform_device.h> for driver code built against dmakit: platform
 * drivers and the resources of the devices the tree describes.
 *
 * Every enabled device node of the booted tree is a struct platform_device
 * (<dmakit/platform_device.h>). A driver declared with
 * module_platform_driver() (or registered by platform_driver_register()
 * before any machine boots) is built in: it is registered with every
 * machine as it boots and bound to each device one of whose compatible
 * strings its of_match_table lists, with nothing for the test to call.
 * One driver binds to one machine at a time (the first booted, if several
 * run at once). Give test trees a vendor compatible of their own first
 * ("acme,foo", "dmakit,i2c") so a built-in driver binds only there.
 */
#ifndef DMAKIT_COMPAT_LINUX_PLATFORM_DEVICE_H
#define DMAKIT_COMPAT_LINUX_PLATFORM_DEVICE_H

#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/pm.h>
#include <linux/version.h>
#include <dmakit/platform_device.h>

#ifdef __cplusplus
extern "C" {
#endif

struct platform_device_id {
	char name[20];
	unsigned long driver_data;
};

/**
 * struct platform_driver - a driver of platform devices.
 */
struct platform_driver {
	/** @probe: binds a device: 0, or -errno (-EPROBE_DEFER: try again
	 * after another driver binds) */
	int (*probe)(struct platform_device *pdev);
	/** @remove: unbinds it (before devres is released); optional.
	 * Before Linux 6.11 (LINUX_VERSION_CODE, <linux/version.h>) it
	 * returns int, which is ignored: the device is unbound whatever it
	 * says, with a warning for a value other than 0, as Linux did. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
	int (*remove)(struct platform_device *pdev);
#else
	void (*remove)(struct platform_device *pdev);
#endif
	/** @remove_new: the same under its 6.3-6.12 name; optional */
	void (*remove_new)(struct platform_device *pdev);
	/** @shutdown: quiesces the device before the system goes away
	 * (reboot, kexec), where remove is not called; optional */
	void (*shutdown)(struct platform_device *pdev);
	/** @driver: name and of_match_table; probe and remove are set by
	 * registration */
	struct device_driver driver;
	/** @id_table: accepted; devices are matched by the tree */
	const struct platform_device_id *id_table;
	/** @prevent_deferred_probe: accepted */
	bool prevent_deferred_probe;
	/* dmakit: the ARCH_DMA_MINALIGN the driver was compiled with */
	unsigned int dk_minalign;
	/* dmakit: compiled for a kernel whose remove returns int */
	bool dk_remove_returns_int;
};

#define to_platform_device(d)	container_of(d, struct platform_device, dev)
#define to_platform_driver(d)	container_of(d, struct platform_driver, driver)

/**
 * dk_platform_driver_register() - what platform_driver_register() and
 * module_platform_driver() expand to: make @drv built in (bound at every
 * boot) and register it with the current machine if one runs. A driver
 * compiled for a smaller ARCH_DMA_MINALIGN than the machine's is warned
 * about at probe.
 * @drv: the driver, with driver.name and probe; valid until
 *       platform_driver_unregister().
 * @minalign: the ARCH_DMA_MINALIGN it was compiled with.
 *
 * Return: 0 (also with no machine running: it binds at the next boot),
 * -EINVAL for NULL, a missing name or probe, -EBUSY if registered with
 * another live machine.
 */
int dk_platform_driver_register(struct platform_driver *drv,
				unsigned int minalign);

/* What the driver's file was compiled with, recorded in the driver. */
static inline int dk_platform_driver_register_as_built(struct platform_driver *drv)
{
	if (drv)
		drv->dk_remove_returns_int =
			LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0);
	return dk_platform_driver_register(drv, ARCH_DMA_MINALIGN);
}
#define platform_driver_register(drv)					\
	dk_platform_driver_register_as_built(drv)
#define __platform_driver_register(drv, owner)				\
	dk_platform_driver_register_as_built(drv)

/**
 * platform_driver_unregister() - unbind a driver from every device and
 * stop binding it at boot.
 * @drv: the driver; NULL or one never registered does nothing.
 */
void platform_driver_unregister(struct platform_driver *drv);

/* Built in: registered before main() (a constructor), bound at boot. */
#define module_platform_driver(drv)					\
	static void __attribute__((constructor)) __dk_pdrv_##drv(void)	\
	{								\
		(void)platform_driver_register(&(drv));			\
	}
#define builtin_platform_driver(drv)	module_platform_driver(drv)

/**
 * platform_get_resource() - one resource of a device: the tree's first
 * register window is IORESOURCE_MEM 0, its first interrupt IORESOURCE_IRQ 0.
 * @pdev: the device.
 * @type: IORESOURCE_MEM or IORESOURCE_IRQ.
 * @num: which of that type, from 0.
 *
 * Return: the resource, valid while the machine runs, or NULL.
 */
struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int num);

/**
 * platform_get_irq() - a device's interrupt line.
 * @pdev: the device.
 * @num: which, from 0 (the tree's first "interrupts" entry is 0).
 *
 * Return: the line, or -ENXIO with an error printed ("IRQ index N not
 * found"), -EINVAL for NULL.
 */
int platform_get_irq(struct platform_device *pdev, unsigned int num);

/**
 * platform_get_irq_optional() - platform_get_irq() for a line a device
 * may lack: nothing printed.
 * @pdev: the device.
 * @num: which, from 0.
 *
 * Return: the line or -ENXIO.
 */
int platform_get_irq_optional(struct platform_device *pdev, unsigned int num);

/**
 * platform_get_resource_byname() - a resource by the name the tree gives
 * it: "reg-names" for IORESOURCE_MEM, "interrupt-names" for
 * IORESOURCE_IRQ (the n-th name is resource n of that type).
 * @pdev: the device.
 * @type: IORESOURCE_MEM or IORESOURCE_IRQ.
 * @name: the name.
 *
 * Return: the resource, or NULL (no such name, or a resource of an index
 * the machine does not give: it gives a device its first register window
 * and its first interrupt).
 */
struct resource *platform_get_resource_byname(struct platform_device *pdev,
					      unsigned int type,
					      const char *name);

/**
 * platform_get_irq_byname() - an interrupt line by its "interrupt-names"
 * name.
 * @pdev: the device.
 * @name: the name.
 *
 * Return: the line, or -ENXIO with an error printed ("IRQ NAME not
 * found"), -EINVAL for NULL.
 */
int platform_get_irq_byname(struct platform_device *pdev, const char *name);

/**
 * platform_get_irq_byname_optional() - platform_get_irq_byname() for a
 * line a device may lack: nothing printed.
 * @pdev: the device.
 * @name: the name.
 *
 * Return: the line, -ENXIO, or -EINVAL for NULL.
 */
int platform_get_irq_byname_optional(struct platform_device *pdev,
				     const char *name);

/**
 * devm_platform_ioremap_resource_byname() - map the register window the
 * tree's "reg-names" calls @name, released with the device.
 * @pdev: the device.
 * @name: the name.
 *
 * Return: the mapping, or ERR_PTR(-EINVAL) ("invalid resource": no such
 * window) or ERR_PTR(-ENOMEM).
 */
void __iomem *
devm_platform_ioremap_resource_byname(struct platform_device *pdev,
				      const char *name);

/**
 * platform_irq_count() - how many interrupt lines a device has.
 * @pdev: the device.
 *
 * Return: 0 or 1 (the tree's first line).
 */
int platform_irq_count(struct platform_device *pdev);

/**
 * devm_platform_get_and_ioremap_resource() - map a register window of a
 * device until unbind, and say which.
 * @pdev: the device.
 * @index: which IORESOURCE_MEM, from 0.
 * @res: set to the resource (NULL if there is none); NULL to skip.
 *
 * Return: the registers, or ERR_PTR(-EINVAL) (no such window, with an
 * error printed), ERR_PTR(-ENOMEM) (the mapping failed).
 */
void __iomem *devm_platform_get_and_ioremap_resource(struct platform_device *pdev,
						     unsigned int index,
						     struct resource **res);

/**
 * devm_platform_ioremap_resource() - map a register window of a device
 * until unbind.
 * @pdev: the device.
 * @index: which IORESOURCE_MEM, from 0.
 *
 * Return: as devm_platform_get_and_ioremap_resource().
 */
void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev,
					     unsigned int index);

/**
 * platform_get_drvdata() - the driver's private pointer.
 * @pdev: the device.
 *
 * Return: as dev_get_drvdata().
 */
static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

/**
 * platform_set_drvdata() - store the driver's private pointer.
 * @pdev: the device.
 * @data: the pointer.
 */
static inline void platform_set_drvdata(struct platform_device *pdev,
					void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

#ifdef __cplusplus
}
#endif

#endif
