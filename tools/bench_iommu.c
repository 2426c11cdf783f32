// SPDX-License-Identifier: MIT
/*
 * dmakit bench, the IOMMU rows: the IOVA allocator with its magazines
 * against the tree alone, and a 4 KiB map+unmap through iommu-dma against
 * the direct path on the same SoC, each pair measured in the same run.
 * The built-in SoC has no IOMMU, so these rows run on a copy of its tree
 * with an SMMU and one more master behind it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <libfdt.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/iommu-dma.h>
#include <dmakit/machine.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

#include "../src/iommu/iova.h"
#include "bench.h"

#define BEST_OF 5
#define LIVE 10000		/* ranges the tree holds while measured */

struct iommu_ctx {
	struct dk_iova_space *s;
	struct device *direct, *mapped;
	u8 *buf[2];
	unsigned long n;
	struct dk_simdev *sdev;		/* the mapped master's hardware */
	dma_addr_t iova;		/* a live mapping of it */
	bool lazy;			/* the mapped master's domain */
};

typedef void (*op_fn)(struct iommu_ctx *c, int t);

static double ns_per_op(op_fn fn, struct iommu_ctx *c, int t)
{
	struct timespec a, b;
	unsigned long i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < c->n; i++)
		fn(c, t);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / c->n;
}

static void iova_fast(struct iommu_ctx *c, int t)
{
	u64 pfn;

	(void)t;
	if (dk_iova_alloc_fast(c->s, 1, ~0ULL, &pfn))
		dk_iova_free_fast(c->s, pfn, 1);
}

static void iova_tree(struct iommu_ctx *c, int t)
{
	u64 pfn;

	(void)t;
	if (dk_iova_alloc(c->s, 1, ~0ULL, true, &pfn))
		dk_iova_free(c->s, pfn, 1);
}

static void map_on(struct device *dev, u8 *buf)
{
	dma_addr_t h = dma_map_single(dev, buf, 4096, DMA_TO_DEVICE);

	if (!dma_mapping_error(dev, h))
		dma_unmap_single(dev, h, 4096, DMA_TO_DEVICE);
}

static void map_direct(struct iommu_ctx *c, int t)
{
	map_on(c->direct, c->buf[t]);
}

static void map_iommu(struct iommu_ctx *c, int t)
{
	map_on(c->mapped, c->buf[t]);
}

/*
 * A device read through the IOMMU after an invalidation of its page (a
 * full table walk) or of another page (an IOTLB hit): both pay the same
 * invalidation, so the ratio is the walk's.
 */
static void dev_read(struct iommu_ctx *c, u64 inval)
{
	u8 b[64];

	dk_sim_iommu_tlb_inval(c->sdev, inval, 4096);
	dk_dev_dma_read(c->sdev, c->iova, b, sizeof(b));
}

static void dev_walk(struct iommu_ctx *c, int t)
{
	(void)t;
	dev_read(c, c->iova & ~0xfffULL);
}

static void dev_hit(struct iommu_ctx *c, int t)
{
	(void)t;
	dev_read(c, (c->iova & ~0xfffULL) ^ 0x100000);
}

/* Best of the rounds for both, interleaved: their ratio is the figure. */
static void pair(FILE *out, struct iommu_ctx *c, const char *name,
		 op_fn op, const char *base_name, op_fn base)
{
	double o = 1e300, b = 1e300, x;
	int k;

	for (k = 0; k < BEST_OF; k++) {
		x = ns_per_op(op, c, 0);
		o = x < o ? x : o;
		x = ns_per_op(base, c, 0);
		b = x < b ? x : b;
	}
	dk_bench_fig(out, name, o, base_name, b);
}

struct two {
	struct iommu_ctx *c;
	atomic_int ready, go;
	double cpu;	/* the second thread's CPU time per op */
};

