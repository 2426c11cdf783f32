/* SPDX-License-Identifier: MIT */
/*
 * <linux/mm.h> for driver code built against dmakit: the simulated user
 * address space (user mappings, uaccess, get_user_pages, memremap), and
 * what drivers ask of an address before mapping it for DMA (talk 001:
 * DMA needs memory from the page or slab allocator, never the stack or
 * vmalloc space).
 */
#ifndef DMAKIT_COMPAT_LINUX_MM_H
#define DMAKIT_COMPAT_LINUX_MM_H

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/vmalloc.h>
#include <linux/sched/task_stack.h>
#include <dmakit/mm.h>

/* The byte offset of @p in its page. */
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

#ifdef __cplusplus
extern "C" {
#endif

/**
 * is_vmalloc_or_module_addr() - whether an address is in vmalloc or vmap
 * space (a program has no module space apart from it).
 * @addr: the address.
 *
 * Return: as is_vmalloc_addr().
 */
static inline bool is_vmalloc_or_module_addr(const void *addr)
{
	return is_vmalloc_addr(addr);
}

#ifndef offset_in_page
#define offset_in_page(p)	((unsigned long)(p) & (PAGE_SIZE - 1))
#endif

#ifdef __cplusplus
}
#endif

#endif
