// SPDX-License-Identifier: MIT
/*
 * dmakit bench: the cost of DMA API operations on the simulated SoC, each
 * printed beside a baseline measured in the same run (a bare call, memcpy,
 * malloc) as a ratio, so the figures mean something on a noisy machine.
 * Each figure is the best of several rounds, operation and baseline
 * interleaved.
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
#include <dmakit/machine.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

#include "bench.h"

#define ROUNDS 5

struct ctx {
	struct device *nc, *coh, *w32;
	u8 *buf, *high, *src;
	struct page *high_page;
	struct dma_pool *pool;
	void *sink;
	u8 *tbuf[2];
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The optimiser must not see through these. */
__attribute__((noinline)) static void *bare_call(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
	return p;
}

static void op_map_coherent(struct ctx *c)
{
	dma_addr_t h = dma_map_single(c->coh, c->buf, 4096, DMA_BIDIRECTIONAL);

	if (!dma_mapping_error(c->coh, h))
		dma_unmap_single(c->coh, h, 4096, DMA_BIDIRECTIONAL);
}

static void op_map_noncoherent(struct ctx *c)
{
	dma_addr_t h;

	c->buf[0]++;	/* a dirty line, as a driver filling a buffer has */
	h = dma_map_single(c->nc, c->buf, 4096, DMA_BIDIRECTIONAL);
	if (!dma_mapping_error(c->nc, h))
		dma_unmap_single(c->nc, h, 4096, DMA_BIDIRECTIONAL);
}

static void op_map_swiotlb(struct ctx *c)
{
	dma_addr_t h = dma_map_page(c->w32, c->high_page, 0, 4096,
				    DMA_BIDIRECTIONAL);

	if (!dma_mapping_error(c->w32, h))
		dma_unmap_page(c->w32, h, 4096, DMA_BIDIRECTIONAL);
}

static void op_pool(struct ctx *c)
{
	dma_addr_t h;
	void *p = dma_pool_alloc(c->pool, GFP_KERNEL, &h);

	dma_pool_free(c->pool, p, h);
}

static void op_alloc_coherent(struct ctx *c)
{
	dma_addr_t h;
	void *p = dma_alloc_coherent(c->nc, 4096, &h, GFP_KERNEL);

	dma_free_coherent(c->nc, 4096, p, h);
}

static void op_kmalloc(struct ctx *c)
{
	(void)c;
	kfree(bare_call(kmalloc(128, GFP_KERNEL)));
}

static void base_call(struct ctx *c)
{
	c->sink = bare_call(c->buf);
}

static void base_memcpy(struct ctx *c)
{
	memcpy(c->buf, c->src, 4096);
	bare_call(c->buf);
}

static void base_malloc64(struct ctx *c)
{
	(void)c;
	free(bare_call(malloc(64)));
}

static void base_malloc4k(struct ctx *c)
{
	(void)c;
	free(bare_call(malloc(4096)));
}

static void base_malloc128(struct ctx *c)
{
	(void)c;
	free(bare_call(malloc(128)));
}

struct row {
	const char *name;
	void (*op)(struct ctx *);
	const char *base_name;
	void (*base)(struct ctx *);
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
	{ "kmalloc+kfree 128 B", op_kmalloc, "malloc+free 128 B",
	  base_malloc128, 200000 },
};

static double measure(void (*fn)(struct ctx *), struct ctx *c,
		      unsigned long n)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		fn(c);
	return (now_ns() - t0) / n;
}

static int setup(struct dk_machine *m, struct dk_platform *pl, struct ctx *c)
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
	struct ctx *c;
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
static double checker_round(struct ctx *c, int nthreads, unsigned long n)
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

static void checker_table(FILE *out, struct ctx *c, unsigned int scale)
{
	unsigned long n = 100000UL * scale / 100 + 1;
	int threads, k;

	fprintf(out, "\n%-40s %10s   %-20s %10s %9s\n", "checker (dma-debug)",
		"ns/op", "baseline", "ns/op", "ratio");
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
			snprintf(name, sizeof(name), "map+unmap checked, %d thread%s%s",
				 threads, threads > 1 ? "s" : "",
				 bt ? "" : ", no bt");
			fprintf(out, "%-40s %10.1f   %-20s %10.1f %8.1fx\n", name,
				on, "checker off", off, on / off);
		}
	}
	dk_dma_debug_set_backtrace(true);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
}

