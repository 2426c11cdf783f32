/* SPDX-License-Identifier: MIT */
/*
 * <linux/gfp.h> for driver code built against dmakit:
 * page allocation and GFP flags.
 */
#ifndef DMAKIT_COMPAT_LINUX_GFP_H
#define DMAKIT_COMPAT_LINUX_GFP_H

#include <linux/compiler.h>
#include <dmakit/gfp.h>

/**
 * alloc_pages_exact() - physically contiguous pages for @size bytes, as a
 * kernel address. The block is the power of two of pages that holds
 * @size (Linux gives the pages past @size back at once; here they stay
 * with the block until free_pages_exact()).
 * @size: bytes.
 * @gfp: as for alloc_pages().
 *
 * Return: the address, page-aligned, or NULL (no memory, @size 0 or over
 * a block of MAX_ORDER).
 */
static inline void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	int order = size ? get_order(size) : -1;

	return order >= 0 && order <= MAX_ORDER ?
		       (void *)__get_free_pages(gfp, (unsigned int)order) : NULL;
}

/**
 * free_pages_exact() - give back what alloc_pages_exact() gave.
 * @virt: its address; NULL does nothing.
 * @size: the size it was given.
 */
static inline void free_pages_exact(void *virt, size_t size)
{
	if (virt)
		free_pages((unsigned long)virt, (unsigned int)get_order(size));
}

#endif
