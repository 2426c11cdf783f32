// SPDX-License-Identifier: MIT
/*
 * A treap of disjoint IOVA ranges, by split and merge: inserting cuts the
 * subtree where the new node belongs into its two kids; erasing merges
 * the erased node's kids in its place. Recursion depth is the tree's
 * height, O(log n) expected.
 */
#include <stdlib.h>

#include "range_tree.h"

/* splitmix64's finaliser: neighbouring IOVAs get unrelated priorities. */
static u64 prio_of(unsigned long iova)
{
	u64 z = (u64)iova + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct dk_iommu_range *dk_range_floor(struct dk_iommu_range *t,
				      unsigned long iova)
{
	struct dk_iommu_range *best = NULL;

	while (t) {
		if (t->iova == iova)
			return t;
		if (t->iova < iova)
			best = t;
		t = t->kid[t->iova < iova];
	}
	return best;
}

struct dk_iommu_range *dk_range_ceil(struct dk_iommu_range *t,
				     unsigned long iova)
{
	struct dk_iommu_range *best = NULL;

	while (t) {
		if (t->iova == iova)
			return t;
		if (t->iova > iova)
			best = t;
		t = t->kid[t->iova < iova];
	}
	return best;
}

/* Cut @t into the ranges below @iova (*@lo) and the rest (*@hi). */
static void split(struct dk_iommu_range *t, unsigned long iova,
		  struct dk_iommu_range **lo, struct dk_iommu_range **hi)
{
	if (!t) {
		*lo = *hi = NULL;
	} else if (t->iova < iova) {
		split(t->kid[1], iova, &t->kid[1], hi);
		*lo = t;
	} else {
		split(t->kid[0], iova, lo, &t->kid[0]);
		*hi = t;
	}
}

/* Join @a and @b, every range of @a below every range of @b. */
static struct dk_iommu_range *merge(struct dk_iommu_range *a,
				    struct dk_iommu_range *b)
{
	if (!a || !b)
		return a ? a : b;
	if (a->prio >= b->prio) {
		a->kid[1] = merge(a->kid[1], b);
		return a;
	}
	b->kid[0] = merge(a, b->kid[0]);
	return b;
}

/*
 * Down to where @n's priority puts it, then the subtree found there is
 * cut at @n's IOVA into its kids: the tree split and merge would build,
 * but walking only the one path.
 */
void dk_range_insert(struct dk_iommu_range **root, struct dk_iommu_range *n)
{
	struct dk_iommu_range **at = root;

	n->prio = prio_of(n->iova);
	while (*at && (*at)->prio >= n->prio)
		at = &(*at)->kid[(*at)->iova < n->iova];
	split(*at, n->iova, &n->kid[0], &n->kid[1]);
	*at = n;
}

void dk_range_erase(struct dk_iommu_range **root, struct dk_iommu_range *n)
{
	struct dk_iommu_range **at = root;

	while (*at && *at != n)
		at = &(*at)->kid[(*at)->iova < n->iova];
	if (*at)
		*at = merge(n->kid[0], n->kid[1]);
}

int dk_range_walk(struct dk_iommu_range *t,
		  int (*fn)(struct dk_iommu_range *g, void *arg), void *arg)
{
	int r;

	if (!t)
		return 0;
	r = dk_range_walk(t->kid[0], fn, arg);
	if (!r)
		r = fn(t, arg);
	return r ? r : dk_range_walk(t->kid[1], fn, arg);
}

void dk_range_free_all(struct dk_iommu_range *t)
{
	if (!t)
		return;
	dk_range_free_all(t->kid[0]);
	dk_range_free_all(t->kid[1]);
	free(t);
}
