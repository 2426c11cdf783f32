// SPDX-License-Identifier: MIT
/*
 * The "dmakit,crypto" model on the built-in SoC: rings, results, output
 * data, interrupts and errors. The engine there is coherent in hardware
 * and write-allocates, so its writes sit in the CPU's cache view (dirty)
 * while DRAM keeps the old bytes; that is checked too, it is the point of
 * "Flunking the Self-Test".
 */
#include <string.h>

#include <dmakit/models/crypto.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define JR	0x80100000ULL
#define RR	0x80110000ULL
#define SRC	0x80200000ULL
#define DST	0x80300000ULL
#define NODE	"crypto@10120000"
#define LEN	100

static int irqs;

static void on_irq(int irq, void *arg)
{
	(void)irq;
	(void)arg;
	irqs++;
}

static struct dk_soc *setup(struct dk_simdev **c)
{
	struct dk_soc *soc;

	irqs = 0;
	soc = testsoc_model(NODE, c, on_irq);
	if (!soc)
		return NULL;
	return soc;
}

static void rings(struct dk_simdev *c, u32 jr_size, u32 rr_size, u64 jr)
{
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_LO, (u32)jr);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_HI, jr >> 32);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_SIZE, jr_size);
	dk_dev_mmio_write32(c, DK_CRYPTO_RR_LO, (u32)RR);
	dk_dev_mmio_write32(c, DK_CRYPTO_RR_HI, RR >> 32);
	dk_dev_mmio_write32(c, DK_CRYPTO_RR_SIZE, rr_size);
	dk_dev_mmio_write32(c, DK_CRYPTO_CTRL, DK_CRYPTO_CTRL_ENABLE |
			    DK_CRYPTO_CTRL_IRQEN);
}

/* Jobs go to DRAM: the snoop finds no dirty line and reads it there. */
static void job(struct dk_soc *soc, int i, u64 src, u64 dst, u32 len, u32 op,
		u32 key)
{
	struct dk_crypto_job j = { src, dst, len, op, key, 0x7a90 + i };

	memcpy(dk_sim_dram_ptr(soc, JR + i * DK_CRYPTO_ENTRY_SIZE), &j,
	       sizeof(j));
}

static struct dk_crypto_result result(struct dk_soc *soc, int i)
{
	struct dk_crypto_result r;

	memcpy(&r, dk_sim_cpu_ptr(soc, RR + i * DK_CRYPTO_ENTRY_SIZE),
	       sizeof(r));
	return r;
}

static void fill_src(struct dk_soc *soc)
{
	u8 *s = dk_sim_dram_ptr(soc, SRC);
	int i;

	for (i = 0; i < 2 * LEN; i++)
		s[i] = (u8)(i * 3 + 1);
}

TEST(model_crypto_registers)
{
	struct dk_simdev *c;
	struct dk_soc *soc = setup(&c);

	if (!soc)
		return;
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_REG_ID), DK_CRYPTO_ID);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_SIZE, 3);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_SIZE), 0);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_SIZE, 8192);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_SIZE), 0);
	dk_dev_mmio_write32(c, DK_CRYPTO_RR_SIZE, 16);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_RR_SIZE), 16);
	dk_dev_mmio_write32(c, DK_CRYPTO_RR_TAIL, 21);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_RR_TAIL), 5);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_LO, 0x80100000);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_HI, 7);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_LO), 0x80100000);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_HI), 7);
	dk_dev_mmio_write32(c, DK_CRYPTO_CTRL, 0xff);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_CTRL),
		 DK_CRYPTO_CTRL_ENABLE | DK_CRYPTO_CTRL_IRQEN);
	/* enabling with nothing queued produces nothing and says nothing */
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), 0);
	CHECK_EQ(irqs, 0);
	dk_soc_free(soc);
}

