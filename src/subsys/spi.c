// SPDX-License-Identifier: MIT
/*
 * The SPI core (controllers, devices, messages, DMA mapping of transfers
 * with a safety check) and the driver for the "dmakit,spi" controller. The
 * API is described in include/dmakit/spi.h.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/io.h>
#include <dmakit/machine.h>
#include <dmakit/platform.h>
#include <dmakit/models/spi.h>
#include <dmakit/slab.h>
#include <dmakit/spi.h>

#include "../core/dk_internal.h"
#include "../machine/machine.h"

static pthread_mutex_t ctlr_lock = PTHREAD_MUTEX_INITIALIZER;
static struct spi_controller *controllers;

int spi_register_controller(struct spi_controller *ctlr)
{
	struct spi_controller *c;
	int nr = 0;

	if (!ctlr || !ctlr->dev.parent || !ctlr->transfer_one || !ctlr->set_cs)
		return dk_err(-EINVAL,
			      "spi_register_controller: needs dev.parent, transfer_one and set_cs");
	pthread_mutex_lock(&ctlr_lock);
	for (c = controllers; c; c = c->dk_next) {
		if (c == ctlr) {
			pthread_mutex_unlock(&ctlr_lock);
			return dk_err(-EBUSY,
				      "spi_register_controller: %s already registered",
				      dev_name(ctlr->dev.parent));
		}
		if (c->bus_num >= nr)
			nr = c->bus_num + 1;
	}
	ctlr->bus_num = nr;
	pthread_mutex_init(&ctlr->dk_lock, NULL);
	ctlr->dk_next = controllers;
	controllers = ctlr;
	pthread_mutex_unlock(&ctlr_lock);
	return 0;
}

void spi_unregister_controller(struct spi_controller *ctlr)
{
	struct spi_controller **pp;
	bool found = false;

	if (!ctlr)
		return;
	pthread_mutex_lock(&ctlr_lock);
	for (pp = &controllers; *pp; pp = &(*pp)->dk_next)
		if (*pp == ctlr) {
			*pp = ctlr->dk_next;
			found = true;
			break;
		}
	pthread_mutex_unlock(&ctlr_lock);
	if (found)
		pthread_mutex_destroy(&ctlr->dk_lock);
}

struct spi_controller *dk_spi_controller_of(struct device *dev)
{
	struct spi_controller *c;

	pthread_mutex_lock(&ctlr_lock);
	for (c = controllers; c && (!dev || c->dev.parent != dev); c = c->dk_next)
		;
	pthread_mutex_unlock(&ctlr_lock);
	return c;
}

static void spi_release(struct device *dev)
{
	free((char *)dev - offsetof(struct spi_device, dev));
}

struct spi_device *spi_new_device(struct spi_controller *ctlr,
				  const struct spi_board_info *chip)
{
	struct spi_device *spi;
	int r;

	if (!ctlr || !chip || chip->chip_select >= ctlr->num_chipselect) {
		dk_err(-EINVAL, "spi_new_device: chip select %d of %s",
		       chip ? chip->chip_select : -1,
		       ctlr ? dev_name(ctlr->dev.parent) : "no controller");
		return NULL;
	}
	spi = calloc(1, sizeof(*spi));
	if (!spi) {
		dk_err(-ENOMEM, "spi_new_device: out of memory");
		return NULL;
	}
	spi->controller = ctlr;
	snprintf(spi->dk_name, sizeof(spi->dk_name), "spi%d.%u", ctlr->bus_num,
		 chip->chip_select);
	/* A device of the machine, as Linux's: devm_*(), dev_err() and
	 * drvdata work on it; freed by its last put. */
	spi->dev.dk_bare = true;
	spi->dev.dk_refs = 1;
	spi->dev.release = spi_release;
	spi->dev.init_name = strdup(spi->dk_name);
	spi->dev.parent = ctlr->dev.parent;
	r = spi->dev.init_name ? dk_device_add(&spi->dev) : -ENOMEM;
	if (r) {
		dk_err(r, "spi_new_device: %s of %s: cannot add the device (%d)",
		       spi->dk_name, dev_name(ctlr->dev.parent), r);
		free((char *)spi->dev.init_name);
		free(spi);
		return NULL;
	}
	spi->bits_per_word = 8;
	spi->chip_select = (u8)chip->chip_select;
	spi->max_speed_hz = chip->max_speed_hz;
	spi->mode = chip->mode;
	memcpy(spi->modalias, chip->modalias, sizeof(spi->modalias));
	spi->modalias[sizeof(spi->modalias) - 1] = '\0';
	return spi;
}

