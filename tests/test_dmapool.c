// SPDX-License-Identifier: MIT
/*
 * dma_pool: block placement (alignment, boundaries, no overlap) with exact
 * arithmetic, coherence of pool memory with the device, reuse, zeroing,
 * misuse reports, managed pools released at unbind, and two threads
 * sharing one pool.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define MASTER "master@10010000"
#define COH_MASTER "coherent-master@10030000"

struct rig {
	struct testmachine t;
	struct device *dev, *coh;
	struct dk_simdev *sdev, *scoh;
};

static struct rig rig(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	r.dev = dk_machine_find_device(r.t.m, MASTER);
	r.coh = dk_machine_find_device(r.t.m, COH_MASTER);
	r.sdev = dk_soc_find_dev(r.t.soc, MASTER);
	r.scoh = dk_soc_find_dev(r.t.soc, COH_MASTER);
	CHECK(r.dev && r.coh && r.sdev && r.scoh);
	return r;
}


/* Blocks a chunk of a page-aligned pool holds: exact, from the rules. */
static size_t per_chunk(size_t blk, size_t boundary)
{
	size_t alloc = blk > 4096 ? blk : 4096;

	if (!boundary || boundary >= alloc)
		return alloc / blk;
	return (alloc / boundary) * (boundary / blk);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

struct combo {
	size_t size, align, boundary;
	size_t blk;		/* expected block size */
};

static const struct combo combos[] = {
	{ 1, 0, 0, 1 },
	{ 3, 1, 0, 3 },
	{ 5, 4, 16, 8 },
	{ 24, 8, 64, 24 },
	{ 48, 16, 64, 48 },
	{ 100, 32, 128, 128 },
	{ 200, 64, 256, 256 },
	{ 96, 32, 256, 96 },
	{ 33, 1, 64, 33 },
	{ 700, 4, 2048, 700 },
	{ 1000, 8, 1024, 1000 },
	{ 3000, 128, 4096, 3072 },
	{ 4096, 4096, 0, 4096 },
	{ 5000, 8, 0, 5000 },
	{ 8192, 4096, 8192, 8192 },
	{ 64, 64, 8192, 64 },
};

static void check_combo(struct rig *r, const struct combo *c)
{
	size_t per = per_chunk(c->blk, c->boundary), n = 3 * per + 1, i;
	size_t align = c->align ? c->align : 1;
	size_t bnd = c->boundary ? c->boundary :
				   (c->blk > 4096 ? 0 : 4096);
	struct dk_dma_pool_stats st;
	struct dma_pool *pool;
	dma_addr_t *h;
	void **v;
	u64 *sorted;

	if (n > 2000)
		n = 2000;
	pool = dma_pool_create("combo", r->dev, c->size, c->align,
			       c->boundary);
	CHECK(pool != NULL);
	if (!pool)
		return;
	h = calloc(n, sizeof(*h));
	v = calloc(n, sizeof(*v));
	sorted = calloc(n, sizeof(*sorted));
	for (i = 0; i < n; i++) {
		phys_addr_t pa = 0;

		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		CHECK(v[i] != NULL);
		if (!v[i])
			break;
		sorted[i] = h[i];
		CHECK_EQ(h[i] % align, 0);
		CHECK_EQ((uintptr_t)v[i] % (align < 4096 ? align : 4096), 0);
		if (bnd)
			CHECK_EQ(h[i] / bnd, (h[i] + c->blk - 1) / bnd);
		/* No dma-ranges on the default SoC: the handle is the
		 * physical address the CPU pointer maps. */
		CHECK_EQ(dk_sim_virt_to_phys(r->t.soc, v[i], &pa), 0);
		CHECK_EQ(pa, h[i]);
		CHECK(!dk_sim_is_cacheable(r->t.soc, v[i]));
	}
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.block_size, c->blk);
	CHECK_EQ(st.align, align);
	CHECK_EQ(st.allocation, c->blk > 4096 ? c->blk : 4096);
	CHECK_EQ(st.chunks, (n + per - 1) / per);
	CHECK_EQ(st.blocks, st.chunks * per);
	CHECK_EQ(st.busy, n);
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	for (i = 1; i < n; i++)
		CHECK(sorted[i] >= sorted[i - 1] + c->blk);
	for (i = 0; i < n; i++)
		dma_pool_free(pool, v[i], h[i]);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 0);
	dma_pool_destroy(pool);
	free(h);
	free(v);
	free(sorted);
}

