/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,sdhci-adma2": an SD host controller in the style of SDHCI, with
 * an SD card inserted, that moves data only with ADMA2 in its 64-bit
 * descriptor format. Its capabilities register claims 64-bit DMA; how many
 * address bits the board wires is the tree's business
 * ("dmakit,address-bits"), which is the point of "More RAM = More Crashes".
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x004 BLOCK     RW  block size (bits 15:0, must be 512 for data
 *                       commands) and block count (bits 31:16)
 *   0x008 ARGUMENT  RW  command argument: the card block number for the
 *                       read and write commands
 *   0x00c COMMAND   RW  transfer mode (bits 15:0): DMA (bit 0) must be set
 *                       for data commands; command (bits 31:16): index in
 *                       bits 29:24, DATA (bit 21) a data command. Writing
 *                       issues the command.
 *   0x024 PRESENT   RO  CMD_INHIBIT (bit 0) and DAT_INHIBIT (bit 1) while a
 *                       command runs; CARD_INSERTED (bit 16)
 *   0x028 HOST_CTRL RW  DMA select (bits 4:3): must be 3, ADMA2 with
 *                       64-bit descriptors, for data commands
 *   0x030 INT_STATUS RW1C CMD_COMPLETE (bit 0), XFER_COMPLETE (bit 1),
 *                       DMA_INT (bit 3) a descriptor with INT was done,
 *                       ERROR (bit 15) any error bit below is set,
 *                       CMD_ERROR (bit 16) bad command or argument,
 *                       ADMA_ERROR (bit 25)
 *   0x038 INT_SIGNAL RW which INT_STATUS bits raise the interrupt
 *   0x040 CAPS      RO  ADMA2 (bit 19), 64BIT (bit 28): "can address 64 bits"
 *   0x054 ADMA_ERR  RO  after an ADMA error: state (bits 1:0: 1 fetching a
 *                       descriptor, 3 transferring data), LENGTH_MISMATCH
 *                       (bit 2); cleared when a command is issued
 *   0x058 ADMA_LO   RW  device address of the descriptor table, bits 31:0
 *   0x05c ADMA_HI   RW  bits 63:32
 *   0x0fc ID        RO  0x444b5344 ("DKSD")
 *
 * Commands: 17 READ_SINGLE_BLOCK and 18 READ_MULTIPLE_BLOCK move card
 * blocks to memory, 24 WRITE_BLOCK and 25 WRITE_MULTIPLE_BLOCK memory to
 * the card (17 and 24 move one block whatever the count says). Any other
 * index, a missing DATA or DMA bit, a block size other than 512, a block
 * count of 0, blocks beyond the card, or a command issued while one runs
 * sets CMD_ERROR|ERROR at once (the running command goes on) and moves
 * nothing.
 *
 * ADMA2 descriptor: 16 bytes of little-endian DMA memory:
 *   u16 attr    VALID (bit 0), END (bit 1), INT (bit 2), ACT (bits 5:4):
 *               0 nop, 2 transfer, 3 link (addr is the next descriptor)
 *   u16 len     bytes to transfer; 0 means 65536
 *   u32 addr_lo
 *   u32 addr_hi
 *   u32 reserved
 * The engine starts at ADMA_LO/HI and follows the table until the
 * descriptor with END. A descriptor without VALID, more than
 * DK_SDHCI_MAX_DESC descriptors, or a refused DMA access stops it with an
 * ADMA error; so does a table whose transfer descriptors do not add up to
 * exactly the blocks of the command (LENGTH_MISMATCH). Data already moved
 * stays moved. On success XFER_COMPLETE follows CMD_COMPLETE.
 *
 * Timing: DK_SDHCI_CMD_CYCLES after the command is written CMD_COMPLETE is
 * set and the engine starts; each descriptor then takes
 * DK_SDHCI_DESC_CYCLES plus one cycle per DK_SDHCI_BYTES_PER_CYCLE bytes.
 */
#ifndef DMAKIT_MODELS_SDHCI_ADMA2_H
#define DMAKIT_MODELS_SDHCI_ADMA2_H

