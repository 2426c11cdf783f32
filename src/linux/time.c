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

bool dk_wait_ns(u64 ns, bool (*done)(void *), void *arg)
{
	struct dk_machine *m = dk_machine_current();

	if (m && m->pl.ops->cpu_wait)
		return m->pl.ops->cpu_wait(m->pl.ctx, ns, done, arg);
	return wait_host(ns, done, arg);
}

/*
 * Simulated time passes without real time, but kernel threads run in
 * real time: while any runs, a delay takes its length in real time too,
 * so the threads get the time the sleeper gives them (a benchmark that
 * sleeps while its threads work), and a thread that polls with a delay
 * does not spin.
 */
void dk_delay_ns(u64 ns)
{
	u64 t0, spent;

	if (!ns)
		return;
	t0 = host_ns();
	dk_wait_ns(ns, NULL, NULL);
	spent = host_ns() - t0;
	if (dk_kthreads_running() && spent < ns)
		wait_host(ns - spent, NULL, NULL);
}
