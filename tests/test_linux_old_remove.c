// SPDX-License-Identifier: MIT
/*
 * A driver built for a kernel before 6.11 (tests/linux/oldremove.c:
 * LINUX_VERSION_CODE 6.6, .remove returning int) binds, and unbinding
 * calls its remove; the -EBUSY it returns is ignored with a warning, as
 * Linux did, and the device is unbound.
 */
#include <string.h>

#include <dmakit/device.h>

#include "harness.h"
#include "linux/oldremove.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	q@10070000 { compatible = \"acme,oldremove\", \"dmakit,generic-master\"; }; };\n"
	"};\n";

TEST(linux_int_remove_of_a_pre_6_11_driver_is_called_and_ignored)
{
	struct testmachine t;
	struct device *dev;
	struct capture c;
	char log[512];

	memset(&oldremove, 0, sizeof(oldremove));
	t = testmachine_boot(tree, NULL, NULL);
	CHECK_EQ(oldremove.probed, 1);
	CHECK_EQ(oldremove.version_seen, 606);
	dev = dk_machine_find_device(t.m, "q@10070000");
	CHECK(dev && dev->driver);
	c = capture_start();
	device_release_driver(dev);
	capture_end(&c, log, sizeof(log));
	CHECK_EQ(oldremove.removed, 1);
	CHECK(dev->driver == NULL);
	CHECK(strstr(log, "oldremove: remove returned -16, which is ignored: the device is unbound") != NULL);
	testmachine_shutdown(&t);
	CHECK_EQ(oldremove.removed, 1);
}
