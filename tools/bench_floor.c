// SPDX-License-Identifier: MIT
/*
 * The cache model's floor: what a non-coherent map+unmap cannot cost less
 * than, measured in the same run. A clean compares the CPU view with the
 * last-filled copy over the whole range; an invalidate copies DRAM into
 * the CPU view and into the last-filled copy. So TO_DEVICE (clean only)
 * stands beside one whole-range compare, FROM_DEVICE and BIDIRECTIONAL
 * (clean at map, invalidate at unmap) beside a compare and two copies.
 * Each primitive runs on three host buffers laid out as the model's three
 * views, so the memory traffic is the same. swiotlb and coherent
 * allocations stand beside the model work they cannot avoid too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/slab.h>

#include "bench.h"

#define FLOOR_MAX (1UL << 20)

static const size_t sizes[] = { 64, 4096, 65536, 1UL << 20 };
static const enum dma_data_direction dirs[] = {
	DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL
};
static const char *const dir_names[] = { "TO_DEVICE", "FROM_DEVICE", "BIDI" };

struct floor {
	u8 *cpu, *last, *mem, *src;	/* host buffers: the model's views */
	u8 *buf;			/* a kmalloc buffer for the mappings */
	struct device *dev, *w32;
	struct page *high;
	size_t n;
	enum dma_data_direction dir;
	volatile int sink;
};

static void f_memcpy(void *arg)
{
	struct floor *f = arg;
	memcpy(f->cpu, f->mem, f->n);
	bench_opaque(f->cpu);
}

static void f_compare(void *arg)
{
	struct floor *f = arg;
	f->sink = memcmp(bench_opaque(f->cpu), f->last, f->n);
}

static void f_copies(void *arg)
{
	struct floor *f = arg;
	memcpy(f->cpu, f->mem, f->n);
	memcpy(f->last, f->mem, f->n);
	bench_opaque(f->last);
}

static void f_floor_from(void *arg)
{
	struct floor *f = arg;
	f_compare(f);
	f_copies(f);
}

/* swiotlb BIDI: the store into the slot reaches all three views, the
 * clean compares, the invalidate copies twice, the unmap copies out. */
static void f_floor_swiotlb(void *arg)
{
	struct floor *f = arg;
	memcpy(f->cpu, f->src, f->n);
	memcpy(f->mem, f->cpu, f->n);
	memcpy(f->last, f->cpu, f->n);
	f_compare(f);
	f_copies(f);
	memcpy(f->src, f->cpu, f->n);
	bench_opaque(f->src);
}

/* dma_alloc_coherent zeroes all three views; its free drops the
 * cacheable view's lines (a compare and two copies). */
static void f_floor_coherent(void *arg)
{
	struct floor *f = arg;

	memset(f->cpu, 0, f->n);
	memset(f->mem, 0, f->n);
	memset(f->last, 0, f->n);
	f_compare(f);
	f_copies(f);
}

static void f_alloc_coherent(void *arg)
{
	struct floor *f = arg;
	dma_addr_t h;
	void *p = dma_alloc_coherent(f->dev, f->n, &h, GFP_KERNEL);

	if (p)
		dma_free_coherent(f->dev, f->n, p, h);
}

static void f_map(void *arg)
{
	struct floor *f = arg;
	dma_addr_t h;

	f->buf[0]++;	/* a dirty line, as a driver filling a buffer has */
	h = dma_map_single(f->dev, f->buf, f->n, f->dir);
	if (!dma_mapping_error(f->dev, h))
		dma_unmap_single(f->dev, h, f->n, f->dir);
}

static void f_swiotlb(void *arg)
{
	struct floor *f = arg;
	dma_addr_t h = dma_map_page(f->w32, f->high, 0, f->n, f->dir);

	if (!dma_mapping_error(f->w32, h))
		dma_unmap_page(f->w32, h, f->n, f->dir);
}

/* Once a process has a second thread, the simulated SoC takes its lock
 * (a default pthread mutex) once per cache-maintenance call: a part of
 * the fixed cost no front end can cut, measured here beside a bare call
 * (the bench itself runs this table on one thread). */
static pthread_mutex_t f_mutex = PTHREAD_MUTEX_INITIALIZER;

static void f_lock(void *arg)
{
	pthread_mutex_lock(&f_mutex);
	bench_opaque(arg);
	pthread_mutex_unlock(&f_mutex);
}

static void f_call(void *arg)
{
	bench_opaque(arg);
}

