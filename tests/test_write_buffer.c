// SPDX-License-Identifier: MIT
/*
 * The CPU's write buffer in front of bufferable memory: stores through a
 * Normal non-cacheable or write-combine alias reach a device only after a
 * write barrier (wmb, dma_wmb, mb, dma_mb, writel), never after rmb,
 * dma_rmb or writel_relaxed alone; each policy decides what an early
 * device read gets, and the checker reports it under every policy;
 * strongly-ordered memory never buffers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define TREE(mapping)							\
	"/dts-v1/;\n"							\
	"/ {\n"								\
	"	#address-cells = <2>; #size-cells = <2>;\n"		\
	"	dmakit { eviction-policy = \"adversarial\"; " mapping " };\n" \
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n" \
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n" \
	"		dma@10000000 { compatible = \"dmakit,m2m-dma\"; reg = <0 0x10000000 0 0x1000>; interrupts = <5>; };\n" \
	"		nc { compatible = \"dmakit,generic-master\"; };\n"	\
	"		coh { compatible = \"dmakit,generic-master\"; dma-coherent; };\n" \
	"	};\n"							\
	"};\n"

static const char normal_nc[] =
	TREE("coherent-mapping = \"normal-nc\"; cacheable-store-buffer;");
static const char strongly_ordered[] = TREE("");

/* The two buffers one set of rules governs: in front of the uncached
 * alias a non-coherent device's coherent memory has, and in front of the
 * cache a coherent device snoops (docs/cache-model.md). */
static const char *const kinds[] = { "nc", "coh" };
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static struct testrig rig(const char *tree, int policy, int rate)
{
	return testrig_boot(tree, policy, rate, "nc");
}

enum wb_how {
	WB_WMB, WB_DMA_WMB, WB_MB, WB_DMA_MB, WB_WRITEL,	/* drain */
	WB_RMB, WB_DMA_RMB, WB_RELAXED, WB_READL,	/* do not */
};

static void wb_order(void __iomem *reg, enum wb_how how)
{
	switch (how) {
	case WB_WMB: wmb(); break;
	case WB_DMA_WMB: dma_wmb(); break;
	case WB_MB: mb(); break;
	case WB_DMA_MB: dma_mb(); break;
	case WB_WRITEL: writel(1, reg); break;
	case WB_RMB: rmb(); break;
	case WB_DMA_RMB: dma_rmb(); break;
	case WB_RELAXED: writel_relaxed(1, reg); break;
	case WB_READL: readl(reg); break;
	}
}

/*
 * Store a line of @p, issue each barrier in turn, let @sd read the line
 * at @h: only the draining ones let the stores through (adversarial).
 * @regs: the m2m engine's window, whose register takes writel().
 */
static void wb_each_barrier(struct dk_soc *soc, void __iomem *regs,
				   u8 *p, struct dk_simdev *sd, dma_addr_t h)
{
	u8 *reg = (u8 *)regs + DK_M2M_CHAN(0) + DK_M2M_DESC_LO, got[64];
	int how;

	for (how = WB_WMB; how <= WB_READL; how++) {
		memset(p, 0x10 + how, 64);
		wb_order(reg, how);
		CHECK_EQ(dk_dev_dma_read(sd, h, got, 64), 0);
		CHECK(bytes_are(got, how <= WB_WRITEL ? 0x10 + how :
							0x10 + how - 1, 64));
		dk_sim_drain_writes(soc);
	}
}

/* Of @nlines lines of @got, a mask of those still all zero (stale); the
 * others must be all @v (landed). */
static unsigned int wb_stale_lines(const u8 *got, unsigned int nlines,
					  int v)
{
	unsigned int i, mask = 0;

	for (i = 0; i < nlines; i++) {
		if (bytes_are(got + 64 * i, 0, 64))
			mask |= 1u << i;
		else
			CHECK(bytes_are(got + 64 * i, v, 64));
	}
	return mask;
}

/* The rig of kinds[@k] on the bufferable tree, adversarial, and a page
 * of coherent memory from its device (*@p NULL if none). */
static struct testrig kind_rig(size_t k, u8 **p, dma_addr_t *h)
{
	struct testrig r = testrig_boot(normal_nc, DK_EVICT_ADVERSARIAL, -1,
					kinds[k]);

	*p = dma_alloc_coherent(r.dev, 4096, h, GFP_KERNEL);
	return r;
}

