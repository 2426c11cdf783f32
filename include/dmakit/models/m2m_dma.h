/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,m2m-dma": a memory-to-memory DMA engine with descriptor chains.
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x000 ID        RO  0x444b4d32 ("DKM2")
 *   0x004 NCHAN     RO  number of channels ("dma-channels", default 4)
 *   0x008 IRQSTAT   RW1C  bit n: channel n completed or failed
 *   0x100 + 0x40*n  channel n:
 *     +0x00 CTRL    WO  START (bit 0) rings the doorbell; IRQEN (bit 1);
 *                       STOP (bit 2) ends the chain after the descriptor
 *                       in flight (how a driver quiesces the channel)
 *     +0x04 STATUS  RW1C  BUSY (bit 0, RO), DONE (1), ERROR (2),
 *                         REPROGRAMMED (3): written while BUSY
 *     +0x08 DESC_LO  device address of the first descriptor, low 32 bits
 *     +0x0c DESC_HI  high 32 bits
 *     +0x10 COUNT   RO  descriptors completed since the last START
 *
 * A descriptor is 32 bytes of little-endian DMA memory, read by the engine:
 *   u64 src; u64 dst; u32 len; u32 flags; u64 next;
 * flags: LAST (bit 0) ends the chain, otherwise "next" is followed. When a
 * descriptor is done the engine writes flags back with DONE (bit 31) set.
 * A fault on any access stops the channel with ERROR. The completion
 * interrupt is raised when IRQEN was set with START.
 *
 * Timing: DK_M2M_SETUP_CYCLES per descriptor plus one cycle per
 * DK_M2M_BYTES_PER_CYCLE bytes; the copy happens when that time has passed.
 */
#ifndef DMAKIT_MODELS_M2M_DMA_H
#define DMAKIT_MODELS_M2M_DMA_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_M2M_ID		0x444b4d32u
#define DK_M2M_REG_ID		0x000
#define DK_M2M_REG_NCHAN	0x004
#define DK_M2M_REG_IRQSTAT	0x008
#define DK_M2M_CHAN(n)		(0x100 + 0x40 * (n))
#define DK_M2M_CTRL		0x00
#define DK_M2M_STATUS		0x04
#define DK_M2M_DESC_LO		0x08
#define DK_M2M_DESC_HI		0x0c
#define DK_M2M_COUNT		0x10

#define DK_M2M_CTRL_START	(1u << 0)
#define DK_M2M_CTRL_IRQEN	(1u << 1)
#define DK_M2M_CTRL_STOP	(1u << 2)
#define DK_M2M_ST_BUSY		(1u << 0)
#define DK_M2M_ST_DONE		(1u << 1)
#define DK_M2M_ST_ERROR		(1u << 2)
#define DK_M2M_ST_REPROGRAMMED	(1u << 3)

#define DK_M2M_MAX_CHANNELS	16
#define DK_M2M_SETUP_CYCLES	100
#define DK_M2M_BYTES_PER_CYCLE	8

struct dk_m2m_desc {
	u64 src;
	u64 dst;
	u32 len;
	u32 flags;
	u64 next;
};

#define DK_M2M_DESC_LAST	(1u << 0)
#define DK_M2M_DESC_DONE	(1u << 31)

#ifdef __cplusplus
}
#endif

#endif
