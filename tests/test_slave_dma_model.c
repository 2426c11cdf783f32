// SPDX-License-Identifier: MIT
/*
 * The "dmakit,slave-dma" controller model at register level, on the
 * default SoC where the I2C and SPI controllers' FIFOs are wired to it by
 * request lines: transfers paced by the peripheral, exact bytes both
 * ways, a stopped channel's count, cyclic wrap-around with its periods,
 * a width wider than the FIFO losing bytes, a fault.
 */
#include <string.h>

#include <dmakit/models/i2c.h>
#include <dmakit/models/slave_dma.h>
#include <dmakit/models/spi.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define BUF 0x80200000ULL
#define I2C_FIFO (0x10180000ULL + DK_I2C_REG_FIFO)
#define SPI_TXFIFO (0x10190000ULL + DK_SPI_REG_TXFIFO)
#define SPI_RXFIFO (0x10190000ULL + DK_SPI_REG_RXFIFO)

struct rig {
	struct dk_soc *soc;
	struct dk_simdev *dmac, *i2c, *spi;
	u8 *mem;
};

static struct rig rig_up(void)
{
	struct rig r = { NULL, NULL, NULL, NULL, NULL };

	CHECK_EQ(dk_soc_load_default(NULL, &r.soc), 0);
	r.dmac = dk_soc_find_dev(r.soc, "dma-controller@101d0000");
	r.i2c = dk_soc_find_dev(r.soc, "i2c@10180000");
	r.spi = dk_soc_find_dev(r.soc, "spi@10190000");
	CHECK(r.dmac && r.i2c && r.spi);
	r.mem = dk_sim_dram_ptr(r.soc, BUF);
	return r;
}

/* Program channel @ch: @len bytes between BUF + @off and @fifo. */
static void chan_setup(struct rig *r, int ch, u32 cfg, u64 off, u64 fifo,
		       u32 len, u32 period)
{
	u64 c = DK_SDMA_CHAN(ch);

	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_CFG, cfg);
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_MEM_LO, (u32)(BUF + off));
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_MEM_HI, (BUF + off) >> 32);
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_DEV_LO, (u32)fifo);
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_DEV_HI, fifo >> 32);
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_LEN, len);
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_PERIOD, period);
	dk_dev_mmio_write32(r->dmac, c + DK_SDMA_CTRL, DK_SDMA_CTRL_START);
}

static u32 chan_reg(struct rig *r, int ch, u64 reg)
{
	return dk_dev_mmio_read32(r->dmac, DK_SDMA_CHAN(ch) + reg);
}

#define TX_BYTE DK_SDMA_CFG_MEM_TO_DEV | DK_SDMA_CFG_WIDTH(0)

static void run_until(struct dk_soc *soc, u64 t)
{
	while (dk_soc_now(soc) < t && dk_soc_step(soc))
		;
}

/* Read @n (at most 16) EEPROM bytes from word address @at by PIO. */
static void eeprom_pio_read(struct rig *r, u8 at, u8 *out, u32 n)
{
	u32 i;

	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_LEN, 1);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_FIFO, at);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_CTRL, DK_I2C_CTRL_START);
	dk_soc_run(r->soc, 0);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_STATUS, ~0u);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_LEN, n);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_READ |
				    DK_I2C_CTRL_STOP);
	dk_soc_run(r->soc, 0);
	dk_dev_mmio_write32(r->i2c, DK_I2C_REG_STATUS, ~0u);
	for (i = 0; i < n; i++)
		out[i] = (u8)dk_dev_mmio_read32(r->i2c, DK_I2C_REG_FIFO);
}

