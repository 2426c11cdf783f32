// SPDX-License-Identifier: MIT
/*
 * "dmakit,slave-dma": peripheral DMA controller, one burst per request of
 * the peripheral. The register interface is in
 * include/dmakit/models/slave_dma.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/dreq.h>
#include <dmakit/models/slave_dma.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

struct sdma;

struct schan {
	struct sdma *s;
	int idx;
	u32 status, cfg, len, period, count, periods;
	u64 mem, dev;
	bool pending;		/* a burst is scheduled */
};

struct sdma {
	/* Registers vs. bursts in threaded mode; recursive because a burst's
	 * FIFO accesses make the peripheral change its request level. */
	pthread_mutex_t lock;
	struct dk_simdev *dev;
	u32 nchan, nreq, irqstat;
	u32 level;		/* request lines asserted, one bit each */
	struct schan ch[DK_SDMA_MAX_CHANNELS];
};

static u32 line_of(const struct schan *c)
{
	return (c->cfg >> 16) & 0x1f;
}

static u32 width_of(const struct schan *c)
{
	return 1u << ((c->cfg >> 4) & 3);
}

static u32 burst_of(const struct schan *c)
{
	u32 b = (c->cfg >> 8) & 0x1f;

	return b ? (b > DK_SDMA_MAX_BURST ? DK_SDMA_MAX_BURST : b) : 1;
}

static void flag(struct schan *c, u32 bit)
{
	struct sdma *s = c->s;
	int irq = dk_simdev_desc(s->dev)->irq;

	c->status |= bit;
	s->irqstat |= 1u << c->idx;
	if (c->cfg & DK_SDMA_CFG_IRQEN && irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(s->dev), irq);
}

static void stop(struct schan *c, u32 bit)
{
	c->status &= ~DK_SDMA_ST_BUSY;
	if (bit)
		flag(c, bit);
}

static void burst(struct dk_soc *soc, void *arg);

/* Schedule a burst if the channel runs and its peripheral asks. */
static void kick(struct schan *c)
{
	struct sdma *s = c->s;

	if (c->pending || !(c->status & DK_SDMA_ST_BUSY) ||
	    !(s->level & (1u << line_of(c))))
		return;
	c->pending = true;
	dk_soc_schedule(dk_simdev_soc(s->dev), DK_SDMA_BURST_CYCLES, burst, c);
}

/* Move @n bytes between @buf and the FIFO register, width by width. */
static int fifo_io(struct schan *c, u8 *buf, u32 n, bool to_dev)
{
	u32 w = width_of(c), i, v;
	int r = 0;

	for (i = 0; i < n && !r; i += w) {
		if (to_dev) {
			v = buf[i] | (w > 1 ? buf[i + 1] << 8 : 0) |
			    (w > 2 ? (u32)buf[i + 2] << 16 |
					     (u32)buf[i + 3] << 24 : 0);
			r = dk_bus_mmio_write32(c->s->dev, c->dev, v);
		} else {
			r = dk_bus_mmio_read32(c->s->dev, c->dev, &v);
			put_le32(buf + i, v);
		}
	}
	return r;
}

static void burst_locked(struct schan *c)
{
	struct dk_simdev *dev = c->s->dev;
	u8 buf[DK_SDMA_MAX_BURST * 4 + 4];
	bool to_dev = c->cfg & DK_SDMA_CFG_MEM_TO_DEV;
	u32 n = burst_of(c) * width_of(c), end = c->len;
	int r;

	c->pending = false;
	if (!(c->status & DK_SDMA_ST_BUSY) ||
	    !(c->s->level & (1u << line_of(c))))
		return;
	if (c->cfg & DK_SDMA_CFG_CYCLIC)
		end = (c->count / c->period + 1) * c->period;
	if (n > end - c->count)
		n = end - c->count;
	if (to_dev)
		r = dk_dev_dma_read(dev, c->mem + c->count, buf, n);
	else
		r = 0;
	if (!r)
		r = fifo_io(c, buf, n, to_dev);
	if (!r && !to_dev)
		r = dk_dev_dma_write(dev, c->mem + c->count, buf, n);
	if (r) {
		stop(c, DK_SDMA_ST_ERROR);
		return;
	}
	c->count += n;
	if (c->cfg & DK_SDMA_CFG_CYCLIC) {
		if (c->count % c->period == 0) {
			c->periods++;
			flag(c, DK_SDMA_ST_PERIOD);
		}
		if (c->count == c->len)
			c->count = 0;
	} else if (c->count == c->len) {
		stop(c, DK_SDMA_ST_DONE);
		return;
	}
	kick(c);
}

