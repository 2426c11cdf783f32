/* SPDX-License-Identifier: MIT */
/*
 * A machine: the "kernel" the Linux APIs run in. It owns the page
 * allocator, the DMA zones, swiotlb, CMA areas and the devices the platform
 * describes. Functions without a device argument (kmalloc, alloc_pages,
 * vmalloc) use the current machine of the calling thread, falling back to
 * the most recently booted one.
 */
#ifndef DMAKIT_MACHINE_H
#define DMAKIT_MACHINE_H

#include <dmakit/platform.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dk_machine;
struct device;

/**
 * struct dk_machine_opts - how dk_machine_boot() sets the machine up.
 * Zero-initialise it (or pass NULL) for Linux's defaults.
 */
struct dk_machine_opts {
	/** @swiotlb_size: swiotlb size in bytes; 0 = default (4 MiB), -1 =
	 * no swiotlb */
	long long swiotlb_size;
	/** @swiotlb_force: bounce every streaming mapping through swiotlb
	 * (swiotlb=force) */
	bool swiotlb_force;
	/** @kmalloc_minalign: kmalloc alignment; 0 = the platform's
	 * ARCH_DMA_MINALIGN. A value below the cache line enables bouncing
	 * of small unaligned kmalloc buffers for non-coherent devices, as
	 * Linux does on arm64. */
	u32 kmalloc_minalign;
	/** @iommu_dma: give every device behind an IOMMU a default domain
	 * and map its DMA through it (iommu-dma); off: such devices bypass
	 * their IOMMU */
	bool iommu_dma;
	/** @maint: cache maintenance before a device: DK_MAINT_PLATFORM (0)
	 * for the platform's (the tree's "dma-maintenance"), DK_MAINT_ARM64
	 * or DK_MAINT_ARM32 (invalidate at map for DMA_FROM_DEVICE) */
	enum dk_dma_maint maint;
};

/**
 * dk_machine_boot() - boot a machine on a platform: create a struct device
 * for every device the platform describes, with its DMA configuration
 * taken as Linux's of_dma_configure() does, set up swiotlb below the
 * 32-bit limit and CMA from reusable shared-dma-pool regions. Makes the
 * machine current.
 * @pl: the platform, e.g. from dk_platform_sim(); it must outlive the
 *      machine.
 * @opts: the options; NULL for the defaults.
 * @out: set to the machine; free it with dk_machine_shutdown().
 *
 * Return: 0 or -errno (message in dk_last_error()): -EINVAL for a NULL
 * @pl or @out, a platform that is gone (its SoC was freed) or bad
 * options; -EBUSY when the platform already runs a live machine (two
 * would hand out the same pages).
 */
int dk_machine_boot(const struct dk_platform *pl,
		    const struct dk_machine_opts *opts,
		    struct dk_machine **out);

/**
 * dk_machine_shutdown() - unbind every driver, release every device and
 * the machine. Memory the program still holds becomes invalid. Devices of
 * a shut-down machine are refused by every function that takes a device
 * (see device.h).
 * @m: the machine; NULL is ok; a machine that is not live (shut down
 *     already) is refused with a message.
 *
 * Context: no other thread may use the machine meanwhile.
 */
void dk_machine_shutdown(struct dk_machine *m);

/**
 * dk_machine_current() - this thread's machine.
 *
 * Return: the machine dk_machine_set_current() chose on this thread if it
 * is still live, else the most recently booted live one; NULL before any
 * boot.
 */
struct dk_machine *dk_machine_current(void);
/**
 * dk_machine_set_current() - choose this thread's machine, for the
 * functions without a device argument.
 * @m: a live machine, or NULL to fall back to the most recently booted
 *     one. A machine that is not live is refused with a message.
 */
void dk_machine_set_current(struct dk_machine *m);

/**
 * dk_machine_platform() - the platform the machine runs on.
 * @m: the machine.
 *
 * Return: the platform given to dk_machine_boot(); NULL for a machine not
 * live.
 */
const struct dk_platform *dk_machine_platform(struct dk_machine *m);

/**
 * dk_machine_device() - the machine's devices, one by one.
 * @m: the machine.
 * @i: from 0.
 *
 * Return: the @i-th device of the tree; NULL past the end or for a
 * machine not live.
 */
struct device *dk_machine_device(struct dk_machine *m, int i);

/**
 * dk_machine_find_device() - a device by node path or node name.
 * @m: the machine.
 * @name: "/soc/master@10010000" or "master@10010000".
 *
 * Return: the device; NULL if none (or NULL name, or a machine not live),
 * with a message.
 */
struct device *dk_machine_find_device(struct dk_machine *m, const char *name);

#ifdef __cplusplus
}
#endif

#endif