TEST(slave_dma_model_i2c_write_is_paced_by_the_fifo)
{
	struct rig r = rig_up();
	u8 got[16];
	u64 t0;
	int i;

	/* Word address 0x20, then 40 bytes: they wrap in 16-byte pages. */
	r.mem[0] = 0x20;
	for (i = 1; i <= 40; i++)
		r.mem[i] = (u8)(0xa0 + i);
	chan_setup(&r, 0, TX_BYTE | DK_SDMA_CFG_BURST(4) | DK_SDMA_CFG_REQ(0),
		   0, I2C_FIFO, 41, 0);
	/* Nothing moves before the peripheral asks. */
	dk_soc_run(r.soc, 0);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_COUNT), 0);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_STATUS), DK_SDMA_ST_BUSY);
	t0 = dk_soc_now(r.soc);
	dk_dev_mmio_write32(r.i2c, DK_I2C_REG_ADDR, DK_I2C_EEPROM_ADDR);
	dk_dev_mmio_write32(r.i2c, DK_I2C_REG_LEN, 41);
	dk_dev_mmio_write32(r.i2c, DK_I2C_REG_CTRL,
			    DK_I2C_CTRL_START | DK_I2C_CTRL_STOP |
				    DK_I2C_CTRL_DREQ);
	/* The FIFO fills in bursts of 4 and then waits for the wire. */
	run_until(r.soc, t0 + 10 * DK_I2C_BYTE_CYCLES);
	/* 9 bytes on the wire, 11 waiting in the FIFO. */
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_COUNT), 20);
	CHECK_EQ(dk_dev_mmio_read32(r.i2c, DK_I2C_REG_LEVEL), 11);
	run_until(r.soc, t0 + 20 * DK_I2C_BYTE_CYCLES);
	/* The DMA only runs as far ahead as the FIFO lets it. */
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_COUNT), 28);
	CHECK_EQ(dk_dev_mmio_read32(r.i2c, DK_I2C_REG_LEVEL), 9);
	dk_soc_run(r.soc, 0);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_STATUS), DK_SDMA_ST_DONE);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_COUNT), 41);
	CHECK_EQ(dk_dev_mmio_read32(r.i2c, DK_I2C_REG_STATUS) &
			 ~DK_I2C_ST_BUSY, DK_I2C_ST_DONE);
	/* Address byte + 41 data bytes on the wire. */
	CHECK(dk_soc_now(r.soc) - t0 >= 42 * DK_I2C_BYTE_CYCLES);
	/* Bytes 25..40 are what the page holds after wrapping. */
	eeprom_pio_read(&r, 0x20, got, 16);
	for (i = 0; i < 16; i++)
		CHECK_EQ(got[i], (u8)(0xa0 + 25 + (i + 8) % 16));
	dk_soc_free(r.soc);
}

/* A SPI transfer of @len bytes by DREQ on chip select @cs: channel 0
 * sends from BUF + @tx (if not -1), channel 1 receives at BUF + @rx. */
static void spi_dreq(struct rig *r, u32 cs, long tx, long rx, u32 len,
		     u32 rxcfg, u32 rxlen, u32 period)
{
	u32 ctrl = DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ;

	if (tx >= 0) {
		chan_setup(r, 0, TX_BYTE | DK_SDMA_CFG_BURST(8) |
				 DK_SDMA_CFG_REQ(2), tx, SPI_TXFIFO, len, 0);
		ctrl |= DK_SPI_CTRL_TX_EN;
	}
	if (rx >= 0) {
		chan_setup(r, 1, rxcfg | DK_SDMA_CFG_REQ(3), rx, SPI_RXFIFO,
			   rxlen, period);
		ctrl |= DK_SPI_CTRL_RX_EN;
	}
	dk_dev_mmio_write32(r->spi, DK_SPI_REG_CS, cs | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(r->spi, DK_SPI_REG_LEN, len);
	dk_dev_mmio_write32(r->spi, DK_SPI_REG_CTRL, ctrl);
}

static void spi_end(struct rig *r)
{
	dk_soc_run(r->soc, 0);
	dk_dev_mmio_write32(r->spi, DK_SPI_REG_STATUS, ~0u);
	dk_dev_mmio_write32(r->spi, DK_SPI_REG_CS, 0);
}

#define RX_BYTE(burst) (DK_SDMA_CFG_WIDTH(0) | DK_SDMA_CFG_BURST(burst))

TEST(slave_dma_model_spi_full_duplex_exact_bytes)
{
	struct rig r = rig_up();
	int i;

	for (i = 0; i < 300; i++)
		r.mem[i] = (u8)(i * 3 + 1);
	/* The mailbox answers each message with the previous one. */
	spi_dreq(&r, DK_SPI_CS_MAILBOX, 0, -1, 300, 0, 0, 0);
	spi_end(&r);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_STATUS), DK_SDMA_ST_DONE);
	memset(r.mem + 0x1000, 0xee, 400);
	spi_dreq(&r, DK_SPI_CS_MAILBOX, 0, 0x1000, 300, RX_BYTE(16), 300, 0);
	spi_end(&r);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_STATUS), DK_SDMA_ST_DONE);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_COUNT), 300);
	CHECK_MEM(r.mem + 0x1000, r.mem, 300);
	CHECK_EQ(r.mem[0x1000 + 300], 0xee);
	dk_soc_free(r.soc);
}

/* NOR READ from 0: the command and address, then the data. */
static void nor_read_cmd(struct rig *r)
{
	r->mem[0] = DK_SPI_NOR_READ;
	r->mem[1] = r->mem[2] = r->mem[3] = 0;
	memset(r->mem + 4, 0xff, 252);
}

