// SPDX-License-Identifier: MIT
/*
 * The interval tree behind the checker's indexes: AVL-balanced, so a
 * device with 10^5 live mappings is 17 levels deep whatever order they
 * came in, and augmented with the largest (group, last) of each subtree
 * so a search skips every subtree that ends too early.
 */
#include <stddef.h>

#include "interval.h"

void dk_inode_set(struct dk_inode *n, void *owner, u64 group, u64 start,
		  u64 size, u64 seq)
{
	n->left = n->right = NULL;
	n->owner = owner;
	n->group = group;
	n->start = start;
	n->empty = !size;
	n->last = !size ? start : start + size - 1 < start ? ~0ULL :
							      start + size - 1;
	n->seq = seq;
	n->height = 1;
}

static int height(const struct dk_inode *n)
{
	return n ? n->height : 0;
}

/* (g1, l1) >= (g2, l2), lexicographically. */
static bool ge2(u64 g1, u64 l1, u64 g2, u64 l2)
{
	return g1 > g2 || (g1 == g2 && l1 >= l2);
}

/* Whether @a orders before @b. */
static bool before(const struct dk_inode *a, const struct dk_inode *b)
{
	if (a->group != b->group)
		return a->group < b->group;
	if (a->start != b->start)
		return a->start < b->start;
	return a->seq < b->seq;
}

static void take_max(struct dk_inode *n, const struct dk_inode *kid)
{
	if (kid && !ge2(n->max_group, n->max_last, kid->max_group,
			kid->max_last)) {
		n->max_group = kid->max_group;
		n->max_last = kid->max_last;
	}
}

/* Returns @n's balance, left height less right. */
static int update(struct dk_inode *n)
{
	int l = height(n->left), r = height(n->right);

	n->height = 1 + (l > r ? l : r);
	n->max_group = n->empty ? 0 : n->group;
	n->max_last = n->empty ? 0 : n->last;
	take_max(n, n->left);
	take_max(n, n->right);
	return l - r;
}

/* What a parent knows of a subtree: when a change below leaves it as it
 * was, nothing above needs touching, which keeps an insertion or removal
 * from reading the siblings all along its path. */
struct summary {
	int height;
	u64 max_group, max_last;
};

static struct summary summary_of(const struct dk_inode *t)
{
	struct summary s = { 0, 0, 0 };

	if (t)
		s = (struct summary){ t->height, t->max_group, t->max_last };
	return s;
}

static bool same(struct summary a, const struct dk_inode *t)
{
	struct summary b = summary_of(t);

	return a.height == b.height && a.max_group == b.max_group &&
	       a.max_last == b.max_last;
}

static struct dk_inode *rotate_right(struct dk_inode *y)
{
	struct dk_inode *x = y->left;

	y->left = x->right;
	x->right = y;
	update(y);
	update(x);
	return x;
}

static struct dk_inode *rotate_left(struct dk_inode *x)
{
	struct dk_inode *y = x->right;

	x->right = y->left;
	y->left = x;
	update(x);
	update(y);
	return y;
}

static struct dk_inode *balance(struct dk_inode *n)
{
	int bf = update(n);

	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

/* Deeper than any AVL tree that fits in memory: one of height h holds
 * at least Fibonacci(h + 2) - 1 nodes, 10^20 at 96. */
#define PATH_MAX_DEPTH 96

/*
 * Top down: each node on the way gets the new range into its largest
 * end as it is passed, so nothing on the way back reads a sibling; then
 * heights up from the new leaf only while they grow, which stops within
 * two levels on average (and at the one rotation an insertion needs, which
 * leaves the subtree as high as before). At 10^5 live mappings a
 * recursive insert that recomputed every node on its path was the
 * checker's largest growth.
 */
void dk_itree_insert(struct dk_inode **root, struct dk_inode *n)
{
	struct dk_inode **path[PATH_MAX_DEPTH], **link = root, *t;
	int k = 0;

	update(n);
	while ((t = *link)) {
		take_max(t, n);
		path[k++] = link;
		link = before(n, t) ? &t->left : &t->right;
	}
	*link = n;
	while (k--) {
		int l, r, h;

		t = *path[k];
		l = height(t->left);
		r = height(t->right);
		if (l - r > 1 || r - l > 1) {
			*path[k] = balance(t);
			return;
		}
		h = 1 + (l > r ? l : r);
		if (h == t->height)
			return;
		t->height = h;
	}
}

/* @t's subtree less its first node, which is put in *@min. */
static struct dk_inode *remove_min(struct dk_inode *t, struct dk_inode **min)
{
	if (!t->left) {
		*min = t;
		return t->right;
	}
	t->left = remove_min(t->left, min);
	return balance(t);
}

/* @n's subtree without @n. */
static struct dk_inode *without(struct dk_inode *n)
{
	struct dk_inode *m, *right;

