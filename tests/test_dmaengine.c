// SPDX-License-Identifier: MIT
/*
 * dmaengine on the default SoC's m2m engine: exclusive channel requests by
 * name (-EBUSY, -ENODEV, -EINVAL), memcpy transactions with cookies,
 * callbacks and residue, a channel reprogrammed behind the provider's back
 * completing with DMA_ERROR, and terminate.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/models/m2m_dma.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define ENGINE "dma@10000000"

struct rig {
	struct testmachine t;
	struct device *eng, *a, *b;
	FILE *sink;
};

static struct rig rig_up(void)
{
	struct rig r = { .t = testmachine_boot(NULL, NULL, NULL) };

	r.sink = tmpfile();
	dk_dma_debug_set_output(r.sink);
	dk_log_set_output(r.sink);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_clear();
	CHECK_EQ(driver_register(&dk_m2m_dma_driver), 0);
	r.eng = dk_machine_find_device(r.t.m, ENGINE);
	r.a = dk_machine_find_device(r.t.m, "master@10010000");
	r.b = dk_machine_find_device(r.t.m, "master32@10020000");
	CHECK(r.eng && r.a && r.b);
	return r;
}

static void rig_down(struct rig *r)
{
	testmachine_shutdown(&r->t);
	dk_dma_debug_set_output(NULL);
	dk_log_set_output(NULL);
	dk_dma_debug_clear();
	if (r->sink)
		fclose(r->sink);
}

TEST(dmaengine_channels_are_exclusive)
{
	struct rig r = rig_up();
	struct dma_chan *c0, *c1, *c2, *c3, *x;

	c0 = dma_request_chan(r.a, ENGINE ":0");
	CHECK(!IS_ERR(c0));
	CHECK_EQ(c0->chan_id, 0);
	CHECK(c0->slave == r.a);
	x = dma_request_chan(r.b, ENGINE ":0");
	CHECK(IS_ERR(x));
	CHECK_EQ(PTR_ERR(x), -EBUSY);
	CHECK_STR(dk_last_error(), "held by /soc/master@10010000");
	/* Any free channel: the next one. */
	c1 = dma_request_chan(r.b, ENGINE);
	CHECK(!IS_ERR(c1));
	CHECK_EQ(c1->chan_id, 1);
	/* By full path too. */
	c3 = dma_request_chan(r.b, "/soc/" ENGINE ":3");
	CHECK(!IS_ERR(c3));
	CHECK_EQ(c3->chan_id, 3);
	c2 = dma_request_chan(r.b, ENGINE);
	CHECK(!IS_ERR(c2));
	CHECK_EQ(c2->chan_id, 2);
	x = dma_request_chan(r.a, ENGINE);
	CHECK_EQ(PTR_ERR(x), -EBUSY);
	CHECK_STR(dk_last_error(), "every channel");
	/* Released, it can be taken again. */
	dma_release_channel(c2);
	CHECK(c2->slave == NULL);
	x = dma_request_chan(r.a, ENGINE);
	CHECK(x == c2);
	dma_release_channel(x);
	dma_release_channel(c0);
	dma_release_channel(c1);
	dma_release_channel(c3);
	dma_release_channel(NULL);
	dma_release_channel(ERR_PTR(-EBUSY));
	rig_down(&r);
}

TEST(dmaengine_request_errors)
{
	struct rig r = rig_up();

	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, ENGINE ":4")), -ENODEV);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, "nope")), -ENODEV);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, "master@10010000")), -ENODEV);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, ENGINE ":")), -EINVAL);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, ENGINE ":x")), -EINVAL);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, ENGINE ":-1")), -EINVAL);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, ":1")), -EINVAL);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, "")), -EINVAL);
	CHECK_EQ(PTR_ERR(dma_request_chan(NULL, ENGINE)), -EINVAL);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, NULL)), -EINVAL);
	CHECK(IS_ERR_OR_NULL(NULL));
	CHECK(!IS_ERR(r.a));
	/* Without the provider driver there is no provider. */
	driver_unregister(&dk_m2m_dma_driver);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.a, ENGINE)), -ENODEV);
	rig_down(&r);
}

static int calls;

static void done_cb(void *arg)
{
	calls += *(int *)arg;
}

