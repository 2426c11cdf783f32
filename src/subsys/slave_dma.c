// SPDX-License-Identifier: MIT
/*
 * The dmaengine provider driver for the "dmakit,slave-dma" controller:
 * the slave API over its channels, completion by interrupt. The API is
 * described in include/dmakit/dmaengine.h, the hardware in
 * include/dmakit/models/slave_dma.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dmaengine.h>
#include <dmakit/interrupt.h>
#include <dmakit/io.h>
#include <dmakit/models/slave_dma.h>
#include <dmakit/scatterlist.h>
#include <dmakit/soc.h>

#include "../core/dk_internal.h"
#include "dmaengine_internal.h"

#define ERR_RANGES 8

struct sd_seg {
	dma_addr_t addr;
	u32 len;
};

struct sd_desc {
	struct dma_async_tx_descriptor tx;
	enum dma_transfer_direction dir;
	bool cyclic;
	u32 period;
	unsigned int nseg, cur;	/* segments, the one in flight */
	u32 off;		/* bytes of seg[cur] moved before a pause */
	struct sd_desc *next;
	struct sd_seg seg[];
};

struct sd_chan {
	struct dma_chan *chan;
	void __iomem *regs;
	struct dma_slave_config cfg;
	bool configured;
	u32 line;			/* the request line "dmas" gave */
	struct sd_desc *submitted, **sub_tail;
	struct sd_desc *issued, **iss_tail;
	struct sd_desc *active;
	bool running;			/* started and not paused */
	/* Cookies that ended in error or were terminated. */
	struct {
		dma_cookie_t lo, hi;
	} err[ERR_RANGES];
	unsigned int nerr;
	dma_cookie_t term_cookie;	/* the last one terminated in flight */
	u32 term_residue;
};

struct sd_dev {
	struct dma_device dd;
	pthread_mutex_t lock;	/* recursive: callbacks submit again */
	void __iomem *base;
	u32 nchan, nreq, mask;
	struct sd_chan ch[DK_SDMA_MAX_CHANNELS];
	struct dma_chan chans[DK_SDMA_MAX_CHANNELS];
};

static struct sd_chan *to_sc(struct dma_chan *c)
{
	return c->private;
}

static struct sd_dev *to_sd(struct dma_chan *c)
{
	return (struct sd_dev *)c->device;
}

static void note_error(struct sd_chan *sc, dma_cookie_t lo, dma_cookie_t hi)
{
	unsigned int i = sc->nerr++ % ERR_RANGES;

	sc->err[i].lo = lo;
	sc->err[i].hi = hi;
}

static bool was_error(const struct sd_chan *sc, dma_cookie_t c)
{
	unsigned int i, n = sc->nerr < ERR_RANGES ? sc->nerr : ERR_RANGES;

	for (i = 0; i < n; i++)
		if (c >= sc->err[i].lo && c <= sc->err[i].hi)
			return true;
	return false;
}

static u32 log2_width(enum dma_slave_buswidth w)
{
	return w == 1 ? 0 : w == 2 ? 1 : 2;
}

/* Program the hardware for what is left of the active segment. */
static void program(struct sd_chan *sc)
{
	struct sd_desc *d = sc->active;
	struct sd_seg *s = &d->seg[d->cur];
	bool out = d->dir == DMA_MEM_TO_DEV;
	phys_addr_t fifo = out ? sc->cfg.dst_addr : sc->cfg.src_addr;
	u32 w = out ? sc->cfg.dst_addr_width : sc->cfg.src_addr_width;
	u32 burst = out ? sc->cfg.dst_maxburst : sc->cfg.src_maxburst;
	dma_addr_t mem = s->addr + d->off;

	writel((out ? DK_SDMA_CFG_MEM_TO_DEV : 0) |
		       DK_SDMA_CFG_WIDTH(log2_width(w)) |
		       DK_SDMA_CFG_BURST(burst ? burst : 1) |
		       DK_SDMA_CFG_REQ(sc->line) |
		       (d->cyclic ? DK_SDMA_CFG_CYCLIC : 0) | DK_SDMA_CFG_IRQEN,
	       sc->regs + DK_SDMA_CFG);
	writel((u32)mem, sc->regs + DK_SDMA_MEM_LO);
	writel(mem >> 32, sc->regs + DK_SDMA_MEM_HI);
	writel((u32)fifo, sc->regs + DK_SDMA_DEV_LO);
	writel(fifo >> 32, sc->regs + DK_SDMA_DEV_HI);
	writel(s->len - d->off, sc->regs + DK_SDMA_LEN);
	writel(d->period, sc->regs + DK_SDMA_PERIOD);
	writel(DK_SDMA_CTRL_START, sc->regs + DK_SDMA_CTRL);
	sc->running = true;
}