TEST(dmapool_blocks_aligned_never_cross_boundary)
{
	struct rig r = rig();
	size_t i;

	for (i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
		check_combo(&r, &combos[i]);
	testmachine_shutdown(&r.t);
}

TEST(dmapool_device_write_seen_at_vaddr_without_sync)
{
	struct rig r = rig();
	struct device *devs[2] = { r.dev, r.coh };
	struct dk_simdev *sdevs[2] = { r.sdev, r.scoh };
	int d, i, j;

	for (d = 0; d < 2; d++) {
		struct dma_pool *pool = dma_pool_create("coh", devs[d], 40, 8,
							 0);
		u8 *v[8], pat[40], got[40];
		dma_addr_t h[8];

		for (i = 0; i < 8; i++) {
			v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
			memset(v[i], 0xee, 40);
		}
		/* Each block gets its own bytes from the device... */
		for (i = 0; i < 8; i++) {
			for (j = 0; j < 40; j++)
				pat[j] = (u8)(i * 41 + j * 7 + 1);
			CHECK_EQ(dk_dev_dma_write(sdevs[d], h[i], pat, 40), 0);
		}
		/* ...and the CPU sees exactly them, no neighbour touched. */
		for (i = 0; i < 8; i++) {
			for (j = 0; j < 40; j++)
				pat[j] = (u8)(i * 41 + j * 7 + 1);
			CHECK_MEM(v[i], pat, 40);
		}
		/* The other direction: CPU stores, device reads. */
		for (j = 0; j < 40; j++)
			v[3][j] = (u8)(0x80 ^ j);
		/* No sync, but the barrier a driver gives before the device
		 * looks: a non-coherent device's pool is Normal
		 * non-cacheable, its stores wait in the write buffer. */
		dma_wmb();
		CHECK_EQ(dk_dev_dma_read(sdevs[d], h[3], got, 40), 0);
		CHECK_MEM(got, v[3], 40);
		for (i = 0; i < 8; i++)
			dma_pool_free(pool, v[i], h[i]);
		dma_pool_destroy(pool);
	}
	testmachine_shutdown(&r.t);
}

static bool all(const u8 *p, int v, size_t n)
{
	while (n--)
		if (*p++ != (u8)v)
			return false;
	return true;
}

TEST(dmapool_free_alloc_reuses_and_zalloc_zeroes)
{
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("reuse", r.dev, 256, 64, 0);
	struct dk_dma_pool_stats st;
	dma_addr_t ha, hb, hc, hx;
	u8 *a, *b, *c, *x;

	a = dma_pool_alloc(pool, GFP_KERNEL, &ha);
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);
	c = dma_pool_alloc(pool, GFP_KERNEL, &hc);
	CHECK(a && b && c);
	/* A fresh chunk is in address order. */
	CHECK_EQ(hb, ha + 256);
	CHECK_EQ(hc, hb + 256);
	CHECK(b == a + 256);
	memset(b, 0xa5, 256);
	dma_pool_free(pool, b, hb);
	x = dma_pool_alloc(pool, GFP_KERNEL, &hx);
	CHECK(x == b);
	CHECK_EQ(hx, hb);
	CHECK(all(x, 0xa5, 256));	/* plain alloc does not clear */
	dma_pool_free(pool, x, hx);
	x = dma_pool_zalloc(pool, GFP_KERNEL, &hx);
	CHECK(x == b);
	CHECK(all(x, 0, 256));
	memset(x, 0x5a, 256);
	dma_pool_free(pool, x, hx);
	x = dma_pool_alloc(pool, GFP_KERNEL | __GFP_ZERO, &hx);
	CHECK(x == b && all(x, 0, 256));
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.chunks, 1);
	CHECK_EQ(st.blocks, 16);
	CHECK_EQ(st.busy, 3);
	dma_pool_free(pool, a, ha);
	dma_pool_free(pool, x, hx);
	dma_pool_free(pool, c, hc);
	dma_pool_destroy(pool);
	testmachine_shutdown(&r.t);
}

