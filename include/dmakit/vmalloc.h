/* SPDX-License-Identifier: MIT */
/*
 * vmalloc: virtually contiguous, physically scattered memory. Each page
 * comes from the page allocator on its own and is mapped again at one
 * contiguous address, so vmalloc memory is not DMA-able with
 * dma_map_single(): map its pages with a scatterlist and keep the vmap
 * alias coherent with flush_kernel_vmap_range()/invalidate_kernel_vmap_range().
 */
#ifndef DMAKIT_VMALLOC_H
#define DMAKIT_VMALLOC_H

#include <dmakit/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* vmalloc - @size bytes, page granular, NULL when out of memory or 0. */
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* vfree - NULL is ok; anything vmalloc did not return is reported. */
void vfree(const void *addr);
/* is_vmalloc_addr - @addr lies in a live vmalloc or vmap area. */
bool is_vmalloc_addr(const void *addr);
/* vmalloc_to_page - the page behind a vmalloc address, or NULL. */
struct page *vmalloc_to_page(const void *addr);
/* vmap - map @count pages contiguously (cacheable). vunmap undoes it. */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   int prot);
void vunmap(const void *addr);

/*
 * The vmap alias and the linear map are different virtual addresses of the
 * same lines on a VIPT/PIPT cache only in name; dmakit's cache is physically
 * tagged, so these maintain the physical lines behind the range: flush
 * cleans (before a device reads), invalidate drops (after it wrote).
 * @addr may also be a linear-map address (what dma_vmap_noncontiguous()
 * returns for contiguous pages). Anything else is reported ("BUG: ...
 * not a kernel address") and left alone; size <= 0 does nothing.
 */
void flush_kernel_vmap_range(void *addr, int size);
void invalidate_kernel_vmap_range(void *addr, int size);

#ifdef __cplusplus
}
#endif

#endif
