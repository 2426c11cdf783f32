// SPDX-License-Identifier: MIT
/*
 * The machine's kernel services: driver binding and devres, the page
 * allocator and its zones, kmalloc, vmalloc and the vmap-range maintenance
 * that makes a vmalloc buffer DMA-able through a scatterlist.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/dma-mapping.h>
#include <dmakit/dma-debug.h>
#include <dmakit/error.h>
#include <dmakit/sim_device.h>
#include <dmakit/sim_memory.h>
#include <dmakit/slab.h>
#include <dmakit/vmalloc.h>

#include "harness.h"
#include "testsoc.h"

static int probes, removes;
static void *managed;
static dma_addr_t managed_dma;

static int probe(struct device *dev)
{
	probes++;
	managed = devm_kzalloc(dev, 100, GFP_KERNEL);
	if (!dmam_alloc_coherent(dev, 4096, &managed_dma, GFP_KERNEL))
		return -ENOMEM;
	dev_set_drvdata(dev, managed);
	return of_device_get_match_data(dev) ? 0 : -ENODEV;
}

static void remove_dev(struct device *dev)
{
	removes++;
	CHECK(dev_get_drvdata(dev) != NULL);
}

/* How many generic masters the built-in SoC has (it grows with stories). */
static int generic_masters(struct dk_machine *m)
{
	int i, n = 0;
	struct device *d;

	for (i = 0; (d = dk_machine_device(m, i)); i++)
		n += !strcmp(d->compatible, "dmakit,generic-master");
	return n;
}

static const struct of_device_id ids[] = {
	{ .compatible = "dmakit,generic-master", .data = "generic" },
	{ }
};

TEST(kernel_driver_binds_by_compatible_and_releases_devres)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device_driver drv = { .name = "test", .of_match_table = ids,
				     .probe = probe, .remove = remove_dev };
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct device *dma = dk_machine_find_device(t.m, "dma@10000000");
	dma_addr_t h;
	void *mine;

	probes = removes = 0;
	CHECK_EQ(driver_register(&drv), 0);
	CHECK_EQ(probes, generic_masters(t.m));
	CHECK(dev->driver == &drv);
	CHECK(dma->driver == NULL);		/* other compatible */
	mine = dev_get_drvdata(dev);
	CHECK(ksize(mine) >= 100);
	CHECK_EQ(driver_register(&drv), -EBUSY);
	CHECK_EQ(device_bind_driver(dev, &drv), -EBUSY);
	device_release_driver(dev);
	CHECK_EQ(removes, 1);
	CHECK(dev->driver == NULL);
	/* devres freed the managed memory: it is no kmalloc object now. */
	CHECK(!dk_is_kmalloc_addr(mine, NULL, NULL));
	CHECK(dev_get_drvdata(dev) == NULL);
	/* The device is quiesced: mapping for it is refused. */
	CHECK_EQ(dma_map_single(dev, kmalloc(64, GFP_KERNEL), 64,
				DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	CHECK_STR(dk_last_error(), "device has no driver bound");
	CHECK(!dma_alloc_coherent(dma, 0, &h, GFP_KERNEL));
	driver_unregister(&drv);
	CHECK_EQ(removes, generic_masters(t.m));
	testmachine_shutdown(&t);
}

static int failing_probe(struct device *dev)
{
	managed = devm_kmalloc(dev, 64, GFP_KERNEL);
	return -517;
}

TEST(kernel_failed_probe_leaves_device_unbound)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device_driver drv = { .name = "bad", .of_match_table = ids,
				     .probe = failing_probe };
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");

	CHECK_EQ(device_bind_driver(dev, &drv), -517);
	CHECK(dev->driver == NULL);
	CHECK(!dk_is_kmalloc_addr(managed, NULL, NULL));
	CHECK_EQ(driver_register(NULL), -EINVAL);
	testmachine_shutdown(&t);
}

