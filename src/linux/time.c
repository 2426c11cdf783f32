// SPDX-License-Identifier: MIT
/* Time and delays on the platform's clock (<linux/jiffies.h>). */
#include <time.h>

#include <linux/delay.h>
#include <linux/jiffies.h>

#include "linux.h"

/* A cycle of the simulated clock is a nanosecond. */
static u64 host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
}

u64 dk_time_ns(void)
{
	struct dk_machine *m = dk_machine_current();

	if (m && m->pl.ops->clock)
		return m->pl.ops->clock(m->pl.ctx);
	return host_ns();
}

/* Real time: poll @done every few microseconds. */
static bool wait_host(u64 ns, bool (*done)(void *), void *arg)
{
	u64 end = host_ns() + ns;

	for (;;) {
		struct timespec ts = { 0, 20000 };
		u64 now;

		if (done && done(arg))
			return true;
		now = host_ns();
		if (now >= end)
			return !done;
		if (end - now < (u64)ts.tv_nsec)
			ts.tv_nsec = (long)(end - now);
		nanosleep(&ts, NULL);
	}
}

/* The simulated time a paced wait lets pass before it looks again. */
#define PACE_SLICE_NS	1000000ULL

/*
 * Simulated time passes without real time, but kernel threads run in
 * real time, and what they do (complete a DMA they started, wake a
 * waiter) may be what a wait waits for. While any runs, a wait on the
 * simulated clock goes in slices, each taking at least its length in
 * real time: the threads get the time a sleeper gives them (a benchmark
 * that sleeps while its threads work), a waiter sees what they do
 * before its deadline, and a thread that polls with a delay does not
 * spin.
 */
static bool wait_paced(struct dk_machine *m, u64 ns, bool (*done)(void *),
		       void *arg)
{
	u64 t0 = host_ns(), waited = 0;

	while (waited < ns) {
		u64 slice = ns - waited < PACE_SLICE_NS ? ns - waited :
							  PACE_SLICE_NS;
		u64 real;

		/* A true @done may have consumed what it saw: not asked
		 * again. */
		if (m->pl.ops->cpu_wait(m->pl.ctx, slice, done, arg) && done)
			return true;
		waited += slice;
		real = host_ns() - t0;
		if (real < waited &&
		    wait_host(waited - real, done, arg) && done)
			return true;
	}
	return !done || done(arg);
}

bool dk_wait_ns(u64 ns, bool (*done)(void *), void *arg)
{
	struct dk_machine *m = dk_machine_current();

	/* A waiting CPU runs its pending softirqs first. */
	dk_tasklets_run();
	if (m && m->pl.ops->cpu_wait)
		return dk_kthreads_running() ? wait_paced(m, ns, done, arg) :
			m->pl.ops->cpu_wait(m->pl.ctx, ns, done, arg);
	return wait_host(ns, done, arg);
}

void dk_delay_ns(u64 ns)
{
	if (ns)
		dk_wait_ns(ns, NULL, NULL);
}
