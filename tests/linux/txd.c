// SPDX-License-Identifier: MIT
/*
 * A transmit-only DMA driver written the way upstream drivers are, with
 * nothing but <linux/...> includes: tests/test_linux_compat.c builds it
 * against dmakit's compatibility tree and drives it on a simulated SoC.
 * txd_send_from_stack() is the classic bug of mapping a stack buffer.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "txd.h"

#define TXD_RING	8
#define TXD_OWN		BIT(31)
#define TXD_LEN		GENMASK(15, 0)

struct txd_desc {
	__le64 addr;
	__le32 ctrl;
	__le32 pad;
};

struct txd_priv {
	struct device *dev;
	struct txd_desc *ring;
	dma_addr_t ring_dma;
	unsigned int head;
};

static int txd_probe(struct device *dev)
{
	struct txd_priv *p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret) {
		dev_err(dev, "no usable DMA mask: %d", ret);
		return ret;
	}
	p->ring = dmam_alloc_coherent(dev, TXD_RING * sizeof(*p->ring),
				      &p->ring_dma, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	p->dev = dev;
	dev_set_drvdata(dev, p);
	return 0;
}

static const struct of_device_id txd_of_match[] = {
	{ .compatible = "acme,txd" },
	{ }
};
MODULE_DEVICE_TABLE(of, txd_of_match);

struct device_driver txd_driver = {
	.name = "txd",
	.of_match_table = txd_of_match,
	.probe = txd_probe,
};

dma_addr_t txd_ring_dma(struct device *dev)
{
	struct txd_priv *p = dev_get_drvdata(dev);

	return p->ring_dma;
}

/* Queue @len bytes at @buf: map, describe, hand to the device. */
static int txd_queue(struct txd_priv *p, void *buf, size_t len)
{
	struct txd_desc *d = &p->ring[p->head % TXD_RING];
	dma_addr_t h;

	h = dma_map_single(p->dev, buf, len, DMA_TO_DEVICE);
	if (dma_mapping_error(p->dev, h))
		return -ENOMEM;
	d->addr = h;
	dma_wmb();	/* the address before the ownership bit */
	d->ctrl = TXD_OWN | min_t(u32, len, TXD_LEN);
	p->head++;
	return 0;
}

int txd_send(struct device *dev, void *buf, size_t len)
{
	return txd_queue(dev_get_drvdata(dev), buf, len);
}

/* The device is done with descriptor @i: give its buffer back. */
void txd_complete(struct device *dev, unsigned int i)
{
	struct txd_priv *p = dev_get_drvdata(dev);
	struct txd_desc *d = &p->ring[i];

	dma_unmap_single(dev, d->addr, d->ctrl & TXD_LEN, DMA_TO_DEVICE);
	WRITE_ONCE(d->ctrl, 0);
}

int txd_send_from_stack(struct device *dev, const void *data, size_t len)
{
	u8 frame[64];

	memcpy(frame, data, min(len, sizeof(frame)));
	return txd_queue(dev_get_drvdata(dev), frame, min(len, sizeof(frame)));
}

MODULE_LICENSE("Dual MIT/GPL");	/* the file is MIT */
MODULE_DESCRIPTION("a transmit-only DMA driver, built against dmakit");
