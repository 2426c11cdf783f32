// SPDX-License-Identifier: MIT
/* The IOMMU API: domains, attach, map, faults, on the simulated IOMMU. */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	gpu { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>; };\n"
	"	vpu { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; };\n"
	"	plain { compatible = \"dmakit,generic-master\"; }; };\n"
	"};\n";

static int faults;
static unsigned long fault_iova;
static int fault_flags;

static int on_fault(struct iommu_domain *d, struct device *dev,
		    unsigned long iova, int flags, void *token)
{
	(void)d;
	(void)dev;
	faults += *(int *)token;
	fault_iova = iova;
	fault_flags = flags;
	return 0;
}

TEST(iommu_domain_map_attach_fault)
{
	/* The test drives the domains itself: no default ones. */
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(tree, NULL, &mo);
	struct device *gpu = dk_machine_find_device(t.m, "gpu");
	struct device *vpu = dk_machine_find_device(t.m, "vpu");
	struct device *plain = dk_machine_find_device(t.m, "plain");
	struct dk_simdev *sgpu = dk_soc_find_dev(t.soc, "gpu");
	struct dk_simdev *svpu = dk_soc_find_dev(t.soc, "vpu");
	u8 *ram = dk_sim_dram_ptr(t.soc, 0x80000000), pkt[32], got[32];
	struct iommu_domain *d, *d2;
	int one = 1;

	memset(pkt, 0x3a, sizeof(pkt));
	CHECK(device_iommu_mapped(gpu));
	CHECK(!device_iommu_mapped(plain));
	CHECK(!iommu_paging_domain_alloc(plain));
	CHECK_STR(dk_last_error(), "is behind no IOMMU");
	d = iommu_paging_domain_alloc(gpu);
	CHECK(d != NULL);
	iommu_set_fault_handler(d, on_fault, &one);
	/* Mapped before attach: programmed at attach. */
	CHECK_EQ(iommu_map(d, 0x100000, 0x80010000, 0x3000,
			   IOMMU_READ | IOMMU_WRITE, GFP_KERNEL), 0);
	CHECK_EQ(iommu_attach_device(d, gpu), 0);
	CHECK_EQ(iommu_attach_device(d, gpu), -EBUSY);
	CHECK_EQ(iommu_attach_device(d, plain), -ENODEV);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x101ff0, pkt, 32), 0);
	CHECK_EQ(ram[0x11ff0], 0x3a);
	CHECK_EQ(ram[0x1200f], 0x3a);
	/* Mapped after attach: programmed at once. */
	CHECK_EQ(iommu_map(d, 0x200000, 0x80020000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x200010, got, 16), 0);
	CHECK_EQ(iommu_iova_to_phys(d, 0x200010), 0x80020010);
	CHECK_EQ(iommu_map(d, 0x201000, 0x80030000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(iommu_map(d, 0x200000, 0x80020000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), -EEXIST);
	CHECK_EQ(iommu_map(d, 0x300100, 0x80020000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), -EINVAL);
	/* Faults reach the domain's handler and move nothing. */
	faults = 0;
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x200000, pkt, 8), -EFAULT);
	CHECK_EQ(faults, 1);
	CHECK_EQ(fault_iova, 0x200000);
	CHECK_EQ(fault_flags, IOMMU_FAULT_WRITE);
	CHECK_EQ(ram[0x20000], 0);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x900000, got, 8), -EFAULT);
	CHECK_EQ(faults, 2);
	CHECK_EQ(fault_flags, IOMMU_FAULT_READ);
	CHECK_EQ(dk_soc_fault(t.soc, 1)->reason, DK_FAULT_IOMMU_UNMAPPED);
	/* Another device on another stream is unaffected until attached. */
	CHECK_EQ(dk_dev_dma_write(svpu, 0x80040000, pkt, 8), 0);
	d2 = iommu_paging_domain_alloc(vpu);
	CHECK_EQ(iommu_attach_device(d2, vpu), 0);
	CHECK_EQ(dk_dev_dma_write(svpu, 0x80040000, pkt, 8), -EFAULT);
	iommu_detach_device(d2, vpu);
	iommu_domain_free(d2);
	/* Unmapping the middle page splits the mapping. */
	CHECK_EQ(iommu_unmap(d, 0x101000, 0x1000), 0x1000);
	CHECK_EQ(iommu_iova_to_phys(d, 0x101000), 0);
	CHECK_EQ(iommu_iova_to_phys(d, 0x102004), 0x80012004);
	CHECK_EQ(iommu_iova_to_phys(d, 0x100004), 0x80010004);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x101000, got, 8), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x102000, got, 8), 0);
	CHECK_EQ(iommu_unmap(d, 0x100000, 0x10000), 0x2000);	/* two pages left */
	/* Freeing an attached domain is refused. */
	iommu_domain_free(d);
	iommu_detach_device(d, gpu);
	/* Detached: bypass again. */
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x80050000, pkt, 8), 0);
	CHECK_EQ(ram[0x50000], 0x3a);
	iommu_domain_free(d);
	testmachine_shutdown(&t);
}
