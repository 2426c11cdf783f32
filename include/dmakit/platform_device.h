/* SPDX-License-Identifier: MIT */
/*
 * The objects the machine makes from the device tree at boot, with Linux's
 * names and layouts: every enabled device node becomes a struct
 * platform_device (its struct device embedded, so drivers reach one from
 * the other with &pdev->dev and to_platform_device()), with its first
 * register window and interrupt as resources, and every node of the tree
 * has a struct device_node. The functions that work on them are Linux-only
 * and live in the <linux/...> headers (<linux/platform_device.h>,
 * <linux/of.h>); this header holds the types the library allocates.
 */
#ifndef DMAKIT_PLATFORM_DEVICE_H
#define DMAKIT_PLATFORM_DEVICE_H

#include <dmakit/device.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef phys_addr_t resource_size_t;

/* struct resource flags: what kind of resource it is. */
#define IORESOURCE_IO		0x00000100UL
#define IORESOURCE_MEM		0x00000200UL
#define IORESOURCE_REG		0x00000300UL
#define IORESOURCE_IRQ		0x00000400UL
#define IORESOURCE_DMA		0x00000800UL
#define IORESOURCE_TYPE_BITS	0x00001f00UL

/**
 * struct resource - a range of one kind of resource (registers, an
 * interrupt line), both ends inclusive.
 */
struct resource {
	/** @start: first address or line */
	resource_size_t start;
	/** @end: last address or line */
	resource_size_t end;
	/** @name: the owner's name (the node path) */
	const char *name;
	/** @flags: IORESOURCE_MEM or IORESOURCE_IRQ */
	unsigned long flags;
};

/**
 * struct device_node - one node of the device tree.
 */
struct device_node {
	/** @name: the node's name without its unit address ("i2c") */
	const char *name;
	/** @full_name: the node's name with it ("i2c@10040000") */
	const char *full_name;
	/* dmakit: the path, the node's offset in the machine's flattened
	 * tree, and the machine */
	const char *dk_path;
	int dk_offset;
	struct dk_machine *dk_machine;
};

/* platform_device.id of a device that is the only one of its name. */
#define PLATFORM_DEVID_NONE	(-1)

/**
 * struct platform_device - a device the tree describes.
 */
struct platform_device {
	/** @name: its name, the node path as dev_name() gives it */
	const char *name;
	/** @id: PLATFORM_DEVID_NONE */
	int id;
	/** @dev: the device itself */
	struct device dev;
	/** @num_resources: entries of @resource */
	u32 num_resources;
	/** @resource: the register window (if any) then the interrupt */
	struct resource *resource;
};

#ifdef __cplusplus
}
#endif

#endif
