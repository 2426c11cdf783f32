// SPDX-License-Identifier: MIT
/*
 * Deferred probing: a probe that returns -EPROBE_DEFER (517) is no
 * failure and is tried again when another device binds.
 */
#include <string.h>

#include <dmakit/device.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	consumer@10000000 { compatible = \"acme,consumer\", \"dmakit,generic-master\"; };\n"
	"	provider@10010000 { compatible = \"acme,provider\", \"dmakit,generic-master\"; }; };\n"
	"};\n";

static bool provided;
static int consumer_probes;

static int consumer_probe(struct device *dev)
{
	(void)dev;
	consumer_probes++;
	return provided ? 0 : -517;
}

static int provider_probe(struct device *dev)
{
	(void)dev;
	provided = true;
	return 0;
}

static const struct of_device_id consumer_ids[] = {
	{ "acme,consumer", NULL }, { NULL, NULL } };
static const struct of_device_id provider_ids[] = {
	{ "acme,provider", NULL }, { NULL, NULL } };

TEST(probe_defer_retried_when_another_driver_binds)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device_driver consumer = { .name = "consumer",
					  .of_match_table = consumer_ids,
					  .probe = consumer_probe };
	struct device_driver provider = { .name = "provider",
					  .of_match_table = provider_ids,
					  .probe = provider_probe };
	struct device *dev = dk_machine_find_device(t.m, "consumer@10000000");
	struct capture c;
	char log[256];

	provided = false;
	consumer_probes = 0;
	c = capture_start();
	CHECK_EQ(driver_register(&consumer), 0);
	CHECK(dev && !dev->driver);
	CHECK_EQ(consumer_probes, 1);
	CHECK_EQ(driver_register(&provider), 0);
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "");		/* deferral is not a failure */
	CHECK(dev->driver == &consumer);
	CHECK_EQ(consumer_probes, 2);
	driver_unregister(&provider);
	driver_unregister(&consumer);
	testmachine_shutdown(&t);
}

static int failing_probe(struct device *dev)
{
	(void)dev;
	return -19;
}

TEST(probe_failure_is_printed_with_its_error)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device_driver bad = { .name = "bad",
				     .of_match_table = consumer_ids,
				     .probe = failing_probe };
	struct capture c = capture_start();
	char log[256];

	CHECK_EQ(driver_register(&bad), 0);
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "warn /soc/consumer@10000000: probe of bad failed with error -19\n");
	driver_unregister(&bad);
	testmachine_shutdown(&t);
}