	if (!n->left || !n->right)
		return n->left ? n->left : n->right;
	right = remove_min(n->right, &m);
	m->left = n->left;
	m->right = right;
	return balance(m);
}

/*
 * Down to @n by its key, then back up rebalancing only while a subtree
 * changed: its root or what its parent knows of it (a recursive walk
 * paid a call and two summaries a level).
 */
void dk_itree_remove(struct dk_inode **root, struct dk_inode *n)
{
	struct dk_inode **path[PATH_MAX_DEPTH], **link = root, *t, *sub;
	int k = 0;

	while ((t = *link) != n) {
		if (!t)
			return;
		path[k++] = link;
		link = before(n, t) ? &t->left : &t->right;
	}
	*link = without(n);
	while (k--) {
		struct summary was;

		t = *path[k];
		was = summary_of(t);
		sub = balance(t);
		if (sub == t && same(was, t))
			return;
		*path[k] = sub;
	}
}

struct query {
	u64 group, max_start, min_last;
	dk_inode_fn fn;		/* NULL: stop at the first match */
	void *arg;
	struct dk_inode *found;
};

/*
 * Right subtree first, so matches come latest start first. A subtree
 * whose largest end is too small holds no match; every other subtree
 * either lies wholly before max_start, where that bound proves a match,
 * or is on the one path towards it, so a search is O(log n).
 */
static bool search(struct dk_inode *t, struct query *q)
{
	if (!t || !ge2(t->max_group, t->max_last, q->group, q->min_last))
		return false;
	if (t->group > q->group ||
	    (t->group == q->group && t->start > q->max_start))
		return search(t->left, q);
	if (search(t->right, q))
		return true;
	if (!t->empty && t->group == q->group && t->last >= q->min_last) {
		q->found = t;
		if (!q->fn || q->fn(t, q->arg))
			return true;
	}
	return search(t->left, q);
}

struct dk_inode *dk_itree_find(struct dk_inode *root, u64 group,
			       u64 max_start, u64 min_last)
{
	struct query q = { group, max_start, min_last, NULL, NULL, NULL };

	return search(root, &q) ? q.found : NULL;
}

bool dk_itree_each_containing(struct dk_inode *root, u64 group, u64 lo,
			      u64 hi, dk_inode_fn fn, void *arg)
{
	struct query q = { group, lo, hi, fn, arg, NULL };

	return search(root, &q);
}

bool dk_itree_each_at(struct dk_inode *t, u64 group, u64 start,
		      dk_inode_fn fn, void *arg)
{
	if (!t)
		return false;
	if (t->group < group || (t->group == group && t->start < start))
		return dk_itree_each_at(t->right, group, start, fn, arg);
	if (t->group > group || t->start > start)
		return dk_itree_each_at(t->left, group, start, fn, arg);
	return dk_itree_each_at(t->right, group, start, fn, arg) ||
	       fn(t, arg) || dk_itree_each_at(t->left, group, start, fn, arg);
}

bool dk_itree_each_group(struct dk_inode *t, u64 group, dk_inode_fn fn,
			 void *arg)
{
	if (!t)
		return false;
	if (t->group < group)
		return dk_itree_each_group(t->right, group, fn, arg);
	if (t->group > group)
		return dk_itree_each_group(t->left, group, fn, arg);
	return dk_itree_each_group(t->left, group, fn, arg) || fn(t, arg) ||
	       dk_itree_each_group(t->right, group, fn, arg);
}

bool dk_itree_each(struct dk_inode *t, dk_inode_fn fn, void *arg)
{
	return t && (dk_itree_each(t->left, fn, arg) || fn(t, arg) ||
		     dk_itree_each(t->right, fn, arg));
}

struct dk_inode *dk_itree_first(struct dk_inode *t, u64 group)
{
	struct dk_inode *best = NULL;

	while (t) {
		if (t->group < group) {
			t = t->right;
		} else {
			if (t->group == group)
				best = t;
			t = t->left;
		}
	}
	return best;
}