static void start_next(struct sd_chan *sc)
{
	if (sc->active || !sc->issued)
		return;
	sc->active = sc->issued;
	sc->issued = sc->active->next;
	if (!sc->issued)
		sc->iss_tail = &sc->issued;
	program(sc);
}

/* Bytes of @d that have not moved. */
static u32 residue(struct sd_chan *sc, struct sd_desc *d)
{
	u32 left = 0, i;

	for (i = d->cur; i < d->nseg; i++)
		left += d->seg[i].len;
	if (d != sc->active)
		return left;
	left -= d->off;
	if (sc->running)
		left -= readl(sc->regs + DK_SDMA_COUNT);
	return left;
}

static void finish(struct sd_chan *sc, enum dmaengine_tx_result result)
{
	struct sd_desc *d = sc->active;
	u32 left = result == DMA_TRANS_NOERROR ? 0 : residue(sc, d);

	sc->active = NULL;
	sc->running = false;
	sc->chan->completed_cookie = d->tx.cookie;
	if (result != DMA_TRANS_NOERROR)
		note_error(sc, d->tx.cookie, d->tx.cookie);
	dk_dma_run_callback(&d->tx, result, left);
	free(d);
	start_next(sc);
}

static void chan_irq(struct sd_chan *sc, u32 st)
{
	struct sd_desc *d = sc->active;

	if (!d)
		return;
	if (st & DK_SDMA_ST_REPROGRAMMED) {
		dev_warn(sc->chan->device->dev,
			 "%s was reprogrammed while it ran: someone who does not own it wrote its registers",
			 dma_chan_name(sc->chan));
		/* Its count is the new program's now. */
		sc->running = false;
		finish(sc, DMA_TRANS_ABORTED);
	} else if (st & DK_SDMA_ST_ERROR) {
		finish(sc, d->dir == DMA_MEM_TO_DEV ? DMA_TRANS_READ_FAILED :
						      DMA_TRANS_WRITE_FAILED);
	} else if (st & DK_SDMA_ST_PERIOD && d->cyclic) {
		dk_dma_run_callback(&d->tx, DMA_TRANS_NOERROR,
				    residue(sc, d));
	} else if (st & DK_SDMA_ST_DONE && !d->cyclic) {
		d->off = 0;
		sc->running = false;
		if (++d->cur < d->nseg)
			program(sc);
		else
			finish(sc, DMA_TRANS_NOERROR);
	}
}

static irqreturn_t sd_irq(int irq, void *arg)
{
	struct sd_dev *sd = arg;
	u32 pend, st, i;

	(void)irq;
	pthread_mutex_lock(&sd->lock);
	pend = readl(sd->base + DK_SDMA_REG_IRQSTAT);
	writel(pend, sd->base + DK_SDMA_REG_IRQSTAT);
	for (i = 0; i < sd->nchan; i++) {
		if (!(pend & 1u << i))
			continue;
		st = readl(sd->ch[i].regs + DK_SDMA_STATUS);
		writel(st & ~DK_SDMA_ST_BUSY, sd->ch[i].regs + DK_SDMA_STATUS);
		chan_irq(&sd->ch[i], st);
	}
	pthread_mutex_unlock(&sd->lock);
	return pend ? IRQ_HANDLED : IRQ_NONE;
}

static dma_cookie_t sd_submit(struct dma_async_tx_descriptor *tx)
{
	struct sd_chan *sc = to_sc(tx->chan);
	struct sd_dev *sd = to_sd(tx->chan);
	struct sd_desc *d = (struct sd_desc *)tx;

	pthread_mutex_lock(&sd->lock);
	tx->cookie = ++tx->chan->cookie;
	d->next = NULL;
	*sc->sub_tail = d;
	sc->sub_tail = &d->next;
	pthread_mutex_unlock(&sd->lock);
	return tx->cookie;
}

