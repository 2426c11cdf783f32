// SPDX-License-Identifier: MIT
/*
 * A platform driver for the "dmakit,i2c" controller's EEPROM, written the
 * way upstream drivers are and including nothing but <linux/...> headers:
 * module_platform_driver() binds it by of_match_table when a tree boots,
 * with no call from the test. Probe takes its registers, interrupt, clock,
 * reset and properties from the tree; reads poll one message with
 * readl_poll_timeout() and wait for the other's interrupt with
 * wait_for_completion_timeout(). tests/test_linux_platform.c drives it.
 */
#include <linux/clk.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_device.h>
#include <linux/pinctrl/consumer.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/property.h>
#include <linux/reset.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "eerd.h"

#define EERD_ID		0x00
#define EERD_CTRL	0x04
#define EERD_STATUS	0x08
#define EERD_ADDR	0x0c
#define EERD_LEN	0x10
#define EERD_FIFO	0x1c

#define EERD_ID_VALUE	0x444b4932
#define CTRL_START	BIT(0)
#define CTRL_READ	BIT(1)
#define CTRL_STOP	BIT(3)
#define CTRL_IRQEN	BIT(4)
#define ST_BUSY		BIT(0)
#define ST_DONE		BIT(1)
#define ST_NACK		BIT(2)
#define ST_ERROR	BIT(3)
#define ST_ENDED	(ST_DONE | ST_NACK | ST_ERROR)

#define EEPROM_ADDR	0x50
#define EERD_TIMEOUT_MS	10

struct eerd_variant {
	const char *name;
};

struct eerd {
	struct device *dev;
	void __iomem *base;
	struct clk *clk;
	struct reset_control *rst;
	struct completion done;
	spinlock_t lock;	/* status, irqs */
	struct mutex xfer;	/* one transfer at a time */
	u32 status;
	u32 speed_khz;
	const struct eerd_variant *variant;
	bool holding;
	int irq;
	int irqs, irqs_in_lock;
};

static irqreturn_t eerd_irq(int irq, void *data)
{
	struct eerd *ee = data;
	u32 st = readl(ee->base + EERD_STATUS);

	if (!(st & ST_ENDED))
		return IRQ_NONE;
	spin_lock(&ee->lock);
	writel(st & ST_ENDED, ee->base + EERD_STATUS);
	ee->status = st;
	ee->irqs++;
	if (ee->holding)
		ee->irqs_in_lock++;
	spin_unlock(&ee->lock);
	complete(&ee->done);
	return IRQ_HANDLED;
}

/* One message of @len bytes; @irq: end it by interrupt, else by polling. */
static int eerd_msg(struct eerd *ee, u32 ctrl, u32 len, bool irq)
{
	unsigned long flags;
	u32 st;
	int ret;

	writel(EEPROM_ADDR, ee->base + EERD_ADDR);
	writel(len, ee->base + EERD_LEN);
	if (!irq) {
		writel(ctrl | CTRL_START, ee->base + EERD_CTRL);
		ret = readl_poll_timeout(ee->base + EERD_STATUS, st,
					 st & ST_ENDED, 1, 1000);
		if (ret)
			return ret;
		writel(st & ST_ENDED, ee->base + EERD_STATUS);
		return st & ST_DONE ? 0 : -EIO;
	}
	reinit_completion(&ee->done);
	writel(ctrl | CTRL_START | CTRL_IRQEN, ee->base + EERD_CTRL);
	if (!wait_for_completion_timeout(&ee->done,
					 msecs_to_jiffies(EERD_TIMEOUT_MS)))
		return -ETIMEDOUT;
	spin_lock_irqsave(&ee->lock, flags);
	st = ee->status;
	spin_unlock_irqrestore(&ee->lock, flags);
	return st & ST_DONE ? 0 : -EIO;
}

int eerd_read(struct device *dev, unsigned int off, void *buf, size_t len)
{
	struct eerd *ee = dev_get_drvdata(dev);
	u8 *p = buf;
	size_t i;
	int ret;

	if (!len || len > 16)
		return -EINVAL;
	mutex_lock(&ee->xfer);
	writel(off & 0xff, ee->base + EERD_FIFO);
	ret = eerd_msg(ee, 0, 1, false);
	if (!ret)
		ret = eerd_msg(ee, CTRL_READ | CTRL_STOP, len, true);
	for (i = 0; !ret && i < len; i++)
		p[i] = readl(ee->base + EERD_FIFO) & 0xff;
	mutex_unlock(&ee->xfer);
	return ret;
}

int eerd_read_noirq(struct device *dev, unsigned int ms)
{
	struct eerd *ee = dev_get_drvdata(dev);
	u32 st;

	reinit_completion(&ee->done);
	writel(1, ee->base + EERD_LEN);
	writel(CTRL_START | CTRL_READ | CTRL_STOP, ee->base + EERD_CTRL);
	if (wait_for_completion_timeout(&ee->done, msecs_to_jiffies(ms)))
		return 0;
	/* The message ended all the same: tidy up for the next. */
	if (readl_poll_timeout_atomic(ee->base + EERD_STATUS, st,
				      st & ST_ENDED, 0, 100))
		return -EIO;
	writel(st & ST_ENDED, ee->base + EERD_STATUS);
	readl(ee->base + EERD_FIFO);
	return -ETIMEDOUT;
}

int eerd_poll_never(struct device *dev, unsigned int us)
{
	struct eerd *ee = dev_get_drvdata(dev);
	u32 st;

	return readl_poll_timeout(ee->base + EERD_STATUS, st, st & ST_BUSY,
				  10, us);
}

