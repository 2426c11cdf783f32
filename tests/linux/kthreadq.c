// SPDX-License-Identifier: MIT
/*
 * Kernel threads and what they use, from a driver written as upstream
 * ones are, with only <linux/...> includes (tests/test_linux_kthread.c):
 * a platform driver whose debugfs file "kq/run" takes an ioctl that
 * starts kernel threads, each DMA-mapping a page buffer of its own and
 * counting into an atomic64_t, as the kernel's DMA map benchmark does;
 * and the kthread life cycle on its own.
 */
#include <linux/atomic.h>
#include <fcntl.h>
#include <time.h>

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "kthreadq.h"

struct kq {
	struct device *dev;
	struct dentry *dir;
	struct kq_req req;
	atomic64_t sum, mapped;
	atomic_t status, finished;
};

static int kq_thread(void *data)
{
	struct kq *kq = data;
	void *buf = alloc_pages_exact(2 * PAGE_SIZE, GFP_KERNEL);
	u32 i;

	if (!buf)
		return -ENOMEM;
	for (i = 1; i <= kq->req.maps; i++) {
		dma_addr_t a;

		memset(buf, (int)i, 2 * PAGE_SIZE);
		a = dma_map_single(kq->dev, buf, 2 * PAGE_SIZE, DMA_TO_DEVICE);
		if (dma_mapping_error(kq->dev, a)) {
			atomic_cmpxchg(&kq->status, 0, -ENOMEM);
			break;
		}
		atomic64_inc(&kq->mapped);
		dma_unmap_single(kq->dev, a, 2 * PAGE_SIZE, DMA_TO_DEVICE);
		atomic64_add(i, &kq->sum);
	}
	free_pages_exact(buf, 2 * PAGE_SIZE);
	atomic_inc(&kq->finished);
	return 0;
}

static int kq_run(struct kq *kq)
{
	struct task_struct *tsk[8];
	u32 i, n = kq->req.threads;
	int ret = 0;

	atomic64_set(&kq->sum, 0);
	atomic64_set(&kq->mapped, 0);
	atomic_set(&kq->status, 0);
	atomic_set(&kq->finished, 0);
	for (i = 0; i < n; i++) {
		tsk[i] = kthread_create_on_node(kq_thread, kq, NUMA_NO_NODE,
						"kq/%u", i);
		if (IS_ERR(tsk[i])) {
			n = i;
			ret = PTR_ERR(tsk[i]);
			break;
		}
		get_task_struct(tsk[i]);
		wake_up_process(tsk[i]);
	}
	/* A thread stopped before it ran would not run at all. */
	while (atomic_read(&kq->finished) < (int)n)
		cond_resched();
	for (i = 0; i < n; i++) {
		int r = kthread_stop(tsk[i]);

		if (r && !ret)
			ret = r;
		put_task_struct(tsk[i]);
	}
	kq->req.sum = atomic64_read(&kq->sum);
	kq->req.mapped = atomic64_read(&kq->mapped);
	kq->req.sqrt_sum = int_sqrt64(kq->req.sum);
	kq->req.status = ret ? ret : atomic_read(&kq->status);
	return 0;
}

static long kq_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kq *kq = file->private_data;
	void __user *argp = (void __user *)arg;

	if (cmd != KQ_RUN)
		return -ENOTTY;
	if (copy_from_user(&kq->req, argp, sizeof(kq->req)))
		return -EFAULT;
	if (kq->req.threads < 1 || kq->req.threads > 8)
		return -EINVAL;
	kq_run(kq);
	if (copy_to_user(argp, &kq->req, sizeof(kq->req)))
		return -EFAULT;
	return 0;
}

static const struct file_operations kq_fops = {
	.open = simple_open,
	.unlocked_ioctl = kq_ioctl,
};

static void kq_remove_debugfs(void *data)
{
	struct kq *kq = data;

	debugfs_remove_recursive(kq->dir);
}

static int kq_probe(struct platform_device *pdev)
{
	struct kq *kq = devm_kzalloc(&pdev->dev, sizeof(*kq), GFP_KERNEL);
	struct dentry *f;
	int ret;

	if (!kq)
		return -ENOMEM;
	kq->dev = &pdev->dev;
	kq->dir = debugfs_create_dir("kq", NULL);
	if (IS_ERR(kq->dir))
		return PTR_ERR(kq->dir);
	ret = devm_add_action_or_reset(&pdev->dev, kq_remove_debugfs, kq);
	if (ret)
		return ret;
	f = debugfs_create_file("run", 0600, kq->dir, kq, &kq_fops);
	return PTR_ERR_OR_ZERO(f);
}

static const struct of_device_id kq_of_match[] = {
	{ .compatible = "acme,kq" },
	{ }
};
MODULE_DEVICE_TABLE(of, kq_of_match);

static struct platform_driver kq_driver = {
	.probe = kq_probe,
	.driver = {
		.name = "kq",
		.of_match_table = kq_of_match,
	},
};
module_platform_driver(kq_driver);

static int kq_never(void *data)
{
	atomic_inc(data);
	return 5;
}

