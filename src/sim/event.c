// SPDX-License-Identifier: MIT
/*
 * The deterministic event loop: a min-heap of (time, sequence) so events
 * due together run in the order they were scheduled, whatever the host.
 * Handlers run without the SoC lock so they may touch memory and schedule.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "soc_internal.h"

static bool before(const struct dk_event *a, const struct dk_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void swap(struct dk_event *a, struct dk_event *b)
{
	struct dk_event t = *a;

	*a = *b;
	*b = t;
}

static int schedule(struct dk_soc *soc, u64 delay, dk_event_fn fn, void *arg,
		    bool model)
{
	struct dk_event *e;
	size_t i;

	if (!fn)
		return dk_err(-EINVAL, "dk_soc_schedule: NULL function");
	pthread_mutex_lock(&soc->lock);
	if (soc->nevents == soc->cap_events) {
		size_t cap = soc->cap_events ? soc->cap_events * 2 : 64;

		e = realloc(soc->events, cap * sizeof(*e));
		if (!e) {
			pthread_mutex_unlock(&soc->lock);
			return dk_err(-ENOMEM, "event queue: out of memory");
		}
		soc->events = e;
		soc->cap_events = cap;
	}
	e = soc->events;
	i = soc->nevents++;
	e[i].time = soc->now + delay < soc->now ? UINT64_MAX : soc->now + delay;
	e[i].seq = soc->seq++;
	e[i].fn = fn;
	e[i].arg = arg;
	e[i].model = model;
	while (i && before(&e[i], &e[(i - 1) / 2])) {
		swap(&e[i], &e[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	if (soc->threaded)
		pthread_cond_signal(&soc->wake);
	pthread_mutex_unlock(&soc->lock);
	return 0;
}

int dk_soc_schedule(struct dk_soc *soc, u64 delay, dk_event_fn fn, void *arg)
{
	if (!dk_soc_ok(soc, "dk_soc_schedule"))
		return -EINVAL;
	return schedule(soc, delay, fn, arg, true);
}

/* How often this thread holds a model lock (it is recursive). */
static _Thread_local int model_depth;

void dk_model_lock(struct dk_soc *soc)
{
	pthread_mutex_lock(&soc->model_lock);
	model_depth++;
}

bool dk_model_held(void)
{
	return model_depth > 0;
}

void dk_model_unlock(struct dk_soc *soc)
{
	model_depth--;
	pthread_mutex_unlock(&soc->model_lock);
}

int dk_model_release(struct dk_soc *soc)
{
	int depth = model_depth;

	while (model_depth)
		dk_model_unlock(soc);
	return depth;
}

void dk_model_reacquire(struct dk_soc *soc, int depth)
{
	while (depth-- > 0)
		dk_model_lock(soc);
}

void dk_event_run(struct dk_soc *soc, const struct dk_event *ev)
{
	if (ev->model)
		dk_model_lock(soc);
	ev->fn(soc, ev->arg);
	if (ev->model)
		dk_model_unlock(soc);
}

static bool pop(struct dk_soc *soc, struct dk_event *out)
{
	struct dk_event *e = soc->events;
	size_t i = 0, n;

	if (!soc->nevents)
		return false;
	*out = e[0];
	n = --soc->nevents;
	e[0] = e[n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && before(&e[l], &e[m]))
			m = l;
		if (r < n && before(&e[r], &e[m]))
			m = r;
		if (m == i)
			break;
		swap(&e[i], &e[m]);
		i = m;
	}
	return true;
}

int dk_soc_step(struct dk_soc *soc)
{
	struct dk_event ev;
	bool got;

	if (!dk_soc_ok(soc, "dk_soc_step"))
		return 0;
	pthread_mutex_lock(&soc->lock);
	got = pop(soc, &ev);
	if (got)
		soc->now = ev.time;
	pthread_mutex_unlock(&soc->lock);
	if (got)
		dk_event_run(soc, &ev);
	/* Run from outside, the SoC is looked at as a whole afterwards. */
	dk_lb_land(soc, true);
	return got;
}

