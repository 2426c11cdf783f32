// SPDX-License-Identifier: MIT
/*
 * "dmakit,sdhci-adma2": SD host controller with a card, moving data with
 * 64-bit ADMA2 descriptors. The register interface and descriptor format
 * are in include/dmakit/models/sdhci_adma2.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/sdhci_adma2.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

#define CARD_BYTES ((size_t)DK_SDHCI_CARD_BLOCKS * DK_SDHCI_BLOCK_SIZE)
#define ERROR_BITS (DK_SDHCI_INT_CMD_ERROR | DK_SDHCI_INT_ADMA_ERROR)

struct sdhci {
	struct dk_simdev *dev;
	pthread_mutex_t lock;
	u32 block, arg, command, host_ctrl, status, signal, adma_err;
	u64 adma;
	/* the command in flight */
	bool busy, to_card;
	u64 card_off, left;	/* where on the card, bytes still to move */
	u64 cur;		/* descriptor being worked on */
	u32 ndesc;
	u16 attr;
	u32 len;
	u64 addr;
	u8 *card;
};

static u16 le16(const u8 *p)
{
	return p[0] | p[1] << 8;
}


/* Latch @bits and interrupt if any is signalled. */
static void post(struct sdhci *s, u32 bits)
{
	const struct dk_devdesc *d = dk_simdev_desc(s->dev);

	if (bits & ERROR_BITS)
		bits |= DK_SDHCI_INT_ERROR;
	s->status |= bits;
	if ((bits & s->signal) && d->irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(s->dev), d->irq);
}

static void adma_error(struct sdhci *s, u32 state)
{
	s->adma_err = state;
	s->busy = false;
	post(s, DK_SDHCI_INT_ADMA_ERROR);
}

static void fetch(struct sdhci *s);

