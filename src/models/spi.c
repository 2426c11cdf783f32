// SPDX-License-Identifier: MIT
/*
 * "dmakit,spi": SPI controller with PIO FIFOs and DMA, a NOR flash on CS0
 * and a mailbox microcontroller on CS1. The register interface, the
 * devices and the cost model are in include/dmakit/models/spi.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/dreq.h>
#include <dmakit/models/spi.h>
#include <dmakit/models/stall.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

struct nor {
	u8 *mem;
	u8 cmd;
	u32 idx;		/* bytes into the current command */
	u32 addr;
	u8 sr;
};

struct mailbox {
	u8 prev[DK_SPI_MAILBOX_SIZE];
	u32 prevlen;
	u8 cur[DK_SPI_MAILBOX_SIZE];
	u32 curlen;
};

struct spi {
	struct dk_simdev *dev;
	u32 status, ctrl, len, cs;
	u64 tx, rx;
	u8 txf[DK_SPI_FIFO_DEPTH], rxf[DK_SPI_FIFO_DEPTH];
	unsigned int txl, rxl;
	u8 *out, *in;		/* the transfer's bytes while it runs */
	u32 pos;		/* DREQ: bytes clocked */
	u32 fetched, drained;	/* DREQ: bytes into TX / out of RX FIFO */
	bool waiting;		/* DREQ: the clock waits for a FIFO */
	struct nor nor;
	struct mailbox mb;
};

/* ---- the NOR flash on CS0 */

static void nor_begin(struct nor *n)
{
	n->idx = 0;
	n->addr = 0;
}

static u8 nor_byte(struct nor *n, u8 mosi)
{
	static const u8 jedec[] = { DK_SPI_NOR_JEDEC0, DK_SPI_NOR_JEDEC1,
				    DK_SPI_NOR_JEDEC2 };
	u32 i = n->idx++;
	u8 r = 0xff;

	if (!i) {
		n->cmd = mosi;
		if (mosi == DK_SPI_NOR_WREN)
			n->sr |= DK_SPI_NOR_SR_WEL;
		else if (mosi == DK_SPI_NOR_WRDI)
			n->sr &= ~DK_SPI_NOR_SR_WEL;
		return r;
	}
	switch (n->cmd) {
	case DK_SPI_NOR_RDID:
		return i <= 3 ? jedec[i - 1] : 0xff;
	case DK_SPI_NOR_RDSR:
		return n->sr;
	case DK_SPI_NOR_READ:
	case DK_SPI_NOR_PP:
	case DK_SPI_NOR_SE:
		if (i <= 3) {
			n->addr = ((n->addr << 8) | mosi) & (DK_SPI_NOR_SIZE - 1);
			return r;
		}
		break;
	default:
		return r;
	}
	if (n->cmd == DK_SPI_NOR_READ) {
		r = n->mem[n->addr];
		n->addr = (n->addr + 1) & (DK_SPI_NOR_SIZE - 1);
	} else if (n->cmd == DK_SPI_NOR_PP && n->sr & DK_SPI_NOR_SR_WEL) {
		u32 page = n->addr & ~(DK_SPI_NOR_PAGE - 1);

		/* Programming only clears bits; erasing sets them. */
		n->mem[n->addr] &= mosi;
		n->addr = page | ((n->addr + 1) & (DK_SPI_NOR_PAGE - 1));
	}
	return r;
}

static void nor_end(struct nor *n)
{
	if (n->cmd == DK_SPI_NOR_SE && n->idx >= 4 &&
	    n->sr & DK_SPI_NOR_SR_WEL)
		memset(n->mem + (n->addr & ~(DK_SPI_NOR_SECTOR - 1)), 0xff,
		       DK_SPI_NOR_SECTOR);
	if (n->idx && (n->cmd == DK_SPI_NOR_PP || n->cmd == DK_SPI_NOR_SE))
		n->sr &= ~DK_SPI_NOR_SR_WEL;
	n->idx = 0;
}

/* ---- the mailbox microcontroller on CS1 */

static u8 mb_byte(struct mailbox *m, u8 mosi)
{
	u32 i = m->curlen;

	if (i < DK_SPI_MAILBOX_SIZE)
		m->cur[m->curlen++] = mosi;
	return i < m->prevlen ? m->prev[i] : 0;
}

static void mb_end(struct mailbox *m)
{
	memcpy(m->prev, m->cur, m->curlen);
	m->prevlen = m->curlen;
	m->curlen = 0;
}

/* ---- chip selects */

