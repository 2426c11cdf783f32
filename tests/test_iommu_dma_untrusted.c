// SPDX-License-Identifier: MIT
/* Untrusted devices behind an IOMMU: sub-page buffers are bounced. */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-mapping.h>
#include <dmakit/error.h>
#include <dmakit/iommu-dma.h>
#include <dmakit/iommu.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>

#include "harness.h"
#include "testsoc.h"

/* The same master twice behind the SMMU, one of them untrusted; both
 * coherent, so what they read is what the CPU wrote. */
static const char tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	ext { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>;\n"
	"		dma-coherent; dmakit,untrusted; };\n"
	"	int { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x11>;\n"
	"		dma-coherent; }; };\n"
	"};\n";

#define SECRET 0x5e
#define OFF 512
#define LEN 100

struct rig {
	struct testmachine t;
	struct page *pg;
	u8 *page;
};

/* A page whose first bytes are someone else's secret. */
static struct rig rig(void)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct rig r = { .t = testmachine_boot(tree, NULL, &mo) };

	r.pg = alloc_pages(GFP_KERNEL, 0);
	r.page = page_address(r.pg);
	memset(r.page, SECRET, OFF);
	memset(r.page + OFF, 0x11, PAGE_SIZE - OFF);
	return r;
}

static void done(struct rig *r)
{
	__free_pages(r->pg, 0);
	testmachine_shutdown(&r->t);
}

/* What the device reads of the whole IOVA page its buffer lies in (the
 * checker reports the read past the buffer's bytes). */
static int seen(struct rig *r, const char *name, u8 *out)
{
	struct device *dev = dk_machine_find_device(r->t.m, name);
	struct dk_simdev *sd = dk_soc_find_dev(r->t.soc, name);
	dma_addr_t h = dma_map_page(dev, r->pg, OFF, LEN, DMA_TO_DEVICE);
	int e;

	CHECK(!dma_mapping_error(dev, h));
	CHECK_EQ(h % PAGE_SIZE, OFF);	/* the offset in the page is kept */
	e = dk_dev_dma_read(sd, h - OFF, out, PAGE_SIZE);
	dma_unmap_page(dev, h, LEN, DMA_TO_DEVICE);
	return e;
}

TEST(iommu_dma_untrusted_device_cannot_read_its_neighbours_bytes)
{
	struct rig r = rig();
	struct dk_swiotlb_stats st;
	u8 got[PAGE_SIZE];

	dk_dma_debug_clear();
	/* A trusted master given 100 bytes sees the whole page. */
	CHECK_EQ(seen(&r, "int", got), 0);
	CHECK(bytes_are(got, SECRET, OFF));
	/* The untrusted one: its bytes at the same offset, zeroes around. */
	CHECK_EQ(seen(&r, "ext", got), 0);
	CHECK(bytes_are(got, 0, OFF));
	CHECK(bytes_are(got + OFF, 0x11, LEN));
	CHECK(bytes_are(got + OFF + LEN, 0, PAGE_SIZE - OFF - LEN));
	CHECK_EQ(dk_swiotlb_stats(r.t.m, &st), 0);
	CHECK_EQ(st.bounced_maps, 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 2);
	CHECK_EQ(dk_dma_debug_finding(1)->check, DK_CHK_DEVICE_UNMAPPED_ACCESS);
	CHECK_STR(dk_dma_debug_finding(1)->message,
		  "device read 4096 bytes at physical");
	CHECK_STR(dk_dma_debug_finding(1)->device, "/soc/ext");
	done(&r);
}

