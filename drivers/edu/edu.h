/* SPDX-License-Identifier: MIT */
/*
 * A driver for QEMU's "edu" teaching device (PCI 1234:11e8), written with
 * dmakit's Linux API: a DMA engine between RAM and a 4 KiB buffer inside
 * the device, whose address lines stop at bit 27 (it silently clamps
 * every address to 28 bits: the reason for its DMA mask).
 */
#ifndef DMAKIT_DRIVERS_EDU_H
#define DMAKIT_DRIVERS_EDU_H

#include <dmakit/device.h>
#include <dmakit/io.h>
#include <dmakit/types.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
/* The device's buffer, and the largest transfer (QEMU 7.2 aborts on a
 * full 4096-byte one). */
#define EDU_BUF 0x40000
#define EDU_BUF_SIZE 4096
#define EDU_MAX_XFER 4095

struct edu {
	struct device *dev;
	void __iomem *regs;
	/* Completion interrupts seen (the handler counts them). */
	volatile unsigned int irqs;
	u32 irq_status;
};

/*
 * The DMA mask the driver sets at probe, in bits: 28 (what the device's
 * wires carry) unless a test asks for a wrong one; 0 sets none, as a
 * driver that forgets to.
 */
extern unsigned int edu_mask_bits;
extern struct device_driver edu_driver;

/* The bound driver's state of @dev; NULL if edu_driver is not bound. */
struct edu *edu_of(struct device *dev);
/* Liveness check: the device returns @v inverted. */
u32 edu_invert(struct edu *e, u32 v);
/*
 * One DMA of @len (1..EDU_MAX_XFER) bytes between the device address
 * @addr and the device's buffer at @off, towards RAM if @to_ram, and wait
 * for it; with @irq the device raises its interrupt when done and the
 * wait is for that. 0, -EINVAL, or -ETIMEDOUT (no completion in 5 s).
 */
int edu_dma(struct edu *e, dma_addr_t addr, u32 off, u32 len, bool to_ram,
	    bool irq);

#endif
