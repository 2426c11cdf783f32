// SPDX-License-Identifier: MIT
/*
 * Driver matching against every compatible string of a node, most
 * specific first, and the report of devices no driver wanted.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/device.h>
#include <dmakit/machine.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		copier@10000000 { compatible = \"acme,copier\", \"dmakit,m2m-dma\";\n"
	"			reg = <0 0x10000000 0 0x1000>; dma-channels = <1>; };\n"
	"		master@10010000 { compatible = \"dmakit,generic-master\"; };\n"
	"	};\n"
	"};\n";

static int probes;
static const void *seen_data;

static int probe(struct device *dev)
{
	probes++;
	seen_data = of_device_get_match_data(dev);
	return 0;
}

static const struct of_device_id acme_ids[] = {
	{ .compatible = "acme,copier", .data = "acme" },
	{ }
};

/* The generic string comes first in the table, yet the node's more
 * specific string picks the entry. */
static const struct of_device_id both_ids[] = {
	{ .compatible = "dmakit,m2m-dma", .data = "generic" },
	{ .compatible = "acme,copier", .data = "acme" },
	{ }
};

static const struct of_device_id generic_ids[] = {
	{ .compatible = "dmakit,m2m-dma", .data = "generic" },
	{ }
};

static void bind_with(const struct of_device_id *ids, const char *want)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device_driver drv = { .name = "copier", .probe = probe,
				     .of_match_table = ids };
	struct device *dev = dk_machine_find_device(t.m, "copier@10000000");

	probes = 0;
	seen_data = NULL;
	CHECK(dev != NULL);
	CHECK_EQ(driver_register(&drv), 0);
	CHECK_EQ(probes, 1);
	CHECK(dev && dev->driver == &drv);
	CHECK(seen_data && !strcmp(seen_data, want));
	driver_unregister(&drv);
	testmachine_shutdown(&t);
}

TEST(driver_matches_the_most_specific_compatible)
{
	bind_with(acme_ids, "acme");
	bind_with(both_ids, "acme");
	bind_with(generic_ids, "generic");
}

TEST(driver_compatible_list_of_the_device)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "copier@10000000");
	const char *s = dev ? dev->compatible : "";

	CHECK(!strcmp(s, "acme,copier"));
	s += strlen(s) + 1;
	CHECK(!strcmp(s, "dmakit,m2m-dma"));
	s += strlen(s) + 1;
	CHECK_EQ(*s, 0);
	testmachine_shutdown(&t);
}

static int count(const char *s, const char *sub)
{
	int n = 0;

	while ((s = strstr(s, sub))) {
		n++;
		s++;
	}
	return n;
}

TEST(driver_report_unbound_names_each_device_once)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device_driver drv = { .name = "other", .probe = probe,
				     .of_match_table = generic_ids + 1 };
	struct capture c;
	char log[1024];

	CHECK_EQ(driver_register(&drv), 0);	/* an empty table: binds none */
	c = capture_start();
	CHECK_EQ(dk_driver_report_unbound(t.m), 2);
	CHECK_EQ(dk_driver_report_unbound(t.m), 2);	/* said once */
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "/soc/copier@10000000: no driver bound (compatible \"acme,copier\", \"dmakit,m2m-dma\")");
	CHECK_STR(log, "/soc/master@10010000: no driver bound (compatible \"dmakit,generic-master\")");
	CHECK_EQ(count(log, "no driver bound"), 2);
	CHECK_EQ(dk_driver_report_unbound(NULL), -EINVAL);
	driver_unregister(&drv);
	testmachine_shutdown(&t);
}
