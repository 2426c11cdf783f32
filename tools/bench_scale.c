// SPDX-License-Identifier: MIT
/*
 * How cost grows as mappings accumulate: map, unmap and a device write
 * with 1, 10^3 and 10^5 live mappings of the same device, checker on and
 * off, swiotlb map+unmap with 1 and 10^3 live bounce mappings, and
 * dma_alloc_coherent+free with 1, 10^3 and 10^4 live allocations. Each
 * figure stands beside the one at the smallest level, which stands beside
 * a plain baseline.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/platform.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

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

/* ---- coherent allocations with others live */

static const unsigned long coh_levels[] = { 1, 1000, 10000 };
#define COH_MAX 10000

/* ns per dma_free_coherent of the oldest of @live 4 KiB allocations and
 * a dma_alloc_coherent in its place, as a driver recycling a ring of
 * buffers does; -1 if memory ran out. */
static double coherent_round(struct bench_ctx *c, void **cpu, dma_addr_t *h,
			     unsigned long live, unsigned long n)
{
	double best = 1e300;
	unsigned long i, at = 0;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (i = 0; i < n; i++) {
			dma_free_coherent(c->nc, 4096, cpu[at], h[at]);
			cpu[at] = dma_alloc_coherent(c->nc, 4096, &h[at],
						     GFP_KERNEL);
			if (!cpu[at])
				return -1;
			at = at + 1 < live ? at + 1 : 0;
		}
		t0 = (bench_now_ns() - t0) / n;
		best = t0 < best ? t0 : best;
	}
	return best;
}

static double malloc_round(unsigned long n)
{
	double best = 1e300;
	unsigned long i;
	int k;

	for (k = 0; k < ROUNDS; k++) {
		double t0 = bench_now_ns();

		for (i = 0; i < n; i++)
			free(bench_opaque(malloc(4096)));
		t0 = (bench_now_ns() - t0) / n;
		best = t0 < best ? t0 : best;
	}
	return best;
}

int bench_coherent_growth(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	unsigned long n = 2000UL * scale / 100 + 1, live = 0, j;
	void **cpu = calloc(COH_MAX, sizeof(*cpu));
	dma_addr_t *h = calloc(COH_MAX, sizeof(*h));
	double fig[3] = { 0 };
	int r = 0;

	if (!cpu || !h) {
		r = -ENOMEM;
		goto out;
	}
	for (j = 0; j < 3; j++) {
		for (; live < coh_levels[j]; live++) {
			cpu[live] = dma_alloc_coherent(c->nc, 4096, &h[live],
						       GFP_KERNEL);
			if (!cpu[live]) {
				r = -ENOMEM;
				goto out;
			}
		}
		fig[j] = coherent_round(c, cpu, h, live, n);
		if (fig[j] < 0) {
			r = -ENOMEM;
			goto out;
		}
	}
	dk_bench_table(out, "live coherent allocations (oldest freed first)");
	dk_bench_fig(out, "dma_alloc_coherent+free 4 KiB, 1 live", fig[0],
		     "malloc+free 4 KiB", malloc_round(n));
	dk_bench_fig(out, "dma_alloc_coherent+free 4 KiB, 1000 live", fig[1],
		     "1 live", fig[0]);
	dk_bench_fig(out, "dma_alloc_coherent+free 4 KiB, 10000 live", fig[2],
		     "1 live", fig[0]);
out:
	for (j = 0; j < live; j++)
		if (cpu[j])
			dma_free_coherent(c->nc, 4096, cpu[j], h[j]);
	free(cpu);
	free(h);
	return r;
}
