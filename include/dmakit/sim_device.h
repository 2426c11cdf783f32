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

/**
 * dk_dev_dma_read() - a bus master reads memory, through the whole
 * interconnect path (wired bits, IOMMU or dma-ranges, firewall, cache
 * coherence rules).
 * @dev: the master.
 * @addr: the device address it emits.
 * @buf: where the bytes go.
 * @len: how many.
 *
 * Return: 0, -EFAULT if the interconnect refused (fault recorded, @buf
 * untouched), -EINVAL for NULL or an overflowing range.
 */
int dk_dev_dma_read(struct dk_simdev *dev, dma_addr_t addr, void *buf,
		    size_t len);
/**
 * dk_dev_dma_write() - a bus master writes memory, through the whole
 * interconnect path.
 * @dev: the master.
 * @addr: the device address it emits.
 * @buf: the bytes.
 * @len: how many.
 *
 * Return: 0, -EFAULT if the interconnect refused (fault recorded, memory
 * untouched), -EINVAL for NULL or an overflowing range.
 */
int dk_dev_dma_write(struct dk_simdev *dev, dma_addr_t addr, const void *buf,
		     size_t len);

/**
 * dk_dev_translate() - where a device address lands, without accessing
 * it. Records nothing.
 * @dev: the master.
 * @addr: the device address.
 * @len: the length of the access.
 * @write: whether it would write (for IOMMU permissions).
 * @pa: set to the CPU physical address on success.
 *
 * Return: 0, or the fault reason negated minus one (-1 - enum
 * dk_fault_reason) if the path refuses it.
 */
int dk_dev_translate(struct dk_simdev *dev, dma_addr_t addr, size_t len,
		     bool write, phys_addr_t *pa);

/*
 * MMIO: 32-bit register access to the device model behind @dev's "reg".
 * Reads of an offset the model does not implement return 0; writes are
 * ignored.
 */
/**
 * dk_dev_mmio_read32() - read a register of a device model.
 * @dev: the device.
 * @offset: bytes into its "reg" window, 4-byte aligned.
 *
 * Return: the value; 0 for an offset outside the window or not 4-byte
 * aligned, or a device with no model registers (-EINVAL in
 * dk_last_error()).
 */
u32 dk_dev_mmio_read32(struct dk_simdev *dev, u64 offset);
/**
 * dk_dev_mmio_write32() - write a register of a device model.
 * @dev: the device.
 * @offset: bytes into its "reg" window, 4-byte aligned.
 * @val: the value.
 *
 * Return: 0, or -EINVAL for an offset outside the window or not 4-byte
 * aligned, or a device with no model registers.
 */
int dk_dev_mmio_write32(struct dk_simdev *dev, u64 offset, u32 val);

/**
 * dk_simdev_soc() - the SoC a device belongs to.
 * @dev: the device.
 *
 * Return: the SoC; NULL for a device of a SoC not live.
 */
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
	/* A DMA controller: request line @line of a peripheral it serves
	 * rose or fell (include/dmakit/models/dreq.h). */
	void (*dma_request)(struct dk_simdev *dev, u32 line, bool active);
};

/**
 * dk_simdev_priv() - a device model's private state.
 * @dev: the device.
 *
 * Return: what dk_simdev_set_priv() stored; NULL for none or a device of
 * a SoC not live.
 */
void *dk_simdev_priv(struct dk_simdev *dev);
/**
 * dk_simdev_set_priv() - store a device model's private state (at probe).
 * @dev: the device.
 * @priv: the state; the model's remove frees it.
 */
void dk_simdev_set_priv(struct dk_simdev *dev, void *priv);

/**
 * dk_models() - every device model dmakit has.
 *
 * Return: a static table, NULL-terminated.
 */
const struct dk_model_ops *const *dk_models(void);
/**
 * dk_model_find() - the model that serves a compatible string.
 * @compatible: e.g. "dmakit,m2m-dma".
 *
 * Return: the model, or NULL if none (or for NULL).
 */
const struct dk_model_ops *dk_model_find(const char *compatible);

#ifdef __cplusplus
}
#endif

#endif
