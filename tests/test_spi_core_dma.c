// SPDX-License-Identifier: MIT
/*
 * The SPI core as Linux's DMA-capable controller drivers use it: a driver
 * with dma_tx/dma_rx channels and can_dma() gets each transfer mapped for
 * the channels' DMA controller, as scatterlists in tx_sg/rx_sg, hands
 * them to dmaengine_prep_slave_sg(), returns 1 from transfer_one() and
 * calls spi_finalize_current_transfer() from the receive callback, while
 * the core lets simulated time pass; a controller that must have both
 * buffers (SPI_CONTROLLER_MUST_TX/MUST_RX) gets zeroed stand-ins, and
 * max_dma_len splits the scatterlists. On the default SoC's SPI
 * controller (DREQ mode) and slave DMA controller, with exact bytes.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dmaengine.h>
#include <dmakit/io.h>
#include <dmakit/models/spi.h>
#include <dmakit/slab.h>
#include <dmakit/spi.h>

#include "harness.h"
#include "testsoc.h"

struct sgspi {
	struct spi_controller ctlr;
	void __iomem *base;
	int finalized;
	/* what transfer_one was handed, last time */
	unsigned int tx_nents, rx_nents, seg0, seg_last;
};

static void sgspi_set_cs(struct spi_device *spi, bool level)
{
	struct sgspi *s = spi->controller->priv;

	writel(level ? 0 : spi->chip_select | DK_SPI_CS_ACTIVE,
	       s->base + DK_SPI_REG_CS);
}

static bool sgspi_can_dma(struct spi_controller *ctlr, struct spi_device *spi,
			  struct spi_transfer *t)
{
	(void)ctlr;
	(void)spi;
	return t->tx_buf && t->rx_buf;
}

static void rx_done(void *arg)
{
	struct sgspi *s = arg;

	s->finalized++;
	spi_finalize_current_transfer(&s->ctlr);
}

static int sgspi_transfer_one(struct spi_controller *ctlr,
			      struct spi_device *spi, struct spi_transfer *t)
{
	struct sgspi *s = ctlr->priv;
	struct dma_async_tx_descriptor *rx, *tx;

