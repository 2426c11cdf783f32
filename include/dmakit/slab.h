/* SPDX-License-Identifier: MIT */
/*
 * kmalloc and friends over the current machine's pages. Every object is
 * aligned to the machine's kmalloc minimum alignment, which is
 * ARCH_DMA_MINALIGN by default, so kmalloc memory is DMA-safe as Linux
 * promises. A machine booted with a smaller kmalloc_minalign packs small
 * objects tighter and relies on swiotlb bouncing for non-coherent DMA into
 * unaligned ones, as Linux does on arm64.
 */
#ifndef DMAKIT_SLAB_H
#define DMAKIT_SLAB_H

#include <dmakit/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * kmalloc - @size bytes of physically contiguous RAM. Returns NULL for
 * size 0 (Linux returns ZERO_SIZE_PTR; NULL is what C code can test) or
 * when out of memory (message in dk_last_error()).
 */
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/* krealloc - keeps the contents; krealloc(p, 0) frees and returns NULL. */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/*
 * kfree - NULL is ok; a pointer kmalloc did not return is reported. With
 * the checker on, freeing an object a device still has mapped (directly,
 * or bounced/through an IOMMU from its first byte) is a free-while-mapped
 * finding.
 */
void kfree(const void *p);
/* ksize - the usable size of a kmalloc object (its size class). */
size_t ksize(const void *p);
/* The alignment every kmalloc object has on the current machine. */
unsigned int dk_kmalloc_minalign(void);
/* Whether @p is inside a live kmalloc object (used by dma checks). */
bool dk_is_kmalloc_addr(const void *p, size_t *obj_size,
			const void **obj_start);

#ifdef __cplusplus
}
#endif

#endif
