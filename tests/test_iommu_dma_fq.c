// SPDX-License-Identifier: MIT
/* iommu-dma's strict and lazy invalidation (the flush queue). */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/iommu-dma.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	dev { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; }; };\n"
	"};\n";

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sd;
	u8 *buf;
	FILE *sink;
};

static struct rig rig(bool lazy)
{
	struct dk_machine_opts mo = { .iommu_dma = true, .iommu_lazy = lazy };
	struct rig r = { .t = testmachine_boot(tree, NULL, &mo) };

	r.dev = dk_machine_find_device(r.t.m, "dev");
	r.sd = dk_soc_find_dev(r.t.soc, "dev");
	r.buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	r.sink = testdebug_start();
	return r;
}

static void done(struct rig *r)
{
	testdebug_end(r->sink);
	kfree(r->buf);
	testmachine_shutdown(&r->t);
}

/* Map, the device writes @v, unmap: the CPU has exactly those bytes. */
static dma_addr_t written(struct rig *r, int v)
{
	struct dk_iommu_dma_stats st;
	bool stale;
	u8 in[PAGE_SIZE];
	dma_addr_t h = dma_map_single(r->dev, r->buf, PAGE_SIZE,
				      DMA_FROM_DEVICE);

	CHECK(!dma_mapping_error(r->dev, h));
	memset(in, v, sizeof(in));
	CHECK_EQ(dk_dev_dma_write(r->sd, h, in, sizeof(in)), 0);
	dma_unmap_single(r->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	CHECK(bytes_are(r->buf, v, PAGE_SIZE));
	/* Strict: the page is gone for the device once unmapped. Lazy: its
	 * IOTLB still holds the translation until the queue is flushed
	 * (the same bytes again, so the buffer stays as it is). */
	CHECK_EQ(dk_iommu_dma_stats(r->dev, &st), 0);
	stale = !dk_iommu_dma_is_strict(r->dev) && st.queued;
	CHECK_EQ(dk_dev_dma_write(r->sd, h, in, 8), stale ? 0 : -EFAULT);
	return h;
}

static void nothing(struct dk_soc *soc, void *arg)
{
	(void)soc;
	(void)arg;
}

TEST(iommu_dma_strict_reuses_an_iova_at_once)
{
	struct rig r = rig(false);
	struct dk_iommu_dma_stats st;
	dma_addr_t a;

	CHECK(dk_iommu_dma_is_strict(r.dev));
	a = written(&r, 0x41);
	CHECK_EQ(written(&r, 0x42), a);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 0);
	CHECK_EQ(st.flushes, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	done(&r);
}

TEST(iommu_dma_lazy_reuses_an_iova_only_after_the_flush)
{
	struct rig r = rig(true);
	struct dk_iommu_dma_stats st;
	dma_addr_t a, b;
	int i;

	CHECK(!dk_iommu_dma_is_strict(r.dev));
	a = written(&r, 0x51);
	b = written(&r, 0x52);
	CHECK(a != b);			/* a waits in the queue */
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 2);
	/* Past the timeout on the simulated clock, the next map flushes. */
	CHECK_EQ(dk_soc_schedule(r.t.soc, DK_IOMMU_FQ_TIMEOUT, nothing, NULL),
		 0);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(written(&r, 0x53), b);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.timeout_flushes, 1);
	/* Flushed: the stale translation of a is gone. */
	CHECK_EQ(dk_dev_dma_write(r.sd, a, "x", 1), -EFAULT);
	CHECK_EQ(st.queued, 1);
	/* A full queue flushes itself, without any time passing. */
	for (i = 0; i < DK_IOMMU_FQ_SIZE; i++)
		written(&r, i);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.full_flushes, 1);
	CHECK_EQ(st.queued, 1);
	CHECK_EQ(st.flushes, 2);
	/* Strict again: the queue is emptied, and reuse is immediate. */
	CHECK_EQ(dk_iommu_dma_set_strict(r.dev, true), 0);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 0);
	a = written(&r, 0x54);
	CHECK_EQ(written(&r, 0x55), a);
	/* Each write through a stale entry, and only those, was seen by
	 * the checker's device-side view: 2 + 1 + 255 of them. */
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_UNMAPPED_ACCESS), 258);
	CHECK_EQ(dk_dma_debug_nfindings(), 258);
	done(&r);
}

