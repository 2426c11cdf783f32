// SPDX-License-Identifier: MIT
/* request_irq and friends over the platform's interrupt routing. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <dmakit/interrupt.h>

#include "kernel.h"

#define NR_IRQS 256

struct dk_irq_action {
	struct dk_machine *m;
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	irq_handler_t thread_fn;	/* run after IRQ_WAKE_THREAD */
	atomic_int disabled;		/* disable_irq() depth */
	atomic_bool pending;		/* fired while masked */
};

/* Requests are rare: a table per machine, one lock for all. */
static atomic_ulong unhandled[NR_IRQS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static struct dk_irq_action *table(struct dk_machine *m)
{
	if (!m->irqs)
		m->irqs = calloc(NR_IRQS, sizeof(*m->irqs));
	return m->irqs;
}

/*
 * Interrupts this thread (this CPU) has masked (local_irq_save(),
 * spin_lock_irqsave()): a line that fires meanwhile is held pending and
 * delivered when the thread unmasks, so a handler never interrupts code
 * that holds the lock it takes.
 */
static _Thread_local unsigned long masked;
static _Thread_local struct dk_irq_action *held[8];
static _Thread_local int nheld;
/* Handlers this thread is in (one may unmask and take another). */
static _Thread_local int depth;
static void (*_Atomic exit_hook)(void);

void dk_irq_set_exit_hook(void (*fn)(void))
{
	atomic_store(&exit_hook, fn);
}

bool dk_in_irq(void)
{
	return depth > 0;
}

/* Linux's irq_exit(): deferred work runs once no handler is left. */
static void irq_exit(void)
{
	void (*fn)(void) = atomic_load_explicit(&exit_hook,
						memory_order_relaxed);

	if (fn && !depth && !masked)
		fn();
}

static void run(int irq, struct dk_irq_action *a)
{
	irqreturn_t r;

	depth++;
	r = a->handler(irq, a->dev_id);
	if (r == IRQ_WAKE_THREAD && a->thread_fn)
		r = a->thread_fn(irq, a->dev_id);
	depth--;
	if (r == IRQ_NONE)
		atomic_fetch_add(&unhandled[irq], 1);
	irq_exit();
}

static void dispatch(int irq, void *arg)
{
	struct dk_irq_action *a = arg;

	if (atomic_load(&a->disabled) ||
	    (masked && nheld < (int)DK_ARRAY_SIZE(held))) {
		if (!atomic_exchange(&a->pending, true) && masked)
			held[nheld++] = a;
		return;
	}
	run(irq, a);
}

/* Deliver what fired while masked or disabled, if the line still is ours. */
static void deliver_pending(struct dk_irq_action *a)
{
	int irq;

	if (!a->handler || atomic_load(&a->disabled) ||
	    !atomic_exchange(&a->pending, false))
		return;
	irq = (int)(a - a->m->irqs);
	run(irq, a);
}

bool dk_irqs_disabled(void)
{
	return masked != 0;
}

unsigned long dk_irq_save(void)
{
	return masked++;
}

void dk_irq_restore(unsigned long flags)
{
	masked = flags;
	while (!masked && nheld)
		deliver_pending(held[--nheld]);
	irq_exit();
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id)
{
	return dk_request_irq(irq, handler, NULL, flags, name, dev_id);
}

int dk_request_irq(unsigned int irq, irq_handler_t handler,
		   irq_handler_t thread_fn, unsigned long flags,
		   const char *name, void *dev_id)
{
	struct dk_machine *m = dk_machine_of();
	struct dk_irq_action *actions;
	int r;

	(void)flags;
	if (!m)
		return -ENODEV;
	if (!handler || irq >= NR_IRQS)
		return dk_err(-EINVAL, "request_irq(%u): bad line or NULL handler",
			      irq);
	if (!m->pl.ops->set_irq_handler)
		return dk_err(-EOPNOTSUPP, "the %s platform has no interrupts",
			      m->pl.ops->name);
	pthread_mutex_lock(&lock);
	actions = table(m);
	if (!actions) {
		pthread_mutex_unlock(&lock);
		return dk_err(-ENOMEM, "out of memory");
	}
	if (actions[irq].handler) {
		pthread_mutex_unlock(&lock);
		return dk_err(-EBUSY, "request_irq(%u): taken by %s", irq,
			      actions[irq].name ? actions[irq].name : "?");
	}
	actions[irq] = (struct dk_irq_action){ .m = m, .handler = handler,
					       .dev_id = dev_id, .name = name,
					       .thread_fn = thread_fn };
	atomic_store(&unhandled[irq], 0);
	r = m->pl.ops->set_irq_handler(m->pl.ctx, irq, dispatch, &actions[irq]);
	if (r)
		actions[irq].handler = NULL;
	pthread_mutex_unlock(&lock);
	return r;
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct dk_machine *m = dk_machine_current();
	struct dk_irq_action a = { 0 }, *actions = m ? m->irqs : NULL;

	pthread_mutex_lock(&lock);
	if (actions && irq < NR_IRQS && actions[irq].handler &&
	    actions[irq].dev_id == dev_id) {
		a = actions[irq];
		actions[irq].handler = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (!a.handler) {
		dk_warn("BUG: free_irq(%u, %p): not requested with that dev_id",
			irq, dev_id);
		return;
	}
	a.m->pl.ops->set_irq_handler(a.m->pl.ctx, irq, NULL, NULL);
}

struct devm_irq {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(void *p)
{
	struct devm_irq *d = p;

	free_irq(d->irq, d->dev_id);
	free(d);
}

int devm_request_irq(struct device *dev, unsigned int irq,
		     irq_handler_t handler, unsigned long flags,
		     const char *name, void *dev_id)
{
	return dk_devm_request_irq(dev, irq, handler, NULL, flags, name,
				   dev_id);
}

int dk_devm_request_irq(struct device *dev, unsigned int irq,
			irq_handler_t handler, irq_handler_t thread_fn,
			unsigned long flags, const char *name, void *dev_id)
{
	struct devm_irq *d;
	int r;

	if (!dk_dev_ok(dev, "devm_request_irq"))
		return -EINVAL;
	d = malloc(sizeof(*d));
	if (!d)
		return dk_err(-ENOMEM, "out of memory");
	r = dk_request_irq(irq, handler, thread_fn, flags,
			   name ? name : dev_name(dev), dev_id);
	if (r) {
		free(d);
		return r;
	}
	*d = (struct devm_irq){ irq, dev_id };
	r = dk_devres_add(dev, devm_irq_release, free, d);
	if (r)
		devm_irq_release(d);
	return r;
}

static struct dk_irq_action *action_of(unsigned int irq)
{
	struct dk_machine *m = dk_machine_current();

	if (!m || !m->irqs || irq >= NR_IRQS || !m->irqs[irq].handler) {
		dk_warn("BUG: interrupt %u is not requested", irq);
		return NULL;
	}
	return &m->irqs[irq];
}

void dk_irq_disable(unsigned int irq)
{
	struct dk_irq_action *a = action_of(irq);

	if (a)
		atomic_fetch_add(&a->disabled, 1);
}

void dk_irq_enable(unsigned int irq)
{
	struct dk_irq_action *a = action_of(irq);

	if (!a)
		return;
	if (atomic_load(&a->disabled) <= 0) {
		dk_warn("WARNING: unbalanced enable for IRQ %u", irq);
		return;
	}
	if (atomic_fetch_sub(&a->disabled, 1) != 1)
		return;
	if (!masked)
		deliver_pending(a);
	else if (nheld < (int)DK_ARRAY_SIZE(held))
		held[nheld++] = a;
}

unsigned long dk_irq_unhandled(unsigned int irq)
{
	return irq < NR_IRQS ? atomic_load(&unhandled[irq]) : 0;
}

/* Machine shutdown: lines it still holds go with it. */
void dk_irq_fini(struct dk_machine *m)
{
	int i;

	pthread_mutex_lock(&lock);
	for (i = 0; m->irqs && i < NR_IRQS; i++)
		if (m->irqs[i].handler)
			m->pl.ops->set_irq_handler(m->pl.ctx, i, NULL, NULL);
	free(m->irqs);
	m->irqs = NULL;
	pthread_mutex_unlock(&lock);
}