static void xfer(struct dk_soc *soc, void *arg)
{
	struct sdhci *s = arg;
	u8 *card;
	int r;

	(void)soc;
	pthread_mutex_lock(&s->lock);
	card = s->card + s->card_off;
	r = s->to_card ? dk_dev_dma_read(s->dev, s->addr, card, s->len) :
			 dk_dev_dma_write(s->dev, s->addr, card, s->len);
	if (r) {
		adma_error(s, DK_SDHCI_ADMA_ST_TFR);
	} else {
		s->card_off += s->len;
		s->left -= s->len;
		if (s->attr & DK_SDHCI_DESC_INT)
			post(s, DK_SDHCI_INT_DMA);
		if (!(s->attr & DK_SDHCI_DESC_END)) {
			s->cur += DK_SDHCI_DESC_SIZE;
			fetch(s);
		} else if (s->left) {
			adma_error(s, DK_SDHCI_ADMA_ST_TFR |
				      DK_SDHCI_ADMA_LEN_MISMATCH);
		} else {
			s->busy = false;
			post(s, DK_SDHCI_INT_XFER_COMPLETE);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

/* Read descriptors until one moves data (scheduled) or the table ends. */
static void fetch(struct sdhci *s)
{
	struct dk_soc *soc = dk_simdev_soc(s->dev);

	for (;;) {
		u8 raw[DK_SDHCI_DESC_SIZE];
		u32 act;

		if (++s->ndesc > DK_SDHCI_MAX_DESC ||
		    dk_dev_dma_read(s->dev, s->cur, raw, sizeof(raw))) {
			adma_error(s, DK_SDHCI_ADMA_ST_FDS);
			return;
		}
		s->attr = le16(raw);
		s->len = le16(raw + 2) ? le16(raw + 2) : 65536;
		s->addr = le32(raw + 4) | (u64)le32(raw + 8) << 32;
		if (!(s->attr & DK_SDHCI_DESC_VALID)) {
			adma_error(s, DK_SDHCI_ADMA_ST_FDS);
			return;
		}
		act = s->attr & DK_SDHCI_DESC_ACT_MASK;
		if (act == DK_SDHCI_DESC_TRAN) {
			if (s->len > s->left) {
				adma_error(s, DK_SDHCI_ADMA_ST_TFR |
					      DK_SDHCI_ADMA_LEN_MISMATCH);
				return;
			}
			dk_soc_schedule(soc, DK_SDHCI_DESC_CYCLES +
					s->len / DK_SDHCI_BYTES_PER_CYCLE,
					xfer, s);
			return;
		}
		if (act == DK_SDHCI_DESC_LINK) {
			s->cur = s->addr;
			continue;
		}
		if (s->attr & DK_SDHCI_DESC_END) {
			if (s->left) {
				adma_error(s, DK_SDHCI_ADMA_ST_FDS |
					      DK_SDHCI_ADMA_LEN_MISMATCH);
			} else {
				s->busy = false;
				post(s, DK_SDHCI_INT_XFER_COMPLETE);
			}
			return;
		}
		s->cur += DK_SDHCI_DESC_SIZE;	/* nop (or reserved) */
	}
}

static void command_done(struct dk_soc *soc, void *arg)
{
	struct sdhci *s = arg;

	(void)soc;
	pthread_mutex_lock(&s->lock);
	post(s, DK_SDHCI_INT_CMD_COMPLETE);
	s->cur = s->adma;
	s->ndesc = 0;
	fetch(s);
	pthread_mutex_unlock(&s->lock);
}

/* Check a command and start it; false if it is refused. */
static bool issue(struct sdhci *s, u32 val)
{
	u32 idx = val >> 24 & 0x3f, size = s->block & 0xffff;
	u64 count = s->block >> 16;

	if (s->busy || !(val & DK_SDHCI_CMD_DATA) ||
	    !(val & DK_SDHCI_MODE_DMA) ||
	    (s->host_ctrl & DK_SDHCI_CTRL_DMA_MASK) != DK_SDHCI_CTRL_ADMA64 ||
	    size != DK_SDHCI_BLOCK_SIZE)
		return false;
	switch (idx) {
	case DK_SDHCI_CMD_READ_SINGLE:
	case DK_SDHCI_CMD_WRITE_SINGLE:
		count = 1;
		break;
	case DK_SDHCI_CMD_READ_MULTIPLE:
	case DK_SDHCI_CMD_WRITE_MULTIPLE:
		break;
	default:
		return false;
	}
	if (!count || s->arg + count > DK_SDHCI_CARD_BLOCKS)
		return false;
	s->to_card = idx == DK_SDHCI_CMD_WRITE_SINGLE ||
		     idx == DK_SDHCI_CMD_WRITE_MULTIPLE;
	s->card_off = (u64)s->arg * DK_SDHCI_BLOCK_SIZE;
	s->left = count * DK_SDHCI_BLOCK_SIZE;
	s->busy = true;
	s->adma_err = 0;
	if (dk_soc_schedule(dk_simdev_soc(s->dev), DK_SDHCI_CMD_CYCLES,
			    command_done, s)) {
		s->busy = false;
		return false;
	}
	return true;
}

static u32 sdhci_read(struct dk_simdev *dev, u64 off)
{
	struct sdhci *s = dk_simdev_priv(dev);
	u32 v = 0;

	pthread_mutex_lock(&s->lock);
	switch (off) {
	case DK_SDHCI_BLOCK:
		v = s->block;
		break;
	case DK_SDHCI_ARGUMENT:
		v = s->arg;
		break;
	case DK_SDHCI_COMMAND:
		v = s->command;
		break;
	case DK_SDHCI_PRESENT:
		v = DK_SDHCI_PRESENT_CARD;
		if (s->busy)
			v |= DK_SDHCI_PRESENT_CMD_INHIBIT |
			     DK_SDHCI_PRESENT_DAT_INHIBIT;
		break;
	case DK_SDHCI_HOST_CTRL:
		v = s->host_ctrl;
		break;
	case DK_SDHCI_INT_STATUS:
		v = s->status;
		break;
	case DK_SDHCI_INT_SIGNAL:
		v = s->signal;
		break;
	case DK_SDHCI_CAPS:
		v = DK_SDHCI_CAPS_ADMA2 | DK_SDHCI_CAPS_64BIT;
		break;
	case DK_SDHCI_ADMA_ERR:
		v = s->adma_err;
		break;
	case DK_SDHCI_ADMA_LO:
		v = (u32)s->adma;
		break;
	case DK_SDHCI_ADMA_HI:
		v = s->adma >> 32;
		break;
	case DK_SDHCI_REG_ID:
		v = DK_SDHCI_ID;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return v;
}

static void sdhci_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct sdhci *s = dk_simdev_priv(dev);

	pthread_mutex_lock(&s->lock);
	switch (off) {
	case DK_SDHCI_BLOCK:
		s->block = val;
		break;
	case DK_SDHCI_ARGUMENT:
		s->arg = val;
		break;
	case DK_SDHCI_COMMAND:
		s->command = val;
		if (!issue(s, val))
			post(s, DK_SDHCI_INT_CMD_ERROR);
		break;
	case DK_SDHCI_HOST_CTRL:
		s->host_ctrl = val;
		break;
	case DK_SDHCI_INT_STATUS:
		s->status &= ~val;
		/* ERROR summarises the error bits still set. */
		if (!(s->status & ERROR_BITS))
			s->status &= ~DK_SDHCI_INT_ERROR;
		break;
	case DK_SDHCI_INT_SIGNAL:
		s->signal = val;
		break;
	case DK_SDHCI_ADMA_LO:
		s->adma = (s->adma & ~0xffffffffULL) | val;
		break;
	case DK_SDHCI_ADMA_HI:
		s->adma = (s->adma & 0xffffffffULL) | (u64)val << 32;
		break;
	}
	pthread_mutex_unlock(&s->lock);
}

static struct sdhci *card_of(struct dk_simdev *dev, u32 lba, const void *buf,
			     u32 n, const char *fn)
{
	const struct dk_devdesc *d = dev ? dk_simdev_desc(dev) : NULL;
	struct sdhci *s;

	if (!d || strcmp(d->compatible, "dmakit,sdhci-adma2") ||
	    !(s = dk_simdev_priv(dev))) {
		dk_err(-EINVAL, "%s: %s is not a dmakit,sdhci-adma2", fn,
		       d ? d->name : "(null)");
		return NULL;
	}
	if (!buf || (u64)lba + n > DK_SDHCI_CARD_BLOCKS) {
		dk_err(-EINVAL, "%s: %s: blocks %u..+%u of a %d-block card",
		       fn, d->name, lba, n, DK_SDHCI_CARD_BLOCKS);
		return NULL;
	}
	return s;
}

int dk_sdhci_card_read(struct dk_simdev *dev, u32 lba, void *buf, u32 n)
{
	struct sdhci *s = card_of(dev, lba, buf, n, "dk_sdhci_card_read");

	if (!s)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	memcpy(buf, s->card + (size_t)lba * DK_SDHCI_BLOCK_SIZE,
	       (size_t)n * DK_SDHCI_BLOCK_SIZE);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int dk_sdhci_card_write(struct dk_simdev *dev, u32 lba, const void *buf,
			u32 n)
{
	struct sdhci *s = card_of(dev, lba, buf, n, "dk_sdhci_card_write");

	if (!s)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	memcpy(s->card + (size_t)lba * DK_SDHCI_BLOCK_SIZE, buf,
	       (size_t)n * DK_SDHCI_BLOCK_SIZE);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int sdhci_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct sdhci *s;

	if (d->reg_size < DK_SDHCI_REG_ID + 4)
		return dk_model_small_window(d, DK_SDHCI_REG_ID + 4);
	s = calloc(1, sizeof(*s));
	if (s)
		s->card = calloc(1, CARD_BYTES);
	if (!s || !s->card) {
		free(s);
		return dk_err(-ENOMEM, "out of memory");
	}
	s->dev = dev;
	pthread_mutex_init(&s->lock, NULL);
	dk_simdev_set_priv(dev, s);
	return 0;
}

static void sdhci_remove(struct dk_simdev *dev)
{
	struct sdhci *s = dk_simdev_priv(dev);

	pthread_mutex_destroy(&s->lock);
	free(s->card);
	free(s);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_sdhci_adma2_model = {
	.compatible = "dmakit,sdhci-adma2",
	.summary = "SD host controller with a card, ADMA2 64-bit descriptors",
	.needs_reg = true,
	.probe = sdhci_probe,
	.remove = sdhci_remove,
	.mmio_read = sdhci_read,
	.mmio_write = sdhci_write,
};
