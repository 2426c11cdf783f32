// SPDX-License-Identifier: MIT
/*
 * dmakit bench --host BDF: the host platform's figures on a real PCI
 * device through VFIO, as a user runs them on their machine (the
 * vm-check guest runs them against QEMU's edu): map+unmap of 4 KiB
 * through dmakit, checker on and off, against raw MAP_DMA+UNMAP_DMA; the
 * MAP_DMA system call against a mapping-cache hit, for an arena page and
 * a malloc'd one; and, on an edu device, its round trips per second.
 * The raw calls map at low IOVAs VFIO accepts (from 4 MiB up), where
 * iommu-dma, which allocates downwards from the mask, comes last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/gfp.h>
#include <dmakit/host.h>
#include <dmakit/machine.h>
#include <dmakit/slab.h>

#include "../drivers/edu/edu.h"
#include "bench.h"

enum { N = 1000 };

struct host_bench {
	FILE *out;
	const char *addr;
	struct dk_platform pl;
	struct dk_machine *m;
	struct device *dev;
	struct edu *edu;
	u64 raw_iova;		/* where the raw calls map */
};

/* Say what failed, with the library's explanation; @r back. */
static int fail(int r, const char *what)
{
	fprintf(stderr, "dmakit: bench --host: %s: %s\n", what, dk_last_error());
	return r;
}

static double secs(void)
{
	return bench_now_ns() / 1e9;
}

static int hb_open(struct host_bench *b, bool map_cache)
{
	struct dk_host_opts ho = { .map_cache = map_cache };
	struct dk_machine_opts mo = { .iommu_dma = true };
	int r = dk_platform_host(b->addr, &ho, &b->pl);

	if (r)
		return fail(r, b->addr);
	r = dk_machine_boot(&b->pl, &mo, &b->m);
	if (r) {
		fail(r, "boot a machine on it");
		dk_host_close(&b->pl);
		return r;
	}
	b->dev = dk_machine_find_device(b->m, b->addr);
	b->edu = NULL;
	if (b->dev && !driver_register(&edu_driver))
		b->edu = edu_of(b->dev);
	return b->dev ? 0 : fail(-ENODEV, "the machine has no such device");
}

static void hb_close(struct host_bench *b)
{
	if (b->edu)
		driver_unregister(&edu_driver);
	dk_machine_shutdown(b->m);
	dk_host_close(&b->pl);
	b->m = NULL;
}

/* Seconds per map+unmap of 4 KiB at @p through the DMA API; 0 on failure. */
static double map_unmap(struct host_bench *b, u8 *p)
{
	double t0 = secs();
	dma_addr_t d;
	int i;

	for (i = 0; i < N; i++) {
		d = dma_map_single(b->dev, p, DK_PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(b->dev, d))
			return 0;
		dma_unmap_single(b->dev, d, DK_PAGE_SIZE, DMA_BIDIRECTIONAL);
	}
	return (secs() - t0) / N;
}

/* The system calls behind a map (and an unmap) of the backend in use. */
static const char *map_call(struct host_bench *b, bool unmap)
{
	struct dk_host_stats st;
	bool fd = !dk_host_get_stats(&b->pl, &st) && !strcmp(st.backend, "iommufd");

	if (unmap)
		return fd ? "IOAS_MAP+IOAS_UNMAP (iommufd)" : "MAP_DMA+UNMAP_DMA (type1)";
	return fd ? "IOAS_MAP (iommufd)" : "MAP_DMA (type1)";
}

/* The first N pages VFIO accepts from 4 MiB up. */
static int raw_window(struct host_bench *b)
{
	u64 start, end, need = (u64)N * DK_PAGE_SIZE;
	int i;

	for (i = 0; !b->pl.ops->iommu_range(b->pl.ctx, NULL, i, &start, &end);
	     i++) {
		if (start < 0x400000)
			start = 0x400000;
		start = (start + DK_PAGE_SIZE - 1) & ~(u64)(DK_PAGE_SIZE - 1);
		if (end > start && end - start >= need - 1) {
			b->raw_iova = start;
			return 0;
		}
	}
	fprintf(stderr, "dmakit: bench --host: VFIO accepts no %llu KiB of IOVAs from 4 MiB up\n",
		(unsigned long long)need / 1024);
	return -ENOSPC;
}

static int bench_map_unmap(struct host_bench *b)
{
	u8 *p = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	double t_on, t_off, t_raw, t0;
	int i, ok;

	if (!p)
		return -ENOMEM;
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	t_on = map_unmap(b, p);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	t_off = map_unmap(b, p);
	ok = t_on > 0 && t_off > 0;
	t0 = secs();
	for (i = 0; i < N && ok; i++) {
		ok = !dk_host_raw_map(&b->pl, p, b->raw_iova, DK_PAGE_SIZE, 3);
		dk_host_raw_unmap(&b->pl, b->raw_iova, DK_PAGE_SIZE);
	}
	t_raw = (secs() - t0) / N;
	kfree(p);
	if (!ok)
		return -EIO;
	fprintf(b->out, "BENCH map+unmap 4 KiB: dmakit %.1f us with the checker, %.1f us without; raw VFIO %s %.1f us\n",
		t_on * 1e6, t_off * 1e6, map_call(b, true), t_raw * 1e6);
	return 0;
}