static const char buffered_msg[] =
	"device read 64 bytes at physical 0x80100000 that the CPU stored to after the last write barrier: the stores may still sit in the write buffer (dma_wmb() before handing the memory to the device, or writel() rather than writel_relaxed() for the doorbell)";

TEST(wbuf_store_reaches_the_device_only_after_a_barrier)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		dma_addr_t h;
		u8 *p, got[64];
		struct testrig r = kind_rig(k, &p, &h);
		const struct dk_dma_finding *f;

		CHECK(p != NULL);
		memset(p, 0x42, 64);
		CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
		CHECK(bytes_are(got, 0, 64));	/* still in the buffer */
		CHECK(bytes_are(p, 0x42, 64));	/* the CPU sees its own */
		CHECK_EQ(dk_dma_debug_nfindings(), 1);
		f = dk_dma_debug_finding(0);
		CHECK_EQ(f->check, DK_CHK_DEVICE_READ_BUFFERED);
		CHECK_STR(dk_dma_check_name(f->check),
			  "device-read-write-buffered");
		CHECK_STR(f->message, buffered_msg);
		CHECK_EQ(strlen(f->message), strlen(buffered_msg));
		CHECK_EQ(f->dev_addr, h);
		CHECK_STR(f->backtrace,
			  "wbuf_store_reaches_the_device_only_after_a_barrier");
		dma_wmb();
		CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
		CHECK(bytes_are(got, 0x42, 64));
		CHECK_EQ(dk_dma_debug_nfindings(), 1);
		dma_free_coherent(r.dev, 4096, p, h);
		testrig_done(&r);
	}
}

TEST(wbuf_never_policy_delivers_but_the_checker_reports)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		struct testrig r =
			testrig_boot(normal_nc, DK_EVICT_NEVER, -1, kinds[k]);
		dma_addr_t h;
		u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL);
		u8 got[64];

		memset(p, 0x42, 64);
		CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
		CHECK(bytes_are(got, 0x42, 64));
		CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
		/* The buffer emptied for that read: nothing pending. */
		CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
		CHECK_EQ(dk_dma_debug_nfindings(), 1);
		dma_free_coherent(r.dev, 4096, p, h);
		testrig_done(&r);
	}
}

/* Which of 16 lines a random-policy read got stale, as a bit mask. */
static unsigned int random_stale_lines(const char *dev)
{
	struct testrig r = testrig_boot(normal_nc, DK_EVICT_RANDOM, 50, dev);
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[1024];
	unsigned int mask;

	memset(p, 0x42, 1024);
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 1024), 0);
	mask = wb_stale_lines(got, 16, 0x42);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
	CHECK_EQ(dk_dma_debug_finding(0)->size, 1024);
	dma_free_coherent(r.dev, 4096, p, h);
	testrig_done(&r);
	return mask;
}

TEST(wbuf_random_policy_drains_lines_out_of_order_by_its_seed)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		unsigned int a = random_stale_lines(kinds[k]);

		CHECK(a != 0 && a != 0xffff);	/* some landed, some not */
		CHECK_EQ(random_stale_lines(kinds[k]), a);
	}
}

TEST(wbuf_write_barriers_drain_and_read_barriers_do_not)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		dma_addr_t h;
		u8 *p;
		struct testrig r = kind_rig(k, &p, &h);
		void __iomem *regs = ioremap(0x10000000, 0x1000);

		CHECK(regs && p);
		wb_each_barrier(r.t.soc, regs, p, r.sd, h);
		/* Four reads came before their stores had left: one each. */
		CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 4);
		iounmap(regs);
		dma_free_coherent(r.dev, 4096, p, h);
		testrig_done(&r);
	}
}

TEST(wbuf_strongly_ordered_memory_never_buffers_but_write_combine_does)
{
	struct testrig r = rig(strongly_ordered, DK_EVICT_ADVERSARIAL, -1);
	dma_addr_t h, hw;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[64];
	u8 *wc = dma_alloc_wc(r.dev, 4096, &hw, GFP_KERNEL);

	memset(p, 0x42, 64);
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	CHECK(bytes_are(got, 0x42, 64));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Write-combine memory is bufferable whatever coherent memory is. */
	memset(wc, 0x24, 64);
	CHECK_EQ(dk_dev_dma_read(r.sd, hw, got, 64), 0);
	CHECK(bytes_are(got, 0, 64));
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
	wmb();
	CHECK_EQ(dk_dev_dma_read(r.sd, hw, got, 64), 0);
	CHECK(bytes_are(got, 0x24, 64));
	dma_free_wc(r.dev, 4096, wc, hw);
	dma_free_coherent(r.dev, 4096, p, h);
	testrig_done(&r);
}

