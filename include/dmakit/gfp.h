/* SPDX-License-Identifier: MIT */
/*
 * Physical pages of the current machine: struct page, alloc_pages() and
 * the address conversions, with Linux's names.
 *
 * Zones are windows of physical address space: GFP_DMA takes pages below
 * the machine's ZONE_DMA limit (2^30 if the platform has RAM there, else
 * 2^32), GFP_DMA32 below 4 GiB, anything else from all RAM. Allocation is
 * first fit from the lowest address, so runs are deterministic.
 */
#ifndef DMAKIT_GFP_H
#define DMAKIT_GFP_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define __GFP_DMA	0x01u
#define __GFP_DMA32	0x02u
#define __GFP_ZERO	0x04u
#define __GFP_NOWARN	0x08u
#define __GFP_HIGH	0x10u
#define __GFP_MOVABLE	0x20u	/* may be migrated: may borrow CMA pages */
#define GFP_KERNEL	0x00u
#define GFP_ATOMIC	__GFP_HIGH	/* nothing sleeps here; accepted */
#define GFP_NOWAIT	__GFP_HIGH
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32
#define GFP_USER	0x00u	/* one kind of RAM here: as GFP_KERNEL */
#define GFP_HIGHUSER	GFP_USER
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define MAX_ORDER	10	/* largest block: 2^10 pages, 4 MiB */

/*
 * One per physical page, in per-bank arrays (like vmemmap): page + 1 is the
 * next physical page of the same bank. Drivers treat it as opaque.
 */
struct page {
	unsigned long flags;
	unsigned int order;	/* order of the block this page heads */
	int refcount;
	void *slab;		/* kmalloc cache for slab pages */
	void *priv;
	/* A page of a user mapping (Linux's anon rmap): which one and
	 * where, so that migration can move it. */
	void *mapping;
	unsigned long index;
};

/**
 * alloc_pages() - 2^@order physically contiguous pages of the current
 * machine, naturally aligned.
 * @gfp: the zone (GFP_DMA, GFP_DMA32, else all RAM), __GFP_ZERO to zero
 *       the block (through the cache, so devices see zeroes too),
 *       __GFP_NOWARN to keep the failure off the log and __GFP_MOVABLE
 *       (GFP_HIGHUSER_MOVABLE) for a page that may move: one page
 *       (order 0) of that kind is lent from a free page of a CMA area
 *       first, the lowest one in the zone, and moves out when a device
 *       claims the page (cma_alloc) or a FOLL_LONGTERM pin wants it.
 *       Linux lends CMA pages only once half of the zone's free memory
 *       is CMA; dmakit always does, so that migration is exercised.
 * @order: log2 of the number of pages, at most MAX_ORDER.
 *
 * Context: any thread.
 * Return: the first page of the block (free it with __free_pages() and
 * the same @order), or NULL: order > MAX_ORDER (-EINVAL), no free run in
 * the zone (-ENOMEM, printed unless __GFP_NOWARN), no machine booted; the
 * reason is in dk_last_error().
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
/**
 * alloc_page() - one page: alloc_pages() of order 0.
 * @gfp: as for alloc_pages().
 *
 * Return: the page, or NULL as alloc_pages() fails.
 */
struct page *alloc_page(gfp_t gfp);

/**
 * __free_pages() - give back a block from alloc_pages().
 * @page: its first page; NULL does nothing.
 * @order: the order it was allocated with.
 *
 * A page that heads no live block of that order (a double free, a wrong
 * order, a pointer that is no page) is reported with a "BUG:" line and
 * nothing is freed.
 */
void __free_pages(struct page *page, unsigned int order);
/**
 * __free_page() - __free_pages() of order 0.
 * @page: a page from alloc_page(); NULL does nothing.
 */
void __free_page(struct page *page);

/**
 * __get_free_pages() - alloc_pages(), by cacheable virtual address.
 * @gfp: as for alloc_pages().
 * @order: as for alloc_pages().
 *
 * Return: the linear-map address of the block, or 0 when alloc_pages()
 * fails (dk_last_error() says why). Free it with free_pages().
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
/**
 * free_pages() - give back a block from __get_free_pages().
 * @addr: its address; 0 does nothing.
 * @order: the order it was allocated with.
 *
 * An address that is no page of the machine is reported (a "BUG:" line
 * and dk_last_error(), -EINVAL) and frees nothing; a wrong order is
 * reported as by __free_pages().
 */
void free_pages(unsigned long addr, unsigned int order);

/**
 * get_order() - the order of the smallest block that holds @size bytes.
 * @size: a size in bytes, at least 1.
 *
 * Return: n such that PAGE_SIZE << n >= @size, 0 for sizes up to a page.
 */
int get_order(unsigned long size);

/*
 * Conversions between pages, physical and linear-map addresses of the
 * current machine. None of them allocates or fails loudly: an address
 * that is not RAM gives NULL or 0.
 */
/**
 * page_address() - the linear-map (cacheable) address of a page.
 * @page: a page of the machine.
 *
 * Return: the CPU address of its first byte, or NULL if @page is no page
 * of the machine (NULL included).
 */
void *page_address(const struct page *page);
/**
 * page_to_phys() - the physical address of a page.
 * @page: a page of the machine.
 *
 * Return: its physical address, or 0 if @page is no page of the machine.
 * RAM may start at 0, so test the page, not the result.
 */
phys_addr_t page_to_phys(const struct page *page);
/**
 * page_to_pfn() - the page frame number of a page.
 * @page: a page of the machine.
 *
 * Return: page_to_phys(@page) >> PAGE_SHIFT, 0 for no page.
 */
unsigned long page_to_pfn(const struct page *page);
/**
 * pfn_to_page() - the page of a page frame number.
 * @pfn: a physical address >> PAGE_SHIFT.
 *
 * Return: its struct page, or NULL if it is not RAM of the machine.
 */
struct page *pfn_to_page(unsigned long pfn);
/**
 * phys_to_page() - the page holding a physical address.
 * @pa: any byte of the page.
 *
 * Return: its struct page, or NULL if @pa is not RAM of the machine.
 */
struct page *phys_to_page(phys_addr_t pa);
/**
 * virt_to_page() - the page behind a linear-map address.
 * @addr: a cacheable linear-map pointer (kmalloc, page_address()); not
 *        vmalloc, stack, rodata or malloc memory.
 *
 * Return: the page holding @addr, or NULL for any other pointer.
 */
struct page *virt_to_page(const void *addr);
/**
 * virt_to_phys() - the physical address of a linear-map address.
 * @addr: a cacheable linear-map pointer, as for virt_to_page().
 *
 * Return: the physical address of @addr, or 0 for any other pointer
 * (check with virt_addr_valid() where RAM may start at 0).
 */
phys_addr_t virt_to_phys(const volatile void *addr);
/**
 * phys_to_virt() - the linear-map address of a physical address.
 * @pa: an address in RAM of the machine.
 *
 * Return: the cacheable CPU pointer to @pa, or NULL if it is not RAM.
 */
void *phys_to_virt(phys_addr_t pa);
/**
 * virt_addr_valid() - whether a pointer is in the linear map of RAM.
 * @addr: any pointer.
 *
 * Return: true for linear-map memory (kmalloc, pages), false for vmalloc,
 * the stack, rodata, malloc memory, NULL and no machine booted.
 */
bool virt_addr_valid(const void *addr);

#ifdef __cplusplus
}
#endif

#endif
