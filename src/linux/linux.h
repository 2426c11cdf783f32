/* SPDX-License-Identifier: MIT */
/* What the files of src/linux share: the <linux/...> tree's library side. */
#ifndef DMAKIT_LINUX_INTERNAL_H
#define DMAKIT_LINUX_INTERNAL_H

#include <errno.h>

#include "../kernel/kernel.h"

/*
 * Wait up to @ns on the platform's clock, devices running meanwhile, until
 * @done(@arg) (asked before and after every event; NULL: the whole time).
 * Returns what @done last said (true for NULL). Without a machine, or on
 * a platform without cpu_wait, real time passes.
 */
bool dk_wait_ns(u64 ns, bool (*done)(void *arg), void *arg);

/* Run the tasklets scheduled so far (tasklet.c): at the softirq points,
 * and before a thread waits. */
void dk_tasklets_run(void);

/* Kernel threads woken and not yet ended (<linux/kthread.h>). */
unsigned int dk_kthreads_running(void);

/* How long Linux lets a task block before its hung-task report. */
#define DK_HUNG_TASK_SECS	120

/*
 * dk_wait_ns() for @timeout jiffies, reporting a wait with interrupts
 * disabled (no handler could end it; @what names the call). Returns 0 if
 * the time ran out, else the jiffies left, at least 1.
 */
unsigned long dk_wait_jiffies(unsigned long timeout, const char *what,
			      bool (*done)(void *arg), void *arg);

/* devm_clk_get() of the @idx-th entry of the tree's "clocks", named or
 * not (what devm_clk_bulk_get_all() takes). */
struct clk *dk_devm_clk_get_index(struct device *dev, int idx);

#endif
