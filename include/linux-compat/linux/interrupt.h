/* SPDX-License-Identifier: MIT */
/*
 * <linux/interrupt.h> for driver code built against dmakit:
 * interrupt handlers. A threaded handler runs right after its primary
 * handler returns IRQ_WAKE_THREAD, on the same thread (the interrupt's
 * "thread" is the context that took it).
 */
#ifndef DMAKIT_COMPAT_LINUX_INTERRUPT_H
#define DMAKIT_COMPAT_LINUX_INTERRUPT_H

#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <dmakit/interrupt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Trigger and behaviour flags: accepted; the line's wiring is the tree's. */
#define IRQF_TRIGGER_NONE	0x00000000UL
#define IRQF_TRIGGER_RISING	0x00000001UL
#define IRQF_TRIGGER_FALLING	0x00000002UL
#define IRQF_TRIGGER_HIGH	0x00000004UL
#define IRQF_TRIGGER_LOW	0x00000008UL
#define IRQF_ONESHOT		0x00002000UL
#define IRQF_NO_SUSPEND		0x00004000UL
#define IRQF_NO_AUTOEN		0x00080000UL

/**
 * request_threaded_irq() - request_irq() with a handler to run after
 * @handler returns IRQ_WAKE_THREAD.
 * @irq: as for request_irq().
 * @handler: the primary handler; NULL for one that only wakes the thread.
 * @thread_fn: the threaded handler; NULL for none.
 * @flags: as for request_irq().
 * @name: as for request_irq().
 * @dev_id: as for request_irq(); free_irq() takes the same.
 *
 * Return: as request_irq(); -EINVAL if both handlers are NULL.
 */
int request_threaded_irq(unsigned int irq, irq_handler_t handler,
			 irq_handler_t thread_fn, unsigned long flags,
			 const char *name, void *dev_id);

/**
 * devm_request_threaded_irq() - request_threaded_irq() released when the
 * driver unbinds.
 * @dev: a live device.
 * @irq: as for request_irq().
 * @handler: as for request_threaded_irq().
 * @thread_fn: as for request_threaded_irq().
 * @flags: as for request_irq().
 * @name: as for request_irq(); NULL for dev_name(@dev).
 * @dev_id: as for request_irq().
 *
 * Return: as devm_request_irq().
 */
int devm_request_threaded_irq(struct device *dev, unsigned int irq,
			      irq_handler_t handler, irq_handler_t thread_fn,
			      unsigned long flags, const char *name,
			      void *dev_id);

/**
 * disable_irq() - hold a requested line's interrupts back (nested); one
 * that fires meanwhile is delivered by the enable_irq() that ends it.
 * @irq: a requested line; another is reported.
 */
void disable_irq(unsigned int irq);

/**
 * enable_irq() - undo one disable_irq().
 * @irq: the line; unbalanced calls are reported.
 */
void enable_irq(unsigned int irq);

#define disable_irq_nosync(irq)	disable_irq(irq)
/* Handlers never run concurrently with the caller of the event loop. */
#define synchronize_irq(irq)	((void)(irq))
#define devm_free_irq(dev, irq, dev_id)	free_irq(irq, dev_id)

#ifdef __cplusplus
}
#endif

#endif
