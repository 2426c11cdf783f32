// SPDX-License-Identifier: MIT
/*
 * Kernel threads (tests/linux/kthreadq.c): their life cycle, and a
 * driver whose debugfs ioctl runs threads that DMA-map buffers, as the
 * kernel's DMA map benchmark does; opened and called as a user program
 * would, with its argument in user memory.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/mm.h>

#include "harness.h"
#include "linux/kthreadq.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	q@10070000 { compatible = \"acme,kq\", \"dmakit,generic-master\"; }; };\n"
	"};\n";

TEST(linux_kthread_life_cycle)
{
	long long out[8];

	CHECK_EQ(kq_lifecycle(out), 7);
	CHECK_EQ(out[0], -EINTR);	/* stopped before it was woken */
	CHECK_EQ(out[1], 0);		/* ... so it never ran */
	CHECK_EQ(out[2], 1);
	CHECK_EQ(out[3], 0);
	CHECK_EQ(out[4], 42);
	CHECK_EQ(out[5], 1);		/* current->comm was "kq-wait" */
	CHECK_EQ(out[6], 7);		/* returned by itself, result kept */
}

TEST(linux_read_once_write_once_between_kernel_threads)
{
	int small_ok = 0;

	CHECK_EQ(kq_once_flags(&small_ok), 1000);
	CHECK(small_ok);
}

TEST(linux_debugfs_ioctl_runs_kthreads_that_map)
{
	struct testmachine t;
	struct kq_req *req;
	struct kq_req r = { .threads = 3, .maps = 20 };
	struct device *dev;
	long err;
	void *f;
	FILE *sink;

	t = testmachine_boot(tree, NULL, NULL);
	sink = testdebug_start();
	req = (struct kq_req *)dk_user_mmap_anon(sizeof(*req));
	CHECK(req != NULL);
	CHECK_EQ(copy_to_user(req, &r, sizeof(r)), 0);
	CHECK(kq_open("kq", &err) == NULL);
	CHECK_EQ(err, -EISDIR);
	f = kq_open("kq/run", &err);
	CHECK(f != NULL);
	CHECK_EQ(kq_ioctl_file(f, KQ_RUN, (unsigned long)req), 0);
	CHECK_EQ(copy_from_user(&r, req, sizeof(r)), 0);
	CHECK_EQ(r.status, 0);
	CHECK_EQ(r.mapped, 60);
	CHECK_EQ(r.sum, 3 * 210);	/* 1 + ... + 20 per thread */
	CHECK_EQ(r.sqrt_sum, 25);	/* 25 * 25 <= 630 < 26 * 26 */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	CHECK_EQ(kq_ioctl_file(f, 0x1234, 0), -ENOTTY);
	/* A kernel pointer is no user address. */
	CHECK_EQ(kq_ioctl_file(f, KQ_RUN, (unsigned long)&r), -EFAULT);
	/* Unbound: the file is gone, the one still open answers -EIO. */
	dev = dk_machine_find_device(t.m, "q@10070000");
	device_release_driver(dev);
	CHECK_EQ(kq_ioctl_file(f, KQ_RUN, (unsigned long)req), -EIO);
	CHECK_EQ(kq_close(f), 0);
	CHECK(kq_open("kq/run", &err) == NULL);
	CHECK_EQ(err, -ENOENT);
	CHECK_EQ(dk_user_munmap(req), 0);
	testdebug_end(sink);
	testmachine_shutdown(&t);
}

TEST(linux_sleep_gives_kernel_threads_real_time)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u64 t0 = dk_soc_now(t.soc);
	int ran = 0;

	/* 20 ms on the simulated clock, and as long in real time, in which
	 * the thread runs. */
	CHECK(kq_sleep_beside_a_thread(20, &ran) >= 20000000ULL);
	CHECK_EQ(ran, 1);
	CHECK_EQ(dk_soc_now(t.soc) - t0, 20000000ULL);
	testmachine_shutdown(&t);
}

TEST(linux_wait_sees_what_a_kernel_thread_does)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	unsigned long long sim = 0;

	/* Nothing is pending on the simulated clock, yet the wait does not
	 * run out at once: it goes at the pace of real time while the
	 * thread works, and ends when the thread wakes it. */
	CHECK(kq_wait_for_a_thread(3000, &sim) > 0);
	/* At least about the thread's 3 ms (the caller may be preempted
	 * between saying it waits and waiting: a third is kept), and well
	 * before the 10 s timeout, which a loaded machine never nears. */
	CHECK(sim >= 1000000ULL && sim < 9000000000ULL);
	testmachine_shutdown(&t);
}
