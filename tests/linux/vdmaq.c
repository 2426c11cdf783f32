// SPDX-License-Identifier: MIT
/*
 * A dmaengine provider driver written as Linux's are (the shape of the
 * virt-dma ones), including only <linux/...> headers, for the "acme,vdma"
 * memcpy engine (register-compatible with dmakit's m2m model): channels
 * on the dma_device's list, one descriptor at a time per channel,
 * completion found by the interrupt handler and callbacks run from a
 * tasklet, reusable descriptors, and "dmas" entries translated by
 * of_dma_xlate_by_chan_id() (tests/test_linux_vdma.c).
 */
#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_dma.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "vdmaq.h"

#define VQ_NCHAN		0x004
#define VQ_IRQSTAT		0x008
#define VQ_CHAN(n)		(0x100 + 0x40 * (n))
#define VQ_CTRL			0x00
#define VQ_STATUS		0x04
#define VQ_DESC_LO		0x08
#define VQ_DESC_HI		0x0c
#define CTRL_START		BIT(0)
#define CTRL_IRQEN		BIT(1)
#define ST_ERROR		BIT(2)
#define HW_LAST			BIT(0)

/* The engine's descriptor, in coherent memory. */
struct vq_hw {
	__le64 src, dst;
	__le32 len, flags;
	__le64 next;
};

struct vq_desc {
	struct dma_async_tx_descriptor tx;
	struct list_head node;
	dma_addr_t dst, src;
	size_t len;
};

struct vq_chan {
	struct dma_chan chan;
	void __iomem *regs;
	spinlock_t lock;
	struct list_head submitted, issued, done;
	struct vq_desc *active;
	struct vq_hw *hw;
	dma_addr_t hw_dma;
	struct tasklet_struct task;
	bool error;
};

struct vq_dev {
	struct dma_device dd;
	void __iomem *base;
	unsigned int nchan;
	struct vq_chan ch[];
};

struct vdmaq_stats vdmaq;

static struct vq_chan *to_vq(struct dma_chan *c)
{
	return container_of(c, struct vq_chan, chan);
}

static struct vq_desc *to_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct vq_desc, tx);
}

/* Lock held: start the next issued descriptor if the channel is idle. */
static void vq_start(struct vq_chan *c)
{
	struct vq_desc *d;

	if (c->active || list_empty(&c->issued))
		return;
	d = list_first_entry(&c->issued, struct vq_desc, node);
	list_del(&d->node);
	c->active = d;
	c->hw->src = cpu_to_le64(d->src);
	c->hw->dst = cpu_to_le64(d->dst);
	c->hw->len = cpu_to_le32((u32)d->len);
	c->hw->flags = cpu_to_le32(HW_LAST);
	c->hw->next = 0;
	/* writel orders the descriptor's stores before the doorbell. */
	writel(lower_32_bits(c->hw_dma), c->regs + VQ_DESC_LO);
	writel(upper_32_bits(c->hw_dma), c->regs + VQ_DESC_HI);
	writel(CTRL_START | CTRL_IRQEN, c->regs + VQ_CTRL);
}

static dma_cookie_t vq_submit(struct dma_async_tx_descriptor *tx)
{
	struct vq_chan *c = to_vq(tx->chan);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&c->lock, flags);
	cookie = c->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	tx->cookie = c->chan.cookie = cookie;
	list_move_tail(&to_desc(tx)->node, &c->submitted);
	spin_unlock_irqrestore(&c->lock, flags);
	return cookie;
}

static int vq_desc_free(struct dma_async_tx_descriptor *tx)
{
	struct vq_chan *c = to_vq(tx->chan);
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	list_del(&to_desc(tx)->node);
	spin_unlock_irqrestore(&c->lock, flags);
	kfree(to_desc(tx));
	vdmaq.freed++;
	return 0;
}

