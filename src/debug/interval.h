/* SPDX-License-Identifier: MIT */
/*
 * An interval tree of inclusive ranges [start, last], each in a group
 * (the checker's groups are devices). Nodes are ordered by (group, start,
 * seq) and know the largest (group, last) below them, so ranges of
 * different groups never meet and one tree serves many devices at
 * O(log n) a query. The caller embeds the nodes and does the locking.
 */
#ifndef DMAKIT_DEBUG_INTERVAL_H
#define DMAKIT_DEBUG_INTERVAL_H

#include <stdbool.h>

#include <dmakit/types.h>

struct dk_inode {
	struct dk_inode *left, *right;
	void *owner;
	u64 group, start, last, seq;
	u64 max_group, max_last;	/* (0, 0): no non-empty range below */
	int height;
	bool empty;	/* a zero-length range: found by its start only */
};

typedef bool (*dk_inode_fn)(struct dk_inode *n, void *arg);

/*
 * dk_inode_set - describe @n before insertion: @size bytes at @start
 * (a range reaching past the top of the address space ends there), @seq
 * unique in its tree, later for newer nodes.
 */
void dk_inode_set(struct dk_inode *n, void *owner, u64 group, u64 start,
		  u64 size, u64 seq);
void dk_itree_insert(struct dk_inode **root, struct dk_inode *n);
/* dk_itree_remove - @n must be in the tree. */
void dk_itree_remove(struct dk_inode **root, struct dk_inode *n);

/*
 * dk_itree_find - of the non-empty ranges of @group that start at or
 * before @max_start and end at or after @min_last, the one that starts
 * last (the newest of those starting there), or NULL. (lo, hi) finds a
 * range holding all of [lo, hi]; (hi, lo) one that meets it.
 */
struct dk_inode *dk_itree_find(struct dk_inode *root, u64 group,
			       u64 max_start, u64 min_last);

/*
 * The visitors call @fn until it returns true, and return whether it did.
 * dk_itree_each_containing - each range of @group holding [lo, hi],
 *	latest start first.
 * dk_itree_each_at - each node of @group starting at @start, empty ones
 *	too, newest first.
 * dk_itree_each_group - each node of @group, in order of start.
 * dk_itree_each - every node, in order.
 */
bool dk_itree_each_containing(struct dk_inode *root, u64 group, u64 lo,
			      u64 hi, dk_inode_fn fn, void *arg);
bool dk_itree_each_at(struct dk_inode *root, u64 group, u64 start,
		      dk_inode_fn fn, void *arg);
bool dk_itree_each_group(struct dk_inode *root, u64 group, dk_inode_fn fn,
			 void *arg);
bool dk_itree_each(struct dk_inode *root, dk_inode_fn fn, void *arg);

/* dk_itree_first - the node of @group that starts first, or NULL. */
struct dk_inode *dk_itree_first(struct dk_inode *root, u64 group);

#endif
