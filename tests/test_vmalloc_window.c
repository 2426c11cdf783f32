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
