/* SPDX-License-Identifier: MIT */
/*
 * <linux/device.h> for driver code built against dmakit:
 * struct device, drivers and devres, bare devices (device_initialize(),
 * device_add(): what the kernel's own self-tests make), dev_err_probe().
 */
#ifndef DMAKIT_COMPAT_LINUX_DEVICE_H
#define DMAKIT_COMPAT_LINUX_DEVICE_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/types.h>
/* What Linux's <linux/device.h> brings with it, which drivers rely on:
 * locks, completions, wait queues, kmalloc(). */
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <dmakit/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values of device_driver.probe_type; every probe here is synchronous. */
enum probe_type {
	PROBE_DEFAULT_STRATEGY,
	PROBE_PREFER_ASYNCHRONOUS,
	PROBE_FORCE_SYNCHRONOUS,
};

/*
 * Bare devices: a struct device the caller owns (static, or inside its
 * own structure), with no tree node. device_add() makes it a device of
 * the current machine (32-bit DMA masks, not coherent, as Linux gives a
 * device no firmware describes); device_del() takes it off again (and
 * the machine's shutdown does, for one still added); the last
 * put_device() calls its ->release.
 */
/**
 * device_initialize() - prepare a bare device: one reference, not added.
 * @dev: the device, zeroed by its owner (fields such as ->release and
 *       ->dma_mask may be set before or after).
 */
void device_initialize(struct device *dev);

/**
 * dev_set_name() - name a device (what dev_name() returns).
 * @dev: a bare device.
 * @fmt: printf format.
 * @...: its arguments.
 *
 * Return: 0, -EINVAL for NULL, -ENOMEM.
 */
int dev_set_name(struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * device_add() - add an initialized bare device to the current machine.
 * It may then be mapped for, allocated for and bound (its name is matched
 * against nothing: bind with device_bind_driver()).
 * @dev: the device.
 *
 * Return: 0, -EINVAL (NULL, not initialized, no name: "device_add: device
 * has no name"), -EBUSY (already added), -ENODEV (no machine runs).
 */
int device_add(struct device *dev);

/**
 * device_register() - device_initialize(), then device_add().
 * @dev: the device, zeroed by its owner.
 *
 * Return: as device_add(); on failure the caller still drops the
 * reference with put_device(), as in Linux.
 */
int device_register(struct device *dev);

/**
 * device_del() - unbind and take an added bare device off its machine;
 * the caller's reference stays.
 * @dev: the device; one not added is reported.
 */
void device_del(struct device *dev);

/**
 * get_device() - take a reference to a bare device.
 * @dev: the device, or NULL.
 *
 * Return: @dev.
 */
struct device *get_device(struct device *dev);

/**
 * put_device() - drop a reference; the last one deletes a device still
 * added, frees its name and calls ->release (a missing ->release is
 * reported, as Linux does). Devices of the tree are not counted: nothing
 * happens to them.
 * @dev: the device, or NULL.
 */
void put_device(struct device *dev);

/**
 * dev_err_probe() - the probe-error idiom: print "error N: message" at
 * level "err" unless @err is -EPROBE_DEFER (a resource not there yet is
 * no error), and give @err back.
 * @dev: the device.
 * @err: a negative errno.
 * @fmt: printf format.
 * @...: its arguments.
 *
 * Return: @err.
 */
int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * devm_add_action_or_reset() - devm_add_action(), running @action at once
 * if it cannot be added.
 * @dev: a live device.
 * @action: the function.
 * @data: its argument.
 *
 * Return: as devm_add_action().
 */
static inline int devm_add_action_or_reset(struct device *dev,
					   void (*action)(void *), void *data)
{
	int r = devm_add_action(dev, action, data);

	if (r)
		action(data);
	return r;
}

/**
 * devm_kmalloc_array() - devm_kmalloc() of @n objects of @size bytes.
 * @dev: a live device.
 * @n: how many.
 * @size: bytes each.
 * @gfp: as for devm_kmalloc().
 *
 * Return: the memory, or NULL (also when @n * @size overflows).
 */
static inline void *devm_kmalloc_array(struct device *dev, size_t n,
				       size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return devm_kmalloc(dev, bytes, gfp);
}

/**
 * devm_kcalloc() - devm_kmalloc_array() zeroed.
 * @dev: a live device.
 * @n: how many.
 * @size: bytes each.
 * @gfp: as for devm_kmalloc().
 *
 * Return: as devm_kmalloc_array().
 */
static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size,
				 gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return devm_kzalloc(dev, bytes, gfp);
}

/**
 * dev_get_platdata() - the board's data for a device.
 * @dev: the device.
 *
 * Return: dev->platform_data (NULL for devices of the tree).
 */
static inline void *dev_get_platdata(const struct device *dev)
{
	return dev->platform_data;
}

#define dev_notice(dev, ...)	dev_printk("notice", dev, __VA_ARGS__)
#define dev_crit(dev, ...)	dev_printk("crit", dev, __VA_ARGS__)
#define dev_alert(dev, ...)	dev_printk("alert", dev, __VA_ARGS__)
#define dev_emerg(dev, ...)	dev_printk("emerg", dev, __VA_ARGS__)
/* Debug messages are compiled out, as without DEBUG or dynamic debug;
 * the arguments are still type-checked. */
#define dev_dbg(dev, ...)						\
	do {								\
		if (0)							\
			dev_printk("debug", dev, __VA_ARGS__);		\
	} while (0)
#define dev_vdbg(dev, ...)	dev_dbg(dev, __VA_ARGS__)
#define dev_err_ratelimited(dev, ...)	dev_err(dev, __VA_ARGS__)
#define dev_warn_ratelimited(dev, ...)	dev_warn(dev, __VA_ARGS__)
#define dev_info_ratelimited(dev, ...)	dev_info(dev, __VA_ARGS__)
/* Once per call site over the program's life, as Linux. */
#define __dk_once(print)						\
	do {								\
		static bool __dk_done;					\
		if (!__atomic_exchange_n(&__dk_done, true,		\
					 __ATOMIC_RELAXED))		\
			print;						\
	} while (0)
#define dev_err_once(dev, ...)	__dk_once(dev_err(dev, __VA_ARGS__))
#define dev_warn_once(dev, ...)	__dk_once(dev_warn(dev, __VA_ARGS__))
#define dev_info_once(dev, ...)	__dk_once(dev_info(dev, __VA_ARGS__))

/**
 * devm_kasprintf() - kasprintf() into devm_kmalloc() memory, freed when
 * @dev's driver unbinds.
 * @dev: a live device.
 * @gfp: allocation flags.
 * @fmt: the format.
 * @...: its arguments.
 *
 * Return: the string, or NULL (out of memory, NULL @fmt, a dead device).
 */
char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
