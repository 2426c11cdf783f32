/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-mapping.h> for driver code built against dmakit:
 * the DMA mapping API.
 */
#ifndef DMAKIT_COMPAT_LINUX_DMA_MAPPING_H
#define DMAKIT_COMPAT_LINUX_DMA_MAPPING_H

#include <linux/compiler.h>
/* As in Linux, a driver that includes only this has -ENOMEM, IS_ERR(). */
#include <linux/scatterlist.h>
#include <linux/err.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dma-legacy.h>

#endif