static void cs_begin(struct spi *s)
{
	if (!(s->cs & DK_SPI_CS_ACTIVE))
		return;
	if ((s->cs & 0xf) == DK_SPI_CS_NOR)
		nor_begin(&s->nor);
	else if ((s->cs & 0xf) == DK_SPI_CS_MAILBOX)
		s->mb.curlen = 0;
}

static void cs_end(struct spi *s)
{
	if (!(s->cs & DK_SPI_CS_ACTIVE))
		return;
	if ((s->cs & 0xf) == DK_SPI_CS_NOR)
		nor_end(&s->nor);
	else if ((s->cs & 0xf) == DK_SPI_CS_MAILBOX)
		mb_end(&s->mb);
}

static u8 wire_byte(struct spi *s, u8 mosi)
{
	if (!(s->cs & DK_SPI_CS_ACTIVE))
		return 0xff;
	switch (s->cs & 0xf) {
	case DK_SPI_CS_NOR:
		return nor_byte(&s->nor, mosi);
	case DK_SPI_CS_MAILBOX:
		return mb_byte(&s->mb, mosi);
	}
	return 0xff;	/* nobody drives MISO: the pull-up */
}

/* ---- transfers */

static unsigned int lines(struct spi *s, u64 addr)
{
	const struct dk_devdesc *d = dk_simdev_desc(s->dev);
	u32 l = dk_soc_cache(dk_simdev_soc(s->dev))->line;

	if (d->coherent || !s->len)
		return 0;
	return (addr + s->len - 1) / l - addr / l + 1;
}

static void finish(struct spi *s, u32 bit)
{
	int irq = dk_simdev_desc(s->dev)->irq;

	free(s->out);
	free(s->in);
	s->out = s->in = NULL;
	s->status = (s->status & ~DK_SPI_ST_BUSY) | bit;
	if (s->ctrl & DK_SPI_CTRL_IRQEN && irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(s->dev), irq);
}

static void done(struct dk_soc *soc, void *arg)
{
	(void)soc;
	finish(arg, DK_SPI_ST_DONE);
}

