// SPDX-License-Identifier: MIT
/*
 * The checker remembers the kmalloc object a thread last mapped from, so
 * mapping it again asks the slab nothing: whatever makes that answer
 * stale -- a kfree(), one while the checker was off, a mapping that runs
 * past the object -- must still be found.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <dmakit/dma-debug.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dev;
	FILE *sink;
};

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	/* All of RAM in reach: each map takes the front end's fast path,
	 * where the object is remembered. */
	r.dev = dk_machine_find_device(r.t.m, "coherent-master@10030000");
	dma_set_mask_and_coherent(r.dev, DMA_BIT_MASK(64));
	r.sink = testdebug_start();
	return r;
}

static void done(struct rig *r)
{
	testmachine_shutdown(&r->t);
	testdebug_end(r->sink);
}

/* A quiet map and unmap of [@p, +@n): the object is remembered. */
static void map_unmap(struct device *dev, void *p, size_t n)
{
	dma_addr_t h = dma_map_single(dev, p, n, DMA_TO_DEVICE);

	CHECK_EQ(dma_mapping_error(dev, h), 0);
	dma_unmap_single(dev, h, n, DMA_TO_DEVICE);
}

/* Freed while the checker was off (it was told nothing), then mapped
 * again with it on. */
TEST(debug_remembered_object_freed_with_the_checker_off)
{
	struct rig r = rig();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	char want[160];
	dma_addr_t h;

	map_unmap(r.dev, buf, 256);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	kfree(buf);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	h = dma_map_single(r.dev, buf, 64, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver maps freed kmalloc memory [addr=%p] [len=64]",
		 (void *)buf);
	testdebug_only(DK_CHK_MAP_FREED, want);
	CHECK_EQ(dma_mapping_error(r.dev, h), 0);
	dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	done(&r);
}

struct freer {
	u8 *buf;
};

static void *free_it(void *arg)
{
	struct freer *f = arg;

	kfree(f->buf);
	return NULL;
}

/* Freed by another thread, then mapped again by the one that
 * remembered it; and a map of the remembered object past its end. */
TEST(debug_remembered_object_freed_elsewhere_or_overrun)
{
	struct rig r = rig();
	struct freer f = { kmalloc(256, GFP_KERNEL) };
	u8 *obj = kmalloc(256, GFP_KERNEL);
	char want[200];
	pthread_t t;
	dma_addr_t h;

	map_unmap(r.dev, f.buf, 256);
	CHECK_EQ(pthread_create(&t, NULL, free_it, &f), 0);
	pthread_join(t, NULL);
	h = dma_map_single(r.dev, f.buf, 128, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver maps freed kmalloc memory [addr=%p] [len=128]",
		 (void *)f.buf);
	testdebug_only(DK_CHK_MAP_FREED, want);
	CHECK_EQ(dma_mapping_error(r.dev, h), 0);
	dma_unmap_single(r.dev, h, 128, DMA_TO_DEVICE);

	/* Its first half remembered, then its second half and more. */
	map_unmap(r.dev, obj, 128);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	h = dma_map_single(r.dev, obj + 128, 256, DMA_TO_DEVICE);
	snprintf(want, sizeof(want),
		 "device driver maps memory beyond its kmalloc object [addr=%p] [len=256] [object=%p] [object size=%zu]",
		 (void *)(obj + 128), (void *)obj, ksize(obj));
	testdebug_only(DK_CHK_MAP_BEYOND_OBJECT, want);
	CHECK_EQ(dma_mapping_error(r.dev, h), 0);
	dma_unmap_single(r.dev, h, 256, DMA_TO_DEVICE);
	/* Inside it again: quiet. */
	map_unmap(r.dev, obj + 64, 192);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(obj);
	done(&r);
}

/*
 * One thread maps an object while another is inside its kfree(): after
 * the checker was told, before the slab let it go. The freeing thread's
 * report of the object still mapped is where it waits: its output
 * stream hands over to the mapping thread and returns once that one has
 * mapped and unmapped the object.
 */
struct race {
	struct device *dev;
	u8 *buf;
	atomic_int step;	/* 1: inside kfree(); 2: mapped meanwhile */
};

static ssize_t race_write(void *cookie, const char *b, size_t n)
{
	struct race *x = cookie;
	int one = 0;

	(void)b;
	if (atomic_compare_exchange_strong(&x->step, &one, 1))
		while (atomic_load(&x->step) != 2)
			;
	return n;
}

static void *free_racing(void *arg)
{
	kfree(((struct race *)arg)->buf);
	return NULL;
}

TEST(debug_object_mapped_while_another_thread_frees_it)
{
	struct rig r = rig();
	struct race x = { r.dev, kmalloc(256, GFP_KERNEL), 0 };
	cookie_io_functions_t io = { .write = race_write };
	FILE *out = fopencookie(&x, "w", io);
	char want[200];
	dma_addr_t held, h;
	pthread_t t;

	CHECK(out != NULL);
	setvbuf(out, NULL, _IONBF, 0);
	dk_dma_debug_set_output(out);
	/* Still mapped when freed: the free reports, and waits there. */
	held = dma_map_single(r.dev, x.buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.dev, held), 0);
	CHECK_EQ(pthread_create(&t, NULL, free_racing, &x), 0);
	while (atomic_load(&x.step) != 1)
		;
	map_unmap(r.dev, x.buf, 64);
	atomic_store(&x.step, 2);
	pthread_join(t, NULL);
	snprintf(want, sizeof(want),
		 "device driver frees kmalloc memory it still has mapped for DMA [addr=%p] [size=256]",
		 (void *)x.buf);
	testdebug_only(DK_CHK_FREE_MAPPED, want);
	dma_unmap_single(r.dev, held, 256, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Gone now: the map made during the free is not taken as proof. */
	h = dma_map_single(r.dev, x.buf, 64, DMA_TO_DEVICE);
	CHECK_EQ(dma_mapping_error(r.dev, h), 0);
	snprintf(want, sizeof(want),
		 "device driver maps freed kmalloc memory [addr=%p] [len=64]",
		 (void *)x.buf);
	testdebug_only(DK_CHK_MAP_FREED, want);
	dma_unmap_single(r.dev, h, 64, DMA_TO_DEVICE);
	dk_dma_debug_set_output(r.sink);
	fclose(out);
	done(&r);
}
