/* SPDX-License-Identifier: MIT */
/*
 * An IOVA allocator in the manner of Linux's iova.c: the allocated ranges
 * of one address space in a balanced tree, handed out top-down below a
 * limit (the device's mask, the IOMMU's aperture), with per-thread
 * magazines of recently freed small ranges in front of it so that the
 * map/unmap of a few pages seldom takes the tree's lock. Addresses and
 * sizes are in pages of the caller's granule (pfns). Thread-safe; any
 * number of spaces may live at once.
 */
#ifndef DMAKIT_IOMMU_IOVA_H
#define DMAKIT_IOMMU_IOVA_H

#include <stdbool.h>

#include <dmakit/types.h>

struct dk_iova_space;

/* Sizes up to this many pages are cached (rounded up to a power of two). */
#define DK_IOVA_CACHED_PAGES 32

/*
 * dk_iova_space_new - a space handing out pfns in [@start, @end] (@start
 * above 0 keeps the low pfns out, as iommu-dma keeps the first MiB).
 * NULL on an empty range or out of memory.
 */
struct dk_iova_space *dk_iova_space_new(u64 start, u64 end);
/* dk_iova_space_free - free the space and whatever is still allocated. */
void dk_iova_space_free(struct dk_iova_space *s);

/*
 * dk_iova_alloc - the tree alone: the highest @npages free pfns wholly at
 * or below @limit, aligned to @npages rounded up to a power of two when
 * @size_aligned. true and *@pfn, or false if no such range is free.
 */
bool dk_iova_alloc(struct dk_iova_space *s, u64 npages, u64 limit,
		   bool size_aligned, u64 *pfn);
/*
 * dk_iova_free - give back the range the tree allocated at @pfn; @npages
 * must be its size (0: whatever it is). false if no such range is
 * allocated (nothing changes).
 */
bool dk_iova_free(struct dk_iova_space *s, u64 pfn, u64 npages);

/*
 * dk_iova_alloc_fast - what iommu-dma uses: @npages up to
 * DK_IOVA_CACHED_PAGES rounded up to a power of two and taken from this
 * thread's magazines when one holds a range below @limit, else from the
 * tree; always size-aligned. When the tree has no room the magazines are
 * emptied into it and it is asked again.
 */
bool dk_iova_alloc_fast(struct dk_iova_space *s, u64 npages, u64 limit,
			u64 *pfn);
/* dk_iova_free_fast - free a range of dk_iova_alloc_fast (same @npages). */
void dk_iova_free_fast(struct dk_iova_space *s, u64 pfn, u64 npages);
/* dk_iova_flush - return every cached range to the tree. */
void dk_iova_flush(struct dk_iova_space *s);

struct dk_iova_stats {
	unsigned long ranges;		/* in the tree, cached ones included */
	unsigned long tree_allocs, tree_frees;	/* under the tree's lock */
	unsigned long cache_hits;	/* fast allocations no tree served */
	unsigned long cached;		/* ranges in magazines now */
};
void dk_iova_stats(struct dk_iova_space *s, struct dk_iova_stats *st);

#endif
