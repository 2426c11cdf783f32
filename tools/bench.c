// SPDX-License-Identifier: MIT
/*
 * dmakit bench: the cost of DMA API operations on the simulated SoC, each
 * printed beside a baseline measured in the same run (a bare call, memcpy,
 * malloc) as a ratio, so the figures mean something on a noisy machine.
 * Each figure is the best of several rounds, operation and baseline
 * interleaved. The other tables: bench_floor.c (the cache model's floor),
 * bench_scale.c (growth with live mappings); bench_out.c keeps every
 * figure for --json.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/machine.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

#include "bench.h"


double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The optimiser must not see through these. */
__attribute__((noinline)) void *bench_opaque(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
	return p;
}

#define bare_call bench_opaque
#define now_ns bench_now_ns

static void op_map_coherent(void *arg)
{
	struct bench_ctx *c = arg;
	dma_addr_t h = dma_map_single(c->coh, c->buf, 4096, DMA_BIDIRECTIONAL);

	if (!dma_mapping_error(c->coh, h))
		dma_unmap_single(c->coh, h, 4096, DMA_BIDIRECTIONAL);
}

static void op_map_noncoherent(void *arg)
{
	struct bench_ctx *c = arg;
	dma_addr_t h;

	c->buf[0]++;	/* a dirty line, as a driver filling a buffer has */
	h = dma_map_single(c->nc, c->buf, 4096, DMA_BIDIRECTIONAL);
	if (!dma_mapping_error(c->nc, h))
		dma_unmap_single(c->nc, h, 4096, DMA_BIDIRECTIONAL);
}

static void op_map_swiotlb(void *arg)
{
	struct bench_ctx *c = arg;
	dma_addr_t h = dma_map_page(c->w32, c->high_page, 0, 4096,
				    DMA_BIDIRECTIONAL);

	if (!dma_mapping_error(c->w32, h))
		dma_unmap_page(c->w32, h, 4096, DMA_BIDIRECTIONAL);
}

static void op_pool(void *arg)
{
	struct bench_ctx *c = arg;
	dma_addr_t h;
	void *p = dma_pool_alloc(c->pool, GFP_KERNEL, &h);

	dma_pool_free(c->pool, p, h);
}

static void op_alloc_coherent(void *arg)
{
	struct bench_ctx *c = arg;
	dma_addr_t h;
	void *p = dma_alloc_coherent(c->nc, 4096, &h, GFP_KERNEL);

	dma_free_coherent(c->nc, 4096, p, h);
}

/* For a coherent device the memory is cacheable: no alias, and on a SoC
 * with the store buffer in front of the cache, its pages go behind it. */
static void op_alloc_coherent_coh(void *arg)
{
	struct bench_ctx *c = arg;
	dma_addr_t h;
	void *p = dma_alloc_coherent(c->coh, 4096, &h, GFP_KERNEL);

	dma_free_coherent(c->coh, 4096, p, h);
}

static void op_kmalloc(void *arg)
{
	struct bench_ctx *c = arg;
	(void)c;
	kfree(bare_call(kmalloc(128, GFP_KERNEL)));
}

/* A read barrier with nothing held back from CPU loads (the common case:
 * only device models' writes to bufferable memory are), and a write
 * barrier, which drains the write buffer of every bufferable mapping. */
static void op_dma_rmb(void *arg)
{
	struct bench_ctx *c = arg;

	dma_rmb();
	c->sink = bare_call(c->buf);
}

static void op_dma_wmb(void *arg)
{
	struct bench_ctx *c = arg;

	dma_wmb();
	c->sink = bare_call(c->buf);
}

static void base_call(void *arg)
{
	struct bench_ctx *c = arg;
	c->sink = bare_call(c->buf);
}

static void base_memcpy(void *arg)
{
	struct bench_ctx *c = arg;
	memcpy(c->buf, c->src, 4096);
	bare_call(c->buf);
}

static void base_malloc64(void *arg)
{
	struct bench_ctx *c = arg;
	(void)c;
	free(bare_call(malloc(64)));
}

static void base_malloc4k(void *arg)
{
	struct bench_ctx *c = arg;
	(void)c;
	free(bare_call(malloc(4096)));
}

static void base_malloc128(void *arg)
{
	struct bench_ctx *c = arg;
	(void)c;
	free(bare_call(malloc(128)));
}

struct row {
	const char *name;
	void (*op)(void *);
	const char *base_name;
	void (*base)(void *);
	unsigned long iters;
};