TEST(dmapool_destroy_with_busy_blocks_reports_and_frees)
{
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("busy-pool", r.dev, 64, 0, 0);
	struct capture cap;
	dma_addr_t h[3];
	void *v[3];
	char out[1024];
	int i;

	for (i = 0; i < 3; i++)
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
	dma_pool_free(pool, v[1], h[1]);
	cap = capture_start();
	dma_pool_destroy(pool);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "err /soc/master@10010000: dma_pool_destroy busy-pool, 2 blocks busy\n");
	/* An idle pool says nothing. */
	pool = dma_pool_create("idle", r.dev, 64, 0, 0);
	v[0] = dma_pool_alloc(pool, GFP_KERNEL, &h[0]);
	dma_pool_free(pool, v[0], h[0]);
	cap = capture_start();
	dma_pool_destroy(pool);
	dma_pool_destroy(NULL);
	capture_end(&cap, out, sizeof(out));
	CHECK(!strstr(out, "dma_pool_destroy"));
	testmachine_shutdown(&r.t);
}

TEST(dmapool_create_bad_arguments_exact_errors)
{
	struct rig r = rig();
	struct dma_pool *p;

	CHECK(!dma_pool_create(NULL, r.dev, 64, 8, 0));
	CHECK(err_is("dma_pool_create: NULL name"));
	CHECK(!dma_pool_create("p", NULL, 64, 8, 0));
	CHECK(err_is("dma_pool_create(p): NULL device"));
	CHECK(!dma_pool_create("p", r.dev, 0, 8, 0));
	CHECK(err_is("dma_pool_create(p): size 0"));
	CHECK(!dma_pool_create("p", r.dev, 64, 24, 0));
	CHECK(err_is("dma_pool_create(p): align 24 is not a power of two"));
	CHECK(!dma_pool_create("p", r.dev, 64, 8, 96));
	CHECK(err_is("dma_pool_create(p): boundary 96 is not a power of two"));
	CHECK(!dma_pool_create("p", r.dev, 64, 8, 32));
	CHECK(err_is("dma_pool_create(p): boundary 32 is smaller than the block size 64"));
	/* The check is on the size after rounding to the alignment. */
	CHECK(!dma_pool_create("p", r.dev, 40, 64, 32));
	CHECK(err_is("dma_pool_create(p): boundary 32 is smaller than the block size 64"));
	/* Boundary equal to the block size is fine. */
	p = dma_pool_create("p", r.dev, 40, 64, 64);
	CHECK(p != NULL);
	dma_pool_destroy(p);
	CHECK(!dma_pool_alloc(NULL, GFP_KERNEL, &(dma_addr_t){ 0 }));
	CHECK(err_is("dma_pool_alloc: NULL pool or handle"));
	CHECK(!dmam_pool_create("m", NULL, 64, 8, 0));
	CHECK(err_is("dma_pool_create(m): NULL device"));
	testmachine_shutdown(&r.t);
}

