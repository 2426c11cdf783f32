/* SPDX-License-Identifier: MIT */
#ifndef DMAKIT_CORE_PTRHASH_H
#define DMAKIT_CORE_PTRHASH_H

#include <stddef.h>

/*
 * Records found by an address (a coherent allocation by its CPU address,
 * a bufferable range by its alias), so that freeing one of many live ones
 * does not walk the others. Intrusive: the record embeds the node. Several
 * nodes may share a key. The caller locks.
 */
struct dk_hnode {
	struct dk_hnode *next;
	const void *key;
};

struct dk_ptrhash {
	struct dk_hnode **b;	/* NULL until the first add */
	size_t mask;		/* buckets - 1 */
	size_t n;
};

/* Add @node under @key; 0, or -ENOMEM when a first table cannot be had
 * (a failed growth keeps the old table: only lookups get slower). */
int dk_ptrhash_add(struct dk_ptrhash *h, struct dk_hnode *node,
		   const void *key);
/* The first node under @key (dk_ptrhash_next() for the others), or NULL. */
struct dk_hnode *dk_ptrhash_find(const struct dk_ptrhash *h, const void *key);
struct dk_hnode *dk_ptrhash_next(const struct dk_hnode *node);
/* Take @node out; it must be in @h. */
void dk_ptrhash_del(struct dk_ptrhash *h, struct dk_hnode *node);
/*
 * Runs of pages: a mapping registers each of its @npages pages (of
 * @page_size bytes, from @va) with a node of its own array @p, so the
 * mapping any address lies in is one lookup. Add is all or nothing
 * (-ENOMEM); the owner of the page @addr lies in, or NULL.
 */
struct dk_pnode {
	struct dk_hnode node;
	void *owner;
};

int dk_ptrhash_add_pages(struct dk_ptrhash *h, struct dk_pnode *p,
			 const void *va, size_t npages, size_t page_size,
			 void *owner);
void dk_ptrhash_del_pages(struct dk_ptrhash *h, struct dk_pnode *p,
			  size_t npages);
void *dk_ptrhash_page_owner(const struct dk_ptrhash *h, const void *addr,
			    size_t page_size);

/* Empty @h: every node it held, chained through ->next, its table freed
 * (the nodes are the caller's). */
struct dk_hnode *dk_ptrhash_take_all(struct dk_ptrhash *h);
/* Free @h's table without reading the nodes (freed by the caller). */
void dk_ptrhash_fini(struct dk_ptrhash *h);

#endif