static struct dma_async_tx_descriptor *
vq_prep_memcpy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
	       size_t len, unsigned long flags)
{
	struct vq_desc *d;

	if (!len || len > U32_MAX)
		return NULL;
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	dma_async_tx_descriptor_init(&d->tx, chan);
	d->tx.flags = flags;
	d->tx.tx_submit = vq_submit;
	d->tx.desc_free = vq_desc_free;
	d->dst = dst;
	d->src = src;
	d->len = len;
	/* On no list until submitted; a reused one goes back to none. */
	INIT_LIST_HEAD(&d->node);
	return &d->tx;
}

static void vq_issue_pending(struct dma_chan *chan)
{
	struct vq_chan *c = to_vq(chan);
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	list_splice_tail_init(&c->submitted, &c->issued);
	vq_start(c);
	spin_unlock_irqrestore(&c->lock, flags);
}

static enum dma_status vq_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *st)
{
	dma_cookie_t last = chan->completed_cookie, used = chan->cookie;

	if (st) {
		st->last = last;
		st->used = used;
		st->residue = 0;
	}
	if (to_vq(chan)->error)
		return DMA_ERROR;
	return dma_async_is_complete(cookie, last, used);
}

/* The tasklet: callbacks outside the interrupt handler, then free or
 * keep each descriptor. */
static void vq_complete(struct tasklet_struct *t)
{
	struct vq_chan *c = from_tasklet(c, t, task);
	struct vq_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&c->lock, flags);
	list_splice_tail_init(&c->done, &head);
	spin_unlock_irqrestore(&c->lock, flags);
	vdmaq.tasklet_runs++;
	list_for_each_entry_safe(d, n, &head, node) {
		dma_async_tx_callback cb = d->tx.callback;
		void *param = d->tx.callback_param;

		list_del_init(&d->node);
		if (!dmaengine_desc_test_reuse(&d->tx)) {
			kfree(d);
			vdmaq.freed++;
		}
		if (cb)
			cb(param);
	}
}

static irqreturn_t vq_irq(int irq, void *data)
{
	struct vq_dev *v = data;
	u32 pending = readl(v->base + VQ_IRQSTAT);
	unsigned int i;

	if (!pending)
		return IRQ_NONE;
	writel(pending, v->base + VQ_IRQSTAT);
	vdmaq.irqs++;
	for (i = 0; i < v->nchan; i++) {
		struct vq_chan *c = &v->ch[i];
		u32 st;

		if (!(pending & BIT(i)))
			continue;
		spin_lock(&c->lock);
		st = readl(c->regs + VQ_STATUS);
		writel(st, c->regs + VQ_STATUS);
		if (st & ST_ERROR)
			c->error = true;
		if (c->active) {
			c->chan.completed_cookie = c->active->tx.cookie;
			list_add_tail(&c->active->node, &c->done);
			c->active = NULL;
		}
		vq_start(c);
		spin_unlock(&c->lock);
		tasklet_schedule(&c->task);
	}
	return IRQ_HANDLED;
}

static int vq_terminate_all(struct dma_chan *chan)
{
	struct vq_chan *c = to_vq(chan);
	struct vq_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&c->lock, flags);
	list_splice_tail_init(&c->submitted, &head);
	list_splice_tail_init(&c->issued, &head);
	spin_unlock_irqrestore(&c->lock, flags);
	list_for_each_entry_safe(d, n, &head, node) {
		list_del(&d->node);
		kfree(d);
		vdmaq.freed++;
	}
	return 0;
}

static void vq_synchronize(struct dma_chan *chan)
{
	tasklet_kill(&to_vq(chan)->task);
}

static int vq_init_chan(struct platform_device *pdev, struct vq_dev *v,
			unsigned int i)
{
	struct vq_chan *c = &v->ch[i];

	c->hw = dmam_alloc_coherent(&pdev->dev, sizeof(*c->hw), &c->hw_dma,
				    GFP_KERNEL);
	if (!c->hw)
		return -ENOMEM;
	c->regs = v->base + VQ_CHAN(i);
	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->submitted);
	INIT_LIST_HEAD(&c->issued);
	INIT_LIST_HEAD(&c->done);
	tasklet_setup(&c->task, vq_complete);
	c->chan.device = &v->dd;
	c->chan.cookie = c->chan.completed_cookie = DMA_MIN_COOKIE;
	list_add_tail(&c->chan.device_node, &v->dd.channels);
	return 0;
}