/* Let @cycles pass as a driver's wait does (udelay, a completion). */
static void cpu_wait(struct rig *r, u64 cycles)
{
	r->t.pl.ops->cpu_wait(r->t.pl.ctx, cycles, NULL, NULL);
}

TEST(iommu_dma_lazy_timer_flushes_at_the_deadline_while_the_driver_waits)
{
	struct rig r = rig(true);
	struct dk_iommu_dma_stats st;
	u64 t0;
	dma_addr_t h = dma_map_single(r.dev, r.buf, PAGE_SIZE,
				      DMA_FROM_DEVICE);

	CHECK(!dma_mapping_error(r.dev, h));
	/* The device's access fills its IOTLB. */
	CHECK_EQ(dk_dev_dma_write(r.sd, h, "a", 1), 0);
	dma_unmap_single(r.dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	t0 = r.t.pl.ops->clock(r.t.pl.ctx);
	/* No map or unmap follows: the driver just waits. One cycle before
	 * the deadline the stale IOTLB entry still works... */
	cpu_wait(&r, DK_IOMMU_FQ_TIMEOUT - 1);
	CHECK_EQ(r.t.pl.ops->clock(r.t.pl.ctx), t0 + DK_IOMMU_FQ_TIMEOUT - 1);
	CHECK_EQ(dk_dev_dma_write(r.sd, h, "x", 1), 0);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 1);
	CHECK_EQ(st.timeout_flushes, 0);
	/* ...and at the deadline the timer has flushed it: a fault. */
	cpu_wait(&r, 1);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 0);
	CHECK_EQ(st.timeout_flushes, 1);
	CHECK_EQ(st.flushes, 1);
	CHECK_EQ(dk_dev_dma_write(r.sd, h, "y", 1), -EFAULT);
	CHECK_EQ(dk_soc_fault(r.t.soc, 0)->reason, DK_FAULT_IOMMU_UNMAPPED);
	/* A second unmap arms the timer again, from its own time. */
	h = dma_map_single(r.dev, r.buf, PAGE_SIZE, DMA_FROM_DEVICE);
	CHECK_EQ(dk_dev_dma_write(r.sd, h, "b", 1), 0);
	dma_unmap_single(r.dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	cpu_wait(&r, DK_IOMMU_FQ_TIMEOUT - 1);
	CHECK_EQ(dk_dev_dma_write(r.sd, h, "z", 1), 0);
	cpu_wait(&r, 1);
	CHECK_EQ(dk_dev_dma_write(r.sd, h, "w", 1), -EFAULT);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.timeout_flushes, 2);
	/* Only the two writes through stale entries were DMA to memory no
	 * mapping covered. */
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_UNMAPPED_ACCESS), 2);
	done(&r);
}

/*
 * A platform with a clock and no timers: while no timer is armed the
 * maps and unmaps look at the clock themselves, so the first map past
 * the deadline flushes the queue.
 */
static struct dk_platform_ops no_timers;

