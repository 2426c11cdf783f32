/* SPDX-License-Identifier: MIT */
/*
 * Interrupt handlers with Linux's names. A handler runs when the device
 * model raises its line: from the simulated SoC's event loop (in threaded
 * mode, on the event-loop thread), never concurrently with itself.
 */
#ifndef DMAKIT_INTERRUPT_H
#define DMAKIT_INTERRUPT_H

#include <dmakit/device.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum irqreturn {
	IRQ_NONE = 0,		/* not our interrupt */
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,	/* run the threaded handler */
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x80UL	/* accepted; lines are not shared here */

/**
 * request_irq() - call @handler(@irq, @dev_id) when interrupt @irq fires
 * on the current machine.
 * @irq: the line (struct device's irq).
 * @handler: the handler; it returns IRQ_HANDLED or IRQ_NONE.
 * @flags: IRQF_SHARED is accepted; lines are not shared here.
 * @name: for messages.
 * @dev_id: passed to @handler; free_irq() needs the same.
 *
 * Return: 0, -EINVAL (NULL handler, bad line), -EBUSY (line taken),
 * -ENODEV (no machine), -EOPNOTSUPP (the platform has no interrupts).
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);

/**
 * free_irq() - release a line.
 * @irq: the line.
 * @dev_id: the @dev_id it was requested with; if it does not hold the
 *          line, a "BUG:" line is printed and nothing changes.
 */
void free_irq(unsigned int irq, void *dev_id);

/**
 * devm_request_irq() - request_irq() released when the driver unbinds.
 * @dev: a live device.
 * @irq: as for request_irq().
 * @handler: as for request_irq().
 * @flags: as for request_irq().
 * @name: as for request_irq(); NULL for dev_name(@dev).
 * @dev_id: as for request_irq().
 *
 * Return: as request_irq(); -EINVAL also for a NULL or dead device,
 * -ENOMEM.
 */
int devm_request_irq(struct device *dev, unsigned int irq,
		     irq_handler_t handler, unsigned long flags,
		     const char *name, void *dev_id);

/**
 * dk_irq_unhandled() - how often a line fired and its handler returned
 * IRQ_NONE, for tests.
 * @irq: the line.
 *
 * Return: the count since the line was last requested, 0 for a line out
 * of range.
 */
unsigned long dk_irq_unhandled(unsigned int irq);

#ifdef __cplusplus
}
#endif

#endif