	(void)spi;
	if (!spi_xfer_is_dma_mapped(ctlr, spi, t))
		return -EINVAL;
	s->tx_nents = t->tx_sg.nents;
	s->rx_nents = t->rx_sg.nents;
	s->seg0 = sg_dma_len(&t->tx_sg.sgl[0]);
	s->seg_last = sg_dma_len(&t->tx_sg.sgl[t->tx_sg.nents - 1]);
	rx = dmaengine_prep_slave_sg(ctlr->dma_rx, t->rx_sg.sgl, t->rx_sg.nents,
				     DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
	tx = dmaengine_prep_slave_sg(ctlr->dma_tx, t->tx_sg.sgl, t->tx_sg.nents,
				     DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	if (!rx || !tx)
		return -EIO;
	rx->callback = rx_done;
	rx->callback_param = s;
	dmaengine_submit(rx);
	dmaengine_submit(tx);
	dma_async_issue_pending(ctlr->dma_rx);
	dma_async_issue_pending(ctlr->dma_tx);
	writel(t->len, s->base + DK_SPI_REG_LEN);
	writel(DK_SPI_CTRL_START | DK_SPI_CTRL_DREQ | DK_SPI_CTRL_TX_EN |
		       DK_SPI_CTRL_RX_EN, s->base + DK_SPI_REG_CTRL);
	return 1;	/* in flight: rx_done() finalizes */
}

static struct dma_chan *chan(struct device *dev, const char *name,
			     phys_addr_t fifo)
{
	struct dma_slave_config cfg = {
		.src_addr = fifo, .dst_addr = fifo,
		.src_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.src_maxburst = 16, .dst_maxburst = 16,
	};
	struct dma_chan *c = dma_request_chan(dev, name);

	CHECK(!IS_ERR(c));
	CHECK_EQ(dmaengine_slave_config(c, &cfg), 0);
	return c;
}

/* The mailbox on chip select 1 of the default SoC's SPI controller,
 * driven by @s with the slave DMA controller's channels. */
static struct spi_device *sgspi_up(struct testmachine *t, struct sgspi *s)
{
	struct device *dev = dk_machine_find_device(t->m, "spi@10190000");
	struct spi_board_info bi = { .modalias = "mcu", .chip_select = 1 };

	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	s->base = ioremap(dev->reg, dev->reg_size);
	s->ctlr.dev.parent = dev;
	s->ctlr.num_chipselect = 2;
	s->ctlr.can_dma = sgspi_can_dma;
	s->ctlr.transfer_one = sgspi_transfer_one;
	s->ctlr.set_cs = sgspi_set_cs;
	s->ctlr.priv = s;
	s->ctlr.dma_tx = chan(dev, "tx", dev->reg + DK_SPI_REG_TXFIFO);
	s->ctlr.dma_rx = chan(dev, "rx", dev->reg + DK_SPI_REG_RXFIFO);
	CHECK_EQ(spi_register_controller(&s->ctlr), 0);
	return spi_new_device(&s->ctlr, &bi);
}

static void sgspi_down(struct sgspi *s, struct spi_device *mcu)
{
	spi_unregister_device(mcu);
	spi_unregister_controller(&s->ctlr);
	dma_release_channel(s->ctlr.dma_tx);
	dma_release_channel(s->ctlr.dma_rx);
	iounmap(s->base);
}

TEST(spi_core_maps_for_the_dma_channels_and_waits_for_finalize)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dmac = dk_machine_find_device(t.m,
						     "dma-controller@101d0000");
	struct sgspi s = { .finalized = 0 };
	struct spi_device *mcu = sgspi_up(&t, &s);
	struct spi_transfer x = { .len = 200 };
	u8 *tx = kmalloc(200, GFP_KERNEL), *rx = kmalloc(200, GFP_KERNEL);
	FILE *sink = testdebug_start();
	int i;

	for (i = 0; i < 200; i++)
		tx[i] = (u8)(i * 11 + 7);
	x.tx_buf = tx;
	x.rx_buf = rx;
	CHECK_EQ(spi_sync_transfer(mcu, &x, 1), 0);
	memset(rx, 0, 200);
	CHECK_EQ(spi_sync_transfer(mcu, &x, 1), 0);
	/* The mailbox answered the second message with the first. */
	CHECK_MEM(rx, tx, 200);
	CHECK_EQ(s.finalized, 2);
	CHECK_EQ(s.ctlr.dk_dma_xfers, 2);
	/* Mapped for the DMA controller, not the SPI controller: the
	 * checker saw every access covered. */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK(dmaengine_get_dma_device(s.ctlr.dma_tx) == dmac);
	CHECK_EQ(s.tx_nents, 1);	/* no max_dma_len: one entry */
	sgspi_down(&s, mcu);
	kfree(tx);
	kfree(rx);
	testmachine_shutdown(&t);
	testdebug_end(sink);
}

TEST(spi_core_must_tx_rx_dummies_and_max_dma_len_segments)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct sgspi s = { .finalized = 0 };
	struct spi_device *mcu = sgspi_up(&t, &s);
	struct spi_transfer x = { .len = 200 };
	u8 *tx = kmalloc(200, GFP_KERNEL), *rx = kmalloc(200, GFP_KERNEL);
	FILE *sink = testdebug_start();
	int i;

	s.ctlr.flags = SPI_CONTROLLER_MUST_TX | SPI_CONTROLLER_MUST_RX;
	s.ctlr.max_dma_len = 64;
	/* Send only: the controller is handed a receive buffer too (its
	 * can_dma() takes only transfers with both). */
	for (i = 0; i < 200; i++)
		tx[i] = (u8)(i * 13 + 5);
	x.tx_buf = tx;
	CHECK_EQ(spi_sync_transfer(mcu, &x, 1), 0);
	CHECK_EQ(s.finalized, 1);
	CHECK(x.rx_buf == NULL);	/* the caller's transfer as it was */
	/* 200 bytes in entries of at most 64: 64 + 64 + 64 + 8. */
	CHECK_EQ(s.tx_nents, 4);
	CHECK_EQ(s.rx_nents, 4);
	CHECK_EQ(s.seg0, 64);
	CHECK_EQ(s.seg_last, 8);

	/* Receive only: the mailbox answers with the first message, and
	 * the stand-in sends zeroes, which the next answer shows. */
	x.tx_buf = NULL;
	x.rx_buf = rx;
	memset(rx, 0x5a, 200);
	CHECK_EQ(spi_sync_transfer(mcu, &x, 1), 0);
	CHECK_EQ(s.finalized, 2);
	CHECK(x.tx_buf == NULL);
	CHECK_MEM(rx, tx, 200);
	memset(rx, 0x5a, 200);
	CHECK_EQ(spi_sync_transfer(mcu, &x, 1), 0);
	for (i = 0; i < 200; i++)
		CHECK_EQ(rx[i], 0);
	CHECK_EQ(s.ctlr.dk_dma_xfers, 3);
	/* Every segment was covered by a live mapping. */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	sgspi_down(&s, mcu);
	kfree(tx);
	kfree(rx);
	testmachine_shutdown(&t);
	testdebug_end(sink);
}
