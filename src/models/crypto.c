// SPDX-License-Identifier: MIT
/*
 * "dmakit,crypto": crypto engine with job and result rings. The register
 * interface and ring entry formats are in include/dmakit/models/crypto.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <dmakit/models/crypto.h>
#include <dmakit/sim_device.h>

#include "../core/dk_internal.h"
#include "model_util.h"

struct ring {
	u64 base;
	u32 size;	/* 0: not a valid size */
	u32 head, tail;
};

struct crypto {
	struct dk_simdev *dev;
	pthread_mutex_t lock;
	u32 ctrl, status;
	bool busy;	/* a job is in flight: its event is scheduled */
	bool stalled;	/* waiting for room in the result ring */
	bool halted;	/* a ring access faulted */
	bool produced;	/* results since DONE was last signalled */
	struct ring jr, rr;
	struct dk_crypto_job job;
};





static void signal_irq(struct crypto *c, u32 bits)
{
	const struct dk_devdesc *d = dk_simdev_desc(c->dev);

	c->status |= bits;
	if ((c->ctrl & DK_CRYPTO_CTRL_IRQEN) && d->irq >= 0)
		dk_soc_raise_irq(dk_simdev_soc(c->dev), d->irq);
}

static void halt(struct crypto *c)
{
	c->busy = false;
	c->halted = true;
	signal_irq(c, DK_CRYPTO_ST_ERROR);
}

/* The job's data: 0, or a result status. */
static u32 transform(struct crypto *c, u32 *sum)
{
	const struct dk_crypto_job *j = &c->job;
	u8 *buf;
	u32 i;

	if ((j->op != DK_CRYPTO_OP_XOR && j->op != DK_CRYPTO_OP_ADD) ||
	    j->len > DK_CRYPTO_MAX_LEN)
		return DK_CRYPTO_RES_BAD_JOB;
	buf = malloc(j->len ? j->len : 1);
	if (!buf)
		return DK_CRYPTO_RES_BAD_JOB;
	if (dk_dev_dma_read(c->dev, j->src, buf, j->len)) {
		free(buf);
		return DK_CRYPTO_RES_DMA;
	}
	for (i = 0; i < j->len; i++) {
		u8 k = j->key >> (8 * (i % 4));

		buf[i] = j->op == DK_CRYPTO_OP_XOR ? buf[i] ^ k : buf[i] + k;
	}
	*sum = dk_crypto_fnv1a(buf, j->len);
	i = dk_dev_dma_write(c->dev, j->dst, buf, j->len) ? DK_CRYPTO_RES_DMA :
							    DK_CRYPTO_RES_OK;
	free(buf);
	return i;
}

static void next(struct crypto *c);

static void finish_job(struct dk_soc *soc, void *arg)
{
	struct crypto *c = arg;
	u8 raw[DK_CRYPTO_ENTRY_SIZE] = { 0 };
	u32 st, sum = 0;

	(void)soc;
	pthread_mutex_lock(&c->lock);
	st = transform(c, &sum);
	put_le32(raw, c->job.tag);
	put_le32(raw + 4, st);
	put_le64(raw + 8, c->job.src);
	put_le64(raw + 16, c->job.dst);
	put_le32(raw + 24, c->job.len);
	put_le32(raw + 28, sum);
	if (dk_dev_dma_write(c->dev, c->rr.base +
			     (u64)c->rr.head * DK_CRYPTO_ENTRY_SIZE,
			     raw, sizeof(raw))) {
		halt(c);
	} else {
		c->rr.head = (c->rr.head + 1) & (c->rr.size - 1);
		c->jr.head = (c->jr.head + 1) & (c->jr.size - 1);
		c->produced = true;
		next(c);
	}
	pthread_mutex_unlock(&c->lock);
}

static void reset(struct crypto *c)
{
	c->busy = c->stalled = c->halted = c->produced = false;
	c->jr.head = c->jr.tail = c->rr.head = c->rr.tail = 0;
}

/* Start the next job, stall on a full result ring, or report done. */
static void next(struct crypto *c)
{
	u8 raw[DK_CRYPTO_ENTRY_SIZE];

	c->busy = c->stalled = false;
	if (!(c->ctrl & DK_CRYPTO_CTRL_ENABLE)) {
		reset(c);
		return;
	}
	if (c->halted || !c->jr.size || !c->rr.size)
		return;
	if (c->jr.head == c->jr.tail) {
		if (c->produced)
			signal_irq(c, DK_CRYPTO_ST_DONE);
		c->produced = false;
		return;
	}
	if (((c->rr.head + 1) & (c->rr.size - 1)) == c->rr.tail) {
		c->stalled = true;	/* resumed by a write of RR_TAIL */
		return;
	}
	if (dk_dev_dma_read(c->dev, c->jr.base +
			    (u64)c->jr.head * DK_CRYPTO_ENTRY_SIZE,
			    raw, sizeof(raw))) {
		halt(c);
		return;
	}
	c->job.src = le64(raw);
	c->job.dst = le64(raw + 8);
	c->job.len = le32(raw + 16);
	c->job.op = le32(raw + 20);
	c->job.key = le32(raw + 24);
	c->job.tag = le32(raw + 28);
	c->busy = true;
	if (dk_soc_schedule(dk_simdev_soc(c->dev), DK_CRYPTO_JOB_CYCLES +
			    c->job.len / DK_CRYPTO_BYTES_PER_CYCLE,
			    finish_job, c))
		halt(c);
}

