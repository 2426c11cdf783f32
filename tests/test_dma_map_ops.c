// SPDX-License-Identifier: MIT
/*
 * Backends behind struct dma_map_ops: a table a test installs (as the
 * kernel's own dmapool test does) gets every streaming call, the checker
 * sees the same mappings whichever backend made them, and iommu-dma is
 * such a table, installed at boot on devices behind an IOMMU.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-debug.h>
#include <dmakit/dma-map-ops.h>
#include <dmakit/error.h>
#include <dmakit/scatterlist.h>
#include <dmakit/sim_device.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

/* An identity backend that counts what it is asked. */
static struct {
	int map, unmap, map_sg, unmap_sg, sync_cpu, sync_dev, map_phys;
	phys_addr_t last_pa;
	bool fail_sg;
} calls;

static dma_addr_t fake_map_page(struct device *dev, struct page *page,
				unsigned long offset, size_t size,
				enum dma_data_direction dir,
				unsigned long attrs)
{
	(void)dev;
	(void)size;
	(void)dir;
	(void)attrs;
	calls.map++;
	calls.last_pa = page_to_phys(page) + offset;
	return 0x40000000 + (calls.last_pa & 0xfffffff);
}

static void fake_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	(void)dev;
	(void)addr;
	(void)size;
	(void)dir;
	(void)attrs;
	calls.unmap++;
}

static int fake_map_sg(struct device *dev, struct scatterlist *sgl, int n,
		       enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	calls.map_sg++;
	if (calls.fail_sg)
		return -ENOMEM;	/* as iommu-dma out of IOVA space */
	for_each_sg(sgl, sg, n, i) {
		sg->dma_address = fake_map_page(dev, sg_page(sg), sg->offset,
						sg->length, dir, attrs);
		sg->dma_length = sg->length;
	}
	return n;
}

static void fake_unmap_sg(struct device *dev, struct scatterlist *sgl, int n,
			  enum dma_data_direction dir, unsigned long attrs)
{
	(void)dev;
	(void)sgl;
	(void)n;
	(void)dir;
	(void)attrs;
	calls.unmap_sg++;
}

static void fake_sync_cpu(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir)
{
	(void)dev;
	(void)addr;
	(void)size;
	(void)dir;
	calls.sync_cpu++;
}

static void fake_sync_dev(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir)
{
	(void)dev;
	(void)addr;
	(void)size;
	(void)dir;
	calls.sync_dev++;
}

static int allocs, frees;

static void *fake_alloc(struct device *dev, size_t size, dma_addr_t *handle,
			gfp_t gfp, unsigned long attrs)
{
	void *p = kzalloc(size, gfp);

	(void)dev;
	(void)attrs;
	allocs++;
	if (p)
		*handle = 0x50000000 + (virt_to_phys(p) & 0xfffffff);
	return p;
}

static void fake_free(struct device *dev, size_t size, void *vaddr,
		      dma_addr_t handle, unsigned long attrs)
{
	(void)dev;
	(void)size;
	(void)handle;
	(void)attrs;
	frees++;
	kfree(vaddr);
}

static const struct dma_map_ops fake_ops = {
	.alloc = fake_alloc,
	.free = fake_free,
	.map_page = fake_map_page,
	.unmap_page = fake_unmap_page,
	.map_sg = fake_map_sg,
	.unmap_sg = fake_unmap_sg,
	.sync_single_for_cpu = fake_sync_cpu,
	.sync_single_for_device = fake_sync_dev,
};