u64 dk_soc_run(struct dk_soc *soc, u64 max_events)
{
	u64 n = 0;

	while ((!max_events || n < max_events) && dk_soc_step(soc))
		n++;
	return n;
}

u64 dk_soc_now(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_now") ? soc->now : 0;
}

void dk_events_fini(struct dk_soc *soc)
{
	free(soc->events);
	soc->events = NULL;
	soc->nevents = soc->cap_events = 0;
}

int dk_soc_request_irq(struct dk_soc *soc, int irq, dk_irq_handler handler,
		       void *arg)
{
	int r = 0;

	if (!dk_soc_ok(soc, "dk_soc_request_irq"))
		return -EINVAL;
	if (!handler || irq < 0 || irq >= DK_MAX_IRQ)
		return dk_err(-EINVAL, "request_irq: irq %d or handler invalid",
			      irq);
	pthread_mutex_lock(&soc->lock);
	if (soc->irq[irq].fn)
		r = dk_err(-EBUSY, "request_irq: irq %d already has a handler",
			   irq);
	else {
		soc->irq[irq].fn = handler;
		soc->irq[irq].arg = arg;
	}
	pthread_mutex_unlock(&soc->lock);
	return r;
}

void dk_soc_free_irq(struct dk_soc *soc, int irq)
{
	if (!dk_soc_ok(soc, "dk_soc_free_irq") || irq < 0 || irq >= DK_MAX_IRQ)
		return;
	pthread_mutex_lock(&soc->lock);
	soc->irq[irq].fn = NULL;
	soc->irq[irq].arg = NULL;
	pthread_mutex_unlock(&soc->lock);
}

static void deliver(struct dk_soc *soc, void *arg)
{
	int irq = (int)(intptr_t)arg;
	dk_irq_handler fn;
	void *harg;

	pthread_mutex_lock(&soc->lock);
	fn = soc->irq[irq].fn;
	harg = soc->irq[irq].arg;
	if (!fn)
		soc->spurious_irqs++;
	pthread_mutex_unlock(&soc->lock);
	/* What the device wrote before raising it is seen by the handler. */
	dk_lb_land(soc, true);
	if (fn)
		fn(irq, harg);
}

void dk_soc_raise_irq(struct dk_soc *soc, int irq)
{
	if (!dk_soc_ok(soc, "dk_soc_raise_irq") || irq < 0 || irq >= DK_MAX_IRQ)
		return;
	schedule(soc, 1, deliver, (void *)(intptr_t)irq, false);
}

u64 dk_soc_spurious_irqs(const struct dk_soc *soc)
{
	return dk_soc_ok(soc, "dk_soc_spurious_irqs") ? soc->spurious_irqs : 0;
}

static void *runner(void *arg)
{
	struct dk_soc *soc = arg;

	for (;;) {
		pthread_mutex_lock(&soc->lock);
		while (!soc->nevents && !soc->stopping)
			pthread_cond_wait(&soc->wake, &soc->lock);
		if (!soc->nevents && soc->stopping) {
			pthread_mutex_unlock(&soc->lock);
			return NULL;
		}
		pthread_mutex_unlock(&soc->lock);
		dk_soc_step(soc);
	}
}

int dk_soc_start_thread(struct dk_soc *soc)
{
	int r;

	if (!dk_soc_ok(soc, "dk_soc_start_thread"))
		return -EINVAL;
	pthread_mutex_lock(&soc->lock);
	if (soc->threaded) {
		pthread_mutex_unlock(&soc->lock);
		return dk_err(-EBUSY, "the event loop already has a thread");
	}
	pthread_cond_init(&soc->wake, NULL);
	soc->threaded = true;
	soc->stopping = false;
	pthread_mutex_unlock(&soc->lock);
	r = pthread_create(&soc->runner, NULL, runner, soc);
	if (r) {
		soc->threaded = false;
		pthread_cond_destroy(&soc->wake);
		return dk_err(-EAGAIN, "event loop thread: %s", strerror(r));
	}
	return 0;
}