static int vq_probe(struct platform_device *pdev)
{
	void __iomem *base = devm_platform_ioremap_resource(pdev, 0);
	struct vq_dev *v;
	unsigned int i, n;
	char *name;
	int irq, ret;

	if (IS_ERR(base))
		return PTR_ERR(base);
	n = readl(base + VQ_NCHAN);
	if (!n || n > 16)
		return -ENODEV;
	v = devm_kzalloc(&pdev->dev, struct_size(v, ch, n), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->base = base;
	v->nchan = n;
	INIT_LIST_HEAD(&v->dd.channels);
	for (i = 0; i < n; i++) {
		ret = vq_init_chan(pdev, v, i);
		if (ret)
			return ret;
	}
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	name = devm_kasprintf(&pdev->dev, GFP_KERNEL, "vdma-%u-channels", n);
	if (!name)
		return -ENOMEM;
	ret = devm_request_irq(&pdev->dev, irq, vq_irq, 0, name, v);
	if (ret)
		return ret;
	v->dd.dev = &pdev->dev;
	dma_cap_set(DMA_MEMCPY, v->dd.cap_mask);
	v->dd.directions = BIT(DMA_MEM_TO_MEM);
	v->dd.descriptor_reuse = true;
	v->dd.device_prep_dma_memcpy = vq_prep_memcpy;
	v->dd.device_issue_pending = vq_issue_pending;
	v->dd.device_tx_status = vq_tx_status;
	v->dd.device_terminate_all = vq_terminate_all;
	v->dd.device_synchronize = vq_synchronize;
	ret = dmaenginem_async_device_register(&v->dd);
	if (ret)
		return ret;
	ret = of_dma_controller_register(pdev->dev.of_node,
					 of_dma_xlate_by_chan_id, &v->dd);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, v);
	snprintf(vdmaq.irq_name, sizeof(vdmaq.irq_name), "%s", name);
	return 0;
}

static void vq_remove(struct platform_device *pdev)
{
	struct vq_dev *v = platform_get_drvdata(pdev);
	struct dma_chan *chan;

	list_for_each_entry(chan, &v->dd.channels, device_node) {
		vq_terminate_all(chan);
		vq_synchronize(chan);
	}
	/* The provider goes with the devres of dmaenginem_*(). */
	of_dma_controller_free(pdev->dev.of_node);
}

static const struct of_device_id vq_ids[] = {
	{ .compatible = "acme,vdma" },
	{ }
};
MODULE_DEVICE_TABLE(of, vq_ids);

static struct platform_driver vq_driver = {
	.probe = vq_probe,
	.remove = vq_remove,
	.driver = {
		.name = "acme-vdma",
		.of_match_table = vq_ids,
	},
};
module_platform_driver(vq_driver);

int vdmaq_any_free_chan_id(struct dma_chan *held)
{
	struct dma_chan *c = dma_get_any_slave_channel(held->device);
	int id;

	if (!c)
		return -1;
	id = c->chan_id;
	dma_release_channel(c);
	return id;
}

int vdmaq_cookie_order(int cookie, int last, int used)
{
	return dma_async_is_complete(cookie, last, used) == DMA_COMPLETE;
}

int vdmaq_slave_directions(void)
{
	return is_slave_direction(DMA_MEM_TO_DEV) +
	       2 * is_slave_direction(DMA_DEV_TO_MEM) +
	       4 * is_slave_direction(DMA_MEM_TO_MEM) +
	       8 * is_slave_direction(DMA_DEV_TO_DEV);
}

size_t vdmaq_struct_size(size_t n)
{
	struct vq_dev *v = NULL;

	return struct_size(v, ch, n);
}

MODULE_DESCRIPTION("A virt-dma-shaped memcpy provider");
MODULE_LICENSE("Dual MIT/GPL");