TEST(map_ops_installed_table_gets_every_streaming_call)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	FILE *sink = testdebug_start();
	struct sg_table sgt;
	dma_addr_t h;

	memset(&calls, 0, sizeof(calls));
	CHECK(get_dma_ops(dev) == NULL);
	set_dma_ops(dev, &fake_ops);
	CHECK(get_dma_ops(dev) == &fake_ops);

	h = dma_map_single(dev, buf + 100, 200, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK_EQ(calls.map, 1);
	CHECK_EQ(calls.last_pa, virt_to_phys(buf + 100));
	CHECK_EQ(h, 0x40000000 + (virt_to_phys(buf + 100) & 0xfffffff));
	dma_sync_single_for_cpu(dev, h, 200, DMA_TO_DEVICE);
	dma_sync_single_for_device(dev, h, 200, DMA_TO_DEVICE);
	CHECK_EQ(calls.sync_cpu, 1);
	CHECK_EQ(calls.sync_dev, 1);
	dma_unmap_single(dev, h, 200, DMA_TO_DEVICE);
	CHECK_EQ(calls.unmap, 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);

	/* The checker is the front end's: a double unmap is reported
	 * whatever the backend. */
	dma_unmap_single(dev, h, 200, DMA_TO_DEVICE);
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_NOT_ALLOCATED), 1);
	dk_dma_debug_clear();

	CHECK_EQ(sg_alloc_table(&sgt, 2, GFP_KERNEL), 0);
	sg_set_buf(&sgt.sgl[0], buf, 1024);
	sg_set_buf(&sgt.sgl[1], buf + 2048, 1024);
	CHECK_EQ(dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0), 0);
	CHECK_EQ(calls.map_sg, 1);
	dma_unmap_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0);
	CHECK_EQ(calls.unmap_sg, 1);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	/* The backend's error code reaches dma_map_sgtable()'s caller. */
	calls.fail_sg = true;
	CHECK_EQ(dma_map_sgtable(dev, &sgt, DMA_FROM_DEVICE, 0), -ENOMEM);
	CHECK_EQ(dma_map_sg(dev, sgt.sgl, 2, DMA_FROM_DEVICE), 0);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);	/* nothing was mapped */
	sg_free_table(&sgt);

	/* Coherent memory from the table's allocator, seen by the checker. */
	{
		dma_addr_t ch;
		void *c = dma_alloc_coherent(dev, 512, &ch, GFP_KERNEL);

		CHECK(c != NULL);
		CHECK_EQ(allocs, 1);
		CHECK_EQ(ch, 0x50000000 + (virt_to_phys(c) & 0xfffffff));
		dma_free_coherent(dev, 256, c, ch);	/* the wrong size */
		CHECK_EQ(frees, 1);
		CHECK_EQ(dk_dma_debug_count(DK_CHK_FREE_SIZE), 1);
		dk_dma_debug_clear();
	}

	set_dma_ops(dev, NULL);
	h = dma_map_single(dev, buf, 64, DMA_TO_DEVICE);
	CHECK_EQ(h, virt_to_phys(buf));	/* direct again */
	CHECK_EQ(calls.map, 3);
	dma_unmap_single(dev, h, 64, DMA_TO_DEVICE);
	testdebug_end(sink);
	kfree(buf);
	testmachine_shutdown(&t);
}

/*
 * With the checker and the tracer off the front end goes straight to the
 * table (its fast path): the same page and offset, the same answer, and
 * what the table must not be given still refused with the full path's
 * messages.
 */