void dk_soc_stop_thread(struct dk_soc *soc)
{
	if (!soc || !soc->threaded)
		return;
	pthread_mutex_lock(&soc->lock);
	soc->stopping = true;
	pthread_cond_signal(&soc->wake);
	pthread_mutex_unlock(&soc->lock);
	pthread_join(soc->runner, NULL);
	pthread_mutex_lock(&soc->lock);
	soc->threaded = false;
	pthread_mutex_unlock(&soc->lock);
	pthread_cond_destroy(&soc->wake);
}

/* Threaded mode: the loop's thread runs the events; this one watches. */
struct wait_mark {
	atomic_bool fired;
};

static void mark_fired(struct dk_soc *soc, void *arg)
{
	(void)soc;
	atomic_store(&((struct wait_mark *)arg)->fired, true);
}

/* Remove the pending event (@fn, @arg); false if it is not pending. */
static bool cancel(struct dk_soc *soc, dk_event_fn fn, void *arg)
{
	size_t i;
	bool found = false;

	pthread_mutex_lock(&soc->lock);
	for (i = 0; i < soc->nevents; i++)
		if (soc->events[i].fn == fn && soc->events[i].arg == arg) {
			/* Time-ordered cancellation is rare: a linear pass and
			 * a rebuild keep the heap code in one place. */
			soc->events[i].time = 0;
			soc->events[i].seq = 0;
			found = true;
			break;
		}
	if (found) {
		struct dk_event ev;

		while (i && before(&soc->events[i], &soc->events[(i - 1) / 2])) {
			swap(&soc->events[i], &soc->events[(i - 1) / 2]);
			i = (i - 1) / 2;
		}
		/* An event of the first cycle may tie with it; then it runs
		 * at once instead, and the caller waits for that. */
		found = soc->events[0].fn == fn && soc->events[0].arg == arg &&
			pop(soc, &ev);
	}
	pthread_mutex_unlock(&soc->lock);
	return found;
}

bool dk_soc_cancel(struct dk_soc *soc, dk_event_fn fn, void *arg)
{
	return dk_soc_ok(soc, "dk_soc_cancel") && cancel(soc, fn, arg);
}

static bool wait_threaded(struct dk_soc *soc, u64 cycles,
			  bool (*done)(void *), void *arg)
{
	struct wait_mark mk = { false };

	if (pthread_equal(pthread_self(), soc->runner))
		return !done || done(arg);	/* it would wait for itself */
	if (dk_soc_schedule(soc, cycles, mark_fired, &mk))
		return !done || done(arg);
	while (!atomic_load(&mk.fired)) {
		if (done && done(arg)) {
			if (cancel(soc, mark_fired, &mk))
				return true;
			/* Being run: it touches mk once more. @done may have
			 * consumed what it saw (a completion's count): it is
			 * not asked again. */
			while (!atomic_load(&mk.fired))
				sched_yield();
			return true;
		}
		sched_yield();
	}
	return !done || done(arg);
}

bool dk_soc_cpu_wait(struct dk_soc *soc, u64 cycles, bool (*done)(void *),
		     void *arg)
{
	struct dk_event ev;
	u64 deadline;
	bool threaded, got;

	if (!dk_soc_ok(soc, "cpu_wait"))
		return !done || done(arg);
	pthread_mutex_lock(&soc->lock);
	threaded = soc->threaded;
	deadline = soc->now + cycles < soc->now ? UINT64_MAX : soc->now + cycles;
	pthread_mutex_unlock(&soc->lock);
	if (threaded)
		return wait_threaded(soc, cycles, done, arg);
	for (;;) {
		if (done && done(arg))
			return true;
		/* Time passes: one held device write, the newest, lands. */
		dk_lb_land(soc, false);
		pthread_mutex_lock(&soc->lock);
		got = soc->nevents && soc->events[0].time <= deadline &&
		      pop(soc, &ev);
		if (got)
			soc->now = ev.time;
		else if (soc->now < deadline)
			soc->now = deadline;	/* nothing due: time just passes */
		pthread_mutex_unlock(&soc->lock);
		if (!got)
			return !done || done(arg);
		dk_event_run(soc, &ev);
	}
}
