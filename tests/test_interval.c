// SPDX-License-Identifier: MIT
/* The checker's interval tree against a plain array, at random. */
#include <stdlib.h>

#include "../src/debug/interval.h"
#include "harness.h"

#define N 600

struct ref {
	struct dk_inode n;
	bool in;
	u64 size;
};

static struct ref refs[N];
static unsigned long long rnd = 88172645463325252ULL;

static u64 next(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd;
}

/* What dk_itree_find must return: latest start, then newest. */
static struct dk_inode *brute_find(u64 group, u64 max_start, u64 min_last)
{
	struct dk_inode *best = NULL;
	int i;

	for (i = 0; i < N; i++) {
		struct dk_inode *n = &refs[i].n;

		if (!refs[i].in || n->empty || n->group != group ||
		    n->start > max_start || n->last < min_last)
			continue;
		if (!best || n->start > best->start ||
		    (n->start == best->start && n->seq > best->seq))
			best = n;
	}
	return best;
}

/* (g1, l1) > (g2, l2), lexicographically. */
static bool above(u64 g1, u64 l1, u64 g2, u64 l2)
{
	return g1 > g2 || (g1 == g2 && l1 > l2);
}

/* The height, or -1 if a subtree is out of balance or a node's stored
 * height or largest (group, last) is not what its subtree holds (what
 * an insertion or removal that stops early must still keep right). */
static int height_ok(const struct dk_inode *t)
{
	u64 mg, ml;
	int l, r;

	if (!t)
		return 0;
	l = height_ok(t->left);
	r = height_ok(t->right);
	if (l < 0 || r < 0 || l - r > 1 || r - l > 1 ||
	    t->height != 1 + (l > r ? l : r))
		return -1;
	mg = t->empty ? 0 : t->group;
	ml = t->empty ? 0 : t->last;
	if (t->left && above(t->left->max_group, t->left->max_last, mg, ml)) {
		mg = t->left->max_group;
		ml = t->left->max_last;
	}
	if (t->right && above(t->right->max_group, t->right->max_last, mg, ml)) {
		mg = t->right->max_group;
		ml = t->right->max_last;
	}
	if (mg != t->max_group || ml != t->max_last)
		return -1;
	return t->height;
}

struct order {
	const struct dk_inode *prev;
	int count;
	bool newest_first;	/* each_at: seq descending */
	bool bad;
};

static bool in_order(struct dk_inode *n, void *arg)
{
	struct order *o = arg;

	if (o->prev && (o->newest_first ? n->seq > o->prev->seq :
			n->start < o->prev->start))
		o->bad = true;
	o->prev = n;
	o->count++;
	return false;
}

static void check_queries(struct dk_inode *root)
{
	int k, i;

	for (k = 0; k < 40; k++) {
		u64 g = 1 + next() % 3, lo = next() % 5000, len = next() % 300;
		u64 hi = lo + len;
		struct order o = { NULL, 0, false, false };
		int want = 0;

		CHECK(dk_itree_find(root, g, lo, hi) == brute_find(g, lo, hi));
		CHECK(dk_itree_find(root, g, hi, lo) == brute_find(g, hi, lo));
		dk_itree_each_containing(root, g, lo, hi, in_order, &o);
		for (i = 0; i < N; i++)
			want += refs[i].in && !refs[i].n.empty &&
				refs[i].n.group == g && refs[i].n.start <= lo &&
				refs[i].n.last >= hi;
		CHECK_EQ(o.count, want);
		o = (struct order){ NULL, 0, true, false };
		dk_itree_each_at(root, g, refs[k].n.start, in_order, &o);
		for (i = 0, want = 0; i < N; i++)
			want += refs[i].in && refs[i].n.group == g &&
				refs[i].n.start == refs[k].n.start;
		CHECK_EQ(o.count, want);
		CHECK(!o.bad);
		o = (struct order){ NULL, 0, false, false };
		dk_itree_each_group(root, g, in_order, &o);
		for (i = 0, want = 0; i < N; i++)
			want += refs[i].in && refs[i].n.group == g;
		CHECK_EQ(o.count, want);
		CHECK(!o.bad);
		CHECK(!o.prev == !dk_itree_first(root, g));
	}
}

/*
 * Ranges of three groups, many overlapping, some empty, some sharing a
 * start, inserted and removed in random order: every query answers what
 * a search of the whole array answers, and the tree stays balanced.
 */
TEST(interval_tree_matches_a_brute_force_search)
{
	struct dk_inode *root = NULL;
	u64 seq = 0;
	int step, i;

	for (step = 0; step < 4000; step++) {
		struct ref *r = &refs[next() % N];

		if (r->in) {
			dk_itree_remove(&root, &r->n);
			r->in = false;
		} else {
			u64 start = next() % 50 * 100;

			r->size = next() % 4 ? next() % 800 : 0;
			dk_inode_set(&r->n, r, 1 + next() % 3, start, r->size,
				     seq++);
			dk_itree_insert(&root, &r->n);
			r->in = true;
		}
		if (step % 200 == 199) {
			CHECK(height_ok(root) >= 0);
			check_queries(root);
		}
	}
	for (i = 0; i < N; i++)
		if (refs[i].in)
			dk_itree_remove(&root, &refs[i].n);
	CHECK(root == NULL);
}

/* A range reaching the top of the address space ends there. */
TEST(interval_tree_range_at_the_top_of_the_address_space)
{
	struct dk_inode *root = NULL, n;

	dk_inode_set(&n, NULL, 7, ~0ULL - 99, 4096, 0);
	CHECK_EQ(n.last, ~0ULL);
	dk_itree_insert(&root, &n);
	CHECK(dk_itree_find(root, 7, ~0ULL, ~0ULL) == &n);
	CHECK(dk_itree_find(root, 6, ~0ULL, ~0ULL) == NULL);
	CHECK(dk_itree_find(root, 8, ~0ULL, 0) == NULL);
	dk_itree_remove(&root, &n);
	CHECK(root == NULL);
}
