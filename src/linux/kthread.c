// SPDX-License-Identifier: MIT
/*
 * Kernel threads as host threads, and current (<linux/kthread.h>,
 * <linux/sched.h>, <linux/cpumask.h>).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/cpumask.h>
#include <linux/kthread.h>

#include "linux.h"

struct dk_kthread {
	int (*fn)(void *data);
	void *data;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool woken;		/* wake_up_process() */
	bool should_stop;	/* kthread_stop() */
	bool exited;		/* the host thread is done with the task */
	int result;
	int refs;		/* the creator's, the thread's, get_task_struct's */
};

static __thread struct task_struct *self;
/* Kernel threads woken and not ended (dk_kthreads_running()). */
static unsigned int running;
/* A thread that is no kernel thread: its task, made on first use. */
static __thread struct task_struct plain;

static int tid(void)
{
	return (int)syscall(SYS_gettid);
}

struct task_struct *dk_current_task(void)
{
	if (self)
		return self;
	if (!plain.pid) {
		plain.pid = tid();
		if (pthread_getname_np(pthread_self(), plain.comm,
				       sizeof(plain.comm)))
			snprintf(plain.comm, sizeof(plain.comm), "task-%d",
				 plain.pid);
	}
	return &plain;
}

/* Drop a reference with @k->lock held; frees the task on the last one
 * (then the lock is gone: the caller must not unlock). */
static bool put_locked(struct task_struct *t)
{
	struct dk_kthread *k = t->dk_kthread;

	if (--k->refs > 0)
		return false;
	pthread_mutex_unlock(&k->lock);
	pthread_mutex_destroy(&k->lock);
	pthread_cond_destroy(&k->cond);
	free(k);
	free(t);
	return true;
}

static void *run(void *arg)
{
	struct task_struct *t = arg;
	struct dk_kthread *k = t->dk_kthread;
	bool go;

	self = t;
	pthread_mutex_lock(&k->lock);
	t->pid = tid();
	while (!k->woken && !k->should_stop)
		pthread_cond_wait(&k->cond, &k->lock);
	/* Stopped before it was woken: its function never runs. */
	go = !k->should_stop;
	pthread_mutex_unlock(&k->lock);
	k->result = go ? k->fn(k->data) : -EINTR;
	pthread_mutex_lock(&k->lock);
	if (k->woken)
		__atomic_sub_fetch(&running, 1, __ATOMIC_RELAXED);
	k->exited = true;
	pthread_cond_broadcast(&k->cond);
	if (!put_locked(t))
		pthread_mutex_unlock(&k->lock);
	return NULL;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
					   void *data, int node,
					   const char *namefmt, ...)
{
	struct task_struct *t;
	struct dk_kthread *k;
	pthread_attr_t attr;
	va_list ap;
	int r;

	if (!threadfn || (node != NUMA_NO_NODE && node != 0))
		return ERR_PTR(dk_err(-EINVAL, "kthread_create: %s",
				      threadfn ? "no such NUMA node" :
						 "NULL thread function"));
	t = calloc(1, sizeof(*t));
	k = calloc(1, sizeof(*k));
	if (!t || !k) {
		free(t);
		free(k);
		return ERR_PTR(dk_err(-ENOMEM, "kthread_create: out of memory"));
	}
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt ? namefmt : "kthread", ap);
	va_end(ap);
	t->dk_kthread = k;
	k->fn = threadfn;
	k->data = data;
	k->refs = 2;
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->cond, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&k->thread, &attr, run, t);
	pthread_attr_destroy(&attr);
	if (r) {
		pthread_mutex_destroy(&k->lock);
		pthread_cond_destroy(&k->cond);
		free(k);
		free(t);
		return ERR_PTR(dk_err(-EAGAIN, "kthread_create(%s): no host thread: %s",
				      namefmt ? namefmt : "", strerror(r)));
	}
	/* Named for debuggers and ps; a name the host refuses is no error. */
	(void)pthread_setname_np(k->thread, t->comm);
	return t;
}

