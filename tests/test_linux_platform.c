// SPDX-License-Identifier: MIT
/*
 * The driver model as upstream platform drivers use it: tests/linux/eerd.c
 * (only <linux/...> includes, module_platform_driver()) binds by its
 * of_match_table as the tree boots, takes its registers, interrupt, clock
 * and properties from the tree, and moves exact bytes with an interrupt
 * that arrives while it waits for a completion.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <dmakit/models/i2c.h>
#include <dmakit/platform_device.h>
#include <dmakit/soc.h>

#include "harness.h"
#include "linux/align64.h"
#include "linux/eerd.h"
#include "testsoc.h"

#define EERD_TREE(compat, extra)						\
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"		\
	"dmakit { eviction-policy = \"never\"; };\n"				\
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n" \
	"clocks { refclk: refclk { compatible = \"fixed-clock\"; #clock-cells = <0>;\n" \
	"	clock-frequency = <24000000>; };\n"				\
	"	pll: pll { #clock-cells = <1>; clock-frequency = <1000 50000000>; }; };\n" \
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n" \
	"	eeprom@10040000 { compatible = " compat ", \"dmakit,i2c\";\n"	\
	"		reg = <0 0x10040000 0 0x100>; interrupts = <9>;\n"	\
	"		" extra " }; };\n};\n"

static const char tree[] = EERD_TREE(
	"\"acme,eerd-24c02\", \"acme,eerd-24c01\"",
	"clocks = <&pll 1>, <&refclk>; clock-names = \"core\", \"bus\";"
	" acme,speed-khz = <400>;");

/* Boot @dts with the driver's greeting kept out of the harness output. */
static struct testmachine boot_quiet(const char *dts)
{
	struct capture c = capture_start();
	struct testmachine t = testmachine_boot(dts, NULL, NULL);
	char log[256];

	capture_end(&c, log, sizeof(log));
	return t;
}

TEST(linux_platform_driver_binds_at_boot_by_every_compatible)
{
	struct capture c = capture_start();
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	struct platform_device *pdev;
	struct eerd_stats st;
	char log[512];

	capture_end(&c, log, sizeof(log));
	/* Bound with no call from the test, by its most specific string. */
	CHECK(dev && dev->driver == eerd_driver());
	eerd_stats(dev, &st);
	CHECK_STR(st.variant, "24c02");
	CHECK_EQ(st.rate, 24000000);	/* "bus" is the second clock */
	CHECK_EQ(st.speed_khz, 400);
	/* The driver's "\n" and none of dmakit's own after it. */
	CHECK_STR(log, "info /soc/eeprom@10040000: 24c02 at 24000000 Hz, 400 kHz\n");
	pdev = (struct platform_device *)((char *)dev -
					  offsetof(struct platform_device, dev));
	CHECK_EQ(pdev->num_resources, 2);
	CHECK_EQ(pdev->resource[0].start, 0x10040000);
	CHECK_EQ(pdev->resource[0].end, 0x100400ff);
	CHECK_EQ(pdev->resource[1].start, 9);
	testmachine_shutdown(&t);
}

