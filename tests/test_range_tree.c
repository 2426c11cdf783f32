// SPDX-License-Identifier: MIT
/* The IOMMU domain's treap of mapped ranges (src/iommu/range_tree.c). */
#include <stdlib.h>

#include "../src/iommu/range_tree.h"
#include "harness.h"

#define N 4096

/* Height of @t, or -1 if a node breaks IOVA order or heap order. */
static int check_tree(const struct dk_iommu_range *t, unsigned long lo,
		      unsigned long hi)
{
	int h[2], k;

	if (!t)
		return 0;
	if (t->iova < lo || t->iova > hi)
		return -1;
	for (k = 0; k < 2; k++)
		if (t->kid[k] && t->kid[k]->prio > t->prio)
			return -1;
	h[0] = check_tree(t->kid[0], lo, t->iova - 1);
	h[1] = check_tree(t->kid[1], t->iova + 1, hi);
	if (h[0] < 0 || h[1] < 0)
		return -1;
	return 1 + (h[0] > h[1] ? h[0] : h[1]);
}

static int count(struct dk_iommu_range *g, void *arg)
{
	unsigned long *prev = arg;

	if (prev[1] && g->iova <= prev[0])
		return 1;
	prev[0] = g->iova;
	prev[1]++;
	return 0;
}

/*
 * Ranges coming in IOVA order, a plain search tree's worst case, still
 * make a tree of logarithmic height in heap order; look-ups and erases
 * keep it so.
 */
TEST(range_tree_in_order_inserts_stay_balanced_and_ordered)
{
	struct dk_iommu_range *nodes = calloc(N, sizeof(*nodes)), *t = NULL;
	unsigned long seen[2] = { 0, 0 };
	int i, h;

	for (i = 0; i < N; i++) {
		nodes[i].iova = 0x100000UL + 0x2000UL * i;
		nodes[i].size = 0x1000;
		dk_range_insert(&t, &nodes[i]);
	}
	h = check_tree(t, 0, ~0UL);
	CHECK(h > 0 && h <= 48);
	CHECK(dk_range_floor(t, 0x100000UL + 0x2000UL * 77 + 0x1fff) ==
	      &nodes[77]);
	CHECK(dk_range_ceil(t, 0x100000UL + 0x2000UL * 77 + 1) == &nodes[78]);
	CHECK(!dk_range_floor(t, 0xfffff));
	CHECK(!dk_range_ceil(t, 0x100000UL + 0x2000UL * N));
	for (i = 0; i < N; i += 2)
		dk_range_erase(&t, &nodes[i]);
	h = check_tree(t, 0, ~0UL);
	CHECK(h > 0 && h <= 48);
	CHECK_EQ(dk_range_walk(t, count, seen), 0);
	CHECK_EQ(seen[1], N / 2);
	CHECK(dk_range_floor(t, 0x100000UL + 0x2000UL * 78) == &nodes[77]);
	free(nodes);
}