TEST(map_ops_table_called_directly_with_the_checker_off)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	void *v = vmalloc(4096);
	enum dk_dma_debug_mode was = dk_dma_debug_get_mode();
	dma_addr_t h;

	memset(&calls, 0, sizeof(calls));
	set_dma_ops(dev, &fake_ops);
	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	h = dma_map_single(dev, buf + 100, 200, DMA_BIDIRECTIONAL);
	CHECK_EQ(calls.map, 1);
	CHECK_EQ(calls.last_pa, virt_to_phys(buf + 100));
	CHECK_EQ(h, 0x40000000 + (virt_to_phys(buf + 100) & 0xfffffff));
	h = dma_map_single_attrs(dev, buf + 4095, 1, DMA_FROM_DEVICE,
				 DMA_ATTR_SKIP_CPU_SYNC);
	CHECK_EQ(calls.map, 2);
	CHECK_EQ(calls.last_pa, virt_to_phys(buf + 4095));
	dma_unmap_single(dev, h, 1, DMA_FROM_DEVICE);
	dma_unmap_single_attrs(dev, h, 200, DMA_BIDIRECTIONAL, 0);
	CHECK_EQ(calls.unmap, 2);

	/* Refused before the table, as by the full path. */
	CHECK(dma_mapping_error(dev, dma_map_single(dev, buf, 0,
						    DMA_TO_DEVICE)));
	CHECK_STR(dk_last_error(), "size 0");
	CHECK(dma_mapping_error(dev, dma_map_single(dev, buf, 8, DMA_NONE)));
	CHECK_STR(dk_last_error(), "DMA_NONE is not a mapping direction");
	CHECK(dma_mapping_error(dev, dma_map_single(dev, v, 64,
						    DMA_TO_DEVICE)));
	CHECK_STR(dk_last_error(), "rejecting DMA map of vmalloc memory");
	dma_unmap_single(dev, h, 0, DMA_TO_DEVICE);
	CHECK_EQ(calls.map, 2);
	CHECK_EQ(calls.unmap, 2);

	dk_dma_debug_set_mode(was);
	set_dma_ops(dev, NULL);
	vfree(v);
	kfree(buf);
	testmachine_shutdown(&t);
}

static dma_addr_t fake_map_phys(struct device *dev, phys_addr_t pa,
				size_t size, enum dma_data_direction dir,
				unsigned long attrs)
{
	(void)dev;
	(void)size;
	(void)dir;
	(void)attrs;
	calls.map_phys++;
	calls.last_pa = pa;
	return 0x60000000 + (pa & 0xfffffff);
}

/* The same table with map_phys as well. */
static struct dma_map_ops phys_ops;

/* A table with map_phys gets the physical address, on the fast path and
 * the full one (the checker on), and its map_page is never called. */
TEST(map_ops_map_phys_is_called_with_the_physical_address)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	enum dk_dma_debug_mode was = dk_dma_debug_get_mode();
	FILE *sink = testdebug_start();
	dma_addr_t h;
	int off;

	memset(&calls, 0, sizeof(calls));
	phys_ops = fake_ops;
	phys_ops.map_phys = fake_map_phys;
	set_dma_ops(dev, &phys_ops);
	for (off = 0; off < 2; off++) {
		dk_dma_debug_set_mode(off ? DK_DMA_DEBUG_OFF : was);
		h = dma_map_single(dev, buf + 100 + off, 200, DMA_TO_DEVICE);
		CHECK(!dma_mapping_error(dev, h));
		CHECK_EQ(calls.map_phys, off + 1);
		CHECK_EQ(calls.last_pa, virt_to_phys(buf + 100 + off));
		CHECK_EQ(h, 0x60000000 +
			 (virt_to_phys(buf + 100 + off) & 0xfffffff));
		dma_unmap_single(dev, h, 200, DMA_TO_DEVICE);
	}
	CHECK_EQ(calls.map, 0);
	CHECK_EQ(calls.unmap, 2);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	dk_dma_debug_set_mode(was);
	set_dma_ops(dev, NULL);
	testdebug_end(sink);
	kfree(buf);
	testmachine_shutdown(&t);
}

static const char iommu_tree[] =
	"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
	"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
	"soc { compatible = \"simple-bus\"; #address-cells = <2>; #size-cells = <2>; ranges;\n"
	"	smmu: iommu@fd800000 { compatible = \"dmakit,iommu\"; #iommu-cells = <1>; };\n"
	"	mmc { compatible = \"dmakit,generic-master\"; iommus = <&smmu 0x10>;\n"
	"		dmakit,address-bits = <24>; };\n"
	"	plain { compatible = \"dmakit,generic-master\"; }; };\n"
	"};\n";

/* iommu-dma is a table like any other; behind it a 24-bit master takes
 * a 24-bit mask, which the direct backend refuses over RAM at 2 GiB. */
