// SPDX-License-Identifier: MIT
/*
 * The dmaengine slave API on the default SoC's "dmakit,slave-dma"
 * controller, with the I2C and SPI controllers' FIFOs as peripherals:
 * channels from the tree's dmas/dma-names, transfers paced by the
 * peripheral with exact bytes and callbacks, residue on terminate and
 * while paused, cyclic wrap-around with a callback per period, and
 * requesting channels twice.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/i2c.h>
#include <dmakit/models/spi.h>
#include <dmakit/platform.h>
#include <dmakit/scatterlist.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

struct rig {
	struct testmachine t;
	struct device *dmac, *i2c, *spi;
	void __iomem *i2c_regs, *spi_regs;
	FILE *sink;
};

static struct rig rig_up(bool driver)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	r.sink = tmpfile();
	dk_dma_debug_set_output(r.sink);
	dk_log_set_output(r.sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	if (driver)
		CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	r.dmac = dk_machine_find_device(r.t.m, "dma-controller@101d0000");
	r.i2c = dk_machine_find_device(r.t.m, "i2c@10180000");
	r.spi = dk_machine_find_device(r.t.m, "spi@10190000");
	CHECK(r.dmac && r.i2c && r.spi);
	r.i2c_regs = ioremap(r.i2c->reg, r.i2c->reg_size);
	r.spi_regs = ioremap(r.spi->reg, r.spi->reg_size);
	return r;
}

static void rig_down(struct rig *r)
{
	iounmap(r->i2c_regs);
	iounmap(r->spi_regs);
	testmachine_shutdown(&r->t);
	dk_dma_debug_set_output(NULL);
	dk_log_set_output(NULL);
	dk_dma_debug_clear();
	if (r->sink)
		fclose(r->sink);
}

static struct dma_chan *chan_for(struct device *dev, const char *name,
				 phys_addr_t fifo, u32 burst)
{
	struct dma_slave_config cfg = {
		.src_addr = fifo,
		.dst_addr = fifo,
		.src_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.src_maxburst = burst,
		.dst_maxburst = burst,
	};
	struct dma_chan *c = dma_request_chan(dev, name);

	CHECK(!IS_ERR(c));
	if (IS_ERR(c))
		return c;
	CHECK_EQ(dmaengine_slave_config(c, &cfg), 0);
	return c;
}

TEST(dmaengine_slave_channels_come_from_dmas_and_dma_names)
{
	struct rig r = rig_up(false);
	struct dma_chan *tx, *rx, *again;

	/* The tree names a controller without a driver yet. */
	CHECK_EQ(PTR_ERR(dma_request_chan(r.i2c, "tx")), -EPROBE_DEFER);
	CHECK_STR(dk_last_error(), "dma-controller@101d0000 has no driver yet");
	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	tx = dma_request_chan(r.i2c, "tx");
	rx = dma_request_chan(r.i2c, "rx");
	CHECK(!IS_ERR(tx) && !IS_ERR(rx));
	CHECK_EQ(tx->chan_id, 0);
	CHECK_EQ(rx->chan_id, 1);
	CHECK(tx->slave == r.i2c);
	CHECK(dmaengine_get_dma_device(tx) == r.dmac);
	CHECK_STR(dma_chan_name(rx), "chan1");
	CHECK(!strncmp(dma_chan_name(rx), "dma", 3));
	/* One request line, #dma-cells = <1>: a second request gets
	 * another free channel, as Linux's dynamic controllers do. */
	again = dma_request_chan(r.i2c, "tx");
	CHECK(!IS_ERR(again));
	CHECK_EQ(again->chan_id, 2);
	dma_release_channel(again);
	/* Not a dma-names entry, not a provider. */
	CHECK_EQ(PTR_ERR(dma_request_chan(r.i2c, "tx2")), -ENODEV);
	CHECK(dma_request_slave_channel(r.i2c, "tx2") == NULL);
	dma_release_channel(tx);
	dma_release_channel(rx);
	rig_down(&r);
}

struct cb {
	int calls;
	struct dmaengine_result last;
};

static void result_cb(void *arg, const struct dmaengine_result *res)
{
	struct cb *cb = arg;

	cb->calls++;
	cb->last = *res;
}