TEST(iommu_dma_lazy_without_timers_the_next_map_past_the_deadline_flushes)
{
	struct dk_machine_opts mo = { .iommu_dma = true, .iommu_lazy = true };
	struct testmachine t = testmachine_boot(tree, NULL, &mo);
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, "dev");
	struct dk_iommu_dma_stats st;
	struct dk_machine *m = NULL;
	struct device *dev;
	dma_addr_t a, b, h;
	u8 *buf, got[4];
	FILE *sink;

	dk_machine_shutdown(t.m);
	no_timers = *t.pl.ops;
	no_timers.timer_add = NULL;
	t.pl.ops = &no_timers;
	CHECK_EQ(dk_machine_boot(&t.pl, &mo, &m), 0);
	t.m = m;
	dev = dk_machine_find_device(m, "dev");
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	sink = testdebug_start();
	a = dma_map_single(dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, a));
	CHECK_EQ(dk_dev_dma_read(sd, a, got, 4), 0);
	dma_unmap_single(dev, a, PAGE_SIZE, DMA_TO_DEVICE);
	b = dma_map_single(dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, b));
	CHECK(b != a);			/* a waits in the queue */
	dma_unmap_single(dev, b, PAGE_SIZE, DMA_TO_DEVICE);
	no_timers.cpu_wait(t.pl.ctx, DK_IOMMU_FQ_TIMEOUT, NULL, NULL);
	CHECK_EQ(dk_iommu_dma_stats(dev, &st), 0);
	CHECK_EQ(st.queued, 2);
	CHECK_EQ(st.timeout_flushes, 0);
	CHECK_EQ(dk_dev_dma_read(sd, a, got, 4), 0);	/* still stale */
	h = dma_map_single(dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK_EQ(h, b);
	CHECK_EQ(dk_iommu_dma_stats(dev, &st), 0);
	CHECK_EQ(st.queued, 0);
	CHECK_EQ(st.timeout_flushes, 1);
	CHECK_EQ(dk_dev_dma_read(sd, a, got, 4), -EFAULT);
	dma_unmap_single(dev, h, PAGE_SIZE, DMA_TO_DEVICE);
	/* The one read through the stale entry. */
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_UNMAPPED_ACCESS), 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);
	testdebug_end(sink);
	kfree(buf);
	testmachine_shutdown(&t);
}

TEST(iommu_dma_lazy_exhaustion_flushes_the_queue_first)
{
	struct rig r = rig(true);
	dma_addr_t h;
	int i, bad = 0;

	/* 256 IOVA pages above the first MiB: the queue alone could hold
	 * them all, so running out must flush it rather than fail. */
	CHECK_EQ(dma_set_mask(r.dev, DMA_BIT_MASK(21)), 0);
	for (i = 0; i < 600; i++) {
		h = dma_map_single(r.dev, r.buf, PAGE_SIZE, DMA_TO_DEVICE);
		bad += dma_mapping_error(r.dev, h) != 0;
		if (!dma_mapping_error(r.dev, h))
			dma_unmap_single(r.dev, h, PAGE_SIZE, DMA_TO_DEVICE);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(dk_iommu_dma_set_strict(NULL, true), -EINVAL);
	done(&r);
}

TEST(iommu_dma_strictness_of_a_device_without_iommu_dma)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct dk_iommu_dma_stats st;

	CHECK_EQ(dk_iommu_dma_set_strict(dev, false), -ENODEV);
	CHECK_STR(dk_last_error(), "it does not map through iommu-dma");
	CHECK(dk_iommu_dma_is_strict(dev));
	CHECK_EQ(dk_iommu_dma_stats(dev, &st), -ENODEV);
	testmachine_shutdown(&t);
}

/* ---- two threads mapping through one domain at once */

#define ROUNDS 100

struct worker {
	struct rig *r;
	struct page *pg;
	int t, bad;
};

/* Both directions, a pattern of its own per round: a shared IOVA or a
 * page of the other thread's would show in the bytes. */
static void *worker(void *p)
{
	struct worker *w = p;
	u8 *buf = page_address(w->pg), in[PAGE_SIZE], out[PAGE_SIZE];
	dma_addr_t h;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		memset(in, w->t * 16 + i % 16 + 1, sizeof(in));
		h = dma_map_page(w->r->dev, w->pg, 0, PAGE_SIZE,
				 DMA_FROM_DEVICE);
		if (dma_mapping_error(w->r->dev, h) ||
		    dk_dev_dma_write(w->r->sd, h, in, sizeof(in))) {
			w->bad++;
			continue;
		}
		dma_unmap_page(w->r->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
		w->bad += memcmp(buf, in, PAGE_SIZE) != 0;
		buf[i] ^= 0xff;
		h = dma_map_page(w->r->dev, w->pg, 0, PAGE_SIZE,
				 DMA_TO_DEVICE);
		if (dma_mapping_error(w->r->dev, h) ||
		    dk_dev_dma_read(w->r->sd, h, out, sizeof(out))) {
			w->bad++;
			continue;
		}
		dma_unmap_page(w->r->dev, h, PAGE_SIZE, DMA_TO_DEVICE);
		w->bad += memcmp(buf, out, PAGE_SIZE) != 0;
	}
	return NULL;
}