TEST(dmapool_bad_free_is_reported_and_changes_nothing)
{
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("victim", r.dev, 128, 0, 0);
	struct dma_pool *other = dma_pool_create("other", r.dev, 128, 0, 0);
	struct dk_dma_pool_stats st;
	struct capture cap;
	dma_addr_t h[32], ho;
	u8 *v[32], *vo, *k = kmalloc(128, GFP_KERNEL);
	char out[4096], want[256];
	int i, j;

	for (i = 0; i < 4; i++)
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
	vo = dma_pool_alloc(other, GFP_KERNEL, &ho);
	dma_pool_free(pool, v[2], h[2]);

	cap = capture_start();
	dma_pool_free(pool, k, 0x1234);		/* kmalloc memory */
	dma_pool_free(pool, vo, ho);		/* another pool's block */
	dma_pool_free(pool, v[1] + 8, h[1] + 8); /* inside a block */
	dma_pool_free(pool, v[2], h[2]);	/* double free */
	dma_pool_free(pool, v[0], h[1]);	/* wrong handle */
	dma_pool_free(pool, NULL, 0);
	dma_pool_free(NULL, v[0], h[0]);
	capture_end(&cap, out, sizeof(out));

	snprintf(want, sizeof(want), "dma_pool_free victim, %p: not memory of this pool\n",
		 (void *)k);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "dma_pool_free victim, %p: not memory of this pool\n",
		 (void *)vo);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "dma_pool_free victim, %p: not the start of a block\n",
		 (void *)(v[1] + 8));
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "dma_pool_free victim, %p (dma 0x%llx): already free\n",
		 (void *)v[2], (unsigned long long)h[2]);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "dma_pool_free victim, %p: dma 0x%llx is not its address 0x%llx\n",
		 (void *)v[0], (unsigned long long)h[1],
		 (unsigned long long)h[0]);
	CHECK_STR(out, want);
	CHECK_STR(out, "dma_pool_free victim, (nil): not memory of this pool\n");
	CHECK_STR(out, "BUG: dma_pool_free(NULL pool");

	/* Nothing moved: three busy, and the 32 blocks of the chunk come
	 * out distinct, each once, when the pool is drained. */
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 3);
	CHECK_EQ(st.chunks, 1);
	dma_pool_free(pool, v[0], h[0]);
	dma_pool_free(pool, v[1], h[1]);
	dma_pool_free(pool, v[3], h[3]);
	for (i = 0; i < 32; i++) {
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		for (j = 0; j < i; j++)
			CHECK(v[i] != v[j] && h[i] != h[j]);
	}
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.chunks, 1);
	CHECK_EQ(st.busy, 32);
	for (i = 0; i < 32; i++)
		dma_pool_free(pool, v[i], h[i]);
	dma_pool_free(other, vo, ho);
	dma_pool_destroy(other);
	dma_pool_destroy(pool);
	kfree(k);
	testmachine_shutdown(&r.t);
}

/* ---- managed pools */

static int nprobed;

static int pool_probe(struct device *dev)
{
	struct dma_pool *pool = dmam_pool_create("dmam-pool", dev, 32, 16, 0);
	dma_addr_t h;

	if (!pool)
		return -ENOMEM;
	/* A block left busy makes the destroy at unbind visible. */
	if (!dma_pool_alloc(pool, GFP_KERNEL, &h))
		return -ENOMEM;
	dev_set_drvdata(dev, pool);
	nprobed++;
	return 0;
}

static const struct of_device_id pool_ids[] = {
	{ .compatible = "dmakit,generic-master" },
	{ }
};

TEST(dmapool_managed_pool_destroyed_at_unbind)
{
	struct rig r = rig();
	struct device_driver drv = { .name = "pool-test",
				     .of_match_table = pool_ids,
				     .probe = pool_probe };
	struct device *m32 = dk_machine_find_device(r.t.m, "master32@10020000");
	struct dma_pool *pool, *plain;
	struct capture cap;
	char out[2048];
	int i, masters = 0;

	for (i = 0; i < dk_soc_ndevs(r.t.soc); i++) {
		const struct dk_devdesc *d = dk_simdev_desc(dk_soc_dev(r.t.soc,
								      i));

		masters += !strcmp(d->compatible, "dmakit,generic-master");
	}
	CHECK(masters >= 3);
	nprobed = 0;
	CHECK_EQ(driver_register(&drv), 0);
	CHECK_EQ(nprobed, masters);
	pool = dev_get_drvdata(r.dev);
	CHECK(pool != NULL);

	cap = capture_start();
	device_release_driver(r.dev);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "err /soc/master@10010000: dma_pool_destroy dmam-pool, 1 blocks busy\n");
	CHECK(r.dev->driver == NULL);

	/* dmam_pool_destroy takes it off the devres list: unbind later
	 * does not destroy it twice. */
	pool = dev_get_drvdata(m32);
	cap = capture_start();
	dmam_pool_destroy(pool);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "err /soc/master32@10020000: dma_pool_destroy dmam-pool, 1 blocks busy\n");
	cap = capture_start();
	device_release_driver(m32);
	capture_end(&cap, out, sizeof(out));
	CHECK(!strstr(out, "dma_pool_destroy"));

	/* A pool that is not managed is left alone. */
	plain = dma_pool_create("plain", r.coh, 32, 0, 0);
	cap = capture_start();
	dmam_pool_destroy(plain);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "warn /soc/coherent-master@10030000: dmam_pool_destroy plain: not a managed pool\n");
	dma_pool_destroy(plain);

	cap = capture_start();
	driver_unregister(&drv);
	capture_end(&cap, out, sizeof(out));
	CHECK_STR(out, "err /soc/coherent-master@10030000: dma_pool_destroy dmam-pool, 1 blocks busy\n");
	testmachine_shutdown(&r.t);
}

