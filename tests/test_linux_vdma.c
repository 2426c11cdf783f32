// SPDX-License-Identifier: MIT
/*
 * A dmaengine provider written as Linux's are (tests/linux/vdmaq.c):
 * registered with its channels on a list and its "dmas" translation with
 * of_dma_controller_register(); a consumer's dma_request_chan() by
 * "dma-names" reaches that translation; memcpy transactions move exact
 * bytes, complete from the interrupt handler and call back from the
 * tasklet; a reusable descriptor runs twice and is freed through its
 * provider; the driver unbound, the consumer is told to defer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/dmaengine.h>
#include <dmakit/error.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "linux/vdmaq.h"
#include "testsoc.h"

/* The <linux/dmaengine.h> descriptor reuse calls. */
int dmaengine_desc_set_reuse(struct dma_async_tx_descriptor *tx);
int dmaengine_desc_free(struct dma_async_tx_descriptor *tx);

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	vdma: dma@10000000 { compatible = \"acme,vdma\", \"dmakit,m2m-dma\";\n"
	"		reg = <0 0x10000000 0 0x1000>; interrupts = <5>;\n"
	"		dma-channels = <4>; #dma-cells = <1>; };\n"
	"	q@10070000 { compatible = \"dmakit,generic-master\";\n"
	"		reg = <0 0x10070000 0 0x1000>;\n"
	"		dmas = <&vdma 2>; dma-names = \"copy\"; }; };\n"
	"};\n";

static int calls;

static void done(void *arg)
{
	calls += *(int *)arg;
}

TEST(linux_style_provider_registers_translates_and_completes)
{
	struct testmachine t;
	struct device *q, *eng;
	u8 *src, *dst;
	struct dma_async_tx_descriptor *tx;
	struct dma_chan *c;
	dma_addr_t s, d;
	FILE *sink;
	int i, one = 1, ten = 10;

	memset(&vdmaq, 0, sizeof(vdmaq));
	t = testmachine_boot(tree, NULL, NULL);	/* probes the driver */
	q = dk_machine_find_device(t.m, "q@10070000");
	eng = dk_machine_find_device(t.m, "dma@10000000");
	src = kmalloc(1024, GFP_KERNEL);
	dst = kzalloc(1024, GFP_KERNEL);
	sink = testdebug_start();
	CHECK(q && eng && dev_get_drvdata(eng));
	CHECK_STR(vdmaq.irq_name, "vdma-4-channels");
	c = dma_request_chan(q, "copy");
	CHECK(!IS_ERR(c));
	CHECK_EQ(c->chan_id, 2);		/* the entry's one cell */
	CHECK(c->slave == q);
	CHECK_EQ(c->device->chancnt, 4);
	CHECK_EQ(PTR_ERR(dma_request_chan(q, "copy")), -ENODEV);
	CHECK_STR(dk_last_error(), "can use is held");
	/* Any free one: the first on the list, not the one held. */
	CHECK_EQ(vdmaq_any_free_chan_id(c), 0);
	for (i = 0; i < 1024; i++)
		src[i] = (u8)(i * 7 + 3);
	s = dma_map_single(eng, src, 1024, DMA_TO_DEVICE);
	d = dma_map_single(eng, dst, 1024, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(eng, s) && !dma_mapping_error(eng, d));
	calls = 0;
	for (i = 0; i < 3; i++) {
		tx = dmaengine_prep_dma_memcpy(c, d + i * 256, s + i * 256, 256,
					       DMA_PREP_INTERRUPT);
		CHECK(tx != NULL);
		tx->callback = done;
		tx->callback_param = &one;
		/* dma_cookie_init() left DMA_MIN_COOKIE as the last one
		 * handed out, as Linux's drivers do. */
		CHECK_EQ(dmaengine_submit(tx), DMA_MIN_COOKIE + 1 + i);
	}
	CHECK_EQ(dmaengine_tx_status(c, 4, NULL), DMA_IN_PROGRESS);
	dma_async_issue_pending(c);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(calls, 3);
	CHECK_EQ(vdmaq.irqs, 3);
	CHECK_EQ(vdmaq.tasklet_runs, 3);
	CHECK_EQ(vdmaq.freed, 3);
	CHECK_EQ(c->completed_cookie, 4);
	CHECK_EQ(dmaengine_tx_status(c, 4, NULL), DMA_COMPLETE);
	/* A reusable descriptor: twice, then freed by its provider. */
	tx = dmaengine_prep_dma_memcpy(c, d + 768, s + 768, 256, 0);
	CHECK(tx != NULL);
	CHECK_EQ(dmaengine_desc_free(tx), -EPERM);	/* not reusable yet */
	CHECK_EQ(dmaengine_desc_set_reuse(tx), 0);
	tx->callback = done;
	tx->callback_param = &ten;
	CHECK_EQ(dmaengine_submit(tx), 5);
	dma_async_issue_pending(c);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(dmaengine_submit(tx), 6);
	dma_async_issue_pending(c);
	dk_soc_run(t.soc, 0);
	CHECK_EQ(calls, 23);
	CHECK_EQ(vdmaq.freed, 3);
	CHECK_EQ(dmaengine_desc_free(tx), 0);
	CHECK_EQ(vdmaq.freed, 4);
	dma_unmap_single(eng, d, 1024, DMA_FROM_DEVICE);
	dma_unmap_single(eng, s, 1024, DMA_TO_DEVICE);
	CHECK_MEM(dst, src, 1024);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dma_release_channel(c);
	/* Unbound: its translation is gone, the consumer must wait. */
	device_release_driver(eng);
	CHECK_EQ(PTR_ERR(dma_request_chan(q, "copy")), -EPROBE_DEFER);
	kfree(src);
	kfree(dst);
	testdebug_end(sink);
	testmachine_shutdown(&t);
}

TEST(linux_dmaengine_provider_helpers_as_linux)
{
	/* Cookies in order, and wrapped past the top. */
	CHECK_EQ(vdmaq_cookie_order(3, 5, 9), 1);
	CHECK_EQ(vdmaq_cookie_order(6, 5, 9), 0);
	CHECK_EQ(vdmaq_cookie_order(10, 5, 9), 1);	/* never issued */
	CHECK_EQ(vdmaq_cookie_order(INT32_MAX, INT32_MAX - 1, 2), 0);
	CHECK_EQ(vdmaq_cookie_order(1, INT32_MAX - 1, 2), 0);
	CHECK_EQ(vdmaq_cookie_order(INT32_MAX - 1, INT32_MAX - 1, 2), 1);
	CHECK_EQ(vdmaq_slave_directions(), 3);
	CHECK_EQ(vdmaq_struct_size(4) - vdmaq_struct_size(0),
		 4 * (vdmaq_struct_size(1) - vdmaq_struct_size(0)));
	CHECK_EQ(vdmaq_struct_size(SIZE_MAX / 2), SIZE_MAX);	/* saturated */
}
