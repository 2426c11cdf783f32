// SPDX-License-Identifier: MIT
/*
 * The kernel infrastructure Linux drivers take for granted, compiled from
 * <linux/...> includes alone (tests/linux/mathq.c, waitq.c): exact values,
 * and wait queues on the simulated clock.
 */
#include <dmakit/soc.h>

#include "harness.h"
#include "linux/mathq.h"
#include "linux/waitq.h"
#include "testsoc.h"

TEST(linux_kernel_helpers_exact_values)
{
	static const long long want[] = {
		8192, 100, 4, -4, 33333333, 12, 9,
		16, 8, 16, 1, 3, 64, 255, 1, 0x5a0, 0x44332211, 0xbeef,
		0x3412, 0x100000000LL, 2, -7 /* -E2BIG */, 1, 10, 1, 0,
		-19 /* -ENODEV */, 0, 1, -5 /* -EIO */,
		1 + 4 + 16 /* IS_ENABLED... */, 1 /* CONFIG_OF */,
		0xffffffffLL, 9010, 142857142857LL, 1000000007LL,
		1610612736LL, -3, 507, 190, 1,
	};
	long long out[48];
	int i, n = mathq_run(out);

	CHECK_EQ(n, (int)(sizeof(want) / sizeof(want[0])));
	for (i = 0; i < n; i++)
		CHECK_EQ(out[i], want[i]);
}

TEST(linux_wait_event_timeout_runs_on_the_simulated_clock)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u64 t0 = dk_soc_now(t.soc);

	/* Already true: all 5 jiffies left, no time spent. */
	CHECK_EQ(waitq_wait(1, 5), 5);
	CHECK_EQ(dk_soc_now(t.soc), t0);
	/* Never true and nothing wakes it: 0 after exactly 5 jiffies of
	 * 10 ms on the SoC's clock. */
	CHECK_EQ(waitq_wait(0, 5), 0);
	CHECK_EQ(dk_soc_now(t.soc) - t0, 50000000ULL);
	CHECK_EQ(waitq_wait(0, 0), 0);
	testmachine_shutdown(&t);
}