TEST(model_crypto_jobs_results_and_write_allocate)
{
	struct dk_simdev *c;
	struct dk_soc *soc = setup(&c);
	u8 want[2][LEN];
	int i;

	if (!soc)
		return;
	fill_src(soc);
	rings(c, 8, 8, JR);
	job(soc, 0, SRC, DST, LEN, DK_CRYPTO_OP_XOR, 0x11223344);
	job(soc, 1, SRC + LEN, DST + LEN, LEN, DK_CRYPTO_OP_ADD, 0xf0e0d0c0);
	job(soc, 2, SRC, DST + 2 * LEN, LEN, 99, 0);		/* unknown op */
	for (i = 0; i < LEN; i++) {
		u8 *s = dk_sim_dram_ptr(soc, SRC);

		want[0][i] = s[i] ^ (u8)(0x11223344u >> (8 * (i % 4)));
		want[1][i] = s[LEN + i] + (u8)(0xf0e0d0c0u >> (8 * (i % 4)));
	}
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_TAIL, 3);
	CHECK(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS) & DK_CRYPTO_ST_BUSY);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), DK_CRYPTO_ST_DONE);
	CHECK_EQ(dk_soc_now(soc), 3 * (DK_CRYPTO_JOB_CYCLES +
				       LEN / DK_CRYPTO_BYTES_PER_CYCLE) + 1);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_HEAD), 3);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_RR_HEAD), 3);
	for (i = 0; i < 3; i++) {
		struct dk_crypto_result r = result(soc, i);

		CHECK_EQ(r.tag, 0x7a90 + i);
		CHECK_EQ(r.src, i == 1 ? SRC + LEN : SRC);
		CHECK_EQ(r.dst, DST + i * LEN);
		CHECK_EQ(r.len, LEN);
		CHECK_EQ(r.status, i < 2 ? DK_CRYPTO_RES_OK :
					   DK_CRYPTO_RES_BAD_JOB);
		if (i < 2)
			CHECK_EQ(r.sum, dk_crypto_fnv1a(want[i], LEN));
	}
	CHECK_MEM(dk_sim_cpu_ptr(soc, DST), want[0], LEN);
	CHECK_MEM(dk_sim_cpu_ptr(soc, DST + LEN), want[1], LEN);
	CHECK_EQ(*(u8 *)dk_sim_cpu_ptr(soc, DST + 2 * LEN), 0);
	/* written into the CPU's cache only: dirty there, old in DRAM */
	CHECK(dk_sim_line_dirty(soc, RR));
	CHECK(dk_sim_line_dirty(soc, DST));
	CHECK_EQ(*(u32 *)dk_sim_dram_ptr(soc, RR), 0);
	/* an invalidate throws the results away, as a non-coherent unmap does */
	dk_sim_cache_inval(soc, RR, 3 * DK_CRYPTO_ENTRY_SIZE);
	CHECK_EQ(result(soc, 0).tag, 0);
	dk_dev_mmio_write32(c, DK_CRYPTO_STATUS, DK_CRYPTO_ST_DONE);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), 0);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

/* A result ring of two holds one: the engine waits for software. */
TEST(model_crypto_result_ring_full_stalls)
{
	struct dk_simdev *c;
	struct dk_soc *soc = setup(&c);

	if (!soc)
		return;
	fill_src(soc);
	rings(c, 4, 2, JR);
	job(soc, 0, SRC, DST, LEN, DK_CRYPTO_OP_XOR, 1);
	job(soc, 1, SRC, DST + LEN, LEN, DK_CRYPTO_OP_XOR, 2);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_TAIL, 2);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 0);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_RR_HEAD), 1);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_HEAD), 1);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), DK_CRYPTO_ST_BUSY);
	CHECK_EQ(result(soc, 0).tag, 0x7a90);
	dk_dev_mmio_write32(c, DK_CRYPTO_RR_TAIL, 1);	/* consumed one */
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_RR_HEAD), 0);	/* wrapped */
	CHECK_EQ(result(soc, 1).tag, 0x7a91);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), DK_CRYPTO_ST_DONE);
	dk_soc_free(soc);
}

TEST(model_crypto_faults)
{
	struct dk_simdev *c;
	struct dk_soc *soc = setup(&c);

	if (!soc)
		return;
	/* the job's data where there is no RAM: a result says so */
	rings(c, 4, 4, JR);
	job(soc, 0, 0x1000, DST, LEN, DK_CRYPTO_OP_XOR, 1);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_TAIL, 1);
	dk_soc_run(soc, 0);
	CHECK_EQ(result(soc, 0).status, DK_CRYPTO_RES_DMA);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), DK_CRYPTO_ST_DONE);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	/* the job ring there: the engine halts with ERROR */
	dk_dev_mmio_write32(c, DK_CRYPTO_CTRL, 0);
	dk_dev_mmio_write32(c, DK_CRYPTO_STATUS, ~0u);
	rings(c, 4, 4, 0x2000);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_TAIL, 1);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_STATUS), DK_CRYPTO_ST_ERROR);
	CHECK_EQ(irqs, 2);
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	/* halted: the doorbell does nothing until ENABLE is cleared */
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_TAIL, 2);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	dk_dev_mmio_write32(c, DK_CRYPTO_CTRL, 0);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_TAIL), 0);
	CHECK_EQ(dk_dev_mmio_read32(c, DK_CRYPTO_JR_HEAD), 0);
	dk_dev_mmio_write32(c, DK_CRYPTO_STATUS, DK_CRYPTO_ST_ERROR);
	rings(c, 4, 4, JR);
	job(soc, 0, SRC, DST, LEN, DK_CRYPTO_OP_ADD, 1);
	dk_dev_mmio_write32(c, DK_CRYPTO_JR_TAIL, 1);
	dk_soc_run(soc, 0);
	CHECK_EQ(result(soc, 0).status, DK_CRYPTO_RES_OK);
	dk_soc_free(soc);
}