static const struct row rows[] = {
	{ "map+unmap 4 KiB, coherent device", op_map_coherent,
	  "bare function call", base_call, 200000 },
	{ "map+unmap 4 KiB, non-coherent device", op_map_noncoherent,
	  "memcpy 4 KiB", base_memcpy, 20000 },
	{ "map+unmap 4 KiB through swiotlb", op_map_swiotlb, "memcpy 4 KiB",
	  base_memcpy, 20000 },
	{ "dma_pool_alloc+free (64 B)", op_pool, "malloc+free 64 B",
	  base_malloc64, 200000 },
	{ "dma_alloc_coherent+free 4 KiB", op_alloc_coherent,
	  "malloc+free 4 KiB", base_malloc4k, 2000 },
	{ "dma_alloc_coherent+free 4 KiB, coherent dev",
	  op_alloc_coherent_coh, "malloc+free 4 KiB", base_malloc4k, 2000 },
	{ "kmalloc+kfree 128 B", op_kmalloc, "malloc+free 128 B",
	  base_malloc128, 200000 },
	{ "dma_rmb(), no device write held", op_dma_rmb,
	  "bare function call", base_call, 2000000 },
	{ "dma_wmb(), the bench's coherent memory live", op_dma_wmb,
	  "bare function call", base_call, 2000000 },
};

double bench_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

double bench_run(void (*fn)(void *), void *arg, unsigned long n)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		fn(arg);
	return (now_ns() - t0) / n;
}

static int setup(struct dk_machine *m, struct dk_platform *pl, struct bench_ctx *c)
{
	phys_addr_t pa;

	c->nc = dk_machine_find_device(m, "master@10010000");
	c->coh = dk_machine_find_device(m, "coherent-master@10030000");
	c->w32 = dk_machine_find_device(m, "master32@10020000");
	if (!c->nc || !c->coh || !c->w32)
		return -ENODEV;
	dma_set_mask_and_coherent(c->nc, DMA_BIT_MASK(64));
	dma_set_mask_and_coherent(c->coh, DMA_BIT_MASK(64));
	c->buf = kmalloc(4096, GFP_KERNEL);
	c->src = kmalloc(4096, GFP_KERNEL);
	if (pl->ops->alloc_pages(pl->ctx, 1, 1, 0x100000000ULL, ~0ULL, &pa))
		return -ENOMEM;
	c->high_page = phys_to_page(pa);
	c->pool = dma_pool_create("bench", c->nc, 64, 64, 0);
	c->tbuf[0] = kmalloc(256 * 1024, GFP_KERNEL);
	c->tbuf[1] = kmalloc(256 * 1024, GFP_KERNEL);
	return c->buf && c->src && c->pool && c->tbuf[0] && c->tbuf[1] ?
		       0 : -ENOMEM;
}

struct thread_arg {
	struct bench_ctx *c;
	struct device *dev;
	u8 *buf;
	unsigned long n;
	double ns;
};

static void *map_loop(void *p)
{
	struct thread_arg *a = p;
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < a->n; i++) {
		dma_addr_t h = dma_map_single(a->dev, a->buf, 256, DMA_TO_DEVICE);

		if (!dma_mapping_error(a->dev, h))
			dma_unmap_single(a->dev, h, 256, DMA_TO_DEVICE);
	}
	a->ns = (now_ns() - t0) / a->n;
	return NULL;
}

/* ns per map+unmap of a small coherent-device buffer on @nthreads threads. */
static double checker_round(struct bench_ctx *c, int nthreads, unsigned long n)
{
	struct thread_arg a[2];
	pthread_t t[2];
	double worst = 0;
	int i;

	/* Each thread its own buffer, as two drivers would have. */
	for (i = 0; i < nthreads; i++) {
		a[i] = (struct thread_arg){ c, c->coh, c->tbuf[i], n, 0 };
		pthread_create(&t[i], NULL, map_loop, &a[i]);
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(t[i], NULL);
		worst = a[i].ns > worst ? a[i].ns : worst;
	}
	return worst;
}

/*
 * The checker against the unchecked path, with and without recording
 * where each mapping was made, on one thread and on two; then what two
 * threads give: ns per operation of the pair (the slower thread's time
 * over two operations) beside one thread's.
 */
