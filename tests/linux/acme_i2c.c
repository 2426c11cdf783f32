// SPDX-License-Identifier: MIT
/*
 * An I2C bus driver for a controller whose FIFO is fed by a slave DMA
 * channel, written the way upstream drivers are and including nothing
 * but <linux/...> headers: bound by of_match_table when a tree with an
 * "acme,i2c" node boots (the node's second compatible, "dmakit,i2c",
 * gives it the simulated controller of include/dmakit/models/i2c.h in
 * its DREQ mode). Messages of ACME_I2C_DMA_MIN bytes and more go by DMA
 * through i2c_get_dma_safe_msg_buf(), waiting for the channel's callback
 * with wait_for_completion_timeout() and for the bus with
 * readl_poll_timeout(); shorter ones by PIO.
 *
 * acme_i2c_inject_stack_bug() makes it map msg->buf itself instead of
 * asking for a DMA-safe buffer: the classic bug of talk 001, which maps
 * whatever the client passed (its stack, in tests/test_linux_i2c_dma.c).
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/err.h>
#include <linux/i2c.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "acme_i2c.h"

#define ACME_I2C_ID		0x00
#define ACME_I2C_CTRL		0x04
#define ACME_I2C_STATUS		0x08
#define ACME_I2C_ADDR		0x0c
#define ACME_I2C_LEN		0x10
#define ACME_I2C_FIFO		0x1c

#define CTRL_START		BIT(0)
#define CTRL_READ		BIT(1)
#define CTRL_STOP		BIT(3)
#define CTRL_DREQ		BIT(5)
#define ST_BUSY			BIT(0)
#define ST_DONE			BIT(1)
#define ST_NACK			BIT(2)
#define ST_ERROR		BIT(3)
#define ST_ENDED		(ST_DONE | ST_NACK | ST_ERROR)

#define ACME_I2C_FIFO_DEPTH	16
#define ACME_I2C_DMA_MIN	8
#define ACME_I2C_BURST		8	/* the FIFO's watermark */
#define ACME_I2C_TIMEOUT_MS	100

struct acme_i2c {
	struct device *dev;
	void __iomem *base;
	phys_addr_t fifo;
	struct i2c_adapter adap;
	struct dma_chan *tx, *rx;
	struct completion dma_done;
	unsigned int dma_msgs, pio_msgs;
};

static bool stack_bug;

void acme_i2c_inject_stack_bug(bool on)
{
	stack_bug = on;
}

static void acme_i2c_dma_callback(void *data)
{
	struct acme_i2c *i2c = data;

	complete(&i2c->dma_done);
}

/* The bus side of a message has ended: DONE, NACK or ERROR. */
static int acme_i2c_wait_bus(struct acme_i2c *i2c)
{
	u32 st;
	int ret;

	ret = readl_poll_timeout(i2c->base + ACME_I2C_STATUS, st,
				 st & ST_ENDED, 1, ACME_I2C_TIMEOUT_MS * 1000);
	if (ret) {
		dev_err(i2c->dev, "bus stuck, status 0x%x\n", st);
		return ret;
	}
	writel(st & ST_ENDED, i2c->base + ACME_I2C_STATUS);
	if (st & ST_NACK)
		return -ENXIO;
	return st & ST_DONE ? 0 : -EIO;
}

static void acme_i2c_start(struct acme_i2c *i2c, struct i2c_msg *msg,
			   u32 ctrl, bool stop)
{
	writel(msg->addr, i2c->base + ACME_I2C_ADDR);
	writel(msg->len, i2c->base + ACME_I2C_LEN);
	if (msg->flags & I2C_M_RD)
		ctrl |= CTRL_READ;
	if (stop)
		ctrl |= CTRL_STOP;
	writel(ctrl | CTRL_START, i2c->base + ACME_I2C_CTRL);
}