static u32 ring_size(u32 v)
{
	return v && v <= DK_CRYPTO_MAX_RING && !(v & (v - 1)) ? v : 0;
}

static u32 crypto_read(struct dk_simdev *dev, u64 off)
{
	struct crypto *c = dk_simdev_priv(dev);
	u32 v = 0;

	pthread_mutex_lock(&c->lock);
	switch (off) {
	case DK_CRYPTO_REG_ID:
		v = DK_CRYPTO_ID;
		break;
	case DK_CRYPTO_CTRL:
		v = c->ctrl;
		break;
	case DK_CRYPTO_STATUS:
		v = c->status | (c->busy || c->stalled ? DK_CRYPTO_ST_BUSY : 0);
		break;
	case DK_CRYPTO_JR_LO:
		v = (u32)c->jr.base;
		break;
	case DK_CRYPTO_JR_HI:
		v = c->jr.base >> 32;
		break;
	case DK_CRYPTO_JR_SIZE:
		v = c->jr.size;
		break;
	case DK_CRYPTO_JR_HEAD:
		v = c->jr.head;
		break;
	case DK_CRYPTO_JR_TAIL:
		v = c->jr.tail;
		break;
	case DK_CRYPTO_RR_LO:
		v = (u32)c->rr.base;
		break;
	case DK_CRYPTO_RR_HI:
		v = c->rr.base >> 32;
		break;
	case DK_CRYPTO_RR_SIZE:
		v = c->rr.size;
		break;
	case DK_CRYPTO_RR_HEAD:
		v = c->rr.head;
		break;
	case DK_CRYPTO_RR_TAIL:
		v = c->rr.tail;
		break;
	}
	pthread_mutex_unlock(&c->lock);
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

static void write_ctrl(struct crypto *c, u32 val)
{
	c->ctrl = val & (DK_CRYPTO_CTRL_ENABLE | DK_CRYPTO_CTRL_IRQEN);
	/* A job in flight finishes first; next() then stops or goes on. */
	if (!c->busy)
		next(c);
}

static void crypto_write(struct dk_simdev *dev, u64 off, u32 val)
{
	struct crypto *c = dk_simdev_priv(dev);

	pthread_mutex_lock(&c->lock);
	switch (off) {
	case DK_CRYPTO_CTRL:
		write_ctrl(c, val);
		break;
	case DK_CRYPTO_STATUS:
		c->status &= ~(val & (DK_CRYPTO_ST_DONE | DK_CRYPTO_ST_ERROR));
		break;
	case DK_CRYPTO_JR_LO:
		set_lo(&c->jr.base, val);
		break;
	case DK_CRYPTO_JR_HI:
		set_hi(&c->jr.base, val);
		break;
	case DK_CRYPTO_JR_SIZE:
		c->jr.size = ring_size(val);
		break;
	case DK_CRYPTO_JR_TAIL:
		c->jr.tail = c->jr.size ? val & (c->jr.size - 1) : 0;
		if (!c->busy && !c->stalled)
			next(c);
		break;
	case DK_CRYPTO_RR_LO:
		set_lo(&c->rr.base, val);
		break;
	case DK_CRYPTO_RR_HI:
		set_hi(&c->rr.base, val);
		break;
	case DK_CRYPTO_RR_SIZE:
		c->rr.size = ring_size(val);
		break;
	case DK_CRYPTO_RR_TAIL:
		c->rr.tail = c->rr.size ? val & (c->rr.size - 1) : 0;
		if (c->stalled)
			next(c);
		break;
	}
	pthread_mutex_unlock(&c->lock);
}

static int crypto_probe(struct dk_simdev *dev)
{
	const struct dk_devdesc *d = dk_simdev_desc(dev);
	struct crypto *c;

	if (d->reg_size < DK_CRYPTO_RR_TAIL + 4)
		return dk_model_small_window(d, DK_CRYPTO_RR_TAIL + 4);
	c = calloc(1, sizeof(*c));
	if (!c)
		return dk_err(-ENOMEM, "out of memory");
	c->dev = dev;
	pthread_mutex_init(&c->lock, NULL);
	dk_simdev_set_priv(dev, c);
	return 0;
}

static void crypto_remove(struct dk_simdev *dev)
{
	struct crypto *c = dk_simdev_priv(dev);

	pthread_mutex_destroy(&c->lock);
	free(c);
	dk_simdev_set_priv(dev, NULL);
}

const struct dk_model_ops dk_crypto_model = {
	.compatible = "dmakit,crypto",
	.summary = "crypto engine with job and result rings (XOR/ADD with a key)",
	.needs_reg = true,
	.probe = crypto_probe,
	.remove = crypto_remove,
	.mmio_read = crypto_read,
	.mmio_write = crypto_write,
};
