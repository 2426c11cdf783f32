/* SPDX-License-Identifier: MIT */
/*
 * Peripheral DMA request lines and the register accesses of bus masters,
 * for device models.
 *
 * A peripheral with a FIFO tells the DMA controller when it wants service
 * by asserting a request line: "tx" while its transmit FIFO has room for
 * a burst, "rx" while its receive FIFO holds one. Which controller and
 * which line is the tree's business: the peripheral's "dmas" entry named
 * so in its "dma-names" (its first argument cell is the line). The
 * controller then moves data with register accesses of its own to the
 * FIFO register, which do not stall the CPU (they are not the CPU's).
 */
#ifndef DMAKIT_MODELS_DREQ_H
#define DMAKIT_MODELS_DREQ_H

#include <dmakit/sim_device.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dk_simdev_dma_request() - assert or deassert a peripheral's request
 * line. Repeating the current level is harmless: controllers act on the
 * level.
 * @dev: the peripheral.
 * @name: its "dma-names" entry ("tx", "rx").
 * @active: the new level.
 *
 * Context: from the peripheral's register handlers and events; the
 * controller may move data (calling back into @dev's registers) before
 * it returns.
 * Return: true if the line is wired (the tree names a controller with a
 * model that takes requests), false if not: the peripheral has no DMA;
 * false too for a NULL @name or a device not live.
 */
bool dk_simdev_dma_request(struct dk_simdev *dev, const char *name,
			   bool active);

/**
 * dk_bus_mmio_read32() - a bus master reads a 32-bit device register at
 * CPU physical address @pa, without stalling the CPU.
 * @master: the master (for messages).
 * @pa: the register.
 * @val: set to the value.
 *
 * Return: 0, or -EFAULT when no device's "reg" window holds @pa, @val is
 * NULL or @master is not live (with a message).
 */
int dk_bus_mmio_read32(struct dk_simdev *master, phys_addr_t pa, u32 *val);
/**
 * dk_bus_mmio_write32() - a bus master writes a 32-bit device register.
 * @master: the master.
 * @pa: the register.
 * @val: the value.
 *
 * Return: 0, or -EFAULT when no device's "reg" window holds @pa or
 * @master is not live (with a message).
 */
int dk_bus_mmio_write32(struct dk_simdev *master, phys_addr_t pa, u32 val);

#ifdef __cplusplus
}
#endif

#endif