TEST(kernel_page_allocator_zones)
{
	static const char tree[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@0 { device_type = \"memory\"; reg = <0 0 0 0x4000000>; };\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x4000000>; };\n"
		"memory@100000000 { device_type = \"memory\"; reg = <1 0 0 0x4000000>; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct page *a, *b, *c;
	u8 *va;

	a = alloc_pages(GFP_DMA, 2);
	CHECK(page_to_phys(a) < (1ULL << 30));
	CHECK_EQ(page_to_phys(a) % (4 * PAGE_SIZE), 0);	/* natural alignment */
	CHECK(page_to_phys(a + 1) == page_to_phys(a) + PAGE_SIZE);
	b = alloc_pages(GFP_DMA32 | __GFP_ZERO, 0);
	CHECK(page_to_phys(b) < (1ULL << 32));
	va = page_address(b);
	CHECK_EQ(va[100], 0);
	CHECK(virt_to_page(va + 100) == b);
	CHECK_EQ(virt_to_phys(va + 5), page_to_phys(b) + 5);
	CHECK(phys_to_virt(page_to_phys(b)) == va);
	CHECK(pfn_to_page(page_to_pfn(b)) == b);
	CHECK(virt_addr_valid(va));
	CHECK(!virt_addr_valid(&t));
	CHECK(!alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	CHECK_STR(dk_last_error(), "over MAX_ORDER");
	c = alloc_pages(GFP_KERNEL, MAX_ORDER);
	CHECK(c != NULL);
	CHECK_EQ(get_order(1), 0);
	CHECK_EQ(get_order(4097), 1);
	CHECK_EQ(get_order(1 << 20), 8);
	__free_pages(a, 2);
	__free_page(b);
	__free_pages(c, MAX_ORDER);
	testmachine_shutdown(&t);
}

TEST(kernel_kmalloc_alignment_and_misuse)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	u8 *a = kmalloc(1, GFP_KERNEL), *b = kmalloc(100, GFP_KERNEL);
	u8 *big = kmalloc(100000, GFP_KERNEL), *z, *r;
	const void *start;
	size_t sz;

	CHECK_EQ(dk_kmalloc_minalign(), 128);	/* ARCH_DMA_MINALIGN */
	CHECK_EQ((unsigned long)a % 128, 0);
	CHECK_EQ((unsigned long)b % 128, 0);
	CHECK_EQ(ksize(a), 128);
	CHECK_EQ(ksize(big), 131072);
	CHECK(virt_addr_valid(a));
	CHECK(dk_is_kmalloc_addr(b + 50, &sz, &start));
	CHECK_EQ(sz, 128);
	CHECK(start == b);
	z = kzalloc(300, GFP_KERNEL);
	for (int i = 0; i < 300; i++)
		CHECK_EQ(z[i], 0);
	memset(z, 0x5a, 300);
	r = krealloc(z, 5000, GFP_KERNEL);
	CHECK(r != z);
	CHECK_EQ(r[299], 0x5a);
	CHECK(!dk_is_kmalloc_addr(z, NULL, NULL));
	CHECK(!kmalloc(0, GFP_KERNEL));
	CHECK(!kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	CHECK_STR(dk_last_error(), "overflows");
	kfree(a);
	kfree(a);			/* reported, harmless */
	kfree(b + 1);			/* reported, harmless */
	kfree(NULL);
	kfree(b);
	kfree(big);
	kfree(r);
	CHECK_EQ(krealloc(NULL, 0, GFP_KERNEL), NULL);
	testmachine_shutdown(&t);
}

/* The Buffer Shambler's fix: map a vmalloc buffer page by page. */
TEST(kernel_vmalloc_is_scattered_and_maps_as_sg)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	struct dk_simdev *sdev = dk_soc_find_dev(t.soc, "master@10010000");
	u8 *v = vmalloc(4 * PAGE_SIZE), got[4 * PAGE_SIZE], in[100];
	struct page *pages[4];
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int i;
	size_t off = 0;

	CHECK(is_vmalloc_addr(v + 5000));
	CHECK(!virt_addr_valid(v));
	for (i = 0; i < 4; i++)
		pages[i] = vmalloc_to_page(v + i * PAGE_SIZE);
	for (i = 1; i < 4; i++)
		CHECK(page_to_phys(pages[i]) + PAGE_SIZE != page_to_phys(pages[i - 1]) ||
		      page_to_phys(pages[i]) != page_to_phys(pages[i - 1]) + PAGE_SIZE);
	CHECK(page_to_phys(pages[1]) != page_to_phys(pages[0]) + PAGE_SIZE);
	for (i = 0; i < sizeof(got); i++)
		v[i] = (u8)(i * 7);
	flush_kernel_vmap_range(v, 4 * PAGE_SIZE);
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pages, 4, 0, 4 * PAGE_SIZE,
					   GFP_KERNEL), 0);
	CHECK_EQ(sgt.orig_nents, 4);		/* no two pages adjacent */
	CHECK_EQ(dma_map_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0), 0);
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		dk_dev_dma_read(sdev, sg_dma_address(sg), got + off,
				sg_dma_len(sg));
		off += sg_dma_len(sg);
	}
	for (i = 0; i < sizeof(got); i++)
		if (got[i] != (u8)(i * 7))
			break;
	CHECK_EQ(i, sizeof(got));
	memset(in, 0x61, sizeof(in));
	dk_dev_dma_write(sdev, sg_dma_address(sgt.sgl) + 10, in, sizeof(in));
	dma_unmap_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, 0);
	invalidate_kernel_vmap_range(v, 4 * PAGE_SIZE);
	CHECK_EQ(v[10], 0x61);
	CHECK_EQ(v[109], 0x61);
	CHECK_EQ(v[110], (u8)(110 * 7));
	sg_free_table(&sgt);
	vfree(v);
	CHECK(!is_vmalloc_addr(v));
	vfree(v);			/* reported, harmless */
	CHECK(!vmalloc(0));
	testmachine_shutdown(&t);
}