static void sd_issue_pending(struct dma_chan *chan)
{
	struct sd_chan *sc = to_sc(chan);
	struct sd_dev *sd = to_sd(chan);

	pthread_mutex_lock(&sd->lock);
	if (sc->submitted) {
		*sc->iss_tail = sc->submitted;
		sc->iss_tail = sc->sub_tail;
		sc->submitted = NULL;
		sc->sub_tail = &sc->submitted;
	}
	start_next(sc);
	pthread_mutex_unlock(&sd->lock);
}

static bool width_ok(enum dma_slave_buswidth w)
{
	return w == 1 || w == 2 || w == 4;
}

static int sd_config(struct dma_chan *chan, struct dma_slave_config *cfg)
{
	struct sd_chan *sc = to_sc(chan);

	if (cfg->device_fc || cfg->src_maxburst > DK_SDMA_MAX_BURST ||
	    cfg->dst_maxburst > DK_SDMA_MAX_BURST ||
	    (cfg->src_addr_width && !width_ok(cfg->src_addr_width)) ||
	    (cfg->dst_addr_width && !width_ok(cfg->dst_addr_width)))
		return dk_err(-EINVAL,
			      "%s: widths of 1, 2 or 4 bytes, bursts up to %d, no peripheral flow control",
			      dma_chan_name(chan), DK_SDMA_MAX_BURST);
	pthread_mutex_lock(&to_sd(chan)->lock);
	sc->cfg = *cfg;
	sc->configured = true;
	pthread_mutex_unlock(&to_sd(chan)->lock);
	return 0;
}

/* A descriptor of @n segments, if the channel is set up for @dir. */
static struct sd_desc *new_desc(struct dma_chan *chan, unsigned int n,
				enum dma_transfer_direction dir,
				unsigned long flags)
{
	struct sd_chan *sc = to_sc(chan);
	u32 w = dir == DMA_MEM_TO_DEV ? sc->cfg.dst_addr_width :
					sc->cfg.src_addr_width;
	phys_addr_t fifo = dir == DMA_MEM_TO_DEV ? sc->cfg.dst_addr :
						   sc->cfg.src_addr;
	struct sd_desc *d;

	if (!sc->configured || !w || !fifo) {
		dk_err(-EINVAL,
		       "%s: dmaengine_slave_config() first, with the %s address and width",
		       dma_chan_name(chan),
		       dir == DMA_MEM_TO_DEV ? "destination" : "source");
		return NULL;
	}
	d = calloc(1, sizeof(*d) + n * sizeof(d->seg[0]));
	if (!d) {
		dk_err(-ENOMEM, "%s: out of memory", dma_chan_name(chan));
		return NULL;
	}
	d->tx.chan = chan;
	d->tx.flags = flags;
	d->tx.tx_submit = sd_submit;
	d->dir = dir;
	d->nseg = n;
	return d;
}

static struct dma_async_tx_descriptor *
sd_prep_slave_sg(struct dma_chan *chan, struct scatterlist *sgl,
		 unsigned int sg_len, enum dma_transfer_direction dir,
		 unsigned long flags, void *context)
{
	struct sd_desc *d = new_desc(chan, sg_len, dir, flags);
	struct scatterlist *sg;
	unsigned int i;
	u32 w;

	(void)context;
	if (!d)
		return NULL;
	w = dir == DMA_MEM_TO_DEV ? to_sc(chan)->cfg.dst_addr_width :
				    to_sc(chan)->cfg.src_addr_width;
	for_each_sg(sgl, sg, sg_len, i) {
		d->seg[i].addr = sg_dma_address(sg);
		d->seg[i].len = sg_dma_len(sg);
		if (!d->seg[i].len || d->seg[i].len % w) {
			dk_err(-EINVAL,
			       "%s: segment %u of %u bytes is no whole number of %u-byte accesses",
			       dma_chan_name(chan), i, d->seg[i].len, w);
			free(d);
			return NULL;
		}
	}
	return &d->tx;
}

