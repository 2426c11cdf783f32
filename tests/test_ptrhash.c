// SPDX-License-Identifier: MIT
/* The address-keyed table coherent allocations and write-buffer ranges
 * are found in, against a plain array searched one by one. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/core/ptrhash.h"
#include "harness.h"
#include "testsoc.h"

#define N 3000

struct rec {
	struct dk_hnode node;
	int id;
	bool in;
};

/* How many records of @key are in, and whether @r is one of them. */
static unsigned int count(const struct dk_ptrhash *h, const void *key,
			  const struct rec *r, bool *found)
{
	const struct dk_hnode *x;
	unsigned int n = 0;

	*found = false;
	for (x = dk_ptrhash_find(h, key); x; x = dk_ptrhash_next(x)) {
		CHECK(x->key == key);
		*found |= x == &r->node;
		n++;
	}
	return n;
}

/* Page-aligned keys as aliases have, some shared (a vmap's pages), added
 * and removed in random order through several table growths. */
TEST(ptrhash_finds_every_record_and_only_it_through_growth)
{
	static struct rec recs[N];
	struct dk_ptrhash h = { 0 };
	unsigned int key_refs[N / 3] = { 0 }, live = 0, i, k;
	u64 s = 42;
	struct dk_hnode *all;
	bool found;

	CHECK(dk_ptrhash_find(&h, (void *)0x1000) == NULL);
	for (k = 0; k < 4 * N; k++) {
		struct rec *r = &recs[test_rnd(&s) % N];
		unsigned int key = (unsigned int)(r - recs) / 3;
		const void *kp = (const void *)((uintptr_t)(key + 1) << 12);

		if (!r->in) {
			CHECK_EQ(dk_ptrhash_add(&h, &r->node, kp), 0);
			key_refs[key]++;
			live++;
		} else {
			dk_ptrhash_del(&h, &r->node);
			key_refs[key]--;
			live--;
		}
		r->in = !r->in;
		CHECK_EQ(h.n, live);
		CHECK_EQ(count(&h, kp, r, &found), key_refs[key]);
		CHECK_EQ(found, r->in);
	}
	for (i = 0; i < N; i++) {
		const void *kp = (const void *)((uintptr_t)(i / 3 + 1) << 12);

		CHECK_EQ(count(&h, kp, &recs[i], &found), key_refs[i / 3]);
		CHECK_EQ(found, recs[i].in);
	}
	CHECK(h.mask + 1 >= live);	/* grew: chains stay short */
	for (all = dk_ptrhash_take_all(&h), i = 0; all; all = all->next, i++)
		CHECK(((struct rec *)all)->in);
	CHECK_EQ(i, live);
	CHECK(h.b == NULL && h.n == 0);
	CHECK(dk_ptrhash_find(&h, (void *)0x1000) == NULL);
}

/* Runs of pages: any address in a run finds its owner, the byte past it
 * does not, and a run taken out is gone while its neighbours stay. */
TEST(ptrhash_page_runs_answer_every_address_of_theirs)
{
	struct dk_pnode a[3], b[1], c[200];
	struct dk_ptrhash h = { 0 };
	const char *base = (const char *)0x7f0000000000ULL;
	unsigned int i;

	CHECK_EQ(dk_ptrhash_add_pages(&h, a, base, 3, 4096, a), 0);
	CHECK_EQ(dk_ptrhash_add_pages(&h, b, base + 3 * 4096, 1, 4096, b), 0);
	CHECK_EQ(dk_ptrhash_add_pages(&h, c, base + 8 * 4096, 200, 4096, c), 0);
	CHECK_EQ(h.n, 204);
	CHECK(dk_ptrhash_page_owner(&h, base, 4096) == a);
	CHECK(dk_ptrhash_page_owner(&h, base + 3 * 4096 - 1, 4096) == a);
	CHECK(dk_ptrhash_page_owner(&h, base + 3 * 4096, 4096) == b);
	CHECK(dk_ptrhash_page_owner(&h, base + 4 * 4096, 4096) == NULL);
	CHECK(dk_ptrhash_page_owner(&h, base - 1, 4096) == NULL);
	for (i = 0; i < 200; i++)
		CHECK(dk_ptrhash_page_owner(&h, base + (8 + i) * 4096 + i,
					    4096) == c);
	CHECK(dk_ptrhash_page_owner(&h, base + 208 * 4096, 4096) == NULL);
	dk_ptrhash_del_pages(&h, a, 3);
	CHECK(dk_ptrhash_page_owner(&h, base + 4096, 4096) == NULL);
	CHECK(dk_ptrhash_page_owner(&h, base + 3 * 4096, 4096) == b);
	CHECK_EQ(h.n, 201);
	dk_ptrhash_fini(&h);
	CHECK(h.b == NULL && h.n == 0);
}
