// SPDX-License-Identifier: MIT
/* request_irq on the simulated SoC, driven by the m2m engine. */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/sim_device.h>

#include "harness.h"
#include "testsoc.h"

static int handled;

static irqreturn_t handler(int irq, void *dev_id)
{
	struct dk_simdev *dma = dev_id;
	u32 st = dk_dev_mmio_read32(dma, DK_M2M_REG_IRQSTAT);

	(void)irq;
	if (!st)
		return IRQ_NONE;
	dk_dev_mmio_write32(dma, DK_M2M_REG_IRQSTAT, st);
	handled++;
	return IRQ_HANDLED;
}

static int probe(struct device *dev)
{
	(void)dev;
	return 0;
}

static void kick(struct dk_simdev *dma)
{
	/* A zero-length chain ending at once: just an interrupt. */
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(0) + DK_M2M_CTRL,
			    DK_M2M_CTRL_START | DK_M2M_CTRL_IRQEN);
}

TEST(irq_request_free_and_devm)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "dma@10000000");
	struct dk_simdev *dma = dk_soc_find_dev(t.soc, "dma@10000000");
	struct device_driver drv = { .name = "irqtest", .probe = probe };
	dma_addr_t desc;
	u8 *d;

	/* A one-descriptor chain of length 0 for kick(). */
	d = dma_alloc_coherent(dev, 32, &desc, GFP_KERNEL);
	d[20] = DK_M2M_DESC_LAST;
	wmb();		/* the descriptor out of the write buffer */
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(0) + DK_M2M_DESC_LO, (u32)desc);
	dk_dev_mmio_write32(dma, DK_M2M_CHAN(0) + DK_M2M_DESC_HI, desc >> 32);

	handled = 0;
	CHECK_EQ(request_irq(dev->irq, handler, 0, "m2m", dma), 0);
	CHECK_EQ(request_irq(dev->irq, handler, 0, "again", dma), -EBUSY);
	CHECK_STR(dk_last_error(), "taken by m2m");
	CHECK_EQ(request_irq(5000, handler, 0, "x", dma), -EINVAL);
	kick(dma);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(handled, 1);
	CHECK_EQ(dk_irq_unhandled(dev->irq), 0);
	free_irq(dev->irq, dma);
	kick(dma);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(handled, 1);		/* nobody listens now */
	CHECK_EQ(dk_soc_spurious_irqs(t.soc), 1);

	/* Managed: gone when the driver unbinds. */
	CHECK_EQ(devm_request_irq(dev, dev->irq, handler, 0, NULL, dma), 0);
	kick(dma);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(handled, 2);
	device_bind_driver(dev, &drv);
	CHECK_EQ(devm_request_irq(dev, dev->irq, handler, 0, NULL, dma),
		 -EBUSY);	/* the managed one still holds the line */
	dma_free_coherent(dev, 32, d, desc);
	device_release_driver(dev);
	CHECK_EQ(request_irq(dev->irq, handler, 0, "m2m", dma), 0);
	free_irq(dev->irq, dma);
	free_irq(dev->irq, dma);	/* reported, harmless */
	testmachine_shutdown(&t);
}