TEST(dmaengine_memcpy_chain_exact_bytes_and_cookies)
{
	struct rig r = rig_up();
	struct dma_chan *c = dma_request_chan(r.a, ENGINE);
	u8 *src = kmalloc(3000, GFP_KERNEL), *dst = kzalloc(3000, GFP_KERNEL);
	dma_addr_t s, d;
	dma_cookie_t ck[3], last, used;
	struct dma_tx_state st;
	int i, one = 1;

	for (i = 0; i < 3000; i++)
		src[i] = (u8)(i * 7 + 3);
	s = dma_map_single(r.eng, src, 3000, DMA_TO_DEVICE);
	d = dma_map_single(r.eng, dst, 3000, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r.eng, s) && !dma_mapping_error(r.eng, d));
	calls = 0;
	for (i = 0; i < 3; i++) {
		struct dma_async_tx_descriptor *tx =
			dmaengine_prep_dma_memcpy(c, d + i * 1000, s + i * 1000,
						  1000, DMA_PREP_INTERRUPT);

		CHECK(tx != NULL);
		tx->callback = done_cb;
		tx->callback_param = &one;
		ck[i] = dmaengine_submit(tx);
		CHECK_EQ(dma_submit_error(ck[i]), 0);
	}
	CHECK_EQ(ck[0], 1);
	CHECK_EQ(ck[2], 3);
	/* Submitted is not started. */
	CHECK_EQ(dmaengine_tx_status(c, ck[0], &st), DMA_IN_PROGRESS);
	CHECK_EQ(st.residue, 1000);
	CHECK_EQ(st.used, 3);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(dmaengine_tx_status(c, ck[0], NULL), DMA_IN_PROGRESS);
	dma_async_issue_pending(c);
	CHECK_EQ(dma_async_is_tx_complete(c, ck[2], &last, &used),
		 DMA_IN_PROGRESS);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(dma_async_is_tx_complete(c, ck[2], &last, &used),
		 DMA_COMPLETE);
	CHECK_EQ(last, 3);
	CHECK_EQ(used, 3);
	CHECK_EQ(calls, 3);
	dma_unmap_single(r.eng, d, 3000, DMA_FROM_DEVICE);
	dma_unmap_single(r.eng, s, 3000, DMA_TO_DEVICE);
	CHECK_MEM(dst, src, 3000);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* Bad prep arguments. */
	CHECK(dmaengine_prep_dma_memcpy(c, d, s, 0, 0) == NULL);
	CHECK(dmaengine_prep_dma_memcpy(NULL, d, s, 8, 0) == NULL);
	CHECK_EQ(dmaengine_submit(NULL), -EINVAL);
	dma_release_channel(c);
	kfree(src);
	kfree(dst);
	rig_down(&r);
}

/* As Linux's providers do, the engine's completion interrupt runs the
 * callbacks: a consumer that waits for its callback, and never polls,
 * sees it (the kernel's dmatest waits so). */
TEST(dmaengine_callbacks_run_from_the_engines_interrupt)
{
	struct rig r = rig_up();
	struct dma_chan *c = dma_request_chan(r.a, ENGINE);
	u8 *src = kmalloc(512, GFP_KERNEL), *dst = kzalloc(512, GFP_KERNEL);
	dma_addr_t s, d;
	int i, one = 1;

	for (i = 0; i < 512; i++)
		src[i] = (u8)(i * 5 + 1);
	s = dma_map_single(r.eng, src, 512, DMA_TO_DEVICE);
	d = dma_map_single(r.eng, dst, 512, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r.eng, s) && !dma_mapping_error(r.eng, d));
	calls = 0;
	for (i = 0; i < 2; i++) {
		struct dma_async_tx_descriptor *tx =
			dmaengine_prep_dma_memcpy(c, d + i * 256, s + i * 256,
						  256, DMA_PREP_INTERRUPT);

		CHECK(tx != NULL);
		tx->callback = done_cb;
		tx->callback_param = &one;
		CHECK_EQ(dmaengine_submit(tx), i + 1);
	}
	dma_async_issue_pending(c);
	dk_soc_run(r.t.soc, 0);
	/* No tx_status call: the interrupt retired the chain. */
	CHECK_EQ(calls, 2);
	CHECK_EQ(c->completed_cookie, 2);
	dma_unmap_single(r.eng, d, 512, DMA_FROM_DEVICE);
	dma_unmap_single(r.eng, s, 512, DMA_TO_DEVICE);
	CHECK_MEM(dst, src, 512);
	CHECK_EQ(dmaengine_tx_status(c, 2, NULL), DMA_COMPLETE);
	CHECK_EQ(calls, 2);	/* and polling does not run them twice */
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_release_channel(c);
	kfree(src);
	kfree(dst);
	rig_down(&r);
}

