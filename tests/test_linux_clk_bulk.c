// SPDX-License-Identifier: MIT
/*
 * Clocks as a set (tests/linux/clkbq.c): every "clocks" entry with its
 * "clock-names" name and its rate from the tree, enabled and disabled
 * together.
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "linux/clkbq.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"clocks { refclk: refclk { compatible = \"fixed-clock\"; #clock-cells = <0>;\n"
	"	clock-frequency = <24000000>; };\n"
	"	pll: pll { #clock-cells = <1>; clock-frequency = <1000 50000000>; }; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	q@10060000 { compatible = \"acme,clkbq\", \"dmakit,generic-master\";\n"
	"		clocks = <&pll 1>, <&refclk>; clock-names = \"core\", \"bus\"; }; };\n"
	"};\n";

TEST(linux_clk_bulk_takes_every_clock_of_the_tree)
{
	struct testmachine t;

	memset(&clkbq, 0, sizeof(clkbq));
	t = testmachine_boot(tree, NULL, NULL);
	CHECK_EQ(clkbq.probed, 1);
	CHECK_EQ(clkbq.n_all, 2);
	CHECK_STR(clkbq.ids[0], "core");
	CHECK_STR(clkbq.ids[1], "bus");
	CHECK_EQ(clkbq.rates[0], 50000000UL);
	CHECK_EQ(clkbq.rates[1], 24000000UL);
	CHECK_EQ(clkbq.enabled[0], 1);
	CHECK_EQ(clkbq.enabled[1], 1);
	CHECK_EQ(clkbq.r_get, 0);
	CHECK_EQ(clkbq.bus_rate, 24000000UL);
	CHECK_EQ(clkbq.enabled_after_off[0], 0);
	CHECK_EQ(clkbq.enabled_after_off[1], 0);
	CHECK_EQ(clkbq.r_missing, -ENOENT);
	CHECK_EQ(clkbq.r_optional, 0);
	CHECK_EQ(clkbq.optional_null, 1);
	testmachine_shutdown(&t);
}
