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

/**
 * kmalloc() - @size bytes of physically contiguous RAM of the current
 * machine, aligned to dk_kmalloc_minalign().
 * @size: bytes, at least 1; sizes over the largest size class take
 *        whole pages.
 * @gfp: the zone (GFP_DMA, GFP_DMA32) and __GFP_ZERO, as for alloc_pages().
 *
 * Context: any thread.
 * Return: the object (free it with kfree()), or NULL for size 0 (-EINVAL;
 * Linux returns ZERO_SIZE_PTR, NULL is what C code can test), when out of
 * memory (-ENOMEM) or with no machine booted; dk_last_error() says why.
 */
void *kmalloc(size_t size, gfp_t gfp);
/**
 * kzalloc() - kmalloc() zeroed, where devices see it too.
 * @size: as for kmalloc().
 * @gfp: as for kmalloc().
 *
 * Return: the object, or NULL as kmalloc() fails.
 */
void *kzalloc(size_t size, gfp_t gfp);
/**
 * kcalloc() - a zeroed array of @n objects of @size bytes.
 * @n: the number of elements.
 * @size: the size of one.
 * @gfp: as for kmalloc().
 *
 * Return: the array, or NULL when @n * @size overflows (-EOVERFLOW), is 0
 * or kmalloc() fails.
 */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/**
 * krealloc() - resize a kmalloc object, keeping its contents.
 * @p: the object, or NULL to allocate a new one.
 * @new_size: the size wanted; 0 frees @p.
 * @gfp: as for kmalloc().
 *
 * Return: @p itself when it is already large enough (ksize()), else a new
 * object holding the old contents (@p is then freed); NULL when
 * @new_size is 0 (@p freed), @p is no kmalloc object (-EINVAL, @p left
 * alone) or the allocation fails (@p left alone).
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/**
 * kfree() - give back a kmalloc object.
 * @p: the object; NULL does nothing. A pointer kmalloc did not return,
 *     or one already freed, is reported with a "BUG:" line and nothing
 *     is freed.
 *
 * With the checker on, freeing an object a device still has mapped
 * (directly, or bounced/through an IOMMU from its first byte) is a
 * free-while-mapped finding.
 */
void kfree(const void *p);
/**
 * ksize() - the usable size of a kmalloc object.
 * @p: the object's start.
 *
 * Return: its size class (or whole pages for big objects), at least the
 * size asked for; 0 for NULL, no machine or a pointer that is no live
 * kmalloc object.
 */
size_t ksize(const void *p);
/**
 * dk_kmalloc_minalign() - the alignment every kmalloc object has on the
 * current machine: ARCH_DMA_MINALIGN unless the machine was booted with
 * a smaller dk_machine_opts.kmalloc_minalign.
 *
 * Return: the alignment in bytes, 0 with no machine booted.
 */
unsigned int dk_kmalloc_minalign(void);
/**
 * dk_is_kmalloc_addr() - whether a pointer lies inside a live small
 * (size-class) kmalloc object; the DMA checks use it.
 * @p: any pointer.
 * @obj_size: if not NULL and the answer is true, set to the object's size.
 * @obj_start: if not NULL and the answer is true, set to its first byte.
 *
 * Return: true for a live object of a size class; false for freed
 * objects, objects of whole pages, other memory and no machine booted
 * (the outputs are then untouched).
 */
bool dk_is_kmalloc_addr(const void *p, size_t *obj_size,
			const void **obj_start);

#ifdef __cplusplus
}
#endif

#endif
