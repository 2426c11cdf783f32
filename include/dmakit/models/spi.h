/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,spi": a full-duplex SPI controller that moves data through byte
 * FIFOs the CPU fills and drains (PIO) or by DMA, with two devices on its
 * chip selects (part of the model, because the SoC loader describes bus
 * masters, not the devices on a SPI bus):
 *   CS0: a 256 KiB NOR flash answering the common commands below;
 *   CS1: an I/O-expander microcontroller that answers each message (one
 *        chip-select assertion) with the bytes it was sent in the previous
 *        one, 0x00 past their end: a CAN bridge returning the last frame.
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x00 ID       RO  0x444b5350 ("DKSP")
 *   0x04 CTRL     WO  START (bit 0) clocks LEN bytes; DMA (1) takes them
 *                     from memory at TX and stores them at RX instead of
 *                     the FIFOs; TX_EN (2): send data (else 0xff is sent);
 *                     RX_EN (3): keep what comes back (else it is dropped);
 *                     IRQEN (4): raise the interrupt on completion;
 *                     DREQ (5): move the data through the FIFOs, paced
 *                     by DMA request lines (below); ABORT (6) without
 *                     START ends a DREQ transfer in progress (BUSY
 *                     clears, no DONE, both FIFOs are emptied).
 *   0x08 STATUS   RW1C  BUSY (bit 0, RO), DONE (1), ERROR (2): bad length,
 *                     FIFO misuse, START while busy or a DMA fault.
 *   0x0c LEN      RW  bytes to clock (PIO: at most DK_SPI_FIFO_DEPTH)
 *   0x10 TX_LO    RW  device address of the bytes to send, low 32 bits
 *   0x14 TX_HI    RW
 *   0x18 RX_LO    RW  device address for the bytes received
 *   0x1c RX_HI    RW
 *   0x20 TXFIFO   WO  queue a byte to send (bits 7:0)
 *   0x24 RXFIFO   RO  next received byte (0 when empty)
 *   0x28 LEVEL    RO  bytes in the RX FIFO (bits 15:0) and TX FIFO (31:16)
 *   0x2c CS       RW  bits 3:0 chip select, ACTIVE (bit 8) asserts it.
 *                     Deasserting ends the device's command.
 * A PIO transfer with TX_EN needs LEN bytes queued before START.
 * With "dmakit,dma-whole-bursts" in its node the DMA engine is peculiar:
 * it moves whole bursts of DK_SPI_DMA_BURST bytes only, so the bytes past
 * a transfer's last whole burst are sent as 0xff and what comes back for
 * them is dropped (PIO is unaffected).
 *
 * DREQ transfers (any LEN up to DK_SPI_MAX_LEN) clock one byte per
 * DK_SPI_BYTE_CYCLES through the FIFOs, for a DMA controller wired by the
 * tree ("dmas", "dma-names" = "tx", "rx"; include/dmakit/models/dreq.h):
 * both FIFOs start empty; with TX_EN, "tx" is asserted while bytes are
 * still to come and the TX FIFO has room for min(DK_SPI_DMA_WATERMARK,
 * bytes still to come); with RX_EN, "rx" while the RX FIFO holds
 * min(DK_SPI_DMA_WATERMARK, bytes not yet taken). The clock pauses while
 * the TX FIFO is empty or the RX FIFO full. DONE shows when the last byte
 * is clocked; received bytes may still be in the RX FIFO then.
 *
 * NOR flash on CS0 (one command per chip-select assertion; addresses are
 * 3 bytes, most significant first):
 *   0x9f RDID  -> DK_SPI_NOR_JEDEC0..2      0x05 RDSR -> status (WEL bit 1)
 *   0x06 WREN, 0x04 WRDI                    0x03 READ addr -> data...
 *   0x02 PP addr data... : programs (1 -> 0 bits only) inside the 256-byte
 *        page, wrapping in it; needs WEL; takes effect as the bytes arrive
 *   0x20 SE addr : erases the 4 KiB sector to 0xff when CS is deasserted;
 *        needs WEL
 * WEL clears when a PP or SE command ends. The contents start as
 * DK_SPI_NOR_INIT(offset). Program and erase take no time.
 *
 * Cost model. One cycle is one tick of dk_soc_now(). Every register access
 * stalls the CPU for DK_SPI_MMIO_CYCLES (include/dmakit/models/stall.h),
 * so polling STATUS lets the transfer progress; a PIO byte thus costs at
 * least one FIFO write and one FIFO read. On the wire each byte takes
 * DK_SPI_BYTE_CYCLES. A DMA transfer costs, on top:
 * DK_SPI_DMA_SETUP_CYCLES before the first byte moves; DK_SPI_MAINT_CYCLES
 * per cache line of each buffer the CPU had to clean before (charged to
 * the CTRL write that starts it: the barrier in writel() waits for that
 * maintenance) and of the RX buffer it must invalidate after (charged
 * before DONE shows); and DK_SPI_IRQ_CYCLES between the last byte and DONE,
 * for taking the completion interrupt and waking the waiting driver. No
 * maintenance is charged when the tree says the controller is dma-coherent.
 * With the driver of include/dmakit/spi.h a full-duplex transfer of n bytes
 * costs about 4 accesses + 2n FIFO accesses + polling by PIO, and about 7
 * accesses + setup + interrupt + maintenance + polling by DMA: DMA pays off
 * from a few tens of bytes (the story "dma-a-lot-vs-lots-of-dma" measures
 * the crossover).
 */
