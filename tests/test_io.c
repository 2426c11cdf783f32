// SPDX-License-Identifier: MIT
/*
 * Register windows and accessors on the default SoC's m2m DMA engine:
 * widths and lanes, 64-bit as two 32-bit halves, accesses outside every
 * window, iounmap and devm_ioremap, and memcpy_toio/fromio/memset_io on
 * both registers and coherent DMA memory.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define M2M_BASE 0x10000000ULL
#define M2M_SIZE 0x1000


#define REG(base, off) ((u8 *)(base) + (off))

TEST(io_m2m_registers_through_ioremap)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, "dma@10000000");
	void __iomem *base = ioremap(M2M_BASE, M2M_SIZE);
	u8 *lo1 = REG(base, DK_M2M_CHAN(1) + DK_M2M_DESC_LO);
	u8 *lo2 = REG(base, DK_M2M_CHAN(2) + DK_M2M_DESC_LO);

	CHECK(base != NULL);
	CHECK_EQ((uintptr_t)base % 4096, 0);
	CHECK_EQ(readl(REG(base, DK_M2M_REG_ID)), DK_M2M_ID);
	CHECK_EQ(readl_relaxed(REG(base, DK_M2M_REG_ID)), DK_M2M_ID);
	CHECK_EQ(ioread32(REG(base, DK_M2M_REG_ID)), DK_M2M_ID);
	CHECK_EQ(readl(REG(base, DK_M2M_REG_NCHAN)), 4);

	/* A written register reads back, and the model itself has it. */
	writel(0x12345678, lo1);
	CHECK_EQ(readl(lo1), 0x12345678);
	CHECK_EQ(dk_dev_mmio_read32(sd, DK_M2M_CHAN(1) + DK_M2M_DESC_LO),
		 0x12345678);
	writel_relaxed(0x9abcdef0, lo1);
	CHECK_EQ(readl(lo1), 0x9abcdef0);
	iowrite32(0x0badf00d, lo1);
	CHECK_EQ(readl(lo1), 0x0badf00d);

	/* 64-bit: DESC_LO then DESC_HI. */
	writeq(0x000000ab12345000ULL, lo2);
	CHECK_EQ(readl(lo2), 0x12345000);
	CHECK_EQ(readl(lo2 + 4), 0xab);
	CHECK_EQ(readq(lo2), 0x000000ab12345000ULL);
	writeq_relaxed(0xfedcba9876543210ULL, lo2);
	CHECK_EQ(readq_relaxed(lo2), 0xfedcba9876543210ULL);
	CHECK_EQ(dk_dev_mmio_read32(sd, DK_M2M_CHAN(2) + DK_M2M_DESC_HI),
		 0xfedcba98);

	/* Narrow reads pick the little-endian lane: "2MKD" */
	CHECK_EQ(readb(REG(base, 0)), 0x32);
	CHECK_EQ(readb(REG(base, 1)), 0x4d);
	CHECK_EQ(readb(REG(base, 2)), 0x4b);
	CHECK_EQ(readb_relaxed(REG(base, 3)), 0x44);
	CHECK_EQ(ioread8(REG(base, 3)), 0x44);
	CHECK_EQ(readw(REG(base, 0)), 0x4d32);
	CHECK_EQ(readw_relaxed(REG(base, 2)), 0x444b);
	CHECK_EQ(ioread16(REG(base, 2)), 0x444b);

	/* Narrow writes merge into the word (read-modify-write). */
	writel(0x11223344, lo1);
	writeb(0xaa, lo1 + 1);
	CHECK_EQ(readl(lo1), 0x1122aa44);
	writew(0xbeef, lo1 + 2);
	CHECK_EQ(readl(lo1), 0xbeefaa44);
	writeb_relaxed(0x01, lo1 + 3);
	writew_relaxed(0x5566, lo1);
	CHECK_EQ(readl(lo1), 0x01ef5566);
	iowrite8(0x77, lo1);
	iowrite16(0x8899, lo1 + 2);
	CHECK_EQ(readl(lo1), 0x88995577);

	iounmap(base);
	testmachine_shutdown(&t);
}

static void died_of(int sig)
{
	dk_test_child_exit(128 + sig);
}

