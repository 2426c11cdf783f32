// SPDX-License-Identifier: MIT
/*
 * A domain over page tables of its own (the simulator's): every answer
 * the range tree gave (overlap refusal, bytes unmapped, iova_to_phys)
 * now comes from the tables, and must be the same; the tables are the
 * domain's with no device attached; every device attached walks them and
 * one invalidation reaches all of them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_iommu.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define PG 4096UL
#define BLK 512UL		/* pages in a 2 MiB block */
#define NPAGES (64 * BLK)	/* the IOVA pages the test uses: 128 MiB */
#define BASE 0x40000000UL	/* their first IOVA, 1 GiB aligned */
#define RAM 0x80000000ULL
/* The RAM pages mapped: the low half, below the page tables' pages
 * (taken from the top of RAM), whose bytes the test sets. */
#define RAM_PAGES 8192UL

/* The simulator's ops, and a copy whose domains keep a range tree. */
static struct dk_platform_ops ops;

/* Each IOVA page's physical page, or 0. */
static phys_addr_t *ref;

/* One random step on both domains: the same answers, the reference's. */
static unsigned long step(struct iommu_domain *tbl, struct iommu_domain *rt,
			  u64 *s)
{
	unsigned long p, n, k, bad = 0;
	u64 r = test_rnd(s) % 100;
	phys_addr_t pa;

	if (r < 75) {
		/* Pages, or a 2 MiB block (aligned both sides). */
		bool blk = r >= 70;

		n = blk ? BLK : 1 + test_rnd(s) % 4;
		p = blk ? test_rnd(s) % (NPAGES / BLK) * BLK :
			  test_rnd(s) % (NPAGES - 4);
		pa = blk ? RAM + test_rnd(s) % (RAM_PAGES / BLK) * BLK * PG :
			   RAM + test_rnd(s) % (RAM_PAGES - 4) * PG;
		int want = iova_ref_free(ref, p, n) ? 0 : -EEXIST;

		bad += iommu_map(tbl, BASE + p * PG, pa, n * PG, IOMMU_READ,
				 GFP_KERNEL) != want;
		bad += iommu_map(rt, BASE + p * PG, pa, n * PG, IOMMU_READ,
				 GFP_KERNEL) != want;
		for (k = 0; !want && k < n; k++)
			ref[p + k] = pa + k * PG;
	} else {
		/* Now and then more than a block: splits blocks and
		 * ranges. */
		size_t want;

		n = 1 + test_rnd(s) % (r < 80 ? 700 : 8);
		p = test_rnd(s) % (NPAGES - n);
		want = iova_ref_unmap(ref, p, n);
		bad += iommu_unmap(tbl, BASE + p * PG, n * PG) != want;
		bad += iommu_unmap(rt, BASE + p * PG, n * PG) != want;
	}
	return bad;
}

/* iova_to_phys of both domains at @p (and an offset into it). */
static unsigned long lookup_bad(struct iommu_domain *tbl,
				struct iommu_domain *rt, unsigned long p)
{
	dma_addr_t iova = BASE + p * PG + (p * 8 & (PG - 1));
	phys_addr_t want = ref[p] ? ref[p] + (iova & (PG - 1)) : 0;

	return (iommu_iova_to_phys(tbl, iova) != want) +
	       (iommu_iova_to_phys(rt, iova) != want);
}

