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
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x80UL	/* accepted; lines are not shared here */

/*
 * request_irq - call @handler(@irq, @dev_id) when interrupt @irq fires on
 * the current machine. Returns 0, -EINVAL (NULL handler, bad line),
 * -EBUSY (line taken), -ENODEV (no machine), -EOPNOTSUPP (the platform
 * has no interrupts).
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);

/* free_irq - release @irq if @dev_id holds it; reported otherwise. */
void free_irq(unsigned int irq, void *dev_id);

/* devm_request_irq - request_irq released when @dev's driver unbinds. */
int devm_request_irq(struct device *dev, unsigned int irq,
		     irq_handler_t handler, unsigned long flags,
		     const char *name, void *dev_id);

/* How often @irq fired and was not handled (IRQ_NONE), for tests. */
unsigned long dk_irq_unhandled(unsigned int irq);

#ifdef __cplusplus
}
#endif

#endif