void spi_unregister_device(struct spi_device *spi)
{
	if (!spi)
		return;
	dk_device_del(&spi->dev);
	/* What a client driver devm_*()'d on it goes with it. */
	dk_devres_release_all(&spi->dev);
	dk_device_put(&spi->dev);
}

/* Refuse what cannot be mapped safely rather than corrupt memory later. */
static int check_buf(struct spi_controller *ctlr, const void *buf,
		     unsigned int len, const char *what)
{
	enum dk_dma_safety s = dk_dma_buffer_is_safe(buf, len, ctlr->dev.parent);

	/* Beyond the mask is the DMA API's business: it bounces. */
	if (s == DK_DMA_SAFE || s == DK_DMA_UNSAFE_BEYOND_MASK)
		return 0;
	ctlr->dk_rejected_xfers++;
	dk_err(-EINVAL, "%s: %s buffer %p of %u bytes is not DMA-safe: %s",
	       dev_name(ctlr->dev.parent), what, buf, len, dk_dma_safety_name(s));
	dev_err(ctlr->dev.parent, "refusing to DMA: %s", dk_last_error());
	return -EINVAL;
}

/* Whom the buffers are mapped for: the DMA controller that moves them,
 * when the driver has one, as Linux's spi_map_msg(). */
static struct device *map_dev(struct spi_controller *ctlr, struct dma_chan *c)
{
	return c ? dmaengine_get_dma_device(c) : ctlr->dev.parent;
}

/* The longest entry of a mapped buffer's table: what the controller's
 * DMA takes (max_dma_len) and what the mapping device takes. */
static unsigned int seg_limit(struct spi_controller *ctlr, struct device *dev)
{
	size_t lim = dma_get_max_seg_size(dev);

	if (ctlr->max_dma_len && ctlr->max_dma_len < lim)
		lim = ctlr->max_dma_len;
	return lim ? (unsigned int)lim : UINT_MAX;
}

/* A mapped buffer as a table of entries of at most @seg bytes, as
 * Linux's spi_map_buf() gives drivers (one entry, @one, when it fits;
 * else an array in *@vec); an empty table for no buffer. */
static int sg_as_table(struct sg_table *sgt, struct scatterlist *one,
		       struct scatterlist **vec, const void *buf,
		       dma_addr_t dma, unsigned int len, unsigned int seg)
{
	unsigned int n = buf ? (len + seg - 1) / seg : 0, i, off, l;
	struct scatterlist *sg = one;

	*vec = NULL;
	sgt->sgl = NULL;
	sgt->nents = sgt->orig_nents = n;
	if (!n)
		return 0;
	if (n > 1) {
		sg = *vec = kmalloc(n * sizeof(*sg), GFP_KERNEL);
		if (!sg)
			return -ENOMEM;
	}
	sg_init_table(sg, n);
	for (i = 0, off = 0; i < n; i++, off += l) {
		l = len - off < seg ? len - off : seg;
		sg_set_buf(&sg[i], (const u8 *)buf + off, l);
		sg_dma_address(&sg[i]) = dma + off;
		sg_dma_len(&sg[i]) = l;
	}
	sgt->sgl = sg;
	return 0;
}

static void unmap_xfer(struct spi_controller *ctlr, struct spi_transfer *t);

