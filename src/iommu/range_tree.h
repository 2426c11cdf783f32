/* SPDX-License-Identifier: MIT */
/*
 * The mapped ranges of one IOMMU domain, disjoint, ordered by IOVA in a
 * treap: each node's priority is a hash of its IOVA, so the tree's shape
 * is that of a random binary search tree whatever order the ranges come
 * in, and every operation takes O(log n) steps (expected) in the number
 * of live ranges. Not thread-safe: the domain's lock covers it.
 */
#ifndef DMAKIT_IOMMU_RANGE_TREE_H
#define DMAKIT_IOMMU_RANGE_TREE_H

#include <stddef.h>

#include <dmakit/types.h>

struct dk_iommu_range {
	unsigned long iova;
	phys_addr_t pa;
	size_t size;
	int prot;
	u64 prio;			/* set by dk_range_insert() */
	struct dk_iommu_range *kid[2];	/* lower, higher IOVAs */
};

/* dk_range_floor - the range starting last at or below @iova, or NULL. */
struct dk_iommu_range *dk_range_floor(struct dk_iommu_range *t,
				      unsigned long iova);
/* dk_range_ceil - the range starting first at or above @iova, or NULL. */
struct dk_iommu_range *dk_range_ceil(struct dk_iommu_range *t,
				     unsigned long iova);
/* dk_range_insert - add @n (its IOVA free in *@root; kids are set). */
void dk_range_insert(struct dk_iommu_range **root, struct dk_iommu_range *n);
/* dk_range_erase - take @n, which is in *@root, out (not freed). */
void dk_range_erase(struct dk_iommu_range **root, struct dk_iommu_range *n);
/*
 * dk_range_walk - call @fn on every range in IOVA order until it returns
 * non-zero; that value, or 0.
 */
int dk_range_walk(struct dk_iommu_range *t,
		  int (*fn)(struct dk_iommu_range *g, void *arg), void *arg);
/* dk_range_free_all - free every node of @t. */
void dk_range_free_all(struct dk_iommu_range *t);

#endif
