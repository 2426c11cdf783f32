// SPDX-License-Identifier: MIT
/* The IOMMU API: domains, attach, map, faults, on the simulated IOMMU. */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/iommu.h>
#include <dmakit/scatterlist.h>
#include <dmakit/slab.h>
#include <dmakit/io.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>

#include "harness.h"
#include "testsoc.h"

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
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, &mo);
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

/* Strict, lazy and flush-all: what a device still reaches after each. */
TEST(iommu_unmap_syncs_unmap_fast_waits_for_the_gather)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, &mo);
	struct device *gpu = dk_machine_find_device(t.m, "gpu");
	struct dk_simdev *sgpu = dk_soc_find_dev(t.soc, "gpu");
	u8 *ram = dk_sim_dram_ptr(t.soc, 0x80000000);
	struct iommu_domain *d = iommu_paging_domain_alloc(gpu);
	struct iommu_iotlb_gather g;

	CHECK_EQ(d->pgsize_bitmap, 0x1000UL | 0x200000 | 0x40000000);
	CHECK(!iommu_get_domain_for_dev(gpu));	/* passthrough */
	CHECK_EQ(iommu_attach_device(d, gpu), 0);
	CHECK(iommu_get_domain_for_dev(gpu) == d);
	/* Strict: gone from the IOTLB when iommu_unmap() returns. */
	CHECK_EQ(iommu_map(d, 0x100000, 0x80010000, 0x1000,
			   IOMMU_READ | IOMMU_WRITE, GFP_KERNEL), 0);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x100000, "strict", 6), 0);
	CHECK_EQ(iommu_unmap(d, 0x100000, 0x1000), 0x1000);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x100000, "STRICT", 6), -EFAULT);
	CHECK_MEM(ram + 0x10000, "strict", 6);
	/* Lazy: the cached translation works until the gather is synced. */
	CHECK_EQ(iommu_map(d, 0x100000, 0x80010000, 0x2000,
			   IOMMU_READ | IOMMU_WRITE, GFP_KERNEL), 0);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x100000, "lazy..", 6), 0);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x101000, "lazy..", 6), 0);
	iommu_iotlb_gather_init(&g);
	CHECK_EQ(iommu_unmap_fast(d, 0x100000, 0x1000, &g), 0x1000);
	CHECK_EQ(iommu_unmap_fast(d, 0x101000, 0x1000, &g), 0x1000);
	CHECK_EQ(g.start, 0x100000);
	CHECK_EQ(g.end, 0x101fff);
	CHECK_EQ(iommu_iova_to_phys(d, 0x100000), 0);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x100000, "stale!", 6), 0);
	CHECK_MEM(ram + 0x10000, "stale!", 6);	/* freed page written */
	iommu_iotlb_sync(d, &g);
	CHECK_EQ(g.end, 0);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x100000, "after.", 6), -EFAULT);
	CHECK_EQ(dk_dev_dma_write(sgpu, 0x101000, "after.", 6), -EFAULT);
	CHECK_MEM(ram + 0x10000, "stale!", 6);
	/* No gather at all: only a flush of everything reaches the IOTLB. */
	CHECK_EQ(iommu_map(d, 0x100000, 0x80010000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x100000, ram + 0x20000, 6), 0);
	CHECK_EQ(iommu_unmap_fast(d, 0x100000, 0x1000, NULL), 0x1000);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x100000, ram + 0x20000, 6), 0);
	iommu_flush_iotlb_all(d);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x100000, ram + 0x20000, 6), -EFAULT);
	iommu_detach_device(d, gpu);
	CHECK(!iommu_get_domain_for_dev(gpu));
	iommu_domain_free(d);
	testmachine_shutdown(&t);
}

/*
 * A strict unmap over several ranges invalidates the span between them:
 * a stale entry left in a hole by an unsynced iommu_unmap_fast() goes
 * too, while an unmap of one range invalidates it as it clears it.
 */
TEST(iommu_unmap_of_several_ranges_invalidates_their_span)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, &mo);
	struct device *gpu = dk_machine_find_device(t.m, "gpu");
	struct dk_simdev *sgpu = dk_soc_find_dev(t.soc, "gpu");
	struct iommu_domain *d = iommu_paging_domain_alloc(gpu);
	unsigned long iova;
	u8 got[4];

	CHECK_EQ(iommu_attach_device(d, gpu), 0);
	for (iova = 0x100000; iova < 0x104000; iova += 0x1000) {
		CHECK_EQ(iommu_map(d, iova, 0x80010000 + (iova - 0x100000),
				   0x1000, IOMMU_READ, GFP_KERNEL), 0);
		CHECK_EQ(dk_dev_dma_read(sgpu, iova, got, 4), 0);
	}
	CHECK_EQ(iommu_unmap_fast(d, 0x101000, 0x1000, NULL), 0x1000);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x101000, got, 4), 0);	/* stale */
	CHECK_EQ(iommu_unmap(d, 0x100000, 0x3000), 0x2000);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x100000, got, 4), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x101000, got, 4), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x102000, got, 4), -EFAULT);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x103000, got, 4), 0);
	/* One range, the last page: gone in the same call. */
	CHECK_EQ(iommu_unmap(d, 0x103000, 0x1000), 0x1000);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x103000, got, 4), -EFAULT);
	iommu_detach_device(d, gpu);
	iommu_domain_free(d);
	testmachine_shutdown(&t);
}

