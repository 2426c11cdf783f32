// SPDX-License-Identifier: MIT
/*
 * Resources by name (tests/linux/bynameq.c): "reg-names" and
 * "interrupt-names" of the tree select them, as in Linux.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <dmakit/platform_device.h>

#include "harness.h"
#include "linux/bynameq.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	q@10050000 { compatible = \"acme,bynameq\", \"dmakit,generic-master\";\n"
	"		reg = <0 0x10050000 0 0x100>; reg-names = \"regs\";\n"
	"		interrupts = <11>; interrupt-names = \"done\"; }; };\n"
	"};\n";

TEST(linux_platform_resources_by_name_from_the_tree)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "q@10050000");
	struct bynameq_result r;
	struct capture c = capture_start();
	char log[256];

	CHECK(dev != NULL);
	memset(&r, 0, sizeof(r));
	/* Every device of the tree is a platform device. */
	bynameq_run((struct platform_device *)((char *)dev -
			offsetof(struct platform_device, dev)), &r);
	capture_end(&c, log, sizeof(log));
	CHECK_EQ(r.regs_start, 0x10050000ULL);
	CHECK_EQ(r.irq, 11);
	CHECK_EQ(r.missing_irq, -ENXIO);
	CHECK_EQ(r.unnamed, -EINVAL);
	CHECK_EQ(r.mapped_ok, 1);
	/* The optional lookup prints nothing; the mapping of a name the
	 * tree lacks is reported as Linux reports it. */
	CHECK(strstr(log, "invalid resource") != NULL);
	CHECK(strstr(log, "err not found") == NULL);
	testmachine_shutdown(&t);
}