TEST(dmaengine_slave_i2c_write_is_paced_and_calls_back)
{
	struct rig r = rig_up(true);
	struct dma_chan *tx = chan_for(r.i2c, "tx", r.i2c->reg +
				       DK_I2C_REG_FIFO, 4);
	struct dma_async_tx_descriptor *d;
	struct cb cb = { 0, { DMA_TRANS_ABORTED, 99 } };
	struct dma_tx_state st;
	u8 *buf = kmalloc(33, GFP_KERNEL), got[16];
	dma_addr_t h;
	dma_cookie_t ck;
	u64 t0;
	int i;

	buf[0] = 0x40;		/* word address */
	for (i = 1; i < 33; i++)
		buf[i] = (u8)(0x11 * i);
	h = dma_map_single(r.dmac, buf, 33, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(r.dmac, h));
	d = dmaengine_prep_slave_single(tx, h, 33, DMA_MEM_TO_DEV,
					DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	CHECK(d != NULL);
	d->callback_result = result_cb;
	d->callback_param = &cb;
	ck = dmaengine_submit(d);
	CHECK(!dma_submit_error(ck));
	dma_async_issue_pending(tx);
	CHECK_EQ(dmaengine_tx_status(tx, ck, &st), DMA_IN_PROGRESS);
	CHECK_EQ(st.residue, 33);
	t0 = dk_soc_now(r.t.soc);
	writel(DK_I2C_EEPROM_ADDR, r.i2c_regs + DK_I2C_REG_ADDR);
	writel(33, r.i2c_regs + DK_I2C_REG_LEN);
	writel(DK_I2C_CTRL_START | DK_I2C_CTRL_STOP | DK_I2C_CTRL_DREQ,
	       r.i2c_regs + DK_I2C_REG_CTRL);
	CHECK_EQ(dma_sync_wait(tx, ck), DMA_COMPLETE);
	CHECK_EQ(cb.calls, 1);
	CHECK_EQ(cb.last.result, DMA_TRANS_NOERROR);
	CHECK_EQ(cb.last.residue, 0);
	/* The DMA finished when the FIFO took the last byte: 16 bytes
	 * before the wire did. */
	CHECK(dk_soc_now(r.t.soc) - t0 >= (33 - 16) * DK_I2C_BYTE_CYCLES);
	CHECK_EQ(dmaengine_tx_status(tx, ck, &st), DMA_COMPLETE);
	CHECK_EQ(st.residue, 0);
	while (readl(r.i2c_regs + DK_I2C_REG_STATUS) & DK_I2C_ST_BUSY)
		;
	writel(~0u, r.i2c_regs + DK_I2C_REG_STATUS);
	dma_unmap_single(r.dmac, h, 33, DMA_TO_DEVICE);
	/* Read back 16 bytes by PIO: the first page is 0x40..0x4f. */
	writel(1, r.i2c_regs + DK_I2C_REG_LEN);
	writel(0x40, r.i2c_regs + DK_I2C_REG_FIFO);
	writel(DK_I2C_CTRL_START, r.i2c_regs + DK_I2C_REG_CTRL);
	while (!(readl(r.i2c_regs + DK_I2C_REG_STATUS) & DK_I2C_ST_DONE))
		;
	writel(~0u, r.i2c_regs + DK_I2C_REG_STATUS);
	writel(16, r.i2c_regs + DK_I2C_REG_LEN);
	writel(DK_I2C_CTRL_START | DK_I2C_CTRL_READ | DK_I2C_CTRL_STOP,
	       r.i2c_regs + DK_I2C_REG_CTRL);
	while (!(readl(r.i2c_regs + DK_I2C_REG_STATUS) & DK_I2C_ST_DONE))
		;
	for (i = 0; i < 16; i++)
		got[i] = (u8)readl(r.i2c_regs + DK_I2C_REG_FIFO);
	/* 32 data bytes in a 16-byte page: the second 16 are left. */
	for (i = 0; i < 16; i++)
		CHECK_EQ(got[i], (u8)(0x11 * (17 + i)));
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_release_channel(tx);
	kfree(buf);
	rig_down(&r);
}

/* Clock @len bytes out of the NOR flash into its RX FIFO by DREQ, after
 * nor_command(): the "rx" channel drains them. */
static void nor_read(struct rig *r, u32 len)
{
	writel(DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE, r->spi_regs + DK_SPI_REG_CS);
	writel(len, r->spi_regs + DK_SPI_REG_LEN);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ | DK_SPI_CTRL_RX_EN,
	       r->spi_regs + DK_SPI_REG_CTRL);
}

/* A NOR READ from 0: the command and address by PIO, CS kept asserted
 * so the data follows in the next transfer. */
