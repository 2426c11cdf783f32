// SPDX-License-Identifier: MIT
/*
 * Loads satisfied early: a device model writes a descriptor's data, then
 * its status, into Normal non-cacheable coherent memory; a CPU that polls
 * the status and reads the data without dma_rmb() sees the old data under
 * adversarial (and, by seed, random), the new data with dma_rmb(), rmb(),
 * mb() or readl() between, after an interrupt, and under never.
 */
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

#define TREE(mapping)							\
	"/dts-v1/;\n"							\
	"/ {\n"								\
	"	#address-cells = <2>; #size-cells = <2>;\n"		\
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n" \
	"	dmakit { " mapping " };\n"				\
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n" \
	"		nc { compatible = \"dmakit,generic-master\"; };\n"	\
	"	};\n"							\
	"};\n"

static const char normal_nc[] = TREE("coherent-mapping = \"normal-nc\";");
static const char strongly_ordered[] = TREE("");

#define DATA 64		/* the data at +64, the status word at +0 */

struct rig {
	struct testmachine t;
	struct device *dev;
	struct dk_simdev *sd;
	u8 *p;
	dma_addr_t h;
	int rounds;	/* descriptors the device has completed */
};

static struct rig rig(const char *tree, int policy, int rate)
{
	struct dk_soc_opts o = testsoc_policy(policy, 7, rate);
	struct rig r = { .t = testmachine_boot(tree, &o, NULL) };

	r.dev = dk_machine_find_device(r.t.m, "nc");
	r.sd = dk_soc_find_dev(r.t.soc, "nc");
	r.p = dma_alloc_coherent(r.dev, 4096, &r.h, GFP_KERNEL);
	return r;
}

/* The device's work: the data (0x10 + round), then the status. */
static void complete(struct dk_soc *soc, void *arg)
{
	struct rig *r = arg;
	u8 data[DATA];
	u32 status = 0x80000000u | (u32)++r->rounds;

	(void)soc;
	memset(data, 0x10 + r->rounds, DATA);
	dk_dev_dma_write(r->sd, r->h + DATA, data, DATA);
	dk_dev_dma_write(r->sd, r->h, &status, 4);
}

/* What udelay() does: the CPU waits, devices get on with their work. */
static void wait_a_bit(struct rig *r)
{
	r->t.pl.ops->cpu_wait(r->t.pl.ctx, 1000, NULL, NULL);
}

enum order { NONE, DMA_RMB, RMB, MB, DMA_WMB };

/* Poll the status as a driver does, then read the first data byte. */
static int poll_then_read(struct rig *r, enum order o)
{
	volatile u32 *status = (volatile u32 *)r->p;
	int i;

	/* The descriptor goes back to the device. */
	*status = 0;
	dma_wmb();
	dk_soc_schedule(r->t.soc, 100, complete, r);
	for (i = 0; i < 100 && !(*status & 0x80000000u); i++)
		wait_a_bit(r);
	if (!(*status & 0x80000000u))
		return -1;
	if (o == DMA_RMB)
		dma_rmb();
	else if (o == RMB)
		rmb();
	else if (o == MB)
		mb();
	else if (o == DMA_WMB)
		dma_wmb();
	return ((volatile u8 *)r->p)[DATA];
}

static void done(struct rig *r)
{
	dma_free_coherent(r->dev, 4096, r->p, r->h);
	testmachine_shutdown(&r->t);
}

TEST(early_loads_data_read_after_status_without_dma_rmb_is_stale)
{
	struct rig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);
	u8 got[DATA];

	CHECK(r.p != NULL);
	memset(r.p + DATA, 0xee, DATA);
	dma_wmb();
	/* The status is new; the data the device wrote first is not. */
	CHECK_EQ(poll_then_read(&r, NONE), 0xee);
	CHECK_EQ(*(u32 *)r.p, 0x80000001u);
	/* The device itself reads what it wrote. */
	CHECK_EQ(dk_dev_dma_read(r.sd, r.h + DATA, got, DATA), 0);
	CHECK(bytes_are(got, 0x11, DATA));
	/* Another wait, and the held write lands. */
	wait_a_bit(&r);
	CHECK(bytes_are(r.p + DATA, 0x11, DATA));
	done(&r);
}

TEST(early_loads_read_barriers_order_them_and_write_barriers_do_not)
{
	struct rig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);

	CHECK_EQ(poll_then_read(&r, DMA_RMB), 0x11);
	CHECK_EQ(poll_then_read(&r, RMB), 0x12);
	CHECK_EQ(poll_then_read(&r, MB), 0x13);
	CHECK_EQ(poll_then_read(&r, DMA_WMB), 0x13);	/* stale: 0x14 held */
	CHECK_EQ(poll_then_read(&r, NONE), 0x14);	/* round 5 held */
	done(&r);
}

