// SPDX-License-Identifier: MIT
/*
 * The SPI controller model (FIFOs, DMA, chip selects, the NOR flash and
 * the mailbox microcontroller behind it) and the SPI core on the default
 * SoC: exact bytes by PIO and DMA, the can_dma threshold against the
 * measured cost crossover, and the core refusing buffers that are not
 * DMA-safe.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/models/spi.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/spi.h>

#include "harness.h"
#include "testsoc.h"

#define SPI "spi@10190000"
#define TXA 0x80200000ULL
#define RXA 0x80210000ULL

static u32 run_status(struct dk_soc *soc, struct dk_simdev *d)
{
	dk_soc_run(soc, 0);
	return dk_dev_mmio_read32(d, DK_SPI_REG_STATUS);
}

TEST(spi_model_pio_rdid_on_cs0)
{
	struct dk_soc *soc;
	struct dk_simdev *d;
	int i;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = dk_soc_find_dev(soc, SPI);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_ID), DK_SPI_ID);
	dk_dev_mmio_write32(d, DK_SPI_REG_CS, DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, 5);
	dk_dev_mmio_write32(d, DK_SPI_REG_TXFIFO, DK_SPI_NOR_RDID);
	for (i = 0; i < 4; i++)
		dk_dev_mmio_write32(d, DK_SPI_REG_TXFIFO, 0);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_LEVEL), 5 << 16);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL, DK_SPI_CTRL_START |
			    DK_SPI_CTRL_TX_EN | DK_SPI_CTRL_RX_EN);
	CHECK_EQ(run_status(soc, d), DK_SPI_ST_DONE);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_LEVEL), 5);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), 0xff);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), DK_SPI_NOR_JEDEC0);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), DK_SPI_NOR_JEDEC1);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), DK_SPI_NOR_JEDEC2);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), 0xff);
	dk_dev_mmio_write32(d, DK_SPI_REG_CS, 0);
	/* Nothing selected: MISO floats high. */
	dk_dev_mmio_write32(d, DK_SPI_REG_STATUS, DK_SPI_ST_DONE);
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, 1);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL,
			    DK_SPI_CTRL_START | DK_SPI_CTRL_RX_EN);
	CHECK_EQ(run_status(soc, d), DK_SPI_ST_DONE);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), 0xff);
	dk_soc_free(soc);
}

TEST(spi_model_dma_read_and_errors)
{
	struct dk_soc *soc;
	struct dk_simdev *d;
	u8 *tx, *rx;
	u64 t0;
	int i;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	d = dk_soc_find_dev(soc, SPI);
	tx = dk_sim_dram_ptr(soc, TXA);
	rx = dk_sim_dram_ptr(soc, RXA);
	memset(tx, 0, 68);
	tx[0] = DK_SPI_NOR_READ;
	tx[2] = 0x01;		/* address 0x000100 */
	dk_dev_mmio_write32(d, DK_SPI_REG_CS, DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, 68);
	dk_dev_mmio_write32(d, DK_SPI_REG_TX_LO, (u32)TXA);
	dk_dev_mmio_write32(d, DK_SPI_REG_TX_HI, 0);
	dk_dev_mmio_write32(d, DK_SPI_REG_RX_LO, (u32)RXA);
	dk_dev_mmio_write32(d, DK_SPI_REG_RX_HI, 0);
	t0 = dk_soc_now(soc);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL, DK_SPI_CTRL_START |
			    DK_SPI_CTRL_DMA | DK_SPI_CTRL_TX_EN |
			    DK_SPI_CTRL_RX_EN);
	/* 68 bytes span two lines of each buffer: four lines cleaned. */
	CHECK_EQ(dk_soc_now(soc) - t0,
		 DK_SPI_MMIO_CYCLES + 4 * DK_SPI_MAINT_CYCLES);
	t0 = dk_soc_now(soc);
	CHECK_EQ(run_status(soc, d), DK_SPI_ST_DONE);
	CHECK_EQ(dk_soc_now(soc) - t0 - DK_SPI_MMIO_CYCLES,
		 DK_SPI_DMA_SETUP_CYCLES + 68 * DK_SPI_BYTE_CYCLES +
			 DK_SPI_IRQ_CYCLES + 2 * DK_SPI_MAINT_CYCLES);
	for (i = 0; i < 64; i++)
		CHECK_EQ(rx[4 + i], DK_SPI_NOR_INIT(0x100 + i));
	dk_dev_mmio_write32(d, DK_SPI_REG_STATUS, DK_SPI_ST_DONE);
	/* PIO too long for the FIFO; PIO TX without the bytes queued. */
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, DK_SPI_FIFO_DEPTH + 1);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL, DK_SPI_CTRL_START);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_STATUS), DK_SPI_ST_ERROR);
	dk_dev_mmio_write32(d, DK_SPI_REG_STATUS, DK_SPI_ST_ERROR);
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, 2);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL,
			    DK_SPI_CTRL_START | DK_SPI_CTRL_TX_EN);
	CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_STATUS), DK_SPI_ST_ERROR);
	dk_dev_mmio_write32(d, DK_SPI_REG_STATUS, DK_SPI_ST_ERROR);
	/* A DMA fault. */
	dk_dev_mmio_write32(d, DK_SPI_REG_RX_LO, 0x1000);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL, DK_SPI_CTRL_START |
			    DK_SPI_CTRL_DMA | DK_SPI_CTRL_RX_EN);
	CHECK_EQ(run_status(soc, d), DK_SPI_ST_ERROR);
	CHECK_EQ(dk_soc_nfaults(soc), 1);
	dk_soc_free(soc);
}