static void nor_command(struct rig *r)
{
	int i;

	writel(DK_SPI_CS_NOR | DK_SPI_CS_ACTIVE, r->spi_regs + DK_SPI_REG_CS);
	writel(4, r->spi_regs + DK_SPI_REG_LEN);
	writel(DK_SPI_NOR_READ, r->spi_regs + DK_SPI_REG_TXFIFO);
	for (i = 0; i < 3; i++)
		writel(0, r->spi_regs + DK_SPI_REG_TXFIFO);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_TX_EN,
	       r->spi_regs + DK_SPI_REG_CTRL);
	while (!(readl(r->spi_regs + DK_SPI_REG_STATUS) & DK_SPI_ST_DONE))
		;
	writel(~0u, r->spi_regs + DK_SPI_REG_STATUS);
}

static void spi_idle(struct rig *r)
{
	while (readl(r->spi_regs + DK_SPI_REG_STATUS) & DK_SPI_ST_BUSY)
		;
	writel(~0u, r->spi_regs + DK_SPI_REG_STATUS);
	writel(0, r->spi_regs + DK_SPI_REG_CS);
}

TEST(dmaengine_slave_residue_on_pause_and_terminate)
{
	struct rig r = rig_up(true);
	struct dma_chan *rx = chan_for(r.spi, "rx", r.spi->reg +
				       DK_SPI_REG_RXFIFO, 8);
	struct dma_async_tx_descriptor *d;
	struct dma_tx_state st;
	u8 *buf = kzalloc(512, GFP_KERNEL);
	dma_addr_t h = dma_map_single(r.dmac, buf, 512, DMA_FROM_DEVICE);
	dma_cookie_t ck;
	u32 left, i;
	u64 t;

	d = dmaengine_prep_slave_single(rx, h, 512, DMA_DEV_TO_MEM, 0);
	ck = dmaengine_submit(d);
	dma_async_issue_pending(rx);
	nor_command(&r);
	nor_read(&r, 512);
	t = dk_soc_now(r.t.soc) + 200 * DK_SPI_BYTE_CYCLES;
	while (dk_soc_now(r.t.soc) < t)
		readl(r.spi_regs + DK_SPI_REG_STATUS);
	CHECK_EQ(dmaengine_pause(rx), 0);
	CHECK_EQ(dmaengine_tx_status(rx, ck, &st), DMA_PAUSED);
	left = st.residue;
	CHECK(left > 0 && left < 512);
	CHECK_EQ(left % 8, 0);
	t += 50 * DK_SPI_BYTE_CYCLES;
	while (dk_soc_now(r.t.soc) < t)
		readl(r.spi_regs + DK_SPI_REG_STATUS);
	/* Paused: nothing moves (the SPI clock waits on its full FIFO). */
	CHECK_EQ(dmaengine_tx_status(rx, ck, &st), DMA_PAUSED);
	CHECK_EQ(st.residue, left);
	CHECK_EQ(dmaengine_resume(rx), 0);
	t += 50 * DK_SPI_BYTE_CYCLES;
	while (dk_soc_now(r.t.soc) < t)
		readl(r.spi_regs + DK_SPI_REG_STATUS);
	CHECK_EQ(dmaengine_tx_status(rx, ck, &st), DMA_IN_PROGRESS);
	CHECK(st.residue < left);
	CHECK_EQ(dmaengine_terminate_sync(rx), 0);
	/* Terminated: an error, with what did not move as the residue. */
	CHECK_EQ(dmaengine_tx_status(rx, ck, &st), DMA_ERROR);
	left = st.residue;
	CHECK(left > 0 && left < 512);
	dma_unmap_single(r.dmac, h, 512, DMA_FROM_DEVICE);
	for (i = 0; i < 512 - left; i++)
		CHECK_EQ(buf[i], DK_SPI_NOR_INIT(i));
	CHECK_EQ(buf[512 - left], 0);
	/* The channel takes new work after terminate. */
	d = dmaengine_prep_slave_single(rx, h, 8, DMA_DEV_TO_MEM, 0);
	CHECK(!dma_submit_error(dmaengine_submit(d)));
	CHECK_EQ(dmaengine_terminate_sync(rx), 0);
	writel(DK_SPI_CS_NOR, r.spi_regs + DK_SPI_REG_CS);
	dma_release_channel(rx);
	kfree(buf);
	rig_down(&r);
}

struct ring {
	int periods;
	u32 residue[16];
};

static void period_cb(void *arg, const struct dmaengine_result *res)
{
	struct ring *ring = arg;

	if (ring->periods < 16)
		ring->residue[ring->periods] = res->residue;
	ring->periods++;
}

