/* SPDX-License-Identifier: MIT */
/*
 * DMA API names the talks use that Linux has since renamed or removed,
 * with what each meant, so code written to them (and the talks' slides)
 * runs. "Mastering the DMA and IOMMU APIs" (Laurent Pinchart, ELC 2014)
 * shows the write-combine names and the declared-memory flags; the Q&A
 * thread "Linux kernel device driver to DMA into kernel space" asks about
 * virt_to_bus().
 */
#ifndef DMAKIT_DMA_LEGACY_H
#define DMAKIT_DMA_LEGACY_H

#include <dmakit/dma-mapping.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * virt_to_bus() - the old way to get a device address: the CPU physical
 * address of a linear-map pointer, with nothing else done. It assumes the
 * device sees memory 1:1 (no dma-ranges offset, no address truncation,
 * no IOMMU) and does no cache maintenance, which is why Linux removed it
 * for dma_map_single(). Kept so the Q&A's driver runs and fails as it
 * would.
 * @addr: a linear-map pointer (kmalloc, page_address()).
 *
 * Return: its physical address; 0 (with a message) for anything else.
 */
unsigned long virt_to_bus(const void *addr);

/**
 * bus_to_virt() - the inverse of virt_to_bus().
 * @addr: a physical address of RAM.
 *
 * Return: its linear-map pointer; NULL (with a message) for anything else.
 */
void *bus_to_virt(unsigned long addr);

/**
 * dma_alloc_writecombine() - the ARM and AVR32 name of dma_alloc_wc().
 * @dev: as for dma_alloc_wc().
 * @size: as for dma_alloc_wc().
 * @dma_handle: as for dma_alloc_wc().
 * @gfp: as for dma_alloc_wc().
 *
 * Return: as dma_alloc_wc().
 */
void *dma_alloc_writecombine(struct device *dev, size_t size,
			     dma_addr_t *dma_handle, gfp_t gfp);

/**
 * dma_free_writecombine() - the old name of dma_free_wc().
 * @dev: as for dma_free_wc().
 * @size: as for dma_free_wc().
 * @cpu_addr: as for dma_free_wc().
 * @dma_handle: as for dma_free_wc().
 */
void dma_free_writecombine(struct device *dev, size_t size, void *cpu_addr,
			   dma_addr_t dma_handle);

/**
 * dma_mmap_writecombine() - the old name of dma_mmap_wc().
 * @dev: as for dma_mmap_wc().
 * @vma: as for dma_mmap_wc().
 * @cpu_addr: as for dma_mmap_wc().
 * @dma_addr: as for dma_mmap_wc().
 * @size: as for dma_mmap_wc().
 *
 * Return: as dma_mmap_wc().
 */
int dma_mmap_writecombine(struct device *dev, struct vm_area_struct *vma,
			  void *cpu_addr, dma_addr_t dma_addr, size_t size);

/*
 * The flags of the old five-argument dma_declare_coherent_memory(). Linux
 * dropped the argument (and these) when the function became internal;
 * dmakit's dma_declare_coherent_memory() has today's four arguments, and
 * dk_dma_declare_coherent_memory_flags() takes these:
 *  DMA_MEMORY_MAP: allocations are directly writable memory; always so.
 *  DMA_MEMORY_IO: allocations are I/O memory for readl()/writel(); never
 *      implemented by Linux's generic code, refused (-EINVAL).
 *  DMA_MEMORY_INCLUDES_CHILDREN: children of the device allocate from the
 *      area too; never supported, refused (-EINVAL).
 *  DMA_MEMORY_EXCLUSIVE: allocations come only from the area, with no
 *      fallback when it is full (dk_dma_declare_exclusive()).
 */
#define DMA_MEMORY_MAP			0x01
#define DMA_MEMORY_IO			0x02
#define DMA_MEMORY_INCLUDES_CHILDREN	0x04
#define DMA_MEMORY_EXCLUSIVE		0x08

/**
 * dk_dma_declare_coherent_memory_flags() - dma_declare_coherent_memory()
 * with the old flags argument.
 * @dev: as for dma_declare_coherent_memory().
 * @phys_addr: as for dma_declare_coherent_memory().
 * @device_addr: as for dma_declare_coherent_memory().
 * @size: as for dma_declare_coherent_memory().
 * @flags: DMA_MEMORY_MAP, optionally with DMA_MEMORY_EXCLUSIVE.
 *
 * Return: 0; -EINVAL for DMA_MEMORY_IO, DMA_MEMORY_INCLUDES_CHILDREN,
 * unknown flags or no DMA_MEMORY_MAP; else as
 * dma_declare_coherent_memory(). (The first Linux version returned the
 * flags it honoured, 0 on failure; this returns 0 or -errno as the later
 * one did.)
 */
int dk_dma_declare_coherent_memory_flags(struct device *dev,
					 phys_addr_t phys_addr,
					 dma_addr_t device_addr, size_t size,
					 int flags);

/**
 * dma_release_declared_memory() - the old name of
 * dma_release_coherent_memory(): give back the area of
 * dma_declare_coherent_memory(). Allocations from it must have been
 * freed (parts marked occupied count as allocations: the release warns).
 * @dev: as for dma_release_coherent_memory().
 */
void dma_release_declared_memory(struct device *dev);

/**
 * dma_mark_declared_memory_occupied() - take part of a declared area out
 * of allocation, as the one driver that used it did to keep the first
 * kilobyte of its card's memory (Linux removed it: declaring an area that
 * skips those pages does the same).
 * @dev: a device with a declared area.
 * @device_addr: where the device sees the part.
 * @size: its bytes (whole pages are taken).
 *
 * Return: the part's CPU address (the cacheable linear map); ERR_PTR(
 * -EINVAL) without an area or outside it, ERR_PTR(-EBUSY) if a page of it
 * is allocated or marked already.
 */
void *dma_mark_declared_memory_occupied(struct device *dev,
					dma_addr_t device_addr, size_t size);

#ifdef __cplusplus
}
#endif

#endif
