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

#ifdef __cplusplus
}
#endif

/* The name dma_request_chan() had before Linux 5.x; drivers still use it. */
#define dma_request_slave_channel_reason(dev, name)	dma_request_chan(dev, name)

#endif