static void *map_thread(void *p)
{
	struct two *w = p;
	unsigned long i;

	/* Spinning, not asleep in a barrier: a thread woken from one is put
	 * on its waker's core, and the pair then took turns on it for the
	 * whole round (1.1x one run in two, idle). */
	atomic_store(&w->ready, 1);
	while (!atomic_load(&w->go))
		;
	w->cpu = bench_thread_cpu_ns();
	for (i = 0; i < w->c->n; i++)
		map_iommu(w->c, 1);
	w->cpu = (bench_thread_cpu_ns() - w->cpu) / w->c->n;
	return NULL;
}

static double elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e9 + (b->tv_nsec - a->tv_nsec);
}

/* The built-in tree with an SMMU and a master behind it. */
static void *tree_with_smmu(size_t *len)
{
	size_t dlen;
	const void *dflt = dk_soc_default_dtb(&dlen);
	int size = dlen + 1024, soc, smmu, dev;
	uint32_t ph;
	fdt32_t cells[2];
	void *fdt = malloc(size);

	if (!fdt || fdt_open_into(dflt, fdt, size) ||
	    (soc = fdt_path_offset(fdt, "/soc")) < 0 ||
	    fdt_generate_phandle(fdt, &ph) ||
	    (smmu = fdt_add_subnode(fdt, soc, "iommu@fd800000")) < 0 ||
	    fdt_setprop_string(fdt, smmu, "compatible", "dmakit,iommu") ||
	    fdt_setprop_u32(fdt, smmu, "#iommu-cells", 1) ||
	    fdt_setprop_u32(fdt, smmu, "phandle", ph) ||
	    (dev = fdt_add_subnode(fdt, soc, "mapped-master")) < 0 ||
	    fdt_setprop_string(fdt, dev, "compatible",
			       "dmakit,generic-master")) {
		free(fdt);
		return NULL;
	}
	cells[0] = cpu_to_fdt32(ph);
	cells[1] = cpu_to_fdt32(0x10);
	if (fdt_setprop(fdt, dev, "iommus", cells, sizeof(cells))) {
		free(fdt);
		return NULL;
	}
	*len = size;
	return fdt;
}

static int iova_rows(FILE *out, struct iommu_ctx *c, unsigned int scale)
{
	static u64 live[LIVE];
	int i;

	c->s = dk_iova_space_new(256, (1ULL << 36) - 1);
	if (!c->s)
		return -ENOMEM;
	/* A populated tree: what a busy device's space looks like. */
	for (i = 0; i < LIVE; i++)
		if (!dk_iova_alloc(c->s, 1 + i % 16, ~0ULL, true, &live[i])) {
			dk_iova_space_free(c->s);
			return -ENOMEM;
		}
	c->n = 200000UL * scale / 100 + 1;
	dk_bench_table(out, "IOMMU (iommu-dma, checker off)");
	/* The ratio says how much the magazines save (goal: 5x or more). */
	pair(out, c, "IOVA alloc+free 1 page, tree alone", iova_tree,
	     "magazines", iova_fast);
	dk_iova_space_free(c->s);
	return 0;
}

static const unsigned long live_levels[] = { 1, 1000, 100000 };
#define NLEVELS (sizeof(live_levels) / sizeof(live_levels[0]))

/*
 * Growth: map+unmap 4 KiB through the IOMMU (strict) with 1, 10^3 and
 * 10^5 live mappings of the same device, each level beside the first.
 */