TEST(kernel_scatterlist_chaining)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int i, n = 0;
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), out[600];

	/* More entries than fit one page of them: chained blocks. */
	CHECK_EQ(sg_alloc_table(&sgt, 300, GFP_KERNEL), 0);
	for_each_sgtable_sg(&sgt, sg, i) {
		sg_set_buf(sg, buf + (i % 2) * 2048, 2);
		n++;
	}
	CHECK_EQ(n, 300);
	CHECK_EQ(sg_nents(sgt.sgl), 300);
	memset(buf, 0, PAGE_SIZE);
	CHECK_EQ(sg_copy_from_buffer(sgt.sgl, 300, "abcd", 4), 4);
	CHECK_EQ(buf[0], 'a');
	CHECK_EQ(buf[2048 + 1], 'd');
	CHECK_EQ(sg_copy_to_buffer(sgt.sgl, 300, out, sizeof(out)), 600);
	sg_free_table(&sgt);
	CHECK_EQ(sg_alloc_table(&sgt, 0, GFP_KERNEL), -EINVAL);
	kfree(buf);
	testmachine_shutdown(&t);
}

TEST(kernel_sg_from_pages_no_empty_trailing_entries)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct page *pg[4];
	struct sg_table sgt;
	int i;

	for (i = 0; i < 4; i++)
		pg[i] = alloc_pages(GFP_KERNEL, 1);	/* never adjacent */
	/* 4 pages offered, 100 bytes at offset 4000 need only 2. */
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pg, 4, 4000, 100, GFP_KERNEL), 0);
	CHECK_EQ(sgt.orig_nents, 2);
	CHECK_EQ(sgt.sgl[0].length, 96);
	CHECK_EQ(sgt.sgl[0].offset, 4000);
	CHECK_EQ(sg_next(sgt.sgl)->length, 4);
	sg_free_table(&sgt);
	for (i = 0; i < 4; i++)
		__free_pages(pg[i], 1);
	testmachine_shutdown(&t);
}

