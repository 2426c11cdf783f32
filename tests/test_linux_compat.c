// SPDX-License-Identifier: MIT
/*
 * A driver file that includes only <linux/...> headers (tests/linux/txd.c,
 * compiled with -Iinclude/linux-compat and no dmakit include) bound by its
 * of_match_table and driven on a simulated SoC: exact bytes, and the
 * classic stack-buffer bug reported at the driver's own line.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "linux/txd.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"dmakit { eviction-policy = \"adversarial\"; };\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	tx@10000000 { compatible = \"acme,txd\", \"dmakit,generic-master\"; }; };\n"
	"};\n";

struct desc {
	u64 addr;
	u32 ctrl;
	u32 pad;
};

TEST(linux_compat_driver_binds_and_moves_exact_bytes)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "tx@10000000");
	struct dk_simdev *hw = dk_soc_find_dev(t.soc, "tx@10000000");
	FILE *sink = testdebug_start();
	u8 *frame = kmalloc(300, GFP_KERNEL), got[300], want[300];
	struct desc d;
	int i;

	for (i = 0; i < 300; i++)
		want[i] = frame[i] = (u8)(i * 5 + 3);
	CHECK_EQ(driver_register(&txd_driver), 0);
	CHECK(dev && dev->driver == &txd_driver);
	CHECK_EQ(txd_send(dev, frame, 300), 0);
	/* The device fetches the descriptor, then the frame. */
	CHECK_EQ(dk_dev_dma_read(hw, txd_ring_dma(dev), &d, sizeof(d)), 0);
	CHECK_EQ(d.ctrl, (1u << 31) | 300);
	CHECK_EQ(dk_dev_dma_read(hw, d.addr, got, sizeof(got)), 0);
	CHECK_MEM(got, want, 300);	/* the frame is the device's now */
	txd_complete(dev, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);

	/* The bug: a frame on the stack. */
	CHECK_EQ(txd_send_from_stack(dev, frame, 64), -ENOMEM);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_MAP_STACK), 1);
	CHECK_STR(dk_dma_debug_finding(0)->backtrace,
		  "txd_send_from_stack (tests/linux/txd.c:");
	driver_unregister(&txd_driver);
	testdebug_end(sink);
	kfree(frame);
	testmachine_shutdown(&t);
}
