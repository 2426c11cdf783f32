// SPDX-License-Identifier: MIT
/*
 * A chained hash of records by address: buckets double when there are
 * more records than buckets, so a chain stays about one long however
 * many records live.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "dk_internal.h"
#include "ptrhash.h"

#define FIRST_BUCKETS 64

/* Addresses are aligned: mix the high bits down before masking. */
static size_t bucket(const struct dk_ptrhash *h, const void *key)
{
	uint64_t x = (uintptr_t)key;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x & h->mask;
}

static void grow(struct dk_ptrhash *h)
{
	size_t nb = 2 * (h->mask + 1), i;
	struct dk_hnode **b = calloc(nb, sizeof(*b));
	struct dk_ptrhash n = { b, nb - 1, h->n };

	if (!b)
		return;
	for (i = 0; i <= h->mask; i++) {
		struct dk_hnode *x = h->b[i], *next;

		for (; x; x = next) {
			size_t k = bucket(&n, x->key);

			next = x->next;
			x->next = b[k];
			b[k] = x;
		}
	}
	free(h->b);
	*h = n;
}

int dk_ptrhash_add(struct dk_ptrhash *h, struct dk_hnode *node,
		   const void *key)
{
	size_t k;

	if (!h->b) {
		h->b = calloc(FIRST_BUCKETS, sizeof(*h->b));
		if (!h->b)
			return dk_err(-ENOMEM, "out of memory");
		h->mask = FIRST_BUCKETS - 1;
	} else if (h->n > h->mask) {
		grow(h);
	}
	node->key = key;
	k = bucket(h, key);
	node->next = h->b[k];
	h->b[k] = node;
	h->n++;
	return 0;
}

static struct dk_hnode *from(struct dk_hnode *x, const void *key)
{
	while (x && x->key != key)
		x = x->next;
	return x;
}

struct dk_hnode *dk_ptrhash_find(const struct dk_ptrhash *h, const void *key)
{
	return h->b ? from(h->b[bucket(h, key)], key) : NULL;
}

struct dk_hnode *dk_ptrhash_next(const struct dk_hnode *node)
{
	return from(node->next, node->key);
}

void dk_ptrhash_del(struct dk_ptrhash *h, struct dk_hnode *node)
{
	struct dk_hnode **pp = &h->b[bucket(h, node->key)];

	while (*pp != node)
		pp = &(*pp)->next;
	*pp = node->next;
	h->n--;
}

int dk_ptrhash_add_pages(struct dk_ptrhash *h, struct dk_pnode *p,
			 const void *va, size_t npages, size_t page_size,
			 void *owner)
{
	size_t i;

	for (i = 0; i < npages; i++) {
		p[i].owner = owner;
		if (dk_ptrhash_add(h, &p[i].node,
				   (const char *)va + i * page_size)) {
			dk_ptrhash_del_pages(h, p, i);
			return -ENOMEM;
		}
	}
	return 0;
}

void dk_ptrhash_del_pages(struct dk_ptrhash *h, struct dk_pnode *p,
			  size_t npages)
{
	size_t i;

	for (i = 0; i < npages; i++)
		dk_ptrhash_del(h, &p[i].node);
}

void *dk_ptrhash_page_owner(const struct dk_ptrhash *h, const void *addr,
			    size_t page_size)
{
	const struct dk_hnode *x = dk_ptrhash_find(h,
		(const void *)((uintptr_t)addr & ~(uintptr_t)(page_size - 1)));

	return x ? ((const struct dk_pnode *)x)->owner : NULL;
}

struct dk_hnode *dk_ptrhash_take_all(struct dk_ptrhash *h)
{
	struct dk_hnode *all = NULL, *x, *next;
	size_t i;

	for (i = 0; h->b && i <= h->mask; i++)
		for (x = h->b[i]; x; x = next) {
			next = x->next;
			x->next = all;
			all = x;
		}
	free(h->b);
	*h = (struct dk_ptrhash){ 0 };
	return all;
}

void dk_ptrhash_fini(struct dk_ptrhash *h)
{
	free(h->b);
	*h = (struct dk_ptrhash){ 0 };
}
