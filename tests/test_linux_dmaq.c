// SPDX-License-Identifier: MIT
/*
 * What the kernel's dmatest takes from the kernel, through a
 * dmatest-like module (tests/linux/dmaq.c): module parameters set and
 * read as through sysfs (callbacks run, permissions hold, strings and
 * integers parse as Linux's do), dma_request_channel() with a capability
 * mask and a filter on the default SoC's memcpy engine, and
 * dmaengine_unmap_data unmapping a copy's buffers, with exact bytes and
 * no checker finding; lists and the random generator.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>

#include "harness.h"
#include "linux/dmaq.h"
#include "testsoc.h"

/* The <linux/moduleparam.h> and <linux/random.h> entry points. */
int dk_param_set(const char *name, const char *val);
int dk_param_get(const char *name, char *buf, size_t len);
void dk_random_seed(u64 seed);
u64 get_random_u64(void);

TEST(linux_module_params_as_sysfs_has_them)
{
	char buf[64];

	CHECK_EQ(dk_param_set("dmaq.len", "0x100\n"), 0);
	CHECK_EQ(dmaq_len, 256);
	CHECK_EQ(dk_param_set("len", "4096"), 0);	/* module left out */
	CHECK_EQ(dk_param_get("dmaq.len", buf, sizeof(buf)), 5);
	CHECK_STR(buf, "4096\n");
	CHECK_EQ(dk_param_set("dmaq.len", "-1"), -EINVAL);
	CHECK_EQ(dk_param_set("dmaq.len", "4294967296"), -ERANGE);
	CHECK_EQ(dk_param_set("dmaq.len", "12ab"), -EINVAL);
	CHECK_EQ(dmaq_len, 4096);
	CHECK_EQ(dk_param_set("dmaq.chan", "dma0chan2\n"), 0);
	CHECK_STR(dmaq_chan, "dma0chan2");
	CHECK_EQ(dk_param_set("dmaq.chan", "a-name-longer-than-19"), -ENOSPC);
	CHECK_EQ(dk_param_get("dmaq.quiet", buf, sizeof(buf)), 2);
	CHECK_STR(buf, "Y\n");
	CHECK_EQ(dk_param_set("dmaq.quiet", "n"), -EPERM);	/* 0444 */
	CHECK_STR(dk_last_error(), "dk_param_set: dmaq.quiet is read-only");
	CHECK_EQ(dk_param_set("dmaq.nosuch", "1"), -ENOENT);
	CHECK_EQ(dk_param_set("other.len", "1"), -ENOENT);
	CHECK_EQ(dk_param_set("dmaq.run", "maybe"), -EINVAL);
	CHECK_EQ(dmaq_runs, 0);
	CHECK_EQ(dk_param_set("dmaq.len", "256"), 0);
	CHECK_EQ(dk_param_set("dmaq.chan", ""), 0);
}

TEST(linux_dma_request_channel_filter_and_unmap_data)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	FILE *sink = testdebug_start();
	int runs = dmaq_runs;
	char name[32];

	CHECK_EQ(driver_register(&dk_m2m_dma_driver), 0);
	CHECK_EQ(dk_param_set("dmaq.len", "1000"), 0);
	/* Every memcpy channel of the engine, each copying exactly. */
	CHECK_EQ(dk_param_set("dmaq.run", "1"), 0);
	CHECK_EQ(dmaq_runs, runs + 1);
	CHECK_EQ(dmaq_last.channels, 4);
	CHECK_EQ(dmaq_last.copied, 4);
	CHECK_EQ(dmaq_last.bad, 0);
	/* The filter: one channel by name ("dma<N>chan2": N counts the
	 * providers registered in this process so far). */
	CHECK_EQ(strncmp(dmaq_last.first, "dma", 3), 0);
	CHECK(strstr(dmaq_last.first, "chan0") != NULL);
	snprintf(name, sizeof(name), " %.*schan2 ",
		 (int)(strstr(dmaq_last.first, "chan0") - dmaq_last.first),
		 dmaq_last.first);
	CHECK_EQ(dk_param_set("dmaq.chan", name), 0);
	CHECK_EQ(dk_param_set("dmaq.run", "y"), 0);
	CHECK_EQ(dmaq_last.channels, 1);
	CHECK_EQ(strncmp(dmaq_last.first, name + 1, strlen(name) - 2), 0);
	CHECK_EQ(dmaq_last.copied, 1);
	/* Every mapping was given back by dmaengine_unmap_put(). */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Mapped as single, unmapped as page by dmaengine_unmap_put(): the
	 * checker says so for both buffers, as Linux's dma-debug does. */
	CHECK_EQ(dk_param_set("dmaq.single", "1"), 0);
	CHECK_EQ(dk_param_set("dmaq.run", "1"), 0);
	CHECK_EQ(dmaq_last.copied, 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	if (dk_dma_debug_nfindings() == 2) {
		const struct dk_dma_finding *f0 = dk_dma_debug_finding(0);
		const struct dk_dma_finding *f1 = dk_dma_debug_finding(1);

		CHECK_EQ(f0->check, DK_CHK_FREE_WRONG_FUNC);
		CHECK(strstr(f0->message,
			     "device driver frees DMA memory with wrong function [device address=") != NULL);
		CHECK(strstr(f1->message,
			     "[size=1000 bytes] [mapped as single] [unmapped as page]") != NULL);
	}
	CHECK_EQ(dk_param_set("dmaq.single", "0"), 0);
	CHECK_EQ(dk_param_set("dmaq.chan", ""), 0);
	CHECK_EQ(dk_param_set("dmaq.len", "256"), 0);
	testdebug_end(sink);
	testmachine_shutdown(&t);
}

TEST(linux_lists_and_random_numbers)
{
	u64 a, b;

	/* 5 4 3 1, a empty, 4 entries, first 5, last 1. */
	CHECK_EQ(dmaq_lists(), 54311451LL);
	dk_random_seed(7);
	a = get_random_u64();
	dk_random_seed(7);
	b = get_random_u64();
	CHECK_EQ(a, b);
	CHECK(get_random_u64() != b);
	dk_random_seed(8);
	CHECK(get_random_u64() != a);
}