TEST(iommu_tables_answer_as_the_range_tree_over_random_maps_unmaps_and_blocks)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, NULL);
	struct dk_machine *m = NULL;
	struct dk_platform pl;
	struct device *gpu, *vpu;
	struct dk_simdev *sgpu;
	struct iommu_domain *tbl, *rt;
	unsigned long i, p, bad = 0, live = 0;
	u64 s = 0x9e3779b97f4a7c15ULL;
	u8 *ram, got;

	/* The simulator's ops through a copy the test can change. */
	dk_machine_shutdown(t.m);
	ops = *t.pl.ops;
	pl = (struct dk_platform){ &ops, t.pl.ctx };
	CHECK_EQ(dk_machine_boot(&pl, &mo, &m), 0);
	gpu = dk_machine_find_device(m, "gpu");
	vpu = dk_machine_find_device(m, "vpu");
	sgpu = dk_soc_find_dev(t.soc, "gpu");
	ram = dk_sim_dram_ptr(t.soc, RAM);
	ref = calloc(NPAGES, sizeof(*ref));
	tbl = iommu_paging_domain_alloc(gpu);
	/* Without the table ops a domain keeps its ranges itself, as on
	 * VFIO: the answers it gives are the reference's too. */
	ops.iommu_pt_new = NULL;
	rt = iommu_paging_domain_alloc(vpu);
	CHECK(tbl && rt && ref);
	CHECK_EQ(iommu_attach_device(tbl, gpu), 0);
	CHECK_EQ(iommu_attach_device(rt, vpu), 0);
	/* A 1 GiB block first, then pages unmapped out of it. */
	CHECK_EQ(iommu_map(tbl, BASE, RAM, 1UL << 30, IOMMU_READ, GFP_KERNEL),
		 0);
	CHECK_EQ(iommu_map(tbl, BASE + 5 * PG, RAM, PG, IOMMU_READ,
			   GFP_KERNEL), -EEXIST);
	CHECK_EQ(iommu_iova_to_phys(tbl, BASE + 0x12345678), RAM + 0x12345678);
	CHECK_EQ(iommu_unmap(tbl, BASE + 3 * BLK * PG + 7 * PG, PG), PG);
	CHECK_EQ(iommu_iova_to_phys(tbl, BASE + 3 * BLK * PG + 7 * PG), 0);
	CHECK_EQ(iommu_iova_to_phys(tbl, BASE + 3 * BLK * PG + 8 * PG + 1),
		 RAM + 3 * BLK * PG + 8 * PG + 1);
	CHECK_EQ(iommu_unmap(tbl, BASE, 1UL << 30), (1UL << 30) - PG);
	CHECK_EQ(iommu_iova_to_phys(tbl, BASE + 0x12345678), 0);
	for (i = 0; i < 20000; i++)
		bad += step(tbl, rt, &s);
	CHECK_EQ(bad, 0);
	for (p = 0; p < NPAGES; p++)
		live += !!ref[p];
	for (p = 0; p < NPAGES; p += 7)
		bad += lookup_bad(tbl, rt, p);
	CHECK_EQ(bad, 0);
	CHECK(live > 2000);		/* pages and blocks, some split */
	/* The device walks those tables: the bytes of the reference's
	 * pages. No DMA API mapping is involved: the checker is off. */
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	for (i = 0; i < RAM_PAGES; i++)
		ram[i * PG] = (u8)(i * 13 + 5);
	for (p = 0; p < NPAGES; p += 331) {
		int r = dk_dev_dma_read(sgpu, BASE + p * PG, &got, 1);

		bad += ref[p] ? r || got != ram[ref[p] - RAM] : r != -EFAULT;
	}
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	CHECK_EQ(bad, 0);
	/* The tables are the domain's: detached, it answers the same. */
	iommu_detach_device(tbl, gpu);
	for (p = 3; p < NPAGES; p += 13)
		bad += lookup_bad(tbl, rt, p);
	for (i = 0; i < 2000; i++)
		bad += step(tbl, rt, &s);
	for (p = 5; p < NPAGES; p += 11)
		bad += lookup_bad(tbl, rt, p);
	CHECK_EQ(bad, 0);
	iommu_detach_device(rt, vpu);
	iommu_domain_free(tbl);
	iommu_domain_free(rt);
	free(ref);
	dk_machine_shutdown(m);
	dk_soc_free(t.soc);
}

/* The tree booted with no default domains, and one domain of gpu's. */
struct rig {
	struct testmachine t;
	struct device *gpu, *vpu;
	struct dk_simdev *sgpu, *svpu;
	struct iommu_domain *d;
	u8 *ram;
};