static int map_xfer(struct spi_controller *ctlr, struct spi_transfer *t)
{
	struct device *dev = map_dev(ctlr, ctlr->dma_tx);
	struct device *rdev = map_dev(ctlr, ctlr->dma_rx);

	if ((t->tx_buf && check_buf(ctlr, t->tx_buf, t->len, "tx")) ||
	    (t->rx_buf && check_buf(ctlr, t->rx_buf, t->len, "rx")))
		return -EINVAL;
	if (t->tx_buf) {
		t->tx_dma = dma_map_single(dev, (void *)t->tx_buf, t->len,
					   DMA_TO_DEVICE);
		if (dma_mapping_error(dev, t->tx_dma))
			return -ENOMEM;
	}
	if (t->rx_buf) {
		t->rx_dma = dma_map_single(rdev, t->rx_buf, t->len,
					   DMA_FROM_DEVICE);
		if (dma_mapping_error(rdev, t->rx_dma)) {
			if (t->tx_buf)
				dma_unmap_single(dev, t->tx_dma, t->len,
						 DMA_TO_DEVICE);
			return -ENOMEM;
		}
	}
	t->dk_dma_mapped = true;
	if (sg_as_table(&t->tx_sg, &t->dk_tx_sgl, &t->dk_tx_sgv, t->tx_buf,
			t->tx_dma, t->len, seg_limit(ctlr, dev)) ||
	    sg_as_table(&t->rx_sg, &t->dk_rx_sgl, &t->dk_rx_sgv, t->rx_buf,
			t->rx_dma, t->len, seg_limit(ctlr, rdev))) {
		unmap_xfer(ctlr, t);
		return dk_err(-ENOMEM, "%s: no memory for a %u-byte transfer's scatterlist",
			      dev_name(ctlr->dev.parent), t->len);
	}
	return 0;
}

static void unmap_xfer(struct spi_controller *ctlr, struct spi_transfer *t)
{
	if (t->tx_buf)
		dma_unmap_single(map_dev(ctlr, ctlr->dma_tx), t->tx_dma, t->len,
				 DMA_TO_DEVICE);
	if (t->rx_buf)
		dma_unmap_single(map_dev(ctlr, ctlr->dma_rx), t->rx_dma, t->len,
				 DMA_FROM_DEVICE);
	kfree(t->dk_tx_sgv);
	kfree(t->dk_rx_sgv);
	t->dk_tx_sgv = t->dk_rx_sgv = NULL;
	t->dk_dma_mapped = false;
}

void spi_finalize_current_transfer(struct spi_controller *ctlr)
{
	if (ctlr)
		__atomic_store_n(&ctlr->dk_finalized, true, __ATOMIC_RELEASE);
}

static bool finalized(void *ctlr)
{
	return __atomic_load_n(&((struct spi_controller *)ctlr)->dk_finalized,
			       __ATOMIC_ACQUIRE);
}

/* transfer_one() said 1: wait for its spi_finalize_current_transfer(). */
static int wait_finalized(struct spi_controller *ctlr)
{
	const struct dk_platform *pl =
		dk_machine_platform(ctlr->dev.parent->machine);
	bool done;

	if (pl && pl->ops->cpu_wait)
		done = pl->ops->cpu_wait(pl->ctx, DK_SPI_XFER_TIMEOUT_NS,
					 finalized, ctlr);
	else
		while (!(done = finalized(ctlr)) && pl && pl->ops->cpu_idle &&
		       pl->ops->cpu_idle(pl->ctx))
			;
	if (done)
		return 0;
	dev_err(ctlr->dev.parent, "SPI transfer timed out");
	return dk_err(-ETIMEDOUT, "%s: transfer_one() never finalized",
		      dev_name(ctlr->dev.parent));
}

static int run_xfer(struct spi_controller *ctlr, struct spi_device *spi,
		    struct spi_transfer *t)
{
	bool dma = t->len && ctlr->can_dma && ctlr->can_dma(ctlr, spi, t);
	int r;

