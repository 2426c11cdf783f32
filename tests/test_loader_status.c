// SPDX-License-Identifier: MIT
/* status = "disabled" hides memory, buses and firewalls, as in Linux. */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/soc.h>

#include "harness.h"
#include "testsoc.h"

TEST(loader_disabled_nodes_are_ignored)
{
	static const char tree[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; };\n"
		"memory@90000000 { device_type = \"memory\"; status = \"disabled\"; reg = <0 0x90000000 0 0x100000>; };\n"
		"firewall { compatible = \"dmakit,firewall\"; status = \"disabled\";\n"
		"	dmakit,secure-ranges = <0 0x80000000 0 0x1000>; };\n"
		"soc { compatible = \"simple-bus\"; status = \"disabled\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	m { compatible = \"dmakit,generic-master\"; }; };\n"
		"soc2 { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	n { compatible = \"dmakit,generic-master\"; status = \"okay\"; };\n"
		"	o { compatible = \"dmakit,generic-master\"; status = \"fail\"; }; };\n"
		"};\n";
	struct dk_soc *soc = testsoc_load(tree, NULL);

	CHECK_EQ(dk_soc_nbanks(soc), 1);
	CHECK_EQ(dk_soc_nsecure(soc), 0);
	CHECK_EQ(dk_soc_ndevs(soc), 1);
	CHECK(dk_soc_find_dev(soc, "/soc2/n") != NULL);
	dk_soc_free(soc);
}

TEST(loader_matches_any_compatible_string)
{
	static const char tree[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	dma@1000 { compatible = \"acme,soc-dma\", \"dmakit,m2m-dma\"; reg = <0 0x1000 0 0x1000>; };\n"
		"	x { compatible = \"acme,one\", \"acme,two\"; }; };\n"
		"};\n";
	struct dk_soc *soc = NULL;

	CHECK_EQ(testsoc_try(tree, NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "node /soc/x: property \"compatible\": \"acme,one\" has no device model");
	/* Without the unknown node the vendor-first one loads. */
	soc = testsoc_load("/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
			   "memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x100000>; };\n"
			   "soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
			   "	dma@1000 { compatible = \"acme,soc-dma\", \"dmakit,m2m-dma\"; reg = <0 0x1000 0 0x1000>; }; };\n"
			   "};\n", NULL);
	CHECK(soc && !strcmp(dk_simdev_desc(dk_soc_dev(soc, 0))->compatible,
			     "dmakit,m2m-dma"));
	dk_soc_free(soc);
}
