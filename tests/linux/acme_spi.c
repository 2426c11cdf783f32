// SPDX-License-Identifier: MIT
/*
 * A SPI controller driver whose FIFOs are fed and drained by slave DMA
 * channels, written the way upstream drivers are and including nothing
 * but <linux/...> headers: bound by of_match_table to an "acme,spi" node
 * (its second compatible, "dmakit,spi", gives it the simulated controller
 * of include/dmakit/models/spi.h in its DREQ mode). Transfers of
 * ACME_SPI_DMA_MIN bytes and more go by DMA: the driver maps them for the
 * channels' DMA device, queues rx before tx, waits for the callbacks with
 * wait_for_completion_timeout() and for the controller to go idle with
 * readl_poll_timeout(); shorter ones go by PIO.
 *
 * acme_spi_inject_unmap_bug() makes it forget to unmap the receive
 * buffer: the mapping leaks and the CPU reads the buffer without the
 * invalidate that the unmap would have done.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>

#include "acme_spi.h"

#define ACME_SPI_CTRL		0x04
#define ACME_SPI_STATUS		0x08
#define ACME_SPI_LEN		0x0c
#define ACME_SPI_TXFIFO		0x20
#define ACME_SPI_RXFIFO		0x24
#define ACME_SPI_CS		0x2c

#define CTRL_START		BIT(0)
#define CTRL_TX_EN		BIT(2)
#define CTRL_RX_EN		BIT(3)
#define CTRL_DREQ		BIT(5)
#define CTRL_ABORT		BIT(6)
#define ST_BUSY			BIT(0)
#define ST_DONE			BIT(1)
#define ST_ERROR		BIT(2)
#define CS_ACTIVE		BIT(8)

#define ACME_SPI_FIFO_DEPTH	64
#define ACME_SPI_DMA_MIN	32
#define ACME_SPI_BURST		16	/* the FIFOs' watermark */
#define ACME_SPI_TIMEOUT_MS	100

struct acme_spi {
	struct device *dev;
	void __iomem *base;
	phys_addr_t phys;
	struct completion tx_done, rx_done;
	unsigned int dma_xfers, pio_xfers;
};

static bool unmap_bug;

void acme_spi_inject_unmap_bug(bool on)
{
	unmap_bug = on;
}

static void acme_spi_set_cs(struct spi_device *spi, bool enable)
{
	struct acme_spi *as = spi_controller_get_devdata(spi->controller);

	/* enable is the line level: low selects. */
	writel(enable ? 0 : spi_get_chipselect(spi, 0) | CS_ACTIVE,
	       as->base + ACME_SPI_CS);
}

static int acme_spi_wait_idle(struct acme_spi *as)
{
	u32 st;
	int ret;

	ret = readl_poll_timeout(as->base + ACME_SPI_STATUS, st,
				 st & (ST_DONE | ST_ERROR), 1,
				 ACME_SPI_TIMEOUT_MS * 1000);
	if (ret)
		return ret;
	writel(st & (ST_DONE | ST_ERROR), as->base + ACME_SPI_STATUS);
	return st & ST_ERROR ? -EIO : 0;
}

static int acme_spi_pio(struct acme_spi *as, struct spi_transfer *t)
{
	const u8 *tx = t->tx_buf;
	u8 *rx = t->rx_buf;
	unsigned int off, n, i;
	int ret;

	for (off = 0; off < t->len; off += n) {
		n = min_t(unsigned int, t->len - off, ACME_SPI_FIFO_DEPTH);
		writel(n, as->base + ACME_SPI_LEN);
		for (i = 0; tx && i < n; i++)
			writel(tx[off + i], as->base + ACME_SPI_TXFIFO);
		writel(CTRL_START | (tx ? CTRL_TX_EN : 0) |
		       (rx ? CTRL_RX_EN : 0), as->base + ACME_SPI_CTRL);
		ret = acme_spi_wait_idle(as);
		if (ret)
			return ret;
		for (i = 0; rx && i < n; i++)
			rx[off + i] = readl(as->base + ACME_SPI_RXFIFO);
	}
	as->pio_xfers++;
	return 0;
}

