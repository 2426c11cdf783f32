// SPDX-License-Identifier: MIT
/*
 * "dmakit,macb": receive side of a MACB-style Ethernet MAC. The register
 * interface and descriptor format are in include/dmakit/models/macb.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/macb.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

#define RXBUFSZ_MIN	64
#define RXBUFSZ_MAX	16320

struct frame {
	struct frame *next;
	size_t len;
	u8 data[];
};

struct macb {
	struct dk_simdev *dev;
	pthread_mutex_t lock;
	u32 ncr, rxbufsz, rsr, isr, imr, frames, drops;
	u64 rbqp;
	u64 cur;		/* index of the next descriptor to fill */
	u64 wire_free;		/* when the wire finishes the last frame */
	struct frame *head, **tail;
};



/* Latch @bits in ISR and interrupt if any of them is enabled. */
static void interrupt(struct macb *m, u32 bits)
{
	const struct dk_devdesc *d = dk_simdev_desc(m->dev);

	m->isr |= bits;
	if ((bits & m->imr) && d->irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(m->dev), d->irq);
}

static void dma_error(struct macb *m)
{
	m->rsr |= DK_MACB_RSR_HNO;
	m->drops++;
	interrupt(m, DK_MACB_INT_HRESP);
}

struct slot {
	u64 at;		/* device address of the descriptor */
	u64 buf;
	bool wrap;
};

/*
 * Read the @n descriptors a frame needs. 1 if one is still owned by
 * software, -1 on a DMA error, 0 with @s filled otherwise.
 */
static int claim(struct macb *m, struct slot *s, size_t n)
{
	u64 idx = m->cur;
	size_t i;

	for (i = 0; i < n; i++) {
		u8 raw[DK_MACB_DESC_SIZE];
		u32 w0;

		s[i].at = m->rbqp + idx * DK_MACB_DESC_SIZE;
		if (dk_dev_dma_read(m->dev, s[i].at, raw, sizeof(raw)))
			return -1;
		w0 = le32(raw);
		if (w0 & DK_MACB_RX_USED)
			return 1;
		s[i].buf = (w0 & DK_MACB_RX_ADDR_MASK) |
			   (u64)le32(raw + 8) << 32;
		s[i].wrap = w0 & DK_MACB_RX_WRAP;
		idx = s[i].wrap ? 0 : idx + 1;
	}
	return 0;
}

/* Fill the claimed buffers; false on a DMA error. */
static bool fill(struct macb *m, const struct frame *f, struct slot *s,
		 size_t n)
{
	size_t i, off = 0;

	for (i = 0; i < n; i++) {
		size_t chunk = f->len - off < m->rxbufsz ? f->len - off :
							   m->rxbufsz;
		u32 st = 0;
		u8 w[4];

		if (dk_dev_dma_write(m->dev, s[i].buf, f->data + off, chunk))
			return false;
		off += chunk;
		if (!i)
			st |= DK_MACB_RX_SOF;
		if (i == n - 1)
			st |= DK_MACB_RX_EOF | (f->len & DK_MACB_RX_LEN_MASK);
		put_le32(w, st);
		if (dk_dev_dma_write(m->dev, s[i].at + 4, w, 4))
			return false;
		/* Ownership last: software polling USED must see the data. */
		put_le32(w, (u32)s[i].buf | (s[i].wrap ? DK_MACB_RX_WRAP : 0) |
			     DK_MACB_RX_USED);
		if (dk_dev_dma_write(m->dev, s[i].at, w, 4))
			return false;
		m->cur = s[i].wrap ? 0 : m->cur + 1;
	}
	return true;
}

static void receive(struct macb *m, const struct frame *f)
{
	size_t n = (f->len + m->rxbufsz - 1) / m->rxbufsz;
	struct slot *s;
	int r;

	if (!(m->ncr & DK_MACB_NCR_RE)) {
		m->drops++;
		return;
	}
	s = calloc(n, sizeof(*s));
	if (!s) {
		m->drops++;
		return;
	}
	r = claim(m, s, n);
	if (r > 0) {
		m->rsr |= DK_MACB_RSR_BNA;
		m->drops++;
		interrupt(m, DK_MACB_INT_RXUBR);
	} else if (r < 0 || !fill(m, f, s, n)) {
		dma_error(m);
	} else {
		m->frames++;
		m->rsr |= DK_MACB_RSR_REC;
		interrupt(m, DK_MACB_INT_RCOMP);
	}
	free(s);
}

/* The wire delivers the oldest injected frame. */
static void arrive(struct dk_soc *soc, void *arg)
{
	struct macb *m = arg;
	struct frame *f;

	(void)soc;
	pthread_mutex_lock(&m->lock);
	f = m->head;
	if (f) {
		m->head = f->next;
		if (!m->head)
			m->tail = &m->head;
		receive(m, f);
	}
	pthread_mutex_unlock(&m->lock);
	free(f);
}

