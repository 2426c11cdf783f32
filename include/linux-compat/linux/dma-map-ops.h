/* SPDX-License-Identifier: MIT */
/*
 * <linux/dma-map-ops.h> for driver code built against dmakit:
 * DMA backends (struct dma_map_ops).
 */
#ifndef DMAKIT_COMPAT_LINUX_DMA_MAP_OPS_H
#define DMAKIT_COMPAT_LINUX_DMA_MAP_OPS_H

#include <linux/compiler.h>
#include <dmakit/dma-map-ops.h>

#endif