TEST(dmaengine_reprogrammed_channel_completes_with_error)
{
	struct rig r = rig_up();
	struct dma_chan *c = dma_request_chan(r.a, ENGINE ":0");
	u8 *src = kmalloc(1024, GFP_KERNEL), *dst = kzalloc(1024, GFP_KERNEL);
	void __iomem *regs = ioremap(r.eng->reg, r.eng->reg_size);
	dma_addr_t s, d;
	dma_cookie_t ck[2];
	int i;

	memset(src, 0x5a, 1024);
	s = dma_map_single(r.eng, src, 1024, DMA_TO_DEVICE);
	d = dma_map_single(r.eng, dst, 1024, DMA_FROM_DEVICE);
	for (i = 0; i < 2; i++)
		ck[i] = dmaengine_submit(dmaengine_prep_dma_memcpy(
			c, d + i * 512, s + i * 512, 512, 0));
	dma_async_issue_pending(c);
	/* Someone else writes the running channel's registers. */
	writel(readl((u8 *)regs + DK_M2M_CHAN(0) + DK_M2M_DESC_LO),
	       (u8 *)regs + DK_M2M_CHAN(0) + DK_M2M_DESC_LO);
	CHECK(readl((u8 *)regs + DK_M2M_CHAN(0) + DK_M2M_STATUS) &
	      DK_M2M_ST_REPROGRAMMED);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(dmaengine_tx_status(c, ck[0], NULL), DMA_ERROR);
	CHECK_EQ(dmaengine_tx_status(c, ck[1], NULL), DMA_ERROR);
	/* The status was cleared; the next transaction is fine. */
	ck[0] = dmaengine_submit(dmaengine_prep_dma_memcpy(c, d, s, 64, 0));
	dma_async_issue_pending(c);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(dmaengine_tx_status(c, ck[0], NULL), DMA_COMPLETE);
	dma_unmap_single(r.eng, d, 1024, DMA_FROM_DEVICE);
	dma_unmap_single(r.eng, s, 1024, DMA_TO_DEVICE);
	iounmap(regs);
	dma_release_channel(c);
	kfree(src);
	kfree(dst);
	rig_down(&r);
}

TEST(dmaengine_terminate_drops_what_did_not_start)
{
	struct rig r = rig_up();
	struct dma_chan *c = dma_request_chan(r.a, ENGINE);
	u8 *buf = kzalloc(256, GFP_KERNEL);
	dma_addr_t h = dma_map_single(r.eng, buf, 256, DMA_BIDIRECTIONAL);
	dma_cookie_t ck;

	/* Queued, not issued: dropped. */
	ck = dmaengine_submit(dmaengine_prep_dma_memcpy(c, h + 128, h, 64, 0));
	CHECK_EQ(dmaengine_terminate_sync(c), 0);
	dma_async_issue_pending(c);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(dmaengine_tx_status(c, ck, NULL), DMA_IN_PROGRESS);
	/* Running: the engine cannot abort it. */
	ck = dmaengine_submit(dmaengine_prep_dma_memcpy(c, h + 128, h, 64, 0));
	dma_async_issue_pending(c);
	CHECK_EQ(dmaengine_terminate_sync(c), -EBUSY);
	dk_soc_run(r.t.soc, 0);
	CHECK_EQ(dmaengine_terminate_sync(c), 0);
	CHECK_EQ(dmaengine_terminate_sync(NULL), -EINVAL);
	dma_unmap_single(r.eng, h, 256, DMA_BIDIRECTIONAL);
	dma_release_channel(c);
	kfree(buf);
	rig_down(&r);
}

