/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,slave-dma": a peripheral ("slave") DMA controller. Each channel
 * moves data between memory and one peripheral's FIFO register, one burst
 * per request of the peripheral's request line, so the transfer runs at
 * the pace of the peripheral, as on hardware.
 *
 * Tree: "#dma-cells" = <1> (the request line; the driver picks a free
 * channel among "dma-channel-mask") or <2> (the request line, then a
 * fixed channel); "dma-channels" (default 4, at most 16); "dma-requests"
 * (default 32). A consumer says "dmas = <&dmac 3>; dma-names = "tx";".
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x000 ID        RO  0x444b5344 ("DKSD")
 *   0x004 NCHAN     RO  channels
 *   0x008 NREQ      RO  request lines
 *   0x00c IRQSTAT   RW1C  bit n: channel n has DONE, ERROR or PERIOD
 *   0x010 CHMASK    RO  channels the OS may use ("dma-channel-mask",
 *                       default all): the others belong to firmware
 *   0x100 + 0x40*n  channel n:
 *     +0x00 CTRL    WO  START (bit 0) starts the channel with the
 *                       registers below; STOP (bit 1) stops it at the
 *                       next burst boundary (COUNT keeps the bytes moved)
 *     +0x04 STATUS  RW1C  BUSY (bit 0, RO), DONE (1), ERROR (2): a bus
 *                         fault, PERIOD (3): a cyclic period completed,
 *                         REPROGRAMMED (4): START while BUSY, which
 *                         restarts the channel with the new registers
 *                         (and raises the interrupt if the new CFG has
 *                         IRQEN)
 *     +0x08 CFG     RW  MEM_TO_DEV (bit 0; else DEV_TO_MEM), bits 5:4
 *                       log2 of the FIFO access width (1, 2 or 4 bytes),
 *                       bits 12:8 burst length in accesses (1..16), bits
 *                       20:16 request line, CYCLIC (24), IRQEN (25)
 *     +0x0c MEM_LO  RW  memory side: device address, low 32 bits
 *     +0x10 MEM_HI  RW  high 32 bits
 *     +0x14 DEV_LO  RW  peripheral side: CPU physical address of its
 *                       FIFO register, low 32 bits
 *     +0x18 DEV_HI  RW  high 32 bits
 *     +0x1c LEN     RW  bytes, a multiple of the width
 *     +0x20 PERIOD  RW  cyclic: bytes per period (a divisor of LEN)
 *     +0x24 COUNT   RO  bytes moved since START (cyclic: in this lap)
 *     +0x28 PERIODS RO  cyclic periods completed since START
 *
 * A burst: when a channel is BUSY and its request line is asserted, the
 * controller waits DK_SDMA_BURST_CYCLES, then moves min(burst * width,
 * LEN - COUNT) bytes: MEM_TO_DEV reads them from memory through the
 * interconnect (so the cache coherence rules, the IOMMU and the firewall
 * of the controller apply) and writes them, width bytes per access, to
 * the FIFO register; DEV_TO_MEM reads the FIFO register and writes
 * memory. A FIFO register takes the low bits of each access: a width
 * wider than the FIFO loses bytes, as on hardware. The peripheral keeps
 * its request asserted while it can take (or give) another burst;
 * nothing moves while it is deasserted. At LEN the channel stops with
 * DONE; cyclic channels raise PERIOD at every PERIOD bytes and wrap to
 * MEM at LEN, until STOP. The interrupt ("interrupts") is raised for
 * DONE, ERROR, PERIOD and REPROGRAMMED when IRQEN is set.
 */
#ifndef DMAKIT_MODELS_SLAVE_DMA_H
#define DMAKIT_MODELS_SLAVE_DMA_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_SDMA_ID		0x444b5344u
#define DK_SDMA_REG_ID		0x000
#define DK_SDMA_REG_NCHAN	0x004
#define DK_SDMA_REG_NREQ	0x008
#define DK_SDMA_REG_IRQSTAT	0x00c
#define DK_SDMA_REG_CHMASK	0x010
#define DK_SDMA_CHAN(n)		(0x100 + 0x40 * (n))
#define DK_SDMA_CTRL		0x00
#define DK_SDMA_STATUS		0x04
#define DK_SDMA_CFG		0x08
#define DK_SDMA_MEM_LO		0x0c
#define DK_SDMA_MEM_HI		0x10
#define DK_SDMA_DEV_LO		0x14
#define DK_SDMA_DEV_HI		0x18
#define DK_SDMA_LEN		0x1c
#define DK_SDMA_PERIOD		0x20
#define DK_SDMA_COUNT		0x24
#define DK_SDMA_PERIODS		0x28

#define DK_SDMA_CTRL_START	(1u << 0)
#define DK_SDMA_CTRL_STOP	(1u << 1)

#define DK_SDMA_ST_BUSY		(1u << 0)
#define DK_SDMA_ST_DONE		(1u << 1)
#define DK_SDMA_ST_ERROR	(1u << 2)
#define DK_SDMA_ST_PERIOD	(1u << 3)
#define DK_SDMA_ST_REPROGRAMMED	(1u << 4)

#define DK_SDMA_CFG_MEM_TO_DEV	(1u << 0)
#define DK_SDMA_CFG_WIDTH(log2)	((u32)(log2) << 4)
#define DK_SDMA_CFG_BURST(n)	((u32)(n) << 8)
#define DK_SDMA_CFG_REQ(line)	((u32)(line) << 16)
#define DK_SDMA_CFG_CYCLIC	(1u << 24)
#define DK_SDMA_CFG_IRQEN	(1u << 25)

#define DK_SDMA_MAX_CHANNELS	16
#define DK_SDMA_MAX_REQUESTS	32
#define DK_SDMA_MAX_BURST	16
#define DK_SDMA_BURST_CYCLES	12

#ifdef __cplusplus
}
#endif

#endif
