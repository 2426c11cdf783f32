// SPDX-License-Identifier: MIT
/*
 * Tasklets (tests/linux/taskq.c): scheduled from an interrupt handler
 * (a dmaengine completion callback, which the m2m provider's runs),
 * one runs after the handler returns and before the event loop goes on,
 * once however often it was scheduled; scheduled with interrupts masked,
 * at the unmask; disabled, not until enabled; tasklet_kill() runs what is
 * scheduled and drops, with a warning, what never could run.
 */
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "linux/taskq.h"
#include "testsoc.h"

static int runs_when_callback_returned;

/* The completion callback runs from the m2m provider's interrupt
 * handler: what it schedules runs once the handler has returned. */
static void done(void *arg)
{
	(void)arg;
	taskq_in_handler = 1;
	taskq_schedule();
	taskq_schedule();	/* still queued: once */
	taskq_delay();		/* a wait inside the handler runs none */
	taskq_in_handler = 0;
	runs_when_callback_returned = taskq.runs;
}

TEST(linux_tasklets_run_after_the_handler_and_at_unmask)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *eng = dk_machine_find_device(t.m, "dma@10000000");
	struct device *me = dk_machine_find_device(t.m, "master@10010000");
	u8 *buf = kzalloc(128, GFP_KERNEL);
	struct dma_async_tx_descriptor *tx;
	struct dma_chan *c;
	struct capture cap;
	char log[256];
	dma_addr_t h;

	memset(&taskq, 0, sizeof(taskq));
	taskq_init();
	CHECK_EQ(driver_register(&dk_m2m_dma_driver), 0);
	c = dma_request_chan(me, "dma@10000000");
	CHECK(!IS_ERR(c));
	h = dma_map_single(eng, buf, 128, DMA_BIDIRECTIONAL);
	CHECK(!dma_mapping_error(eng, h));
	tx = dmaengine_prep_dma_memcpy(c, h + 64, h, 64, DMA_PREP_INTERRUPT);
	CHECK(tx != NULL);
	tx->callback = done;
	CHECK_EQ(dmaengine_submit(tx), 1);
	dma_async_issue_pending(c);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(runs_when_callback_returned, 0);	/* not inside it */
	CHECK_EQ(taskq.runs, 1);			/* but right after */
	CHECK_EQ(taskq.runs_in_handler, 0);
	dma_unmap_single(eng, h, 128, DMA_BIDIRECTIONAL);
	dma_release_channel(c);
	kfree(buf);
	/* Masked: queued once, run at the unmask. */
	CHECK_EQ(taskq_schedule_masked(), 1);
	CHECK_EQ(taskq.runs, 2);
	/* The old interface, from process context: at the next wait. */
	taskq_schedule_old();
	CHECK_EQ(taskq.old_runs, 0);
	taskq_delay();
	CHECK_EQ(taskq.old_runs, 1);
	CHECK_EQ(taskq.old_data, 0xfeed);
	/* Disabled: stays scheduled through waits, runs once enabled. */
	taskq_disable();
	taskq_schedule();
	taskq_delay();
	CHECK_EQ(taskq.runs, 2);
	taskq_enable();
	taskq_delay();
	CHECK_EQ(taskq.runs, 3);
	/* kill: what is scheduled runs first... */
	taskq_schedule_old();
	taskq_kill();
	CHECK_EQ(taskq.old_runs, 2);
	/* ...a disabled, scheduled one would hang Linux: dropped. */
	taskq_disable();
	taskq_schedule();
	cap = capture_start();
	taskq_kill();
	capture_end(&cap, log, sizeof(log));
	CHECK_STR(log, "tasklet_kill: the tasklet is disabled and scheduled: it could never run; dropped");
	taskq_enable();
	taskq_delay();
	CHECK_EQ(taskq.runs, 3);
	/* Masked, kill cannot wait: it says so instead of hanging. */
	taskq_schedule();
	cap = capture_start();
	taskq_kill_masked();
	capture_end(&cap, log, sizeof(log));
	CHECK_STR(log, "tasklet_kill: called with interrupts disabled; not waiting");
	CHECK_EQ(taskq.runs, 4);	/* run at the unmask */
	driver_unregister(&dk_m2m_dma_driver);
	testmachine_shutdown(&t);
}
