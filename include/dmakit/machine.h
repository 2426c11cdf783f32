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
	/** @iommu_dma: kept for programs written before iommu-dma was the
	 * default; it changes nothing (see @iommu_passthrough) */
	bool iommu_dma;
	/** @maint: cache maintenance before a device: DK_MAINT_PLATFORM (0)
	 * for the platform's (the tree's "dma-maintenance"), DK_MAINT_ARM64
	 * or DK_MAINT_ARM32 (invalidate at map for DMA_FROM_DEVICE) */
	enum dk_dma_maint maint;
	/** @maint_end_minus_one: the streaming-DMA cache maintenance routine
	 * takes its range's end as start + size - 1 and stops before it, as
	 * barebox's did until 2024 ("Not this tall to ride"): a buffer whose
	 * last byte opens a cache line (a 129-byte frame) leaves that line
	 * unmaintained. Off: the correct routine. */
	bool maint_end_minus_one;
	/** @devm_kmalloc_header: devm_kmalloc() puts its devres node in
	 * front of the buffer in one kmalloc object, as older Linux did: the
	 * buffer then starts a few dozen bytes into its object, not
	 * ARCH_DMA_MINALIGN-aligned, and shares its first cache line with
	 * the node (talk 001's "kmalloc() vs. devm_kmalloc()"). Off: the
	 * buffer is an object of its own, as Linux aligns devres data today. */
	bool devm_kmalloc_header;
	/** @cma_size: the kernel's cma= option: 0 = the tree's default CMA
	 * area (linux,cma-default) as it is; a size in bytes (whole pages) =
	 * a default area of that size reserved at boot below the 32-bit DMA
	 * limit by dma_contiguous_reserve(), the tree's default region
	 * bypassed (its memory stays reserved); -1 = cma=0: no default area */
	long long cma_size;
	/** @kmalloc_header: kmalloc keeps its bookkeeping in the memory, as
	 * barebox's malloc does: an 8-byte header right before each object
	 * (up to 8 KiB), placed so the object keeps the kmalloc alignment.
	 * kfree() and ksize() check it; a corrupted header makes kfree()
	 * warn and keep the object, and ksize() return 0. */
	bool kmalloc_header;
	/** @iommu_passthrough: devices behind an IOMMU bypass it and map
	 * through the direct backend (Linux's iommu.passthrough=1); off
	 * (the default), each gets a default domain at boot and its DMA API
	 * goes through iommu-dma */
	bool iommu_passthrough;
	/** @iommu_lazy: unmaps through iommu-dma invalidate the IOTLB
	 * lazily, through a flush queue (Linux's iommu.strict=0; see
	 * <dmakit/iommu-dma.h>); off: strict, as arm64 defaults to */
	bool iommu_lazy;
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
 * dk_machine_kexec() - hand the SoC to a second kernel, as kexec (or a
 * bootloader starting Linux) does: call every bound driver's shutdown
 * (not remove), abandon the machine without freeing, unmapping or
 * stopping anything else, and boot a fresh machine on the same platform.
 * RAM keeps its contents and devices keep running: a device left active
 * writes into memory the new machine hands out.
 * @m: a live machine; it is gone afterwards.
 * @opts: the new machine's options; NULL for the defaults.
 * @out: set to the new machine (NULL if its boot failed).
 *
 * Context: no other thread may use @m meanwhile.
 * Return: 0 or what dk_machine_boot() returns; -EINVAL for a NULL @out
 * or an @m that is not live (untouched then).
 */
int dk_machine_kexec(struct dk_machine *m, const struct dk_machine_opts *opts,
		     struct dk_machine **out);

/**
 * dma_contiguous_reserve() - reserve the default CMA area of the size the
 * machine was booted with (dk_machine_opts.cma_size, the cma= option)
 * from the page allocator, wholly below @addr_limit. Linux's arch code
 * calls it once at boot; dk_machine_boot() does so with the 32-bit DMA
 * limit. Without a size, or when the machine has a default area already,
 * it does nothing.
 * @addr_limit: the first physical address the area may not reach; 0 for
 *              no limit.
 *
 * Context: at boot, before any allocation that may want CMA.
 */
void dma_contiguous_reserve(phys_addr_t addr_limit);

/**
 * dk_machine_cma_area() - the machine's CMA areas, one by one.
 * @m: the machine.
 * @i: from 0.
 * @base: set to the area's first byte.
 * @size: set to its size.
 * @is_default: set to whether it serves every device (the default area).
 *
 * Return: 0, -ENOENT past the last area, -EINVAL for a machine not live
 * or NULL results.
 */
int dk_machine_cma_area(struct dk_machine *m, int i, phys_addr_t *base,
			u64 *size, bool *is_default);

/**
 * struct dk_meminfo - the CMA lines of /proc/meminfo, in kB as there.
 */
struct dk_meminfo {
	/** @cma_total: every CMA area (CmaTotal) */
	unsigned long cma_total;
	/** @cma_free: CMA pages neither claimed by a device nor lent
	 * (CmaFree) */
	unsigned long cma_free;
	/** @cma_lent: CMA pages lent to movable allocations (dmakit's;
	 * Linux counts them as used) */
	unsigned long cma_lent;
};

/**
 * dk_machine_meminfo() - how the machine's CMA pages are used.
 * @m: the machine.
 * @out: filled in.
 *
 * Context: any thread; a snapshot.
 * Return: 0, or -EINVAL for a machine not live or NULL @out.
 */
int dk_machine_meminfo(struct dk_machine *m, struct dk_meminfo *out);

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
