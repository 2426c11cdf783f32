// SPDX-License-Identifier: MIT
/*
 * How cost grows as mappings accumulate: map, unmap and a device write
 * with 1, 10^3 and 10^5 live mappings of the same device, checker on and
 * off; swiotlb map+unmap with 1 and 10^3 live bounce mappings;
 * dma_alloc_coherent+free with 1, 10^3 and 10^4 live allocations, and
 * vmalloc_to_page() with as many vmalloc areas. Each figure stands beside
 * the one at the smallest level, which stands beside a plain baseline.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/io.h>
#include <dmakit/platform.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>
#include <dmakit/vmalloc.h>

#include "bench.h"

#define SLOT 128		/* ARCH_DMA_MINALIGN: no two mappings share a line */
#define BATCH_MAX 1024
#define CHUNK (4UL << 20)	/* kmalloc's largest object */
#define NCHUNKS 4

static const unsigned long live_levels[] = { 1, 1000, 100000 };
#define NLEVELS (sizeof(live_levels) / sizeof(live_levels[0]))

struct scale {
	u8 *fill[NCHUNKS], *probe;	/* slots for the live mappings, and
					 * for the timed ones */
	dma_addr_t *fill_h, probe_h[BATCH_MAX];
	struct dk_simdev *sdev;
	unsigned long batch;
};

/* ns per map, per unmap and per 64-byte device write, best of ROUNDS. */
static void scale_round(struct bench_ctx *c, struct scale *s, double best[3])
{
	u8 pkt[64] = { 0 };
	unsigned long i;
	double t0;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double t[3];

		t0 = bench_now_ns();
		for (i = 0; i < s->batch; i++)
			s->probe_h[i] = dma_map_single(c->nc, s->probe + i * SLOT,
						       SLOT, DMA_BIDIRECTIONAL);
		t[0] = bench_now_ns() - t0;
		t0 = bench_now_ns();
		for (i = 0; i < s->batch; i++)
			dk_dev_dma_write(s->sdev, s->probe_h[i], pkt, sizeof(pkt));
		t[2] = bench_now_ns() - t0;
		t0 = bench_now_ns();
		for (i = 0; i < s->batch; i++)
			if (!dma_mapping_error(c->nc, s->probe_h[i]))
				dma_unmap_single(c->nc, s->probe_h[i], SLOT,
						 DMA_BIDIRECTIONAL);
		t[1] = bench_now_ns() - t0;
		for (i = 0; i < 3; i++)
			best[i] = t[i] / s->batch < best[i] ? t[i] / s->batch :
							      best[i];
	}
}

static void scale_fill(struct bench_ctx *c, struct scale *s,
		       unsigned long from, unsigned long to)
{
	unsigned long i;

	for (i = from; i < to; i++)
		s->fill_h[i] = dma_map_single(c->nc,
					      s->fill[i / (CHUNK / SLOT)] +
						      i % (CHUNK / SLOT) * SLOT,
					      SLOT, DMA_BIDIRECTIONAL);
}

static void scale_drain(struct bench_ctx *c, struct scale *s, unsigned long n)
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
		snprintf(bname, sizeof(bname), "%lu live", live_levels[0]);
		dk_bench_fig(out, name, fig[j], j ? bname : base_name,
			     j ? fig[0] : base);
	}
}

static double baseline_copy(struct scale *s)
{
	u8 pkt[64] = { 0 };
	double copy = 1e300;
	unsigned long i;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (i = 0; i < s->batch; i++)
			bench_opaque(memcpy(s->probe + i * SLOT, pkt, sizeof(pkt)));
		t0 = (bench_now_ns() - t0) / s->batch;
		copy = t0 < copy ? t0 : copy;
	}
	return copy;
}

int bench_scale_table(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	unsigned long nmax = live_levels[NLEVELS - 1];
	double fig[2][3][NLEVELS], copy, worst = 0;
	struct scale s = { 0 };
	int on, r = 0;
	size_t j, i;

	s.batch = 64UL * scale / 100 + 16;
	s.batch = s.batch > BATCH_MAX ? BATCH_MAX : s.batch;
	s.sdev = dk_soc_find_dev(c->soc, "master@10010000");
	for (i = 0; i < NCHUNKS; i++)
		s.fill[i] = kmalloc(CHUNK, GFP_KERNEL);
	s.probe = kmalloc(BATCH_MAX * SLOT, GFP_KERNEL);
	s.fill_h = calloc(nmax, sizeof(*s.fill_h));
	if (!s.sdev || !s.fill[NCHUNKS - 1] || !s.probe || !s.fill_h) {
		r = -ENOMEM;
		goto out;
	}
	copy = baseline_copy(&s);
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
	dk_bench_table(out, "live mappings");
	for (on = 1; on >= 0; on--) {
		scale_print(out, "map 128 B", on, fig[on][0], "memcpy 64 B", copy);
		scale_print(out, "unmap 128 B", on, fig[on][1], "memcpy 64 B",
			    copy);
		scale_print(out, "dev write 64 B", on, fig[on][2],
			    "memcpy 64 B", copy);
	}
	for (i = 0; i < 3; i++)
		worst = fig[1][i][NLEVELS - 1] / fig[1][i][0] > worst ?
				fig[1][i][NLEVELS - 1] / fig[1][i][0] : worst;
	if (out)
		fprintf(out, "growth from %lu to %lu live mappings, checker on: worst %.1fx (goal: at most 1.5x)\n",
			live_levels[0], nmax, worst);
out:
	for (i = 0; i < NCHUNKS; i++)
		kfree(s.fill[i]);
	kfree(s.probe);
	free(s.fill_h);
	return r;
}

