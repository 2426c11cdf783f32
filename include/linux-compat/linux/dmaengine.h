/* SPDX-License-Identifier: MIT */
/*
 * <linux/dmaengine.h> for driver code built against dmakit:
 * the dmaengine API.
 */
#ifndef DMAKIT_COMPAT_LINUX_DMAENGINE_H
#define DMAKIT_COMPAT_LINUX_DMAENGINE_H

#include <linux/compiler.h>
#include <dmakit/dmaengine.h>

/* The name dma_request_chan() had before Linux 5.x; drivers still use it. */
#define dma_request_slave_channel_reason(dev, name)	dma_request_chan(dev, name)

#endif