static bool dreq_mode(const struct spi *s)
{
	return s->ctrl & DK_SPI_CTRL_DREQ;
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

/* Assert the request lines the FIFOs' state calls for. */
static void update_dreq(struct spi *s)
{
	bool tx, rx;

	if (!dreq_mode(s))
		return;
	tx = s->status & DK_SPI_ST_BUSY && s->ctrl & DK_SPI_CTRL_TX_EN &&
	     s->fetched < s->len &&
	     DK_SPI_FIFO_DEPTH - s->txl >=
		     min_u32(DK_SPI_DMA_WATERMARK, s->len - s->fetched);
	rx = s->ctrl & DK_SPI_CTRL_RX_EN && s->rxl &&
	     s->rxl >= min_u32(DK_SPI_DMA_WATERMARK, s->len - s->drained);
	dk_simdev_dma_request(s->dev, "tx", tx);
	dk_simdev_dma_request(s->dev, "rx", rx);
}

/* DREQ: clock one byte, or wait for the FIFOs. */
static void dreq_byte(struct dk_soc *soc, void *arg)
{
	struct spi *s = arg;
	bool tx = s->ctrl & DK_SPI_CTRL_TX_EN, rx = s->ctrl & DK_SPI_CTRL_RX_EN;
	u8 mosi = 0xff, miso;

	if (!(s->status & DK_SPI_ST_BUSY))
		return;
	if ((tx && !s->txl) || (rx && s->rxl == DK_SPI_FIFO_DEPTH)) {
		s->waiting = true;
		return;
	}
	if (tx) {
		mosi = s->txf[0];
		memmove(s->txf, s->txf + 1, --s->txl);
	}
	miso = wire_byte(s, mosi);
	if (rx)
		s->rxf[s->rxl++] = miso;
	if (++s->pos == s->len)
		finish(s, DK_SPI_ST_DONE);
	else
		dk_soc_schedule(soc, DK_SPI_BYTE_CYCLES, dreq_byte, s);
	update_dreq(s);
}

/* DREQ: a FIFO changed; a waiting clock goes on. */
static void dreq_fifo(struct spi *s, u32 *moved)
{
	(*moved)++;
	if (s->waiting) {
		s->waiting = false;
		dk_soc_schedule(dk_simdev_soc(s->dev), DK_SPI_BYTE_CYCLES,
				dreq_byte, s);
	}
	update_dreq(s);
}

/* The bytes the DMA engine moves: a peculiar one only whole bursts. */
static u32 dma_len(const struct spi *s)
{
	if (!dk_simdev_desc(s->dev)->dma_whole_bursts)
		return s->len;
	return s->len - s->len % DK_SPI_DMA_BURST;
}

/* The bytes have crossed the wire. */
static void exchange(struct dk_soc *soc, void *arg)
{
	struct spi *s = arg;
	bool dma = s->ctrl & DK_SPI_CTRL_DMA, rx = s->ctrl & DK_SPI_CTRL_RX_EN;
	u32 i;

	for (i = 0; i < s->len; i++)
		s->in[i] = wire_byte(s, s->out[i]);
	if (!dma) {
		if (rx) {
			memcpy(s->rxf, s->in, s->len);
			s->rxl = s->len;
		}
		finish(s, DK_SPI_ST_DONE);
		return;
	}
	if (rx && dma_len(s) &&
	    dk_dev_dma_write(s->dev, s->rx, s->in, dma_len(s))) {
		finish(s, DK_SPI_ST_ERROR);
		return;
	}
	dk_soc_schedule(soc, DK_SPI_IRQ_CYCLES +
			(rx ? (u64)lines(s, s->rx) * DK_SPI_MAINT_CYCLES : 0),
			done, s);
}

/* The DMA engine has been set up: fetch what is to be sent. */
static void dma_fetch(struct dk_soc *soc, void *arg)
{
	struct spi *s = arg;

	if (s->ctrl & DK_SPI_CTRL_TX_EN && dma_len(s) &&
	    dk_dev_dma_read(s->dev, s->tx, s->out, dma_len(s))) {
		finish(s, DK_SPI_ST_ERROR);
		return;
	}
	dk_soc_schedule(soc, (u64)s->len * DK_SPI_BYTE_CYCLES, exchange, s);
}

static void start(struct spi *s, u32 ctrl)
{
	struct dk_soc *soc = dk_simdev_soc(s->dev);
	bool dma = ctrl & DK_SPI_CTRL_DMA, tx = ctrl & DK_SPI_CTRL_TX_EN;

	if (s->status & DK_SPI_ST_BUSY) {
		s->status |= DK_SPI_ST_ERROR;
		return;
	}
	s->ctrl = ctrl;
	s->status = DK_SPI_ST_BUSY;
	if (ctrl & DK_SPI_CTRL_DREQ) {
		s->txl = s->rxl = s->pos = s->fetched = s->drained = 0;
		s->waiting = false;
		if (!s->len || s->len > DK_SPI_MAX_LEN) {
			finish(s, DK_SPI_ST_ERROR);
			return;
		}
		dk_soc_schedule(soc, DK_SPI_BYTE_CYCLES, dreq_byte, s);
		update_dreq(s);
		return;
	}
	if (s->len > DK_SPI_MAX_LEN ||
	    (!dma && (s->len > DK_SPI_FIFO_DEPTH || (tx && s->txl < s->len)))) {
		finish(s, DK_SPI_ST_ERROR);
		return;
	}
	s->out = malloc(s->len ? s->len : 1);
	s->in = malloc(s->len ? s->len : 1);
	if (!s->out || !s->in) {
		finish(s, DK_SPI_ST_ERROR);
		return;
	}
	memset(s->out, 0xff, s->len);
	if (dma) {
		dk_soc_schedule(soc, DK_SPI_DMA_SETUP_CYCLES, dma_fetch, s);
		return;
	}
	if (tx) {
		memcpy(s->out, s->txf, s->len);
		memmove(s->txf, s->txf + s->len, s->txl - s->len);
		s->txl -= s->len;
	}
	if (ctrl & DK_SPI_CTRL_RX_EN)
		s->rxl = 0;
	dk_soc_schedule(soc, (u64)s->len * DK_SPI_BYTE_CYCLES, exchange, s);
}

static u32 spi_read(struct dk_simdev *dev, u64 off)
{
	struct spi *s = dk_simdev_priv(dev);
	u32 v;

	dk_simdev_stall(dev, DK_SPI_MMIO_CYCLES);
	switch (off) {
	case DK_SPI_REG_ID:
		return DK_SPI_ID;
	case DK_SPI_REG_STATUS:
		return s->status;
	case DK_SPI_REG_LEN:
		return s->len;
	case DK_SPI_REG_TX_LO:
		return (u32)s->tx;
	case DK_SPI_REG_TX_HI:
		return s->tx >> 32;
	case DK_SPI_REG_RX_LO:
		return (u32)s->rx;
	case DK_SPI_REG_RX_HI:
		return s->rx >> 32;
	case DK_SPI_REG_RXFIFO:
		if (!s->rxl)
			return 0;
		v = s->rxf[0];
		memmove(s->rxf, s->rxf + 1, --s->rxl);
		if (dreq_mode(s))
			dreq_fifo(s, &s->drained);
		return v;
	case DK_SPI_REG_LEVEL:
		return s->rxl | s->txl << 16;
	case DK_SPI_REG_CS:
		return s->cs;
	}
	return 0;
}

static void set_cs(struct spi *s, u32 val)
{
	val &= DK_SPI_CS_ACTIVE | 0xf;
	if (val == s->cs)
		return;
	cs_end(s);
	s->cs = val;
	cs_begin(s);
}

static void spi_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct spi *s = dk_simdev_priv(dev);
	u64 maint = 0;

	dk_simdev_stall(dev, DK_SPI_MMIO_CYCLES);
	switch (off) {
	case DK_SPI_REG_CTRL:
		if (val & DK_SPI_CTRL_ABORT && dreq_mode(s) &&
		    s->status & DK_SPI_ST_BUSY) {
			s->status &= ~DK_SPI_ST_BUSY;
			s->txl = s->rxl = 0;
			update_dreq(s);
			break;
		}
		if (!(val & DK_SPI_CTRL_START))
			break;
		if (val & DK_SPI_CTRL_DMA && !(val & DK_SPI_CTRL_DREQ) &&
		    !(s->status & DK_SPI_ST_BUSY)) {
			if (val & DK_SPI_CTRL_TX_EN)
				maint += lines(s, s->tx);
			if (val & DK_SPI_CTRL_RX_EN)
				maint += lines(s, s->rx);
			dk_simdev_stall(dev, maint * DK_SPI_MAINT_CYCLES);
		}
		start(s, val);
		break;
	case DK_SPI_REG_STATUS:
		s->status &= ~(val & (DK_SPI_ST_DONE | DK_SPI_ST_ERROR));
		break;
	case DK_SPI_REG_LEN:
		s->len = val;
		break;
	case DK_SPI_REG_TX_LO:
		s->tx = (s->tx & ~0xffffffffULL) | val;
		break;
	case DK_SPI_REG_TX_HI:
		s->tx = (s->tx & 0xffffffffULL) | (u64)val << 32;
		break;
	case DK_SPI_REG_RX_LO:
		s->rx = (s->rx & ~0xffffffffULL) | val;
		break;
	case DK_SPI_REG_RX_HI:
		s->rx = (s->rx & 0xffffffffULL) | (u64)val << 32;
		break;
	case DK_SPI_REG_TXFIFO:
		if (s->txl == DK_SPI_FIFO_DEPTH) {
			s->status |= DK_SPI_ST_ERROR;
			break;
		}
		s->txf[s->txl++] = (u8)val;
		if (dreq_mode(s) && s->status & DK_SPI_ST_BUSY)
			dreq_fifo(s, &s->fetched);
		break;
	case DK_SPI_REG_CS:
		set_cs(s, val);
		break;
	}
}