static void two_threads(bool lazy)
{
	struct rig r = rig(lazy);
	struct worker w[2] = { { &r, alloc_pages(GFP_KERNEL, 0), 0, 0 },
			       { &r, alloc_pages(GFP_KERNEL, 0), 1, 0 } };
	pthread_t th;

	CHECK_EQ(pthread_create(&th, NULL, worker, &w[1]), 0);
	worker(&w[0]);
	pthread_join(th, NULL);
	CHECK_EQ(w[0].bad, 0);
	CHECK_EQ(w[1].bad, 0);
	CHECK_EQ(dk_soc_nfaults(r.t.soc), 0);
	__free_pages(w[0].pg, 0);
	__free_pages(w[1].pg, 0);
	done(&r);
}

TEST(threads_iommu_dma_strict_map_unmap_exact_data)
{
	two_threads(false);
}

TEST(threads_iommu_dma_lazy_map_unmap_exact_data)
{
	two_threads(true);
}

/* ---- the queue is per thread: a flush still empties every thread's */

struct lazy_job {
	struct rig *r;
	int n, bad;
};

/* @n lazy map, device write, unmap rounds: each leaves an IOTLB entry
 * and a range queued. No CHECK here: it may run in another thread. */
static void *lazy_rounds(void *p)
{
	struct lazy_job *j = p;
	dma_addr_t h;
	int i;

	for (i = 0; i < j->n; i++) {
		h = dma_map_single(j->r->dev, j->r->buf, PAGE_SIZE,
				   DMA_FROM_DEVICE);
		j->bad += dma_mapping_error(j->r->dev, h) ||
			  dk_dev_dma_write(j->r->sd, h, "q", 1);
		dma_unmap_single(j->r->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	}
	return NULL;
}

static int in_thread(struct lazy_job *j)
{
	pthread_t th;

	if (pthread_create(&th, NULL, lazy_rounds, j))
		return -1;
	pthread_join(th, NULL);
	return j->bad;
}

TEST(iommu_dma_lazy_a_full_thread_queue_flushes_every_threads_ranges)
{
	struct rig r = rig(true);
	struct lazy_job mine = { &r, 1, 0 }, one = { &r, 1, 0 },
			fill = { &r, DK_IOMMU_FQ_SIZE, 0 };
	struct dk_iommu_dma_stats st;
	dma_addr_t a;

	a = written(&r, 0x61);
	CHECK_EQ(in_thread(&one), 0);
	/* Two threads' ranges, one count; this thread's still stale. */
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 2);
	CHECK_EQ(dk_dev_dma_write(r.sd, a, "x", 1), 0);
	/* Another thread fills its queue: the invalidation that makes
	 * covers this thread's range too, which waits no more, and its
	 * stale entry is gone. */
	CHECK_EQ(in_thread(&fill), 0);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.full_flushes, 1);
	CHECK_EQ(st.flushes, 1);
	CHECK(st.queued <= 1);
	CHECK_EQ(dk_dev_dma_write(r.sd, a, "y", 1), -EFAULT);
	/* And a flush asked for here frees the other thread's. */
	CHECK_EQ(lazy_rounds(&mine), NULL);
	CHECK_EQ(in_thread(&one), 0);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK(st.queued >= 2);
	dk_iommu_dma_flush_queue(r.dev);
	CHECK_EQ(dk_iommu_dma_stats(r.dev, &st), 0);
	CHECK_EQ(st.queued, 0);
	CHECK_EQ(st.flushes, 2);
	CHECK_EQ(mine.bad, 0);
	done(&r);
}