static struct dma_async_tx_descriptor *
sd_prep_cyclic(struct dma_chan *chan, dma_addr_t buf, size_t len,
	       size_t period, enum dma_transfer_direction dir,
	       unsigned long flags)
{
	struct sd_desc *d;

	if (len > 0xffffffffUL) {
		dk_err(-EINVAL, "%s: a %zu-byte ring", dma_chan_name(chan), len);
		return NULL;
	}
	d = new_desc(chan, 1, dir, flags);
	if (!d)
		return NULL;
	d->cyclic = true;
	d->period = (u32)period;
	d->seg[0].addr = buf;
	d->seg[0].len = (u32)len;
	return &d->tx;
}

static enum dma_status sd_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				    struct dma_tx_state *state)
{
	struct sd_chan *sc = to_sc(chan);
	struct sd_desc *d, *lists[3];
	enum dma_status s = DMA_IN_PROGRESS;
	u32 res = 0;
	int i;

	pthread_mutex_lock(&to_sd(chan)->lock);
	if (cookie <= chan->completed_cookie) {
		s = was_error(sc, cookie) ? DMA_ERROR : DMA_COMPLETE;
		res = cookie == sc->term_cookie ? sc->term_residue : 0;
	} else {
		lists[0] = sc->active;
		lists[1] = sc->issued;
		lists[2] = sc->submitted;
		for (i = 0; i < 3; i++)
			for (d = lists[i]; d; d = i ? d->next : NULL)
				if (d->tx.cookie == cookie) {
					res = residue(sc, d);
					if (d == sc->active && !sc->running)
						s = DMA_PAUSED;
				}
	}
	if (state) {
		state->last = chan->completed_cookie;
		state->used = chan->cookie;
		state->residue = res;
	}
	pthread_mutex_unlock(&to_sd(chan)->lock);
	return s;
}

static int sd_pause(struct dma_chan *chan)
{
	struct sd_chan *sc = to_sc(chan);
	int r = 0;

	pthread_mutex_lock(&to_sd(chan)->lock);
	if (sc->active && sc->active->cyclic)
		r = dk_err(-EINVAL, "%s: cyclic transfers cannot pause",
			   dma_chan_name(chan));
	else if (sc->running) {
		writel(DK_SDMA_CTRL_STOP, sc->regs + DK_SDMA_CTRL);
		sc->active->off += readl(sc->regs + DK_SDMA_COUNT);
		sc->running = false;
	}
	pthread_mutex_unlock(&to_sd(chan)->lock);
	return r;
}

static int sd_resume(struct dma_chan *chan)
{
	struct sd_chan *sc = to_sc(chan);

	pthread_mutex_lock(&to_sd(chan)->lock);
	if (sc->active && !sc->running)
		program(sc);
	pthread_mutex_unlock(&to_sd(chan)->lock);
	return 0;
}

static void free_list(struct sd_desc *d, dma_cookie_t *hi)
{
	struct sd_desc *next;

	for (; d; d = next) {
		next = d->next;
		*hi = d->tx.cookie;
		free(d);
	}
}

static int sd_terminate_all(struct dma_chan *chan)
{
	struct sd_chan *sc = to_sc(chan);
	dma_cookie_t lo = chan->completed_cookie + 1, hi = lo - 1;

	pthread_mutex_lock(&to_sd(chan)->lock);
	if (sc->active) {
		writel(DK_SDMA_CTRL_STOP, sc->regs + DK_SDMA_CTRL);
		writel(~0u, sc->regs + DK_SDMA_STATUS);
		sc->term_cookie = hi = sc->active->tx.cookie;
		sc->term_residue = residue(sc, sc->active);
		free(sc->active);
		sc->active = NULL;
		sc->running = false;
	}
	free_list(sc->issued, &hi);
	free_list(sc->submitted, &hi);
	sc->issued = sc->submitted = NULL;
	sc->iss_tail = &sc->issued;
	sc->sub_tail = &sc->submitted;
	if (hi >= lo) {
		note_error(sc, lo, hi);
		chan->completed_cookie = hi;
	}
	pthread_mutex_unlock(&to_sd(chan)->lock);
	return 0;
}

static void sd_synchronize(struct dma_chan *chan)
{
	/* A handler running on another thread holds the lock. */
	pthread_mutex_lock(&to_sd(chan)->lock);
	pthread_mutex_unlock(&to_sd(chan)->lock);
}

static void sd_free_chan_resources(struct dma_chan *chan)
{
	struct sd_chan *sc = to_sc(chan);

	sd_terminate_all(chan);
	sc->configured = false;
	sc->nerr = 0;
	sc->term_cookie = 0;
}

