// SPDX-License-Identifier: MIT
/*
 * Bus controllers under their older names (tests/linux/legacyq.c):
 * spi_alloc_master()/devm_spi_register_master() and
 * i2c_add_numbered_adapter() with a bus number the driver chose; the
 * 6.8+ .xfer hook, devm_i2c_add_adapter() and i2c_parse_fw_timings().
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "linux/legacyq.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"aliases { i2cx = &lq; i2c3 = &lq; serial9 = \"/nowhere\";\n"
	"	spi2 = \"/soc/q@10070000\"; };\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	lq: q@10070000 { compatible = \"acme,legacyq\", \"dmakit,generic-master\";\n"
	"		clock-frequency = <400000>; i2c-sda-hold-time-ns = <300>; }; };\n"
	"};\n";

TEST(linux_legacy_spi_master_and_numbered_i2c_adapter)
{
	struct testmachine t;

	memset(&legacyq, 0, sizeof(legacyq));
	t = testmachine_boot(tree, NULL, NULL);
	CHECK_EQ(legacyq.probed, 1);
	CHECK_EQ(legacyq.devdata_ok, 1);
	CHECK_EQ(legacyq.r_spi, 0);
	CHECK_EQ(legacyq.master_alias, 1);
	CHECK(legacyq.spi_bus_num >= 0);
	CHECK_EQ(legacyq.bpw_mask, 0xff80u);
	CHECK_EQ(legacyq.r_i2c, 0);
	CHECK_EQ(legacyq.i2c_found, 1);
	CHECK_STR(legacyq.i2c_name, "i2c-7");
	CHECK_EQ(legacyq.r_i2c_again, -EBUSY);
	CHECK_EQ(legacyq.r_i2c_dyn, 0);
	CHECK_EQ(legacyq.i2c_dyn_nr, 8);
	CHECK_EQ(legacyq.r_xfer, 1);
	CHECK_EQ(legacyq.addr8, 0xa1);
	/* 400 kHz from the tree; fast-mode rise and fall times. */
	CHECK_EQ(legacyq.timings[0], 400000u);
	CHECK_EQ(legacyq.timings[1], 300u);
	CHECK_EQ(legacyq.timings[2], 300u);
	CHECK_EQ(legacyq.timings[3], 0u);
	CHECK_EQ(legacyq.timings[4], 300u);
	CHECK_EQ(legacyq.timings[5], 300u);
	CHECK_EQ(legacyq.kept_rise, 77u);
	CHECK_EQ(legacyq.r_devm_i2c, 0);
	/* By phandle or by path; "i2cx" is no numbered alias. */
	CHECK_EQ(legacyq.alias_i2c, 3);
	CHECK_EQ(legacyq.alias_spi, 2);
	CHECK_EQ(legacyq.alias_serial, -ENODEV);
	testmachine_shutdown(&t);
}