static int acme_i2c_pio(struct acme_i2c *i2c, struct i2c_msg *msg, bool stop)
{
	int i, ret;

	if (!(msg->flags & I2C_M_RD))
		for (i = 0; i < msg->len; i++)
			writel(msg->buf[i], i2c->base + ACME_I2C_FIFO);
	acme_i2c_start(i2c, msg, 0, stop);
	ret = acme_i2c_wait_bus(i2c);
	if (!ret && msg->flags & I2C_M_RD)
		for (i = 0; i < msg->len; i++)
			msg->buf[i] = readl(i2c->base + ACME_I2C_FIFO);
	i2c->pio_msgs++;
	return ret;
}

static int acme_i2c_dma(struct acme_i2c *i2c, struct i2c_msg *msg, u8 *buf,
			bool stop)
{
	bool rd = msg->flags & I2C_M_RD;
	struct dma_chan *chan = rd ? i2c->rx : i2c->tx;
	struct device *dma_dev = chan->device->dev;
	enum dma_data_direction dir = rd ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	struct dma_async_tx_descriptor *desc;
	dma_addr_t dma;
	dma_cookie_t cookie;
	int ret;

	dma = dma_map_single(dma_dev, buf, msg->len, dir);
	if (dma_mapping_error(dma_dev, dma))
		return -ENOMEM;
	desc = dmaengine_prep_slave_single(chan, dma, msg->len,
					   rd ? DMA_DEV_TO_MEM : DMA_MEM_TO_DEV,
					   DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!desc) {
		ret = -EIO;
		goto unmap;
	}
	desc->callback = acme_i2c_dma_callback;
	desc->callback_param = i2c;
	reinit_completion(&i2c->dma_done);
	cookie = dmaengine_submit(desc);
	ret = dma_submit_error(cookie);
	if (ret)
		goto unmap;
	dma_async_issue_pending(chan);
	acme_i2c_start(i2c, msg, CTRL_DREQ, stop);
	if (!wait_for_completion_timeout(&i2c->dma_done,
					 msecs_to_jiffies(ACME_I2C_TIMEOUT_MS))) {
		dev_err(i2c->dev, "DMA timed out on %s\n", dma_chan_name(chan));
		dmaengine_terminate_sync(chan);
		ret = -ETIMEDOUT;
		acme_i2c_wait_bus(i2c);
		goto unmap;
	}
	ret = acme_i2c_wait_bus(i2c);
	i2c->dma_msgs++;
unmap:
	dma_unmap_single(dma_dev, dma, msg->len, dir);
	return ret;
}

static int acme_i2c_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs,
			 int num)
{
	struct acme_i2c *i2c = i2c_get_adapdata(adap);
	int i, ret = 0;

	for (i = 0; i < num && !ret; i++) {
		struct i2c_msg *msg = &msgs[i];
		bool stop = i == num - 1;
		u8 *buf = NULL;

		if (i2c->tx && i2c->rx) {
			if (stack_bug)
				buf = msg->len >= ACME_I2C_DMA_MIN ? msg->buf :
								     NULL;
			else
				buf = i2c_get_dma_safe_msg_buf(msg,
							       ACME_I2C_DMA_MIN);
		}
		if (buf) {
			ret = acme_i2c_dma(i2c, msg, buf, stop);
			if (!stack_bug)
				i2c_put_dma_safe_msg_buf(buf, msg, !ret);
		} else if (msg->len <= ACME_I2C_FIFO_DEPTH) {
			ret = acme_i2c_pio(i2c, msg, stop);
		} else {
			ret = -EOPNOTSUPP;
		}
	}
	return ret ? ret : num;
}