/* Best of ROUNDS for @op and @base, interleaved. */
static void pair(struct floor *f, void (*op)(void *), void (*base)(void *), unsigned long iters,
		 double *o, double *b)
{
	int k;

	*o = *b = 1e300;
	for (k = 0; k < ROUNDS; k++) {
		double x = bench_run(op, f, iters), y = bench_run(base, f, iters);

		*o = x < *o ? x : *o;
		*b = y < *b ? y : *b;
	}
}

static void size_name(char *s, size_t len, size_t n)
{
	if (n >= 1UL << 20)
		snprintf(s, len, "%zu MiB", n >> 20);
	else if (n >= 1024)
		snprintf(s, len, "%zu KiB", n >> 10);
	else
		snprintf(s, len, "%zu B", n);
}

static void one_size(FILE *out, struct floor *f, unsigned long iters,
		     double fixed[2])
{
	char sz[24], name[64], base[32];
	double o, b, cmp, from;
	size_t d;

	size_name(sz, sizeof(sz), f->n);
	pair(f, f_compare, f_memcpy, iters, &cmp, &b);
	snprintf(name, sizeof(name), "compare %s (clean's floor)", sz);
	snprintf(base, sizeof(base), "memcpy %s", sz);
	dk_bench_fig(out, name, cmp, base, b);
	pair(f, f_copies, f_memcpy, iters, &o, &b);
	snprintf(name, sizeof(name), "2 copies %s (invalidate's floor)", sz);
	dk_bench_fig(out, name, o, base, b);
	for (d = 0; d < 3; d++) {
		f->dir = dirs[d];
		if (dirs[d] == DMA_TO_DEVICE) {
			pair(f, f_map, f_compare, iters, &o, &cmp);
			from = cmp;
		} else {
			pair(f, f_map, f_floor_from, iters, &o, &from);
		}
		snprintf(name, sizeof(name), "map+unmap %s %s", sz,
			 dir_names[d]);
		dk_bench_fig(out, name, o,
			     dirs[d] == DMA_TO_DEVICE ? "floor: compare" :
							"floor: compare+2 copies",
			     from);
		if (f->n == sizes[0] && dirs[d] != DMA_FROM_DEVICE)
			fixed[dirs[d] == DMA_TO_DEVICE] = o - from;
	}
}

int bench_floor_table(FILE *out, struct bench_ctx *c, unsigned int scale)
{
	struct floor f = { 0 };
	double fixed[2] = { 0, 0 }, o, b;
	size_t i;
	int r = 0;

	f.cpu = malloc(FLOOR_MAX);
	f.last = malloc(FLOOR_MAX);
	f.mem = malloc(FLOOR_MAX);
	f.src = malloc(FLOOR_MAX);
	f.buf = kmalloc(FLOOR_MAX, GFP_KERNEL);
	f.dev = c->nc;
	f.w32 = c->w32;
	f.high = c->high_page;
	if (!f.cpu || !f.last || !f.mem || !f.src || !f.buf) {
		r = -ENOMEM;
		goto out;
	}
	memset(f.cpu, 0x5a, FLOOR_MAX);
	memset(f.last, 0x5a, FLOOR_MAX);
	memset(f.mem, 0x5a, FLOOR_MAX);
	memset(f.src, 0x5a, FLOOR_MAX);
	dk_bench_table(out, "non-coherent map+unmap vs the model's floor");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned long iters = (32UL << 20) / sizes[i];

		iters = iters > 20000 ? 20000 : iters < 8 ? 8 : iters;
		f.n = sizes[i];
		one_size(out, &f, iters * scale / 100 + 1, fixed);
	}
	f.n = 4096;
	f.dir = DMA_BIDIRECTIONAL;
	pair(&f, f_swiotlb, f_floor_swiotlb, 2000UL * scale / 100 + 1, &o, &b);
	dk_bench_fig(out, "map+unmap 4 KiB BIDI through swiotlb", o,
		     "floor: swiotlb copies", b);
	pair(&f, f_alloc_coherent, f_floor_coherent, 2000UL * scale / 100 + 1,
	     &o, &b);
	dk_bench_fig(out, "dma_alloc_coherent+free 4 KiB", o,
		     "floor: 3 fills+cmp+2 copies", b);
	pair(&f, f_lock, f_call, 200000UL * scale / 100 + 1, &o, &b);
	if (out)
		fprintf(out, "fixed cost per map+unmap (64 B figure minus its floor): %.1f ns BIDI, %.1f ns TO_DEVICE; a mutex lock+unlock, the SoC's lock taken once per clean or invalidate (TO_DEVICE 1, BIDI 2) once the process has a second thread, adds %.1f ns each\n",
			fixed[0], fixed[1], o - b);
out:
	free(f.cpu);
	free(f.last);
	free(f.mem);
	free(f.src);
	kfree(f.buf);
	return r;
}
