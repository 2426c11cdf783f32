/* SPDX-License-Identifier: MIT */
/*
 * <linux/cache.h> for driver code built against dmakit: the alignment
 * names talk 001 ("DMA-safe buffers") tells drivers to use.
 *
 * ARCH_DMA_MINALIGN is a compile-time constant, as in Linux, so it can
 * size and align structure members. It is the minimum DMA alignment of
 * the SoC class the driver is built for: 128, the default SoC's (ARM64's
 * value). Build with -DARCH_DMA_MINALIGN=N for another class; a platform
 * driver built for less than the booted SoC needs is warned about when it
 * registers (see <linux/platform_device.h>), because its "aligned"
 * buffers may then share cache lines with other data.
 */
#ifndef DMAKIT_COMPAT_LINUX_CACHE_H
#define DMAKIT_COMPAT_LINUX_CACHE_H

#include <linux/compiler.h>

#ifndef ARCH_DMA_MINALIGN
#define ARCH_DMA_MINALIGN	128
#endif
#ifndef L1_CACHE_BYTES
#define L1_CACHE_BYTES		64
#endif
#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES		L1_CACHE_BYTES
#endif
#ifndef ____cacheline_aligned
#define ____cacheline_aligned	__attribute__((aligned(SMP_CACHE_BYTES)))
#endif
#ifndef ____cacheline_aligned_in_smp
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#endif
#ifndef __cacheline_aligned
#define __cacheline_aligned	____cacheline_aligned
#endif
/* A member a device writes by DMA: on lines of its own. */
#ifndef ____dma_aligned
#define ____dma_aligned		__attribute__((aligned(ARCH_DMA_MINALIGN)))
#endif

/*
 * Group the members of a structure that a device writes by DMA so that
 * nothing else shares their cache lines: the group starts on a line of
 * its own and whatever follows it starts on the next one.
 */
#define __dma_from_device_group_begin(name)				\
	unsigned char __dma_group_begin_##name[0] ____dma_aligned
#define __dma_from_device_group_end(name)				\
	unsigned char __dma_group_end_##name[0] ____dma_aligned

#endif
