// SPDX-License-Identifier: MIT
/*
 * "dmakit,tz-dma": a TrustZone-aware copy engine with one register bank
 * per world; include/dmakit/models/tzasc.h has the layout. The world of
 * the CPU access picks the bank, and the bank's world is the NS bit of the
 * transfer it starts, so the normal world cannot make the engine read
 * secure memory however it programs it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <dmakit/models/tzasc.h>
#include <dmakit/trustzone.h>

#include "../core/dk_internal.h"
#include "../sim/soc_internal.h"
#include "model_util.h"

#define TZDMA_MAX_LEN 0x10000u

struct bank {
	u64 src, dst;
	u32 len, status;
};

struct tz_dma {
	pthread_mutex_t lock;
	struct bank b[2];	/* by enum dk_world */
};

static int tz_dma_probe(struct dk_simdev *dev)
{
	struct tz_dma *t = calloc(1, sizeof(*t));

	if (!t)
		return dk_err(-ENOMEM, "%s: out of memory", dev->d.name);
	pthread_mutex_init(&t->lock, NULL);
	dev->d.tz_aware = true;
	dk_simdev_set_priv(dev, t);
	return 0;
}

static void tz_dma_remove(struct dk_simdev *dev)
{
	struct tz_dma *t = dk_simdev_priv(dev);

	if (t)
		pthread_mutex_destroy(&t->lock);
	free(t);
}

static struct bank *bank_of(struct dk_simdev *dev, enum dk_world *w)
{
	struct tz_dma *t = dk_simdev_priv(dev);

	*w = dk_soc_cpu_world(dev->soc);
	return &t->b[*w];
}

static u32 tz_dma_read(struct dk_simdev *dev, u64 off)
{
	struct tz_dma *t = dk_simdev_priv(dev);
	enum dk_world w;
	struct bank *b = bank_of(dev, &w);
	u32 v = 0;

	pthread_mutex_lock(&t->lock);
	switch (off) {
	case DK_TZDMA_SRC_LO: v = (u32)b->src; break;
	case DK_TZDMA_SRC_HI: v = (u32)(b->src >> 32); break;
	case DK_TZDMA_DST_LO: v = (u32)b->dst; break;
	case DK_TZDMA_DST_HI: v = (u32)(b->dst >> 32); break;
	case DK_TZDMA_LEN: v = b->len; break;
	case DK_TZDMA_STATUS: v = b->status; break;
	}
	pthread_mutex_unlock(&t->lock);
	return v;
}

/* The copy, in world @w; outside the lock (the bus takes the SoC's). */
static u32 transfer(struct dk_simdev *dev, enum dk_world w, u64 src, u64 dst,
		    u32 len)
{
	u8 *buf = malloc(len ? len : 1);
	u32 st = DK_TZDMA_ST_DONE;

	if (!buf)
		return DK_TZDMA_ST_ERROR;
	if (len && (dk_dev_dma_world(dev, w, false, src, buf, len) ||
		    dk_dev_dma_world(dev, w, true, dst, buf, len)))
		st = DK_TZDMA_ST_ERROR;
	free(buf);
	return st;
}

static void tz_dma_write(struct dk_simdev *dev, u64 off, u32 v)
{
	struct tz_dma *t = dk_simdev_priv(dev);
	enum dk_world w;
	struct bank *b = bank_of(dev, &w);
	u64 src, dst;
	u32 len;

	pthread_mutex_lock(&t->lock);
	switch (off) {
	case DK_TZDMA_SRC_LO: dk_set_half(&b->src, false, v); break;
	case DK_TZDMA_SRC_HI: dk_set_half(&b->src, true, v); break;
	case DK_TZDMA_DST_LO: dk_set_half(&b->dst, false, v); break;
	case DK_TZDMA_DST_HI: dk_set_half(&b->dst, true, v); break;
	case DK_TZDMA_LEN:
		b->len = v > TZDMA_MAX_LEN ? TZDMA_MAX_LEN : v;
		break;
	}
	src = b->src;
	dst = b->dst;
	len = b->len;
	pthread_mutex_unlock(&t->lock);
	if (off != DK_TZDMA_CTRL || !(v & DK_TZDMA_CTRL_GO))
		return;
	v = transfer(dev, w, src, dst, len);
	pthread_mutex_lock(&t->lock);
	b->status = v;
	pthread_mutex_unlock(&t->lock);
}

const struct dk_model_ops dk_tz_dma_model = {
	.compatible = "dmakit,tz-dma",
	.summary = "TrustZone-aware copy engine: one register bank per world, NS bit per transfer",
	.needs_reg = true,
	.probe = tz_dma_probe,
	.remove = tz_dma_remove,
	.mmio_read = tz_dma_read,
	.mmio_write = tz_dma_write,
};
