// SPDX-License-Identifier: MIT
/*
 * dma_get_slave_caps() (tests/linux/capsq.c): what the slave DMA
 * controller model declares, as a driver sees it through its channel.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dmaengine.h>

#include "harness.h"
#include "linux/capsq.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	dmac: dma-controller@10050000 { compatible = \"dmakit,slave-dma\";\n"
	"		reg = <0 0x10050000 0 0x1000>; interrupts = <10>;\n"
	"		#dma-cells = <1>; };\n"
	"	q@10080000 { compatible = \"acme,capsq\", \"dmakit,generic-master\";\n"
	"		dmas = <&dmac 3>; dma-names = \"tx\"; }; };\n"
	"};\n";

TEST(linux_dma_get_slave_caps_of_the_slave_controller)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct capsq_result r;

	memset(&r, 0, sizeof(r));
	CHECK_EQ(driver_register(&dk_slave_dma_driver), 0);
	CHECK_EQ(capsq_run(dk_machine_find_device(t.m, "q@10080000"), &r), 0);
	CHECK_EQ(r.r, 0);
	/* 1-, 2- and 4-byte words, both slave directions, bursts of 16. */
	CHECK_EQ(r.widths, 0x16u);
	CHECK_EQ(r.directions, 0x6u);
	CHECK_EQ(r.max_burst, 16u);
	CHECK_EQ(r.pause, 1);
	CHECK_EQ(r.terminate, 1);
	CHECK_EQ(r.granularity_burst, 1);
	CHECK_EQ(r.r_null, -EINVAL);
	testmachine_shutdown(&t);
}