TEST(wbuf_device_writes_land_over_buffered_bytes_they_cover)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		dma_addr_t h;
		u8 *p, got[64], in[32], want[64];
		struct testrig r = kind_rig(k, &p, &h);

		/* The device's own writes are never "pending". */
		memset(in, 0x77, 32);
		CHECK_EQ(dk_dev_dma_write(r.sd, h + 128, in, 32), 0);
		CHECK(bytes_are(p + 128, 0x77, 32));
		CHECK_EQ(dk_dev_dma_read(r.sd, h + 128, got, 32), 0);
		CHECK(bytes_are(got, 0x77, 32));
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		/* CPU stores a line, the device writes half of it: that half is
		 * the device's, the other half still waits in the buffer. */
		memset(p, 0x11, 64);
		CHECK_EQ(dk_dev_dma_write(r.sd, h, in, 32), 0);
		CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
		memset(want, 0x77, 32);
		memset(want + 32, 0, 32);
		CHECK_MEM(got, want, 64);
		memset(want + 32, 0x11, 32);
		CHECK_MEM(p, want, 64);
		dma_free_coherent(r.dev, 4096, p, h);
		testrig_done(&r);
	}
}

TEST(wbuf_soc_show_says_coherent_memory_and_the_cache_buffer_stores)
{
	struct dk_soc *nc = testsoc_load(normal_nc, NULL);
	struct dk_soc *so = testsoc_load(strongly_ordered, NULL);
	char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	dk_soc_show(nc, f);
	fclose(f);
	CHECK_STR(buf, "\ncoherent memory: Normal non-cacheable, bufferable: stores wait in the write buffer until a barrier\nstore buffer: in front of the cache too: stores to memory a coherent master snoops wait until a barrier\npolicy: ");
	f = fmemopen(buf, sizeof(buf), "w");
	dk_soc_show(so, f);
	fclose(f);
	CHECK(!strstr(buf, "coherent memory:"));
	CHECK(!strstr(buf, "store buffer:"));
	dk_soc_free(nc);
	dk_soc_free(so);
}

TEST(wbuf_pages_leave_the_buffer_with_their_last_mapping)
{
	struct testrig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);
	dma_addr_t h, h2;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), got[64];
	u8 *q;

	memset(p, 0x42, 64);
	dma_free_coherent(r.dev, 4096, p, h);
	/* The same page again, through a fresh alias: nothing pending,
	 * the allocation's zeroes are what the device sees. */
	q = dma_alloc_coherent(r.dev, 4096, &h2, GFP_KERNEL);
	CHECK_EQ(h2, h);
	CHECK_EQ(dk_dev_dma_read(r.sd, h2, got, 64), 0);
	CHECK(bytes_are(got, 0, 64));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_free_coherent(r.dev, 4096, q, h2);
	CHECK_EQ(dk_sim_drain_writes(NULL), -EINVAL);
	testrig_done(&r);
}

static void *barriers(void *arg)
{
	atomic_bool *stop = arg;

	while (!atomic_load(stop))
		dma_wmb();
	return NULL;
}

TEST(wbuf_threads_barriers_while_buffers_come_and_go)
{
	struct testrig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);
	atomic_bool stop = false;
	pthread_t t;
	int i, bad = 0;

	CHECK_EQ(pthread_create(&t, NULL, barriers, &stop), 0);
	for (i = 0; i < 200; i++) {
		dma_addr_t h;
		u8 *p = i & 1 ? dma_alloc_wc(r.dev, 8192, &h, GFP_KERNEL) :
				dma_alloc_coherent(r.dev, 8192, &h, GFP_KERNEL);
		u8 got[64];

		memset(p + 4096, (u8)i, 64);
		wmb();
		dk_dev_dma_read(r.sd, h + 4096, got, 64);
		bad += !bytes_are(got, (u8)i, 64);
		if (i & 1)
			dma_free_wc(r.dev, 8192, p, h);
		else
			dma_free_coherent(r.dev, 8192, p, h);
	}
	atomic_store(&stop, true);
	pthread_join(t, NULL);
	CHECK_EQ(bad, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	testrig_done(&r);
}