	t->dk_dma_mapped = false;
	t->dk_tx_sgv = t->dk_rx_sgv = NULL;
	t->tx_sg.nents = t->rx_sg.nents = 0;
	t->tx_sg.sgl = t->rx_sg.sgl = NULL;
	if (dma) {
		r = map_xfer(ctlr, t);
		if (r)
			return r;
		ctlr->dk_dma_xfers++;
	} else {
		ctlr->dk_pio_xfers++;
	}
	__atomic_store_n(&ctlr->dk_finalized, false, __ATOMIC_RELEASE);
	r = ctlr->transfer_one(ctlr, spi, t);
	if (r > 0)
		r = wait_finalized(ctlr);
	if (dma)
		unmap_xfer(ctlr, t);
	return r;
}

/* set_cs() takes the line level, as in Linux: low selects, unless the
 * device's chip select is active high. */
static void chip_select(struct spi_controller *ctlr, struct spi_device *spi,
		bool on)
{
	ctlr->set_cs(spi, spi->mode & SPI_CS_HIGH ? on : !on);
}

/* What Linux's __spi_validate() refuses or fills in, per transfer. */
static int validate_xfer(struct spi_controller *ctlr, struct spi_device *spi,
			 struct spi_transfer *t, unsigned int i)
{
	const char *name = spi->dk_name;

	if (t->len && !t->tx_buf && !t->rx_buf)
		return dk_err(-EINVAL, "%s: transfer %u: %u bytes and no buffer",
			      name, i, t->len);
	if ((ctlr->flags & SPI_CONTROLLER_HALF_DUPLEX) ||
	    (spi->mode & SPI_3WIRE)) {
		if (t->tx_buf && t->rx_buf)
			return dk_err(-EINVAL, "%s: transfer %u: both buffers on a half-duplex bus",
				      name, i);
		if ((ctlr->flags & SPI_CONTROLLER_NO_TX) && t->tx_buf)
			return dk_err(-EINVAL, "%s: transfer %u: the controller cannot send",
				      name, i);
		if ((ctlr->flags & SPI_CONTROLLER_NO_RX) && t->rx_buf)
			return dk_err(-EINVAL, "%s: transfer %u: the controller cannot receive",
				      name, i);
	}
	if (!t->bits_per_word)
		t->bits_per_word = spi->bits_per_word ? spi->bits_per_word : 8;
	if (ctlr->bits_per_word_mask &&
	    (t->bits_per_word > 32 ||
	     !(ctlr->bits_per_word_mask & SPI_BPW_MASK(t->bits_per_word))))
		return dk_err(-EINVAL, "%s: transfer %u: %u-bit words are not supported",
			      name, i, t->bits_per_word);
	if (!t->speed_hz || (ctlr->max_speed_hz && t->speed_hz > ctlr->max_speed_hz))
		t->speed_hz = spi->max_speed_hz;
	if (ctlr->max_speed_hz && (!t->speed_hz || t->speed_hz > ctlr->max_speed_hz))
		t->speed_hz = ctlr->max_speed_hz;
	if (ctlr->min_speed_hz && t->speed_hz < ctlr->min_speed_hz)
		return dk_err(-EINVAL, "%s: transfer %u: %u Hz is below the controller's %u",
			      name, i, t->speed_hz, ctlr->min_speed_hz);
	if (t->tx_buf && !t->tx_nbits)
		t->tx_nbits = SPI_NBITS_SINGLE;
	if (t->rx_buf && !t->rx_nbits)
		t->rx_nbits = SPI_NBITS_SINGLE;
	return 0;
}

/* The zeroed buffers a MUST_TX / MUST_RX controller is handed in place
 * of a missing one; one of each, as long as the message's longest
 * transfer. */
struct dummies {
	void *tx, *rx;
};

static int get_dummies(struct spi_controller *ctlr, struct spi_device *spi,
		       struct spi_message *m, struct dummies *d)
{
	unsigned int tx = 0, rx = 0;
	struct spi_transfer *t;

