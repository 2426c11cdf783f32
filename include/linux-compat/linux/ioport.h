/* SPDX-License-Identifier: MIT */
/* <linux/ioport.h> for driver code built against dmakit: struct resource. */
#ifndef DMAKIT_COMPAT_LINUX_IOPORT_H
#define DMAKIT_COMPAT_LINUX_IOPORT_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <dmakit/platform_device.h>

/**
 * resource_size() - bytes (or lines) a resource covers.
 * @res: the resource.
 *
 * Return: @res->end - @res->start + 1.
 */
static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

/**
 * resource_type() - the kind of a resource.
 * @res: the resource.
 *
 * Return: its IORESOURCE_* type bits.
 */
static inline unsigned long resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}

#endif
