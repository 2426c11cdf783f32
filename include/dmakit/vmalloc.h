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

/**
 * vmalloc() - @size bytes at one virtual address, a page at a time.
 * @size: bytes, 1 to 1 GiB; rounded up to whole pages.
 *
 * Context: any thread.
 * Return: the area (free it with vfree()), or NULL for a size outside
 * 1..1 GiB (-EINVAL), out of memory (-ENOMEM) or no machine booted;
 * dk_last_error() says why.
 */
void *vmalloc(unsigned long size);
/**
 * vzalloc() - vmalloc() zeroed, where devices see it too.
 * @size: as for vmalloc().
 *
 * Return: the area, or NULL as vmalloc() fails.
 */
void *vzalloc(unsigned long size);
/**
 * vfree() - unmap a vmalloc area and free its pages.
 * @addr: what vmalloc() returned; NULL does nothing. Anything else (a
 *        vmap() area included) is reported with a "BUG:" line and left
 *        alone.
 */
void vfree(const void *addr);
/**
 * is_vmalloc_addr() - whether a pointer lies in a live vmalloc or vmap
 * area.
 * @addr: any pointer.
 *
 * Return: true inside such an area, false otherwise or with no machine.
 */
bool is_vmalloc_addr(const void *addr);
/**
 * vmalloc_to_page() - the page behind an address of a vmalloc or vmap
 * area.
 * @addr: any byte of the area.
 *
 * Return: the page that holds it, or NULL outside every area.
 */
struct page *vmalloc_to_page(const void *addr);
/**
 * vmap() - map pages at one contiguous, cacheable virtual address.
 * @pages: @count pages of the machine; they stay the caller's.
 * @count: how many, at least 1.
 * @flags: accepted and ignored (Linux's VM_* flags).
 * @prot: accepted and ignored; the alias is always cacheable.
 *
 * Return: the address of the first page's first byte (undo with
 * vunmap()), or NULL for no pages (-EINVAL), an entry that is no page
 * (-EINVAL), out of memory or no machine booted.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   int prot);
/**
 * vunmap() - remove a vmap() alias; the pages are not freed.
 * @addr: what vmap() returned; NULL does nothing. Anything else is
 *        reported with a "BUG:" line and left alone.
 */
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
/**
 * flush_kernel_vmap_range() - clean the lines behind a vmap range before
 * a device reads them.
 * @addr: a vmalloc, vmap or linear-map address.
 * @size: bytes from @addr; <= 0 does nothing.
 */
void flush_kernel_vmap_range(void *addr, int size);
/**
 * invalidate_kernel_vmap_range() - drop the lines behind a vmap range
 * after a device wrote them, so the CPU reads what the device wrote.
 * @addr: a vmalloc, vmap or linear-map address.
 * @size: bytes from @addr; <= 0 does nothing.
 */
void invalidate_kernel_vmap_range(void *addr, int size);

#ifdef __cplusplus
}
#endif

#endif