#ifndef DMAKIT_MODELS_SPI_H
#define DMAKIT_MODELS_SPI_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_SPI_ID		0x444b5350u
#define DK_SPI_REG_ID		0x00
#define DK_SPI_REG_CTRL		0x04
#define DK_SPI_REG_STATUS	0x08
#define DK_SPI_REG_LEN		0x0c
#define DK_SPI_REG_TX_LO	0x10
#define DK_SPI_REG_TX_HI	0x14
#define DK_SPI_REG_RX_LO	0x18
#define DK_SPI_REG_RX_HI	0x1c
#define DK_SPI_REG_TXFIFO	0x20
#define DK_SPI_REG_RXFIFO	0x24
#define DK_SPI_REG_LEVEL	0x28
#define DK_SPI_REG_CS		0x2c
#define DK_SPI_REG_SIZE		0x30	/* smallest "reg" window */

#define DK_SPI_CTRL_START	(1u << 0)
#define DK_SPI_CTRL_DMA		(1u << 1)
#define DK_SPI_CTRL_TX_EN	(1u << 2)
#define DK_SPI_CTRL_RX_EN	(1u << 3)
#define DK_SPI_CTRL_IRQEN	(1u << 4)
#define DK_SPI_CTRL_DREQ	(1u << 5)
#define DK_SPI_CTRL_ABORT	(1u << 6)

#define DK_SPI_ST_BUSY		(1u << 0)
#define DK_SPI_ST_DONE		(1u << 1)
#define DK_SPI_ST_ERROR		(1u << 2)

#define DK_SPI_CS_ACTIVE	(1u << 8)
#define DK_SPI_NUM_CS		2
#define DK_SPI_CS_NOR		0
#define DK_SPI_CS_MAILBOX	1

#define DK_SPI_FIFO_DEPTH	64
#define DK_SPI_DMA_BURST	16	/* with "dmakit,dma-whole-bursts" */
#define DK_SPI_MAX_LEN		(1u << 20)
#define DK_SPI_DMA_WATERMARK	16

/* Cost model, in cycles (see above). */
#define DK_SPI_MMIO_CYCLES	20
#define DK_SPI_BYTE_CYCLES	8
#define DK_SPI_DMA_SETUP_CYCLES	400
#define DK_SPI_MAINT_CYCLES	16
#define DK_SPI_IRQ_CYCLES	600

/* The NOR flash on CS0. */
#define DK_SPI_NOR_SIZE		(256u * 1024)
#define DK_SPI_NOR_PAGE		256
#define DK_SPI_NOR_SECTOR	4096
#define DK_SPI_NOR_JEDEC0	0x44	/* "D" */
#define DK_SPI_NOR_JEDEC1	0x4b	/* "K" */
#define DK_SPI_NOR_JEDEC2	0x12	/* 2^18 bytes */
#define DK_SPI_NOR_INIT(off)	((u8)((off) * 13 + ((off) >> 8) + 0x5a))

#define DK_SPI_NOR_RDID		0x9f
#define DK_SPI_NOR_RDSR		0x05
#define DK_SPI_NOR_WREN		0x06
#define DK_SPI_NOR_WRDI		0x04
#define DK_SPI_NOR_READ		0x03
#define DK_SPI_NOR_PP		0x02
#define DK_SPI_NOR_SE		0x20
#define DK_SPI_NOR_SR_WEL	(1u << 1)

/* The mailbox on CS1 remembers at most this many bytes. */
#define DK_SPI_MAILBOX_SIZE	4096

#ifdef __cplusplus
}
#endif

#endif