static int bench_edu(struct host_bench *b)
{
	u8 *p = kmalloc(64, GFP_KERNEL);
	double t0 = secs();
	dma_addr_t d;
	int i, ok;

	if (!b->edu) {
		fprintf(b->out, "BENCH edu round trips: skipped, %s is not QEMU's edu\n",
			b->addr);
		kfree(p);
		return 0;
	}
	d = dma_map_single(b->dev, p, 64, DMA_BIDIRECTIONAL);
	ok = !dma_mapping_error(b->dev, d);
	for (i = 0; i < 4 && ok; i++)
		ok = !edu_dma(b->edu, d, 0, 64, i & 1, false);
	if (!dma_mapping_error(b->dev, d))
		dma_unmap_single(b->dev, d, 64, DMA_BIDIRECTIONAL);
	kfree(p);
	if (!ok)
		return -EIO;
	fprintf(b->out, "BENCH edu round trips (64 B to the device and back): %.2f/s (edu takes 100 ms of virtual time per DMA)\n",
		2 / (secs() - t0));
	return 0;
}

/* MAP_DMA itself against a mapping-cache hit of the page at @p, through
 * dma_map_single and the platform's lookup alone. */
static int bench_cache(struct host_bench *b, u8 *p, const char *what)
{
	static dma_addr_t d[N];
	double t0, t_sys, t_hit, t_look;
	phys_addr_t pa, base;
	u64 size, iova;
	int i, ok = 1;

	t0 = secs();
	for (i = 0; i < N && ok; i++)
		ok = !dk_host_raw_map(&b->pl, p,
				      b->raw_iova + (u64)i * DK_PAGE_SIZE,
				      DK_PAGE_SIZE, 3);
	t_sys = (secs() - t0) / N;
	for (i = 0; i < N; i++)
		dk_host_raw_unmap(&b->pl, b->raw_iova + (u64)i * DK_PAGE_SIZE,
				  DK_PAGE_SIZE);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	/* Its pages faulted in now, not in the timed loop. */
	memset(d, 0, sizeof(d));
	d[0] = dma_map_single(b->dev, p, DK_PAGE_SIZE, DMA_BIDIRECTIONAL);
	ok = ok && !dma_mapping_error(b->dev, d[0]);
	t0 = secs();
	for (i = 1; i < N && ok; i++) {
		d[i] = dma_map_single(b->dev, p, DK_PAGE_SIZE, DMA_BIDIRECTIONAL);
		ok = !dma_mapping_error(b->dev, d[i]);
	}
	t_hit = (secs() - t0) / (N - 1);
	pa = ok ? dma_to_phys(b->dev, d[0]) : 0;
	for (i = 0; i < N && ok; i++)
		dma_unmap_single(b->dev, d[i], DK_PAGE_SIZE, DMA_BIDIRECTIONAL);
	t0 = secs();
	for (i = 0; i < N && ok; i++)
		ok = !b->pl.ops->iommu_cache_find(b->pl.ctx, NULL, pa, &base,
						  &size, &iova);
	t_look = (secs() - t0) / N;
	if (!ok)
		return -EIO;
	fprintf(b->out, "BENCH %s: %s system call %.2f us, mapping-cache hit through dma_map_single %.3f us (%.0fx), the cache lookup alone %.3f us (%.0fx) [checker off]\n",
		what, map_call(b, false), t_sys * 1e6, t_hit * 1e6, t_sys / t_hit, t_look * 1e6,
		t_sys / t_look);
	return 0;
}

int dk_bench_host(FILE *out, const char *addr)
{
	struct host_bench b = { .out = out, .addr = addr };
	enum dk_dma_debug_mode mode = dk_dma_debug_get_mode();
	u8 *k, *u;
	int r;

	r = hb_open(&b, false);
	if (r)
		return r;
	r = raw_window(&b);
	if (!r)
		r = bench_map_unmap(&b);
	if (!r)
		r = bench_edu(&b);
	dk_dma_debug_set_mode(mode);
	hb_close(&b);
	if (r)
		return r == -ENOSPC ? r : fail(r, "a map or a DMA failed");
	r = hb_open(&b, true);
	if (r)
		return r;
	r = raw_window(&b);
	if (r) {
		hb_close(&b);
		return r;
	}
	k = kmalloc(DK_PAGE_SIZE, GFP_KERNEL);
	u = aligned_alloc(DK_PAGE_SIZE, DK_PAGE_SIZE);
	r = k && u ? bench_cache(&b, k, "arena (kmalloc)") : -ENOMEM;
	if (!r)
		r = bench_cache(&b, u, "malloc'd page (page frames checked)");
	/* The same page vouched for: hits make no system call. */
	if (!r)
		r = dk_host_mem_register(&b.pl, u, DK_PAGE_SIZE);
	if (!r)
		r = bench_cache(&b, u, "registered malloc'd page");
	kfree(k);
	free(u);
	dk_dma_debug_set_mode(mode);
	hb_close(&b);
	return r ? fail(r, "a map failed") : 0;
}