TEST(dmaengine_slave_cyclic_wraps_with_a_callback_per_period)
{
	struct rig r = rig_up(true);
	struct dma_chan *rx = chan_for(r.spi, "rx", r.spi->reg +
				       DK_SPI_REG_RXFIFO, 4);
	struct dma_async_tx_descriptor *d;
	struct ring ring = { 0, { 0 } };
	dma_addr_t h;
	u8 *buf = dma_alloc_coherent(r.dmac, 64, &h, GFP_KERNEL);
	int i;

	CHECK(dmaengine_prep_dma_cyclic(rx, h, 60, 16, DMA_DEV_TO_MEM, 0) ==
	      NULL);
	d = dmaengine_prep_dma_cyclic(rx, h, 64, 16, DMA_DEV_TO_MEM,
				      DMA_PREP_INTERRUPT);
	d->callback_result = period_cb;
	d->callback_param = &ring;
	CHECK(!dma_submit_error(dmaengine_submit(d)));
	dma_async_issue_pending(rx);
	nor_command(&r);
	nor_read(&r, 200);
	spi_idle(&r);
	/* 200 bytes: 12 whole periods; the last 8 wait in the ring. */
	for (i = 0; i < 1000 && ring.periods < 12; i++)
		readl(r.spi_regs + DK_SPI_REG_STATUS);
	CHECK_EQ(ring.periods, 12);
	for (i = 0; i < 12; i++)
		CHECK_EQ(ring.residue[i], (u32)(64 - 16 * ((i + 1) % 4)));
	for (i = 0; i < 64; i++)
		CHECK_EQ(buf[i], DK_SPI_NOR_INIT(i < 8 ? 192 + i : 128 + i));
	CHECK_EQ(dmaengine_terminate_sync(rx), 0);
	dma_free_coherent(r.dmac, 64, buf, h);
	dma_release_channel(rx);
	rig_down(&r);
}

TEST(dmaengine_slave_sg_runs_its_segments_in_order)
{
	struct rig r = rig_up(true);
	struct dma_chan *rx = chan_for(r.spi, "rx", r.spi->reg +
				       DK_SPI_REG_RXFIFO, 4);
	static const unsigned int len[3] = { 100, 60, 96 };
	struct dma_async_tx_descriptor *d;
	struct scatterlist sg[3];
	struct cb cb = { 0, { DMA_TRANS_ABORTED, 99 } };
	u8 *buf[3];
	dma_cookie_t ck;
	unsigned int i, j, at = 0;
	int n;

	sg_init_table(sg, 3);
	for (i = 0; i < 3; i++) {
		buf[i] = kzalloc(len[i], GFP_KERNEL);
		sg_set_buf(&sg[i], buf[i], len[i]);
	}
	n = dma_map_sg(r.dmac, sg, 3, DMA_FROM_DEVICE);
	CHECK_EQ(n, 3);
	d = dmaengine_prep_slave_sg(rx, sg, n, DMA_DEV_TO_MEM, 0);
	CHECK(d != NULL);
	d->callback_result = result_cb;
	d->callback_param = &cb;
	ck = dmaengine_submit(d);
	dma_async_issue_pending(rx);
	nor_command(&r);
	nor_read(&r, 256);
	CHECK_EQ(dma_sync_wait(rx, ck), DMA_COMPLETE);
	CHECK_EQ(cb.calls, 1);
	CHECK_EQ(cb.last.result, DMA_TRANS_NOERROR);
	spi_idle(&r);
	dma_unmap_sg(r.dmac, sg, 3, DMA_FROM_DEVICE);
	/* One stream of flash bytes across the three buffers. */
	for (i = 0; i < 3; i++)
		for (j = 0; j < len[i]; j++, at++)
			CHECK_EQ(buf[i][j], DK_SPI_NOR_INIT(at));
	for (i = 0; i < 3; i++)
		kfree(buf[i]);
	/* A segment that is no whole number of accesses is refused. */
	{
		struct dma_slave_config cfg = {
			.src_addr = r.spi->reg + DK_SPI_REG_RXFIFO,
			.src_addr_width = DMA_SLAVE_BUSWIDTH_4_BYTES,
		};

		CHECK_EQ(dmaengine_slave_config(rx, &cfg), 0);
		CHECK(dmaengine_prep_slave_single(rx, 0x80000000, 6,
						  DMA_DEV_TO_MEM, 0) == NULL);
		CHECK_STR(dk_last_error(), "segment 0 of 6 bytes is no whole number of 4-byte accesses");
		cfg.src_addr_width = DMA_SLAVE_BUSWIDTH_8_BYTES;
		CHECK_EQ(dmaengine_slave_config(rx, &cfg), -EINVAL);
	}
	dma_release_channel(rx);
	rig_down(&r);
}
