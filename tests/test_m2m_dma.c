// SPDX-License-Identifier: MIT
/*
 * The memcpy DMA engine end to end on the default SoC: a driver builds a
 * descriptor chain, maintains the cache as a correct driver must, rings
 * the doorbell, and the completion interrupt arrives with the bytes moved.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define DESC 0x80100000ULL
#define SRC 0x80200000ULL
#define DST 0x100300000ULL	/* above 4 GiB */

static int irqs;

static void on_irq(int irq, void *arg)
{
	struct dk_simdev *dma = arg;

	(void)irq;
	irqs++;
	dk_dev_mmio_write32(dma, DK_M2M_REG_IRQSTAT,
			    dk_dev_mmio_read32(dma, DK_M2M_REG_IRQSTAT));
}

static void put_desc(u8 *p, u64 src, u64 dst, u32 len, u32 flags, u64 next)
{
	struct dk_m2m_desc d = { src, dst, len, flags, next };

	memcpy(p, &d, sizeof(d));	/* the host is little-endian too */
}

static struct dk_soc *setup(int policy, struct dk_simdev **dma)
{
	struct dk_soc_opts o;
	struct dk_soc *soc;

	dk_soc_opts_init(&o);
	o.policy = policy;
	CHECK_EQ(dk_soc_load_default(&o, &soc), 0);
	*dma = dk_soc_find_dev(soc, "dma@10000000");
	irqs = 0;
	CHECK_EQ(dk_soc_request_irq(soc, dk_simdev_desc(*dma)->irq, on_irq,
				    *dma), 0);
	return soc;
}

static void start(struct dk_simdev *dma, int ch, u64 desc)
{
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(ch) + DK_M2M_DESC_LO, (u32)desc);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(ch) + DK_M2M_DESC_HI, desc >> 32);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(ch) + DK_M2M_CTRL,
			    DK_M2M_CTRL_START | DK_M2M_CTRL_IRQEN);
}

TEST(m2m_chain_copies_and_interrupts_every_policy)
{
	for (int p = DK_EVICT_NEVER; p <= DK_EVICT_RANDOM; p++) {
		struct dk_simdev *dma;
		struct dk_soc *soc = setup(p, &dma);
		u8 *desc = dk_sim_cpu_ptr(soc, DESC), *src = dk_sim_cpu_ptr(soc, SRC);
		u8 *dst = dk_sim_cpu_ptr(soc, DST);
		u32 st, flags;
		int i;

		CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_REG_ID), DK_M2M_ID);
		CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_REG_NCHAN), 4);
		for (i = 0; i < 3000; i++)
			src[i] = i * 31 + 7;
		put_desc(desc, SRC, DST, 1000, 0, DESC + 32);
		put_desc(desc + 32, SRC + 1000, DST + 1000, 2000,
			 DK_M2M_DESC_LAST, 0);
		/* A correct driver: clean what the device reads,
		 * invalidate what it writes. */
		dk_sim_cache_clean(soc, DESC, 64);
		dk_sim_cache_clean(soc, SRC, 3000);
		dk_sim_cache_inval(soc, DST, 3000);
		start(dma, 2, DESC);
		st = dk_dev_mmio_read32(dma, DK_M2M_CHAN(2) + DK_M2M_STATUS);
		CHECK_EQ(st, DK_M2M_ST_BUSY);
		dk_soc_run(soc, 0);
		CHECK_EQ(irqs, 1);
		/* 2 x (setup + fetch-to-copy) + 1000/8 + 2000/8, then irq. */
		CHECK_EQ(dk_soc_now(soc),
			 2 * DK_M2M_SETUP_CYCLES + 2 + 125 + 250 + 1);
		st = dk_dev_mmio_read32(dma, DK_M2M_CHAN(2) + DK_M2M_STATUS);
		CHECK_EQ(st, DK_M2M_ST_DONE);
		CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_CHAN(2) + DK_M2M_COUNT), 2);
		CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_REG_IRQSTAT), 0);
		dk_sim_cache_inval(soc, DST, 3000);
		dk_sim_cache_inval(soc, DESC, 64);
		CHECK_MEM(dst, src, 3000);
		memcpy(&flags, desc + 20, 4);
		CHECK_EQ(flags, DK_M2M_DESC_DONE);
		memcpy(&flags, desc + 52, 4);
		CHECK_EQ(flags, DK_M2M_DESC_DONE | DK_M2M_DESC_LAST);
		CHECK_EQ(dk_soc_nfaults(soc), 0);
		dk_soc_free(soc);
	}
}

/* Forgetting to clean the descriptor: the engine reads zeros from DRAM,
 * a zero-length copy from address 0, which faults. */