TEST(wbuf_a_user_mapping_buffers_too_and_its_munmap_keeps_the_kernel_one)
{
	struct testrig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);
	struct vm_area_struct vma = { .vm_end = 4096 };
	dma_addr_t h;
	u8 *p = dma_alloc_coherent(r.dev, 4096, &h, GFP_KERNEL), *u, got[64];

	CHECK_EQ(dma_mmap_coherent(r.dev, &vma, p, h, 4096), 0);
	u = (u8 *)vma.vm_start;
	memset(u, 0x61, 64);			/* a user store */
	CHECK(bytes_are(p, 0x61, 64));		/* one DRAM behind both */
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	CHECK(bytes_are(got, 0, 64));
	mb();
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	CHECK(bytes_are(got, 0x61, 64));
	CHECK_EQ(dk_munmap(&vma), 0);
	memset(p, 0x62, 64);			/* still bufferable */
	CHECK_EQ(dk_dev_dma_read(r.sd, h, got, 64), 0);
	CHECK(bytes_are(got, 0x61, 64));
	CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 2);
	dma_free_coherent(r.dev, 4096, p, h);
	testrig_done(&r);
}

/* Coherent memory behind an IOMMU: scattered pages in one vmap. */
static const char behind_smmu[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"dmakit { eviction-policy = \"adversarial\"; coherent-mapping = \"normal-nc\"; cacheable-store-buffer; };\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	nc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	coh { compatible = \"dmakit,generic-master\"; dma-coherent; iommus = <&smmu 0x11>; }; };\n"
	"};\n";

TEST(wbuf_holds_stores_to_coherent_memory_behind_an_iommu)
{
	size_t k;

	for (k = 0; k < NKINDS; k++) {
		struct testrig r =
			testrig_boot(behind_smmu, DK_EVICT_ADVERSARIAL,
				     -1, kinds[k]);
		dma_addr_t h;
		u8 *p = dma_alloc_attrs(r.dev, 4 * 4096, &h, GFP_KERNEL,
					DMA_ATTR_ALLOC_SINGLE_PAGES), got[64];

		CHECK(p != NULL && r.dev->iommu_domain != NULL);
		memset(p + 2 * 4096 + 64, 0x3c, 64);
		CHECK_EQ(dk_dev_dma_read(r.sd, h + 2 * 4096 + 64, got, 64), 0);
		CHECK(bytes_are(got, 0, 64));
		CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
		/* Named by the IOVA the device used and where the memory
		 * came from. */
		CHECK_EQ(dk_dma_debug_finding(0)->dev_addr,
			 h + 2 * 4096 + 64);
		CHECK_STR(dk_dma_debug_finding(0)->backtrace,
			  "wbuf_holds_stores_to_coherent_memory_behind_an_iommu (tests/test_write_buffer.c:");
		dma_wmb();
		CHECK_EQ(dk_dev_dma_read(r.sd, h + 2 * 4096 + 64, got, 64), 0);
		CHECK(bytes_are(got, 0x3c, 64));
		dma_free_attrs(r.dev, 4 * 4096, p, h,
			       DMA_ATTR_ALLOC_SINGLE_PAGES);
		testrig_done(&r);
	}
}

/* The built-in SoC maps coherent memory as arm64 Linux does, and has
 * the buffer in front of the cache a coherent master snoops, so a
 * driver's missing barrier shows with no tree of its own. */
TEST(wbuf_the_built_in_soc_buffers_coherent_stores)
{
	static const char *const masters[] = { "master@10010000",
					       "coherent-master@10030000" };
	size_t k;

	for (k = 0; k < 2; k++) {
		struct testmachine t = testmachine_boot(NULL, NULL, NULL);
		struct device *dev = dk_machine_find_device(t.m, masters[k]);
		struct dk_simdev *sd = dk_soc_find_dev(t.soc, masters[k]);
		FILE *sink = testdebug_start();
		dma_addr_t h;
		u8 *p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
		u8 got[64];

		CHECK(p != NULL && dev_is_dma_coherent(dev) == k);
		memset(p, 0x42, 64);
		CHECK_EQ(dk_dev_dma_read(sd, h, got, 64), 0);
		CHECK(bytes_are(got, 0, 64));	/* adversarial: all held */
		CHECK_EQ(dk_dma_debug_count(DK_CHK_DEVICE_READ_BUFFERED), 1);
		dma_wmb();
		CHECK_EQ(dk_dev_dma_read(sd, h, got, 64), 0);
		CHECK(bytes_are(got, 0x42, 64));
		CHECK_EQ(dk_dma_debug_nfindings(), 1);
		dma_free_coherent(dev, 4096, p, h);
		testdebug_end(sink);
		testmachine_shutdown(&t);
	}
}