TEST(io_register_window_is_not_memory)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	void __iomem *base = ioremap(M2M_BASE, M2M_SIZE);
	int status = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* A sanitizer may report the fault instead of dying of it. */
		dup2(null, 2);
		signal(SIGSEGV, SIG_DFL);
		/* Valgrind would check the heap for leaks as the child dies. */
		if (dk_test_on_valgrind()) {
			signal(SIGSEGV, died_of);
			signal(SIGBUS, died_of);
		}
		(void)*(volatile u32 *)base;
		dk_test_child_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(!(WIFEXITED(status) && WEXITSTATUS(status) == 0));
	if (WIFSIGNALED(status))
		CHECK(WTERMSIG(status) == SIGSEGV ||
		      WTERMSIG(status) == SIGBUS);
	if (WIFEXITED(status) && dk_test_on_valgrind())
		CHECK(WEXITSTATUS(status) == 128 + SIGSEGV ||
		      WEXITSTATUS(status) == 128 + SIGBUS);
	iounmap(base);
	testmachine_shutdown(&t);
}

TEST(io_access_outside_windows_reads_ones_and_drops_writes)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	/* A window at an unaligned offset into its page: channel 0 and
	 * one word of channel 1. */
	void __iomem *w = ioremap(M2M_BASE + 0x100, 0x44);
	u32 word = 0x5a5a5a5a;
	u64 quad = 0;
	struct capture cap;
	char out[4096], want[256];

	CHECK(w != NULL);
	CHECK_EQ((uintptr_t)w % 4096, 0x100);
	CHECK_EQ(readl(REG(w, DK_M2M_DESC_LO)), 0);	/* reset value */
	CHECK_EQ(readq(REG(w, 0x38)), 0);		/* the last 8 bytes */

	cap = capture_start();
	CHECK_EQ(readl(&word), 0xffffffff);
	CHECK_EQ(readb(&word), 0xff);
	CHECK_EQ(readw(&word), 0xffff);
	CHECK_EQ(readq(&quad), ~0ULL);
	writel(0, &word);
	writeb(0, &word);
	writeq(1, &quad);
	CHECK_EQ(readl(REG(w, -4)), 0xffffffff);	/* slack before */
	CHECK_EQ(readl(REG(w, 0x44)), 0xffffffff);	/* just after */
	CHECK_EQ(readl(REG(w, 0x3e)), 0xffffffff);	/* unaligned */
	CHECK_EQ(readq(REG(w, 0x40)), ~0ULL);		/* half outside */
	CHECK_EQ(readl_relaxed(NULL), 0xffffffff);
	capture_end(&cap, out, sizeof(out));

	CHECK_EQ(word, 0x5a5a5a5a);	/* writes were dropped */
	CHECK_EQ(quad, 0);
	snprintf(want, sizeof(want), "readl(%p): not inside any ioremap() window\n",
		 (void *)&word);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "readb(%p): not inside any ioremap() window\n",
		 (void *)&word);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "writel(%p): not inside any ioremap() window\n",
		 (void *)&word);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "writeq(%p): not inside any ioremap() window\n",
		 (void *)&quad);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "readl(%p): not inside any ioremap() window\n",
		 (void *)REG(w, -4));
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "readl(%p): not inside any ioremap() window\n",
		 (void *)REG(w, 0x44));
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "readl(%p): unaligned 4-byte register access\n",
		 (void *)REG(w, 0x3e));
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "readq(%p): not inside any ioremap() window\n",
		 (void *)REG(w, 0x40));
	CHECK_STR(out, want);
	CHECK_STR(out, "readl_relaxed((nil)): not inside any ioremap() window\n");
	iounmap(w);
	testmachine_shutdown(&t);
}

TEST(io_iounmap_then_access_is_reported)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	void __iomem *base = ioremap(M2M_BASE, M2M_SIZE);
	struct capture cap;
	char out[2048], want[256];

	CHECK_EQ(readl(REG(base, DK_M2M_REG_ID)), DK_M2M_ID);
	iounmap(base);
	cap = capture_start();
	CHECK_EQ(readl(REG(base, DK_M2M_REG_ID)), 0xffffffff);
	writel(1, REG(base, DK_M2M_REG_IRQSTAT));
	iounmap(base);
	iounmap(NULL);			/* a no-op, silently */
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want), "readl(%p): not inside any ioremap() window\n",
		 (void *)base);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "writel(%p): not inside any ioremap() window\n",
		 (void *)REG(base, DK_M2M_REG_IRQSTAT));
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "iounmap(%p): not an address ioremap() returned\n",
		 (void *)base);
	CHECK_STR(out, want);
	testmachine_shutdown(&t);
}