static struct dma_chan *sd_xlate(struct dma_device *dd,
				 const struct dk_dma_spec *spec)
{
	struct sd_dev *sd = (struct sd_dev *)dd;
	u32 i, line = spec->args[0];

	if (spec->nargs < 1 || line >= sd->nreq)
		return NULL;
	for (i = 0; i < sd->nchan; i++) {
		if (spec->nargs >= 2 && i != spec->args[1])
			continue;
		if (sd->mask & 1u << i && !sd->chans[i].client_count) {
			sd->ch[i].line = line;
			return &sd->chans[i];
		}
	}
	return NULL;
}

static void init_chan(struct sd_dev *sd, u32 i)
{
	struct sd_chan *sc = &sd->ch[i];

	sc->regs = sd->base + DK_SDMA_CHAN(i);
	sc->chan = &sd->chans[i];
	sc->sub_tail = &sc->submitted;
	sc->iss_tail = &sc->issued;
	sd->chans[i].private = sc;
}

static void sd_fill_ops(struct dma_device *dd)
{
	dd->directions = 1u << DMA_MEM_TO_DEV | 1u << DMA_DEV_TO_MEM;
	dd->src_addr_widths = dd->dst_addr_widths = 1u << 1 | 1u << 2 | 1u << 4;
	dd->max_burst = DK_SDMA_MAX_BURST;
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_BURST;
	dd->device_free_chan_resources = sd_free_chan_resources;
	dd->device_prep_slave_sg = sd_prep_slave_sg;
	dd->device_prep_dma_cyclic = sd_prep_cyclic;
	dd->device_config = sd_config;
	dd->device_pause = sd_pause;
	dd->device_resume = sd_resume;
	dd->device_terminate_all = sd_terminate_all;
	dd->device_synchronize = sd_synchronize;
	dd->device_tx_status = sd_tx_status;
	dd->device_issue_pending = sd_issue_pending;
	dd->dk_xlate = sd_xlate;
}

static int sd_probe(struct device *dev)
{
	struct sd_dev *sd = devm_kzalloc(dev, sizeof(*sd), GFP_KERNEL);
	pthread_mutexattr_t a;
	u32 i;
	int r;

	if (!sd)
		return -ENOMEM;
	sd->base = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!sd->base)
		return -ENOMEM;
	if (readl(sd->base + DK_SDMA_REG_ID) != DK_SDMA_ID)
		return dk_err(-ENODEV, "%s: not a dmakit slave DMA controller",
			      dev_name(dev));
	sd->nchan = readl(sd->base + DK_SDMA_REG_NCHAN);
	sd->nreq = readl(sd->base + DK_SDMA_REG_NREQ);
	sd->mask = readl(sd->base + DK_SDMA_REG_CHMASK);
	if (!sd->nchan || sd->nchan > DK_SDMA_MAX_CHANNELS)
		return dk_err(-ENODEV, "%s: %u channels", dev_name(dev),
			      sd->nchan);
	for (i = 0; i < sd->nchan; i++)
		init_chan(sd, i);
	sd->dd.dev = dev;
	dk_dma_link_channels(&sd->dd, sd->chans, sd->nchan);
	sd_fill_ops(&sd->dd);
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&sd->lock, &a);
	pthread_mutexattr_destroy(&a);
	dev_set_drvdata(dev, sd);
	r = devm_request_irq(dev, dev->irq, sd_irq, 0, NULL, sd);
	if (!r)
		r = dma_async_device_register(&sd->dd);
	if (r)
		pthread_mutex_destroy(&sd->lock);
	return r;
}

static void sd_remove(struct device *dev)
{
	struct sd_dev *sd = dev_get_drvdata(dev);
	u32 i;

	dma_async_device_unregister(&sd->dd);
	for (i = 0; i < sd->nchan; i++)
		sd_terminate_all(&sd->chans[i]);
	pthread_mutex_destroy(&sd->lock);
}

static const struct of_device_id sd_ids[] = {
	{ "dmakit,slave-dma", NULL },
	{ NULL, NULL },
};

struct device_driver dk_slave_dma_driver = {
	.name = "dmakit-slave-dma",
	.of_match_table = sd_ids,
	.probe = sd_probe,
	.remove = sd_remove,
};
