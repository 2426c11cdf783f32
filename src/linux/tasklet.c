// SPDX-License-Identifier: MIT
/*
 * Tasklets (<linux/interrupt.h>): one queue for the process, drained
 * where Linux runs softirqs (src/kernel/irq.c's exit hook: the outermost
 * handler's return, a thread unmasking interrupts) and before a thread
 * waits, on the thread that gets there first. Deterministic: what a
 * handler schedules runs on the event loop's thread before it goes on.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include <linux/interrupt.h>
#include <linux/printk.h>

#include "linux.h"

#define SCHED	(1UL << TASKLET_STATE_SCHED)
#define RUN	(1UL << TASKLET_STATE_RUN)
/* Rounds of one drain before the rest waits for the next point, as
 * Linux hands a busy softirq to ksoftirqd. */
#define MAX_ROUNDS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct tasklet_struct *head, **tail = &head;
static _Atomic unsigned long queued;
static _Thread_local bool draining;

static void init(struct tasklet_struct *t)
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	dk_irq_set_exit_hook(dk_tasklets_run);
}

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long),
		  unsigned long data)
{
	if (!t)
		return;
	init(t);
	t->use_callback = false;
	t->func = func;
	t->data = data;
}

void tasklet_setup(struct tasklet_struct *t,
		   void (*callback)(struct tasklet_struct *))
{
	if (!t)
		return;
	init(t);
	t->use_callback = true;
	t->callback = callback;
}

/* Lock held. */
static void enqueue(struct tasklet_struct *t)
{
	t->next = NULL;
	*tail = t;
	tail = &t->next;
	queued++;
}

void tasklet_schedule(struct tasklet_struct *t)
{
	if (!t)
		return;
	/* A tasklet DECLARE_TASKLET() made has not set the hook yet. */
	dk_irq_set_exit_hook(dk_tasklets_run);
	pthread_mutex_lock(&lock);
	if (!(t->state & SCHED)) {
		t->state |= SCHED;
		enqueue(t);
	}
	pthread_mutex_unlock(&lock);
}

/* Take the queue as it is: what is scheduled meanwhile waits a round. */
static struct tasklet_struct *take_all(void)
{
	struct tasklet_struct *list;

	pthread_mutex_lock(&lock);
	list = head;
	head = NULL;
	tail = &head;
	queued = 0;
	pthread_mutex_unlock(&lock);
	return list;
}

/* Run @t unless it is disabled or running elsewhere (then it goes back
 * on the queue, still scheduled). */
static void run_one(struct tasklet_struct *t)
{
	pthread_mutex_lock(&lock);
	if (atomic_read(&t->count) || t->state & RUN) {
		enqueue(t);
		pthread_mutex_unlock(&lock);
		return;
	}
	t->state = (t->state & ~SCHED) | RUN;
	pthread_mutex_unlock(&lock);
	if (t->use_callback)
		t->callback(t);
	else
		t->func(t->data);
	pthread_mutex_lock(&lock);
	t->state &= ~RUN;
	pthread_mutex_unlock(&lock);
}

void dk_tasklets_run(void)
{
	struct tasklet_struct *list, *next;
	int round;

	/* As Linux: never inside a handler or with interrupts masked (a
	 * handler that delays holds the lock its tasklet takes). */
	if (draining || !queued || dk_in_irq() || dk_irqs_disabled())
		return;
	draining = true;
	for (round = 0; round < MAX_ROUNDS && queued; round++)
		for (list = take_all(); list; list = next) {
			next = list->next;
			run_one(list);
		}
	draining = false;
}

/* Lock held: unlink a scheduled @t that can never run. */
static void drop_locked(struct tasklet_struct *t)
{
	struct tasklet_struct **pp;

	for (pp = &head; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			if (tail == &t->next)
				tail = pp;
			queued--;
			break;
		}
	t->state &= ~SCHED;
}

void tasklet_kill(struct tasklet_struct *t)
{
	unsigned long st;

	if (!t)
		return;
	if (dk_in_irq() || dk_irqs_disabled()) {
		/* Linux would wait for ever: nothing may run it here. */
		pr_warn("tasklet_kill: called with interrupts disabled; not waiting");
		return;
	}
	for (;;) {
		dk_tasklets_run();
		pthread_mutex_lock(&lock);
		st = t->state;
		if (st & SCHED && !(st & RUN) && atomic_read(&t->count)) {
			drop_locked(t);
			pthread_mutex_unlock(&lock);
			pr_warn("tasklet_kill: the tasklet is disabled and scheduled: it could never run; dropped");
			return;
		}
		pthread_mutex_unlock(&lock);
		if (!(st & (SCHED | RUN)))
			return;
		/* Running on another thread, or queued behind its drain. */
		sched_yield();
	}
}

void tasklet_disable_nosync(struct tasklet_struct *t)
{
	if (t)
		atomic_inc(&t->count);
}

void tasklet_disable(struct tasklet_struct *t)
{
	if (!t)
		return;
	tasklet_disable_nosync(t);
	for (;;) {
		bool running;

		pthread_mutex_lock(&lock);
		running = t->state & RUN;
		pthread_mutex_unlock(&lock);
		if (!running || draining)
			return;
		sched_yield();
	}
}

void tasklet_enable(struct tasklet_struct *t)
{
	if (t && atomic_read(&t->count) > 0)
		atomic_dec(&t->count);
}
