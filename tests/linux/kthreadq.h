/* SPDX-License-Identifier: MIT */
/* tests/linux/kthreadq.c: kernel threads, atomics and a debugfs ioctl. */
#ifndef DMAKIT_TESTS_LINUX_KTHREADQ_H
#define DMAKIT_TESTS_LINUX_KTHREADQ_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The ioctl of debugfs file "kq/run". */
struct kq_req {
	__u32 threads;		/* in: 1..8 */
	__u32 maps;		/* in: map+unmap rounds per thread */
	__u64 sum;		/* out: the threads' atomic64 total */
	__u64 mapped;		/* out: mappings made */
	__u32 sqrt_sum;		/* out: int_sqrt64(sum) */
	__s32 status;		/* out: the first thread's error, or 0 */
};
#define KQ_RUN		_IOWR('k', 1, struct kq_req)

/*
 * The life cycle, each in order: kthread_stop() of a thread never woken
 * (its result; whether it ran), wake_up_process() twice on one that
 * stops when told (1 then 0), that kthread_stop()'s result, whether the
 * thread saw its name as current->comm, and kthread_stop() of a thread
 * that returned by itself while a reference held it.
 */
int kq_lifecycle(long long out[8]);

/*
 * A kernel thread counts to 1000 in a word the caller reads meanwhile,
 * all through READ_ONCE()/WRITE_ONCE() (clean under ThreadSanitizer, as
 * Linux's memory model has them): the count at the end, and in
 * *@small_ok whether a byte and a pointer written the same way arrived.
 */
unsigned long kq_once_flags(int *small_ok);

/*
 * msleep(@ms) while a kernel thread spins until stopped: the real time
 * the sleep took, in ns, and whether the thread ran (kthread_stop()'s
 * result was not -EINTR).
 */
unsigned long long kq_sleep_beside_a_thread(unsigned int ms, int *ran);

/*
 * wait_event_timeout() of 10 s for what a kernel thread does after @us
 * microseconds of real time: the jiffies left (0: timed out), and the
 * simulated time the wait took in *@sim_ns.
 */
long kq_wait_for_a_thread(unsigned int us, unsigned long long *sim_ns);

/* dk_debugfs_open() of @path: the open file, or NULL with *@err set. */
void *kq_open(const char *path, long *err);
/* dk_debugfs_ioctl() and dk_debugfs_release() of what kq_open() gave. */
long kq_ioctl_file(void *file, unsigned int cmd, unsigned long arg);
int kq_close(void *file);

#endif
