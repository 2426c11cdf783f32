// SPDX-License-Identifier: MIT
/*
 * On-chip SRAM ("mmio-sram"): memory devices reach, none of the kernel's
 * RAM (no page of it is handed out, no struct pages), usable for DMA
 * through dma_declare_coherent_memory(), which refuses MMIO registers.
 */
#include <errno.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

#define SRAM 0x00300000ULL

static const char tree[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	#address-cells = <2>; #size-cells = <2>;\n"
	"	cpus { #address-cells = <1>; #size-cells = <0>;\n"
	"		cpu@0 { device_type = \"cpu\"; reg = <0>; d-cache-line-size = <64>; }; };\n"
	"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
	"	soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"		sram@300000 { compatible = \"mmio-sram\"; reg = <0 0x300000 0 0x10000>; };\n"
	"		nc { compatible = \"dmakit,generic-master\"; };\n"
	"		regs@10000000 { compatible = \"dmakit,m2m-dma\"; reg = <0 0x10000000 0 0x1000>; };\n"
	"	};\n"
	"};\n";

TEST(sram_is_device_memory_for_declared_pools)
{
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "nc");
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, "nc");
	phys_addr_t base;
	u64 size;
	dma_addr_t h;
	u8 *p, back[64];
	void __iomem *io;

	const struct dk_platform *pl = dk_machine_platform(t.m);

	CHECK(dev != NULL);
	if (!dev)
		return;
	CHECK_EQ(pl->ops->ram_range(pl->ctx, 0, &base, &size), 0);
	CHECK_EQ(base, 0x80000000);
	CHECK_EQ(pl->ops->ram_range(pl->ctx, 1, &base, &size), -ENOENT);
	CHECK(!virt_addr_valid(phys_to_virt(SRAM)));
	/* Registers are not memory. */
	CHECK_EQ(dma_declare_coherent_memory(dev, 0x10000000, 0x10000000,
					     4096), -EINVAL);
	CHECK_STR(dk_last_error(), "neither RAM nor device memory");
	CHECK_EQ(dma_declare_coherent_memory(dev, SRAM, SRAM, 0x10000), 0);
	dk_dma_declare_exclusive(dev, true);
	p = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(h, SRAM);
	CHECK_EQ(p[10], 0);			/* zeroed */
	for (int i = 0; i < 64; i++)
		p[i] = (u8)(i ^ 0x5a);
	CHECK_EQ(dk_dev_dma_read(sd, h, back, 64), 0);
	for (int i = 0; i < 64; i++)
		CHECK_EQ(back[i], (u8)(i ^ 0x5a));
	CHECK_EQ(dk_dev_dma_write(sd, h + 64, back, 64), 0);
	CHECK_EQ(p[64 + 7], (u8)(7 ^ 0x5a));	/* uncached: seen at once */
	CHECK_EQ(dk_soc_nfaults(t.soc), 0);
	/* ioremap() of SRAM reaches the same memory, uncached. */
	io = ioremap(SRAM, 4096);
	CHECK_EQ(readl(io), 0x59585b5a);	/* bytes 0..3: i ^ 0x5a */
	writel(0xcafef00d, io + 128);
	CHECK_EQ(p[128], 0x0d);
	CHECK_EQ(p[131], 0xca);
	iounmap(io);
	dma_free_coherent(dev, 4096, p, h);
	dma_release_coherent_memory(dev);
	testmachine_shutdown(&t);
}

TEST(sram_bad_nodes_are_refused)
{
	struct dk_soc *soc;

	CHECK_EQ(testsoc_try(
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"	sram@80001000 { compatible = \"mmio-sram\"; reg = <0 0x80001000 0 0x1000>; };\n"
		"};\n", NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "overlaps bank");
	CHECK_EQ(testsoc_try(
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"	sram@300000 { compatible = \"mmio-sram\"; reg = <0 0x300000 0 0x800>; };\n"
		"};\n", NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "one page-aligned range");
}

TEST(sram_at_the_root_or_under_odd_cells_is_refused)
{
	struct dk_soc *soc;

	CHECK_EQ(testsoc_try(
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>; compatible = \"mmio-sram\";\n"
		"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"};\n", NULL, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "#address-cells and #size-cells of 1 or 2");
	CHECK_EQ(testsoc_try(
		"/dts-v1/;\n"
		"/ { #address-cells = <2>; #size-cells = <2>;\n"
		"	memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
		"	b { #address-cells = <1>; #size-cells = <0>;\n"
		"		sram@300000 { compatible = \"mmio-sram\"; reg = <0x300000>; }; };\n"
		"};\n", NULL, &soc), -EINVAL);
}