static void burst(struct dk_soc *soc, void *arg)
{
	struct schan *c = arg;

	(void)soc;
	pthread_mutex_lock(&c->s->lock);
	burst_locked(c);
	pthread_mutex_unlock(&c->s->lock);
}

static void start(struct schan *c)
{
	u32 w = width_of(c);

	/* A second user: the first one's transfer is lost, and says so. */
	if (c->status & DK_SDMA_ST_BUSY)
		flag(c, DK_SDMA_ST_REPROGRAMMED);
	c->status |= DK_SDMA_ST_BUSY;
	c->count = c->periods = 0;
	if (!c->len || c->len % w || w > 4 || line_of(c) >= c->s->nreq ||
	    (c->cfg & DK_SDMA_CFG_CYCLIC &&
	     (!c->period || c->len % c->period || c->period % w))) {
		stop(c, DK_SDMA_ST_ERROR);
		return;
	}
	kick(c);
}

static u32 chan_read(struct schan *c, u64 reg)
{
	switch (reg) {
	case DK_SDMA_STATUS:
		return c->status;
	case DK_SDMA_CFG:
		return c->cfg;
	case DK_SDMA_MEM_LO:
		return (u32)c->mem;
	case DK_SDMA_MEM_HI:
		return c->mem >> 32;
	case DK_SDMA_DEV_LO:
		return (u32)c->dev;
	case DK_SDMA_DEV_HI:
		return c->dev >> 32;
	case DK_SDMA_LEN:
		return c->len;
	case DK_SDMA_PERIOD:
		return c->period;
	case DK_SDMA_COUNT:
		return c->count;
	case DK_SDMA_PERIODS:
		return c->periods;
	}
	return 0;
}

static u32 sdma_read(struct dk_simdev *dev, u64 off)
{
	struct sdma *s = dk_simdev_priv(dev);
	u32 v = 0;

	pthread_mutex_lock(&s->lock);
	if (off == DK_SDMA_REG_ID)
		v = DK_SDMA_ID;
	else if (off == DK_SDMA_REG_NCHAN)
		v = s->nchan;
	else if (off == DK_SDMA_REG_NREQ)
		v = s->nreq;
	else if (off == DK_SDMA_REG_IRQSTAT)
		v = s->irqstat;
	else if (off == DK_SDMA_REG_CHMASK)
		v = dk_simdev_desc(dev)->dma_channel_mask &
		    (u32)((1ull << s->nchan) - 1);
	else if (off >= DK_SDMA_CHAN(0) && off < DK_SDMA_CHAN(s->nchan))
		v = chan_read(&s->ch[(off - DK_SDMA_CHAN(0)) / 0x40],
			      off % 0x40);
	pthread_mutex_unlock(&s->lock);
	return v;
}

static void set_lo(u64 *r, u32 v)
{
	*r = (*r & ~0xffffffffULL) | v;
}

static void set_hi(u64 *r, u32 v)
{
	*r = (*r & 0xffffffffULL) | (u64)v << 32;
}