TEST(map_ops_iommu_dma_is_a_table_and_takes_any_mask)
{
	struct dk_machine_opts mo = { .iommu_dma = true };
	struct testmachine t = testmachine_boot(iommu_tree, NULL, &mo);
	struct device *mmc = dk_machine_find_device(t.m, "mmc");
	struct device *plain = dk_machine_find_device(t.m, "plain");
	struct dk_simdev *smmc = dk_soc_find_dev(t.soc, "mmc");
	u8 *buf = kmalloc(256, GFP_KERNEL), in[256], got[256];
	dma_addr_t h;

	CHECK(get_dma_ops(mmc) != NULL);
	CHECK(get_dma_ops(plain) == NULL);
	CHECK_EQ(dma_set_mask_and_coherent(mmc, DMA_BIT_MASK(24)), 0);
	CHECK_EQ(dma_set_mask_and_coherent(plain, DMA_BIT_MASK(24)), -EIO);
	memset(in, 0x6b, sizeof(in));
	memcpy(buf, in, sizeof(in));
	h = dma_map_single(mmc, buf, 256, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(mmc, h));
	CHECK(h <= DMA_BIT_MASK(24) - 255);
	CHECK_EQ(dk_dev_dma_read(smmc, h, got, sizeof(got)), 0);
	CHECK_MEM(got, in, sizeof(in));
	dma_unmap_single(mmc, h, 256, DMA_TO_DEVICE);
	kfree(buf);
	testmachine_shutdown(&t);
}

static int plain_probe(struct device *dev)
{
	(void)dev;
	return 0;
}

/*
 * A coherent device's streaming map is a translation only while nothing
 * in its configuration asks for more, and the front end keeps that
 * answer per device: every change must reach it. Checker off throughout,
 * as the translation is taken only then.
 */
TEST(map_ops_coherent_translation_follows_each_change)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "coherent-master@10030000");
	struct device_driver drv = { .name = "plain", .probe = plain_probe };
	enum dk_dma_debug_mode was = dk_dma_debug_get_mode();
	u8 *buf = kmalloc(256, GFP_KERNEL);
	struct dk_dma_debug_stats st;
	unsigned long live;
	dma_addr_t h;

	dk_dma_debug_set_mode(DK_DMA_DEBUG_OFF);
	memset(&calls, 0, sizeof(calls));
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(h, virt_to_phys(buf));
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);

	/* A table installed afterwards gets the calls. */
	set_dma_ops(dev, &fake_ops);
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(h, 0x40000000 + (virt_to_phys(buf) & 0xfffffff));
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	CHECK_EQ(calls.map, 1);
	CHECK_EQ(calls.unmap, 1);
	set_dma_ops(dev, NULL);
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(h, virt_to_phys(buf));
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	CHECK_EQ(calls.map, 1);
	/* A table stored in the device by hand gets the calls as well. */
	dev->dma_ops = &fake_ops;
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	CHECK_EQ(calls.map, 2);
	CHECK_EQ(calls.unmap, 2);
	dev->dma_ops = NULL;

	/* Unbound, the device may not map; bound again, it may. */
	CHECK_EQ(device_bind_driver(dev, &drv), 0);
	device_release_driver(dev);
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(h, DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "device has no driver bound");
	CHECK_EQ(device_bind_driver(dev, &drv), 0);
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	CHECK_EQ(h, virt_to_phys(buf));
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);

	/* The checker switched on at run time sees the next mapping. */
	dk_dma_debug_set_mode(DK_DMA_DEBUG_ALL);
	dk_dma_debug_stats(&st);
	live = st.live_entries;
	h = dma_map_single(dev, buf, 256, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, live + 1);
	dma_unmap_single(dev, h, 256, DMA_TO_DEVICE);
	dk_dma_debug_stats(&st);
	CHECK_EQ(st.live_entries, live);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	device_release_driver(dev);
	dk_dma_debug_set_mode(was);
	kfree(buf);
	testmachine_shutdown(&t);
}