int dk_macb_inject_rx(struct dk_simdev *dev, const void *data, size_t len)
{
	const struct dk_devdesc *d = dev ? dk_simdev_desc(dev) : NULL;
	struct dk_soc *soc;
	struct macb *m;
	struct frame *f;
	u64 now, at;
	int r;

	if (!d || strcmp(d->compatible, "dmakit,macb") ||
	    !(m = dk_simdev_priv(dev)))
		return dk_err(-EINVAL, "dk_macb_inject_rx: %s is not a dmakit,macb",
			      d ? d->name : "(null)");
	if (!data || !len || len > DK_MACB_MAX_FRAME)
		return dk_err(-EINVAL,
			      "dk_macb_inject_rx: %s: a frame of %zu bytes (1..%d)",
			      d->name, data ? len : 0, DK_MACB_MAX_FRAME);
	f = malloc(sizeof(*f) + len);
	if (!f)
		return dk_err(-ENOMEM, "out of memory");
	f->next = NULL;
	f->len = len;
	memcpy(f->data, data, len);
	soc = dk_simdev_soc(dev);
	pthread_mutex_lock(&m->lock);
	now = dk_soc_now(soc);
	at = (m->wire_free > now ? m->wire_free : now) + DK_MACB_WIRE_CYCLES +
	     len / DK_MACB_BYTES_PER_CYCLE;
	r = dk_soc_schedule(soc, at - now, arrive, m);
	if (!r) {
		m->wire_free = at;
		*m->tail = f;
		m->tail = &f->next;
	}
	pthread_mutex_unlock(&m->lock);
	if (r)
		free(f);
	return r;
}

static u32 macb_read(struct dk_simdev *dev, u64 off)
{
	struct macb *m = dk_simdev_priv(dev);
	u32 v = 0;

	pthread_mutex_lock(&m->lock);
	switch (off) {
	case DK_MACB_NCR:
		v = m->ncr;
		break;
	case DK_MACB_RXBUFSZ:
		v = m->rxbufsz;
		break;
	case DK_MACB_RBQP_LO:
		v = (u32)m->rbqp;
		break;
	case DK_MACB_RBQP_HI:
		v = m->rbqp >> 32;
		break;
	case DK_MACB_RSR:
		v = m->rsr;
		break;
	case DK_MACB_ISR:
		v = m->isr;
		break;
	case DK_MACB_IMR:
		v = m->imr;
		break;
	case DK_MACB_FRAMES:
		v = m->frames;
		break;
	case DK_MACB_DROPS:
		v = m->drops;
		break;
	case DK_MACB_REG_MID:
		v = DK_MACB_MID;
		break;
	}
	pthread_mutex_unlock(&m->lock);
	return v;
}

static void macb_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct macb *m = dk_simdev_priv(dev);

	pthread_mutex_lock(&m->lock);
	switch (off) {
	case DK_MACB_NCR:
		if (!(val & DK_MACB_NCR_RE))
			m->cur = 0;
		m->ncr = val & DK_MACB_NCR_RE;
		break;
	case DK_MACB_RXBUFSZ:
		val -= val % RXBUFSZ_MIN;
		m->rxbufsz = val < RXBUFSZ_MIN ? RXBUFSZ_MIN :
			     val > RXBUFSZ_MAX ? RXBUFSZ_MAX : val;
		break;
	case DK_MACB_RBQP_LO:
		m->rbqp = (m->rbqp & ~0xffffffffULL) | (val & ~0xfu);
		m->cur = 0;
		break;
	case DK_MACB_RBQP_HI:
		m->rbqp = (m->rbqp & 0xffffffffULL) | (u64)val << 32;
		m->cur = 0;
		break;
	case DK_MACB_RSR:
		m->rsr &= ~val;
		break;
	case DK_MACB_ISR:
		m->isr &= ~val;
		break;
	case DK_MACB_IER:
		m->imr |= val;
		break;
	case DK_MACB_IDR:
		m->imr &= ~val;
		break;
	}
	pthread_mutex_unlock(&m->lock);
}

static int macb_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct macb *m;

	if (d->reg_size < DK_MACB_REG_MID + 4)
		return dk_model_small_window(d, DK_MACB_REG_MID + 4);
	m = calloc(1, sizeof(*m));
	if (!m)
		return dk_err(-ENOMEM, "out of memory");
	m->dev = dev;
	pthread_mutex_init(&m->lock, NULL);
	m->rxbufsz = 128;
	m->tail = &m->head;
	dk_simdev_set_priv(dev, m);
	return 0;
}

static void macb_remove(struct dk_simdev *dev)
{
	struct macb *m = dk_simdev_priv(dev);

	while (m->head) {
		struct frame *f = m->head;

		m->head = f->next;
		free(f);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_macb_model = {
	.compatible = "dmakit,macb",
	.summary = "Ethernet MAC receive ring (MACB-style), frames injected by tests",
	.needs_reg = true,
	.probe = macb_probe,
	.remove = macb_remove,
	.mmio_read = macb_read,
	.mmio_write = macb_write,
};