static u32 acme_i2c_func(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm acme_i2c_algo = {
	.master_xfer = acme_i2c_xfer,
	.functionality = acme_i2c_func,
};

static struct dma_chan *acme_i2c_chan(struct acme_i2c *i2c, const char *name,
				      enum dma_transfer_direction dir)
{
	struct dma_slave_config cfg = { 0 };
	struct dma_chan *chan = dma_request_chan(i2c->dev, name);
	int ret;

	if (IS_ERR(chan))
		return chan;
	if (dir == DMA_MEM_TO_DEV) {
		cfg.dst_addr = i2c->fifo;
		cfg.dst_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE;
		cfg.dst_maxburst = ACME_I2C_BURST;
	} else {
		cfg.src_addr = i2c->fifo;
		cfg.src_addr_width = DMA_SLAVE_BUSWIDTH_1_BYTE;
		cfg.src_maxburst = ACME_I2C_BURST;
	}
	ret = dmaengine_slave_config(chan, &cfg);
	if (ret) {
		dma_release_channel(chan);
		return ERR_PTR(ret);
	}
	return chan;
}

static void acme_i2c_release_dma(struct acme_i2c *i2c)
{
	if (i2c->tx)
		dma_release_channel(i2c->tx);
	if (i2c->rx)
		dma_release_channel(i2c->rx);
	i2c->tx = i2c->rx = NULL;
}

/* DMA is optional: without channels every message goes by PIO. */
static int acme_i2c_request_dma(struct acme_i2c *i2c)
{
	struct dma_chan *tx, *rx;

	tx = acme_i2c_chan(i2c, "tx", DMA_MEM_TO_DEV);
	if (IS_ERR(tx))
		return PTR_ERR(tx) == -EPROBE_DEFER ? -EPROBE_DEFER : 0;
	rx = acme_i2c_chan(i2c, "rx", DMA_DEV_TO_MEM);
	if (IS_ERR(rx)) {
		dma_release_channel(tx);
		return PTR_ERR(rx) == -EPROBE_DEFER ? -EPROBE_DEFER : 0;
	}
	i2c->tx = tx;
	i2c->rx = rx;
	return 0;
}

static int acme_i2c_probe(struct platform_device *pdev)
{
	struct acme_i2c *i2c;
	struct resource *res;
	int ret;

	i2c = devm_kzalloc(&pdev->dev, sizeof(*i2c), GFP_KERNEL);
	if (!i2c)
		return -ENOMEM;
	i2c->dev = &pdev->dev;
	i2c->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(i2c->base))
		return PTR_ERR(i2c->base);
	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	i2c->fifo = res->start + ACME_I2C_FIFO;
	init_completion(&i2c->dma_done);
	ret = acme_i2c_request_dma(i2c);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "no DMA channels\n");
	i2c_set_adapdata(&i2c->adap, i2c);
	i2c->adap.owner = THIS_MODULE;
	i2c->adap.algo = &acme_i2c_algo;
	i2c->adap.dev.parent = &pdev->dev;
	snprintf(i2c->adap.name, sizeof(i2c->adap.name), "acme-i2c");
	platform_set_drvdata(pdev, i2c);
	ret = i2c_add_adapter(&i2c->adap);
	if (ret)
		acme_i2c_release_dma(i2c);
	return ret;
}

static void acme_i2c_remove(struct platform_device *pdev)
{
	struct acme_i2c *i2c = platform_get_drvdata(pdev);

	i2c_del_adapter(&i2c->adap);
	acme_i2c_release_dma(i2c);
}

void acme_i2c_counts(struct device *dev, unsigned int *dma,
		     unsigned int *pio)
{
	struct acme_i2c *i2c = dev_get_drvdata(dev);

	*dma = i2c ? i2c->dma_msgs : 0;
	*pio = i2c ? i2c->pio_msgs : 0;
}

static const struct of_device_id acme_i2c_of_match[] = {
	{ .compatible = "acme,i2c" },
	{ }
};
MODULE_DEVICE_TABLE(of, acme_i2c_of_match);

static struct platform_driver acme_i2c_driver = {
	.probe = acme_i2c_probe,
	.remove = acme_i2c_remove,
	.driver = {
		.name = "acme-i2c",
		.of_match_table = acme_i2c_of_match,
	},
};
module_platform_driver(acme_i2c_driver);

MODULE_DESCRIPTION("ACME I2C controller with slave DMA");
MODULE_LICENSE("Dual MIT/GPL");