TEST(m2m_uncleaned_descriptor_faults)
{
	struct dk_simdev *dma;
	struct dk_soc *soc = setup(DK_EVICT_NEVER, &dma);
	u8 *desc = dk_sim_cpu_ptr(soc, DESC);

	put_desc(desc, SRC, DST, 64, DK_M2M_DESC_LAST, 0);
	start(dma, 0, DESC);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_CHAN(0) + DK_M2M_STATUS),
		 DK_M2M_ST_ERROR);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	CHECK_EQ(dk_soc_fault(soc, 0)->reason, DK_FAULT_NO_MEMORY);
	CHECK_EQ(dk_soc_fault(soc, 0)->dev_addr, 0);
	CHECK(!strcmp(dk_soc_fault(soc, 0)->device, "/soc/dma@10000000"));
	dk_soc_free(soc);
}

TEST(m2m_reprogram_while_busy_is_flagged)
{
	struct dk_simdev *dma;
	struct dk_soc *soc = setup(DK_EVICT_NEVER, &dma);
	u8 *desc = dk_sim_cpu_ptr(soc, DESC);
	u32 st;

	put_desc(desc, SRC, DST, 4096, DK_M2M_DESC_LAST, 0);
	dk_sim_cache_clean(soc, DESC, 32);
	start(dma, 1, DESC);
	/* A second user grabs channel 1 while it runs. */
	start(dma, 1, DESC + 64);
	st = dk_dev_mmio_read32(dma, DK_M2M_CHAN(1) + DK_M2M_STATUS);
	CHECK_EQ(st, DK_M2M_ST_BUSY | DK_M2M_ST_REPROGRAMMED);
	dk_soc_run(soc, 0);
	st = dk_dev_mmio_read32(dma, DK_M2M_CHAN(1) + DK_M2M_STATUS);
	CHECK_EQ(st, DK_M2M_ST_DONE | DK_M2M_ST_REPROGRAMMED);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(1) + DK_M2M_STATUS, st);
	CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_CHAN(1) + DK_M2M_STATUS), 0);
	/* Other channels were untouched. */
	CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_CHAN(0) + DK_M2M_STATUS), 0);
	dk_soc_free(soc);
}

TEST(m2m_mmio_bounds)
{
	struct dk_simdev *dma;
	struct dk_soc *soc = setup(DK_EVICT_NEVER, &dma);

	CHECK_EQ(dk_dev_mmio_write32(dma, 0x1000, 1), -EINVAL);
	CHECK_EQ(dk_dev_mmio_write32(dma, 0x102, 1), -EINVAL);
	CHECK_EQ(dk_dev_mmio_read32(dma, 0x2000), 0);
	CHECK_STR(dk_last_error(), "MMIO read at offset 0x2000");
	CHECK_EQ(dk_dev_mmio_read32(dma, DK_M2M_CHAN(4)), 0);	/* no chan 4 */
	CHECK_EQ(dk_dev_mmio_write32(NULL, 0, 0), -EINVAL);
	dk_soc_free(soc);
}

/* Threaded mode: the engine runs on its own thread while two driver
 * threads program their own channels over and over. */
struct stress {
	struct dk_soc *soc;
	struct dk_simdev *dma;
	int ch;
	int done;
};

/* Valgrind runs one thread at a time, so the busy-waits spin for whole
 * time slices: a fifth of the rounds there. */
static int stress_rounds(void)
{
	return dk_test_on_valgrind() ? 10 : 50;
}

static void *stress_driver(void *p)
{
	struct stress *s = p;
	u64 base = 0x80100000ULL + s->ch * 0x10000;
	u8 *desc = dk_sim_dram_ptr(s->soc, base);	/* uncached view */
	u8 *src = dk_sim_dram_ptr(s->soc, base + 0x1000);
	u8 *dst = dk_sim_dram_ptr(s->soc, base + 0x2000);
	int k, i;

	for (k = 0; k < stress_rounds(); k++) {
		for (i = 0; i < 256; i++)
			src[i] = (u8)(i + k + s->ch);
		put_desc(desc, base + 0x1000, base + 0x2000, 256,
			 DK_M2M_DESC_LAST, 0);
		start(s->dma, s->ch, base);
		while (dk_dev_mmio_read32(s->dma, DK_M2M_CHAN(s->ch) +
						  DK_M2M_STATUS) & DK_M2M_ST_BUSY)
			;
		if (!memcmp(src, dst, 256))
			s->done++;
	}
	return NULL;
}

TEST(m2m_threaded_event_loop_stress)
{
	struct dk_simdev *dma;
	struct dk_soc *soc = setup(DK_EVICT_NEVER, &dma);
	struct stress s[2] = { { soc, dma, 0, 0 }, { soc, dma, 1, 0 } };
	pthread_t t[2];
	int i;

	CHECK_EQ(dk_soc_start_thread(soc), 0);
	CHECK_EQ(dk_soc_start_thread(soc), -EBUSY);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, stress_driver, &s[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	dk_soc_stop_thread(soc);
	CHECK_EQ(s[0].done, stress_rounds());
	CHECK_EQ(s[1].done, stress_rounds());
	CHECK_EQ(irqs, 2 * stress_rounds());
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}