static int growth_rows(FILE *out, struct iommu_ctx *c)
{
	unsigned long nmax = live_levels[NLEVELS - 1], live = 0;
	dma_addr_t *h = calloc(nmax, sizeof(*h));
	double fig[NLEVELS], direct = 1e300, x;
	size_t j;
	int k, r = 0;

	if (!h)
		return -ENOMEM;
	for (j = 0; j < NLEVELS && !r; j++) {
		for (; live < live_levels[j]; live++) {
			h[live] = dma_map_single(c->mapped, c->buf[1], 4096,
						 DMA_TO_DEVICE);
			if (dma_mapping_error(c->mapped, h[live])) {
				r = -ENOMEM;
				break;
			}
		}
		fig[j] = 1e300;
		for (k = 0; k < BEST_OF; k++) {
			x = ns_per_op(map_iommu, c, 0);
			fig[j] = x < fig[j] ? x : fig[j];
			if (!j) {
				x = ns_per_op(map_direct, c, 0);
				direct = x < direct ? x : direct;
			}
		}
	}
	while (live)
		dma_unmap_single(c->mapped, h[--live], 4096, DMA_TO_DEVICE);
	free(h);
	if (r)
		return r;
	for (j = 0; j < NLEVELS; j++) {
		char name[64];

		snprintf(name, sizeof(name),
			 "map+unmap 4 KiB via IOMMU, %lu live", live_levels[j]);
		dk_bench_fig(out, name, fig[j], j ? "1 live" : "direct path",
			     j ? fig[0] : direct);
	}
	if (out)
		fprintf(out, "IOMMU growth from %lu to %lu live mappings: %.1fx (goal: at most 1.5x)\n",
			live_levels[0], nmax, fig[NLEVELS - 1] / fig[0]);
	return 0;
}

/*
 * A machine of the SMMU tree with its direct and its mapped master, and
 * a buffer for each of two threads.
 */
static int boot(struct iommu_ctx *c, struct dk_soc **soc,
		struct dk_machine **m)
{
	struct dk_machine_opts mo = { 0 };
	struct dk_platform pl;
	size_t len;
	void *dtb = tree_with_smmu(&len);
	int r = dtb ? 0 : -ENOMEM;

	*soc = NULL;
	*m = NULL;
	if (!r)
		r = dk_soc_load_blob(dtb, len, NULL, soc);
	if (!r)
		r = dk_platform_sim(*soc, &pl);
	if (!r)
		r = dk_machine_boot(&pl, &mo, m);
	free(dtb);
	if (r) {
		dk_soc_free(*soc);
		*soc = NULL;
		return r;
	}
	c->direct = dk_machine_find_device(*m, "master@10010000");
	c->mapped = dk_machine_find_device(*m, "mapped-master");
	c->buf[0] = kmalloc(4096, GFP_KERNEL);
	c->buf[1] = kmalloc(4096, GFP_KERNEL);
	if (!c->direct || !c->mapped || !c->buf[0] || !c->buf[1])
		return -ENODEV;
	return c->lazy ? dk_iommu_dma_set_strict(c->mapped, false) : 0;
}

/*
 * A forked process of the baseline boots a machine of its own: the one
 * it inherits keeps its RAM in shared mappings, and two processes
 * mapping through it would write one page table. It exits without
 * taking it down.
 */
static int own_machine(void *p)
{
	struct dk_soc *soc;
	struct dk_machine *m;
	int r = boot(p, &soc, &m);

	if (!r)
		dk_machine_set_current(m);
	return r;
}

static double iommu_loop(void *p)
{
	return ns_per_op(map_iommu, p, 0);
}

/*
 * Throughput of two threads mapping at once, against one alone: the
 * pair's time runs from their common start to the last one's end, so
 * threads that take turns on a busy machine count as one.
 */
