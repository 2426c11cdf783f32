/* SPDX-License-Identifier: MIT */
#ifndef DMAKIT_TOOLS_BENCH_H
#define DMAKIT_TOOLS_BENCH_H

#include <stdio.h>

#include <dmakit/dma-mapping.h>

/*
 * dk_bench - run the benchmark tables on the built-in SoC, printing to
 * @out (NULL: print nothing). @scale is the iteration count in percent of
 * the default (100). With @json non-NULL, every figure is also written
 * there as JSON. Returns 0 or a negative errno.
 */
int dk_bench(FILE *out, FILE *json, unsigned int scale);
/* dk_bench_host - the host platform's figures on the PCI device at
 * @addr through VFIO (MAP_DMA against cache hits, dmakit against raw
 * VFIO, edu round trips when it is QEMU's edu); 0, or -errno with what
 * failed on stderr. */
int dk_bench_host(FILE *out, const char *addr);

/* ---- shared by the bench's tables */

#define ROUNDS 5

struct dk_soc;
struct dma_pool;

struct bench_ctx {
	struct dk_soc *soc;
	struct device *nc, *coh, *w32;
	u8 *buf, *high, *src;
	struct page *high_page;
	struct dma_pool *pool;
	void *sink;
	u8 *tbuf[2];
};

double bench_now_ns(void);
/* CPU time the calling thread has used, in ns. */
double bench_thread_cpu_ns(void);
void *bench_opaque(void *p);
/* ns per call of @fn(@arg) over @n calls. */
double bench_run(void (*fn)(void *), void *arg, unsigned long n);

/* Start a table titled @title; record a figure beside its baseline. */
void dk_bench_table(FILE *out, const char *title);
void dk_bench_fig(FILE *out, const char *name, double ns,
		  const char *base_name, double base);
int dk_bench_json(FILE *f, unsigned int scale);
void dk_bench_reset(void);

int bench_floor_table(FILE *out, struct bench_ctx *c, unsigned int scale);
int bench_scale_table(FILE *out, struct bench_ctx *c, unsigned int scale);
int bench_swiotlb_growth(FILE *out, struct bench_ctx *c, unsigned int scale);
int bench_coherent_growth(FILE *out, struct bench_ctx *c, unsigned int scale);
int bench_vmalloc_growth(FILE *out, struct bench_ctx *c, unsigned int scale);
/* Two threads on two devices of a second machine; @ratio gets the pair's
 * throughput over one thread's, checker off [0] and on [1], and two
 * processes' over one's [2], [3] (0 if they could not run). The calling
 * thread's current machine is @home again afterwards. */
struct dk_machine;
/* A loop to time in forked processes: setup (may be NULL; nonzero is a
 * failure) runs in each before the clock starts. */
struct bench_proc {
	int (*setup)(void *arg);
	double (*loop)(void *arg);	/* ns per op */
	void *arg;
};

double bench_processes(int nproc, const struct bench_proc *p);
int bench_two_devices(FILE *out, struct dk_machine *home, unsigned int scale,
		      double ratio[4]);

/* dk_bench_iommu - the IOMMU rows (bench_iommu.c), on a machine of their
 * own: call it with no other machine booted. 0 or a negative errno. */
int dk_bench_iommu(FILE *out, unsigned int scale);

#endif