/* As Linux: max_segment 0 is refused; so are pointers that are no page. */
TEST(kernel_sg_from_pages_refuses_bad_segment_and_foreign_pages)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct testmachine other = testmachine_boot(NULL, NULL, NULL);
	struct page *theirs = alloc_page(GFP_KERNEL), *pg[2], fake;
	struct sg_table sgt;

	dk_machine_set_current(t.m);
	pg[0] = alloc_page(GFP_KERNEL);
	pg[1] = alloc_page(GFP_KERNEL);
	CHECK_EQ(sg_alloc_table_from_pages_segment(&sgt, pg, 2, 0, 8192, 0,
						   GFP_KERNEL), -EINVAL);
	CHECK_STR(dk_last_error(), "max_segment 0 under a page");
	CHECK_EQ(sg_alloc_table_from_pages_segment(&sgt, pg, 2, 0, 8192, 4095,
						   GFP_KERNEL), -EINVAL);
	CHECK_EQ(sg_alloc_table_from_pages_segment(&sgt, pg, 2, 0, 8192, 4096,
						   GFP_KERNEL), 0);
	CHECK_EQ(sgt.orig_nents, 2);
	sg_free_table(&sgt);

	pg[1] = &fake;
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pg, 2, 0, 8192, GFP_KERNEL),
		 -EINVAL);
	CHECK_STR(dk_last_error(), "pages[1] = ");
	CHECK_STR(dk_last_error(), "is no page of the machine");
	pg[1] = (struct page *)((char *)pg[0] + 1);	/* inside a page */
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pg, 2, 0, 8192, GFP_KERNEL),
		 -EINVAL);
	pg[1] = theirs;		/* another machine's */
	CHECK_EQ(sg_alloc_table_from_pages(&sgt, pg, 2, 0, 8192, GFP_KERNEL),
		 -EINVAL);
	__free_page(pg[0]);
	testmachine_shutdown(&t);
	dk_machine_set_current(other.m);
	__free_page(theirs);
	testmachine_shutdown(&other);
}