/* ---- swiotlb with live bounce mappings */

#define BOUNCE_LIVE 1000
#define BOUNCE_SIZE 256		/* one slot each */

static double swiotlb_round(struct bench_ctx *c, unsigned long n)
{
	double best = 1e300;
	unsigned long i;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (i = 0; i < n; i++) {
			dma_addr_t h = dma_map_page(c->w32, c->high_page, 0,
						    4096, DMA_BIDIRECTIONAL);

			if (!dma_mapping_error(c->w32, h))
				dma_unmap_page(c->w32, h, 4096,
					       DMA_BIDIRECTIONAL);
		}
		t0 = (bench_now_ns() - t0) / n;
		best = t0 < best ? t0 : best;
	}
	return best;
}

int bench_swiotlb_growth(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	const struct dk_platform *pl = dk_machine_platform(dk_machine_current());
	unsigned long n = 2000UL * scale / 100 + 1, npages, i;
	dma_addr_t *h = calloc(BOUNCE_LIVE, sizeof(*h));
	double one, many, copy = 1e300;
	phys_addr_t pa;
	int k;
	u8 *base;

	npages = BOUNCE_LIVE * BOUNCE_SIZE / 4096;
	if (!h || pl->ops->alloc_pages(pl->ctx, npages, 1, 0x100000000ULL,
				       ~0ULL, &pa)) {
		free(h);
		return -ENOMEM;
	}
	base = phys_to_virt(pa);
	h[0] = dma_map_single(c->w32, base, BOUNCE_SIZE, DMA_TO_DEVICE);
	one = swiotlb_round(c, n);
	for (i = 1; i < BOUNCE_LIVE; i++)
		h[i] = dma_map_single(c->w32, base + i * BOUNCE_SIZE,
				      BOUNCE_SIZE, DMA_TO_DEVICE);
	many = swiotlb_round(c, n);
	for (k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (i = 0; i < n; i++)
			bench_opaque(memcpy(c->buf, c->src, 4096));
		t0 = (bench_now_ns() - t0) / n;
		copy = t0 < copy ? t0 : copy;
	}
	for (i = 0; i < BOUNCE_LIVE; i++)
		if (!dma_mapping_error(c->w32, h[i]))
			dma_unmap_single(c->w32, h[i], BOUNCE_SIZE,
					 DMA_TO_DEVICE);
	pl->ops->free_pages(pl->ctx, pa, npages);
	free(h);
	dk_bench_table(out, "live bounce mappings");
	dk_bench_fig(out, "swiotlb map+unmap 4 KiB, 1 live", one,
		     "memcpy 4 KiB", copy);
	dk_bench_fig(out, "swiotlb map+unmap 4 KiB, 1000 live", many,
		     "swiotlb, 1 live", one);
	return 0;
}

/* ---- coherent allocations and vmalloc areas with others live */

static const unsigned long live_many[] = { 1, 1000, 10000 };
#define MANY_MAX 10000

/* The ring of live objects an operation works through, oldest first. */
struct ring {
	struct bench_ctx *c;
	void **obj;
	dma_addr_t *h;
	unsigned long live, at;
	bool failed;
};

/* Best of ROUNDS of @n calls of @fn. */
static double best_of(void (*fn)(void *), void *arg, unsigned long n)
{
	double best = 1e300;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double x = bench_run(fn, arg, n);

		best = x < best ? x : best;
	}
	return best;
}

static void *next_obj(struct ring *r)
{
	void *o = r->obj[r->at];

	r->at = r->at + 1 < r->live ? r->at + 1 : 0;
	return o;
}

/* The oldest coherent allocation freed, one made in its place: what a
 * driver recycling a ring of buffers does. */
static void op_recycle(void *arg)
{
	struct ring *r = arg;
	unsigned long at = r->at;

	dma_free_coherent(r->c->nc, 4096, next_obj(r), r->h[at]);
	r->obj[at] = dma_alloc_coherent(r->c->nc, 4096, &r->h[at], GFP_KERNEL);
	r->failed |= !r->obj[at];
}

/* Every store to the live coherent memory reaches DRAM (wbuf.c). */
static void op_wmb(void *arg)
{
	(void)arg;
	dma_wmb();
}