/* ---- through the core and the driver */

struct bus {
	struct testmachine t;
	struct spi_controller *ctlr;
	struct spi_device *nor, *mcu;
	FILE *sink;
};

static struct bus bus_up(void)
{
	struct spi_board_info nor = { "spi-nor", 50000000, DK_SPI_CS_NOR, 0 };
	struct spi_board_info mcu = { "mcu", 10000000, DK_SPI_CS_MAILBOX, 0 };
	struct bus b = { .t = testmachine_boot(NULL, NULL, NULL) };

	b.sink = tmpfile();
	dk_dma_debug_set_output(b.sink);
	dk_log_set_output(b.sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	CHECK_EQ(driver_register(&dk_spi_driver), 0);
	b.ctlr = dk_spi_controller_of(dk_machine_find_device(b.t.m, SPI));
	CHECK(b.ctlr != NULL);
	b.nor = spi_new_device(b.ctlr, &nor);
	b.mcu = spi_new_device(b.ctlr, &mcu);
	CHECK(b.nor && b.mcu);
	return b;
}

static void bus_down(struct bus *b)
{
	spi_unregister_device(b->nor);
	spi_unregister_device(b->mcu);
	testmachine_shutdown(&b->t);
	dk_dma_debug_set_output(NULL);
	dk_log_set_output(NULL);
	dk_dma_debug_clear();
	if (b->sink)
		fclose(b->sink);
}

static int nor_read(struct spi_device *spi, u32 addr, void *buf,
		    unsigned int n)
{
	u8 *cmd = kmalloc(4, GFP_KERNEL);
	struct spi_transfer t[2] = { { .tx_buf = cmd, .len = 4 },
				     { .rx_buf = buf, .len = n } };
	int r;

	cmd[0] = DK_SPI_NOR_READ;
	cmd[1] = addr >> 16;
	cmd[2] = addr >> 8;
	cmd[3] = addr;
	r = spi_sync_transfer(spi, t, 2);
	kfree(cmd);
	return r;
}

static int nor_simple(struct spi_device *spi, u8 op, u32 addr, bool with_addr)
{
	u8 cmd[4] = { op, (u8)(addr >> 16), (u8)(addr >> 8), (u8)addr };

	return spi_write(spi, cmd, with_addr ? 4 : 1);
}

TEST(spi_core_rdid_and_reads_by_pio_and_dma)
{
	struct bus b = bus_up();
	u8 id[3], *buf = kmalloc(300, GFP_KERNEL);
	u8 op = DK_SPI_NOR_RDID;
	int i;

	CHECK_EQ(b.ctlr->num_chipselect, DK_SPI_NUM_CS);
	CHECK_EQ(spi_write_then_read(b.nor, &op, 1, id, 3), 0);
	CHECK_EQ(id[0], DK_SPI_NOR_JEDEC0);
	CHECK_EQ(id[1], DK_SPI_NOR_JEDEC1);
	CHECK_EQ(id[2], DK_SPI_NOR_JEDEC2);
	CHECK_EQ(b.ctlr->dk_dma_xfers, 0);
	/* Below the threshold: PIO. */
	CHECK_EQ(nor_read(b.nor, 0x400, buf, DK_SPI_DMA_MIN_LEN - 1), 0);
	for (i = 0; i < DK_SPI_DMA_MIN_LEN - 1; i++)
		CHECK_EQ(buf[i], DK_SPI_NOR_INIT(0x400 + i));
	CHECK_EQ(b.ctlr->dk_dma_xfers, 0);
	/* At the threshold: DMA. */
	CHECK_EQ(nor_read(b.nor, 0x500, buf, DK_SPI_DMA_MIN_LEN), 0);
	for (i = 0; i < DK_SPI_DMA_MIN_LEN; i++)
		CHECK_EQ(buf[i], DK_SPI_NOR_INIT(0x500 + i));
	CHECK_EQ(b.ctlr->dk_dma_xfers, 1);
	/* Longer than the FIFO by PIO: chunked. */
	b.ctlr->can_dma = NULL;
	CHECK_EQ(nor_read(b.nor, 0x600, buf, 300), 0);
	for (i = 0; i < 300; i++)
		CHECK_EQ(buf[i], DK_SPI_NOR_INIT(0x600 + i));
	CHECK_EQ(b.ctlr->dk_dma_xfers, 1);
	/* The flash wraps at its end. */
	b.ctlr->can_dma = dk_spi_can_dma_default;
	CHECK_EQ(nor_read(b.nor, DK_SPI_NOR_SIZE - 2, buf, 40), 0);
	CHECK_EQ(buf[0], DK_SPI_NOR_INIT(DK_SPI_NOR_SIZE - 2));
	CHECK_EQ(buf[2], DK_SPI_NOR_INIT(0));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(buf);
	bus_down(&b);
}

TEST(spi_nor_program_needs_wren_erase_sets_ones)
{
	struct bus b = bus_up();
	u8 *cmd = kmalloc(4 + 40, GFP_KERNEL), *got = kmalloc(40, GFP_KERNEL);
	u8 sr[2] = { DK_SPI_NOR_RDSR, 0 }, srr[2];
	int i;

	/* Without WREN a program changes nothing. */
	cmd[0] = DK_SPI_NOR_PP;
	cmd[1] = 0;
	cmd[2] = 0x40;
	cmd[3] = 0;
	memset(cmd + 4, 0, 40);
	CHECK_EQ(spi_write(b.nor, cmd, 44), 0);
	CHECK_EQ(nor_read(b.nor, 0x4000, got, 40), 0);
	CHECK_EQ(got[0], DK_SPI_NOR_INIT(0x4000));
	/* WREN sets WEL; erase clears the sector to 0xff and WEL. */
	CHECK_EQ(nor_simple(b.nor, DK_SPI_NOR_WREN, 0, false), 0);
	CHECK_EQ(spi_write_then_read(b.nor, sr, 1, srr, 1), 0);
	CHECK_EQ(srr[0], DK_SPI_NOR_SR_WEL);
	CHECK_EQ(nor_simple(b.nor, DK_SPI_NOR_SE, 0x4010, true), 0);
	CHECK_EQ(spi_write_then_read(b.nor, sr, 1, srr, 1), 0);
	CHECK_EQ(srr[0], 0);
	CHECK_EQ(nor_read(b.nor, 0x4000, got, 40), 0);
	for (i = 0; i < 40; i++)
		CHECK_EQ(got[i], 0xff);
	CHECK_EQ(nor_read(b.nor, 0x5000, got, 1), 0);
	CHECK_EQ(got[0], DK_SPI_NOR_INIT(0x5000));
	/* Program (by DMA): only 1 -> 0. */
	for (i = 0; i < 40; i++)
		cmd[4 + i] = (u8)(0xf0 | i);
	CHECK_EQ(nor_simple(b.nor, DK_SPI_NOR_WREN, 0, false), 0);
	CHECK_EQ(spi_write(b.nor, cmd, 44), 0);
	CHECK_EQ(nor_simple(b.nor, DK_SPI_NOR_WREN, 0, false), 0);
	for (i = 0; i < 40; i++)
		cmd[4 + i] = 0x3f;
	CHECK_EQ(spi_write(b.nor, cmd, 44), 0);
	CHECK_EQ(nor_read(b.nor, 0x4000, got, 40), 0);
	for (i = 0; i < 40; i++)
		CHECK_EQ(got[i], (u8)((0xf0 | i) & 0x3f));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	kfree(cmd);
	kfree(got);
	bus_down(&b);
}

TEST(spi_mailbox_answers_with_the_previous_message)
{
	struct bus b = bus_up();
	u8 *tx = kmalloc(64, GFP_KERNEL), *rx = kmalloc(64, GFP_KERNEL);
	struct spi_transfer t = { .tx_buf = tx, .rx_buf = rx, .len = 8 };
	int i;

	memcpy(tx, "CANFRAME", 8);
	CHECK_EQ(spi_sync_transfer(b.mcu, &t, 1), 0);
	for (i = 0; i < 8; i++)
		CHECK_EQ(rx[i], 0);
	memcpy(tx, "12345678", 8);
	CHECK_EQ(spi_sync_transfer(b.mcu, &t, 1), 0);
	CHECK_MEM(rx, "CANFRAME", 8);
	/* A longer reply is zero-padded; DMA and PIO agree. */
	t.len = 40;
	memset(tx, 0xaa, 40);
	CHECK_EQ(spi_sync_transfer(b.mcu, &t, 1), 0);
	CHECK_MEM(rx, "12345678", 8);
	for (i = 8; i < 40; i++)
		CHECK_EQ(rx[i], 0);
	CHECK_EQ(b.ctlr->dk_dma_xfers, 1);
	kfree(tx);
	kfree(rx);
	bus_down(&b);
}

static bool force_dma(struct spi_controller *c, struct spi_device *s,
		      struct spi_transfer *x)
{
	(void)c;
	(void)s;
	(void)x;
	return true;
}

static u64 cycles_of(struct bus *b, unsigned int n, bool dma, u8 *tx, u8 *rx)
{
	struct spi_transfer t = { .tx_buf = tx, .rx_buf = rx, .len = n };
	u64 t0 = dk_soc_now(b->t.soc);

	b->ctlr->can_dma = dma ? force_dma : NULL;
	spi_sync_transfer(b->mcu, &t, 1);
	return dk_soc_now(b->t.soc) - t0;
}

TEST(spi_driver_threshold_is_the_cost_crossover)
{
	struct bus b = bus_up();
	u8 *tx = kmalloc(64, GFP_KERNEL), *rx = kmalloc(64, GFP_KERNEL);
	unsigned int n;

	memset(tx, 0x5a, 64);
	/* An 8-byte frame: PIO is much cheaper. */
	CHECK(cycles_of(&b, 8, true, tx, rx) > 2 * cycles_of(&b, 8, false, tx, rx));
	for (n = 1; n < 64; n++)
		if (cycles_of(&b, n, true, tx, rx) < cycles_of(&b, n, false, tx, rx))
			break;
	CHECK_EQ(n, DK_SPI_DMA_MIN_LEN);
	kfree(tx);
	kfree(rx);
	bus_down(&b);
}

TEST(spi_core_refuses_unsafe_buffers_for_dma_only)
{
	struct bus b = bus_up();
	struct { u32 hdr; u8 buf[64]; } *emb = kmalloc(sizeof(*emb), GFP_KERNEL);
	static const u8 ro[64] = { 1, 2, 3 };
	u8 stackbuf[64];

	/* Short transfers go by PIO: any buffer is fine. */
	CHECK_EQ(nor_read(b.nor, 0, stackbuf, 8), 0);
	CHECK_EQ(stackbuf[0], DK_SPI_NOR_INIT(0));
	/* DMA-sized: refused, nothing mapped, the reason named. */
	CHECK_EQ(nor_read(b.nor, 0, stackbuf, 64), -EINVAL);
	CHECK_STR(dk_last_error(), "on the stack");
	CHECK_EQ(spi_write(b.nor, ro, sizeof(ro)), -EINVAL);
	CHECK_STR(dk_last_error(), "rodata");
	CHECK_EQ(nor_read(b.nor, 0, emb->buf, 64), -EINVAL);
	CHECK_STR(dk_last_error(), "cache line");
	CHECK_EQ(b.ctlr->dk_rejected_xfers, 3);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Bad messages. */
	CHECK_EQ(spi_sync(b.nor, NULL), -EINVAL);
	{
		struct spi_message m;
		struct spi_transfer t = { .len = 4 };

		spi_message_init(&m);
		CHECK_EQ(spi_sync(b.nor, &m), -EINVAL);
		spi_message_add_tail(&t, &m);
		CHECK_EQ(spi_sync(b.nor, &m), -EINVAL);
		CHECK_EQ(m.status, -EINVAL);
	}
	{
		struct spi_board_info bad = { "x", 0, DK_SPI_NUM_CS, 0 };

		CHECK(spi_new_device(b.ctlr, &bad) == NULL);
	}
	kfree(emb);
	bus_down(&b);
}

/* ---- a peculiar DMA engine: whole 16-byte bursts only */

static const char burst_tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	cpus { #address-cells = <1>; #size-cells = <0>;\n"
	"		cpu@0 { device_type = \"cpu\"; reg = <0>; d-cache-line-size = <64>; }; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		spi@10190000 { compatible = \"dmakit,spi\"; reg = <0 0x10190000 0 0x1000>;\n"
	"			dmakit,dma-whole-bursts; };\n"
	"	};\n"
	"};\n";

/* One message to the mailbox MCU: @len bytes by DMA or (len <= 64) PIO. */
static void mailbox_msg(struct dk_soc *soc, struct dk_simdev *d, u32 len,
			bool dma, const u8 *pio_tx)
{
	u32 i;

	dk_dev_mmio_write32(d, DK_SPI_REG_CS,
			    DK_SPI_CS_MAILBOX | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(d, DK_SPI_REG_LEN, len);
	dk_dev_mmio_write32(d, DK_SPI_REG_TX_LO, (u32)TXA);
	dk_dev_mmio_write32(d, DK_SPI_REG_RX_LO, (u32)RXA);
	for (i = 0; !dma && i < len; i++)
		dk_dev_mmio_write32(d, DK_SPI_REG_TXFIFO, pio_tx[i]);
	dk_dev_mmio_write32(d, DK_SPI_REG_CTRL, DK_SPI_CTRL_START |
			    (dma ? DK_SPI_CTRL_DMA : 0) | DK_SPI_CTRL_TX_EN |
			    DK_SPI_CTRL_RX_EN);
	CHECK_EQ(run_status(soc, d), DK_SPI_ST_DONE);
	dk_dev_mmio_write32(d, DK_SPI_REG_STATUS, DK_SPI_ST_DONE);
	dk_dev_mmio_write32(d, DK_SPI_REG_CS, 0);
}

TEST(spi_model_dma_whole_bursts_drops_the_tail)
{
	struct dk_soc *soc = testsoc_load(burst_tree, NULL);
	struct dk_simdev *d = soc ? dk_soc_find_dev(soc, "spi@10190000") : NULL;
	u8 *tx, *rx, zero[20] = { 0 };
	int i;

	CHECK(d != NULL);
	if (!d)
		return;
	tx = dk_sim_dram_ptr(soc, TXA);
	rx = dk_sim_dram_ptr(soc, RXA);
	for (i = 0; i < 20; i++)
		tx[i] = (u8)(i + 1);
	memset(rx, 0xaa, 20);
	mailbox_msg(soc, d, 20, true, NULL);	/* sends 1..16, 4 x 0xff */
	for (i = 0; i < 20; i++)
		tx[i] = (u8)(0x40 + i);
	mailbox_msg(soc, d, 20, true, NULL);	/* gets message 1 back */
	for (i = 0; i < 16; i++)
		CHECK_EQ(rx[i], i + 1);
	for (i = 16; i < 20; i++)
		CHECK_EQ(rx[i], 0xaa);		/* the tail is never stored */
	mailbox_msg(soc, d, 20, false, zero);	/* PIO: message 2 back */
	for (i = 0; i < 16; i++)
		CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), 0x40 + i);
	for (i = 16; i < 20; i++)
		CHECK_EQ(dk_dev_mmio_read32(d, DK_SPI_REG_RXFIFO), 0xff);
	/* Less than a burst: nothing moves at all. */
	memset(rx, 0xaa, 20);
	mailbox_msg(soc, d, 8, true, NULL);
	for (i = 0; i < 8; i++)
		CHECK_EQ(rx[i], 0xaa);
	dk_soc_free(soc);
}

static int released;

static void count_release(void *arg)
{
	released += *(int *)arg;
}

/* A client driver's spi->dev is a device of the machine, as in Linux:
 * devm_*() on it works and goes with spi_unregister_device(). */
TEST(spi_device_dev_is_a_device_of_the_machine)
{
	struct bus b = bus_up();
	struct spi_board_info bi = { "client", 1000000, DK_SPI_CS_MAILBOX, 0 };
	struct spi_device *spi = spi_new_device(b.ctlr, &bi);
	int one = 1;
	void *mem;

	CHECK(spi != NULL);
	CHECK_STR(dev_name(&spi->dev), "spi");
	CHECK_EQ(strcmp(dev_name(&spi->dev), spi->dk_name), 0);
	CHECK(spi->dev.parent == b.ctlr->dev.parent);
	mem = devm_kzalloc(&spi->dev, 64, GFP_KERNEL);
	CHECK(mem != NULL);
	CHECK(dk_is_kmalloc_addr(mem, NULL, NULL));
	dev_set_drvdata(&spi->dev, mem);
	CHECK(dev_get_drvdata(&spi->dev) == mem);
	released = 0;
	CHECK_EQ(devm_add_action(&spi->dev, count_release, &one), 0);
	spi_unregister_device(spi);
	CHECK_EQ(released, 1);
	CHECK(!dk_is_kmalloc_addr(mem, NULL, NULL));
	bus_down(&b);
}
