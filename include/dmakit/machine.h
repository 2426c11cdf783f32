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

struct dk_machine_opts {
	/* swiotlb size in bytes; 0 = default (4 MiB), -1 = no swiotlb */
	long long swiotlb_size;
	/* bounce every streaming mapping through swiotlb (swiotlb=force) */
	bool swiotlb_force;
	/* kmalloc alignment; 0 = the platform's ARCH_DMA_MINALIGN. A value
	 * below the cache line enables bouncing of small unaligned kmalloc
	 * buffers for non-coherent devices, as Linux does on arm64. */
	u32 kmalloc_minalign;
	/* give every device behind an IOMMU a default domain and map its DMA
	 * through it (iommu-dma); off: such devices bypass their IOMMU */
	bool iommu_dma;
};

/*
 * dk_machine_boot - boot a machine on @pl: create a struct device for every
 * device the platform describes, with its DMA configuration taken as
 * Linux's of_dma_configure() does, set up swiotlb below the 32-bit limit
 * and CMA from reusable shared-dma-pool regions. @opts may be NULL.
 * Makes the machine current. Returns 0 or -errno (message in
 * dk_last_error()): -EINVAL for a NULL @pl or @out, a platform that is
 * gone (its SoC was freed) or bad options; -EBUSY when the platform
 * already runs a live machine (two would hand out the same pages).
 */
int dk_machine_boot(const struct dk_platform *pl,
		    const struct dk_machine_opts *opts,
		    struct dk_machine **out);

/*
 * dk_machine_shutdown - unbind every driver, release every device and the
 * machine. Memory the program still holds becomes invalid. NULL is ok; a
 * machine that is not live (shut down already) is refused with a message.
 * Devices of a shut-down machine are refused by every function that takes
 * a device (see device.h).
 */
void dk_machine_shutdown(struct dk_machine *m);

/*
 * dk_machine_current / dk_machine_set_current - this thread's machine (NULL
 * before any boot). Setting a machine that is not live is refused with a
 * message; NULL falls back to the most recently booted one.
 */
struct dk_machine *dk_machine_current(void);
void dk_machine_set_current(struct dk_machine *m);

/* The platform the machine runs on; NULL for a machine not live. */
const struct dk_platform *dk_machine_platform(struct dk_machine *m);

/* The @i-th device of the machine, from 0; NULL past the end or for a
 * machine not live. */
struct device *dk_machine_device(struct dk_machine *m, int i);

/* Find a device by node path or node name; NULL if none (or NULL name, or
 * a machine not live), with a message. */
struct device *dk_machine_find_device(struct dk_machine *m, const char *name);

#ifdef __cplusplus
}
#endif

#endif
