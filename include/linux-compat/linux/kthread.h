/* SPDX-License-Identifier: MIT */
/*
 * <linux/kthread.h> for driver code built against dmakit: kernel threads,
 * each a host thread (pthreads), with Linux's life cycle. A thread
 * kthread_create() makes waits until wake_up_process() starts it (or
 * kthread_stop() ends it unstarted: its function never runs); the
 * function runs, asking kthread_should_stop() as often as it likes, and
 * kthread_stop() waits for it to return and gives its result. The
 * task is freed when its thread has ended and every reference is gone
 * (kthread_create()'s, dropped by kthread_stop(), and
 * get_task_struct()'s). A thread that returns by itself before
 * kthread_stop() is called leaves its result for it, as long as a
 * reference keeps the task.
 *
 * Threads start with no machine of their own, so their DMA API calls
 * find the machine as any other thread does (the last one booted).
 */
#ifndef DMAKIT_COMPAT_LINUX_KTHREAD_H
#define DMAKIT_COMPAT_LINUX_KTHREAD_H

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/numa.h>
#include <linux/sched.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * kthread_create_on_node() - make a kernel thread, not yet running.
 * @threadfn: what it runs; its return is kthread_stop()'s.
 * @data: @threadfn's argument.
 * @node: NUMA_NO_NODE or 0 (the only node).
 * @namefmt: printf format of its name (comm, cut to 15 characters).
 * @...: the format's arguments.
 *
 * Return: its task, or ERR_PTR(-ENOMEM) / ERR_PTR(-EAGAIN) (no host
 * thread), ERR_PTR(-EINVAL) (NULL @threadfn, another node).
 */
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
					   void *data, int node,
					   const char *namefmt, ...)
	__attribute__((format(printf, 4, 5)));

#define kthread_create(threadfn, data, namefmt, ...)			\
	kthread_create_on_node(threadfn, data, NUMA_NO_NODE, namefmt,	\
			       ##__VA_ARGS__)

/* kthread_create() and wake_up_process() in one; the task or ERR_PTR. */
#define kthread_run(threadfn, data, namefmt, ...)			\
	({								\
		struct task_struct *__k = kthread_create(threadfn, data, \
						namefmt, ##__VA_ARGS__); \
		if (!IS_ERR(__k))					\
			wake_up_process(__k);				\
		__k;							\
	})

/**
 * kthread_should_stop() - whether kthread_stop() was called for the
 * calling kernel thread.
 *
 * Return: true once it was; false in a thread that is no kernel thread.
 */
bool kthread_should_stop(void);

/**
 * kthread_stop() - tell a kernel thread to stop, and wait until it has.
 * @k: the task (its kthread_create() reference is dropped).
 *
 * Context: sleeps in real time until the thread returns.
 * Return: the thread function's result; -EINTR if it never started;
 * -EINVAL for NULL or a task that is no kernel thread.
 */
int kthread_stop(struct task_struct *k);

/**
 * kthread_stop_put() - kthread_stop(), then put_task_struct().
 * @k: the task.
 *
 * Return: as kthread_stop().
 */
int kthread_stop_put(struct task_struct *k);

/**
 * kthread_bind_mask() - run a kernel thread not yet started only on the
 * CPUs of @mask (the host's affinity).
 * @k: the task.
 * @mask: the CPUs; an empty set, or CPUs the process may not use, leave
 *        the thread where it was, with a warning.
 */
void kthread_bind_mask(struct task_struct *k, const struct cpumask *mask);

/**
 * kthread_bind() - kthread_bind_mask() to one CPU.
 * @k: the task.
 * @cpu: the CPU.
 */
void kthread_bind(struct task_struct *k, unsigned int cpu);

#ifdef __cplusplus
}
#endif

#endif