	d->tx = d->rx = NULL;
	if (!(ctlr->flags & (SPI_CONTROLLER_MUST_TX | SPI_CONTROLLER_MUST_RX)) ||
	    (spi->mode & SPI_3WIRE))
		return 0;
	for (t = m->dk_first; t; t = t->dk_next) {
		if ((ctlr->flags & SPI_CONTROLLER_MUST_TX) && !t->tx_buf &&
		    t->len > tx)
			tx = t->len;
		if ((ctlr->flags & SPI_CONTROLLER_MUST_RX) && !t->rx_buf &&
		    t->len > rx)
			rx = t->len;
	}
	d->tx = tx ? kzalloc(tx, GFP_KERNEL) : NULL;
	d->rx = rx ? kzalloc(rx, GFP_KERNEL) : NULL;
	if ((tx && !d->tx) || (rx && !d->rx)) {
		kfree(d->tx);
		kfree(d->rx);
		return dk_err(-ENOMEM, "%s: no memory for a %u-byte dummy buffer",
			      spi->dk_name, tx > rx ? tx : rx);
	}
	return 0;
}

/* Run one transfer, with the dummies standing in for what it lacks. */
static int run_xfer_dummies(struct spi_controller *ctlr,
			    struct spi_device *spi, struct spi_transfer *t,
			    struct dummies *d)
{
	bool tx = !t->tx_buf && d->tx && t->len;
	bool rx = !t->rx_buf && d->rx && t->len;
	int r;

	if (tx) {
		/* A dummy that received before must send zeroes again. */
		memset(d->tx, 0, t->len);
		t->tx_buf = d->tx;
	}
	if (rx)
		t->rx_buf = d->rx;
	r = run_xfer(ctlr, spi, t);
	if (tx)
		t->tx_buf = NULL;
	if (rx)
		t->rx_buf = NULL;
	return r;
}

int spi_sync(struct spi_device *spi, struct spi_message *m)
{
	struct spi_controller *ctlr;
	struct spi_transfer *t;
	struct dummies d;
	unsigned int i = 0;
	int r = 0;

	if (!spi || !spi->controller || !m || !m->dk_first) {
		if (m)
			m->status = -EINVAL;
		return dk_err(-EINVAL, "spi_sync: no device or an empty message");
	}
	ctlr = spi->controller;
	m->spi = spi;
	m->actual_length = m->frame_length = 0;
	for (t = m->dk_first; t; t = t->dk_next) {
		r = validate_xfer(ctlr, spi, t, i++);
		if (r) {
			m->status = r;
			return r;
		}
		m->frame_length += t->len;
	}
	r = get_dummies(ctlr, spi, m, &d);
	if (r) {
		m->status = r;
		return r;
	}
	pthread_mutex_lock(&ctlr->dk_lock);
	chip_select(ctlr, spi, true);
	for (t = m->dk_first; t; t = t->dk_next) {
		r = run_xfer_dummies(ctlr, spi, t, &d);
		if (r)
			break;
		m->actual_length += t->len;
		if (t->cs_change && t->dk_next) {
			chip_select(ctlr, spi, false);
			chip_select(ctlr, spi, true);
		}
	}
	chip_select(ctlr, spi, false);
	pthread_mutex_unlock(&ctlr->dk_lock);
	kfree(d.tx);
	kfree(d.rx);
	m->status = r;
	return r;
}

int spi_sync_transfer(struct spi_device *spi, struct spi_transfer *xfers,
		      unsigned int num)
{
	struct spi_message m;

	if (!spi || (!xfers && num))
		return dk_err(-EINVAL, "spi_sync_transfer: NULL device or transfers");
	spi_message_init_with_transfers(&m, xfers, num);
	return spi_sync(spi, &m);
}

int spi_write(struct spi_device *spi, const void *buf, size_t len)
{
	struct spi_transfer t = { .tx_buf = buf, .len = (unsigned int)len };

	return spi_sync_transfer(spi, &t, 1);
}

