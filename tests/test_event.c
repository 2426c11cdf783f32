// SPDX-License-Identifier: MIT
/* The deterministic event loop and interrupt delivery. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <dmakit/error.h>

#include "harness.h"
#include "testsoc.h"

static char order[16];
static int norder;
static u64 when[16];

static void rec(struct dk_soc *soc, void *arg)
{
	when[norder] = dk_soc_now(soc);
	order[norder++] = (char)(intptr_t)arg;
}

static void chain(struct dk_soc *soc, void *arg)
{
	rec(soc, arg);
	dk_soc_schedule(soc, 0, rec, (void *)(intptr_t)'z');
}

TEST(event_order_by_time_then_schedule_order)
{
	struct dk_soc *soc;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	norder = 0;
	dk_soc_schedule(soc, 30, rec, (void *)(intptr_t)'c');
	dk_soc_schedule(soc, 10, rec, (void *)(intptr_t)'a');
	dk_soc_schedule(soc, 30, rec, (void *)(intptr_t)'d');
	dk_soc_schedule(soc, 10, chain, (void *)(intptr_t)'b');
	CHECK_EQ(dk_soc_step(soc), 1);
	CHECK_EQ(norder, 1);
	CHECK_EQ(dk_soc_now(soc), 10);
	CHECK_EQ(dk_soc_run(soc, 0), 4);
	CHECK_EQ(dk_soc_step(soc), 0);
	order[norder] = 0;
	CHECK(!strcmp(order, "abzcd"));
	CHECK_EQ(when[2], 10);
	CHECK_EQ(when[4], 30);
	CHECK_EQ(dk_soc_schedule(soc, 1, NULL, NULL), -EINVAL);
	/* max_events bounds a run. */
	dk_soc_schedule(soc, 1, rec, (void *)(intptr_t)'x');
	dk_soc_schedule(soc, 2, rec, (void *)(intptr_t)'y');
	CHECK_EQ(dk_soc_run(soc, 1), 1);
	CHECK_EQ(dk_soc_run(soc, 0), 1);
	dk_soc_free(soc);
}

static int irq_seen = -1, irq_count;

static void handler(int irq, void *arg)
{
	irq_seen = irq;
	irq_count += *(int *)arg;
}

TEST(event_irq_delivery)
{
	struct dk_soc *soc;
	int inc = 1;

	CHECK_EQ(dk_soc_load_default(NULL, &soc), 0);
	irq_count = 0;
	CHECK_EQ(dk_soc_request_irq(soc, 9, handler, &inc), 0);
	CHECK_EQ(dk_soc_request_irq(soc, 9, handler, &inc), -EBUSY);
	CHECK_EQ(dk_soc_request_irq(soc, DK_MAX_IRQ, handler, &inc), -EINVAL);
	CHECK_EQ(dk_soc_request_irq(soc, -1, handler, &inc), -EINVAL);
	CHECK_EQ(dk_soc_request_irq(soc, 3, NULL, &inc), -EINVAL);
	dk_soc_raise_irq(soc, 9);
	CHECK_EQ(irq_count, 0);		/* not synchronous */
	dk_soc_run(soc, 0);
	CHECK_EQ(irq_seen, 9);
	CHECK_EQ(irq_count, 1);
	CHECK_EQ(dk_soc_now(soc), 1);
	dk_soc_free_irq(soc, 9);
	dk_soc_raise_irq(soc, 9);
	dk_soc_run(soc, 0);
	CHECK_EQ(irq_count, 1);
	CHECK_EQ(dk_soc_spurious_irqs(soc), 1);
	dk_soc_free(soc);
}
