// SPDX-License-Identifier: MIT
/* Platform drivers and device resources (<linux/platform_device.h>). */
#include <linux/of.h>
#include <linux/platform_device.h>

#include "../machine/machine.h"
#include "linux.h"

static int platform_probe(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	struct platform_device *pdev = dk_pdev_of(dev);

	if (!pdev)
		return dk_err(-ENODEV, "%s: not a platform device (no tree node): %s does not bind it",
			      dev_name(dev), drv->driver.name);
	if (dev->machine->minalign > drv->dk_minalign)
		dev_warn(dev, "%s was built with ARCH_DMA_MINALIGN %u, this SoC needs %u: its DMA-aligned buffers may share cache lines",
			 drv->driver.name, drv->dk_minalign, dev->machine->minalign);
	return drv->probe(pdev);
}

/* A driver built for a kernel before 6.11: its remove returns int, which
 * Linux ignored then too (the device goes whatever it says). */
static void remove_int(struct platform_driver *drv,
		       struct platform_device *pdev)
{
	int (*remove)(struct platform_device *) =
		(int (*)(struct platform_device *))(void *)drv->remove;
	int r = remove(pdev);

	if (r)
		dev_warn(&pdev->dev, "%s: remove returned %d, which is ignored: the device is unbound",
			 drv->driver.name, r);
}

static void platform_remove(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	struct platform_device *pdev = dk_pdev_of(dev);

	if (!pdev)
		return;
	if (drv->remove && drv->dk_remove_returns_int)
		remove_int(drv, pdev);
	else if (drv->remove)
		drv->remove(pdev);
	else if (drv->remove_new)
		drv->remove_new(pdev);
}

static void platform_shutdown(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	struct platform_device *pdev = dk_pdev_of(dev);

	if (pdev && drv->shutdown)
		drv->shutdown(pdev);
}

int dk_platform_driver_register(struct platform_driver *drv,
				unsigned int minalign)
{
	if (!drv || !drv->driver.name || !drv->probe)
		return dk_err(-EINVAL, "platform_driver_register: the driver needs driver.name and probe");
	drv->driver.probe = platform_probe;
	drv->driver.remove = platform_remove;
	drv->driver.shutdown = platform_shutdown;
	drv->dk_minalign = minalign;
	dk_driver_builtin_add(&drv->driver);
	if (!dk_machine_current() || drv->driver.machine)
		return 0;
	return driver_register(&drv->driver);
}

void platform_driver_unregister(struct platform_driver *drv)
{
	if (!drv)
		return;
	dk_driver_builtin_del(&drv->driver);
	driver_unregister(&drv->driver);
}

struct resource *platform_get_resource(struct platform_device *pdev,
				       unsigned int type, unsigned int num)
{
	u32 i;

	for (i = 0; pdev && i < pdev->num_resources; i++)
		if (resource_type(&pdev->resource[i]) == type && !num--)
			return &pdev->resource[i];
	return NULL;
}

int platform_get_irq_optional(struct platform_device *pdev, unsigned int num)
{
	struct resource *r;

	if (!pdev)
		return -EINVAL;
	r = platform_get_resource(pdev, IORESOURCE_IRQ, num);
	return r ? (int)r->start : -ENXIO;
}

int platform_get_irq(struct platform_device *pdev, unsigned int num)
{
	int irq = platform_get_irq_optional(pdev, num);

	if (irq == -ENXIO)
		dev_err(&pdev->dev, "IRQ index %u not found", num);
	return irq;
}

struct resource *platform_get_resource_byname(struct platform_device *pdev,
					      unsigned int type,
					      const char *name)
{
	const char *names = type == IORESOURCE_MEM ? "reg-names" :
			    type == IORESOURCE_IRQ ? "interrupt-names" : NULL;
	int i;

	if (!pdev || !name || !names)
		return NULL;
	i = of_property_match_string(pdev->dev.of_node, names, name);
	return i < 0 ? NULL : platform_get_resource(pdev, type, (unsigned int)i);
}

int platform_get_irq_byname_optional(struct platform_device *pdev,
				     const char *name)
{
	struct resource *r;

	if (!pdev || !name)
		return -EINVAL;
	r = platform_get_resource_byname(pdev, IORESOURCE_IRQ, name);
	return r ? (int)r->start : -ENXIO;
}

int platform_get_irq_byname(struct platform_device *pdev, const char *name)
{
	int irq = platform_get_irq_byname_optional(pdev, name);

	if (irq == -ENXIO)
		dev_err(&pdev->dev, "IRQ %s not found", name);
	return irq;
}

int platform_irq_count(struct platform_device *pdev)
{
	return platform_get_resource(pdev, IORESOURCE_IRQ, 0) ? 1 : 0;
}

void __iomem *devm_ioremap_resource(struct device *dev,
				    const struct resource *res)
{
	void __iomem *p;

	if (!res || resource_type(res) != IORESOURCE_MEM) {
		dev_err(dev, "invalid resource");
		return ERR_PTR(-EINVAL);
	}
	p = devm_ioremap(dev, res->start, resource_size(res));
	if (!p) {
		dev_err(dev, "can't ioremap %#llx-%#llx: %s",
			(unsigned long long)res->start,
			(unsigned long long)res->end, dk_last_error());
		return ERR_PTR(-ENOMEM);
	}
	return p;
}

void __iomem *devm_platform_get_and_ioremap_resource(struct platform_device *pdev,
						     unsigned int index,
						     struct resource **res)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, index);

	if (res)
		*res = r;
	return devm_ioremap_resource(pdev ? &pdev->dev : NULL, r);
}

void __iomem *
devm_platform_ioremap_resource_byname(struct platform_device *pdev,
				      const char *name)
{
	return devm_ioremap_resource(pdev ? &pdev->dev : NULL,
				     platform_get_resource_byname(pdev,
								  IORESOURCE_MEM,
								  name));
}

void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev,
					     unsigned int index)
{
	return devm_platform_get_and_ioremap_resource(pdev, index, NULL);
}