TEST(kernel_ram_at_zero_pages_free)
{
	static const char tree[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@0 { device_type = \"memory\"; reg = <0 0 0 0x100000>; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct dk_swiotlb_stats st;
	struct page *a = alloc_page(GFP_KERNEL), *b;

	/* 1 MiB of RAM is too little for the default bounce pool. */
	CHECK_EQ(dk_swiotlb_stats(t.m, &st), -ENODEV);
	CHECK_EQ(page_to_phys(a), 0);
	__free_page(a);
	b = alloc_page(GFP_KERNEL);
	CHECK(b == a);			/* it really went back */
	__free_page(b);
	testmachine_shutdown(&t);
}

TEST(kernel_default_swiotlb_fits_small_ram)
{
	static const char tree[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x2000000>; };\n"
		"};\n";
	struct testmachine t = testmachine_boot(tree, NULL, NULL);
	struct dk_swiotlb_stats st;

	/* 32 MiB of RAM: a sixteenth, 2 MiB, not the 4 MiB default. */
	CHECK_EQ(dk_swiotlb_stats(t.m, &st), 0);
	CHECK_EQ(st.total_slots, 1024);
	testmachine_shutdown(&t);
}

static int child_probes;

static int child_probe(struct device *dev)
{
	(void)dev;
	child_probes++;
	return 0;
}

TEST(kernel_child_device_and_of_dma_configure)
{
	static const struct of_device_id xhci_ids[] = {
		{ .compatible = "generic-xhci" }, { }
	};
	struct device_driver xhci = { .name = "xhci", .probe = child_probe,
				      .of_match_table = xhci_ids };
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *usb = dk_machine_find_device(t.m, "usb@0");
	struct dk_simdev *susb = dk_soc_find_dev(t.soc, "usb@0");
	struct device *c;
	u8 *buf = kmalloc(256, GFP_KERNEL), pkt[16] = { 7 };
	dma_addr_t h;

	child_probes = 0;
	CHECK_EQ(driver_register(&xhci), 0);
	c = device_create_child(usb, "xhci-hcd.0.auto", "generic-xhci");
	CHECK(c && c->parent == usb);
	CHECK_EQ(child_probes, 1);		/* matched at creation */
	CHECK(dk_machine_find_device(t.m, "xhci-hcd.0.auto") == c);
	/* Bare: what Linux gives a device without a node. */
	CHECK(!c->dma_coherent && !c->n_dma_ranges);
	CHECK_EQ(dma_get_mask(c), DMA_BIT_MASK(32));
	CHECK_EQ(dk_of_dma_configure(c, usb), 0);
	CHECK(c->dma_coherent && c->n_dma_ranges == usb->n_dma_ranges);
	CHECK_EQ(dk_of_dma_configure(c, c), -EINVAL);	/* not of the tree */
	/* The parent's bus master moves the child's mapping: covered. */
	dk_dma_debug_clear();
	h = dma_map_single(c, buf, 256, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(c, h));
	CHECK_EQ(h, virt_to_phys(buf) - 0x80000000);	/* the bus's window */
	CHECK_EQ(dk_dev_dma_write(susb, h, pkt, sizeof(pkt)), 0);
	dma_unmap_single(c, h, 256, DMA_FROM_DEVICE);
	CHECK_EQ(buf[0], 7);
	CHECK_EQ(dk_dma_debug_nfindings(), 0);
	device_unregister(c);
	CHECK(!dk_machine_find_device(t.m, "xhci-hcd.0.auto"));
	CHECK(!device_create_child(NULL, "x", NULL));
	driver_unregister(&xhci);
	/* A child left registered goes with the machine. */
	CHECK(device_create_child(usb, "left", NULL) != NULL);
	testmachine_shutdown(&t);
}

static int shutdowns;

static void shutdown_dev(struct device *dev)
{
	shutdowns++;
	CHECK(dev_get_drvdata(dev) != NULL);
}

/* kexec calls shutdown, never remove, frees nothing, and the next kernel
 * finds RAM as the devices left it. */
TEST(kernel_kexec_calls_shutdown_not_remove_and_keeps_ram)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device_driver drv = { .name = "test", .of_match_table = ids,
				     .probe = probe, .remove = remove_dev,
				     .shutdown = shutdown_dev };
	struct dk_simdev *sd = dk_soc_find_dev(t.soc, "master@10010000");
	struct dk_machine *old = t.m, *next = NULL;
	u8 pat[64], back[64];
	phys_addr_t pa;
	int n;

	probes = removes = shutdowns = 0;
	CHECK_EQ(driver_register(&drv), 0);
	n = probes;
	pa = virt_to_phys(kmalloc(4096, GFP_KERNEL));
	for (int i = 0; i < 64; i++)
		pat[i] = (u8)(i * 7 + 1);
	CHECK_EQ(dk_dev_dma_write(sd, pa, pat, 64), 0);	/* no mapping */
	CHECK_EQ(dk_machine_kexec(old, NULL, NULL), -EINVAL);
	CHECK_EQ(dk_machine_kexec(old, NULL, &next), 0);
	t.m = next;
	CHECK(next != NULL);
	CHECK_EQ(shutdowns, n);
	CHECK_EQ(removes, 0);
	CHECK(dk_machine_current() == next);
	CHECK_EQ(dk_machine_kexec(old, NULL, &next), -EINVAL);
	CHECK(next == NULL);
	CHECK_STR(dk_last_error(), "dk_machine_kexec");
	CHECK_EQ(dk_dev_dma_read(sd, pa, back, 64), 0);
	CHECK_MEM(back, pat, 64);
	CHECK(dk_machine_find_device(t.m, "master@10010000")->driver == NULL);
	/* The old kernel's pages are the new one's to hand out. */
	CHECK(virt_to_phys(kmalloc(4096, GFP_KERNEL)) < pa);
	testmachine_shutdown(&t);
}

static int plain_probe(struct device *dev)
{
	(void)dev;
	return 0;
}

/* Older Linux's devm_kmalloc: the devres node heads the object, the
 * buffer follows it, off the cache line; today's: an object of its own. */
TEST(kernel_devm_kmalloc_header_puts_the_node_before_the_buffer)
{
	struct dk_machine_opts mo = { .devm_kmalloc_header = true };
	struct testmachine t = testmachine_boot(NULL, NULL, &mo);
	struct device_driver drv = { .name = "test", .of_match_table = ids,
				     .probe = plain_probe };
	struct device *dev = dk_machine_find_device(t.m, "master@10010000");
	const void *start;
	u8 *a, *b;
	size_t sz;
	dma_addr_t h;

	CHECK_EQ(driver_register(&drv), 0);
	a = devm_kmalloc(dev, 100, GFP_KERNEL);
	b = devm_kzalloc(dev, 200, GFP_KERNEL);
	CHECK(dk_is_kmalloc_addr(a, &sz, &start));
	CHECK_EQ((const u8 *)a - (const u8 *)start, 32);
	CHECK_EQ(sz, 256);			/* 32 + 100 rounded up */
	CHECK_EQ(virt_to_phys(a) % 128, 32);
	for (int i = 0; i < 200; i++)
		CHECK_EQ(b[i], 0);
	dk_dma_debug_clear();
	h = dma_map_single(dev, a, 100, DMA_FROM_DEVICE);
	CHECK(!dma_mapping_error(dev, h));
	CHECK_EQ(dk_dma_debug_count(DK_CHK_FROM_DEVICE_SHARED_LINE), 1);
	CHECK_STR(dk_dma_debug_finding(0)->message, "is embedded 32 bytes into kmalloc object");
	dma_unmap_single(dev, h, 100, DMA_FROM_DEVICE);
	devm_kfree(dev, a);
	CHECK(!dk_is_kmalloc_addr(a, NULL, NULL));
	CHECK(dk_is_kmalloc_addr(b, NULL, NULL));
	driver_unregister(&drv);		/* releases b with its node */
	CHECK(!dk_is_kmalloc_addr(b, NULL, NULL));
	testmachine_shutdown(&t);
	/* The default: the buffer is its own, aligned object. */
	t = testmachine_boot(NULL, NULL, NULL);
	dev = dk_machine_find_device(t.m, "master@10010000");
	CHECK_EQ(driver_register(&drv), 0);
	a = devm_kmalloc(dev, 100, GFP_KERNEL);
	CHECK(dk_is_kmalloc_addr(a, &sz, &start));
	CHECK(start == a);
	CHECK_EQ(virt_to_phys(a) % 128, 0);
	driver_unregister(&drv);
	testmachine_shutdown(&t);
}

/* Finds the machine's default CMA area; false if none. */
static bool default_cma(struct dk_machine *m, phys_addr_t *base, u64 *size)
{
	bool def;

	for (int i = 0; !dk_machine_cma_area(m, i, base, size, &def); i++)
		if (def)
			return true;
	return false;
}

/* cma=: the default area is the option's size, reserved at boot below
 * 4 GiB, the tree's default bypassed; cma=0 leaves none. */
TEST(kernel_cma_size_option_reserves_the_default_area)
{
	struct dk_machine_opts mo = { .cma_size = 8 << 20 };
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct device *dev;
	phys_addr_t base, tree_base;
	u64 size;
	dma_addr_t h;
	void *p;
	bool def;

	CHECK(default_cma(t.m, &tree_base, &size));
	CHECK_EQ(size, 0x04000000);		/* the tree's 64 MiB */
	CHECK_EQ(dk_machine_cma_area(t.m, 99, &base, &size, &def), -ENOENT);
	CHECK_EQ(dk_machine_cma_area(t.m, 0, NULL, &size, &def), -EINVAL);
	testmachine_shutdown(&t);
	t = testmachine_boot(NULL, NULL, &mo);
	CHECK(default_cma(t.m, &base, &size));
	CHECK_EQ(size, 8 << 20);
	CHECK(base != tree_base);
	CHECK(base + size - 1 <= 0xffffffffULL);
	dma_contiguous_reserve(0);		/* has one: nothing */
	CHECK(default_cma(t.m, &base, &size));
	CHECK_EQ(size, 8 << 20);
	dev = dk_machine_find_device(t.m, "master@10010000");
	p = dma_alloc_coherent(dev, 3 * 4096, &h, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK(h >= base && h + 3 * 4096 <= base + size);
	dma_free_coherent(dev, 3 * 4096, p, h);
	testmachine_shutdown(&t);
	mo.cma_size = -1;
	t = testmachine_boot(NULL, NULL, &mo);
	CHECK(!default_cma(t.m, &base, &size));
	testmachine_shutdown(&t);
	mo.cma_size = 4097;
	CHECK_EQ(dk_soc_load_default(NULL, &t.soc), 0);
	CHECK_EQ(dk_platform_sim(t.soc, &t.pl), 0);
	CHECK_EQ(dk_machine_boot(&t.pl, &mo, &t.m), -EINVAL);
	CHECK_STR(dk_last_error(), "cma_size 4097 is not -1, 0 or whole pages");
	mo.cma_size = 4LL << 30;		/* more than fits below 4 GiB */
	CHECK_EQ(dk_machine_boot(&t.pl, &mo, &t.m), -ENOMEM);
	dk_soc_free(t.soc);
}

/* barebox-style in-memory bookkeeping: an 8-byte header before each
 * object, checked by kfree() and ksize(). */
TEST(kernel_kmalloc_header_in_memory_bookkeeping)
{
	struct dk_machine_opts mo = { .kmalloc_minalign = 8,
				      .kmalloc_header = true };
	struct testmachine t = testmachine_boot(NULL, NULL, &mo);
	u8 *a = kmalloc(20, GFP_KERNEL), *b = kmalloc(20, GFP_KERNEL);
	const void *start;
	struct capture c;
	char log[256];
	u32 h[2];
	size_t sz;

	CHECK_EQ(b - a, 32);			/* [hdr 8][20 + slack] */
	memcpy(h, a - 8, 8);
	CHECK_EQ(h[0], 0x6b6d6c63u ^ (u32)(uintptr_t)a);
	CHECK_EQ(h[1], 20);
	CHECK_EQ(ksize(a), 24);
	CHECK(dk_is_kmalloc_addr(b - 4, &sz, &start));	/* b's header */
	CHECK(start == b);
	CHECK_EQ(sz, 24);
	memset(b - 8, 0, 8);			/* a stray write or invalidate */
	CHECK_EQ(ksize(b), 0);
	c = capture_start();
	kfree(b);
	capture_end(&c, log, sizeof(log));
	CHECK_STR(log, "bookkeeping before the object is corrupted");
	CHECK(dk_is_kmalloc_addr(b, NULL, NULL));	/* kept */
	kfree(a);
	CHECK(!dk_is_kmalloc_addr(a, NULL, NULL));
	memcpy(h, a - 8, 8);			/* a free chunk's bookkeeping */
	CHECK_EQ(h[0], 0x6b6d6c63u ^ (u32)(uintptr_t)a);
	CHECK_EQ(h[1], 0xffffffffu);
	testmachine_shutdown(&t);
	/* With ARCH_DMA_MINALIGN alignment the header has a line of its own
	 * before the object (kmalloc as memalign, as barebox's fix). */
	mo.kmalloc_minalign = 0;
	t = testmachine_boot(NULL, NULL, &mo);
	a = kmalloc(20, GFP_KERNEL);
	b = kmalloc(20, GFP_KERNEL);
	CHECK_EQ((uintptr_t)virt_to_phys(a) % 128, 0);
	CHECK_EQ(b - a, 256);
	CHECK_EQ(ksize(a), 128);
	kfree(a);
	kfree(b);
	testmachine_shutdown(&t);
}