TEST(io_ioremap_refuses_bad_ranges)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);

	CHECK(!ioremap(M2M_BASE, 0));
	CHECK(err_is("ioremap(0x10000000, 0): empty or wrapping range"));
	CHECK(!ioremap(~0ULL - 3, 8));
	CHECK(err_is("ioremap(0xfffffffffffffffc, 8): empty or wrapping range"));
	CHECK(!ioremap(0x80001000, 0x1000));
	CHECK(err_is("ioremap(0x80001000, 4096): overlaps RAM 0x80000000..0xbfffffff; memory is reached through the DMA API, not register windows"));
	/* Ending in RAM is just as bad. */
	CHECK(!ioremap(0x7ffff000, 0x2000));
	CHECK(err_is("ioremap(0x7ffff000, 8192): overlaps RAM 0x80000000..0xbfffffff; memory is reached through the DMA API, not register windows"));
	CHECK(!devm_ioremap(NULL, M2M_BASE, M2M_SIZE));
	CHECK(err_is("devm_ioremap: NULL device"));
	testmachine_shutdown(&t);
}

static void pattern(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 13);
}

TEST(io_memcpy_toio_into_coherent_memory_exact_bytes)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, "master@10010000");
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 31,
				       64, 65, 127, 200 };
	u8 src[256], want[512], got[512];
	dma_addr_t h;
	u8 *buf = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	size_t off, li;

	CHECK(buf != NULL);
	CHECK(!dk_sim_is_cacheable(t.soc, buf));	/* uncached alias */
	for (off = 0; off < 8; off++)
		for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
			size_t len = lens[li];

			memset(buf, 0xc3, 512);
			pattern(src, len, (u8)(off * 31 + len));
			memcpy_toio(buf + off, src, len);
			memset(want, 0xc3, 512);
			memcpy(want + off, src, len);
			CHECK_MEM(buf, want, 512);
			/* The device sees the same bytes, no sync: only
			 * the barrier of the writel() that would start it
			 * (coherent memory is Normal non-cacheable). */
			wmb();
			CHECK_EQ(dk_dev_dma_read(sd, h, got, 512), 0);
			CHECK_MEM(got, want, 512);

			memset(got, 0x11, 512);
			memcpy_fromio(got + 3, buf + off, len);
			CHECK_MEM(got + 3, src, len);
			CHECK_EQ(got[2], 0x11);
			CHECK_EQ(got[3 + len], 0x11);

			memset_io(buf + off, 0x7e, len);
			memset(want + off, 0x7e, len);
			CHECK_MEM(buf, want, 512);
		}
	dma_free_coherent(dev, 4096, buf, h);
	testmachine_shutdown(&t);
}

TEST(io_memcpy_toio_fromio_on_registers)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	void __iomem *base = ioremap(M2M_BASE, M2M_SIZE);
	u8 *lo0 = REG(base, DK_M2M_CHAN(0) + DK_M2M_DESC_LO);
	u8 *lo3 = REG(base, DK_M2M_CHAN(3) + DK_M2M_DESC_LO);
	u8 in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[8];
	static const u8 id_nchan[8] = { 0x32, 0x4d, 0x4b, 0x44, 4, 0, 0, 0 };
	struct capture cap;
	char msg[1024], want[256];

	memcpy_toio(lo0, in, 8);
	CHECK_EQ(readl(lo0), 0x04030201);
	CHECK_EQ(readl(lo0 + 4), 0x08070605);
	memcpy_fromio(out, REG(base, DK_M2M_REG_ID), 8);
	CHECK_MEM(out, id_nchan, 8);
	/* Unaligned head and tail go byte by byte. */
	memcpy_fromio(out, REG(base, 1), 6);
	CHECK_MEM(out, id_nchan + 1, 6);
	memcpy_toio(lo0 + 1, in, 6);
	CHECK_EQ(readl(lo0), 0x03020101);
	CHECK_EQ(readl(lo0 + 4), 0x08060504);
	memset_io(lo3, 0xab, 8);
	CHECK_EQ(readq(lo3), 0xababababababababULL);

	/* A transfer that runs off the window touches nothing, not even the
	 * caller's buffer, whose size the wrong count cannot tell. */
	memset(out, 0x5a, sizeof(out));
	cap = capture_start();
	memcpy_toio(REG(base, M2M_SIZE - 4), in, 8);
	memcpy_fromio(out, REG(base, M2M_SIZE - 2), 4);
	capture_end(&cap, msg, sizeof(msg));
	snprintf(want, sizeof(want), "memcpy_toio(%p, 8 bytes): runs outside its ioremap() window\n",
		 (void *)REG(base, M2M_SIZE - 4));
	CHECK_STR(msg, want);
	CHECK_EQ(out[0], 0x5a);
	CHECK_EQ(out[3], 0x5a);
	iounmap(base);
	testmachine_shutdown(&t);
}