static void acme_spi_tx_callback(void *data)
{
	struct acme_spi *as = data;

	complete(&as->tx_done);
}

static void acme_spi_rx_callback(void *data)
{
	struct acme_spi *as = data;

	complete(&as->rx_done);
}

static int acme_spi_submit(struct acme_spi *as, struct dma_chan *chan,
			   dma_addr_t buf, size_t len,
			   enum dma_transfer_direction dir,
			   dma_async_tx_callback cb)
{
	struct dma_async_tx_descriptor *desc;

	desc = dmaengine_prep_slave_single(chan, buf, len, dir,
					   DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!desc)
		return -EIO;
	desc->callback = cb;
	desc->callback_param = as;
	return dma_submit_error(dmaengine_submit(desc));
}

static bool acme_spi_wait(struct completion *done)
{
	return wait_for_completion_timeout(done,
					   msecs_to_jiffies(ACME_SPI_TIMEOUT_MS));
}

static int acme_spi_dma(struct spi_controller *ctlr, struct acme_spi *as,
			struct spi_transfer *t)
{
	struct device *tx_dev = ctlr->dma_tx->device->dev;
	struct device *rx_dev = ctlr->dma_rx->device->dev;
	dma_addr_t tx = 0, rx = 0;
	u32 ctrl = CTRL_START | CTRL_DREQ;
	int ret = 0;

	if (t->tx_buf) {
		tx = dma_map_single(tx_dev, (void *)t->tx_buf, t->len,
				    DMA_TO_DEVICE);
		if (dma_mapping_error(tx_dev, tx))
			return -ENOMEM;
		ctrl |= CTRL_TX_EN;
	}
	if (t->rx_buf) {
		rx = dma_map_single(rx_dev, t->rx_buf, t->len, DMA_FROM_DEVICE);
		if (dma_mapping_error(rx_dev, rx)) {
			ret = -ENOMEM;
			goto unmap_tx;
		}
		ctrl |= CTRL_RX_EN;
	}
	reinit_completion(&as->tx_done);
	reinit_completion(&as->rx_done);
	/* Receive first, so no byte waits for a channel that is not set. */
	if (t->rx_buf)
		ret = acme_spi_submit(as, ctlr->dma_rx, rx, t->len,
				      DMA_DEV_TO_MEM, acme_spi_rx_callback);
	if (!ret && t->tx_buf)
		ret = acme_spi_submit(as, ctlr->dma_tx, tx, t->len,
				      DMA_MEM_TO_DEV, acme_spi_tx_callback);
	if (ret)
		goto stop;
	dma_async_issue_pending(ctlr->dma_rx);
	dma_async_issue_pending(ctlr->dma_tx);
	writel(t->len, as->base + ACME_SPI_LEN);
	writel(ctrl, as->base + ACME_SPI_CTRL);
	if ((t->tx_buf && !acme_spi_wait(&as->tx_done)) ||
	    (t->rx_buf && !acme_spi_wait(&as->rx_done))) {
		dev_err(as->dev, "DMA timed out\n");
		writel(CTRL_ABORT, as->base + ACME_SPI_CTRL);
		ret = -ETIMEDOUT;
		goto stop;
	}
	ret = acme_spi_wait_idle(as);
	as->dma_xfers++;
	goto unmap_rx;
stop:
	dmaengine_terminate_sync(ctlr->dma_rx);
	dmaengine_terminate_sync(ctlr->dma_tx);
unmap_rx:
	if (t->rx_buf && !unmap_bug)
		dma_unmap_single(rx_dev, rx, t->len, DMA_FROM_DEVICE);
unmap_tx:
	if (t->tx_buf)
		dma_unmap_single(tx_dev, tx, t->len, DMA_TO_DEVICE);
	return ret;
}

static int acme_spi_transfer_one(struct spi_controller *ctlr,
				 struct spi_device *spi,
				 struct spi_transfer *t)
{
	struct acme_spi *as = spi_controller_get_devdata(ctlr);

	if (ctlr->dma_tx && ctlr->dma_rx && t->len >= ACME_SPI_DMA_MIN)
		return acme_spi_dma(ctlr, as, t);
	return acme_spi_pio(as, t);
}

