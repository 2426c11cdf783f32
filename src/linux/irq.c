// SPDX-License-Identifier: MIT
/* The <linux/interrupt.h> and <linux/irqflags.h> names over src/kernel/irq.c. */
#include <linux/interrupt.h>
#include <linux/irqflags.h>

#include "linux.h"

/* What a threaded handler without a primary one gets. */
static irqreturn_t wake_thread(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_WAKE_THREAD;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler,
			 irq_handler_t thread_fn, unsigned long flags,
			 const char *name, void *dev_id)
{
	if (!handler && !thread_fn)
		return dk_err(-EINVAL, "request_threaded_irq(%u): no handler", irq);
	return dk_request_irq(irq, handler ? handler : wake_thread, thread_fn,
			      flags, name, dev_id);
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq,
			      irq_handler_t handler, irq_handler_t thread_fn,
			      unsigned long flags, const char *name,
			      void *dev_id)
{
	if (!handler && !thread_fn)
		return dk_err(-EINVAL, "devm_request_threaded_irq(%u): no handler",
			      irq);
	return dk_devm_request_irq(dev, irq, handler ? handler : wake_thread,
				   thread_fn, flags, name, dev_id);
}

void disable_irq(unsigned int irq)
{
	dk_irq_disable(irq);
}

void enable_irq(unsigned int irq)
{
	dk_irq_enable(irq);
}

unsigned long dk_local_irq_save(void)
{
	return dk_irq_save();
}

void dk_local_irq_restore(unsigned long flags)
{
	dk_irq_restore(flags);
}

bool irqs_disabled(void)
{
	return dk_irqs_disabled();
}
