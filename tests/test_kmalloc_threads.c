// SPDX-License-Identifier: MIT
/*
 * kmalloc's object path takes no lock: objects claimed and released from
 * several threads at once are never handed out twice, a double free is
 * refused without disturbing the allocator, and freed objects are not
 * live to ksize() or the checker. The TSan stage runs this too.
 */
#include <pthread.h>
#include <string.h>

#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define NTHREADS 2
#define ROUNDS 300
#define NOBJ 64

struct worker {
	int id;
	int bad;
	u8 *keep[NOBJ];		/* left allocated for main to free */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	u8 *p[NOBJ];
	int r, i;

	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < NOBJ; i++) {
			p[i] = kmalloc(128, GFP_KERNEL);
			if (p[i])
				memset(p[i], w->id * 64 + i, 128);
		}
		for (i = 0; i < NOBJ; i++) {
			int k;

			for (k = 0; p[i] && k < 128; k++)
				w->bad += p[i][k] != (u8)(w->id * 64 + i);
			w->bad += !p[i];
			if (r < ROUNDS - 1)
				kfree(p[i]);
			else
				w->keep[i] = p[i];
		}
	}
	return NULL;
}

TEST(kmalloc_threads_never_share_an_object)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct worker w[NTHREADS] = { { .id = 0 }, { .id = 1 } };
	pthread_t th[NTHREADS];
	int i, j;

	for (i = 0; i < NTHREADS; i++)
		CHECK_EQ(pthread_create(&th[i], NULL, work, &w[i]), 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NTHREADS; i++) {
		CHECK_EQ(w[i].bad, 0);
		for (j = 0; j < NOBJ; j++) {
			CHECK_EQ(ksize(w[i].keep[j]), 128);
			kfree(w[i].keep[j]);	/* freed by another thread */
			CHECK_EQ(ksize(w[i].keep[j]), 0);
			CHECK(!dk_is_kmalloc_addr(w[i].keep[j], NULL, NULL));
		}
	}
	testmachine_shutdown(&t);
}

TEST(kmalloc_double_free_is_refused_and_harmless)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 *p = kmalloc(128, GFP_KERNEL), *a, *b;
	size_t sz = 0;
	const void *start = NULL;

	CHECK(dk_is_kmalloc_addr(p + 5, &sz, &start));
	CHECK_EQ(sz, 128);
	CHECK(start == p);
	kfree(p + 8);			/* not an object's start: refused */
	CHECK_EQ(ksize(p), 128);
	kfree(p);
	kfree(p);			/* refused: not live */
	a = kmalloc(128, GFP_KERNEL);
	b = kmalloc(128, GFP_KERNEL);
	CHECK(a && b && a != b);	/* one object was freed, once */
	kfree(a);
	kfree(b);
	testmachine_shutdown(&t);
}