/* ---- threads */

#define HOLD 48
#define ROUNDS 1000000

/* Valgrind runs threads one at a time: a tenth shows its errors. */
static unsigned int rounds(void)
{
	return dk_test_on_valgrind() ? ROUNDS / 10 : ROUNDS;
}

struct worker {
	struct dma_pool *pool;
	pthread_barrier_t *go;
	struct dk_machine *m;
	u8 tag;
	unsigned long allocs, frees, bad;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	u8 *v[HOLD] = { NULL };
	dma_addr_t h[HOLD];
	unsigned int seed = w->tag, i, k;

	dk_machine_set_current(w->m);
	pthread_barrier_wait(w->go);
	for (i = 0; i < rounds(); i++) {
		k = rand_r(&seed) % HOLD;
		if (v[k]) {
			/* Another thread owning this block would have
			 * overwritten the tag. */
			if (!all(v[k], w->tag, 64))
				w->bad++;
			dma_pool_free(w->pool, v[k], h[k]);
			v[k] = NULL;
			w->frees++;
		} else {
			v[k] = dma_pool_alloc(w->pool, GFP_KERNEL, &h[k]);
			if (!v[k]) {
				w->bad++;
				continue;
			}
			memset(v[k], w->tag, 64);
			w->allocs++;
		}
	}
	for (k = 0; k < HOLD; k++)
		if (v[k]) {
			dma_pool_free(w->pool, v[k], h[k]);
			w->frees++;
		}
	return NULL;
}

TEST(dmapool_two_threads_share_a_pool)
{
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("threads", r.dev, 64, 64, 0);
	pthread_barrier_t go;
	struct worker w[2] = {
		{ .pool = pool, .go = &go, .m = r.t.m, .tag = 0x11 },
		{ .pool = pool, .go = &go, .m = r.t.m, .tag = 0x22 },
	};
	struct dk_dma_pool_stats st;
	struct capture cap;
	char out[1024];
	pthread_t tid[2];
	int i;

	pthread_barrier_init(&go, NULL, 2);

	cap = capture_start();
	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&tid[i], NULL, work, &w[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&go);
	capture_end(&cap, out, sizeof(out));
	if (out[0])
		printf("    unexpected report: %s", out);
	CHECK(!out[0]);

	for (i = 0; i < 2; i++) {
		CHECK_EQ(w[i].bad, 0);
		CHECK_EQ(w[i].allocs, w[i].frees);
		CHECK(w[i].allocs > rounds() / 4);
	}
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 0);
	CHECK_EQ(st.blocks, st.chunks * 64);
	/* A chunk is added only when every block is busy or in a thread's
	 * cache (at most 8 each). With at most 2 * HOLD = 96 live that can
	 * happen only at 64, where both threads may add one at once. */
	CHECK(st.chunks >= 1 && st.chunks <= 3);
	dma_pool_destroy(pool);
	testmachine_shutdown(&r.t);
}

/* ---- per-thread caches */

struct cacher {
	struct dma_pool *pool;
	struct dk_machine *m;
	u8 *v[8];
	dma_addr_t h[8];
};

/* Allocates and frees 8 blocks: they stay in this thread's cache. */
static void *fill_cache(void *arg)
{
	struct cacher *c = arg;
	int i;

	dk_machine_set_current(c->m);
	for (i = 0; i < 8; i++)
		c->v[i] = dma_pool_alloc(c->pool, GFP_KERNEL, &c->h[i]);
	for (i = 0; i < 8; i++)
		dma_pool_free(c->pool, c->v[i], c->h[i]);
	return NULL;
}

/* Blocks a thread kept go back to the pool when it exits: the chunk's
 * 64 blocks are all there for another thread, and none is busy. */
