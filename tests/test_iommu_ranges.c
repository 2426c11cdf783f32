// SPDX-License-Identifier: MIT
/*
 * iommu-dma allocates only inside the IOVA ranges the platform's IOMMU
 * accepts (the platform's iommu_range op; VFIO reports them, with x86's
 * MSI window left out), shown on the simulator with VT-d's ranges.
 */
#include <errno.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/iommu.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; }; };\n"
	"};\n";

/* What VT-d reports to VFIO below 4 GiB: all but the MSI window. */
static int vtd_ranges(void *ctx, const char *device, int i, u64 *start,
		      u64 *end)
{
	static const u64 r[2][2] = { { 0, 0xfedfffff },
				     { 0xfef00000, 0xffffffff } };

	(void)ctx, (void)device;
	if (i < 0 || i > 1)
		return -ENOENT;
	*start = r[i][0];
	*end = r[i][1];
	return 0;
}

TEST(iommu_dma_allocates_only_inside_the_iommus_valid_ranges)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	static struct dk_platform_ops ops;
	struct dk_platform pl;
	struct dk_machine *m;
	struct device *mmc;
	dma_addr_t h[6];
	u8 *buf;
	int i;

	dk_machine_shutdown(t.m);
	ops = *t.pl.ops;
	ops.iommu_range = vtd_ranges;
	pl = (struct dk_platform){ &ops, t.pl.ctx };
	CHECK_EQ(dk_machine_boot(&pl, &mo, &m), 0);
	mmc = dk_machine_find_device(m, "mmc");
	CHECK_EQ(mmc->iommu_domain->geometry.aperture_end, 0xffffffffULL);
	buf = kmalloc(4 << 20, GFP_KERNEL);
	CHECK(buf != NULL);
	/* Four 4 MiB ranges fill 0xff000000 up; the fifth's aligned slot
	 * would hold the MSI window, so it goes below. */
	for (i = 0; i < 6; i++) {
		h[i] = dma_map_single(mmc, buf, 4 << 20, DMA_TO_DEVICE);
		CHECK(!dma_mapping_error(mmc, h[i]));
		CHECK(h[i] + (4 << 20) <= 0xfee00000ULL || h[i] > 0xfeefffffULL);
	}
	CHECK_EQ(h[0], 0xffc00000ULL);
	CHECK_EQ(h[4], 0xfe800000ULL);
	for (i = 0; i < 6; i++)
		dma_unmap_single(mmc, h[i], 4 << 20, DMA_TO_DEVICE);
	kfree(buf);
	dk_machine_shutdown(m);
	dk_soc_free(t.soc);
}
