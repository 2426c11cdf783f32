/* SPDX-License-Identifier: MIT */
/*
 * The device side of the simulated SoC: how bus masters reach memory, how
 * the CPU reaches their registers, and how device models plug in.
 *
 * Every device access takes one path: device address -> truncation to the
 * wired address bits -> dma-ranges translation -> firewall -> RAM with the
 * coherence rules of the device. A refused access is recorded as a fault
 * (dk_soc_fault()) and nothing is transferred.
 */
#ifndef DMAKIT_SIM_DEVICE_H
#define DMAKIT_SIM_DEVICE_H

#include <dmakit/soc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * dk_dev_dma_read - @dev reads @len bytes at device address @addr.
 * dk_dev_dma_write - @dev writes them.
 * Returns 0, -EFAULT if the interconnect refused (fault recorded, @buf
 * untouched for reads, memory untouched for writes), -EINVAL for NULL or
 * an overflowing range.
 */
int dk_dev_dma_read(struct dk_simdev *dev, dma_addr_t addr, void *buf,
		    size_t len);
int dk_dev_dma_write(struct dk_simdev *dev, dma_addr_t addr, const void *buf,
		     size_t len);

/*
 * dk_dev_translate - where a device address lands, without accessing it.
 * Returns 0 and the CPU physical address, or the fault reason negated
 * minus one (-1 - enum dk_fault_reason) if the path refuses it. Records
 * nothing.
 */
int dk_dev_translate(struct dk_simdev *dev, dma_addr_t addr, size_t len,
		     bool write, phys_addr_t *pa);

/*
 * MMIO: 32-bit register access to the device model behind @dev's "reg".
 * Reads of an offset the model does not implement return 0; writes are
 * ignored. Returns -EINVAL (reads: 0) for an offset outside the window or
 * not 4-byte aligned, or a device with no model registers.
 */
u32 dk_dev_mmio_read32(struct dk_simdev *dev, u64 offset);
int dk_dev_mmio_write32(struct dk_simdev *dev, u64 offset, u32 val);

/* The SoC a device belongs to. */
struct dk_soc *dk_simdev_soc(struct dk_simdev *dev);

/*
 * Device models. A model is chosen by the node's first compatible string.
 * It gets its private state at probe time and serves MMIO.
 */
struct dk_model_ops {
	const char *compatible;
	const char *summary;
	bool needs_reg;		/* the node must have "reg" */
	int (*probe)(struct dk_simdev *dev);	/* 0 or -errno */
	void (*remove)(struct dk_simdev *dev);
	u32 (*mmio_read)(struct dk_simdev *dev, u64 offset);
	void (*mmio_write)(struct dk_simdev *dev, u64 offset, u32 val);
};

/* Private model state of @dev. */
void *dk_simdev_priv(struct dk_simdev *dev);
void dk_simdev_set_priv(struct dk_simdev *dev, void *priv);

/* The model table (NULL-terminated) and lookup by compatible. */
const struct dk_model_ops *const *dk_models(void);
const struct dk_model_ops *dk_model_find(const char *compatible);

#ifdef __cplusplus
}
#endif

#endif