TEST(iommu_dma_untrusted_device_writes_only_its_own_bytes)
{
	struct rig r = rig();
	struct device *dev = dk_machine_find_device(r.t.m, "ext");
	struct dk_simdev *sd = dk_soc_find_dev(r.t.soc, "ext");
	struct dk_swiotlb_stats st;
	u8 in[PAGE_SIZE];
	dma_addr_t h;

	dk_dma_debug_clear();
	memset(in, 0x77, sizeof(in));
	h = dma_map_page(dev, r.pg, OFF, LEN, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	/* The whole page, as a hostile device would. */
	CHECK_EQ(dk_dev_dma_write(sd, h - OFF, in, PAGE_SIZE), 0);
	dma_sync_single_for_cpu(dev, h, LEN, DMA_FROM_DEVICE);
	CHECK(bytes_are(r.page + OFF, 0x77, LEN));
	dma_sync_single_for_device(dev, h, LEN, DMA_FROM_DEVICE);
	dma_unmap_page(dev, h, LEN, DMA_FROM_DEVICE);
	CHECK(bytes_are(r.page, SECRET, OFF));
	CHECK(bytes_are(r.page + OFF, 0x77, LEN));
	CHECK(bytes_are(r.page + OFF + LEN, 0x11, PAGE_SIZE - OFF - LEN));
	/* Whole pages are its own already: mapped in place. */
	h = dma_map_page(dev, r.pg, 0, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK_EQ(iommu_iova_to_phys(dev->iommu_domain, h),
		 page_to_phys(r.pg));
	dma_unmap_page(dev, h, PAGE_SIZE, DMA_TO_DEVICE);
	CHECK_EQ(dk_swiotlb_stats(r.t.m, &st), 0);
	CHECK_EQ(st.bounced_maps, 1);
	CHECK_EQ(st.used_slots, 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 1);	/* the write past its bytes */
	CHECK_EQ(dk_dma_debug_finding(0)->check, DK_CHK_DEVICE_UNMAPPED_ACCESS);
	done(&r);
}

TEST(iommu_dma_untrusted_scatterlist_is_bounced_entry_by_entry)
{
	struct rig r = rig();
	struct device *dev = dk_machine_find_device(r.t.m, "ext");
	struct dk_simdev *sd = dk_soc_find_dev(r.t.soc, "ext");
	struct scatterlist sgl[2];
	u8 got[PAGE_SIZE];

	dk_dma_debug_clear();
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], r.pg, LEN, OFF);
	sg_set_page(&sgl[1], r.pg, 200, 2048);
	CHECK_EQ(dma_map_sg(dev, sgl, 2, DMA_BIDIRECTIONAL), 2);
	CHECK_EQ(sg_dma_len(&sgl[0]), LEN);
	CHECK_EQ(dk_dev_dma_read(sd, sg_dma_address(&sgl[1]) - 2048, got,
				 PAGE_SIZE), 0);
	CHECK(bytes_are(got, 0, 2048));
	CHECK(bytes_are(got + 2048, 0x11, 200));
	memset(got, 0x3c, 200);
	CHECK_EQ(dk_dev_dma_write(sd, sg_dma_address(&sgl[1]), got, 200), 0);
	dma_sync_sg_for_cpu(dev, sgl, 2, DMA_BIDIRECTIONAL);
	CHECK(bytes_are(r.page + 2048, 0x3c, 200));
	dma_unmap_sg(dev, sgl, 2, DMA_BIDIRECTIONAL);
	CHECK(bytes_are(r.page, SECRET, OFF));
	CHECK_EQ(dk_dma_debug_nfindings(), 1);	/* the read past its bytes */
	done(&r);
}

TEST(iommu_dma_untrusted_device_stays_strict_on_a_lazy_machine)
{
	struct dk_machine_opts mo = { .iommu_lazy = true };
	struct testmachine t = testmachine_boot(tree, NULL, &mo);
	struct device *ext = dk_machine_find_device(t.m, "ext");
	struct device *in = dk_machine_find_device(t.m, "int");

	CHECK(dk_iommu_dma_is_strict(ext));
	CHECK(!dk_iommu_dma_is_strict(in));
	CHECK_EQ(dk_iommu_dma_set_strict(ext, false), -EPERM);
	CHECK_STR(dk_last_error(), "an untrusted device stays strict");
	CHECK(dk_iommu_dma_is_strict(ext));
	testmachine_shutdown(&t);
}
