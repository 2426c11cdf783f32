/* SPDX-License-Identifier: MIT */
/*
 * "dmakit,dwc3": a dual-role USB controller in the style of Synopsys'
 * DWC3: one block of silicon, one bus master, two register sets. The
 * glue registers (GCTL, GSNPSID) belong to the dwc3 driver; in host mode
 * the block is an xHCI-style host controller, driven by a generic host
 * driver bound to a child device the dwc3 driver creates. Whatever device
 * the software calls it, every DMA access comes from this node's master
 * port, with this node's place on the interconnect (dma-ranges, coherence,
 * wired address bits).
 *
 * One USB device is attached: a bulk-IN endpoint whose bytes tests supply
 * with dk_dwc3_queue_bulk_in().
 *
 * Register map (32-bit registers, offsets from "reg"):
 *   host controller (xHCI-style, a subset):
 *   0x020 USBCMD    RW  RUN (bit 0) the controller runs (a TRB in flight
 *                       when it is cleared still completes); INTE (bit 2)
 *                       events and host system errors raise the interrupt
 *   0x024 USBSTS    HCH (bit 0, RO) halted: RUN is clear; HSE (bit 2,
 *                       RW1C) host system error: a DMA access was refused
 *                       and the controller cleared RUN; EINT (bit 3, RW1C)
 *                       an event was posted
 *   0x030 TR_LO     RW  transfer ring dequeue pointer bits 31:4, and the
 *                       consumer cycle state in bit 0
 *   0x034 TR_HI     RW  dequeue pointer bits 63:32
 *   0x038 ER_LO     RW  event ring base bits 31:4
 *   0x03c ER_HI     RW  bits 63:32
 *   0x040 ER_SIZE   RW  event TRBs in the ring, 1..4096 (0: no ring).
 *                       Writing ER_LO, ER_HI or ER_SIZE restarts the
 *                       producer at the base with cycle state 1.
 *   0x044 DOORBELL  WO  any value: look at the transfer ring
 *   0x048 EVENTS    RO  events posted since the SoC was built
 *   glue (DWC3-style):
 *   0xc110 GCTL     RW  PRTCAPDIR (bits 13:12): 1 host, 2 device (reset),
 *                       3 OTG. The host controller works only in host mode.
 *   0xc120 GSNPSID  RO  0x5533444b ("U3DK")
 *
 * TRBs are 16 bytes of little-endian DMA memory: u64 param; u32 status;
 * u32 control. In control, bit 0 is the cycle bit and bits 15:10 the type.
 *   Normal (type 1), read: param = data buffer address, status bits 16:0 =
 *     bytes to receive, control IOC (bit 5) = post an event when done.
 *   Link (type 6), read: param = address of the next TRB, control TC
 *     (bit 1) = toggle the consumer cycle state.
 *   Transfer Event (type 32), written to the event ring: param = address
 *     of the Normal TRB, status bits 31:24 completion code (1 success,
 *     13 short packet) and bits 23:0 the bytes NOT received.
 * The controller consumes TRBs whose cycle bit equals its consumer cycle
 * state and stops at the first that does not (software has not produced
 * it yet). A Normal TRB takes up to its length from the endpoint; fewer
 * bytes (the device had no more) end it as a short packet, which always
 * posts an event. With no byte at all the endpoint NAKs: the controller
 * waits at that TRB until dk_dwc3_queue_bulk_in() supplies data. Events
 * are written at the producer position with the producer cycle state,
 * which toggles each time the producer wraps; the controller does not
 * check that software consumed them. A refused DMA access (TRB, data or
 * event) sets HSE and halts.
 *
 * Timing: each Normal TRB completes DK_DWC3_TRB_CYCLES plus one cycle per
 * DK_DWC3_BYTES_PER_CYCLE bytes after the controller fetched it.
 */
#ifndef DMAKIT_MODELS_DWC3_H
#define DMAKIT_MODELS_DWC3_H

#include <dmakit/soc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_XHCI_USBCMD		0x020
#define DK_XHCI_USBSTS		0x024
#define DK_XHCI_TR_LO		0x030
#define DK_XHCI_TR_HI		0x034
#define DK_XHCI_ER_LO		0x038
#define DK_XHCI_ER_HI		0x03c
#define DK_XHCI_ER_SIZE		0x040
#define DK_XHCI_DOORBELL	0x044
#define DK_XHCI_EVENTS		0x048
#define DK_DWC3_GCTL		0xc110
#define DK_DWC3_GSNPSID		0xc120
#define DK_DWC3_REGS_END	0xc124

#define DK_DWC3_ID		0x5533444bu
#define DK_DWC3_GCTL_PRTCAP(x)	((u32)(x) << 12)
#define DK_DWC3_GCTL_PRTCAP_MASK	(3u << 12)
#define DK_DWC3_PRTCAP_HOST	1
#define DK_DWC3_PRTCAP_DEVICE	2
#define DK_DWC3_PRTCAP_OTG	3

#define DK_XHCI_CMD_RUN		(1u << 0)
#define DK_XHCI_CMD_INTE	(1u << 2)
#define DK_XHCI_STS_HCH		(1u << 0)
#define DK_XHCI_STS_HSE		(1u << 2)
#define DK_XHCI_STS_EINT	(1u << 3)

#define DK_XHCI_TRB_SIZE	16
#define DK_XHCI_TRB_CYCLE	(1u << 0)
#define DK_XHCI_TRB_TC		(1u << 1)
#define DK_XHCI_TRB_IOC		(1u << 5)
#define DK_XHCI_TRB_TYPE(t)	((u32)(t) << 10)
#define DK_XHCI_TRB_TYPE_OF(c)	(((c) >> 10) & 0x3f)
#define DK_XHCI_TRB_NORMAL	1
#define DK_XHCI_TRB_LINK	6
#define DK_XHCI_TRB_TRANSFER_EVENT	32
#define DK_XHCI_TRB_LEN_MASK	0x1ffffu
#define DK_XHCI_EV_CODE(s)	((s) >> 24)
#define DK_XHCI_EV_RESIDUE(s)	((s) & 0xffffffu)
#define DK_XHCI_CC_SUCCESS	1
#define DK_XHCI_CC_SHORT_PACKET	13

#define DK_XHCI_MAX_ER		4096
#define DK_DWC3_TRB_CYCLES	100
#define DK_DWC3_BYTES_PER_CYCLE	8

struct dk_simdev;

/*
 * dk_dwc3_queue_bulk_in - the attached device has @len more bytes to send
 * on its bulk-IN endpoint; a controller waiting for them resumes.
 * Returns 0, -EINVAL for a device that is not a "dmakit,dwc3" or NULL
 * @data with @len > 0, -ENOMEM.
 */
int dk_dwc3_queue_bulk_in(struct dk_simdev *dev, const void *data,
			  size_t len);

#ifdef __cplusplus
}
#endif

#endif