static void checker_table(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	unsigned long n = 100000UL * scale / 100 + 1;
	double per[2][2][2];	/* [threads - 1][bt][on] */
	int threads, k;

	dk_bench_table(out, "checker (dma-debug)");
	for (threads = 1; threads <= 2; threads++) {
		int bt;

		for (bt = 1; bt >= 0; bt--) {
			double on = 1e300, off = 1e300;
			char name[64];

			dk_dma_debug_set_backtrace(bt);
			for (k = 0; k < ROUNDS; k++) {
				double x;

				dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
				x = checker_round(c, threads, n);
				off = x < off ? x : off;
				dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
				x = checker_round(c, threads, n);
				on = x < on ? x : on;
			}
			per[threads - 1][bt][0] = off;
			per[threads - 1][bt][1] = on;
			snprintf(name, sizeof(name), "map+unmap checked, %d thread%s%s",
				 threads, threads > 1 ? "s" : "",
				 bt ? "" : ", no bt");
			dk_bench_fig(out, name, on, "checker off", off);
		}
	}
	dk_dma_debug_set_backtrace(true);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	dk_bench_table(out, "two threads (ns per op of the pair)");
	dk_bench_fig(out, "2 threads, checker off", per[1][1][0] / 2,
		     "1 thread, checker off", per[0][1][0]);
	dk_bench_fig(out, "2 threads, checker on", per[1][1][1] / 2,
		     "1 thread, checker on", per[0][1][1]);
	if (out)
		fprintf(out, "two threads' throughput over one: %.2fx checker off, %.2fx checker on (goal: at least 1.7x)\n",
			2 * per[0][1][0] / per[1][1][0],
			2 * per[0][1][1] / per[1][1][1]);
}

int dk_bench(FILE *out, FILE *json, unsigned int scale)
{
	struct dk_soc_opts so;
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct bench_ctx c = { 0 };
	size_t i;
	int r;

	dk_soc_opts_init(&so);
	so.policy = DK_EVICT_NEVER;	/* cost of the API, not of evictions */
	r = dk_soc_load_default(&so, &soc);
	if (!r)
		r = dk_platform_sim(soc, &pl);
	if (!r)
		r = dk_machine_boot(&pl, NULL, &m);
	if (r) {
		fprintf(stderr, "dmakit bench: %s\n", dk_last_error());
		dk_soc_free(soc);
		return r;
	}
	/* The API's own cost first; the checker is measured on its own. */
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	r = setup(m, &pl, &c);
	if (r) {
		fprintf(stderr, "dmakit bench: setup: %s\n", dk_last_error());
		goto out;
	}
	dk_bench_reset();
	c.soc = soc;
	dk_bench_table(out, "operation");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *rw = &rows[i];
		unsigned long n = rw->iters * scale / 100 + 1;
		double best_op = 1e300, best_base = 1e300;
		int k;

		for (k = 0; k < ROUNDS; k++) {
			double o = bench_run(rw->op, &c, n);
			double b = bench_run(rw->base, &c, n);

			best_op = o < best_op ? o : best_op;
			best_base = b < best_base ? b : best_base;
		}
		dk_bench_fig(out, rw->name, best_op, rw->base_name, best_base);
	}
	r = bench_floor_table(out, &c, scale);
	if (!r)
		r = bench_swiotlb_growth(out, &c, scale);
	if (!r)
		r = bench_coherent_growth(out, &c, scale);
	if (!r)
		r = bench_vmalloc_growth(out, &c, scale);
	if (!r) {
		checker_table(out, &c, scale);
		r = bench_scale_table(out, &c, scale);
	}
	if (!r) {
		double ratio[4] = { 0, 0, 0, 0 };

		dk_bench_table(out, "two devices (ns per op of the pair)");
		r = bench_two_devices(out, m, scale, ratio);
		if (!r && out)
			fprintf(out, "two devices: throughput %.2fx checker off, %.2fx checker on (goal: at least 1.7x); two processes that share nothing: %.2fx, %.2fx (what the cores give)\n",
				ratio[0], ratio[1], ratio[2], ratio[3]);
	}
	if (r)
		fprintf(stderr, "dmakit bench: %s\n", strerror(-r));
out:
	if (c.pool)
		dma_pool_destroy(c.pool);
	kfree(c.buf);
	kfree(c.src);
	kfree(c.tbuf[0]);
	kfree(c.tbuf[1]);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	/* The IOMMU rows boot a machine of their own. */
	if (!r)
		r = dk_bench_iommu(out, scale);
	if (!r && json && dk_bench_json(json, scale)) {
		fprintf(stderr, "dmakit bench: writing JSON failed\n");
		r = -EIO;
	}
	return r;
}