int eerd_hold_locked(struct device *dev, unsigned int us)
{
	struct eerd *ee = dev_get_drvdata(dev);
	unsigned long flags;
	int before, inside;

	reinit_completion(&ee->done);
	before = ee->irqs;
	spin_lock_irqsave(&ee->lock, flags);
	ee->holding = true;
	writel(EEPROM_ADDR, ee->base + EERD_ADDR);
	writel(1, ee->base + EERD_LEN);
	writel(CTRL_START | CTRL_READ | CTRL_STOP | CTRL_IRQEN,
	       ee->base + EERD_CTRL);
	udelay(us);	/* the message ends and interrupts meanwhile */
	inside = ee->irqs - before;
	ee->holding = false;
	spin_unlock_irqrestore(&ee->lock, flags);
	readl(ee->base + EERD_FIFO);
	return !inside && ee->irqs - before == 1 && completion_done(&ee->done) ?
		       0 : -EIO;
}

int eerd_disabled_line(struct device *dev, unsigned int us)
{
	struct eerd *ee = dev_get_drvdata(dev);
	int before = ee->irqs, during;

	disable_irq(ee->irq);
	writel(EEPROM_ADDR, ee->base + EERD_ADDR);
	writel(1, ee->base + EERD_LEN);
	writel(CTRL_START | CTRL_READ | CTRL_STOP | CTRL_IRQEN,
	       ee->base + EERD_CTRL);
	udelay(us);
	during = ee->irqs - before;
	enable_irq(ee->irq);	/* what fired meanwhile is delivered now */
	readl(ee->base + EERD_FIFO);
	return during == 0 && ee->irqs - before == 1 ? 0 : -EIO;
}

int eerd_hold_unmasked(struct device *dev, unsigned int us)
{
	struct eerd *ee = dev_get_drvdata(dev);
	int before = ee->irqs;

	/* The bug: the handler takes this lock, and interrupts stay on. */
	spin_lock(&ee->lock);
	writel(EEPROM_ADDR, ee->base + EERD_ADDR);
	writel(1, ee->base + EERD_LEN);
	writel(CTRL_START | CTRL_READ | CTRL_STOP | CTRL_IRQEN,
	       ee->base + EERD_CTRL);
	udelay(us);
	spin_unlock(&ee->lock);
	readl(ee->base + EERD_FIFO);
	return ee->irqs - before;
}

void eerd_stats(struct device *dev, struct eerd_stats *st)
{
	struct eerd *ee = dev_get_drvdata(dev);

	st->rate = clk_get_rate(ee->clk);
	st->speed_khz = ee->speed_khz;
	st->variant = ee->variant->name;
	st->irqs = ee->irqs;
	st->irqs_in_lock = ee->irqs_in_lock;
}

static int eerd_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct eerd *ee;
	u32 id;
	int irq, ret;

	ee = devm_kzalloc(dev, sizeof(*ee), GFP_KERNEL);
	if (!ee)
		return -ENOMEM;
	ee->dev = dev;
	ee->variant = of_device_get_match_data(dev);
	ee->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(ee->base))
		return PTR_ERR(ee->base);
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	ee->clk = devm_clk_get_enabled(dev, "bus");
	if (IS_ERR(ee->clk))
		return dev_err_probe(dev, PTR_ERR(ee->clk), "no bus clock\n");
	ee->rst = devm_reset_control_get_optional_exclusive(dev, NULL);
	if (IS_ERR(ee->rst))
		return PTR_ERR(ee->rst);
	reset_control_deassert(ee->rst);
	pinctrl_pm_select_default_state(dev);
	if (device_property_read_u32(dev, "acme,speed-khz", &ee->speed_khz))
		ee->speed_khz = 100;
	init_completion(&ee->done);
	spin_lock_init(&ee->lock);
	mutex_init(&ee->xfer);
	ret = readl_poll_timeout(ee->base + EERD_ID, id, id == EERD_ID_VALUE,
				 10, 100);
	if (ret)
		return dev_err_probe(dev, -ENODEV, "ID reads %#x\n", id);
	ee->irq = irq;
	ret = devm_request_threaded_irq(dev, irq, NULL, eerd_irq, IRQF_ONESHOT,
					NULL, ee);
	if (ret)
		return ret;
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, ee);
	dev_info(dev, "%s at %lu Hz, %u kHz\n", ee->variant->name,
		 clk_get_rate(ee->clk), ee->speed_khz);
	return 0;
}

static void eerd_remove(struct platform_device *pdev)
{
	struct eerd *ee = platform_get_drvdata(pdev);

	reset_control_assert(ee->rst);
	mutex_destroy(&ee->xfer);
}

static const struct eerd_variant eerd_24c02 = { .name = "24c02" };
static const struct eerd_variant eerd_24c01 = { .name = "24c01" };

static const struct of_device_id eerd_of_match[] = {
	{ .compatible = "acme,eerd-24c01", .data = &eerd_24c01 },
	{ .compatible = "acme,eerd-24c02", .data = &eerd_24c02 },
	{ }
};
MODULE_DEVICE_TABLE(of, eerd_of_match);

static struct platform_driver eerd_platform_driver = {
	.probe = eerd_probe,
	.remove = eerd_remove,
	.driver = {
		.name = "eerd",
		.of_match_table = eerd_of_match,
	},
};
module_platform_driver(eerd_platform_driver);

struct device_driver *eerd_driver(void)
{
	return &eerd_platform_driver.driver;
}

MODULE_LICENSE("Dual MIT/GPL");	/* the file is MIT */
MODULE_DESCRIPTION("EEPROM reader on the dmakit I2C controller, built against dmakit");
