// SPDX-License-Identifier: MIT
/*
 * Tasklets, including only <linux/...> headers (tests/test_linux_tasklet.c):
 * the container found with from_tasklet(), the old interface's data, and
 * scheduling with interrupts masked.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irqflags.h>

#include "taskq.h"

struct taskq_counts taskq;
int taskq_in_handler;

struct owner {
	int magic;
	struct tasklet_struct task;
};

static struct owner own = { .magic = 0x5eed };
static struct tasklet_struct old;

static void run(struct tasklet_struct *t)
{
	struct owner *o = from_tasklet(o, t, task);

	if (o->magic != 0x5eed)
		return;
	taskq.runs++;
	if (taskq_in_handler)
		taskq.runs_in_handler++;
}

static void run_old(unsigned long data)
{
	taskq.old_runs++;
	taskq.old_data = data;
}

void taskq_init(void)
{
	tasklet_setup(&own.task, run);
	tasklet_init(&old, run_old, 0xfeedUL);
}

void taskq_schedule(void)
{
	tasklet_schedule(&own.task);
}

void taskq_schedule_old(void)
{
	tasklet_hi_schedule(&old);
}

int taskq_schedule_masked(void)
{
	unsigned long flags;
	int seen;

	local_irq_save(flags);
	tasklet_schedule(&own.task);
	tasklet_schedule(&own.task);
	seen = taskq.runs;
	local_irq_restore(flags);
	return seen;
}

void taskq_disable(void)
{
	tasklet_disable(&own.task);
}

void taskq_enable(void)
{
	tasklet_enable(&own.task);
}

void taskq_kill(void)
{
	tasklet_kill(&own.task);
	tasklet_kill(&old);
}

void taskq_kill_masked(void)
{
	unsigned long flags;

	local_irq_save(flags);
	tasklet_kill(&own.task);
	local_irq_restore(flags);
}

void taskq_delay(void)
{
	udelay(1);
}
