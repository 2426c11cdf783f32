/* SPDX-License-Identifier: MIT */
/*
 * <linux/interrupt.h> for driver code built against dmakit:
 * interrupt handlers. A threaded handler runs right after its primary
 * handler returns IRQ_WAKE_THREAD, on the same thread (the interrupt's
 * "thread" is the context that took it).
 */
#ifndef DMAKIT_COMPAT_LINUX_INTERRUPT_H
#define DMAKIT_COMPAT_LINUX_INTERRUPT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
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

/**
 * struct tasklet_struct - work an interrupt handler defers (Linux's
 * softirq tasklets). It runs on the thread that ran the handler, as soon
 * as no handler is left on that thread, or, scheduled elsewhere, when
 * the scheduling thread unmasks interrupts or waits (on a completion,
 * a wait queue, a delay); never twice at once, and once however often
 * it was scheduled before it ran; never inside a handler or while
 * interrupts are masked.
 */
struct tasklet_struct {
	/** @next: the queue's link; the core's */
	struct tasklet_struct *next;
	/** @state: TASKLET_STATE_* bits; the core's */
	unsigned long state;
	/** @count: tasklet_disable() depth: it runs only at 0 */
	atomic_t count;
	/** @use_callback: @callback (tasklet_setup()) rather than @func */
	bool use_callback;
	union {
		/** @func: tasklet_init()'s function, given @data */
		void (*func)(unsigned long data);
		/** @callback: tasklet_setup()'s, given the tasklet */
		void (*callback)(struct tasklet_struct *t);
	};
	/** @data: @func's argument */
	unsigned long data;
};

#define TASKLET_STATE_SCHED	0	/* queued, not yet run */
#define TASKLET_STATE_RUN	1	/* running */

#define DECLARE_TASKLET(name, _callback)				\
	struct tasklet_struct name = {					\
		.count = ATOMIC_INIT(0), .use_callback = true,		\
		.callback = _callback }
#define DECLARE_TASKLET_DISABLED(name, _callback)			\
	struct tasklet_struct name = {					\
		.count = ATOMIC_INIT(1), .use_callback = true,		\
		.callback = _callback }
#define DECLARE_TASKLET_OLD(name, _func)				\
	struct tasklet_struct name = {					\
		.count = ATOMIC_INIT(0), .func = _func }

/* The structure a tasklet_setup() callback's tasklet is embedded in. */
#define from_tasklet(var, callback_tasklet, tasklet_fieldname)		\
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

/**
 * tasklet_init() - make @t call @func(@data), enabled, not scheduled.
 * @t: the tasklet.
 * @func: what it runs.
 * @data: @func's argument.
 */
void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long),
		  unsigned long data);

/**
 * tasklet_setup() - make @t call @callback(@t), enabled, not scheduled.
 * @t: the tasklet.
 * @callback: what it runs; from_tasklet() finds the structure around @t.
 */
void tasklet_setup(struct tasklet_struct *t,
		   void (*callback)(struct tasklet_struct *));

/**
 * tasklet_schedule() - have @t run soon (see struct tasklet_struct); a
 * tasklet already scheduled and not yet run is not queued twice. One
 * scheduled while it runs runs again afterwards.
 * @t: an initialised tasklet; NULL does nothing.
 *
 * Context: any, including interrupt handlers and with locks held (it
 * never runs @t itself).
 */
void tasklet_schedule(struct tasklet_struct *t);
/* There is one priority here. */
#define tasklet_hi_schedule(t)	tasklet_schedule(t)

/**
 * tasklet_kill() - wait until @t is neither scheduled nor running; what
 * is scheduled runs first (on this thread if nobody else runs it). A
 * tasklet scheduled while disabled would never end the wait (Linux hangs
 * there): it is dropped from the queue with a warning instead.
 * @t: the tasklet; NULL does nothing.
 *
 * Context: may sleep; not from @t itself. Called from a handler or with
 * interrupts masked, it warns and returns at once.
 */
void tasklet_kill(struct tasklet_struct *t);

/**
 * tasklet_disable_nosync() - keep @t from running (it stays scheduled)
 * until as many tasklet_enable(); returns at once.
 * @t: the tasklet.
 */
void tasklet_disable_nosync(struct tasklet_struct *t);
/**
 * tasklet_disable() - tasklet_disable_nosync(), then wait for a run in
 * progress on another thread to end.
 * @t: the tasklet.
 *
 * Context: may sleep.
 */
void tasklet_disable(struct tasklet_struct *t);
/**
 * tasklet_enable() - undo one tasklet_disable(); at 0, a tasklet
 * scheduled meanwhile runs at the next of the points struct
 * tasklet_struct names.
 * @t: the tasklet.
 */
void tasklet_enable(struct tasklet_struct *t);

#ifdef __cplusplus
}
#endif

#endif