static struct dma_chan *acme_spi_chan(struct acme_spi *as, const char *name)
{
	struct dma_slave_config cfg = {
		.src_addr = as->phys + ACME_SPI_RXFIFO,
		.dst_addr = as->phys + ACME_SPI_TXFIFO,
		.src_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE,
		.src_maxburst = ACME_SPI_BURST,
		.dst_maxburst = ACME_SPI_BURST,
	};
	struct dma_chan *chan = dma_request_chan(as->dev, name);

	if (!IS_ERR(chan) && dmaengine_slave_config(chan, &cfg)) {
		dma_release_channel(chan);
		return ERR_PTR(-EINVAL);
	}
	return chan;
}

static void acme_spi_release_dma(struct spi_controller *ctlr)
{
	if (ctlr->dma_tx)
		dma_release_channel(ctlr->dma_tx);
	if (ctlr->dma_rx)
		dma_release_channel(ctlr->dma_rx);
	ctlr->dma_tx = ctlr->dma_rx = NULL;
}

static int acme_spi_request_dma(struct spi_controller *ctlr,
				struct acme_spi *as)
{
	struct dma_chan *tx, *rx;

	tx = acme_spi_chan(as, "tx");
	if (IS_ERR(tx))
		return PTR_ERR(tx) == -EPROBE_DEFER ? -EPROBE_DEFER : 0;
	rx = acme_spi_chan(as, "rx");
	if (IS_ERR(rx)) {
		dma_release_channel(tx);
		return PTR_ERR(rx) == -EPROBE_DEFER ? -EPROBE_DEFER : 0;
	}
	ctlr->dma_tx = tx;
	ctlr->dma_rx = rx;
	return 0;
}

static int acme_spi_probe(struct platform_device *pdev)
{
	struct spi_controller *ctlr;
	struct acme_spi *as;
	struct resource *res;
	int ret;

	ctlr = devm_spi_alloc_host(&pdev->dev, sizeof(*as));
	if (!ctlr)
		return -ENOMEM;
	as = spi_controller_get_devdata(ctlr);
	as->dev = &pdev->dev;
	as->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(as->base))
		return PTR_ERR(as->base);
	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	as->phys = res->start;
	init_completion(&as->tx_done);
	init_completion(&as->rx_done);
	ret = acme_spi_request_dma(ctlr, as);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "no DMA channels\n");
	ctlr->num_chipselect = 2;
	ctlr->mode_bits = SPI_CPOL | SPI_CPHA | SPI_CS_HIGH;
	ctlr->bits_per_word_mask = SPI_BPW_MASK(8);
	ctlr->transfer_one = acme_spi_transfer_one;
	ctlr->set_cs = acme_spi_set_cs;
	platform_set_drvdata(pdev, ctlr);
	ret = devm_spi_register_controller(&pdev->dev, ctlr);
	if (ret)
		acme_spi_release_dma(ctlr);
	return ret;
}

static void acme_spi_remove(struct platform_device *pdev)
{
	struct spi_controller *ctlr = platform_get_drvdata(pdev);

	acme_spi_release_dma(ctlr);
}

void acme_spi_counts(struct device *dev, unsigned int *dma,
		     unsigned int *pio)
{
	struct spi_controller *ctlr = dev_get_drvdata(dev);
	struct acme_spi *as = ctlr ? spi_controller_get_devdata(ctlr) : NULL;

	*dma = as ? as->dma_xfers : 0;
	*pio = as ? as->pio_xfers : 0;
}

static const struct of_device_id acme_spi_of_match[] = {
	{ .compatible = "acme,spi" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_spi_of_match);

static struct platform_driver acme_spi_driver = {
	.probe = acme_spi_probe,
	.remove = acme_spi_remove,
	.driver = {
		.name = "acme-spi",
		.of_match_table = acme_spi_of_match,
	},
};
module_platform_driver(acme_spi_driver);

MODULE_DESCRIPTION("ACME SPI controller with slave DMA");
MODULE_LICENSE("Dual MIT/GPL");