TEST(dmapool_thread_cache_goes_back_at_thread_exit)
{
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("cached", r.dev, 64, 64, 0);
	struct cacher c = { .pool = pool, .m = r.t.m };
	struct dk_dma_pool_stats st;
	dma_addr_t h[64];
	u8 *v[64];
	pthread_t t;
	int i, j;

	CHECK_EQ(pthread_create(&t, NULL, fill_cache, &c), 0);
	pthread_join(t, NULL);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 0);
	CHECK_EQ(st.chunks, 1);
	for (i = 0; i < 64; i++) {
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
		for (j = 0; j < i; j++)
			CHECK(v[i] != v[j]);
	}
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.chunks, 1);
	CHECK_EQ(st.busy, 64);
	for (i = 0; i < 64; i++)
		dma_pool_free(pool, v[i], h[i]);
	dma_pool_destroy(pool);
	testmachine_shutdown(&r.t);
}

struct freer {
	struct dma_pool *pool;
	struct dk_machine *m;
	void *v;
	dma_addr_t h;
};

static void *free_it(void *arg)
{
	struct freer *f = arg;

	dk_machine_set_current(f->m);
	dma_pool_free(f->pool, f->v, f->h);
	return NULL;
}

/* Free @v a second time: reported as already free. */
static void free_again(struct dma_pool *pool, u8 *v, dma_addr_t h)
{
	struct capture cap = capture_start();
	char out[1024], want[256];

	dma_pool_free(pool, v, h);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want), "dma_pool_free twice, %p (dma 0x%llx): already free\n",
		 (void *)v, (unsigned long long)h);
	CHECK_STR(out, want);
}

/* A double free is caught whichever path took the first: this thread's
 * cache, or another thread's free of a block this one allocated. */
TEST(dmapool_double_free_caught_on_every_path)
{
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("twice", r.dev, 64, 64, 0);
	struct dk_dma_pool_stats st;
	struct freer f = { .pool = pool, .m = r.t.m };
	dma_addr_t h, h2;
	u8 *v, *v2;
	pthread_t t;

	v = dma_pool_alloc(pool, GFP_KERNEL, &h);
	dma_pool_free(pool, v, h);		/* into this thread's cache */
	free_again(pool, v, h);
	v = dma_pool_alloc(pool, GFP_KERNEL, &h);
	v2 = dma_pool_alloc(pool, GFP_KERNEL, &h2);
	CHECK(v && v2 && v != v2);		/* handed out once */
	f.v = v;
	f.h = h;
	CHECK_EQ(pthread_create(&t, NULL, free_it, &f), 0);
	pthread_join(t, NULL);
	free_again(pool, v, h);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 1);
	dma_pool_free(pool, v2, h2);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 0);
	dma_pool_destroy(pool);
	testmachine_shutdown(&r.t);
}

/*
 * Blocks freed in another order than allocated: each goes back to this
 * thread's cache once and the next allocations hand out the same blocks,
 * each once; a second free of any of them is still caught.
 */
TEST(dmapool_thread_cache_frees_in_any_order)
{
	static const int order[8] = { 3, 0, 7, 5, 1, 6, 2, 4 };
	struct rig r = rig();
	struct dma_pool *pool = dma_pool_create("twice", r.dev, 64, 64, 0);
	struct dk_dma_pool_stats st;
	dma_addr_t h[9], h2[9];
	u8 *v[9], *v2[9];
	int i, j, found;

	for (i = 0; i < 8; i++)
		v[i] = dma_pool_alloc(pool, GFP_KERNEL, &h[i]);
	for (i = 0; i < 8; i++)
		dma_pool_free(pool, v[order[i]], h[order[i]]);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 0);
	for (i = 0; i < 9; i++)
		v2[i] = dma_pool_alloc(pool, GFP_KERNEL, &h2[i]);
	for (i = 0; i < 8; i++) {
		for (j = 0, found = 0; j < 8; j++)
			found += v2[i] == v[j] && h2[i] == h[j];
		CHECK_EQ(found, 1);
		for (j = 0; j < i; j++)
			CHECK(v2[i] != v2[j]);
	}
	for (j = 0; j < 8; j++)
		CHECK(v2[8] && v2[8] != v[j]);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 9);
	for (i = 0; i < 8; i++)
		dma_pool_free(pool, v2[order[i]], h2[order[i]]);
	free_again(pool, v2[order[5]], h2[order[5]]);
	dma_pool_free(pool, v2[8], h2[8]);
	CHECK_EQ(dk_dma_pool_stats(pool, &st), 0);
	CHECK_EQ(st.busy, 0);
	dma_pool_destroy(pool);
	testmachine_shutdown(&r.t);
}
