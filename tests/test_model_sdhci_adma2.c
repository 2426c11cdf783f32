// SPDX-License-Identifier: MIT
/*
 * The "dmakit,sdhci-adma2" model on the built-in SoC: commands, the ADMA2
 * descriptor walk, the bytes it moves between card and memory, interrupts
 * and error bits. The controller is non-coherent and descriptors are put
 * in DRAM directly, so DRAM shows exactly what the engine wrote.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/models/sdhci_adma2.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define TABLE	0x80100000ULL
#define TABLE2	0x80110000ULL
#define BUF	0x80200000ULL
#define NODE	"mmc@10110000"
#define BS	DK_SDHCI_BLOCK_SIZE

static int irqs;
static u64 irq_time;

static void on_irq(int irq, void *arg)
{
	(void)irq;
	irqs++;
	irq_time = dk_soc_now(arg);
}

static struct dk_soc *setup(struct dk_simdev **h)
{
	struct dk_soc *soc;
	u8 card[DK_SDHCI_CARD_BLOCKS * BS];
	size_t i;

	irqs = 0;
	soc = testsoc_model(NODE, h, on_irq);
	if (!soc)
		return NULL;
	for (i = 0; i < sizeof(card); i++)
		card[i] = (u8)(i / BS * 13 + i * 5 + 1);
	CHECK_EQ(dk_sdhci_card_write(*h, 0, card, DK_SDHCI_CARD_BLOCKS), 0);
	dk_dev_mmio_write32(*h, DK_SDHCI_HOST_CTRL, DK_SDHCI_CTRL_ADMA64);
	dk_dev_mmio_write32(*h, DK_SDHCI_INT_SIGNAL,
			    DK_SDHCI_INT_XFER_COMPLETE | DK_SDHCI_INT_ERROR);
	return soc;
}

static void desc(struct dk_soc *soc, u64 at, u16 attr, u32 len, u64 addr)
{
	u8 *d = dk_sim_dram_ptr(soc, at);
	u16 l = (u16)len;
	u32 zero = 0;

	memcpy(d, &attr, 2);
	memcpy(d + 2, &l, 2);
	memcpy(d + 4, &addr, 8);
	memcpy(d + 12, &zero, 4);
}

static void command(struct dk_simdev *h, u64 table, u32 lba, u32 count,
		    u32 index)
{
	dk_dev_mmio_write32(h, DK_SDHCI_ADMA_LO, (u32)table);
	dk_dev_mmio_write32(h, DK_SDHCI_ADMA_HI, table >> 32);
	dk_dev_mmio_write32(h, DK_SDHCI_BLOCK, DK_SDHCI_BLOCK_VAL(BS, count));
	dk_dev_mmio_write32(h, DK_SDHCI_ARGUMENT, lba);
	dk_dev_mmio_write32(h, DK_SDHCI_COMMAND, DK_SDHCI_MODE_DMA |
			    DK_SDHCI_CMD_DATA | DK_SDHCI_CMD_INDEX(index));
}

static void card_blocks(struct dk_simdev *h, u32 lba, u32 n, u8 *out)
{
	CHECK_EQ(dk_sdhci_card_read(h, lba, out, n), 0);
}

#define TRAN	(DK_SDHCI_DESC_VALID | DK_SDHCI_DESC_TRAN)
#define LAST	(TRAN | DK_SDHCI_DESC_END)

TEST(model_sdhci_registers)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);

	if (!soc)
		return;
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_REG_ID), DK_SDHCI_ID);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_CAPS),
		 DK_SDHCI_CAPS_ADMA2 | DK_SDHCI_CAPS_64BIT);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_PRESENT),
		 DK_SDHCI_PRESENT_CARD);
	dk_dev_mmio_write32(h, DK_SDHCI_ADMA_LO, 0x89abcdef);
	dk_dev_mmio_write32(h, DK_SDHCI_ADMA_HI, 0x1234567);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_ADMA_LO), 0x89abcdef);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_ADMA_HI), 0x1234567);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_HOST_CTRL),
		 DK_SDHCI_CTRL_ADMA64);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS), 0);
	dk_soc_free(soc);
}

/* CMD18, four blocks, two descriptors: the bytes, the bits, the time. */
TEST(model_sdhci_read_multiple)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);
	u8 want[4 * BS];

	if (!soc)
		return;
	desc(soc, TABLE, TRAN | DK_SDHCI_DESC_INT, 2 * BS, BUF);
	desc(soc, TABLE + 16, LAST, 2 * BS, BUF + 0x10000);
	command(h, TABLE, 5, 4, DK_SDHCI_CMD_READ_MULTIPLE);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_PRESENT),
		 DK_SDHCI_PRESENT_CARD | DK_SDHCI_PRESENT_CMD_INHIBIT |
		 DK_SDHCI_PRESENT_DAT_INHIBIT);
	dk_soc_run(soc, 0);
	CHECK_EQ(irqs, 1);
	CHECK_EQ(irq_time, DK_SDHCI_CMD_CYCLES +
			   2 * (DK_SDHCI_DESC_CYCLES +
				2 * BS / DK_SDHCI_BYTES_PER_CYCLE) + 1);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_COMPLETE | DK_SDHCI_INT_XFER_COMPLETE |
		 DK_SDHCI_INT_DMA);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_PRESENT),
		 DK_SDHCI_PRESENT_CARD);
	card_blocks(h, 5, 4, want);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF), want, 2 * BS);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF + 0x10000), want + 2 * BS, 2 * BS);
	CHECK_EQ(*(u8 *)dk_sim_dram_ptr(soc, BUF + 2 * BS), 0);
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, ~0u);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS), 0);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

