// SPDX-License-Identifier: MIT
/*
 * arm64 and arm32 cache maintenance before a device, chosen by the tree
 * ("dma-maintenance") or the machine option: a DMA_FROM_DEVICE buffer the
 * CPU wrote before mapping it, which the device then fills only in part,
 * reads back with the CPU's bytes (arm64 cleans) or with what DRAM held
 * (arm32 invalidates) where the device did not write.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/gfp.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define LEN 256
#define DEV_LEN 128	/* the device writes the first half only */

static const char tree_fmt[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	dmakit { dma-maintenance = \"%s\"; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"	};\n"
	"};\n";

/*
 * DRAM holds 0xaa, the CPU writes 0xbb (dirty lines), the device writes
 * 0xcc into the first half; what the CPU reads after unmap goes to @out.
 */
static void partial_fill(const char *tree, enum dk_dma_maint maint, u8 *out)
{
	struct dk_soc_opts so = testsoc_policy(DK_EVICT_NEVER, 1, 0);
	struct dk_machine_opts mo = { .maint = maint };
	struct testmachine t = testmachine_boot(tree, &so, &mo);
	struct device *dev = dk_machine_find_device(t.m, tree ? "nc" :
							  "master@10010000");
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, tree ? "nc" :
						     "master@10010000");
	u8 *buf = kmalloc(LEN, GFP_KERNEL), dev_data[DEV_LEN], stale[LEN];
	dma_addr_t h;

	memset(out, 0, LEN);
	CHECK(dev && sd && buf);
	if (!dev || !sd || !buf)
		goto out;
	memset(stale, 0xaa, sizeof(stale));
	dk_sim_poke(dk_sim_dram_ptr(t.soc, virt_to_phys(buf)), stale, LEN);
	memset(buf, 0xbb, LEN);
	h = dma_map_single(dev, buf, LEN, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	memset(dev_data, 0xcc, sizeof(dev_data));
	CHECK_EQ(dk_dev_dma_write(sd, h, dev_data, DEV_LEN), 0);
	dma_unmap_single(dev, h, LEN, DMA_FROM_DEVICE);
	memcpy(out, buf, LEN);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
out:
	kfree(buf);
	testmachine_shutdown(&t);
}

static void expect(const u8 *got, u8 tail)
{
	u8 want[LEN];

	memset(want, 0xcc, DEV_LEN);
	memset(want + DEV_LEN, tail, LEN - DEV_LEN);
	CHECK_MEM(got, want, LEN);
}

TEST(dma_maint_arm64_cleans_arm32_invalidates_at_map)
{
	u8 got[LEN];

	partial_fill(NULL, DK_MAINT_PLATFORM, got);
	expect(got, 0xbb);	/* the built-in SoC: arm64 */
	partial_fill(NULL, DK_MAINT_ARM64, got);
	expect(got, 0xbb);
	partial_fill(NULL, DK_MAINT_ARM32, got);
	expect(got, 0xaa);	/* the CPU's bytes were dropped */
}

TEST(dma_maint_from_the_tree_and_overridden)
{
	char tree[1024];
	u8 got[LEN];

	snprintf(tree, sizeof(tree), tree_fmt, "arm32");
	partial_fill(tree, DK_MAINT_PLATFORM, got);
	expect(got, 0xaa);
	partial_fill(tree, DK_MAINT_ARM64, got);
	expect(got, 0xbb);
	snprintf(tree, sizeof(tree), tree_fmt, "arm64");
	partial_fill(tree, DK_MAINT_PLATFORM, got);
	expect(got, 0xbb);
}

TEST(dma_maint_refuses_bad_values)
{
	struct dk_machine_opts mo = { .maint = (enum dk_dma_maint)7 };
	struct dk_soc_opts so = testsoc_policy(DK_EVICT_NEVER, 1, 0);
	struct dk_platform pl;
	struct dk_machine *m;
	struct dk_soc *soc;
	char tree[1024];

	snprintf(tree, sizeof(tree), tree_fmt, "armv7");
	CHECK_EQ(testsoc_try(tree, &so, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "property \"dma-maintenance\": \"armv7\" is not arm64 or arm32");
	snprintf(tree, sizeof(tree), tree_fmt, "arm32");
	soc = testsoc_load(tree, &so);
	CHECK_EQ(dk_platform_sim(soc, &pl), 0);
	CHECK_EQ(dk_soc_cache(soc)->maint, DK_MAINT_ARM32);
	CHECK_EQ(dk_machine_boot(&pl, &mo, &m), -EINVAL);
	CHECK_STR(dk_last_error(), "maint 7 is not");
	dk_soc_free(soc);
}