#include <dmakit/soc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_SDHCI_ID		0x444b5344u
#define DK_SDHCI_BLOCK		0x004
#define DK_SDHCI_ARGUMENT	0x008
#define DK_SDHCI_COMMAND	0x00c
#define DK_SDHCI_PRESENT	0x024
#define DK_SDHCI_HOST_CTRL	0x028
#define DK_SDHCI_INT_STATUS	0x030
#define DK_SDHCI_INT_SIGNAL	0x038
#define DK_SDHCI_CAPS		0x040
#define DK_SDHCI_ADMA_ERR	0x054
#define DK_SDHCI_ADMA_LO	0x058
#define DK_SDHCI_ADMA_HI	0x05c
#define DK_SDHCI_REG_ID		0x0fc

#define DK_SDHCI_BLOCK_VAL(size, count)	((u32)(size) | (u32)(count) << 16)
#define DK_SDHCI_MODE_DMA	(1u << 0)
#define DK_SDHCI_CMD_DATA	(1u << 21)
#define DK_SDHCI_CMD_INDEX(i)	((u32)(i) << 24)
#define DK_SDHCI_CMD_READ_SINGLE	17
#define DK_SDHCI_CMD_READ_MULTIPLE	18
#define DK_SDHCI_CMD_WRITE_SINGLE	24
#define DK_SDHCI_CMD_WRITE_MULTIPLE	25

#define DK_SDHCI_PRESENT_CMD_INHIBIT	(1u << 0)
#define DK_SDHCI_PRESENT_DAT_INHIBIT	(1u << 1)
#define DK_SDHCI_PRESENT_CARD		(1u << 16)
#define DK_SDHCI_CTRL_ADMA64	(3u << 3)
#define DK_SDHCI_CTRL_DMA_MASK	(3u << 3)

#define DK_SDHCI_INT_CMD_COMPLETE	(1u << 0)
#define DK_SDHCI_INT_XFER_COMPLETE	(1u << 1)
#define DK_SDHCI_INT_DMA		(1u << 3)
#define DK_SDHCI_INT_ERROR		(1u << 15)
#define DK_SDHCI_INT_CMD_ERROR		(1u << 16)
#define DK_SDHCI_INT_ADMA_ERROR		(1u << 25)

#define DK_SDHCI_CAPS_ADMA2	(1u << 19)
#define DK_SDHCI_CAPS_64BIT	(1u << 28)

#define DK_SDHCI_ADMA_ST_FDS	1u
#define DK_SDHCI_ADMA_ST_TFR	3u
#define DK_SDHCI_ADMA_LEN_MISMATCH	(1u << 2)

#define DK_SDHCI_DESC_SIZE	16
#define DK_SDHCI_DESC_VALID	(1u << 0)
#define DK_SDHCI_DESC_END	(1u << 1)
#define DK_SDHCI_DESC_INT	(1u << 2)
#define DK_SDHCI_DESC_NOP	(0u << 4)
#define DK_SDHCI_DESC_TRAN	(2u << 4)
#define DK_SDHCI_DESC_LINK	(3u << 4)
#define DK_SDHCI_DESC_ACT_MASK	(3u << 4)

#define DK_SDHCI_BLOCK_SIZE	512
#define DK_SDHCI_CARD_BLOCKS	256	/* a 128 KiB card */
#define DK_SDHCI_MAX_DESC	1024
#define DK_SDHCI_CMD_CYCLES	50
#define DK_SDHCI_DESC_CYCLES	20
#define DK_SDHCI_BYTES_PER_CYCLE	8

struct dk_simdev;

/*
 * dk_sdhci_card_read / dk_sdhci_card_write - the card's contents, as a
 * card reader on the test's host would see them: @n blocks from block
 * @lba into or out of @buf. A fresh card holds zeros.
 * Return 0, or -EINVAL for a device that is not a "dmakit,sdhci-adma2",
 * a NULL @buf or blocks beyond the card.
 */
int dk_sdhci_card_read(struct dk_simdev *dev, u32 lba, void *buf, u32 n);
int dk_sdhci_card_write(struct dk_simdev *dev, u32 lba, const void *buf,
			u32 n);

#ifdef __cplusplus
}
#endif

#endif
