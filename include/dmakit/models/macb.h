/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,macb": the receive side of an Ethernet MAC in the style of
 * Cadence's MACB/GEM, as far as a driver's RX ring needs it. Frames come
 * from the wire through dk_macb_inject_rx(); the MAC writes each into the
 * buffers of the receive descriptor ring in DMA memory, hands the
 * descriptors to software and raises its interrupt.
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   0x000 NCR      RW  network control: RE (bit 2) enables the receiver.
 *                      Clearing RE rewinds reception to the first
 *                      descriptor of the ring.
 *   0x004 RXBUFSZ  RW  bytes in each receive buffer: a multiple of 64 from
 *                      64 to 16320; other values are rounded down to a
 *                      multiple of 64 and clamped to that range. Reset 128.
 *   0x008 RBQP_LO  RW  device address of the first RX descriptor, low 32
 *                      bits (bits 3:0 read as 0). Writing rewinds.
 *   0x00c RBQP_HI  RW  high 32 bits. Writing rewinds.
 *   0x010 RSR      RW1C  receive status: BNA (bit 0) a frame met a
 *                      descriptor software still owned; REC (bit 1) a frame
 *                      was received; HNO (bit 3) the interconnect refused a
 *                      DMA access.
 *   0x014 ISR      RW1C  interrupt status: RCOMP (bit 1) a frame was
 *                      received; RXUBR (bit 2) a frame met a used
 *                      descriptor and was dropped; HRESP (bit 11) DMA error.
 *   0x018 IER      WO  1 bits are set in IMR
 *   0x01c IDR      WO  1 bits are cleared in IMR
 *   0x020 IMR      RO  interrupt enables: an ISR bit raises the interrupt
 *                      when its IMR bit is 1 (note: real MACBs read 1 as
 *                      "masked"; here 1 means enabled)
 *   0x024 FRAMES   RO  frames received since the SoC was built
 *   0x028 DROPS    RO  frames dropped: receiver off, no free descriptor, or
 *                      a DMA error
 *   0x0fc MID      RO  0x444b4d42 ("DKMB")
 *
 * RX descriptor: 16 bytes of little-endian DMA memory, in a ring that ends
 * at the descriptor with WRAP set:
 *   u32 addr    bits 31:2 buffer address bits 31:2 (the buffer is 4-byte
 *               aligned), WRAP (bit 1), USED (bit 0): 0 = the MAC may fill
 *               the buffer, 1 = software owns it
 *   u32 status  written by the MAC: LEN (bits 12:0) the whole frame's
 *               length, valid in the descriptor with EOF; SOF (bit 14) the
 *               frame's first buffer; EOF (bit 15) its last
 *   u32 addr_hi buffer address bits 63:32
 *   u32 reserved, never written by the MAC
 *
 * Reception of a frame of L bytes needs ceil(L / RXBUFSZ) consecutive
 * descriptors without USED. The MAC reads them all first; if one is USED
 * the frame is dropped (RSR.BNA, ISR.RXUBR) and the ring does not move.
 * Otherwise, buffer by buffer, it writes the data, then the status word,
 * then the addr word with USED set, so software that sees USED sees the
 * rest. A refused DMA access drops the rest of the frame (RSR.HNO,
 * ISR.HRESP); the descriptors already handed over stay handed over.
 *
 * Timing: a frame arrives DK_MACB_WIRE_CYCLES + L / DK_MACB_BYTES_PER_CYCLE
 * cycles after the previous one finished arriving (or after injection, if
 * the wire was idle). Frames arrive in the order they were injected.
 */
#ifndef DMAKIT_MODELS_MACB_H
#define DMAKIT_MODELS_MACB_H

#include <dmakit/soc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_MACB_MID		0x444b4d42u
#define DK_MACB_NCR		0x000
#define DK_MACB_RXBUFSZ		0x004
#define DK_MACB_RBQP_LO		0x008
#define DK_MACB_RBQP_HI		0x00c
#define DK_MACB_RSR		0x010
#define DK_MACB_ISR		0x014
#define DK_MACB_IER		0x018
#define DK_MACB_IDR		0x01c
#define DK_MACB_IMR		0x020
#define DK_MACB_FRAMES		0x024
#define DK_MACB_DROPS		0x028
#define DK_MACB_REG_MID		0x0fc

#define DK_MACB_NCR_RE		(1u << 2)
#define DK_MACB_RSR_BNA		(1u << 0)
#define DK_MACB_RSR_REC		(1u << 1)
#define DK_MACB_RSR_HNO		(1u << 3)
#define DK_MACB_INT_RCOMP	(1u << 1)
#define DK_MACB_INT_RXUBR	(1u << 2)
#define DK_MACB_INT_HRESP	(1u << 11)

#define DK_MACB_DESC_SIZE	16
#define DK_MACB_RX_USED		(1u << 0)
#define DK_MACB_RX_WRAP		(1u << 1)
#define DK_MACB_RX_ADDR_MASK	0xfffffffcu
#define DK_MACB_RX_LEN_MASK	0x1fffu
#define DK_MACB_RX_SOF		(1u << 14)
#define DK_MACB_RX_EOF		(1u << 15)

#define DK_MACB_MAX_FRAME	10240	/* jumbo frames and no more */
#define DK_MACB_WIRE_CYCLES	64
#define DK_MACB_BYTES_PER_CYCLE	8

struct dk_simdev;

/*
 * dk_macb_inject_rx - a frame of @len bytes arrives from the wire: the MAC
 * will receive it from the event loop (see "Timing" above), and whatever
 * it finds then (receiver off, ring full) decides its fate.
 * Returns 0, -EINVAL for a device that is not a "dmakit,macb", NULL @data
 * or @len outside 1..DK_MACB_MAX_FRAME, -ENOMEM.
 */
int dk_macb_inject_rx(struct dk_simdev *dev, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
