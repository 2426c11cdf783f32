/* SPDX-License-Identifier: MIT */
/*
 * <linux/sched.h> for driver code built against dmakit: the scheduling
 * calls a driver makes in long loops, and tasks. Threads are the host's,
 * scheduled by it: need_resched() is false (nothing asks a thread to
 * give way), and cond_resched() yields the host CPU to other threads.
 */
#ifndef DMAKIT_COMPAT_LINUX_SCHED_H
#define DMAKIT_COMPAT_LINUX_SCHED_H

#include <sched.h>
#include <stdbool.h>

#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/jiffies.h>

/**
 * need_resched() - whether another task waits for the CPU.
 *
 * Return: false.
 */
static inline bool need_resched(void)
{
	return false;
}

/**
 * cond_resched() - let other threads (kernel threads among them) have
 * the host CPU.
 *
 * Return: 0 (nothing is known to have run).
 */
static inline int cond_resched(void)
{
	sched_yield();
	return 0;
}

#define schedule()		((void)0)

#ifdef __cplusplus
extern "C" {
#endif

#define TASK_COMM_LEN		16

/**
 * struct task_struct - a thread: one the program started (the first time
 * it asks for current) or a kernel thread (<linux/kthread.h>), each a
 * host thread.
 */
struct task_struct {
	/** @comm: its name */
	char comm[TASK_COMM_LEN];
	/** @pid: the host's thread id */
	int pid;
	/* private to <linux/kthread.h>'s implementation */
	struct dk_kthread *dk_kthread;
};

/**
 * dk_current_task() - the calling thread's task (what current is).
 *
 * Return: its task; a thread that is no kernel thread gets one made on
 * first use, named after the thread, which lives as long as the thread.
 */
struct task_struct *dk_current_task(void);
#define current			dk_current_task()

/**
 * wake_up_process() - start a kernel thread that kthread_create() made.
 * @p: the task.
 *
 * Return: 1 if it was waiting to start, 0 if it already runs (or is no
 * kernel thread, or NULL).
 */
int wake_up_process(struct task_struct *p);

/**
 * get_task_struct() - take a reference, so @t stays valid after its
 * thread ends (for kthread_stop() on a thread that may end by itself).
 * @t: a kernel thread's task.
 *
 * Return: @t.
 */
struct task_struct *get_task_struct(struct task_struct *t);

/**
 * put_task_struct() - drop a reference get_task_struct() took.
 * @t: the task; NULL does nothing.
 */
void put_task_struct(struct task_struct *t);

/* Scheduling hints the host's scheduler is left to: accepted. */
#define set_user_nice(p, nice)		((void)(p), (void)(nice))
#define sched_set_fifo(p)		((void)(p))
#define sched_set_normal(p, nice)	((void)(p), (void)(nice))
/* There are no signals. */
#define signal_pending(p)		((void)(p), 0)
#define fatal_signal_pending(p)		((void)(p), 0)

#ifdef __cplusplus
}
#endif

#endif
