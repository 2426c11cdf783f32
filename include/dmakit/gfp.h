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
#define GFP_KERNEL	0x00u
#define GFP_ATOMIC	__GFP_HIGH	/* nothing sleeps here; accepted */
#define GFP_NOWAIT	__GFP_HIGH
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32

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
};

/*
 * alloc_pages - 2^@order physically contiguous pages, naturally aligned.
 * Returns the first page, or NULL: -EINVAL for order > MAX_ORDER, -ENOMEM
 * when the zone has no such run (message in dk_last_error(); also printed
 * unless __GFP_NOWARN). __GFP_ZERO zeroes them (through the cache).
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct page *alloc_page(gfp_t gfp);

/* __free_pages - free a block from alloc_pages(); misuse is reported. */
void __free_pages(struct page *page, unsigned int order);
void __free_page(struct page *page);

/* The same, by cacheable virtual address. 0 on failure; free_pages() of an
 * address that is no page of the machine is reported (a "BUG:" line and
 * dk_last_error()) and frees nothing. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);

/* get_order - the order whose block holds @size bytes. */
int get_order(unsigned long size);

/* Conversions. Each returns NULL / 0 for addresses that are not RAM. */
void *page_address(const struct page *page);
phys_addr_t page_to_phys(const struct page *page);
unsigned long page_to_pfn(const struct page *page);
struct page *pfn_to_page(unsigned long pfn);
struct page *phys_to_page(phys_addr_t pa);
/* virt_to_page/virt_to_phys take cacheable linear-map pointers only. */
struct page *virt_to_page(const void *addr);
phys_addr_t virt_to_phys(const volatile void *addr);
void *phys_to_virt(phys_addr_t pa);
/* virt_addr_valid - @addr is in the linear map of RAM (not vmalloc,
 * not the stack, not rodata, not malloc). */
bool virt_addr_valid(const void *addr);

#ifdef __cplusplus
}
#endif

#endif
