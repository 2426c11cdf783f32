/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,i2c": an I2C controller that moves message data either through
 * a byte FIFO the CPU fills and drains (PIO) or by DMA, with a 256-byte
 * serial EEPROM (24C02-like) at 7-bit address DK_I2C_EEPROM_ADDR behind it.
 * The EEPROM is part of the model because the SoC loader describes bus
 * masters, not the devices on an I2C bus.
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x00 ID      RO  0x444b4932 ("DKI2")
 *   0x04 CTRL    WO  START (bit 0) sends one message: a START (or repeated
 *                    START), the address byte, LEN data bytes; READ (1)
 *                    reads instead of writes; DMA (2) moves the data by DMA
 *                    at DMA_HI:DMA_LO instead of through the FIFO; STOP (3)
 *                    ends the message with a STOP; IRQEN (4) raises the
 *                    interrupt when it completes.
 *   0x08 STATUS  RW1C  BUSY (bit 0, RO), DONE (1), NACK (2): no device
 *                    answered the address, ERROR (3): bad length, FIFO
 *                    misuse or a DMA fault. A message ends with exactly one
 *                    of DONE, NACK, ERROR.
 *   0x0c ADDR    RW  7-bit target address
 *   0x10 LEN     RW  data bytes of the message (0..DK_I2C_MAX_LEN)
 *   0x14 DMA_LO  RW  device address of the data, low 32 bits
 *   0x18 DMA_HI  RW  high 32 bits
 *   0x1c FIFO    RW  write: queue a byte to send (bits 7:0); read: take the
 *                    next received byte (0 when empty)
 *   0x20 LEVEL   RO  bytes in the FIFO
 * A PIO write sends the LEN bytes queued before START (fewer is ERROR); a
 * PIO read empties the FIFO and fills it with LEN bytes. PIO messages are
 * limited to DK_I2C_FIFO_DEPTH bytes. START while BUSY is ERROR (the
 * running message is not disturbed).
 *
 * DREQ messages (any length up to DK_I2C_MAX_LEN) move their data through
 * the FIFO one byte per DK_I2C_BYTE_CYCLES, for a DMA controller wired by
 * the tree ("dmas", "dma-names" = "tx", "rx"; include/dmakit/models/
 * dreq.h): the FIFO starts empty; "tx" is asserted while a write still
 * needs bytes and the FIFO has room for min(DK_I2C_DMA_WATERMARK, bytes
 * still needed); "rx" while a read's FIFO holds min(DK_I2C_DMA_WATERMARK,
 * bytes not yet taken). The wire waits (clock stretching) while a write's
 * FIFO is empty or a read's is full. DONE shows when the last byte has
 * crossed the wire; a read's last bytes may still be in the FIFO then.
 *
 * The EEPROM: a write message's first data byte sets the word address, the
 * following bytes are stored there, wrapping inside their 16-byte page; a
 * read message returns bytes from the word address on, wrapping at 256. Its
 * contents start as DK_I2C_EEPROM_INIT(offset). Writes complete at once (no
 * write-cycle time is modelled).
 *
 * Cost model. One cycle is one tick of dk_soc_now(). Every register access
 * stalls the CPU for DK_I2C_MMIO_CYCLES (include/dmakit/models/stall.h),
 * so polling STATUS lets the transfer progress. On the wire each byte,
 * including the address byte, takes DK_I2C_BYTE_CYCLES. A DMA message
 * costs, on top: DK_I2C_DMA_SETUP_CYCLES before the first byte moves;
 * DK_I2C_MAINT_CYCLES per cache line of the buffer that the CPU had to
 * clean before (charged to the CTRL write that starts it: the barrier in
 * writel() waits for that maintenance) and, for reads, to invalidate after
 * (charged before DONE shows); and DK_I2C_IRQ_CYCLES between the last byte
 * and DONE, for taking the completion interrupt and waking the waiting
 * driver. No maintenance is charged when the tree says the controller is
 * dma-coherent.
 */
#ifndef DMAKIT_MODELS_I2C_H
#define DMAKIT_MODELS_I2C_H

#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_I2C_ID		0x444b4932u
#define DK_I2C_REG_ID		0x00
#define DK_I2C_REG_CTRL		0x04
#define DK_I2C_REG_STATUS	0x08
#define DK_I2C_REG_ADDR		0x0c
#define DK_I2C_REG_LEN		0x10
#define DK_I2C_REG_DMA_LO	0x14
#define DK_I2C_REG_DMA_HI	0x18
#define DK_I2C_REG_FIFO		0x1c
#define DK_I2C_REG_LEVEL	0x20
#define DK_I2C_REG_SIZE		0x24	/* smallest "reg" window */

#define DK_I2C_CTRL_START	(1u << 0)
#define DK_I2C_CTRL_READ	(1u << 1)
#define DK_I2C_CTRL_DMA		(1u << 2)
#define DK_I2C_CTRL_STOP	(1u << 3)
#define DK_I2C_CTRL_IRQEN	(1u << 4)
#define DK_I2C_CTRL_DREQ	(1u << 5)

#define DK_I2C_ST_BUSY		(1u << 0)
#define DK_I2C_ST_DONE		(1u << 1)
#define DK_I2C_ST_NACK		(1u << 2)
#define DK_I2C_ST_ERROR		(1u << 3)

#define DK_I2C_FIFO_DEPTH	16
#define DK_I2C_MAX_LEN		65535
#define DK_I2C_DMA_WATERMARK	8

/* Cost model, in cycles (see above). */
#define DK_I2C_MMIO_CYCLES	20
#define DK_I2C_BYTE_CYCLES	90
#define DK_I2C_DMA_SETUP_CYCLES	300
#define DK_I2C_MAINT_CYCLES	10
#define DK_I2C_IRQ_CYCLES	500

/* The EEPROM behind the controller. */
#define DK_I2C_EEPROM_ADDR	0x50
#define DK_I2C_EEPROM_SIZE	256
#define DK_I2C_EEPROM_PAGE	16
#define DK_I2C_EEPROM_INIT(off)	((u8)((off) * 7 + 0x30))

#ifdef __cplusplus
}
#endif

#endif