int spi_read(struct spi_device *spi, void *buf, size_t len)
{
	struct spi_transfer t = { .rx_buf = buf, .len = (unsigned int)len };

	return spi_sync_transfer(spi, &t, 1);
}

int spi_write_then_read(struct spi_device *spi, const void *txbuf,
			unsigned int n_tx, void *rxbuf, unsigned int n_rx)
{
	struct spi_transfer t[2] = { { 0 } };
	u8 *tx, *rx;
	int r = -ENOMEM;
	unsigned int n = 0;

	if (!spi || (n_tx && !txbuf) || (n_rx && !rxbuf))
		return dk_err(-EINVAL, "spi_write_then_read: NULL device or buffer");
	/* Two objects: the receive half must own its cache lines. */
	tx = n_tx ? kmalloc(n_tx, GFP_KERNEL) : NULL;
	rx = n_rx ? kmalloc(n_rx, GFP_KERNEL) : NULL;

	if ((n_tx && !tx) || (n_rx && !rx))
		goto out;
	if (n_tx) {
		memcpy(tx, txbuf, n_tx);
		t[n].tx_buf = tx;
		t[n++].len = n_tx;
	}
	if (n_rx) {
		t[n].rx_buf = rx;
		t[n++].len = n_rx;
	}
	r = n ? spi_sync_transfer(spi, t, n) :
		dk_err(-EINVAL, "spi_write_then_read: nothing to do");
	if (!r && n_rx)
		memcpy(rxbuf, rx, n_rx);
out:
	kfree(tx);
	kfree(rx);
	return r;
}

struct spi_controller *devm_spi_alloc_host(struct device *dev,
					   unsigned int size)
{
	size_t head = (sizeof(struct spi_controller) + 15) & ~(size_t)15;
	struct spi_controller *c = devm_kzalloc(dev, head + size, GFP_KERNEL);

	if (!c)
		return NULL;
	c->dev.parent = dev;
	c->bus_num = -1;
	c->dev.driver_data = (u8 *)c + head;
	return c;
}

static void unregister_action(void *ctlr)
{
	spi_unregister_controller(ctlr);
}

int devm_spi_register_controller(struct device *dev,
				 struct spi_controller *ctlr)
{
	int r = spi_register_controller(ctlr);

	if (!r && devm_add_action(dev, unregister_action, ctlr)) {
		spi_unregister_controller(ctlr);
		return -ENOMEM;
	}
	return r;
}

/* ---- the driver for "dmakit,spi" */

/* Polls before a transfer counts as hung: longer than the longest one. */
#define POLL_LIMIT 2000000

struct dkspi {
	struct spi_controller ctlr;
	struct device *dev;
	void __iomem *base;
};

bool dk_spi_can_dma_default(struct spi_controller *ctlr,
			    struct spi_device *spi, struct spi_transfer *xfer)
{
	(void)ctlr;
	(void)spi;
	return xfer && xfer->len >= DK_SPI_DMA_MIN_LEN;
}

static int wait_xfer(struct dkspi *s)
{
	u32 st = 0;
	long i;

	for (i = 0; i < POLL_LIMIT; i++) {
		st = readl(s->base + DK_SPI_REG_STATUS);
		if (st & (DK_SPI_ST_DONE | DK_SPI_ST_ERROR))
			break;
	}
	writel(st & (DK_SPI_ST_DONE | DK_SPI_ST_ERROR),
	       s->base + DK_SPI_REG_STATUS);
	if (st & DK_SPI_ST_DONE)
		return 0;
	if (st & DK_SPI_ST_ERROR)
		return dk_err(-EIO, "%s: controller error", dev_name(s->dev));
	return dk_err(-ETIMEDOUT, "%s: transfer did not complete",
		      dev_name(s->dev));
}