static int kq_until_stopped(void *data)
{
	atomic_t *saw_name = data;

	atomic_set(saw_name, strcmp(current->comm, "kq-wait") ? 2 : 1);
	while (!kthread_should_stop())
		msleep(1);
	return 42;
}

static int kq_by_itself(void *data)
{
	atomic_set(data, 1);
	return 7;
}

int kq_lifecycle(long long out[8])
{
	atomic_t ran = ATOMIC_INIT(0), saw = ATOMIC_INIT(0);
	atomic_t done = ATOMIC_INIT(0);
	struct task_struct *t;
	int n = 0;

	t = kthread_create(kq_never, &ran, "kq-never");
	out[n++] = kthread_stop(t);
	out[n++] = atomic_read(&ran);
	t = kthread_create(kq_until_stopped, &saw, "kq-%s", "wait");
	out[n++] = wake_up_process(t);
	out[n++] = wake_up_process(t);
	/* Stopped before it ran, it would not run (as in Linux). */
	while (!atomic_read(&saw))
		cond_resched();
	out[n++] = kthread_stop(t);
	out[n++] = atomic_read(&saw);
	t = kthread_run(kq_by_itself, &done, "kq-self");
	get_task_struct(t);
	while (!atomic_read(&done))
		cond_resched();
	out[n++] = kthread_stop(t);
	put_task_struct(t);
	return n;
}

/* Flags and a counter shared with READ_ONCE()/WRITE_ONCE() alone, as
 * kernel code may: marked accesses, no lock. */
struct kq_once {
	int go, done;
	unsigned long count;
	void *last;
	u8 small;
};

static int kq_once_worker(void *data)
{
	struct kq_once *o = data;
	unsigned long i;

	while (!READ_ONCE(o->go))
		cond_resched();
	for (i = 1; i <= 1000; i++) {
		WRITE_ONCE(o->count, i);
		WRITE_ONCE(o->small, (u8)i);
	}
	WRITE_ONCE(o->last, o);
	WRITE_ONCE(o->done, 1);
	while (!kthread_should_stop())
		cond_resched();
	return 0;
}

unsigned long kq_once_flags(int *small_ok)
{
	struct kq_once o = { 0 };
	struct task_struct *t = kthread_run(kq_once_worker, &o, "kq-once");
	unsigned long seen = 0, now;

	WRITE_ONCE(o.go, 1);
	while (!READ_ONCE(o.done)) {
		now = READ_ONCE(o.count);	/* never goes back */
		if (now < seen)
			break;
		seen = now;
		cond_resched();
	}
	*small_ok = READ_ONCE(o.last) == &o && READ_ONCE(o.small) == (u8)1000;
	now = READ_ONCE(o.count);
	kthread_stop(t);
	return now;
}

static int kq_spin(void *data)
{
	while (!kthread_should_stop())
		cond_resched();
	return 0;
}

unsigned long long kq_sleep_beside_a_thread(unsigned int ms, int *ran)
{
	struct task_struct *t = kthread_run(kq_spin, NULL, "kq-spin");
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	msleep(ms);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*ran = kthread_stop(t) != -EINTR;
	return (b.tv_sec - a.tv_sec) * 1000000000ULL + b.tv_nsec - a.tv_nsec;
}

struct kq_waker {
	unsigned int us;
	bool armed;		/* the caller is about to wait */
	bool flag;
	wait_queue_head_t wq;
};

static int kq_wake_later(void *data)
{
	struct kq_waker *w = data;
	struct timespec a, b;

	/* Count from the caller's wait, not from this thread's start: on a
	 * loaded machine the caller may run late. */
	while (!smp_load_acquire(&w->armed))
		cond_resched();
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		cond_resched();
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000000LL +
		 (b.tv_nsec - a.tv_nsec) / 1000 < w->us);
	smp_store_release(&w->flag, true);
	wake_up(&w->wq);
	return 0;
}

long kq_wait_for_a_thread(unsigned int us, unsigned long long *sim_ns)
{
	struct kq_waker w = { .us = us };
	struct task_struct *t;
	ktime_t t0;
	long left;

	init_waitqueue_head(&w.wq);
	t = kthread_run(kq_wake_later, &w, "kq-waker");
	t0 = ktime_get();
	smp_store_release(&w.armed, true);
	left = wait_event_timeout(w.wq, smp_load_acquire(&w.flag), 10 * HZ);
	*sim_ns = ktime_get() - t0;
	kthread_stop(t);
	return left;
}

void *kq_open(const char *path, long *err)
{
	struct file *f = dk_debugfs_open(path, O_RDWR);

	*err = IS_ERR(f) ? PTR_ERR(f) : 0;
	return IS_ERR(f) ? NULL : f;
}

long kq_ioctl_file(void *file, unsigned int cmd, unsigned long arg)
{
	return dk_debugfs_ioctl(file, cmd, arg);
}

int kq_close(void *file)
{
	return dk_debugfs_release(file);
}

MODULE_DESCRIPTION("Kernel threads mapping buffers, driven through debugfs");
MODULE_LICENSE("Dual MIT/GPL");