static void two_threads(FILE *out, struct iommu_ctx *c, const char *name)
{
	double one = 1e300, both = 1e300, x, cpu1 = 1e300, cpu2 = 1e300, c0;
	double p1 = 1e300, p2 = 1e300;
	struct bench_proc proc = { own_machine, iommu_loop, c };
	struct two w = { .c = c };
	struct timespec a, b;
	unsigned long i;
	pthread_t th;
	int k;

	for (k = 0; k < BEST_OF; k++) {
		c0 = bench_thread_cpu_ns();
		x = ns_per_op(map_iommu, c, 0);
		one = x < one ? x : one;
		c0 = (bench_thread_cpu_ns() - c0) / c->n;
		cpu1 = c0 < cpu1 ? c0 : cpu1;
		atomic_store(&w.ready, 0);
		atomic_store(&w.go, 0);
		if (pthread_create(&th, NULL, map_thread, &w))
			break;
		while (!atomic_load(&w.ready))
			;
		atomic_store(&w.go, 1);
		clock_gettime(CLOCK_MONOTONIC, &a);
		c0 = bench_thread_cpu_ns();
		for (i = 0; i < c->n; i++)
			map_iommu(c, 0);
		c0 = (bench_thread_cpu_ns() - c0) / c->n;
		pthread_join(th, NULL);
		clock_gettime(CLOCK_MONOTONIC, &b);
		/* The slower thread's: what they cost each other. */
		c0 = c0 > w.cpu ? c0 : w.cpu;
		cpu2 = c0 < cpu2 ? c0 : cpu2;
		/* Ops per ns of the pair, as ns per op. */
		x = elapsed_ns(&a, &b) / (2 * c->n);
		both = x < both ? x : both;
	}
	for (k = 0; k < BEST_OF; k++) {
		x = bench_processes(1, &proc);
		p1 = x && x < p1 ? x : p1;
		x = bench_processes(2, &proc);
		p2 = x && x < p2 ? x : p2;
	}
	if (both == 1e300)
		return;
	/* ns per op of the pair over one thread's: 0.5x is 2x the work. */
	dk_bench_fig(out, name, both, "1 thread", one);
	if (p2 < 1e300)
		dk_bench_fig(out, "  2 processes, nothing shared", p2,
			     "1 process", p1);
	if (!out)
		return;
	/* Wall time needs two idle cores; CPU time does not. */
	fprintf(out, "  CPU time per op of a thread, one -> two threads: %.1f -> %.1f ns (what the threads cost each other)\n",
		cpu1, cpu2);
	/* The speed-up of two threads (goal: 1.7x), and the cores'. */
	if (p2 < 1e300)
		fprintf(out, "  throughput over one: 2 threads %.2fx (goal: at least 1.7x), 2 processes that share nothing %.2fx (what the cores give)\n",
			one / both, p1 / p2);
}

static int map_rows(FILE *out, struct iommu_ctx *c, unsigned int scale)
{
	struct dk_soc *soc;
	struct dk_machine *m;
	int r = boot(c, &soc, &m);

	if (!soc)
		return r;
	if (!r) {
		c->n = 20000UL * scale / 100 + 1;
		/* Goal: at most 2x, strict and lazy. */
		pair(out, c, "map+unmap 4 KiB through the IOMMU", map_iommu,
		     "direct path", map_direct);
		two_threads(out, c, "  same, 2 threads (ns per op of both)");
		r = growth_rows(out, c);
		c->sdev = dk_soc_find_dev(soc, "mapped-master");
		c->iova = dma_map_single(c->mapped, c->buf[0], 4096,
					 DMA_TO_DEVICE);
		if (c->sdev && !dma_mapping_error(c->mapped, c->iova)) {
			pair(out, c, "dev read 64 B via IOMMU, table walk",
			     dev_walk, "IOTLB hit", dev_hit);
			dma_unmap_single(c->mapped, c->iova, 4096,
					 DMA_TO_DEVICE);
		}
		c->lazy = true;
		dk_iommu_dma_set_strict(c->mapped, false);
		pair(out, c, "map+unmap 4 KiB through the IOMMU, lazy",
		     map_iommu, "direct path", map_direct);
		two_threads(out, c, "  same, 2 threads (ns per op of both)");
	}
	kfree(c->buf[0]);
	kfree(c->buf[1]);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	return r;
}

int dk_bench_iommu(FILE *out, unsigned int scale)
{
	struct iommu_ctx c = { 0 };
	enum dk_dma_debug_mode mode = dk_dma_debug_get_mode();
	int r;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	r = iova_rows(out, &c, scale);
	if (!r)
		r = map_rows(out, &c, scale);
	dk_dma_debug_set_mode(mode);
	if (r)
		fprintf(stderr, "dmakit bench: IOMMU rows: %s\n",
			dk_last_error());
	return r;
}
