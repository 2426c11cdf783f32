/* SPDX-License-Identifier: MIT */
/*
 * <linux/dmaengine.h> for driver code built against dmakit:
 * the dmaengine API.
 */
#ifndef DMAKIT_COMPAT_LINUX_DMAENGINE_H
#define DMAKIT_COMPAT_LINUX_DMAENGINE_H

#include <linux/device.h>
#include <linux/scatterlist.h>
#include <linux/compiler.h>
#include <dmakit/dmaengine.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct dma_slave_caps - what a slave channel's controller offers
 * (dma_get_slave_caps()).
 */
struct dma_slave_caps {
	/** @src_addr_widths: BIT(bytes) of each source bus width */
	u32 src_addr_widths;
	/** @dst_addr_widths: BIT(bytes) of each destination bus width */
	u32 dst_addr_widths;
	/** @directions: BIT(enum dma_transfer_direction) of each */
	u32 directions;
	/** @min_burst: the smallest burst, in words (0: not given) */
	u32 min_burst;
	/** @max_burst: the largest burst, in words */
	u32 max_burst;
	/** @max_sg_burst: scatterlist entries per burst (0: no limit) */
	u32 max_sg_burst;
	/** @cmd_pause: it can pause and resume */
	bool cmd_pause;
	/** @cmd_resume: it can resume */
	bool cmd_resume;
	/** @cmd_terminate: it can terminate */
	bool cmd_terminate;
	/** @residue_granularity: how fine its residue is */
	enum dma_residue_granularity residue_granularity;
	/** @descriptor_reuse: descriptors can be submitted again */
	bool descriptor_reuse;
};

/**
 * dma_get_slave_caps() - what the controller of a slave channel offers,
 * as its provider declares it.
 * @chan: a channel.
 * @caps: filled in.
 *
 * Return: 0, -EINVAL for NULL, -ENXIO for a controller that declares no
 * slave directions (a memcpy-only engine).
 */
int dma_get_slave_caps(struct dma_chan *chan, struct dma_slave_caps *caps);

/* More of Linux's enum dma_ctrl_flags, with its values. */
#define DMA_PREP_PQ_DISABLE_P	(1 << 2)
#define DMA_PREP_PQ_DISABLE_Q	(1 << 3)
#define DMA_PREP_CONTINUE	(1 << 4)
#define DMA_PREP_FENCE		(1 << 5)
#define DMA_CTRL_REUSE		(1 << 6)
#define DMA_PREP_CMD		(1 << 7)
#define DMA_PREP_REPEAT		(1 << 8)
#define DMA_PREP_LOAD_EOT	(1 << 9)

/*
 * What provider drivers call (Linux's names): a descriptor's channel, a
 * transfer's direction, cookie order, and descriptors a consumer may
 * submit more than once.
 */

/**
 * dma_async_tx_descriptor_init() - tie a provider's new descriptor to
 * its channel.
 * @tx: the descriptor.
 * @chan: its channel.
 */
static inline void dma_async_tx_descriptor_init(struct dma_async_tx_descriptor *tx,
						struct dma_chan *chan)
{
	tx->chan = chan;
}

/**
 * is_slave_direction() - whether a transfer goes between memory and a
 * peripheral.
 * @direction: the transfer's.
 *
 * Return: true for DMA_MEM_TO_DEV and DMA_DEV_TO_MEM.
 */
static inline bool is_slave_direction(enum dma_transfer_direction direction)
{
	return direction == DMA_MEM_TO_DEV || direction == DMA_DEV_TO_MEM;
}

/**
 * dma_async_is_complete() - where a cookie stands between the channel's
 * last completed and last issued ones, allowing for the cookies having
 * wrapped around.
 * @cookie: the transaction's.
 * @last_complete: the channel's last completed cookie.
 * @last_used: the last cookie it handed out.
 *
 * Return: DMA_COMPLETE if @cookie is done, else DMA_IN_PROGRESS.
 */
static inline enum dma_status dma_async_is_complete(dma_cookie_t cookie,
						    dma_cookie_t last_complete,
						    dma_cookie_t last_used)
{
	if (last_complete <= last_used)
		return cookie <= last_complete || cookie > last_used ?
			       DMA_COMPLETE : DMA_IN_PROGRESS;
	return cookie <= last_complete && cookie > last_used ?
		       DMA_COMPLETE : DMA_IN_PROGRESS;
}

/**
 * dma_get_slave_channel() - take one particular channel, as a provider's
 * of_dma translation does for the consumer asking.
 * @chan: the channel.
 *
 * Return: @chan, or NULL when it is held (or NULL) or its provider's
 * device_alloc_chan_resources() failed.
 */
struct dma_chan *dma_get_slave_channel(struct dma_chan *chan);

/**
 * dma_get_any_slave_channel() - take the first free channel of a
 * provider, as a DMA controller's of_dma translation does when any of
 * its channels will serve (the request line is then programmed per
 * channel).
 * @device: the provider.
 *
 * Return: the channel, or NULL when @device is NULL, has no channel list
 * or every channel is held.
 */
struct dma_chan *dma_get_any_slave_channel(struct dma_device *device);

/**
 * dmaenginem_async_device_register() - dma_async_device_register(), undone
 * when the driver of @device->dev unbinds.
 * @device: as for dma_async_device_register().
 *
 * Return: as dma_async_device_register(), or -ENOMEM.
 */
int dmaenginem_async_device_register(struct dma_device *device);

/**
 * dmaengine_desc_set_reuse() - let @tx be submitted again after it ran,
 * until dmaengine_desc_clear_reuse() and dmaengine_desc_free().
 * @tx: a prepared descriptor.
 *
 * Return: 0, or -EPERM when its provider does not reuse descriptors
 * (dma_device.descriptor_reuse), or as dma_get_slave_caps().
 */
int dmaengine_desc_set_reuse(struct dma_async_tx_descriptor *tx);

/**
 * dmaengine_desc_clear_reuse() - @tx is freed after its next run.
 * @tx: a descriptor.
 */
static inline void dmaengine_desc_clear_reuse(struct dma_async_tx_descriptor *tx)
{
	tx->flags = (enum dma_ctrl_flags)(tx->flags & ~DMA_CTRL_REUSE);
}

/**
 * dmaengine_desc_test_reuse() - whether @tx is kept for reuse.
 * @tx: a descriptor.
 *
 * Return: true if DMA_CTRL_REUSE is set.
 */
static inline bool dmaengine_desc_test_reuse(struct dma_async_tx_descriptor *tx)
{
	return (tx->flags & DMA_CTRL_REUSE) != 0;
}

/**
 * dmaengine_desc_free() - free a reusable descriptor the consumer is done
 * with, through its provider.
 * @tx: a descriptor with DMA_CTRL_REUSE set.
 *
 * Return: the provider's desc_free result, or -EPERM when @tx is not
 * reusable or its provider cannot free it.
 */
int dmaengine_desc_free(struct dma_async_tx_descriptor *tx);

#ifdef __cplusplus
}
#endif

/* The name dma_request_chan() had before Linux 5.x; drivers still use it. */
#define dma_request_slave_channel_reason(dev, name)	dma_request_chan(dev, name)

#endif