TEST(slave_dma_model_stop_keeps_the_count_for_the_residue)
{
	struct rig r = rig_up();
	u32 count;

	nor_read_cmd(&r);
	spi_dreq(&r, DK_SPI_CS_NOR, 0, 0x1000, 256, RX_BYTE(4), 256, 0);
	run_until(r.soc, dk_soc_now(r.soc) + 100 * DK_SPI_BYTE_CYCLES);
	dk_dev_mmio_write32(r.dmac, DK_SDMA_CHAN(1) + DK_SDMA_CTRL,
			    DK_SDMA_CTRL_STOP);
	count = chan_reg(&r, 1, DK_SDMA_COUNT);
	/* Whole bursts only, and not all of them. */
	CHECK(count > 0 && count < 256);
	CHECK_EQ(count % 4, 0);
	spi_end(&r);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_STATUS), 0);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_COUNT), count);
	/* What it moved is the start of the flash, after the 4 command
	 * bytes' filler. */
	CHECK_EQ(r.mem[0x1000 + 4], DK_SPI_NOR_INIT(0));
	CHECK_EQ(r.mem[0x1000 + count - 1], DK_SPI_NOR_INIT(count - 5));
	dk_soc_free(r.soc);
}

TEST(slave_dma_model_cyclic_wraps_and_counts_periods)
{
	struct rig r = rig_up();
	int i;

	nor_read_cmd(&r);
	/* 4 + 196 bytes into a 64-byte ring of 16-byte periods. */
	spi_dreq(&r, DK_SPI_CS_NOR, 0, 0x1000, 200,
		 RX_BYTE(4) | DK_SDMA_CFG_CYCLIC | DK_SDMA_CFG_IRQEN, 64, 16);
	spi_end(&r);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_STATUS),
		 DK_SDMA_ST_BUSY | DK_SDMA_ST_PERIOD);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_PERIODS), 12);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_COUNT), 8);
	/* Stream byte n sits at n % 64: 192..199 over the start of the
	 * third lap's 128..191. */
	for (i = 0; i < 64; i++) {
		int n = i < 8 ? 192 + i : 128 + i;

		CHECK_EQ(r.mem[0x1000 + i], DK_SPI_NOR_INIT(n - 4));
	}
	CHECK(dk_dev_mmio_read32(r.dmac, DK_SDMA_REG_IRQSTAT) & 2);
	dk_dev_mmio_write32(r.dmac, DK_SDMA_CHAN(1) + DK_SDMA_CTRL,
			    DK_SDMA_CTRL_STOP);
	CHECK_EQ(chan_reg(&r, 1, DK_SDMA_STATUS), DK_SDMA_ST_PERIOD);
	dk_soc_free(r.soc);
}

TEST(slave_dma_model_wider_than_the_fifo_loses_bytes)
{
	struct rig r = rig_up();
	int i;

	for (i = 0; i < 64; i++)
		r.mem[i] = (u8)(i + 1);
	/* 4-byte accesses to a byte FIFO: one byte of each word goes. */
	chan_setup(&r, 0, DK_SDMA_CFG_MEM_TO_DEV | DK_SDMA_CFG_WIDTH(2) |
				  DK_SDMA_CFG_BURST(2) | DK_SDMA_CFG_REQ(2),
		   0, SPI_TXFIFO, 64, 0);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_CS,
			    DK_SPI_CS_MAILBOX | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_LEN, 16);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_CTRL,
			    DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ |
				    DK_SPI_CTRL_TX_EN);
	spi_end(&r);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_STATUS), DK_SDMA_ST_DONE);
	/* Read back what the mailbox got. */
	memset(r.mem + 0x1000, 0, 16);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_CS,
			    DK_SPI_CS_MAILBOX | DK_SPI_CS_ACTIVE);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_LEN, 16);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_CTRL,
			    DK_SPI_CTRL_START | DK_SPI_CTRL_RX_EN);
	dk_soc_run(r.soc, 0);
	for (i = 0; i < 16; i++)
		CHECK_EQ(dk_dev_mmio_read32(r.spi, DK_SPI_REG_RXFIFO),
			 (u32)(4 * i + 1));
	dk_soc_free(r.soc);
}

TEST(slave_dma_model_bus_fault_stops_with_error)
{
	struct rig r = rig_up();

	/* Memory side outside RAM. */
	chan_setup(&r, 0, TX_BYTE | DK_SDMA_CFG_REQ(2), -(long long)BUF + 0x1000,
		   SPI_TXFIFO, 8, 0);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_LEN, 8);
	dk_dev_mmio_write32(r.spi, DK_SPI_REG_CTRL,
			    DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ |
				    DK_SPI_CTRL_TX_EN);
	dk_soc_run(r.soc, 0);
	CHECK_EQ(chan_reg(&r, 0, DK_SDMA_STATUS), DK_SDMA_ST_ERROR);
	CHECK_EQ(dk_soc_nfaults(r.soc), 1);
	/* A length that is no multiple of the width. */
	chan_setup(&r, 2, DK_SDMA_CFG_WIDTH(2) | DK_SDMA_CFG_REQ(3), 0,
		   SPI_RXFIFO, 6, 0);
	CHECK_EQ(chan_reg(&r, 2, DK_SDMA_STATUS), DK_SDMA_ST_ERROR);
	dk_soc_free(r.soc);
}