TEST(dmaengine_sync_wait_lets_the_engine_run)
{
	struct rig r = rig_up();
	struct dma_chan *c = dma_request_chan(r.a, ENGINE);
	u8 *src = kmalloc(2048, GFP_KERNEL), *dst = kzalloc(2048, GFP_KERNEL);
	struct dma_async_tx_descriptor *tx;
	dma_addr_t s, d;
	dma_cookie_t ck;
	u64 t0;
	int i;

	for (i = 0; i < 2048; i++)
		src[i] = (u8)(i * 5 + 1);
	s = dma_map_single(r.eng, src, 2048, DMA_TO_DEVICE);
	d = dma_map_single(r.eng, dst, 2048, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(r.eng, s) && !dma_mapping_error(r.eng, d));
	tx = dmaengine_prep_dma_memcpy(c, d, s, 2048, 0);
	ck = dmaengine_submit(tx);
	/* Never issued: waiting cannot help, and says so. */
	CHECK_EQ(dma_sync_wait(c, ck), DMA_ERROR);
	CHECK_STR(dk_last_error(), "can never complete: nothing is running");
	dma_async_issue_pending(c);
	t0 = dk_soc_now(r.t.soc);
	CHECK_EQ(dma_sync_wait(c, ck), DMA_COMPLETE);
	CHECK(dk_soc_now(r.t.soc) > t0);	/* simulated time passed */
	dma_unmap_single(r.eng, d, 2048, DMA_FROM_DEVICE);
	dma_unmap_single(r.eng, s, 2048, DMA_TO_DEVICE);
	CHECK_MEM(dst, src, 2048);
	CHECK_EQ(dma_sync_wait(NULL, ck), DMA_ERROR);
	dma_release_channel(c);
	kfree(src);
	kfree(dst);
	rig_down(&r);
}

/* A provider of the caller's own, as a Linux driver builds it. */
static enum dma_status own_tx_status(struct dma_chan *chan, dma_cookie_t c,
				     struct dma_tx_state *st)
{
	(void)chan;
	(void)c;
	(void)st;
	return DMA_COMPLETE;
}

static void own_issue_pending(struct dma_chan *chan)
{
	(void)chan;
}

static struct dma_async_tx_descriptor *own_prep(struct dma_chan *chan,
						dma_addr_t dst, dma_addr_t src,
						size_t len, unsigned long flags)
{
	(void)chan;
	(void)dst;
	(void)src;
	(void)len;
	(void)flags;
	return NULL;
}

static void link_tail(struct list_head *head, struct list_head *e)
{
	e->prev = head->prev;
	e->next = head;
	head->prev->next = e;
	head->prev = e;
}

/* Linux's channel list: registration numbers the channels in list order
 * (not array order) and counts them; requests by index follow it. */
TEST(dmaengine_provider_channels_are_a_list_numbered_in_order)
{
	struct rig r = rig_up();
	struct dma_device dd = { .dev = r.a };
	struct dma_chan ch[3] = { { 0 } };
	struct dma_chan *c;

	dd.channels.next = dd.channels.prev = &dd.channels;
	CHECK_EQ(dma_async_device_register(&dd), -EINVAL);	/* empty */
	link_tail(&dd.channels, &ch[2].device_node);
	link_tail(&dd.channels, &ch[0].device_node);
	link_tail(&dd.channels, &ch[1].device_node);
	dd.device_tx_status = own_tx_status;
	dd.device_issue_pending = own_issue_pending;
	dd.device_prep_dma_memcpy = own_prep;
	CHECK_EQ(dma_async_device_register(&dd), 0);
	CHECK_EQ(dd.chancnt, 3);
	CHECK_EQ(ch[2].chan_id, 0);
	CHECK_EQ(ch[0].chan_id, 1);
	CHECK_EQ(ch[1].chan_id, 2);
	CHECK(ch[1].device == &dd);
	CHECK(dma_has_cap(DMA_MEMCPY, dd.cap_mask));
	c = dma_request_chan(r.b, "master@10010000:1");
	CHECK(c == &ch[0]);
	CHECK_EQ(strncmp(dma_chan_name(c), "dma", 3), 0);
	CHECK_EQ(PTR_ERR(dma_request_chan(r.b, "master@10010000:3")), -ENODEV);
	c = dma_request_chan(r.b, "master@10010000");	/* the first free */
	CHECK(c == &ch[2]);
	dma_release_channel(c);
	dma_release_channel(&ch[0]);
	dma_async_device_unregister(&dd);
	rig_down(&r);
}