static int spi_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct spi *s;
	u8 row[256], *mem;
	u32 i, j;

	if (d->reg_size < DK_SPI_REG_SIZE)
		return dk_model_small_window(d, DK_SPI_REG_SIZE);
	s = calloc(1, sizeof(*s));
	if (s)
		s->nor.mem = malloc(DK_SPI_NOR_SIZE);
	if (!s || !s->nor.mem) {
		free(s);
		return dk_err(-ENOMEM, "out of memory");
	}
	s->dev = dev;
	/* DK_SPI_NOR_INIT's 256-byte rows differ by one from each other
	 * (256 * 13 + 1 = 1 mod 256): one row, then a vectorizable add,
	 * not a formula a byte at every boot. */
	mem = s->nor.mem;	/* a byte store may alias s->nor.mem */
	for (i = 0; i < 256; i++)
		row[i] = DK_SPI_NOR_INIT(i);
	for (i = 0; i < DK_SPI_NOR_SIZE; i += 256)
		for (j = 0; j < 256; j++)
			mem[i + j] = row[j] + (u8)(i >> 8);
	dk_simdev_set_priv(dev, s);
	return 0;
}

static void spi_remove(struct dk_simdev *dev)
{
	struct spi *s = dk_simdev_priv(dev);

	free(s->out);
	free(s->in);
	free(s->nor.mem);
	free(s);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_spi_model = {
	.compatible = "dmakit,spi",
	.summary = "SPI controller, PIO FIFOs or DMA, NOR flash on CS0, mailbox MCU on CS1",
	.needs_reg = true,
	.probe = spi_probe,
	.remove = spi_remove,
	.mmio_read = spi_read,
	.mmio_write = spi_write,
};