/* ---- cost as live mappings accumulate */

#define SLOT 128		/* ARCH_DMA_MINALIGN: no two mappings share a line */
#define BATCH_MAX 1024
#define CHUNK (4UL << 20)	/* kmalloc's largest object */
#define NCHUNKS 4

static const unsigned long live_levels[] = { 100, 10000, 100000 };
#define NLEVELS (sizeof(live_levels) / sizeof(live_levels[0]))

struct scale {
	u8 *fill[NCHUNKS], *probe;	/* slots for the live mappings, and
					 * for the timed ones */
	dma_addr_t *fill_h, probe_h[BATCH_MAX];
	struct dk_simdev *sdev;
	unsigned long batch;
};

/* ns per map, per unmap and per 64-byte device write, best of ROUNDS. */
static void scale_round(struct ctx *c, struct scale *s, double best[3])
{
	u8 pkt[64] = { 0 };
	unsigned long i;
	double t0;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double t[3];

		t0 = now_ns();
		for (i = 0; i < s->batch; i++)
			s->probe_h[i] = dma_map_single(c->nc, s->probe + i * SLOT,
						       SLOT, DMA_BIDIRECTIONAL);
		t[0] = now_ns() - t0;
		t0 = now_ns();
		for (i = 0; i < s->batch; i++)
			dk_dev_dma_write(s->sdev, s->probe_h[i], pkt, sizeof(pkt));
		t[2] = now_ns() - t0;
		t0 = now_ns();
		for (i = 0; i < s->batch; i++)
			if (!dma_mapping_error(c->nc, s->probe_h[i]))
				dma_unmap_single(c->nc, s->probe_h[i], SLOT,
						 DMA_BIDIRECTIONAL);
		t[1] = now_ns() - t0;
		for (i = 0; i < 3; i++)
			best[i] = t[i] / s->batch < best[i] ? t[i] / s->batch :
							      best[i];
	}
}

static void scale_fill(struct ctx *c, struct scale *s, unsigned long from,
		       unsigned long to)
{
	unsigned long i;

	for (i = from; i < to; i++)
		s->fill_h[i] = dma_map_single(c->nc,
					      s->fill[i / (CHUNK / SLOT)] +
						      i % (CHUNK / SLOT) * SLOT,
					      SLOT, DMA_BIDIRECTIONAL);
}

static void scale_drain(struct ctx *c, struct scale *s, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (!dma_mapping_error(c->nc, s->fill_h[i]))
			dma_unmap_single(c->nc, s->fill_h[i], SLOT,
					 DMA_BIDIRECTIONAL);
}

static void scale_print(FILE *out, const char *op, bool on,
			const double fig[NLEVELS], const char *base_name,
			double base)
{
	size_t j;

	for (j = 0; j < NLEVELS; j++) {
		char name[64], bname[32];

		snprintf(name, sizeof(name), "%s, %lu live, checker %s", op,
			 live_levels[j], on ? "on" : "off");
		if (j)
			snprintf(bname, sizeof(bname), "%lu live",
				 live_levels[0]);
		fprintf(out, "%-40s %10.1f   %-20s %10.1f %8.1fx\n", name,
			fig[j], j ? bname : base_name, j ? fig[0] : base,
			fig[j] / (j ? fig[0] : base));
	}
}

/*
 * Map, unmap and device access with 10^2, 10^4 and 10^5 live mappings of
 * the same device, checker on and off: each figure against the 10^2 one,
 * which stands beside a plain baseline. The checker's indexes should keep
 * the growth near 1.
 */
