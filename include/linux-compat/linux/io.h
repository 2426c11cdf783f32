/* SPDX-License-Identifier: MIT */
/*
 * <linux/io.h> for driver code built against dmakit:
 * register accessors and barriers.
 */
#ifndef DMAKIT_COMPAT_LINUX_IO_H
#define DMAKIT_COMPAT_LINUX_IO_H

#include <linux/byteorder/generic.h>	/* as asm/io.h brings it */
#include <linux/compiler.h>
#include <linux/ioport.h>
#include <dmakit/io.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * devm_ioremap_resource() - map a register resource until the driver
 * unbinds.
 * @dev: a live device.
 * @res: an IORESOURCE_MEM resource.
 *
 * Return: the registers, or ERR_PTR(-EINVAL) for a NULL or non-memory
 * resource (an error printed), ERR_PTR(-ENOMEM) if the mapping failed.
 */
void __iomem *devm_ioremap_resource(struct device *dev,
				    const struct resource *res);

#ifdef __cplusplus
}
#endif

#endif
