// SPDX-License-Identifier: MIT
/*
 * Tree properties as drivers read them: tests/linux/ofq.c (only
 * <linux/...> includes) asks its node at probe; every answer is exact.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/device.h>
#include <dmakit/soc.h>

#include "harness.h"
#include "linux/ofq.h"
#include "linux/printq.h"
#include "linux/timeq.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	osc: osc { compatible = \"fixed-clock\"; #clock-cells = <0>;\n"
	"		clock-frequency = <32768>; };\n"
	"	dma0: dma@10000000 { compatible = \"dmakit,m2m-dma\"; reg = <0 0x10000000 0 0x1000>;\n"
	"		#dma-cells = <1>; };\n"
	"	dma1: dma@10001000 { compatible = \"dmakit,m2m-dma\"; reg = <0 0x10001000 0 0x1000>;\n"
	"		#dma-cells = <2>; };\n"
	"	q@10020000 { compatible = \"acme,ofq\", \"dmakit,generic-master\";\n"
	"		acme,one = <7>; acme,flag; acme,three = <1 2 3>;\n"
	"		acme,wide = <0x1 0x2>; acme,names = \"a\", \"bb\", \"ccc\";\n"
	"		dmas = <&dma0 5>, <&dma1 6 7>; dma-names = \"tx\", \"rx\";\n"
	"		clocks = <&osc>; port { }; }; };\n"
	"};\n";

TEST(linux_of_properties_phandles_and_addresses_exact)
{
	struct testmachine t;

	memset(&ofq, 0, sizeof(ofq));
	t = testmachine_boot(tree, NULL, NULL);
	CHECK_EQ(ofq.probed, 1);
	CHECK_EQ(ofq.r_u32, 0);
	CHECK_EQ(ofq.u32, 7);
	CHECK_EQ(ofq.r_missing, -EINVAL);
	CHECK_EQ(ofq.r_empty, -ENODATA);
	CHECK_EQ(ofq.r_short, -EOVERFLOW);
	CHECK_EQ(ofq.r_array, 0);
	CHECK(ofq.array[0] == 1 && ofq.array[1] == 2 && ofq.array[2] == 3);
	CHECK_EQ(ofq.r_u64, 0);
	CHECK_EQ(ofq.u64, 0x100000002ULL);
	CHECK_EQ(ofq.r_str, 0);
	CHECK_STR(ofq.str, "a");
	CHECK_EQ(ofq.r_str_idx2, 0);
	CHECK_STR(ofq.str_idx2, "ccc");
	CHECK_EQ(ofq.r_str_past, -ENODATA);
	CHECK_EQ(ofq.n_strings, 3);
	CHECK_EQ(ofq.match_rx, 1);
	CHECK_EQ(ofq.match_none, -ENODATA);
	/* dmas: each entry's cell count is its controller's #dma-cells. */
	CHECK_EQ(ofq.n_dmas, 2);
	CHECK_EQ(ofq.r_dma0, 0);
	CHECK_STR(ofq.dma0_np, "dma@10000000");
	CHECK_EQ(ofq.dma0_count, 1);
	CHECK_EQ(ofq.dma0_arg0, 5);
	CHECK_EQ(ofq.r_dma1, 0);
	CHECK_STR(ofq.dma1_np, "dma@10001000");
	CHECK_EQ(ofq.dma1_count, 2);
	CHECK(ofq.dma1_arg0 == 6 && ofq.dma1_arg1 == 7);
	CHECK_EQ(ofq.r_dma2, -ENOENT);
	CHECK_EQ(ofq.r_badcells, -EINVAL);
	CHECK_EQ(ofq.compat_hi, 2);
	CHECK_EQ(ofq.compat_lo, 1);
	CHECK_EQ(ofq.compat_no, 0);
	CHECK(ofq.bool_yes && !ofq.bool_no);
	CHECK_STR(ofq.parent, "soc");
	CHECK_STR(ofq.child, "port");
	CHECK(ofq.r_rst_opt_null);
	CHECK_EQ(ofq.r_rst_missing, -ENOENT);
	CHECK(ofq.r_clk_opt_null);	/* no "clock-names": no "core" */
	CHECK_EQ(ofq.clk_rate, 32768);	/* a fixed-clock on the bus */
	CHECK(ofq.stack_local && !ofq.stack_heap);
	CHECK(!ofq.vmalloc_heap && ofq.is_vm);
	testmachine_shutdown(&t);
}

TEST(linux_delays_and_jiffies_run_on_the_simulated_clock)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	unsigned long long ns[6];
	unsigned long jd;
	u64 t0 = dk_soc_now(t.soc);

	timeq_run(ns, &jd);
	/* Exactly the time asked for: nothing else runs on this SoC. */
	CHECK_EQ(ns[0], 3000);
	CHECK_EQ(ns[1], 50000);
	CHECK_EQ(ns[2], 2000000);
	CHECK_EQ(ns[3], 30000000);
	CHECK_EQ(ns[4], 7);
	/* 25 ms is 3 jiffies of 10 ms: the loop ends at the third tick. */
	CHECK(ns[5] > 20000000 && ns[5] <= 31000000);
	CHECK_EQ(dk_soc_now(t.soc) - t0, ns[0] + ns[1] + ns[2] + ns[3] +
		 ns[4] + ns[5]);
	CHECK(jd >= 5 && jd <= 7);
	testmachine_shutdown(&t);
}

TEST(linux_printk_goes_to_the_kernel_log_with_the_drivers_pr_fmt)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_device(t.m, 0);
	struct capture c = capture_start();
	char log[512], want[512];

	CHECK_EQ(printq_run(dev), 1);
	CHECK_EQ(printq_run(dev), 1);	/* "once" is once per call site */
	capture_end(&c, log, sizeof(log));
	snprintf(want, sizeof(want),
		 "printq: bad value 3\nprintq: plain\nwarn %s: once only, pass 0\n"
		 "WARNING: tests/linux/printq.c:24: i == 1\n"
		 "printq: bad value 3\nprintq: plain\n"
		 "WARNING: tests/linux/printq.c:24: i == 1\n", dev_name(dev));
	CHECK_STR(log, want);
	testmachine_shutdown(&t);
}