static int scale_table(FILE *out, struct ctx *c, struct dk_soc *soc,
		       unsigned int scale)
{
	unsigned long nmax = live_levels[NLEVELS - 1];
	double fig[2][3][NLEVELS], copy = 1e300, worst = 0;
	struct scale s = { 0 };
	u8 pkt[64] = { 0 };
	int on, k, r = 0;
	size_t j, i;

	s.batch = 64UL * scale / 100 + 16;
	s.batch = s.batch > BATCH_MAX ? BATCH_MAX : s.batch;
	s.sdev = dk_soc_find_dev(soc, "master@10010000");
	for (i = 0; i < NCHUNKS; i++)
		s.fill[i] = kmalloc(CHUNK, GFP_KERNEL);
	s.probe = kmalloc(BATCH_MAX * SLOT, GFP_KERNEL);
	s.fill_h = calloc(nmax, sizeof(*s.fill_h));
	if (!s.sdev || !s.fill[NCHUNKS - 1] || !s.probe || !s.fill_h) {
		r = -ENOMEM;
		goto out;
	}
	for (k = 0; k < ROUNDS; k++) {
		double t0 = now_ns();

		for (i = 0; i < s.batch; i++)
			bare_call(memcpy(s.probe + i * SLOT, pkt, sizeof(pkt)));
		t0 = (now_ns() - t0) / s.batch;
		copy = t0 < copy ? t0 : copy;
	}
	for (on = 1; on >= 0; on--) {
		unsigned long live = 0;

		dk_dma_debug_set_mode(on ? DK_DMA_DEBUG_ALL : DK_DMA_DEBUG_OFF);
		for (j = 0; j < NLEVELS; j++) {
			double best[3] = { 1e300, 1e300, 1e300 };

			scale_fill(c, &s, live, live_levels[j]);
			live = live_levels[j];
			scale_round(c, &s, best);
			for (i = 0; i < 3; i++)
				fig[on][i][j] = best[i];
		}
		scale_drain(c, &s, live);
	}
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	fprintf(out, "\n%-40s %10s   %-20s %10s %9s\n", "live mappings",
		"ns/op", "baseline", "ns/op", "ratio");
	for (on = 1; on >= 0; on--) {
		scale_print(out, "map 128 B", on, fig[on][0],
			    "memcpy 64 B", copy);
		scale_print(out, "unmap 128 B", on, fig[on][1],
			    "memcpy 64 B", copy);
		scale_print(out, "dev write 64 B", on, fig[on][2],
			    "memcpy 64 B", copy);
	}
	for (i = 0; i < 3; i++)
		worst = fig[1][i][NLEVELS - 1] / fig[1][i][0] > worst ?
				fig[1][i][NLEVELS - 1] / fig[1][i][0] : worst;
	fprintf(out, "growth from %lu to %lu live mappings, checker on: worst %.1fx (goal: at most 1.5x)\n",
		live_levels[0], nmax, worst);
out:
	for (i = 0; i < NCHUNKS; i++)
		kfree(s.fill[i]);
	kfree(s.probe);
	free(s.fill_h);
	return r;
}

int dk_bench(FILE *out, unsigned int scale)
{
	struct dk_soc_opts so;
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct ctx c = { 0 };
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
	fprintf(out, "%-40s %10s   %-20s %10s %9s\n", "operation", "ns/op",
		"baseline", "ns/op", "ratio");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *rw = &rows[i];
		unsigned long n = rw->iters * scale / 100 + 1;
		double best_op = 1e300, best_base = 1e300;
		int k;

		for (k = 0; k < ROUNDS; k++) {
			double o = measure(rw->op, &c, n);
			double b = measure(rw->base, &c, n);

			best_op = o < best_op ? o : best_op;
			best_base = b < best_base ? b : best_base;
		}
		fprintf(out, "%-40s %10.1f   %-20s %10.1f %8.1fx\n", rw->name,
			best_op, rw->base_name, best_base, best_op / best_base);
	}
	checker_table(out, &c, scale);
	r = scale_table(out, &c, soc, scale);
	if (r)
		fprintf(stderr, "dmakit bench: live mappings: %s\n",
			strerror(-r));
out:
	if (c.pool)
		dma_pool_destroy(c.pool);
	kfree(c.buf);
	kfree(c.src);
	kfree(c.tbuf[0]);
	kfree(c.tbuf[1]);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	return r ? r : dk_bench_iommu(out, scale);
}