TEST(linux_platform_match_data_of_a_less_specific_string)
{
	static const char t2[] = EERD_TREE("\"acme,other\", \"acme,eerd-24c01\"",
					   "clocks = <&refclk>; clock-names = \"bus\";");
	struct capture c = capture_start();
	struct testmachine t = testmachine_boot(t2, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	struct eerd_stats st;
	char log[512];

	capture_end(&c, log, sizeof(log));
	CHECK(dev && dev->driver == eerd_driver());
	eerd_stats(dev, &st);
	CHECK_STR(st.variant, "24c01");
	CHECK_EQ(st.speed_khz, 100);	/* no property: the driver's default */
	testmachine_shutdown(&t);
}

TEST(linux_platform_probe_error_names_the_missing_clock)
{
	static const char t3[] = EERD_TREE("\"acme,eerd-24c02\"", "");
	struct capture c = capture_start();
	struct testmachine t = testmachine_boot(t3, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	char log[512];

	capture_end(&c, log, sizeof(log));
	CHECK(dev && !dev->driver);
	CHECK(strstr(log, "err /soc/eeprom@10040000: error -2: no bus clock\n"));
	testmachine_shutdown(&t);
}

TEST(linux_platform_read_exact_bytes_irq_during_completion_wait)
{
	struct testmachine t = boot_quiet(tree);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	struct eerd_stats st;
	u8 got[8], want[8];
	u64 t0;
	int i;

	for (i = 0; i < 8; i++)
		want[i] = DK_I2C_EEPROM_INIT(0x21 + i);
	t0 = dk_soc_now(t.soc);
	CHECK_EQ(eerd_read(dev, 0x21, got, sizeof(got)), 0);
	CHECK_MEM(got, want, sizeof(want));
	eerd_stats(dev, &st);
	CHECK_EQ(st.irqs, 1);	/* the data message ended by interrupt */
	/* The wait ran the loop: the nine bytes on the wire took their time. */
	CHECK(dk_soc_now(t.soc) - t0 >= 9 * DK_I2C_BYTE_CYCLES);
	testmachine_shutdown(&t);
}

TEST(linux_platform_completion_times_out_on_the_simulated_clock)
{
	struct testmachine t = boot_quiet(tree);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	u64 t0 = dk_soc_now(t.soc);
	u8 b;

	/* 20 ms = 2 jiffies of 10 ms, 2e7 cycles of 1 ns: nothing else. */
	CHECK_EQ(eerd_read_noirq(dev, 20), -ETIMEDOUT);
	CHECK(dk_soc_now(t.soc) - t0 >= 20000000);
	CHECK(dk_soc_now(t.soc) - t0 < 20000000 + 100000);
	/* readl_poll_timeout gives up after its timeout, too. */
	t0 = dk_soc_now(t.soc);
	CHECK_EQ(eerd_poll_never(dev, 500), -ETIMEDOUT);
	CHECK(dk_soc_now(t.soc) - t0 >= 500000);
	CHECK(dk_soc_now(t.soc) - t0 < 520000);
	/* And the controller still works. */
	CHECK_EQ(eerd_read(dev, 0, &b, 1), 0);
	CHECK_EQ(b, DK_I2C_EEPROM_INIT(0));
	testmachine_shutdown(&t);
}

TEST(linux_platform_spin_lock_irqsave_holds_the_interrupt_back)
{
	struct testmachine t = boot_quiet(tree);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	struct eerd_stats st;

	CHECK_EQ(eerd_hold_locked(dev, 50), 0);
	eerd_stats(dev, &st);
	CHECK_EQ(st.irqs, 1);
	CHECK_EQ(st.irqs_in_lock, 0);
	/* disable_irq() holds it back the same way, until enable_irq(). */
	CHECK_EQ(eerd_disabled_line(dev, 50), 0);
	testmachine_shutdown(&t);
}

/* The waits see the loop's thread complete the message, however late
 * this thread looks: a completion's count is taken once (it was taken
 * twice when the loop's thread had already run the wait's deadline, 1
 * run in 20, 1 in 3 under TSan). Repeated to reach that interleaving. */
TEST(linux_platform_waits_watch_the_threaded_event_loop)
{
	struct testmachine t = boot_quiet(tree);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	u8 got[4], want[4];
	int i;

	for (i = 0; i < 4; i++)
		want[i] = DK_I2C_EEPROM_INIT(0x80 + i);
	CHECK_EQ(dk_soc_start_thread(t.soc), 0);
	/* The handler runs on the loop's thread; the waits only watch. */
	for (i = 0; i < 20; i++) {
		memset(got, 0, sizeof(got));
		CHECK_EQ(eerd_read(dev, 0x80, got, sizeof(got)), 0);
		CHECK_MEM(got, want, sizeof(want));
	}
	CHECK_EQ(eerd_read_noirq(dev, 20), -ETIMEDOUT);
	CHECK_EQ(eerd_poll_never(dev, 100), -ETIMEDOUT);
	dk_soc_stop_thread(t.soc);
	testmachine_shutdown(&t);
}

TEST(linux_platform_spin_lock_taken_by_its_own_interrupt_is_reported)
{
	struct testmachine t = boot_quiet(tree);
	struct device *dev = dk_machine_find_device(t.m, "eeprom@10040000");
	struct capture c = capture_start();
	char log[512];

	CHECK_EQ(eerd_hold_unmasked(dev, 50), 1);
	capture_end(&c, log, sizeof(log));
	CHECK(!strncmp(log, "BUG: spinlock recursion on CPU#0, lock ", 39));
	CHECK(strstr(log, "(taken again by its owner: an interrupt handler sharing it with code that did not use spin_lock_irqsave?)\n"));
	testmachine_shutdown(&t);
}

TEST(linux_platform_driver_built_for_a_smaller_dma_alignment_is_warned)
{
	static const char t5[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"dmakit { dma-minalign = <128>; };\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
		"	m@10000000 { compatible = \"acme,align64\", \"dmakit,generic-master\"; }; };\n"
		"};\n";
	struct capture c = capture_start();
	struct testmachine t;
	char log[512];

	align64_probed = 0;
	t = testmachine_boot(t5, NULL, NULL);
	capture_end(&c, log, sizeof(log));
	CHECK_EQ(align64_probed, 1);
	CHECK_STR(log, "warn /soc/m@10000000: align64 was built with ARCH_DMA_MINALIGN 64, this SoC needs 128: its DMA-aligned buffers may share cache lines\n");
	testmachine_shutdown(&t);
}
