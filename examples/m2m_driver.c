// SPDX-License-Identifier: MIT
/*
 * A small driver for the simulated memcpy DMA engine ("dmakit,m2m-dma"),
 * written the way a Linux driver is: bound by compatible, registers
 * through ioremap()/readl()/writel(), descriptors from a dma_pool,
 * streaming mappings for the data, completion by interrupt. main() plays
 * the test: it boots the built-in SoC, registers the driver and copies.
 *
 *   m2m_driver            copy 16 KiB in 4 descriptors and check it
 *   m2m_driver no-unmap   read the result before dma_unmap_single():
 *                         the CPU sees the stale lines it held, and
 *                         exits 2
 *
 * Build: cc m2m_driver.c $(pkg-config --cflags --libs dmakit)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/device.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmapool.h>
#include <dmakit/error.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/machine.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/platform.h>
#include <dmakit/slab.h>
#include <dmakit/soc.h>

#define NDESC 4

struct m2m {
	struct device *dev;
	void __iomem *regs;
	struct dma_pool *descs;
	volatile int done;
	u32 status;
};

static irqreturn_t m2m_irq(int irq, void *data)
{
	struct m2m *p = data;
	void __iomem *ch = p->regs + DK_M2M_CHAN(0);

	(void)irq;
	writel(readl(p->regs + DK_M2M_REG_IRQSTAT), p->regs + DK_M2M_REG_IRQSTAT);
	p->status = readl(ch + DK_M2M_STATUS);
	writel(p->status & ~DK_M2M_ST_BUSY, ch + DK_M2M_STATUS);
	p->done = 1;
	return IRQ_HANDLED;
}

static int m2m_probe(struct device *dev)
{
	struct m2m *p = devm_kzalloc(dev, sizeof(*p), GFP_KERNEL);
	int r;

	if (!p)
		return -ENOMEM;
	p->dev = dev;
	p->regs = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!p->regs || readl(p->regs + DK_M2M_REG_ID) != DK_M2M_ID)
		return -ENODEV;
	r = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (r)
		return r;
	/* Descriptors are small, DMA-coherent and many: a pool. */
	p->descs = dmam_pool_create("m2m-desc", dev, sizeof(struct dk_m2m_desc),
				    32, 0);
	if (!p->descs)
		return -ENOMEM;
	r = devm_request_irq(dev, dev->irq, m2m_irq, 0, "m2m", p);
	if (r)
		return r;
	dev_set_drvdata(dev, p);
	return 0;
}

static const struct of_device_id m2m_ids[] = {
	{ .compatible = "dmakit,m2m-dma" },
	{ }
};

static struct device_driver m2m_driver = {
	.name = "m2m-example",
	.of_match_table = m2m_ids,
	.probe = m2m_probe,
};

/* What wait_for_completion() amounts to: the CPU idles, the hardware
 * runs, until the interrupt handler has said it is done. */
static int m2m_wait(struct m2m *p)
{
	const struct dk_platform *pl = dk_machine_platform(p->dev->machine);

	while (!p->done)
		if (!pl->ops->cpu_idle(pl->ctx))
			return -ETIMEDOUT;
	return p->status & DK_M2M_ST_ERROR ? -EIO : 0;
}

/*
 * Copy @len bytes (a multiple of NDESC) from @src to @dst, both kmalloc
 * memory, in NDESC chained descriptors. @peek_early: read @dst before
 * giving it back to the CPU, as a buggy driver does.
 */
static int m2m_copy(struct m2m *p, void *dst, const void *src, size_t len,
		    int peek_early, char *early)
{
	struct device *dev = p->dev;
	void __iomem *ch = p->regs + DK_M2M_CHAN(0);
	struct dk_m2m_desc *d[NDESC];
	dma_addr_t dd[NDESC], s, t;
	size_t chunk = len / NDESC;
	int i, r = 0;

	s = dma_map_single(dev, (void *)src, len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, s))
		return -ENOMEM;
	t = dma_map_single(dev, dst, len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, t)) {
		dma_unmap_single(dev, s, len, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	for (i = 0; i < NDESC; i++) {
		d[i] = dma_pool_zalloc(p->descs, GFP_KERNEL, &dd[i]);
		if (!d[i]) {
			r = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < NDESC; i++) {
		d[i]->src = s + i * chunk;
		d[i]->dst = t + i * chunk;
		d[i]->len = chunk;
		d[i]->flags = i == NDESC - 1 ? DK_M2M_DESC_LAST : 0;
		d[i]->next = i == NDESC - 1 ? 0 : dd[i + 1];
	}
	dma_wmb();	/* the descriptors before the doorbell */
	p->done = 0;
	writel(lower_32_bits(dd[0]), ch + DK_M2M_DESC_LO);
	writel(upper_32_bits(dd[0]), ch + DK_M2M_DESC_HI);
	writel(DK_M2M_CTRL_START | DK_M2M_CTRL_IRQEN, ch + DK_M2M_CTRL);
	r = m2m_wait(p);
	for (i = 0; !r && i < NDESC; i++)
		if (!(d[i]->flags & DK_M2M_DESC_DONE))
			r = -EIO;
	if (peek_early)
		memcpy(early, dst, len);	/* the bug: still the device's */
out:
	for (i = 0; i < NDESC && d[i]; i++)
		dma_pool_free(p->descs, d[i], dd[i]);
	dma_unmap_single(dev, t, len, DMA_FROM_DEVICE);
	dma_unmap_single(dev, s, len, DMA_TO_DEVICE);
	return r;
}

int main(int argc, char **argv)
{
	int early = argc > 1 && !strcmp(argv[1], "no-unmap");
	size_t len = 16384, i, bad = 0;
	struct dk_soc *soc;
	struct dk_platform pl;
	struct dk_machine *m;
	struct device *dev;
	char *src, *dst, *seen;
	int r;

	if (dk_soc_load_default(NULL, &soc) || dk_platform_sim(soc, &pl) ||
	    dk_machine_boot(&pl, NULL, &m) || driver_register(&m2m_driver)) {
		fprintf(stderr, "m2m_driver: %s\n", dk_last_error());
		return 1;
	}
	dev = dk_machine_find_device(m, "dma@10000000");
	if (!dev || dev->driver != &m2m_driver) {
		fprintf(stderr, "m2m_driver: the driver did not bind\n");
		return 1;
	}
	src = kmalloc(len, GFP_KERNEL);
	dst = kzalloc(len, GFP_KERNEL);
	seen = kzalloc(len, GFP_KERNEL);
	for (i = 0; i < len; i++)
		src[i] = (char)(i * 7 + 1);
	r = m2m_copy(dev_get_drvdata(dev), dst, src, len, early, seen);
	if (r) {
		fprintf(stderr, "m2m_driver: copy failed: %d\n", r);
		return 1;
	}
	for (i = 0; i < len; i++)
		bad += (early ? seen[i] : dst[i]) != src[i];
	printf("copied %zu bytes in %d descriptors: %s (%zu differ)\n", len,
	       NDESC, bad ? "STALE" : "ok", bad);
	kfree(seen);
	kfree(dst);
	kfree(src);
	driver_unregister(&m2m_driver);
	dk_machine_shutdown(m);
	dk_soc_free(soc);
	return bad ? 2 : 0;
}
