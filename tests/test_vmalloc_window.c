// SPDX-License-Identifier: MIT
/*
 * is_vmalloc_addr() is asked on every DMA map: it answers from the span
 * of the live vm areas without the machine lock for addresses outside
 * it, and still exactly inside it as areas come and go.
 */
#include <pthread.h>
#include <time.h>

#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "../src/kernel/kernel.h"
#include "harness.h"
#include "testsoc.h"

TEST(vmalloc_addr_exact_as_areas_come_and_go)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 *k = kmalloc(64, GFP_KERNEL), *a, *b;

	CHECK(!is_vmalloc_addr(k));
	a = vmalloc(2 * PAGE_SIZE);
	b = vmalloc(PAGE_SIZE);
	CHECK(is_vmalloc_addr(a) && is_vmalloc_addr(a + 2 * PAGE_SIZE - 1));
	CHECK(is_vmalloc_addr(b + PAGE_SIZE - 1));
	CHECK(!is_vmalloc_addr(k));
	vfree(a);
	CHECK(!is_vmalloc_addr(a) && is_vmalloc_addr(b));
	vfree(b);
	CHECK(!is_vmalloc_addr(b));
	a = vmalloc(PAGE_SIZE);
	CHECK(is_vmalloc_addr(a) && !is_vmalloc_addr(k));
	vfree(a);
	kfree(k);
	testmachine_shutdown(&t);
}

struct probe {
	const void *addr;
	int done;
	bool r;
};

static void *ask(void *arg)
{
	struct probe *p = arg;

	p->r = is_vmalloc_addr(p->addr);
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* With another thread holding the machine lock, a buffer's question is
 * answered at once (before, it waited for the lock). */
TEST(vmalloc_addr_outside_every_area_takes_no_lock)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct probe p = { kmalloc(64, GFP_KERNEL), 0, true };
	struct timespec ms = { 0, 1000000 };
	void *v = vmalloc(PAGE_SIZE);
	pthread_t th;
	int i;

	pthread_mutex_lock(&t.m->lock);
	CHECK_EQ(pthread_create(&th, NULL, ask, &p), 0);
	for (i = 0; i < 2000 && !__atomic_load_n(&p.done, __ATOMIC_ACQUIRE); i++)
		nanosleep(&ms, NULL);
	CHECK(__atomic_load_n(&p.done, __ATOMIC_ACQUIRE));
	pthread_mutex_unlock(&t.m->lock);
	pthread_join(th, NULL);
	CHECK(!p.r);
	vfree(v);
	kfree((void *)p.addr);
	testmachine_shutdown(&t);
}

/* With hundreds of areas live, of several sizes and some vmaps, every
 * page of each maps back to its own page, a vfree or vunmap in any order
 * takes exactly that area away, and the wrong call for an area is
 * refused without taking it. */
TEST(vmalloc_hundreds_of_areas_each_page_found_exactly)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	enum { NA = 300 };
	static u8 *v[NA];
	static struct page *pg[NA][3];
	u64 s = 7;
	unsigned int i, j, left = NA;

	for (i = 0; i < NA; i++) {
		unsigned int n = i % 3 + 1;

		if (i % 5 == 4) {
			for (j = 0; j < n; j++)
				pg[i][j] = alloc_page(GFP_KERNEL);
			v[i] = vmap(pg[i], n, 0, 0);
		} else {
			v[i] = vmalloc(n * PAGE_SIZE);
			for (j = 0; j < n; j++)
				pg[i][j] = vmalloc_to_page(v[i] + j * PAGE_SIZE);
		}
		CHECK(v[i] && pg[i][0]);
	}
	vunmap(v[1]);		/* a vmalloc area: not vunmap's */
	CHECK(is_vmalloc_addr(v[1]));
	while (left) {
		i = test_rnd(&s) % NA;
		if (!v[i])
			continue;
		for (j = 0; j < i % 3 + 1; j++) {
			CHECK(vmalloc_to_page(v[i] + j * PAGE_SIZE + 17) ==
			      pg[i][j]);
			CHECK(is_vmalloc_addr(v[i] + j * PAGE_SIZE));
		}
		CHECK(vmalloc_to_page(v[i] + (i % 3 + 1) * PAGE_SIZE) !=
		      pg[i][0]);
		if (i % 5 == 4) {
			vunmap(v[i]);
			for (j = 0; j < i % 3 + 1; j++)
				__free_page(pg[i][j]);
		} else {
			vfree(v[i]);
		}
		CHECK(vmalloc_to_page(v[i]) == NULL);
		v[i] = NULL;
		left--;
	}
	testmachine_shutdown(&t);
}