TEST(early_loads_policies_and_strongly_ordered_memory)
{
	struct rig r = rig(normal_nc, DK_EVICT_NEVER, -1);
	int i, stale = 0;

	CHECK_EQ(poll_then_read(&r, NONE), 0x11);
	done(&r);
	/* Strongly ordered memory is not bufferable: nothing is held. */
	r = rig(strongly_ordered, DK_EVICT_ADVERSARIAL, -1);
	CHECK_EQ(poll_then_read(&r, NONE), 0x11);
	done(&r);
	/* Random holds each write at its seeded rate: some of 10 rounds. */
	r = rig(normal_nc, DK_EVICT_RANDOM, 50);
	for (i = 0; i < 10; i++) {
		int v = poll_then_read(&r, NONE);

		CHECK(v == 0x11 + i || v == 0x10 + i || v == 0);
		stale += v != 0x11 + i;
		wait_a_bit(&r);
		wait_a_bit(&r);
	}
	CHECK(stale > 0 && stale < 10);
	done(&r);
}

static void handler(int irq, void *arg)
{
	struct rig *r = arg;

	(void)irq;
	/* Taking the interrupt orders what was written before it. */
	r->rounds += 100 * (r->p[DATA] == 0x11);
}

static void complete_irq(struct dk_soc *soc, void *arg)
{
	complete(soc, arg);
	dk_soc_raise_irq(soc, 9);
}

TEST(early_loads_an_interrupt_handler_sees_what_came_before_it)
{
	struct rig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);

	CHECK_EQ(dk_soc_request_irq(r.t.soc, 9, handler, &r), 0);
	dk_soc_schedule(r.t.soc, 100, complete_irq, &r);
	wait_a_bit(&r);
	CHECK_EQ(r.rounds, 101);
	dk_soc_free_irq(r.t.soc, 9);
	done(&r);
}

TEST(early_loads_land_before_the_librarys_own_stores_and_soc_runs)
{
	struct rig r = rig(normal_nc, DK_EVICT_ADVERSARIAL, -1);

	/* dk_soc_run() from outside the CPU shows the SoC as a whole. */
	dk_soc_schedule(r.t.soc, 1, complete, &r);
	dk_soc_run(r.t.soc, 0);
	CHECK(bytes_are(r.p + DATA, 0x11, DATA));
	/* A CPU store made while the write was held is newer: kept. */
	CHECK_EQ(poll_then_read(&r, NONE), 0x11);
	r.p[DATA + 1] = 0x55;
	dma_rmb();
	CHECK_EQ(r.p[DATA], 0x12);
	CHECK_EQ(r.p[DATA + 1], 0x55);
	CHECK_EQ(r.p[DATA + 2], 0x12);
	done(&r);
}

/* The device's work, fetching the descriptor first, as a ring does. */
static void fetch_and_complete(struct dk_soc *soc, void *arg)
{
	struct rig *r = arg;
	u32 desc;

	dk_dev_dma_read(r->sd, r->h, &desc, 4);
	complete(soc, arg);
}

/* Hand the descriptor back and let the device take it: two rounds. */
static int two_rounds(struct rig *r, enum order o)
{
	volatile u32 *status = (volatile u32 *)r->p;
	int round, i, v = -1;

	for (round = 0; round < 2; round++) {
		*status = 0;
		dma_wmb();
		dk_soc_schedule(r->t.soc, 100, fetch_and_complete, r);
		for (i = 0; i < 100 && !(*status & 0x80000000u); i++)
			wait_a_bit(r);
		if (o == DMA_RMB)
			dma_rmb();
		v = ((volatile u8 *)r->p)[DATA];
	}
	return v;
}

TEST(early_loads_the_checker_reports_unordered_loads_under_every_policy)
{
	static const int policies[] = { DK_EVICT_NEVER, DK_EVICT_ADVERSARIAL,
					DK_EVICT_RANDOM };
	const struct dk_dma_finding *f;
	char want[384];
	int k;

	for (k = 0; k < 3; k++) {
		struct rig r = rig(normal_nc, policies[k], 50);
		FILE *sink = testdebug_start();

		two_rounds(&r, NONE);
		/* Round 2's fetch: the CPU gave back a status it had read
		 * with no read barrier after the data written before it. */
		CHECK_EQ(dk_dma_debug_nfindings(), 1);
		f = dk_dma_debug_finding(0);
		CHECK_EQ(f->check, DK_CHK_CPU_LOADS_UNORDERED);
		CHECK_STR(dk_dma_check_name(f->check), "cpu-loads-unordered");
		snprintf(want, sizeof(want),
			 "device read 4 bytes at physical 0x%llx that it had written after other data and that the CPU changed with no read barrier since: the CPU's loads of the earlier data may have been satisfied before this (dma_rmb() after reading a descriptor's status, before its data)",
			 (unsigned long long)r.h);
		CHECK_STR(f->message, want);
		CHECK_EQ(strlen(f->message), strlen(want));
		CHECK_EQ(f->dev_addr, r.h);
		testdebug_end(sink);
		done(&r);

		r = rig(normal_nc, policies[k], 50);
		sink = testdebug_start();
		CHECK_EQ(two_rounds(&r, DMA_RMB), 0x12);
		CHECK_EQ(dk_dma_debug_nfindings(), 0);
		testdebug_end(sink);
		done(&r);
	}
}