TEST(model_sdhci_write_single)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);
	u8 got[2 * BS], *src;
	int i;

	if (!soc)
		return;
	src = dk_sim_dram_ptr(soc, BUF);
	for (i = 0; i < BS; i++)
		src[i] = (u8)(0xc0 ^ i);
	desc(soc, TABLE, LAST, BS, BUF);
	/* CMD24 moves one block whatever the count says. */
	command(h, TABLE, 9, 1, DK_SDHCI_CMD_WRITE_SINGLE);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_COMPLETE | DK_SDHCI_INT_XFER_COMPLETE);
	card_blocks(h, 9, 2, got);
	CHECK_MEM(got, src, BS);
	CHECK_EQ(got[BS], (u8)(10 * 13 + 10 * BS * 5 + 1));	/* untouched */
	dk_soc_free(soc);
}

TEST(model_sdhci_nop_and_link)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);
	u8 want[BS];

	if (!soc)
		return;
	desc(soc, TABLE, DK_SDHCI_DESC_VALID | DK_SDHCI_DESC_NOP, 0, 0);
	desc(soc, TABLE + 16, DK_SDHCI_DESC_VALID | DK_SDHCI_DESC_LINK, 0,
	     TABLE2);
	desc(soc, TABLE2, LAST, BS, BUF);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_COMPLETE | DK_SDHCI_INT_XFER_COMPLETE);
	card_blocks(h, 0, 1, want);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF), want, BS);
	dk_soc_free(soc);
}

static void expect_adma_error(struct dk_simdev *h, u32 state)
{
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_COMPLETE | DK_SDHCI_INT_ADMA_ERROR |
		 DK_SDHCI_INT_ERROR);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_ADMA_ERR), state);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_PRESENT),
		 DK_SDHCI_PRESENT_CARD);
}

TEST(model_sdhci_adma_errors)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);

	if (!soc)
		return;
	/* a descriptor without VALID */
	desc(soc, TABLE, DK_SDHCI_DESC_TRAN | DK_SDHCI_DESC_END, BS, BUF);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	expect_adma_error(h, DK_SDHCI_ADMA_ST_FDS);
	CHECK_EQ(irqs, 1);
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, ~0u);
	/* a table shorter than the command */
	desc(soc, TABLE, LAST, BS, BUF);
	command(h, TABLE, 0, 2, DK_SDHCI_CMD_READ_MULTIPLE);
	dk_soc_run(soc, 0);
	expect_adma_error(h, DK_SDHCI_ADMA_ST_TFR | DK_SDHCI_ADMA_LEN_MISMATCH);
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, ~0u);
	/* a table longer than the command */
	desc(soc, TABLE, LAST, 2 * BS, BUF);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	expect_adma_error(h, DK_SDHCI_ADMA_ST_TFR | DK_SDHCI_ADMA_LEN_MISMATCH);
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, ~0u);
	/* data to where there is no RAM */
	desc(soc, TABLE, LAST, BS, 0x1000);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	expect_adma_error(h, DK_SDHCI_ADMA_ST_TFR);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, ~0u);
	/* the table itself where there is no RAM */
	command(h, 0x2000, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	expect_adma_error(h, DK_SDHCI_ADMA_ST_FDS);
	CHECK_EQ(dk_soc_nfaults(soc), 2);
	/* a new command clears the ADMA error state */
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, ~0u);
	desc(soc, TABLE, LAST, BS, BUF);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_ADMA_ERR), 0);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_COMPLETE | DK_SDHCI_INT_XFER_COMPLETE);
	dk_soc_free(soc);
}