/* ---- devm_ioremap */

static void __iomem *probed_base;

static int m2m_probe(struct device *dev)
{
	probed_base = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!probed_base)
		return -ENOMEM;
	return readl(REG(probed_base, DK_M2M_REG_ID)) == DK_M2M_ID ? 0 :
								     -ENODEV;
}

static const struct of_device_id m2m_ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

TEST(io_devm_ioremap_unmapped_at_unbind)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device_driver drv = { .name = "m2m-io",
				     .of_match_table = m2m_ids,
				     .probe = m2m_probe };
	struct device *dev = dk_machine_find_device(t.m, "dma@10000000");
	void __iomem *mine;
	struct capture cap;
	char out[1024], want[256];

	probed_base = NULL;
	CHECK_EQ(driver_register(&drv), 0);
	CHECK(dev->driver == &drv);
	CHECK_EQ(readl(REG(probed_base, DK_M2M_REG_NCHAN)), 4);

	/* devm_iounmap now, then a second one that unbind releases. */
	mine = devm_ioremap(dev, dev->reg, 0x10);
	CHECK_EQ(readl(mine), DK_M2M_ID);
	devm_iounmap(dev, mine);
	mine = devm_ioremap(dev, dev->reg + 4, 4);
	CHECK_EQ(readl(mine), 4);

	device_release_driver(dev);
	cap = capture_start();
	CHECK_EQ(readl(REG(probed_base, DK_M2M_REG_NCHAN)), 0xffffffff);
	CHECK_EQ(readl(mine), 0xffffffff);
	devm_iounmap(dev, mine);
	capture_end(&cap, out, sizeof(out));
	snprintf(want, sizeof(want), "readl(%p): not inside any ioremap() window\n",
		 (void *)REG(probed_base, DK_M2M_REG_NCHAN));
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "readl(%p): not inside any ioremap() window\n",
		 mine);
	CHECK_STR(out, want);
	snprintf(want, sizeof(want), "devm_iounmap(/soc/dma@10000000, %p): not from devm_ioremap()\n",
		 mine);
	CHECK_STR(out, want);
	driver_unregister(&drv);
	testmachine_shutdown(&t);
}

/* ---- barriers: message passing between two threads */

static u32 mp_data[64];
static atomic_int mp_flag;

static void *mp_reader(void *arg)
{
	unsigned long *bad = arg;
	int i;

	while (!atomic_load_explicit(&mp_flag, memory_order_relaxed))
		;
	dma_rmb();
	for (i = 0; i < 64; i++)
		if (mp_data[i] != (u32)i * 3 + 1)
			++*bad;
	return NULL;
}

TEST(io_barriers_order_message_passing)
{
	unsigned long bad = 0;
	pthread_t tid;
	int i, round;

	for (round = 0; round < 50; round++) {
		memset(mp_data, 0, sizeof(mp_data));
		atomic_store(&mp_flag, 0);
		CHECK_EQ(pthread_create(&tid, NULL, mp_reader, &bad), 0);
		for (i = 0; i < 64; i++)
			mp_data[i] = (u32)i * 3 + 1;
		dma_wmb();
		atomic_store_explicit(&mp_flag, 1, memory_order_relaxed);
		pthread_join(tid, NULL);
	}
	CHECK_EQ(bad, 0);
	/* The others compile to fences of the documented strength. */
	mb();
	rmb();
	wmb();
	dma_mb();
}
