// SPDX-License-Identifier: MIT
/*
 * "dmakit,m2m-dma": memory-to-memory DMA engine. The register interface
 * and descriptor format are in include/dmakit/models/m2m_dma.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/m2m_dma.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

#define COPY_CHUNK 65536

struct m2m;

struct chan {
	struct m2m *m;
	int idx;
	u32 status;
	u64 desc;	/* DESC_HI:DESC_LO as programmed */
	u64 cur;	/* descriptor being worked on */
	u32 count;
	bool irqen;
	bool stop;	/* finish after the descriptor in flight */
	struct dk_m2m_desc d;
};

struct m2m {
	pthread_mutex_t lock;	/* registers vs. the engine (threaded mode) */
	struct dk_simdev *dev;
	u32 nchan;
	u32 irqstat;
	struct chan ch[DK_M2M_MAX_CHANNELS];
};




static void finish(struct chan *c, u32 bit)
{
	struct m2m *m = c->m;
	const struct dk_devdesc *d = dk_simdev_desc(m->dev);

	c->status = (c->status & ~DK_M2M_ST_BUSY) | bit;
	m->irqstat |= 1u << c->idx;
	if (c->irqen && d->irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(m->dev), d->irq);
}

static void fetch(struct dk_soc *soc, void *arg);
static void copy(struct dk_soc *soc, void *arg);

/* The copy of one descriptor, once its transfer time has passed. */
static void copy_locked(struct dk_soc *soc, void *arg)
{
	struct chan *c = arg;
	struct dk_simdev *dev = c->m->dev;
	u8 *buf = malloc(COPY_CHUNK), flags[4];
	u64 done = 0;

	if (!buf) {
		finish(c, DK_M2M_ST_ERROR);
		return;
	}
	while (done < c->d.len) {
		u64 n = c->d.len - done < COPY_CHUNK ? c->d.len - done : COPY_CHUNK;

		if (dk_dev_dma_read(dev, c->d.src + done, buf, n) ||
		    dk_dev_dma_write(dev, c->d.dst + done, buf, n)) {
			free(buf);
			finish(c, DK_M2M_ST_ERROR);
			return;
		}
		done += n;
	}
	free(buf);
	put_le32(flags, c->d.flags | DK_M2M_DESC_DONE);
	if (dk_dev_dma_write(dev, c->cur + 20, flags, 4)) {
		finish(c, DK_M2M_ST_ERROR);
		return;
	}
	c->count++;
	if (c->d.flags & DK_M2M_DESC_LAST || c->stop) {
		finish(c, DK_M2M_ST_DONE);
		return;
	}
	c->cur = c->d.next;
	dk_soc_schedule(soc, DK_M2M_SETUP_CYCLES, fetch, c);
}

static void fetch_locked(struct dk_soc *soc, void *arg)
{
	struct chan *c = arg;
	u8 raw[32];

	if (dk_dev_dma_read(c->m->dev, c->cur, raw, sizeof(raw))) {
		finish(c, DK_M2M_ST_ERROR);
		return;
	}
	c->d.src = le64(raw);
	c->d.dst = le64(raw + 8);
	c->d.len = le32(raw + 16);
	c->d.flags = le32(raw + 20);
	c->d.next = le64(raw + 24);
	dk_soc_schedule(soc, 1 + c->d.len / DK_M2M_BYTES_PER_CYCLE, copy, c);
}

static void fetch(struct dk_soc *soc, void *arg)
{
	struct chan *c = arg;

	pthread_mutex_lock(&c->m->lock);
	fetch_locked(soc, arg);
	pthread_mutex_unlock(&c->m->lock);
}

static void copy(struct dk_soc *soc, void *arg)
{
	struct chan *c = arg;

	pthread_mutex_lock(&c->m->lock);
	copy_locked(soc, arg);
	pthread_mutex_unlock(&c->m->lock);
}

static u32 read_locked(struct dk_simdev *dev, u64 off);

static u32 m2m_read(struct dk_simdev *dev, u64 off)
{
	struct m2m *m = dk_simdev_priv(dev);
	u32 v;

	pthread_mutex_lock(&m->lock);
	v = read_locked(dev, off);
	pthread_mutex_unlock(&m->lock);
	return v;
}