int wake_up_process(struct task_struct *p)
{
	struct dk_kthread *k = p ? p->dk_kthread : NULL;
	int was;

	if (!k)
		return 0;
	pthread_mutex_lock(&k->lock);
	was = !k->woken && !k->should_stop;
	if (!k->woken && !k->exited)
		__atomic_add_fetch(&running, 1, __ATOMIC_RELAXED);
	k->woken = true;
	pthread_cond_broadcast(&k->cond);
	pthread_mutex_unlock(&k->lock);
	return was;
}

bool kthread_should_stop(void)
{
	struct dk_kthread *k = self ? self->dk_kthread : NULL;
	bool stop;

	if (!k)
		return false;
	pthread_mutex_lock(&k->lock);
	stop = k->should_stop;
	pthread_mutex_unlock(&k->lock);
	return stop;
}

struct task_struct *get_task_struct(struct task_struct *t)
{
	struct dk_kthread *k = t ? t->dk_kthread : NULL;

	if (k) {
		pthread_mutex_lock(&k->lock);
		k->refs++;
		pthread_mutex_unlock(&k->lock);
	}
	return t;
}

void put_task_struct(struct task_struct *t)
{
	struct dk_kthread *k = t ? t->dk_kthread : NULL;

	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	if (!put_locked(t))
		pthread_mutex_unlock(&k->lock);
}

int kthread_stop(struct task_struct *t)
{
	struct dk_kthread *k = t ? t->dk_kthread : NULL;
	int r;

	if (!k)
		return dk_err(-EINVAL, "kthread_stop: %s",
			      t ? "not a kernel thread" : "NULL task");
	pthread_mutex_lock(&k->lock);
	k->should_stop = true;
	pthread_cond_broadcast(&k->cond);
	while (!k->exited)
		pthread_cond_wait(&k->cond, &k->lock);
	r = k->result;
	if (!put_locked(t))
		pthread_mutex_unlock(&k->lock);
	return r;
}

int kthread_stop_put(struct task_struct *k)
{
	int r;

	get_task_struct(k);
	r = kthread_stop(k);
	put_task_struct(k);
	put_task_struct(k);
	return r;
}

void kthread_bind_mask(struct task_struct *t, const struct cpumask *mask)
{
	struct dk_kthread *k = t ? t->dk_kthread : NULL;
	cpu_set_t set;
	int cpu;

	if (!k || !mask)
		return;
	CPU_ZERO(&set);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpumask_test_cpu(cpu, mask))
			CPU_SET(cpu, &set);
	pthread_mutex_lock(&k->lock);
	if (k->exited || !CPU_COUNT(&set) ||
	    pthread_setaffinity_np(k->thread, sizeof(set), &set))
		dk_warn("kthread_bind_mask(%s): cannot bind to CPUs 0x%llx",
			t->comm, (unsigned long long)mask->bits);
	pthread_mutex_unlock(&k->lock);
}

void kthread_bind(struct task_struct *k, unsigned int cpu)
{
	struct cpumask m = { cpu < NR_CPUS ? 1ULL << cpu : 0 };

	kthread_bind_mask(k, &m);
}

static struct cpumask online;
static pthread_once_t online_once = PTHREAD_ONCE_INIT;

static void find_online(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set)) {
		online.bits = 1;
		return;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (CPU_ISSET(cpu, &set))
			online.bits |= 1ULL << cpu;
	if (!online.bits)
		online.bits = 1;
}

const struct cpumask *dk_cpu_online_mask(void)
{
	pthread_once(&online_once, find_online);
	return &online;
}

unsigned int num_online_cpus(void)
{
	return cpumask_weight(dk_cpu_online_mask());
}

unsigned int dk_kthreads_running(void)
{
	return __atomic_load_n(&running, __ATOMIC_RELAXED);
}