static void chan_write(struct schan *c, u64 reg, u32 val)
{
	switch (reg) {
	case DK_SDMA_CTRL:
		if (val & DK_SDMA_CTRL_STOP)
			stop(c, 0);
		else if (val & DK_SDMA_CTRL_START)
			start(c);
		break;
	case DK_SDMA_STATUS:
		c->status &= ~(val & (DK_SDMA_ST_DONE | DK_SDMA_ST_ERROR |
				      DK_SDMA_ST_PERIOD |
				      DK_SDMA_ST_REPROGRAMMED));
		break;
	case DK_SDMA_CFG:
		c->cfg = val;
		break;
	case DK_SDMA_MEM_LO:
		set_lo(&c->mem, val);
		break;
	case DK_SDMA_MEM_HI:
		set_hi(&c->mem, val);
		break;
	case DK_SDMA_DEV_LO:
		set_lo(&c->dev, val);
		break;
	case DK_SDMA_DEV_HI:
		set_hi(&c->dev, val);
		break;
	case DK_SDMA_LEN:
		c->len = val;
		break;
	case DK_SDMA_PERIOD:
		c->period = val;
		break;
	}
}

static void sdma_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct sdma *s = dk_simdev_priv(dev);

	pthread_mutex_lock(&s->lock);
	if (off == DK_SDMA_REG_IRQSTAT)
		s->irqstat &= ~val;
	else if (off >= DK_SDMA_CHAN(0) && off < DK_SDMA_CHAN(s->nchan))
		chan_write(&s->ch[(off - DK_SDMA_CHAN(0)) / 0x40], off % 0x40,
			   val);
	pthread_mutex_unlock(&s->lock);
}

static void sdma_request(struct dk_simdev *dev, u32 line, bool active)
{
	struct sdma *s = dk_simdev_priv(dev);
	u32 i;

	if (line >= s->nreq)
		return;
	pthread_mutex_lock(&s->lock);
	if (active)
		s->level |= 1u << line;
	else
		s->level &= ~(1u << line);
	for (i = 0; active && i < s->nchan; i++)
		if (line_of(&s->ch[i]) == line)
			kick(&s->ch[i]);
	pthread_mutex_unlock(&s->lock);
}

static int sdma_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	u32 i, n = d->dma_channels ? d->dma_channels : 4;
	u32 nreq = d->dma_requests ? d->dma_requests : DK_SDMA_MAX_REQUESTS;
	pthread_mutexattr_t a;
	struct sdma *s;

	if (n > DK_SDMA_MAX_CHANNELS)
		return dk_err(-EINVAL,
			      "node %s: property \"dma-channels\": %u is over %d",
			      d->name, n, DK_SDMA_MAX_CHANNELS);
	if (nreq > DK_SDMA_MAX_REQUESTS)
		return dk_err(-EINVAL,
			      "node %s: property \"dma-requests\": %u is over %d",
			      d->name, nreq, DK_SDMA_MAX_REQUESTS);
	if (d->reg_size < DK_SDMA_CHAN(n))
		return dk_model_small_window(d, DK_SDMA_CHAN(n));
	s = calloc(1, sizeof(*s));
	if (!s)
		return dk_err(-ENOMEM, "out of memory");
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->lock, &a);
	pthread_mutexattr_destroy(&a);
	s->dev = dev;
	s->nchan = n;
	s->nreq = nreq;
	for (i = 0; i < n; i++) {
		s->ch[i].s = s;
		s->ch[i].idx = i;
	}
	dk_simdev_set_priv(dev, s);
	return 0;
}

static void sdma_remove(struct dk_simdev *dev)
{
	struct sdma *s = dk_simdev_priv(dev);

	pthread_mutex_destroy(&s->lock);
	free(s);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_slave_dma_model = {
	.compatible = "dmakit,slave-dma",
	.summary = "peripheral DMA controller paced by request lines",
	.needs_reg = true,
	.probe = sdma_probe,
	.remove = sdma_remove,
	.mmio_read = sdma_read,
	.mmio_write = sdma_write,
	.dma_request = sdma_request,
};