static void op_malloc(void *arg)
{
	(void)arg;
	free(bench_opaque(malloc(4096)));
}

/* What a driver mapping a vmalloc buffer page by page calls. */
static void op_to_page(void *arg)
{
	bench_opaque(vmalloc_to_page(next_obj(arg)));
}

static void op_bare(void *arg)
{
	bench_opaque(next_obj(arg));
}

static void op_bare_call(void *arg)
{
	bench_opaque(arg);
}

static void *make_coherent(struct ring *r, unsigned long i)
{
	return dma_alloc_coherent(r->c->nc, 4096, &r->h[i], GFP_KERNEL);
}

static void *make_vmalloc(struct ring *r, unsigned long i)
{
	(void)r;
	(void)i;
	return vmalloc(4096);
}

/* A timed operation, its iterations and its ns at each level. */
struct grow_op {
	void (*fn)(void *);
	unsigned long n;
	double fig[3];
	bool track;	/* timed with dk_sim_track_stores() on */
};

/* The ns of each of @nops operations with 1, 10^3 and 10^4 objects made
 * by @make live; 0, or -ENOMEM. The objects stay in @r for the caller to
 * free. */
static int grow_round(struct ring *r, void *(*make)(struct ring *, unsigned long),
		      struct grow_op *ops, int nops)
{
	int j, k;

	for (j = 0; j < 3; j++) {
		for (; r->live < live_many[j]; r->live++) {
			r->obj[r->live] = make(r, r->live);
			if (!r->obj[r->live])
				return -ENOMEM;
		}
		for (k = 0; k < nops; k++) {
			/* Under Valgrind barriers copy: no figure. */
			if (ops[k].track &&
			    dk_sim_track_stores(r->c->soc, true)) {
				ops[k].fig[j] = 0;
				continue;
			}
			r->at = 0;
			ops[k].fig[j] = best_of(ops[k].fn, r, ops[k].n);
			if (ops[k].track)
				dk_sim_track_stores(r->c->soc, false);
		}
		if (r->failed)
			return -ENOMEM;
	}
	return 0;
}

static void print_growth(FILE *out, const char *table, const char *what,
			 const double fig[3], const char *base_name,
			 double base)
{
	char name[96];
	int j;

	if (table)
		dk_bench_table(out, table);
	for (j = 0; j < 3; j++) {
		snprintf(name, sizeof(name), "%s, %lu live", what, live_many[j]);
		dk_bench_fig(out, name, fig[j], j ? "1 live" : base_name,
			     j ? fig[0] : base);
	}
}

int bench_coherent_growth(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	struct ring r = { c, calloc(MANY_MAX, sizeof(void *)),
			  calloc(MANY_MAX, sizeof(dma_addr_t)), 0, 0, false };
	unsigned long n = 2000UL * scale / 100 + 1, j;
	/* A barrier copies every buffered page unless it may track the
	 * CPU's stores: few, with 10^4 live. */
	struct grow_op ops[3] = { { op_recycle, n, { 0 }, false },
				  { op_wmb, n / 100 + 1, { 0 }, false },
				  { op_wmb, n / 100 + 1, { 0 }, true } };
	int err = -ENOMEM;

	if (r.obj && r.h)
		err = grow_round(&r, make_coherent, ops, 3);
	if (!err) {
		print_growth(out, "live coherent allocations (oldest freed first)",
			     "dma_alloc_coherent+free 4 KiB", ops[0].fig,
			     "malloc+free 4 KiB", best_of(op_malloc, NULL, n));
		print_growth(out, NULL, "dma_wmb()", ops[1].fig,
			     "bare function call", best_of(op_bare_call, NULL, n));
		if (ops[2].fig[0])
			print_growth(out, NULL, "dma_wmb(), stores tracked",
				     ops[2].fig, "bare function call",
				     best_of(op_bare_call, NULL, n));
	}
	for (j = 0; j < r.live; j++)
		if (r.obj[j])
			dma_free_coherent(c->nc, 4096, r.obj[j], r.h[j]);
	free(r.obj);
	free(r.h);
	return err;
}

int bench_vmalloc_growth(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	struct ring r = { c, calloc(MANY_MAX, sizeof(void *)), NULL, 0, 0,
			  false };
	unsigned long n = 20000UL * scale / 100 + 1, j;
	struct grow_op op = { op_to_page, n, { 0 }, false };
	int err = -ENOMEM;

	if (r.obj)
		err = grow_round(&r, make_vmalloc, &op, 1);
	if (!err) {
		struct ring one = { c, r.obj, NULL, 1, 0, false };

		print_growth(out, "live vmalloc areas", "vmalloc_to_page",
			     op.fig, "bare function call",
			     best_of(op_bare, &one, n));
	}
	for (j = 0; j < r.live; j++)
		vfree(r.obj[j]);
	free(r.obj);
	return err;
}
