/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/taskq.c: tasklets as a driver uses them, one with
 * tasklet_setup() and one with tasklet_init() and its data, for
 * tests/test_linux_tasklet.c.
 */
#ifndef DMAKIT_TESTS_LINUX_TASKQ_H
#define DMAKIT_TESTS_LINUX_TASKQ_H

struct taskq_counts {
	int runs;		/* the callback tasklet's runs */
	int runs_in_handler;	/* of those, while taskq_in_handler was set */
	int old_runs;		/* the tasklet_init() one's */
	unsigned long old_data;	/* what it was given */
};
extern struct taskq_counts taskq;
/* Set by the test's interrupt handler while it runs. */
extern int taskq_in_handler;

void taskq_init(void);
void taskq_schedule(void);
void taskq_schedule_old(void);
/* Schedule with interrupts masked: the runs seen before unmasking. */
int taskq_schedule_masked(void);
void taskq_disable(void);
void taskq_enable(void);
void taskq_kill(void);
/* tasklet_kill() with interrupts masked. */
void taskq_kill_masked(void);
/* Wait 1 us on the clock (a delay: a point where tasklets run). */
void taskq_delay(void);

#endif
