// SPDX-License-Identifier: MIT
/*
 * The edu driver: probe maps BAR 0, checks the identification register,
 * sets the DMA mask and takes the interrupt; a transfer programs source,
 * destination, count and command and waits for the command's busy bit to
 * drop, or for the interrupt when it asked for one.
 */
#include <errno.h>
#include <time.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/machine.h>
#include <dmakit/slab.h>

#include "edu.h"

#define EDU_ID 0x00
#define EDU_LIVE 0x04
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_ACK 0x64
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define CMD_START 0x1
#define CMD_TO_RAM 0x2
#define CMD_IRQ 0x4
#define IRQ_DMA 0x100

unsigned int edu_mask_bits = 28;

static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *e = data;
	u32 st = readl(e->regs + EDU_IRQ_STATUS);

	(void)irq;
	if (!st)
		return IRQ_NONE;
	writel(st, e->regs + EDU_IRQ_ACK);
	e->irq_status = st;
	e->irqs++;
	return IRQ_HANDLED;
}

static int edu_probe(struct device *dev)
{
	struct edu *e = devm_kzalloc(dev, sizeof(*e), GFP_KERNEL);
	int r;

	if (!e)
		return -ENOMEM;
	e->dev = dev;
	e->regs = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!e->regs)
		return -ENOMEM;
	if ((readl(e->regs + EDU_ID) & 0xff) != 0xed) {
		dev_err(dev, "not an edu device (id 0x%x)",
			readl(e->regs + EDU_ID));
		return -ENODEV;
	}
	if (edu_mask_bits) {
		r = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(edu_mask_bits));
		if (r)
			return r;
	}
	r = devm_request_irq(dev, dev->irq, edu_irq, 0, "edu", e);
	if (r)
		return r;
	dev_set_drvdata(dev, e);
	return 0;
}

static const struct of_device_id edu_ids[] = {
	{ .compatible = "pci1234,11e8" },
	{ }
};

struct device_driver edu_driver = {
	.name = "edu",
	.of_match_table = edu_ids,
	.probe = edu_probe,
};

struct edu *edu_of(struct device *dev)
{
	return dev && dev->driver == &edu_driver ? dev_get_drvdata(dev) : NULL;
}

u32 edu_invert(struct edu *e, u32 v)
{
	writel(v, e->regs + EDU_LIVE);
	return readl(e->regs + EDU_LIVE);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int edu_dma(struct edu *e, dma_addr_t addr, u32 off, u32 len, bool to_ram,
	    bool irq)
{
	const struct dk_platform *pl = dk_machine_platform(e->dev->machine);
	unsigned int irqs = e->irqs;
	double t0 = now();

	if (!len || len > EDU_MAX_XFER || off > EDU_BUF_SIZE - len ||
	    addr > 0xffffffffULL)
		return -EINVAL;
	/* The address registers are 64 bits wide, but a 32-bit write sets
	 * all of one (QEMU ignores the upper halves' own addresses); the
	 * device then keeps 28 bits of it. */
	writel(to_ram ? EDU_BUF + off : addr, e->regs + EDU_DMA_SRC);
	writel(to_ram ? addr : EDU_BUF + off, e->regs + EDU_DMA_DST);
	writel(len, e->regs + EDU_DMA_CNT);
	writel(CMD_START | (to_ram ? CMD_TO_RAM : 0) | (irq ? CMD_IRQ : 0),
	       e->regs + EDU_DMA_CMD);
	for (;;) {
		bool done = irq ? e->irqs != irqs :
				  !(readl(e->regs + EDU_DMA_CMD) & CMD_START);

		if (done)
			return 0;
		if (now() - t0 > 5)
			return -ETIMEDOUT;
		pl->ops->cpu_idle(pl->ctx);
	}
}