static u32 read_locked(struct dk_simdev *dev, u64 off)
{
	struct m2m *m = dk_simdev_priv(dev);
	struct chan *c;

	switch (off) {
	case DK_M2M_REG_ID:
		return DK_M2M_ID;
	case DK_M2M_REG_NCHAN:
		return m->nchan;
	case DK_M2M_REG_IRQSTAT:
		return m->irqstat;
	}
	if (off < DK_M2M_CHAN(0) || off >= DK_M2M_CHAN(m->nchan))
		return 0;
	c = &m->ch[(off - DK_M2M_CHAN(0)) / 0x40];
	switch (off % 0x40) {
	case DK_M2M_STATUS:
		return c->status;
	case DK_M2M_DESC_LO:
		return (u32)c->desc;
	case DK_M2M_DESC_HI:
		return c->desc >> 32;
	case DK_M2M_COUNT:
		return c->count;
	}
	return 0;
}

static void start(struct chan *c, u32 ctrl)
{
	if (c->status & DK_M2M_ST_BUSY) {
		/* A second user hijacking a running channel. */
		c->status |= DK_M2M_ST_REPROGRAMMED;
		return;
	}
	c->status = DK_M2M_ST_BUSY;
	c->stop = false;
	c->irqen = ctrl & DK_M2M_CTRL_IRQEN;
	c->cur = c->desc;
	c->count = 0;
	dk_soc_schedule(dk_simdev_soc(c->m->dev), DK_M2M_SETUP_CYCLES, fetch,
			c);
}

static void write_locked(struct dk_simdev *dev, u64 off, u32 val);

static void m2m_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct m2m *m = dk_simdev_priv(dev);

	pthread_mutex_lock(&m->lock);
	write_locked(dev, off, val);
	pthread_mutex_unlock(&m->lock);
}

static void write_locked(struct dk_simdev *dev, u64 off, u32 val)
{
	struct m2m *m = dk_simdev_priv(dev);
	struct chan *c;

	if (off == DK_M2M_REG_IRQSTAT) {
		m->irqstat &= ~val;
		return;
	}
	if (off < DK_M2M_CHAN(0) || off >= DK_M2M_CHAN(m->nchan))
		return;
	c = &m->ch[(off - DK_M2M_CHAN(0)) / 0x40];
	switch (off % 0x40) {
	case DK_M2M_CTRL:
		if (val & DK_M2M_CTRL_STOP)
			c->stop = true;
		else if (val & DK_M2M_CTRL_START)
			start(c, val);
		break;
	case DK_M2M_STATUS:
		c->status &= ~(val & (DK_M2M_ST_DONE | DK_M2M_ST_ERROR |
				      DK_M2M_ST_REPROGRAMMED));
		break;
	case DK_M2M_DESC_LO:
	case DK_M2M_DESC_HI:
		if (c->status & DK_M2M_ST_BUSY) {
			/* Takes effect at the next descriptor, as a
			 * careless second user would make it. */
			c->status |= DK_M2M_ST_REPROGRAMMED;
		}
		if (off % 0x40 == DK_M2M_DESC_LO)
			c->desc = (c->desc & ~0xffffffffULL) | val;
		else
			c->desc = (c->desc & 0xffffffffULL) | (u64)val << 32;
		if (c->status & DK_M2M_ST_BUSY)
			c->d.next = c->desc;
		break;
	}
}

static int m2m_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct m2m *m;
	u32 i, n = d->dma_channels ? d->dma_channels : 4;

	if (n > DK_M2M_MAX_CHANNELS)
		return dk_err(-EINVAL,
			      "node %s: property \"dma-channels\": %u is over %d",
			      d->name, n, DK_M2M_MAX_CHANNELS);
	if (d->reg_size < DK_M2M_CHAN(n))
		return dk_model_small_window(d, DK_M2M_CHAN(n));
	m = calloc(1, sizeof(*m));
	if (!m)
		return dk_err(-ENOMEM, "out of memory");
	pthread_mutex_init(&m->lock, NULL);
	m->dev = dev;
	m->nchan = n;
	for (i = 0; i < n; i++) {
		m->ch[i].m = m;
		m->ch[i].idx = i;
	}
	dk_simdev_set_priv(dev, m);
	return 0;
}

static void m2m_remove(struct dk_simdev *dev)
{
	struct m2m *m = dk_simdev_priv(dev);

	pthread_mutex_destroy(&m->lock);
	free(m);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_m2m_dma_model = {
	.compatible = "dmakit,m2m-dma",
	.summary = "memory-to-memory DMA engine with descriptor chains",
	.needs_reg = true,
	.probe = m2m_probe,
	.remove = m2m_remove,
	.mmio_read = m2m_read,
	.mmio_write = m2m_write,
};