static int handler_ret;

static int count_fault(struct iommu_domain *d, struct device *dev,
		       unsigned long iova, int flags, void *token)
{
	(void)d;
	(void)dev;
	(void)iova;
	(void)flags;
	++*(int *)token;
	return handler_ret;
}

TEST(iommu_faults_recorded_with_device_stream_address_access_reason)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, &mo);
	struct device *vpu = dk_machine_find_device(t.m, "vpu");
	struct dk_simdev *svpu = dk_soc_find_dev(t.soc, "vpu");
	struct iommu_domain *d = iommu_domain_alloc(NULL);
	struct dk_iommu_fault f;
	int calls = 0;
	u8 b[4];

	CHECK_EQ(iommu_attach_device(d, vpu), 0);
	CHECK_EQ(dk_iommu_last_fault(d, &f), -ENOENT);
	CHECK_EQ(report_iommu_fault(d, vpu, 0x1234, IOMMU_FAULT_READ),
		 -ENOSYS);	/* no handler */
	iommu_set_fault_handler(d, count_fault, &calls);
	CHECK_EQ(iommu_map(d, 0x4000, 0x80004000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(dk_dev_dma_write(svpu, 0x4010, "no", 2), -EFAULT);
	CHECK_EQ(dk_iommu_last_fault(d, &f), 0);
	CHECK_STR(f.device, "/soc/vpu");
	CHECK_EQ(f.stream, 0x20);
	CHECK_EQ(f.iova, 0x4010);
	CHECK(f.write);
	CHECK_EQ(f.reason, DK_IOMMU_FAULT_PERMISSION);
	CHECK_EQ(dk_dev_dma_read(svpu, 0x9000, b, 4), -EFAULT);
	CHECK_EQ(dk_iommu_last_fault(d, &f), 0);
	CHECK_EQ(f.iova, 0x9000);
	CHECK(!f.write);
	CHECK_EQ(f.reason, DK_IOMMU_FAULT_TRANSLATION);
	CHECK_EQ(dk_dev_dma_read(svpu, 1ULL << 48, b, 4), -EFAULT);
	CHECK_EQ(dk_iommu_last_fault(d, &f), 0);
	CHECK_EQ(f.reason, DK_IOMMU_FAULT_ADDRESS_SIZE);
	CHECK_EQ(calls, 3);
	/* An IOMMU driver's own report reaches the handler the same way. */
	handler_ret = -EAGAIN;
	CHECK_EQ(report_iommu_fault(d, vpu, 0x5678, IOMMU_FAULT_WRITE),
		 -EAGAIN);
	CHECK_EQ(calls, 4);
	CHECK_EQ(dk_iommu_fault_count(d), 5);
	CHECK_EQ(dk_iommu_last_fault(d, &f), 0);
	CHECK_EQ(f.iova, 0x5678);
	CHECK(f.write);
	CHECK_EQ(f.stream, 0x20);
	iommu_detach_device(d, vpu);
	iommu_domain_free(d);
	testmachine_shutdown(&t);
}

static const char group_tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	isp0 { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x30>; };\n"
	"	isp1 { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x30>; };\n"
	"	vpu { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x20>; }; };\n"
	"};\n";

TEST(iommu_groups_share_a_domain_and_refuse_a_lone_attach)
{
	struct testmachine t = testmachine_boot(group_tree, NULL, NULL);
	struct device *isp0 = dk_machine_find_device(t.m, "isp0");
	struct device *isp1 = dk_machine_find_device(t.m, "isp1");
	struct device *vpu = dk_machine_find_device(t.m, "vpu");
	struct dk_simdev *s0 = dk_soc_find_dev(t.soc, "isp0");
	struct dk_simdev *s1 = dk_soc_find_dev(t.soc, "isp1");
	struct iommu_group *g = iommu_group_get(isp0);
	struct iommu_group *g1 = iommu_group_get(isp1);
	struct iommu_group *gv = iommu_group_get(vpu);
	struct iommu_domain *def = iommu_get_domain_for_dev(isp0);
	struct iommu_domain *d = iommu_paging_domain_alloc(isp0);
	struct iommu_domain *d2 = iommu_paging_domain_alloc(vpu);
	u8 *buf = kmalloc(64, GFP_KERNEL), b[4];
	dma_addr_t h;

	CHECK(g && g == g1 && gv && gv != g);
	CHECK(iommu_group_id(g) != iommu_group_id(gv));
	/* iommu-dma gave the group one default domain: either device
	 * reaches what the other mapped. */
	CHECK(def && iommu_get_domain_for_dev(isp1) == def);
	CHECK(iommu_get_domain_for_dev(vpu) != def);
	memcpy(buf, "grp", 4);
	h = dma_map_single(isp0, buf, 4, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(isp0, h));
	CHECK_EQ(dk_dev_dma_read(s1, h, b, 4), 0);
	CHECK_MEM(b, "grp", 4);
	dma_unmap_single(isp0, h, 4, DMA_TO_DEVICE);
	/* A driver's domain: the whole group or nothing. */
	CHECK_EQ(iommu_attach_device(d, isp0), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "/soc/isp0 shares its IOMMU group with 1 other device(s): attach the group");
	CHECK_EQ(iommu_attach_group(d, g), 0);
	CHECK(iommu_get_domain_for_dev(isp0) == d);
	CHECK(iommu_get_domain_for_dev(isp1) == d);
	CHECK_EQ(iommu_attach_group(d2, g), -EBUSY);
	CHECK_EQ(iommu_attach_device(d2, isp1), -EINVAL);
	CHECK_EQ(iommu_attach_device(d2, vpu), 0);	/* out of its default */
	CHECK_EQ(iommu_attach_group(d, gv), -EBUSY);
	/* One mapping serves both devices of the group. */
	CHECK_EQ(iommu_map(d, 0x8000, 0x80008000, 0x1000, IOMMU_READ,
			   GFP_KERNEL), 0);
	CHECK_EQ(dk_dev_dma_read(s0, 0x8000, b, 4), 0);
	CHECK_EQ(dk_dev_dma_read(s1, 0x8000, b, 4), 0);
	CHECK_EQ(dk_dev_dma_read(dk_soc_find_dev(t.soc, "vpu"), 0x8000, b, 4),
		 -EFAULT);
	/* Detached: back in the default domain, as in Linux. */
	iommu_detach_group(d, g);
	CHECK(iommu_get_domain_for_dev(isp1) == def);
	CHECK_EQ(dk_dev_dma_read(s1, 0x8000, b, 4), -EFAULT);
	iommu_detach_device(d2, vpu);
	CHECK(iommu_get_domain_for_dev(vpu) != NULL);
	iommu_group_put(g);
	iommu_group_put(g1);
	iommu_group_put(gv);
	iommu_domain_free(d);
	iommu_domain_free(d2);
	kfree(buf);
	testmachine_shutdown(&t);
}

TEST(iommu_map_sg_merges_contiguous_entries_and_undoes_on_error)
{
	struct dk_machine_opts mo = { .iommu_passthrough = true };
	struct testmachine t = testmachine_boot(testsoc_iommu_tree, NULL, &mo);
	struct device *gpu = dk_machine_find_device(t.m, "gpu");
	struct dk_simdev *sgpu = dk_soc_find_dev(t.soc, "gpu");
	struct iommu_domain *d = iommu_paging_domain_alloc(gpu);
	u8 *a = kmalloc(8192, GFP_KERNEL), *b = kmalloc(4096, GFP_KERNEL);
	struct scatterlist sg[3];
	u8 got[8];

	CHECK_EQ((unsigned long)a % 4096 + (unsigned long)b % 4096, 0);
	memset(a, 0xa1, 8192);
	memset(b, 0xb2, 4096);
	dk_sim_cache_clean(t.soc, virt_to_phys(a), 8192);
	dk_sim_cache_clean(t.soc, virt_to_phys(b), 4096);
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], a, 4096);
	sg_set_buf(&sg[1], a + 4096, 4096);
	sg_set_buf(&sg[2], b, 4096);
	CHECK_EQ(iommu_attach_device(d, gpu), 0);
	CHECK_EQ(iommu_map_sg(d, 0x40000, sg, 3, IOMMU_READ, GFP_KERNEL),
		 12288);
	CHECK_EQ(dk_dev_dma_read(sgpu, 0x41ffc, got, 8), 0);
	CHECK_MEM(got, "\xa1\xa1\xa1\xa1\xb2\xb2\xb2\xb2", 8);
	CHECK_EQ(iommu_iova_to_phys(d, 0x42000), virt_to_phys(b));
	CHECK_EQ(iommu_unmap(d, 0x40000, 12288), 12288);
	/* An entry that is not whole pages: nothing stays mapped. */
	sg_set_buf(&sg[2], b + 8, 64);
	CHECK_EQ(iommu_map_sg(d, 0x40000, sg, 3, IOMMU_READ, GFP_KERNEL),
		 -EINVAL);
	CHECK_EQ(iommu_iova_to_phys(d, 0x40000), 0);
	iommu_detach_device(d, gpu);
	iommu_domain_free(d);
	kfree(a);
	kfree(b);
	testmachine_shutdown(&t);
}