static void expect_cmd_error(struct dk_simdev *h)
{
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_ERROR | DK_SDHCI_INT_ERROR);
	dk_dev_mmio_write32(h, DK_SDHCI_INT_STATUS, DK_SDHCI_INT_CMD_ERROR);
	/* ERROR goes with the last error bit */
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS), 0);
}

TEST(model_sdhci_command_errors)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);

	if (!soc)
		return;
	desc(soc, TABLE, LAST, BS, BUF);
	command(h, TABLE, 0, 1, 7);			/* not a data command */
	expect_cmd_error(h);
	command(h, TABLE, DK_SDHCI_CARD_BLOCKS - 1, 2,
		DK_SDHCI_CMD_READ_MULTIPLE);		/* beyond the card */
	expect_cmd_error(h);
	command(h, TABLE, 0, 0, DK_SDHCI_CMD_READ_MULTIPLE);	/* no blocks */
	expect_cmd_error(h);
	dk_dev_mmio_write32(h, DK_SDHCI_BLOCK, DK_SDHCI_BLOCK_VAL(256, 1));
	dk_dev_mmio_write32(h, DK_SDHCI_COMMAND, DK_SDHCI_MODE_DMA |
			    DK_SDHCI_CMD_DATA |
			    DK_SDHCI_CMD_INDEX(DK_SDHCI_CMD_READ_SINGLE));
	expect_cmd_error(h);				/* 256-byte blocks */
	dk_dev_mmio_write32(h, DK_SDHCI_HOST_CTRL, 2u << 3);	/* ADMA2 32 */
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	expect_cmd_error(h);
	dk_dev_mmio_write32(h, DK_SDHCI_HOST_CTRL, DK_SDHCI_CTRL_ADMA64);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);
	command(h, TABLE, 0, 1, DK_SDHCI_CMD_READ_SINGLE);	/* while busy */
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_ERROR | DK_SDHCI_INT_ERROR);
	dk_soc_run(soc, 0);
	/* the first one still completes */
	CHECK(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS) &
	      DK_SDHCI_INT_XFER_COMPLETE);
	dk_soc_free(soc);
}

/*
 * 64-bit descriptors on a 40-bit board: an address 2^40 above RAM wraps
 * onto the RAM itself, which is the interconnect's doing, seen here
 * through the model.
 */
TEST(model_sdhci_addresses_are_truncated_to_wired_bits)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);
	u8 want[BS];

	if (!soc)
		return;
	CHECK_EQ(dk_simdev_desc(h)->address_bits, 40);
	desc(soc, TABLE, LAST, BS, BUF + (1ULL << 40));
	command(h, TABLE + (1ULL << 40), 3, 1, DK_SDHCI_CMD_READ_SINGLE);
	dk_soc_run(soc, 0);
	CHECK_EQ(dk_dev_mmio_read32(h, DK_SDHCI_INT_STATUS),
		 DK_SDHCI_INT_CMD_COMPLETE | DK_SDHCI_INT_XFER_COMPLETE);
	card_blocks(h, 3, 1, want);
	CHECK_MEM(dk_sim_dram_ptr(soc, BUF), want, BS);
	CHECK_EQ(dk_soc_nfaults(soc), 0);
	dk_soc_free(soc);
}

TEST(model_sdhci_card_hooks_reject)
{
	struct dk_simdev *h;
	struct dk_soc *soc = setup(&h);
	u8 b[BS];

	if (!soc)
		return;
	CHECK_EQ(dk_sdhci_card_read(h, DK_SDHCI_CARD_BLOCKS, b, 1), -EINVAL);
	CHECK_EQ(dk_sdhci_card_write(h, 0, NULL, 1), -EINVAL);
	CHECK_EQ(dk_sdhci_card_read(dk_soc_find_dev(soc, "dma@10000000"), 0, b,
				    1), -EINVAL);
	CHECK_EQ(dk_sdhci_card_read(NULL, 0, b, 1), -EINVAL);
	CHECK_EQ(dk_sdhci_card_read(h, DK_SDHCI_CARD_BLOCKS - 1, b, 1), 0);
	dk_soc_free(soc);
}