static struct rig rig(void)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct rig r = { .t = testmachine_boot(testsoc_iommu_tree, NULL, &mo) };

	r.gpu = dk_machine_find_device(r.t.m, "gpu");
	r.vpu = dk_machine_find_device(r.t.m, "vpu");
	r.sgpu = dk_soc_find_dev(r.t.soc, "gpu");
	r.svpu = dk_soc_find_dev(r.t.soc, "vpu");
	r.d = iommu_paging_domain_alloc(r.gpu);
	r.ram = dk_sim_dram_ptr(r.t.soc, RAM);
	CHECK(r.d != NULL);
	/* Device accesses through no DMA API mapping: not the checker's
	 * business here. */
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	return r;
}

static void rig_done(struct rig *r)
{
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	iommu_domain_free(r->d);
	testmachine_shutdown(&r->t);
}

/* @dev reads a byte at @iova: 0 and the byte, or -1 if it faults. */
static int dev_byte(struct dk_simdev *dev, u64 iova)
{
	u8 b;

	return dk_dev_dma_read(dev, iova, &b, 1) ? -1 : b;
}

TEST(iommu_tables_are_the_domains_and_one_invalidation_reaches_every_device)
{
	struct rig r = rig();
	struct device *gpu = r.gpu, *vpu = r.vpu;
	struct dk_simdev *sgpu = r.sgpu, *svpu = r.svpu;
	struct iommu_domain *d = r.d;
	struct iommu_iotlb_gather g;
	struct dk_sim_iommu_stats st0, st;

	r.ram[0x10000] = 0x5a;
	r.ram[0x20000] = 0xa5;
	/* Mapped with nothing attached: no device is programmed, both
	 * find it when they attach. */
	CHECK_EQ(iommu_map(d, 0x100000, RAM + 0x10000, PG, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(iommu_attach_device(d, gpu), 0);
	CHECK_EQ(iommu_attach_device(d, vpu), 0);
	CHECK_EQ(dev_byte(sgpu, 0x100000), 0x5a);
	CHECK_EQ(dev_byte(svpu, 0x100000), 0x5a);
	/* Mapped once, seen by both. */
	CHECK_EQ(iommu_map(d, 0x200000, RAM + 0x20000, PG, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(dev_byte(sgpu, 0x200000), 0xa5);
	CHECK_EQ(dev_byte(svpu, 0x200000), 0xa5);
	/* Lazy: both keep reaching the page through the IOTLB until the
	 * one sync, which is one invalidation for the two. */
	iommu_iotlb_gather_init(&g);
	CHECK_EQ(dk_sim_iommu_stats(sgpu, &st0), 0);
	CHECK_EQ(iommu_unmap_fast(d, 0x200000, PG, &g), PG);
	CHECK_EQ(iommu_iova_to_phys(d, 0x200000), 0);
	CHECK_EQ(dev_byte(sgpu, 0x200000), 0xa5);
	CHECK_EQ(dev_byte(svpu, 0x200000), 0xa5);
	iommu_iotlb_sync(d, &g);
	CHECK_EQ(dk_sim_iommu_stats(sgpu, &st), 0);
	CHECK_EQ(st.invalidations - st0.invalidations, 1);
	CHECK_EQ(dev_byte(sgpu, 0x200000), -1);
	CHECK_EQ(dev_byte(svpu, 0x200000), -1);
	/* Strict: gone for both at once, in one invalidation. */
	CHECK_EQ(iommu_unmap(d, 0x100000, PG), PG);
	CHECK_EQ(dk_sim_iommu_stats(sgpu, &st0), 0);
	CHECK_EQ(st0.invalidations - st.invalidations, 1);
	CHECK_EQ(dev_byte(sgpu, 0x100000), -1);
	CHECK_EQ(dev_byte(svpu, 0x100000), -1);
	/* Detached, a device bypasses again; the other still translates. */
	CHECK_EQ(iommu_map(d, 0x300000, RAM + 0x10000, PG, IOMMU_READ,
			   GFP_KERNEL), 0);
	iommu_detach_device(d, vpu);
	CHECK_EQ(dev_byte(svpu, RAM + 0x20000), 0xa5);
	CHECK_EQ(dev_byte(sgpu, 0x300000), 0x5a);
	CHECK_EQ(dev_byte(sgpu, RAM + 0x20000), -1);
	iommu_detach_device(d, gpu);
	rig_done(&r);
}

/* ---- two threads on one domain's tables */

struct pt_worker {
	struct iommu_domain *d;
	struct dk_simdev *dev;
	u8 *ram;
	int t, bad;
};

#define PT_ROUNDS 300

/*
 * Each thread maps pages of its own, every one in a 2 MiB span no table
 * covers yet (so the writer takes table pages, which needs the SoC's
 * lock too), reads it through the device, and unmaps it; the other one
 * does the same at once.
 */
static void *pt_worker(void *p)
{
	struct pt_worker *w = p;
	unsigned long i;
	u8 got;

	for (i = 0; i < PT_ROUNDS; i++) {
		u64 iova = BASE + ((i * 2 + w->t) << 21) + (i % 512) * PG;
		phys_addr_t pa = RAM + (w->t * 16 + i % 16) * PG;

		w->bad += iommu_map(w->d, iova, pa, PG, IOMMU_READ,
				    GFP_KERNEL) != 0;
		w->bad += iommu_iova_to_phys(w->d, iova + 5) != pa + 5;
		w->bad += dk_dev_dma_read(w->dev, iova, &got, 1) ||
			  got != w->ram[pa - RAM];
		w->bad += iommu_unmap(w->d, iova, PG) != PG;
		w->bad += dk_dev_dma_read(w->dev, iova, &got, 1) != -EFAULT;
	}
	return NULL;
}

TEST(threads_iommu_tables_two_writers_and_the_walker)
{
	struct rig r = rig();
	struct pt_worker w[2] = { { r.d, r.sgpu, r.ram, 0, 0 },
				  { r.d, r.sgpu, r.ram, 1, 0 } };
	pthread_t th;
	int i;

	for (i = 0; i < 32; i++)
		r.ram[i * PG] = (u8)(i * 29 + 3);
	CHECK_EQ(iommu_attach_device(r.d, r.gpu), 0);
	CHECK_EQ(pthread_create(&th, NULL, pt_worker, &w[1]), 0);
	pt_worker(&w[0]);
	pthread_join(th, NULL);
	CHECK_EQ(w[0].bad, 0);
	CHECK_EQ(w[1].bad, 0);
	CHECK_EQ(dk_soc_nfaults(r.t.soc), 2 * PT_ROUNDS);
	iommu_detach_device(r.d, r.gpu);
	rig_done(&r);
}

/* ---- pages beside the last one: the writer's lock-free path */

/*
 * A page in the leaf table the last map went through is written with no
 * lock; what the hardware sees must be the same: an unmapped page stays
 * reachable through the IOTLB until invalidated (lazy), a strict unmap
 * drops it from every device's view at once and counts one
 * invalidation, with an entry in the IOTLB or none, and a writer that
 * forgets its clean leaves the non-coherent walker blind as before.
 */
TEST(iommu_tables_a_page_beside_the_last_keeps_every_hardware_behaviour)
{
	struct rig r = rig();
	struct dk_sim_iommu_stats st0, st;
	struct iommu_iotlb_gather g;
	u64 a = 0x400000;	/* a 2 MiB span of its own */
	int i;

	for (i = 0; i < 4; i++)
		r.ram[0x10000 + i * PG] = (u8)(0x30 + i);
	CHECK_EQ(iommu_attach_device(r.d, r.gpu), 0);
	CHECK_EQ(iommu_attach_device(r.d, r.vpu), 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(iommu_map(r.d, a + i * PG, RAM + 0x10000 + i * PG, PG,
				   IOMMU_READ, GFP_KERNEL), 0);
	CHECK_EQ(iommu_map(r.d, a + PG, RAM, PG, IOMMU_READ, GFP_KERNEL),
		 -EEXIST);
	CHECK_STR(dk_last_error(), "iommu_map: 0x401000 + 0x1000 overlaps a mapping");
	CHECK_EQ(iommu_iova_to_phys(r.d, a + PG), RAM + 0x10000 + PG);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(dev_byte(r.sgpu, a + i * PG), 0x30 + i);
		CHECK_EQ(dev_byte(r.svpu, a + i * PG), 0x30 + i);
	}
	/* Lazy: still reached through the IOTLB until the sync. */
	iommu_iotlb_gather_init(&g);
	CHECK_EQ(iommu_unmap_fast(r.d, a + PG, PG, &g), PG);
	CHECK_EQ(iommu_unmap_fast(r.d, a + PG, PG, &g), 0);
	CHECK_EQ(iommu_iova_to_phys(r.d, a + PG), 0);
	CHECK_EQ(dev_byte(r.sgpu, a + PG), 0x31);
	CHECK_EQ(dev_byte(r.svpu, a + PG), 0x31);
	iommu_iotlb_sync(r.d, &g);
	CHECK_EQ(dev_byte(r.sgpu, a + PG), -1);
	CHECK_EQ(dev_byte(r.svpu, a + PG), -1);
	/* Strict, with entries of both devices cached: one invalidation,
	 * and neither reaches the page. */
	CHECK_EQ(dk_sim_iommu_stats(r.sgpu, &st0), 0);
	CHECK_EQ(iommu_unmap(r.d, a + 2 * PG, PG), PG);
	CHECK_EQ(dk_sim_iommu_stats(r.sgpu, &st), 0);
	CHECK_EQ(st.invalidations - st0.invalidations, 1);
	CHECK_EQ(dev_byte(r.sgpu, a + 2 * PG), -1);
	CHECK_EQ(dev_byte(r.svpu, a + 2 * PG), -1);
	/* Strict with nothing cached: counted all the same. */
	CHECK_EQ(iommu_map(r.d, a + 2 * PG, RAM + 0x10000, PG, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(iommu_unmap(r.d, a + 2 * PG, PG), PG);
	CHECK_EQ(iommu_unmap(r.d, a + 2 * PG, PG), 0);
	CHECK_EQ(dk_sim_iommu_stats(r.sgpu, &st0), 0);
	CHECK_EQ(st0.invalidations - st.invalidations, 2);
	CHECK_EQ(dev_byte(r.sgpu, a + 2 * PG), -1);
	/* The writer forgets its clean: the next page is in the CPU cache
	 * only, and the walker does not see it. */
	CHECK_EQ(dk_sim_iommu_forget_clean(r.sgpu, true), 0);
	CHECK_EQ(iommu_map(r.d, a + 4 * PG, RAM + 0x10000, PG, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(iommu_iova_to_phys(r.d, a + 4 * PG), RAM + 0x10000);
	CHECK_EQ(dev_byte(r.sgpu, a + 4 * PG), -1);
	CHECK_EQ(dk_sim_iommu_forget_clean(r.sgpu, false), 0);
	CHECK_EQ(iommu_unmap(r.d, a + 4 * PG, PG), PG);
	CHECK_EQ(iommu_unmap(r.d, a, PG), PG);
	CHECK_EQ(iommu_unmap(r.d, a + 3 * PG, PG), PG);
	iommu_detach_device(r.d, r.vpu);
	iommu_detach_device(r.d, r.gpu);
	rig_done(&r);
}

/* Two writers in one leaf table, on lines of their own, and a device
 * that reads their pages all the while: it reads a page's bytes or
 * faults, never anything else (nor says it read when a page went
 * between the bus's two walks of the access), and once a strict unmap
 * is back nothing reaches the page, though the walker may have been
 * filling its entry when the writer cleared it. */
#define NEAR_ROUNDS 3000

struct near_worker {
	struct iommu_domain *d;
	struct dk_simdev *dev;
	u8 *ram;
	int t, bad;
	atomic_bool *stop;
};

static u64 near_iova(int t, unsigned long i)
{
	return 0x600000 + (t * 8 + i % 8) * PG;
}

static void *near_writer(void *p)
{
	struct near_worker *w = p;
	unsigned long i;
	u8 got;

	for (i = 0; i < NEAR_ROUNDS; i++) {
		u64 iova = near_iova(w->t, i);
		phys_addr_t pa = RAM + (w->t * 8 + i % 8) * PG;

		w->bad += iommu_map(w->d, iova, pa, PG, IOMMU_READ,
				    GFP_KERNEL) != 0;
		w->bad += dk_dev_dma_read(w->dev, iova, &got, 1) ||
			  got != w->ram[pa - RAM];
		w->bad += iommu_unmap(w->d, iova, PG) != PG;
		w->bad += dk_dev_dma_read(w->dev, iova, &got, 1) != -EFAULT;
	}
	return NULL;
}

static void *near_reader(void *p)
{
	struct near_worker *w = p;
	unsigned long i = 0;
	u8 got;

	while (!atomic_load(w->stop)) {
		int t = i % 2, k = i / 2 % 8, r;

		/* No page holds 0xee: a read that says it read and did
		 * not is caught too. */
		got = 0xee;
		r = dk_dev_dma_read(w->dev, near_iova(t, k), &got, 1);

		w->bad += r ? r != -EFAULT : got != w->ram[(t * 8 + k) * PG];
		i++;
	}
	return NULL;
}

TEST(threads_iommu_tables_two_writers_beside_each_other_and_the_walker)
{
	struct rig r = rig();
	atomic_bool stop;
	struct near_worker w[3] = { { r.d, r.sgpu, r.ram, 0, 0, &stop },
				    { r.d, r.sgpu, r.ram, 1, 0, &stop },
				    { r.d, r.svpu, r.ram, 2, 0, &stop } };
	pthread_t th[2];
	int i;

	atomic_init(&stop, false);
	for (i = 0; i < 16; i++)
		r.ram[i * PG] = (u8)(i * 37 + 1);
	CHECK_EQ(iommu_attach_device(r.d, r.gpu), 0);
	CHECK_EQ(iommu_attach_device(r.d, r.vpu), 0);
	CHECK_EQ(pthread_create(&th[0], NULL, near_writer, &w[1]), 0);
	CHECK_EQ(pthread_create(&th[1], NULL, near_reader, &w[2]), 0);
	near_writer(&w[0]);
	pthread_join(th[0], NULL);
	atomic_store(&stop, true);
	pthread_join(th[1], NULL);
	CHECK_EQ(w[0].bad, 0);
	CHECK_EQ(w[1].bad, 0);
	CHECK_EQ(w[2].bad, 0);
	/* Nothing is left in any IOTLB: every page faults for both. */
	for (i = 0; i < 16; i++) {
		CHECK_EQ(dev_byte(r.sgpu, near_iova(i / 8, i % 8)), -1);
		CHECK_EQ(dev_byte(r.svpu, near_iova(i / 8, i % 8)), -1);
	}
	iommu_detach_device(r.d, r.vpu);
	iommu_detach_device(r.d, r.gpu);
	rig_done(&r);
}

/* More writers than writer slots: those that share one take turns in
 * it, and every page is mapped, read and unmapped as by one alone. */
TEST(threads_iommu_tables_more_writers_than_slots)
{
	struct rig r = rig();
	struct near_worker w[10];
	pthread_t th[10];
	int i, k, bad = 0;

	CHECK_EQ(iommu_attach_device(r.d, r.gpu), 0);
	for (i = 0; i < 10; i++) {
		w[i] = (struct near_worker){ r.d, r.sgpu, r.ram, i, 0, NULL };
		CHECK_EQ(pthread_create(&th[i], NULL, near_writer, &w[i]), 0);
	}
	for (i = 0; i < 10; i++) {
		pthread_join(th[i], NULL);
		bad += w[i].bad;
	}
	CHECK_EQ(bad, 0);
	for (i = 0; i < 10; i++)
		for (k = 0; k < 8; k++)
			CHECK_EQ(iommu_iova_to_phys(r.d, near_iova(i, k)), 0);
	iommu_detach_device(r.d, r.gpu);
	rig_done(&r);
}
