/* SPDX-License-Identifier: MIT */
/*
 * <linux/irqflags.h> for driver code built against dmakit: masking
 * interrupts on this CPU, which here is this thread. A line that fires
 * while they are masked is held pending and its handler runs when the
 * thread unmasks (in the SoC's threaded mode handlers run on the event
 * loop's thread, which this mask does not hold back).
 */
#ifndef DMAKIT_COMPAT_LINUX_IRQFLAGS_H
#define DMAKIT_COMPAT_LINUX_IRQFLAGS_H

#include <linux/compiler.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * dk_local_irq_save() - mask this thread's interrupts.
 *
 * Return: the state to give dk_local_irq_restore().
 */
unsigned long dk_local_irq_save(void);

/**
 * dk_local_irq_restore() - go back to a state dk_local_irq_save() gave,
 * delivering what fired meanwhile once nothing masks them any more.
 * @flags: that state.
 */
void dk_local_irq_restore(unsigned long flags);

/**
 * irqs_disabled() - whether this thread masked its interrupts.
 *
 * Return: true while masked.
 */
bool irqs_disabled(void);

#define local_irq_save(flags)	((flags) = dk_local_irq_save())
#define local_irq_restore(flags) dk_local_irq_restore(flags)
#define local_irq_disable()	((void)dk_local_irq_save())
#define local_irq_enable()	dk_local_irq_restore(0)

#ifdef __cplusplus
}
#endif

#endif