static int xfer_dma(struct dkspi *s, struct spi_transfer *t)
{
	u32 ctrl = DK_SPI_CTRL_START | DK_SPI_CTRL_DMA;

	writel(t->len, s->base + DK_SPI_REG_LEN);
	if (t->tx_buf) {
		writel((u32)t->tx_dma, s->base + DK_SPI_REG_TX_LO);
		writel(t->tx_dma >> 32, s->base + DK_SPI_REG_TX_HI);
		ctrl |= DK_SPI_CTRL_TX_EN;
	}
	if (t->rx_buf) {
		writel((u32)t->rx_dma, s->base + DK_SPI_REG_RX_LO);
		writel(t->rx_dma >> 32, s->base + DK_SPI_REG_RX_HI);
		ctrl |= DK_SPI_CTRL_RX_EN;
	}
	writel(ctrl, s->base + DK_SPI_REG_CTRL);
	return wait_xfer(s);
}

static int xfer_pio(struct dkspi *s, struct spi_transfer *t)
{
	const u8 *tx = t->tx_buf;
	u8 *rx = t->rx_buf;
	unsigned int off, n, i;
	int r;

	for (off = 0; off < t->len; off += n) {
		n = t->len - off < DK_SPI_FIFO_DEPTH ? t->len - off :
						       DK_SPI_FIFO_DEPTH;
		writel(n, s->base + DK_SPI_REG_LEN);
		for (i = 0; tx && i < n; i++)
			writel(tx[off + i], s->base + DK_SPI_REG_TXFIFO);
		writel(DK_SPI_CTRL_START | (tx ? DK_SPI_CTRL_TX_EN : 0) |
			       (rx ? DK_SPI_CTRL_RX_EN : 0),
		       s->base + DK_SPI_REG_CTRL);
		r = wait_xfer(s);
		if (r)
			return r;
		for (i = 0; rx && i < n; i++)
			rx[off + i] = (u8)readl(s->base + DK_SPI_REG_RXFIFO);
	}
	return 0;
}

static int dkspi_transfer_one(struct spi_controller *ctlr,
			      struct spi_device *spi, struct spi_transfer *t)
{
	struct dkspi *s = ctlr->priv;

	if (spi_xfer_is_dma_mapped(ctlr, spi, t))
		return xfer_dma(s, t);
	return xfer_pio(s, t);
}

static void dkspi_set_cs(struct spi_device *spi, bool level)
{
	struct dkspi *s = spi->controller->priv;
	bool selected = spi->mode & SPI_CS_HIGH ? level : !level;

	writel(selected ? spi->chip_select | DK_SPI_CS_ACTIVE : 0,
	       s->base + DK_SPI_REG_CS);
}

static int dkspi_probe(struct device *dev)
{
	struct dkspi *s = devm_kzalloc(dev, sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	s->dev = dev;
	s->base = devm_ioremap(dev, dev->reg, dev->reg_size);
	if (!s->base)
		return -ENOMEM;
	if (readl(s->base + DK_SPI_REG_ID) != DK_SPI_ID)
		return dk_err(-ENODEV, "%s: not a dmakit SPI controller",
			      dev_name(dev));
	s->ctlr.dev.parent = dev;
	s->ctlr.num_chipselect = DK_SPI_NUM_CS;
	s->ctlr.can_dma = dk_spi_can_dma_default;
	s->ctlr.transfer_one = dkspi_transfer_one;
	s->ctlr.set_cs = dkspi_set_cs;
	s->ctlr.priv = s;
	dev_set_drvdata(dev, s);
	return spi_register_controller(&s->ctlr);
}

static void dkspi_remove(struct device *dev)
{
	struct dkspi *s = dev_get_drvdata(dev);

	spi_unregister_controller(&s->ctlr);
}

static const struct of_device_id dkspi_ids[] = {
	{ "dmakit,spi", NULL },
	{ NULL, NULL },
};

struct device_driver dk_spi_driver = {
	.name = "dmakit-spi",
	.of_match_table = dkspi_ids,
	.probe = dkspi_probe,
	.remove = dkspi_remove,
};
